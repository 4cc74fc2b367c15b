"""REFI-QDA codes joining a project's codebook.

A code exported by raakvlak carries its id and fields in its description
(:func:`raakvlak.exchange.refi.read_description`) and keeps that id when it is free or
already holds the same code. A code of another tool gets a new id built as
:meth:`raakvlak.coding.codebook.Codebook.new_id` builds one (parent id, a dot, a slug
of the label, ``_2`` ... when taken) and a note naming the tool, the file and its REFI
GUID. A code with the same label under the same parent is reused, so importing twice
does not duplicate the codebook. An empty codebook (``codes: []``) is written in one
go; otherwise each new code goes through :meth:`Codebook.add_code`, which keeps the
comments and layout of a hand-edited file.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML

from raakvlak.coding.codebook import ID_PATTERN, LEVELS, MAX_ID_LENGTH, STATUSES, Codebook
from raakvlak.coding.codebook import slugify as code_slug
from raakvlak.errors import CodebookError, ExchangeError
from raakvlak.exchange.refi import parse_colour, read_description
from raakvlak.exchange.refi_file import RefiCode
from raakvlak.ids import free_name

_ENTRY_KEYS = ("colour", "status", "level", "framework", "definition", "full_definition",
               "when_to_use", "when_not_to_use", "examples", "replaced_by", "to_complete", "note")


def _is_empty_template(codebook: Codebook) -> bool:
    """True for a codebook file holding nothing but comments and ``codes: []``."""
    lines = [line.strip() for line in codebook.text.splitlines()]
    content = [line for line in lines if line and not line.startswith("#")]
    return len(codebook) == 0 and content in ([], ["codes: []"], ["codes:"])


def _write_new_codebook(codebook: Codebook, planned: list[dict[str, Any]]) -> Codebook:
    """The codebook file of an empty codebook filled with ``planned`` codes in one go."""
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


def join_codes(
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
        name = code.name or parsed.fields.get("label_nl") or parsed.fields.get("label_en") or code.guid
        existing = _existing(codebook, parsed, name, parent, language)
        if existing:
            mapping[code.guid] = existing
            rows.append({"guid": code.guid, "name": name, "code_id": existing, "action": "existing"})
            continue
        wanted = parsed.raakvlak_id
        if wanted and ID_PATTERN.match(wanted) and len(wanted) <= MAX_ID_LENGTH and wanted not in taken:
            code_id = wanted
        else:
            code_id = free_name(f"{parent}.{code_slug(name)}" if parent else code_slug(name), taken, joiner="_")
        taken.add(code_id)
        planned.append(_plan(code, parsed, code_id, parent, name, tool, file_name, messages))
        mapping[code.guid] = code_id
        rows.append({"guid": code.guid, "name": name, "code_id": code_id, "action": "added"})
    if not planned:
        return codebook, mapping, rows, messages
    for spec in planned:
        if spec["replaced_by"] and spec["replaced_by"] not in taken:
            messages.append(f"code {spec['id']!r}: replaced_by {spec['replaced_by']!r} is unknown; left out")
            spec["replaced_by"] = ""
        if spec["status"] == "merged" and not spec["replaced_by"]:
            spec["status"] = "retired"
    if _is_empty_template(codebook):
        updated = _write_new_codebook(codebook, planned)
    else:
        updated = _add_planned(codebook, planned, file_name, messages)
    new_problems = [p for p in updated.problems if p not in codebook.problems]
    if new_problems:
        raise ExchangeError(f"{file_name}: the imported codes would make the codebook invalid: "
                            + "; ".join(str(p) for p in new_problems[:3]) + " (nothing was imported)")
    return updated, mapping, rows, messages


def _existing(codebook: Codebook, parsed: Any, name: str, parent: str | None, language: str) -> str | None:
    """The code already in the codebook that a REFI code is: the raakvlak id it was
    exported with (when its label agrees), or a sibling with the same label."""
    fields = parsed.fields
    label_nl, label_en = fields.get("label_nl") or name, fields.get("label_en") or name
    wanted = parsed.raakvlak_id
    if wanted and wanted in codebook and (
            codebook[wanted].label_nl == label_nl or codebook[wanted].label_en == label_en):
        return wanted
    siblings = codebook.children(parent) if parent is None or parent in codebook else ()
    same = [c for c in siblings if name in (c.label_nl, c.label_en, c.label(language))]
    return same[0].id if same and not wanted else None


def _plan(code: RefiCode, parsed: Any, code_id: str, parent: str | None, name: str, tool: str,
          file_name: str, messages: list[str]) -> dict[str, Any]:
    """The fields of a new code from a REFI code (its description may carry raakvlak's)."""
    fields = parsed.fields
    colour = parse_colour(code.colour)
    if code.colour and colour is None:
        messages.append(f"code {name!r}: colour {code.colour!r} not understood; it takes its parent's")
    level = fields.get("level", "")
    if level and level not in LEVELS:
        messages.append(f"code {name!r}: level {level!r} is not one of {', '.join(LEVELS)}; left out")
        level = ""
    status = fields.get("status", "emergent")
    note = fields.get("note", "")
    if not parsed.raakvlak_id:
        note = (note + " " if note else "") + (
            f"Imported from {tool or 'another tool'} ({file_name}); REFI guid {code.guid}.")
    definition = parsed.definition
    return {
        "id": code_id, "parent": parent, "label_nl": fields.get("label_nl") or name,
        "label_en": fields.get("label_en") or name, "colour": colour,
        "status": status if status in STATUSES else "emergent", "level": level,
        "framework": fields.get("framework", ""), "definition": definition,
        "full_definition": fields.get("full_definition", ""),
        "when_to_use": fields.get("when_to_use", ""), "when_not_to_use": fields.get("when_not_to_use", ""),
        "examples": [e for e in fields.get("examples", "").split("\n") if e.strip()],
        "replaced_by": fields.get("replaced_by", ""), "note": note,
        "to_complete": fields["to_complete"] == "true" if "to_complete" in fields else not definition,
    }


def _add_planned(codebook: Codebook, planned: list[dict[str, Any]], file_name: str,
                 messages: list[str]) -> Codebook:
    """The planned codes added to a codebook that has codes; merged and retired ones get
    their status after all are in (they may point at a code added after them)."""
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
    return updated
