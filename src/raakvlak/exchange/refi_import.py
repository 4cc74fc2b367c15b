"""Import REFI-QDA files (``.qdpx`` projects, ``.qdc`` codebooks) from other tools.

An import is prepared completely in memory and written only at the end (pseudonym
key, corpus, codebook, coding logs), so a broken or hostile file raises
:class:`~raakvlak.errors.ExchangeError` and leaves the project as it was.

* **Sources** become corpus documents through the same canonicalisation and
  pseudonymisation as any import (:func:`raakvlak.corpus.canonical.canonicalise`,
  :class:`raakvlak.corpus.pseudonymise.Pseudonymiser`); speaker labels of a
  transcript-like text are registered in the pseudonym key first, as the main
  importer does. The text is not re-flowed, so every selection can be mapped.
  A source whose canonical, pseudonymised text equals a document already in the corpus
  (same SHA-256) is not imported again: its codings attach to that document.
* **Codes** join the codebook: a code exported by raakvlak keeps its id when that id
  is free (or already holds the same code); a code of another tool gets a new id
  (:meth:`raakvlak.coding.codebook.Codebook.new_id`) and a note with its REFI GUID.
  A code with the same label under the same parent is reused, so importing twice
  does not duplicate the codebook.
* **Selections** become ``code`` events with origin ``import`` and detail
  ``{"tool": ..., "guid": <selection guid>, "coding_guid": ...}``, in one log per user
  (coder id = slug of the user's name; selections without a user go to the slug of
  the tool's name). Notes become memos (on the project, a document, a code, or the
  coding's ``memo``); a note on nothing that was placed becomes a project memo, and
  several notes of one coder on one object are joined (a later memo replaces an
  earlier one in raakvlak). A coding the coder already has (same document, span and code)
  is skipped, so importing twice adds nothing.
* **Positions.** The unit is detected per source (:func:`detect_unit`): for every
  candidate unit (code points or UTF-16 code units; line ends as written, CRLF counted
  once, or LF counted as CRLF) the selections whose ``name`` holds text are checked
  against the text at their positions, and the unit with most matches wins; on a tie
  or without evidence the tool's known habit decides (NVivo: UTF-16 with CRLF as two;
  ATLAS.ti: CRLF as one; others: code points as written). Each source's report row
  says which unit was used and on what evidence. Selections are trimmed of white space
  at their ends, as when coding by hand.
* **Nothing is dropped silently.** What cannot be placed (a position that is no
  character boundary in the unit, outside the text, a span of nothing but white
  space, an unknown code, a source without text, a picture or audio source) is listed
  in :attr:`RefiImportReport.unplaced` with the reason.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element

import numpy as np
import pandas as pd

from raakvlak.coding import events as ev
from raakvlak.coding.codebook import ID_PATTERN, LEVELS, MAX_ID_LENGTH, STATUSES, Codebook
from raakvlak.coding.codebook import slugify as code_slug
from raakvlak.coding.log import CodingLog
from raakvlak.coding.state import load_state
from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.importer import PSEUDONYM_FILE
from raakvlak.corpus.importer import slugify as document_slug
from raakvlak.corpus.pseudonymise import Pseudonymiser
from raakvlak.corpus.store import KINDS, CorpusStore, DocumentRecord
from raakvlak.corpus.structure import blocks
from raakvlak.errors import CodebookError, ExchangeError
from raakvlak.exchange.positions import (
    UNITS,
    PositionUnit,
    canonical_with_map,
    comparable,
    edit_map,
    to_raw_many,
    unit_applies,
    unit_map,
)
from raakvlak.exchange.refi import parse_colour, read_description
from raakvlak.exchange.safety import DEFAULT_LIMITS, Limits, parse_xml, read_archive
from raakvlak.project import LANGUAGES, Project, is_slug

UNPLACED_COLUMNS = ["source", "selection_guid", "start", "end", "code", "coder", "reason"]
UNIT_COLUMNS = ["document_id", "source", "unit", "checked", "matched", "how"]
CODE_COLUMNS = ["guid", "name", "code_id", "action"]
_SPEAKER_PREFIX = "speaker_"


# ---------------------------------------------------------------------- the file's model
@dataclass
class RefiCoding:
    guid: str
    code: str
    user: str | None
    time: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiSelection:
    guid: str
    name: str
    start: int | None
    end: int | None
    user: str | None
    time: str | None
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiSource:
    guid: str
    name: str
    kind: str
    description: str = ""
    content: str | None = None
    path: str = ""
    user: str | None = None
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class RefiCode:
    guid: str
    name: str
    colour: str | None
    codable: bool
    description: str
    parent: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiCase:
    guid: str
    name: str
    variables: dict[str, str]
    sources: list[str]


@dataclass
class RefiNote:
    guid: str
    name: str
    text: str
    user: str | None
    time: str | None


@dataclass
class RefiProject:
    """What a REFI-QDA file holds, as read (no placing, no checking against a project)."""

    name: str = ""
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)
    codes: list[RefiCode] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)
    project_notes: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=256)
def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _child_text(element: Element, name: str) -> str:
    found = _children(element, name)
    return (found[0].text or "") if found else ""


def _guid(value: str | None) -> str | None:
    return value.strip().strip("{}").lower() if value else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _refs(element: Element, name: str) -> list[str]:
    return [g for ref in _children(element, name) if (g := _guid(ref.get("targetGUID")))]


def _codings(element: Element) -> list[RefiCoding]:
    found = []
    for coding in _children(element, "Coding"):
        refs = _refs(coding, "CodeRef")
        found.append(RefiCoding(_guid(coding.get("guid")) or "", refs[0] if refs else "",
                                _guid(coding.get("creatingUser")), coding.get("creationDateTime"),
                                _refs(coding, "NoteRef")))
    return found


def _variable_values(element: Element, variables: dict[str, str]) -> dict[str, str]:
    values = {}
    for value in _children(element, "VariableValue"):
        refs = _refs(value, "VariableRef")
        name = variables.get(refs[0]) if refs else None
        if name is None:
            continue
        texts = [child.text or "" for child in value if _local(child.tag) != "VariableRef"]
        values[name] = texts[0].strip() if texts else ""
    return values


def _read_codes(parent: Element, parent_guid: str | None, into: list[RefiCode]) -> None:
    for code in _children(parent, "Code"):
        code_guid = _guid(code.get("guid")) or ""
        into.append(RefiCode(
            guid=code_guid, name=(code.get("name") or "").strip(), colour=code.get("color"),
            codable=(code.get("isCodable") or "true").strip().lower() != "false",
            description=_child_text(code, "Description"), parent=parent_guid,
            notes=_refs(code, "NoteRef")))
        _read_codes(code, code_guid, into)


def read_project(root: Element) -> RefiProject:
    """The content of a parsed ``project.qde`` (or ``.qdc``: only the codes)."""
    model = RefiProject(name=root.get("name") or "", origin=root.get("origin") or "")
    for users in _children(root, "Users"):
        for user in _children(users, "User"):
            user_guid = _guid(user.get("guid"))
            if user_guid:
                model.users[user_guid] = (user.get("name") or user.get("id") or "").strip()
    books = [root] if _local(root.tag) == "CodeBook" else _children(root, "CodeBook")
    for book in books:
        for codes in _children(book, "Codes"):
            _read_codes(codes, None, model.codes)
    for variables in _children(root, "Variables"):
        for variable in _children(variables, "Variable"):
            variable_guid = _guid(variable.get("guid"))
            if variable_guid:
                model.variables[variable_guid] = (variable.get("name") or "").strip()
    for cases in _children(root, "Cases"):
        for case in _children(cases, "Case"):
            model.cases.append(RefiCase(_guid(case.get("guid")) or "", (case.get("name") or "").strip(),
                                        _variable_values(case, model.variables),
                                        _refs(case, "SourceRef")))
    for sources in _children(root, "Sources"):
        for source in sources:
            kind = _local(source.tag)
            item = RefiSource(
                guid=_guid(source.get("guid")) or "", name=(source.get("name") or "").strip(), kind=kind,
                description=_child_text(source, "Description"), path=source.get("plainTextPath") or "",
                user=_guid(source.get("creatingUser")), codings=_codings(source),
                notes=_refs(source, "NoteRef"),
                variables=_variable_values(source, model.variables))
            contents = _children(source, "PlainTextContent")
            if contents:
                item.content = contents[0].text or ""
            for selection in _children(source, "PlainTextSelection"):
                item.selections.append(RefiSelection(
                    guid=_guid(selection.get("guid")) or "", name=selection.get("name") or "",
                    start=_int(selection.get("startPosition")), end=_int(selection.get("endPosition")),
                    user=_guid(selection.get("creatingUser")), time=selection.get("creationDateTime"),
                    codings=_codings(selection), notes=_refs(selection, "NoteRef")))
            model.sources.append(item)
    for notes in _children(root, "Notes"):
        for note in _children(notes, "Note"):
            note_guid = _guid(note.get("guid"))
            if note_guid:
                model.notes[note_guid] = RefiNote(
                    note_guid, note.get("name") or "", _child_text(note, "PlainTextContent"),
                    _guid(note.get("creatingUser")), note.get("creationDateTime"))
    model.project_notes = _refs(root, "NoteRef")
    return model


# ---------------------------------------------------------------------- small helpers
def decode_text(data: bytes, what: str, messages: list[str]) -> str:
    """Text of a source file: BOM (UTF-8 or UTF-16) honoured and removed, else UTF-8.

    A file that is not UTF-8 is read as Windows-1252 and the message says so.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        messages.append(f"{what}: not UTF-8; read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def coder_slug(name: str) -> str:
    """A coder id from a user's name: lower-case ASCII, ``a-z0-9``, ``_`` and ``-``.

    Examples
    --------
    >>> coder_slug("Anna de Vries"), coder_slug("bram_2"), coder_slug("ÉÉN")
    ('anna-de-vries', 'bram_2', 'een')
    """
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_text.lower()).strip("-_")
    return slug[:64].rstrip("-_") or "coder"


def _utc(value: str | None) -> str | None:
    """A REFI dateTime as an event time (``...Z``), or None when absent or unreadable."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _matches(quote: str, name: str) -> bool:
    wanted = comparable(name)
    if not wanted:
        return False
    found = comparable(quote)
    if found == wanted:
        return True
    if wanted.endswith(("...", "\u2026")):
        head = wanted.rstrip(".\u2026").rstrip()
        return len(head) >= 3 and found.startswith(head)
    return False


def _tool_default(tool: str, raw: str) -> PositionUnit:
    folded = tool.lower()
    if "nvivo" in folded:
        line_ends = "as written" if "\r\n" in raw or "\n" not in raw else "lf as crlf"
        return PositionUnit(True, line_ends)
    if "atlas" in folded and "\r\n" in raw:
        return PositionUnit(False, "crlf as one")
    return PositionUnit(False, "as written")


def detect_unit(raw: str, selections: list[RefiSelection], tool: str) -> tuple[PositionUnit, int, int, str]:
    """The position unit of one source, checked against the selections' recorded text.

    Parameters
    ----------
    raw : the source text as the tool wrote it (BOM removed).
    selections : its selections; those whose ``name`` holds text are the evidence.
    tool : the exporting tool (the project's ``origin``), for the fallback.

    Returns
    -------
    unit, checked, matched, how : the unit used, how many selections could be checked,
        how many matched in that unit, and a sentence saying why this unit.

    Examples
    --------
    >>> raw = "Hoi 😀 daar\\r\\nja"
    >>> sel = RefiSelection("g", "daar", 7, 11, None, None)   # UTF-16 units
    >>> unit, checked, matched, how = detect_unit(raw, [sel], "some tool")
    >>> str(unit), checked, matched
    ('UTF-16 code units, line ends as written', 1, 1)
    """
    default = _tool_default(tool, raw)
    if not unit_applies(raw, default):
        default = UNITS[0]
    evidence = [s for s in selections if s.start is not None and s.end is not None and comparable(s.name)]
    if not evidence:
        return default, 0, 0, f"no selection records its text; assumed the habit of {tool or 'the tool'}"
    scores = []
    starts = np.array([s.start for s in evidence], dtype=np.int64)
    ends = np.array([s.end for s in evidence], dtype=np.int64)
    for unit in (u for u in UNITS if unit_applies(raw, u)):
        counted, raw_index = unit_map(raw, unit)
        raw_starts = to_raw_many(counted, raw_index, starts).tolist()
        raw_ends = to_raw_many(counted, raw_index, ends).tolist()
        matched = sum(
            1 for selection, start, end in zip(evidence, raw_starts, raw_ends, strict=True)
            if 0 <= start < end and _matches(raw[start:end], selection.name))
        scores.append((matched, unit))
    best = max(score for score, _ in scores)
    if best == 0:
        return default, len(evidence), 0, (
            f"no selection's recorded text matched in any unit; assumed the habit of {tool or 'the tool'}")
    tied = [unit for score, unit in scores if score == best]
    unit = default if default in tied else tied[0]
    how = f"{best} of {len(evidence)} selections matched their recorded text"
    if len(tied) > 1:
        how += " (units tied on this text)"
    return unit, len(evidence), best, how


# ---------------------------------------------------------------------- the report
@dataclass
class RefiImportReport:
    """What a REFI-QDA import did.

    Attributes
    ----------
    tool : the exporting tool (the file's ``origin``).
    documents : ids of the new documents, in file order.
    reused_documents : ids of documents already in the corpus with the same text.
    codes : one row per REFI code: ``guid, name, code_id, action`` (added or existing).
    codings : the number of new codings per coder.
    memos : the number of memos written.
    replacements : pseudonymisation replacements per kind (as for any import).
    units : one row per source: ``document_id, source, unit, checked, matched, how``.
    unplaced : what could not be placed: ``source, selection_guid, start, end, code,
        coder, reason`` (never dropped silently).
    messages : further remarks, one line each.
    """

    tool: str = ""
    documents: list[str] = field(default_factory=list)
    reused_documents: list[str] = field(default_factory=list)
    codes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CODE_COLUMNS))
    codings: dict[str, int] = field(default_factory=dict)
    memos: int = 0
    replacements: dict[str, int] = field(default_factory=dict)
    units: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNIT_COLUMNS))
    unplaced: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNPLACED_COLUMNS))
    messages: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """Readable lines for the CLI and notebooks."""
        added = int((self.codes["action"] == "added").sum()) if len(self.codes) else 0
        lines = [f"from {self.tool or 'an unknown tool'}: {len(self.documents)} new document(s), "
                 f"{len(self.reused_documents)} already in the corpus, {added} new code(s), "
                 f"{sum(self.codings.values())} coding(s), {self.memos} memo(s)"]
        lines += [f"coder {coder}: {count} coding(s)" for coder, count in sorted(self.codings.items())]
        lines += [f"{row.document_id}: positions read as {row.unit} ({row.how})"
                  for row in self.units.itertuples(index=False)]
        if len(self.unplaced):
            lines.append(f"{len(self.unplaced)} selection(s) could not be placed; see report.unplaced")
        return lines + self.messages


# ---------------------------------------------------------------------- codes
_ENTRY_KEYS = ("colour", "status", "level", "framework", "definition", "full_definition",
               "when_to_use", "when_not_to_use", "examples", "replaced_by", "to_complete", "note")


def _is_empty_template(codebook: Codebook) -> bool:
    """True for a codebook file holding nothing but comments and ``codes: []``."""
    lines = [line.strip() for line in codebook.text.splitlines()]
    content = [line for line in lines if line and not line.startswith("#")]
    return len(codebook) == 0 and content in ([], ["codes: []"], ["codes:"])


def _write_new_codebook(codebook: Codebook, planned: list[dict[str, Any]]) -> Codebook:
    """The codebook file of an empty codebook filled with ``planned`` codes in one go."""
    import io

    from ruamel.yaml import YAML

    entries: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for spec in planned:
        entry: dict[str, Any] = {"id": spec["id"], "label": {"nl": spec["label_nl"], "en": spec["label_en"]}}
        for key in _ENTRY_KEYS:
            if spec.get(key):
                entry[key] = spec[key]
        entries[spec["id"]] = entry
        if spec["parent"] is None:
            roots.append(entry)
        else:
            entries[spec["parent"]].setdefault("children", []).append(entry)
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    buffer = io.StringIO()
    yaml.dump({"codes": roots}, buffer)
    header = "".join(line for line in codebook.text.splitlines(keepends=True) if line.startswith("#"))
    return Codebook.from_text(header + buffer.getvalue(), codebook.file)


def _join_codes(
    codebook: Codebook, codes: list[RefiCode], tool: str, file_name: str, language: str,
) -> tuple[Codebook, dict[str, str], list[dict[str, str]], list[str]]:
    """Add the REFI codes to ``codebook``; returns the new codebook, guid -> code id,
    the report rows and messages."""
    mapping: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    messages: list[str] = []
    planned: list[dict[str, Any]] = []
    taken = set(codebook.ids)
    for code in codes:
        parent = mapping.get(code.parent) if code.parent else None
        parsed = read_description(code.description)
        fields = parsed.fields
        name = code.name or fields.get("label_nl") or fields.get("label_en") or code.guid
        label_nl = fields.get("label_nl") or name
        label_en = fields.get("label_en") or name
        wanted = parsed.raakvlak_id
        if wanted and wanted in codebook and (
                codebook[wanted].label_nl == label_nl or codebook[wanted].label_en == label_en):
            mapping[code.guid] = wanted
            rows.append({"guid": code.guid, "name": name, "code_id": wanted, "action": "existing"})
            continue
        siblings = codebook.children(parent) if parent is None or parent in codebook else ()
        same = [c for c in siblings if name in (c.label_nl, c.label_en, c.label(language))]
        if same and not wanted:
            mapping[code.guid] = same[0].id
            rows.append({"guid": code.guid, "name": name, "code_id": same[0].id, "action": "existing"})
            continue
        if wanted and ID_PATTERN.match(wanted) and len(wanted) <= MAX_ID_LENGTH and wanted not in taken:
            code_id = wanted
        else:
            base = f"{parent}.{code_slug(name)}" if parent else code_slug(name)
            code_id, number = base, 2
            while code_id in taken:
                code_id = f"{base}_{number}"
                number += 1
        taken.add(code_id)
        colour = parse_colour(code.colour)
        if code.colour and colour is None:
            messages.append(f"code {name!r}: colour {code.colour!r} not understood; it takes its parent's")
        level = fields.get("level", "")
        if level and level not in LEVELS:
            messages.append(f"code {name!r}: level {level!r} is not one of {', '.join(LEVELS)}; left out")
            level = ""
        status = fields.get("status", "emergent")
        if status not in STATUSES:
            status = "emergent"
        note = fields.get("note", "")
        if not wanted:
            note = (note + " " if note else "") + (
                f"Imported from {tool or 'another tool'} ({file_name}); REFI guid {code.guid}.")
        definition = parsed.definition
        to_complete = fields["to_complete"] == "true" if "to_complete" in fields else not definition
        planned.append({
            "id": code_id, "parent": parent, "label_nl": label_nl, "label_en": label_en,
            "colour": colour, "status": status, "level": level,
            "framework": fields.get("framework", ""), "definition": definition,
            "full_definition": fields.get("full_definition", ""),
            "when_to_use": fields.get("when_to_use", ""),
            "when_not_to_use": fields.get("when_not_to_use", ""),
            "examples": [e for e in fields.get("examples", "").split("\n") if e.strip()],
            "replaced_by": fields.get("replaced_by", ""), "to_complete": to_complete, "note": note,
        })
        mapping[code.guid] = code_id
        rows.append({"guid": code.guid, "name": name, "code_id": code_id, "action": "added"})
    if not planned:
        return codebook, mapping, rows, messages
    known = taken
    for spec in planned:
        if spec["replaced_by"] and spec["replaced_by"] not in known:
            messages.append(f"code {spec['id']!r}: replaced_by {spec['replaced_by']!r} is unknown; left out")
            spec["replaced_by"] = ""
        if spec["status"] == "merged" and not spec["replaced_by"]:
            spec["status"] = "retired"
    if _is_empty_template(codebook):
        updated = _write_new_codebook(codebook, planned)
    else:
        updated = codebook
        history = []
        for spec in planned:
            try:
                updated = updated.add_code(
                    spec["label_nl"], spec["label_en"], parent=spec["parent"], code_id=spec["id"],
                    colour=spec["colour"], definition=spec["definition"],
                    full_definition=spec["full_definition"], when_to_use=spec["when_to_use"],
                    when_not_to_use=spec["when_not_to_use"], examples=spec["examples"],
                    framework=spec["framework"], level=spec["level"],
                    status=spec["status"] if spec["status"] in ("a_priori", "emergent") else "a_priori",
                    to_complete=spec["to_complete"], note=spec["note"])
            except CodebookError as exc:
                raise ExchangeError(f"{file_name}: code {spec['label_nl']!r} cannot join the codebook: {exc}") from exc
            if spec["status"] in ("merged", "retired"):
                history.append(spec)
        for spec in history:
            try:
                if spec["status"] == "merged":
                    updated = updated.merge(spec["id"], spec["replaced_by"])
                else:
                    updated = updated.retire(spec["id"], spec["replaced_by"] or None)
            except CodebookError as exc:
                messages.append(f"code {spec['id']!r}: its status {spec['status']} could not be restored ({exc})")
    new_problems = [p for p in updated.problems if p not in codebook.problems]
    if new_problems:
        raise ExchangeError(f"{file_name}: the imported codes would make the codebook invalid: "
                            + "; ".join(str(p) for p in new_problems[:3]) + " (nothing was imported)")
    return updated, mapping, rows, messages


# ---------------------------------------------------------------------- sources
def _source_files(files: dict[str, bytes]) -> dict[str, str]:
    """Lower-cased entry names and base names -> entry names (``sources/`` or ``Sources/``)."""
    index: dict[str, str] = {}
    for name in files:
        lowered = name.replace("\\", "/").lower()
        index.setdefault(lowered, name)
        index.setdefault(PurePosixPath(lowered).name, name)
    return index


def _source_bytes(source: RefiSource, files: dict[str, bytes], index: dict[str, str]) -> bytes | None:
    path = source.path.strip()
    if not path:
        return None
    for prefix in ("internal://", "relative://", "absolute://", "file://"):
        if path.lower().startswith(prefix):
            path = path[len(prefix):]
            break
    lowered = path.replace("\\", "/").lower().lstrip("/")
    for key in (lowered, f"sources/{lowered}", PurePosixPath(lowered).name):
        if key in index:
            return files[index[key]]
    return None


@dataclass
class _Prepared:
    """One source, ready: its document (new or existing), final text and position map."""

    source: RefiSource
    document_id: str
    text: str
    sha256: str
    counted: np.ndarray
    raw_index: np.ndarray
    to_final: np.ndarray
    record: DocumentRecord | None


def _cases_by_source(model: RefiProject) -> tuple[dict[str, list[RefiCase]], list[str]]:
    """The cases of each source (speakers or documents), and messages on cases that fit nowhere."""
    by_source: dict[str, list[RefiCase]] = defaultdict(list)
    messages = []
    for case in model.cases:
        if not case.sources and case.variables:
            messages.append(f"case {case.name!r} refers to no source; its variables were not imported")
        for source in case.sources:
            by_source[source].append(case)
    return by_source, messages


def _place_source(
    project: Project, source: RefiSource, raw: str, tool: str, pseudonymiser: Pseudonymiser | None,
    cases: list[RefiCase], existing: dict[str, str], taken: set[str], counts: dict[str, int],
) -> tuple[_Prepared, dict[str, Any]]:
    canonical, to_canon, exact = canonical_with_map(raw)
    if not canonical:
        raise ValueError("the text is empty after canonicalisation")
    speaker_rows: dict[str, dict[str, str]] = {}
    labelled = [b.speaker for b in blocks(canonical) if b.speaker]
    all_blocks = blocks(canonical, speakers=False)
    speaker_cases = {case.name: case.variables for case in cases if case.name in labelled}
    variables: dict[str, str] = {}
    for case in cases:  # some tools put document variables on a case per document
        if case.name not in speaker_cases:
            variables.update(case.variables)
    variables.update(source.variables)
    kind = variables.pop("kind", "")
    if kind not in KINDS:
        kind = "transcript" if len(labelled) >= 2 and 2 * len(labelled) >= len(all_blocks) else "text"
    pseudonyms: dict[str, str] = {}
    if kind in ("transcript", "survey"):
        for label in dict.fromkeys(labelled):
            role = speaker_cases.get(label, {}).get("role", "")
            pseudonyms[label] = pseudonymiser.speaker(label, role) if pseudonymiser else label
    final, to_final = canonical, to_canon
    if pseudonymiser is not None:
        replaced, found = pseudonymiser.text(canonical)
        for key, value in found.items():
            counts[key] = counts.get(key, 0) + value
        if replaced != canonical:
            after, to_after, _ = canonical_with_map(replaced)
            to_final = to_after[edit_map(canonical, replaced)[to_canon]]
            final = after
    for label, pseudonym in pseudonyms.items():
        values = speaker_cases.get(label, {})
        row = {"speaker": pseudonym, "role": values.get("role", "")}
        for name, value in values.items():
            if name != "role" and name not in variables:
                row[name[len(_SPEAKER_PREFIX):] if name.startswith(_SPEAKER_PREFIX) else name] = value
        speaker_rows.setdefault(pseudonym, row)
    sha = fingerprint(final)
    info: dict[str, Any] = {"exact": exact}
    title = variables.pop("title", "") or source.description.strip() or source.name
    language = variables.pop("language", "") or project.language
    language = language if language in LANGUAGES else project.language
    date = variables.pop("date", "")
    original = variables.pop("source", "")
    for fixed in ("document_id", "sha256"):
        if variables.pop(fixed, None) is not None:
            info.setdefault("dropped", []).append(fixed)
    name = source.name or source.guid
    original = original or name
    if pseudonymiser is not None:
        title = pseudonymiser.text(title)[0]
        name = pseudonymiser.text(name)[0]
        original = pseudonymiser.text(original)[0]
    if sha in existing:
        document_id, record = existing[sha], None
    else:
        base = name if is_slug(name) else document_slug(name)
        document_id, number = base, 2
        while document_id in taken:
            document_id = f"{base}-{number}"
            number += 1
        record = DocumentRecord(document_id=document_id, text=final, title=title, kind=kind,
                                language=language, date=date, source=original, variables=variables,
                                speakers=list(speaker_rows.values()))
        existing[sha] = document_id
    taken.add(document_id)
    prepared = _Prepared(source, document_id, final, sha, *unit_map(raw, UNITS[0]), to_final, record)
    return prepared, info


def _span(prepared: _Prepared, raw_start: int, raw_end: int) -> tuple[int, int] | None:
    start, end = int(prepared.to_final[raw_start]), int(prepared.to_final[raw_end])
    text = prepared.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


class _EventBuilder:
    """Turns the placed sources' selections and the file's notes into coding-log events."""

    def __init__(self, model: RefiProject, tool: str, code_map: dict[str, str], codebook: Codebook,
                 state: Any, unplaced: list[dict[str, Any]], messages: list[str]):
        self.model = model
        self.tool = tool
        self.code_map = code_map
        self.codebook = codebook
        self.unplaced = unplaced
        self.messages = messages
        self.fallback = coder_slug(tool.split()[0]) if tool.strip() else "import"
        self.users = {guid: coder_slug(name) for guid, name in model.users.items() if name}
        codings = state.codings
        self.seen = set(zip(codings["coder"], codings["document_id"], codings["start"], codings["end"],
                            codings["code_id"], strict=True))
        self.used_notes: set[str] = set()
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.memos = 0

    def coder_of(self, *guids: str | None) -> str:
        """The coder id of the first known user among ``guids``, else the tool's slug."""
        for guid in guids:
            if guid and guid in self.users:
                return self.users[guid]
        return self.fallback

    def note_text(self, guids: list[str]) -> str:
        notes = self.model.notes
        return "\n\n".join(notes[g].text.strip() for g in guids if g in notes and notes[g].text.strip())

    def resolve(self, code_id: str) -> str:
        return self.codebook.resolve(code_id) if code_id in self.codebook else code_id

    def lost(self, source: RefiSource, selection: RefiSelection, reason: str, code: str = "", coder: str = "") -> None:
        self.unplaced.append({"source": source.name, "selection_guid": selection.guid, "start": selection.start,
                              "end": selection.end, "code": code, "coder": coder, "reason": reason})

    def source_events(self, item: _Prepared) -> None:
        """A ``code`` event per coding of each selection of one source (and whole-source codings)."""
        source = item.source
        starts = to_raw_many(item.counted, item.raw_index,
                             [s.start if s.start is not None else -1 for s in source.selections]).tolist()
        ends = to_raw_many(item.counted, item.raw_index,
                           [s.end if s.end is not None else -1 for s in source.selections]).tolist()
        spans: list[tuple[RefiSelection, tuple[int, int] | None]] = []
        for selection, raw_start, raw_end in zip(source.selections, starts, ends, strict=True):
            if selection.start is None or selection.end is None:
                self.lost(source, selection, "no startPosition/endPosition")
            elif raw_start < 0 or raw_end < 0 or raw_start >= raw_end:
                self.lost(source, selection, f"positions {selection.start}-{selection.end} are not a span of "
                                             f"the text in the unit used ({item.counted[-1]} positions)")
            else:
                spans.append((selection, _span(item, raw_start, raw_end)))
        if source.codings:  # codings on the source itself: the whole text
            whole = RefiSelection(source.guid, "", None, None, source.user, None, source.codings)
            spans.append((whole, _span(item, 0, len(item.to_final) - 1)))
        for selection, span in spans:
            if span is None:
                self.lost(source, selection, "the selection holds only white space or text removed by canonicalisation")
            elif not selection.codings:
                self.lost(source, selection, "a selection without a coding")
            else:
                for coding in selection.codings:
                    self._code(item, selection, coding, *span)

    def _code(self, item: _Prepared, selection: RefiSelection, coding: RefiCoding, start: int, end: int) -> None:
        source = item.source
        coder = self.coder_of(coding.user, selection.user, source.user)
        if coding.code not in self.code_map:
            self.lost(source, selection, f"code guid {coding.code or '(none)'} is not in the file's codebook",
                      coding.code, coder)
            return
        code_id = self.code_map[coding.code]
        notes = [*selection.notes, *coding.notes]
        self.used_notes.update(notes)
        keys = {(coder, item.document_id, start, end, code_id),
                (coder, item.document_id, start, end, self.resolve(code_id))}
        if keys & self.seen:
            self.messages.append(f"{source.name}: {coder} already has code {code_id!r} on {start}-{end}; "
                                 "not added again")
            return
        self.seen |= keys
        text = item.text
        event: dict[str, Any] = {
            "kind": "code", "origin": "import", "document_id": item.document_id, "start": start, "end": end,
            "code_id": code_id, "quote": text[start:end], "prefix": text[max(0, start - ev.CONTEXT):start],
            "suffix": text[end:end + ev.CONTEXT], "sha256": item.sha256,
        }
        memo = self.note_text(notes)
        if memo:
            event["memo"] = memo
        event["detail"] = {"tool": self.tool, "guid": selection.guid, "coding_guid": coding.guid}
        stamp = _utc(coding.time) or _utc(selection.time)
        if stamp:
            event["time"] = stamp
        self.events[coder].append(event)

    def memo_events(self, prepared: list[_Prepared], state: Any) -> None:
        """``memo`` events for the notes on documents, codes and the project, and for notes on nothing placed."""
        memos: dict[tuple[str, str, str], list[str]] = defaultdict(list)

        def add(on: str, target: str, guids: list[str]) -> None:
            for guid in guids:
                note = self.model.notes.get(guid)
                self.used_notes.add(guid)
                if note is not None and note.text.strip():
                    memos[(self.coder_of(note.user), on, target)].append(note.text.strip())

        for item in prepared:
            add("document", item.document_id, item.source.notes)
        for code in self.model.codes:
            if code.guid in self.code_map:
                add("code", self.code_map[code.guid], code.notes)
        add("project", "", self.model.project_notes)
        add("project", "", sorted(set(self.model.notes) - self.used_notes))
        current = {(m.coder, m.on, m.target): m.text for m in state.memos.itertuples(index=False)}
        for (coder, on, target), texts in sorted(memos.items()):
            text = "\n\n".join(texts)
            if current.get((coder, on, target)) == text:
                continue  # the coder already has this memo: importing twice adds nothing
            self.events[coder].append({"kind": "memo", "origin": "import", "on": on, "target": target,
                                       "text": text})
            self.memos += 1


# ---------------------------------------------------------------------- import
def _read_qdpx_files(path: Path, limits: Limits) -> tuple[RefiProject, dict[str, bytes]]:
    files = read_archive(path, limits)
    projects = [name for name in files if name.lower().endswith(".qde") and "/" not in name.strip("/")]
    if len(projects) != 1:
        raise ExchangeError(
            f"{path.name}: expected one project.qde at the top of the archive, found "
            f"{len(projects) or 'none'}; is this a REFI-QDA project (.qdpx)?")
    root = parse_xml(files[projects[0]], f"{path.name}: {projects[0]}")
    if _local(root.tag) != "Project":
        raise ExchangeError(f"{path.name}: {projects[0]} is not a REFI-QDA project (root <{_local(root.tag)}>)")
    return read_project(root), files


def read_qdpx(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Read a ``.qdpx`` file safely into a :class:`RefiProject` (nothing is imported)."""
    return _read_qdpx_files(Path(path), limits)[0]


def import_qdpx(
    project: Project,
    path: str | Path,
    pseudonymise: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> RefiImportReport:
    """Import a REFI-QDA project (``.qdpx``) into ``project``.

    Parameters
    ----------
    project : the project to import into (it may be empty).
    path : the ``.qdpx`` file.
    pseudonymise : apply the project's pseudonym key; default from ``raakvlak.toml``.
    limits : limits on the archive (entries, uncompressed bytes).

    Returns
    -------
    RefiImportReport

    Raises
    ------
    ExchangeError
        When the file is broken or hostile (see :mod:`raakvlak.exchange.safety`) or
        an imported code or event would be invalid; then the project is unchanged.
        What merely cannot be placed is listed in the report instead.
    """
    path = Path(path)
    model, files = _read_qdpx_files(path, limits)
    tool = model.origin.strip() or "unknown tool"
    report = RefiImportReport(tool=tool)
    if pseudonymise is None:
        pseudonymise = project.settings.pseudonymise
    pseudonymiser = (Pseudonymiser(project.private_dir / PSEUDONYM_FILE, language=project.language)
                     if pseudonymise else None)
    unplaced: list[dict[str, Any]] = []

    codebook, _ = Codebook.read(project.codebook_path)
    original_codebook_text = codebook.text
    codebook, code_map, code_rows, messages = _join_codes(codebook, model.codes, tool, path.name, project.language)
    report.messages += messages
    report.codes = pd.DataFrame(code_rows, columns=CODE_COLUMNS)

    store = CorpusStore(project.corpus_dir)
    documents = store.documents()
    existing = dict(zip(documents["sha256"], documents["document_id"], strict=True))
    taken = set(documents["document_id"])
    cases_of, messages = _cases_by_source(model)
    report.messages += messages
    index = _source_files(files)
    prepared: list[_Prepared] = []
    unit_rows = []
    counts: dict[str, int] = {}
    for source in model.sources:
        if source.kind != "TextSource":
            unplaced.append({"source": source.name, "selection_guid": "", "start": None, "end": None,
                             "code": "", "coder": "", "reason": f"{source.kind} is not text; raakvlak imports text sources only"})
            continue
        data = _source_bytes(source, files, index)
        if source.content is not None and data is None:
            raw = source.content.lstrip("\ufeff")
        elif data is not None:
            raw = decode_text(data, f"{path.name}: {source.path}", report.messages).lstrip("\ufeff")
        else:
            unplaced.append({"source": source.name, "selection_guid": "", "start": None, "end": None,
                             "code": "", "coder": "",
                             "reason": f"text not found in the archive (plainTextPath {source.path!r}); "
                                       f"{len(source.selections)} selection(s) not placed"})
            continue
        try:
            item, info = _place_source(project, source, raw, tool, pseudonymiser,
                                       cases_of.get(source.guid, []), existing, taken, counts)
        except ValueError as exc:
            unplaced.append({"source": source.name, "selection_guid": "", "start": None, "end": None,
                             "code": "", "coder": "", "reason": str(exc)})
            continue
        unit, checked, matched, how = detect_unit(raw, source.selections, tool)
        item.counted, item.raw_index = unit_map(raw, unit)
        if not info["exact"]:
            report.messages.append(f"{source.name}: canonicalisation could not be followed step by step; "
                                   "check the imported codings of this document")
        for dropped in info.get("dropped", []):
            report.messages.append(f"{source.name}: variable {dropped!r} is a corpus column and was not imported")
        unit_rows.append({"document_id": item.document_id, "source": source.name, "unit": str(unit),
                          "checked": checked, "matched": matched, "how": how})
        prepared.append(item)
    report.units = pd.DataFrame(unit_rows, columns=UNIT_COLUMNS)
    report.replacements = counts

    state, _ = load_state(project.logs_dir)
    builder = _EventBuilder(model, tool, code_map, codebook, state, unplaced, report.messages)
    for item in prepared:
        builder.source_events(item)
    builder.memo_events(prepared, state)
    events = builder.events
    report.memos = builder.memos

    checked: dict[str, list[dict[str, Any]]] = {}
    for coder, items in sorted(events.items()):
        if not is_slug(coder):
            raise ExchangeError(f"{path.name}: user name gives coder id {coder!r}, which is not a slug")
        completed = [ev.complete(e, coder) for e in items]
        problems = ev.find_problems(completed)
        if problems:
            _, problem = min(problems.items())
            raise ExchangeError(f"{path.name}: an imported event of coder {coder!r} is invalid ({problem}); "
                                "nothing was imported")
        checked[coder] = completed
    report.codings = {coder: sum(1 for e in items if e["kind"] == "code") for coder, items in checked.items()}
    report.codings = {c: n for c, n in report.codings.items() if n}
    report.unplaced = pd.DataFrame(unplaced, columns=UNPLACED_COLUMNS)
    records = [item.record for item in prepared if item.record is not None]
    report.documents = [r.document_id for r in records]
    report.reused_documents = sorted({item.document_id for item in prepared if item.record is None})
    if not records and not checked and codebook.text == original_codebook_text:
        if len(report.unplaced) or not model.sources:
            report.messages.append("nothing in the file could be imported")
        return report

    # ------------------------------------------------------------ write (the commit)
    if pseudonymiser is not None:
        pseudonymiser.save()
    if records:
        store.add(records)
    if codebook.text != original_codebook_text:
        codebook.save(project.codebook_path)
    for coder, items in checked.items():
        CodingLog.in_folder(project.logs_dir, coder).append_many(items)
    return report


def import_qdc(project: Project, path: str | Path, max_bytes: int = DEFAULT_LIMITS.max_entry_bytes) -> RefiImportReport:
    """Add the codes of a REFI-QDA codebook (``.qdc``) to the project's codebook.

    Raises
    ------
    ExchangeError
        When the file is missing, too large, not well-formed, hostile or not a REFI
        codebook; then the codebook is unchanged.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExchangeError(f"{path.name}: cannot read the file ({exc})") from exc
    if size > max_bytes:
        raise ExchangeError(f"{path.name}: {size} bytes, more than the limit of {max_bytes}")
    root = parse_xml(path.read_bytes(), path.name)
    if _local(root.tag) not in ("CodeBook", "Project"):
        raise ExchangeError(f"{path.name}: not a REFI-QDA codebook (root <{_local(root.tag)}>)")
    model = read_project(root)
    tool = (root.get("origin") or "").strip() or "unknown tool"
    codebook, _ = Codebook.read(project.codebook_path)
    updated, _, rows, messages = _join_codes(codebook, model.codes, tool, path.name, project.language)
    report = RefiImportReport(tool=tool, codes=pd.DataFrame(rows, columns=CODE_COLUMNS), messages=messages)
    if updated.text != codebook.text:
        updated.save(project.codebook_path)
    return report
