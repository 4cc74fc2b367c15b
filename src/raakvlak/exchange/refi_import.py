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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from raakvlak.coding import events as ev
from raakvlak.coding.codebook import Codebook
from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.importer import PSEUDONYM_FILE, document_slug
from raakvlak.corpus.pseudonymise import Pseudonymiser
from raakvlak.corpus.readers import UNPACKED_FACTOR
from raakvlak.corpus.store import KINDS, CorpusStore, DocumentRecord
from raakvlak.corpus.structure import blocks
from raakvlak.errors import ExchangeError, RaakvlakError, file_problem
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
from raakvlak.exchange.refi_codes import join_codes
from raakvlak.exchange.refi_file import (
    RefiCase,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    decode_text,
    local_name,
    read_project,
    read_qdpx,
    read_qdpx_files,
)
from raakvlak.exchange.safety import DEFAULT_LIMITS, Limits, parse_xml
from raakvlak.ids import LANGUAGES, free_name, is_slug, slug
from raakvlak.project import Project

__all__ = ["RefiImportReport", "detect_unit", "import_qdc", "import_qdpx", "read_qdpx"]

UNPLACED_COLUMNS = ["source", "selection_guid", "start", "end", "code", "coder", "reason"]
UNIT_COLUMNS = ["document_id", "source", "unit", "checked", "matched", "how"]
CODE_COLUMNS = ["guid", "name", "code_id", "action"]
_SPEAKER_PREFIX = "speaker_"


# ---------------------------------------------------------------------- small helpers
def coder_slug(name: str) -> str:
    """A coder id from a user's name: lower-case ASCII, ``a-z0-9``, ``_`` and ``-``.

    Examples
    --------
    >>> coder_slug("Anna de Vries"), coder_slug("bram_2"), coder_slug("ÉÉN")
    ('anna-de-vries', 'bram_2', 'een')
    """
    return slug(name, 64, keep="_") or "coder"


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


def _matches(quote: str, wanted: str) -> bool:
    """True when ``quote`` is the recorded text ``wanted`` (already :func:`comparable`)."""
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
    evidence = [(s, wanted) for s in selections
                if s.start is not None and s.end is not None and (wanted := comparable(s.name))]
    if not evidence:
        return default, 0, 0, f"no selection records its text; assumed the habit of {tool or 'the tool'}"
    scores = []
    starts = np.array([s.start for s, _ in evidence], dtype=np.int64)
    ends = np.array([s.end for s, _ in evidence], dtype=np.int64)
    for unit in (u for u in UNITS if unit_applies(raw, u)):
        counted, raw_index = unit_map(raw, unit)
        raw_starts = to_raw_many(counted, raw_index, starts).tolist()
        raw_ends = to_raw_many(counted, raw_index, ends).tolist()
        matched = sum(
            1 for (_, wanted), start, end in zip(evidence, raw_starts, raw_ends, strict=True)
            if 0 <= start < end and _matches(raw[start:end], wanted))
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

    def unplaced_lines(self) -> list[str]:
        """What could not be placed, one readable line each: source, code, span, why."""
        lines = []
        for row in self.unplaced.itertuples(index=False):
            span = "" if pd.isna(row.start) else f" {int(row.start)}-{int(row.end)}"
            code = f" {row.code}" if row.code else ""
            lines.append(f"{row.source}:{code}{span} ({row.reason})")
        return lines

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
            lines.append(f"{len(self.unplaced)} selection(s) or source(s) could not be placed (listed in "
                         "report.unplaced; the command lists them)")
        return lines + self.messages


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
        document_id = free_name(name if is_slug(name) else document_slug(name), taken)
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


def _pseudonymise_texts(model: RefiProject, pseudonymiser: Pseudonymiser, counts: dict[str, int]) -> None:
    """Replace names and identifiers in what becomes memos and codebook entries (the notes,
    the codes' names and descriptions), with the key as the sources left it."""
    def clean(text: str) -> str:
        if not text:
            return text
        replaced, found = pseudonymiser.text(text)
        for kind, number in found.items():
            counts[kind] = counts.get(kind, 0) + number
        return replaced

    for note in model.notes.values():
        note.text, note.name = clean(note.text), clean(note.name)
    for code in model.codes:
        code.name, code.description = clean(code.name), clean(code.description)


# ---------------------------------------------------------------------- import
def import_qdpx(
    project: Project,
    path: str | Path,
    pseudonymise: bool | None = None,
    limits: Limits | None = None,
) -> RefiImportReport:
    """Import a REFI-QDA project (``.qdpx``) into ``project``.

    Parameters
    ----------
    project : the project to import into (it may be empty).
    path : the ``.qdpx`` file.
    pseudonymise : apply the project's pseudonym key; default from ``raakvlak.toml``.
    limits : limits on the archive (entries, uncompressed bytes); default: each text at
        most ``[import] max_bytes`` of ``raakvlak.toml``, all of them four times that.

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
    if limits is None:  # each text as large as an imported file may be (raakvlak.toml)
        size = project.settings.max_import_bytes
        limits = Limits(max_entry_bytes=size, max_total_bytes=UNPACKED_FACTOR * size)
    with project.lock("import-qdpx"):
        return _import_qdpx(project, path, pseudonymise, limits)


def _import_qdpx(project: Project, path: Path, pseudonymise: bool | None, limits: Limits) -> RefiImportReport:
    """The import itself, under the project's lock (see :func:`import_qdpx`)."""
    model, files = read_qdpx_files(path, limits)
    tool = model.origin.strip() or "unknown tool"
    report = RefiImportReport(tool=tool)
    if pseudonymise is None:
        pseudonymise = project.settings.pseudonymise
    pseudonymiser = (Pseudonymiser(project.private_dir / PSEUDONYM_FILE, language=project.language)
                     if pseudonymise else None)
    unplaced: list[dict[str, Any]] = []

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
    if pseudonymiser is not None:  # memos, notes and codes reach tracked files too
        _pseudonymise_texts(model, pseudonymiser, counts)

    codebook = project.codebook
    original_codebook_text = codebook.text
    codebook, code_map, code_rows, messages = join_codes(codebook, model.codes, tool, path.name, project.language)
    report.messages += messages
    report.codes = pd.DataFrame(code_rows, columns=CODE_COLUMNS)

    state, _ = project.coding_state()
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
    written: list[str] = []  # each step is whole or not at all; the message says which were done
    try:
        if pseudonymiser is not None:
            pseudonymiser.save()
        if records:
            store.add(records)
            written.append(f"{len(records)} document(s)")
        if codebook.text != original_codebook_text:
            codebook.save(project.codebook_path)
            written.append("the codebook")
        for coder, items in checked.items():
            project.log(coder).append_many(items)
            written.append(f"the log of {coder}")
    except (OSError, RaakvlakError) as exc:
        reason = file_problem(exc) if isinstance(exc, OSError) else str(exc)
        raise ExchangeError(
            f"{path.name}: writing the import failed ({reason}); written before the failure: "
            f"{', '.join(written) or 'nothing'}. Fix the cause and import the file again: what is "
            "already there is not added twice") from exc
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
    if local_name(root.tag) not in ("CodeBook", "Project"):
        raise ExchangeError(f"{path.name}: not a REFI-QDA codebook (root <{local_name(root.tag)}>)")
    model = read_project(root, path.name)
    tool = (root.get("origin") or "").strip() or "unknown tool"
    with project.lock("import-qdc"):
        codebook = project.codebook
        updated, _, rows, messages = join_codes(codebook, model.codes, tool, path.name, project.language)
        report = RefiImportReport(tool=tool, codes=pd.DataFrame(rows, columns=CODE_COLUMNS), messages=messages)
        if updated.text != codebook.text:
            updated.save(project.codebook_path)
    return report
