"""Reading ``coding/codebook.yaml``: codes and every problem, with the line it is on.

The parsed YAML tree becomes :class:`Code` objects in one pass in file order; whatever
is wrong becomes a :class:`Problem` naming the file, the line and the code, and the
rest is still read (a broken codebook never blocks reading the coding logs). Checks
across codes (parents, ``replaced_by``, cycles) run when all codes are read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from typing import Any

from raakvlak.coding.codebook_file import item_line_of, line_of
from raakvlak.ids import LANGUAGES, slug

STATUSES = ("a_priori", "emergent", "merged", "retired")
"""The statuses of a code; only ``a_priori`` and ``emergent`` codes are live."""

LIVE_STATUSES = ("a_priori", "emergent")
LEVELS = ("micro", "meso", "macro")
"""Levels of a code (Rainbow Model: clinical, organisational/professional, system)."""

DEFAULT_COLOUR = "#7f7f7f"

FIELDS = ("id", "label", "parent", "colour", "status", "level", "framework", "definition",
          "full_definition", "when_to_use", "when_not_to_use", "examples", "replaced_by",
          "to_complete", "note", "children")
"""The keys a code may carry, in the order :meth:`Codebook.add_code` writes them."""

TOP_LEVEL_KEYS = ("version", "title", "codes")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
MAX_ID_LENGTH = 120
# how deep codes may be nested (real codebooks use a few levels; deeper trees come from
# broken or hostile files, and the YAML parser needs a Python frame per level)
MAX_DEPTH = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a codebook file.

    Attributes
    ----------
    file : the codebook file as it was given.
    line : 1-based line number, or None when the whole file is at fault.
    code_id : the code at fault, or None.
    message : what is wrong and, where it helps, what to do.
    """

    file: str
    line: int | None
    code_id: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        code = f" code '{self.code_id}':" if self.code_id else ""
        return f"{where}:{code} {self.message}"


@dataclass(frozen=True)
class Code:
    """One code of the codebook.

    Attributes
    ----------
    id : stable slug, never reused (``barrier.providers``).
    label_nl, label_en : Dutch and English labels.
    parent : id of the parent code, or None for a top-level code.
    colour : ``#rrggbb``; a code without a valid colour gets its parent's.
    definition : short definition (one or two sentences).
    full_definition : the longer definition, with its source where there is one.
    when_to_use, when_not_to_use : coding rules.
    examples : example quotes (invented in the example project).
    framework : the framework the code comes from (``Gerdes 2021``, ``inductive`` ...);
        a code without one gets its parent's.
    level : ``micro``, ``meso``, ``macro`` or empty.
    status : ``a_priori``, ``emergent``, ``merged`` or ``retired``.
    replaced_by : the code a merged or renamed code lives on in, or None.
    to_complete : the code's content is not final (e.g. a source we lack).
    note : free note for coders (why it is to complete, history ...).
    line : 1-based line where the code starts in the file (0 if unknown).
    """

    id: str
    label_nl: str
    label_en: str
    parent: str | None = None
    colour: str = DEFAULT_COLOUR
    definition: str = ""
    full_definition: str = ""
    when_to_use: str = ""
    when_not_to_use: str = ""
    examples: tuple[str, ...] = ()
    framework: str = ""
    level: str = ""
    status: str = "a_priori"
    replaced_by: str | None = None
    to_complete: bool = False
    note: str = ""
    line: int = 0

    @property
    def live(self) -> bool:
        """True for codes a coder may still apply (``a_priori`` or ``emergent``)."""
        return self.status in LIVE_STATUSES

    def label(self, language: str = "nl") -> str:
        """The label in ``language``, falling back to the other language when empty."""
        first, second = (self.label_en, self.label_nl) if language == "en" else (
            self.label_nl, self.label_en)
        return first or second or self.id


def slugify(text: str, max_length: int = 40) -> str:
    """A slug segment from free text: ASCII lower case, digits and ``_``.

    Examples
    --------
    >>> slugify("Wéér een nieuwe hulpverlener!")
    'weer_een_nieuwe_hulpverlener'
    """
    return slug(text, max_length, separator="_") or "code"


class Reader:
    """Turns the parsed YAML tree into codes and problems (one pass, file order)."""

    def __init__(self, file: str):
        self.file = file
        self.codes: list[Code] = []
        self.problems: list[Problem] = []
        self.seen: dict[str, int] = {}
        self.declared_parent_lines: dict[str, int | None] = {}
        self.replaced_by_lines: dict[str, int | None] = {}

    def problem(self, line: int | None, code_id: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, code_id, message))

    def read_document(self, data: Any) -> None:
        if data is None:
            return
        if not isinstance(data, dict):
            self.problem(line_of(data) or 1, None,
                         "the codebook must be a mapping with a 'codes:' list at the top")
            return
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.problem(line_of(data, key), None,
                             f"unknown top-level key {key!r} (known: {', '.join(TOP_LEVEL_KEYS)})")
        codes = data.get("codes")
        if codes is None:
            if "codes" not in data:
                self.problem(1, None, "no 'codes:' list; start the file with 'codes:'")
            return
        if not isinstance(codes, list):
            self.problem(line_of(data, "codes"), None, "'codes:' must be a list of codes")
            return
        # The tree is walked with a stack, not recursion (depth costs no Python frames),
        # in file order: a code, then its children, then its next sibling.
        stack = [(codes, i, None, 0) for i in reversed(range(len(codes)))]
        while stack:
            items, index, parent, depth = stack.pop()
            item = items[index]
            if not isinstance(item, dict):
                self.problem(item_line_of(items, index), None,
                             f"entry {index + 1} of the list is not a code (a mapping with "
                             f"'id:' and 'label:'), it is {type(item).__name__} {str(item)[:40]!r}")
                continue
            children = self.read_code(item, parent, nested=depth > 0)
            if children is None:
                continue
            kids, parent_id = children
            if depth + 1 >= MAX_DEPTH:
                self.problem(line_of(item, "children"), parent_id,
                             f"codes nested more than {MAX_DEPTH} levels deep; raakvlak reads up to "
                             "that depth: move the deeper codes up")
                continue
            stack.extend((kids, k, parent_id, depth + 1) for k in reversed(range(len(kids))))

    def text(self, entry: dict, key: str, code_id: str | None) -> str:
        value = entry.get(key)
        if value is None:
            return ""
        if isinstance(value, dict | list):
            self.problem(line_of(entry, key), code_id, f"{key} must be text, not a list or mapping")
            return ""
        return str(value).strip()

    def read_code(self, entry: dict, parent: str | None, nested: bool) -> tuple[list, str | None] | None:
        """Read one code; returns its ``children:`` list and the id they hang under, if any."""
        line = line_of(entry)
        code_id, ok_id = self._read_id(entry, line)
        shown_id = code_id or None
        for key in entry:
            if key not in FIELDS:
                hint = difflib.get_close_matches(str(key), FIELDS, n=1)
                also = f"; did you mean {hint[0]!r}?" if hint else ""
                self.problem(line_of(entry, key), shown_id, f"unknown field {key!r}{also}")
        labels = self._read_labels(entry, line, shown_id)
        own_parent = self._read_parent(entry, parent, nested, code_id, shown_id)
        colour = self.text(entry, "colour", shown_id)
        if colour and not COLOUR_PATTERN.match(colour):
            self.problem(line_of(entry, "colour"), shown_id, f"colour {colour!r} is not #rrggbb (e.g. '#1f77b4')")
            colour = ""
        status, level, replaced_by = self._read_status(entry, code_id, shown_id)
        to_complete = entry.get("to_complete", False)
        if not isinstance(to_complete, bool):
            self.problem(line_of(entry, "to_complete"), shown_id,
                         f"to_complete must be true or false, not {to_complete!r}")
            to_complete = False
        if ok_id:
            self.seen[code_id] = line_of(entry, "id") or line or 0
            self.codes.append(Code(
                id=code_id, label_nl=labels["nl"], label_en=labels["en"], parent=own_parent,
                colour=colour, definition=self.text(entry, "definition", shown_id),
                full_definition=self.text(entry, "full_definition", shown_id),
                when_to_use=self.text(entry, "when_to_use", shown_id),
                when_not_to_use=self.text(entry, "when_not_to_use", shown_id),
                examples=self._read_examples(entry, shown_id), framework=self.text(entry, "framework", shown_id),
                level=level, status=status, replaced_by=replaced_by,
                to_complete=to_complete, note=self.text(entry, "note", shown_id),
                line=line or 0,
            ))
        children = entry.get("children")
        if children is None:
            return None
        if not isinstance(children, list):
            self.problem(line_of(entry, "children"), shown_id, "children must be a list of codes")
            return None
        return children, code_id if ok_id else None

    def _read_id(self, entry: dict, line: int | None) -> tuple[str, bool]:
        """The code's id and whether it can be used (present, a dotted slug, not seen before)."""
        raw_id = entry.get("id")
        code_id = str(raw_id).strip() if raw_id is not None else ""
        if not code_id:
            self.problem(line, None, "a code without 'id:'; give it a stable slug such as "
                         "'barrier.providers'")
            return code_id, False
        if not ID_PATTERN.match(code_id) or len(code_id) > MAX_ID_LENGTH:
            self.problem(line_of(entry, "id"), code_id,
                         "id must be dot-separated lower-case slugs (a-z, 0-9, _ and -), "
                         f"at most {MAX_ID_LENGTH} characters")
            return code_id, False
        if code_id in self.seen:
            self.problem(line_of(entry, "id"), code_id,
                         f"duplicate id: already used at line {self.seen[code_id]}; ids are "
                         "never reused, give this code a new id")
            return code_id, False
        return code_id, True

    def _read_labels(self, entry: dict, line: int | None, shown_id: str | None) -> dict[str, str]:
        label = entry.get("label")
        labels = {"nl": "", "en": ""}
        if not isinstance(label, dict):
            self.problem(line_of(entry, "label") or line, shown_id,
                         "empty label: give 'label:' with 'nl:' and 'en:' entries")
            return labels
        for language in LANGUAGES:
            value = label.get(language)
            labels[language] = "" if value is None else str(value).strip()
        for language in LANGUAGES:
            if not labels[language]:
                self.problem(line_of(label, language) or line_of(entry, "label") or line,
                             shown_id, f"empty label: label.{language} is missing or empty")
        return labels

    def _read_parent(self, entry: dict, parent: str | None, nested: bool, code_id: str,
                     shown_id: str | None) -> str | None:
        """The code's parent: the code it is nested in, or a top-level code's ``parent:``."""
        declared = entry.get("parent")
        if declared is None:
            return parent
        declared = str(declared).strip()
        if nested:
            if declared != parent:
                self.problem(line_of(entry, "parent"), shown_id,
                             f"parent {declared!r} disagrees with the code it is nested in "
                             f"({parent!r}); remove 'parent:' from nested codes")
            return parent
        if shown_id and declared:
            self.declared_parent_lines[code_id] = line_of(entry, "parent")
        return declared or None

    def _read_status(self, entry: dict, code_id: str, shown_id: str | None) -> tuple[str, str, str | None]:
        """Status, level and ``replaced_by``, checked against each other."""
        status = self.text(entry, "status", shown_id) or "a_priori"
        if status not in STATUSES:
            self.problem(line_of(entry, "status"), shown_id,
                         f"unknown status {status!r} (use one of {', '.join(STATUSES)})")
        level = self.text(entry, "level", shown_id)
        if level and level not in LEVELS:
            self.problem(line_of(entry, "level"), shown_id,
                         f"unknown level {level!r} (use one of {', '.join(LEVELS)} or leave empty)")
        replaced_by = self.text(entry, "replaced_by", shown_id) or None
        if replaced_by and shown_id:
            self.replaced_by_lines[code_id] = line_of(entry, "replaced_by")
        if status == "merged" and not replaced_by:
            self.problem(line_of(entry, "status"), shown_id,
                         "a merged code needs 'replaced_by:' naming the code it was merged into")
        if replaced_by and status in LIVE_STATUSES:
            self.problem(line_of(entry, "replaced_by"), shown_id,
                         f"a live ({status}) code cannot have replaced_by; set status to "
                         "merged or retired, or remove replaced_by")
        return status, level, replaced_by

    def _read_examples(self, entry: dict, shown_id: str | None) -> tuple[str, ...]:
        examples = entry.get("examples")
        if isinstance(examples, str):
            return (examples.strip(),)
        if examples is None:
            return ()
        if not isinstance(examples, list) or any(isinstance(e, dict | list) for e in examples):
            self.problem(line_of(entry, "examples"), shown_id, "examples must be a list of texts")
        if not isinstance(examples, list):
            return ()
        return tuple(str(e).strip() for e in examples if e is not None and not isinstance(e, dict | list))

    def check_links(self) -> list[Code]:
        """Check parents and replaced_by across codes; fill missing colours and frameworks."""
        by_id = {code.id: code for code in self.codes}
        for code in self.codes:
            if code.parent is not None and code.parent not in by_id:
                self.problem(self.declared_parent_lines.get(code.id, code.line), code.id,
                             f"unknown parent {code.parent!r}")
            if code.replaced_by is not None and code.replaced_by not in by_id:
                self.problem(self.replaced_by_lines.get(code.id, code.line), code.id,
                             f"replaced_by names an unknown code {code.replaced_by!r}")
        self._check_cycles(by_id, "parent", "parent")
        self._check_cycles(by_id, "replaced_by", "replaced_by")
        # codes without a (valid) colour or a framework take their nearest ancestor's
        fixed: list[Code] = []
        done: dict[str, Code] = {}
        for code in self.codes:
            parent = done.get(code.parent) if code.parent else None
            changes = {}
            if not code.colour:
                changes["colour"] = parent.colour if parent else DEFAULT_COLOUR
            if not code.framework and parent is not None:
                changes["framework"] = parent.framework
            if changes:
                code = replace(code, **changes)
            done[code.id] = code
            fixed.append(code)
        return fixed

    def _check_cycles(self, by_id: dict[str, Code], attribute: str, name: str) -> None:
        reported: set[str] = set()
        for code in self.codes:
            chain = [code.id]
            current = getattr(code, attribute)
            while current is not None and current in by_id:
                if current in chain:
                    cycle = chain[chain.index(current):]
                    if not reported & set(cycle):
                        reported.update(cycle)
                        start = by_id[cycle[0]]
                        lines = self.declared_parent_lines if attribute == "parent" \
                            else self.replaced_by_lines
                        self.problem(lines.get(start.id, start.line), start.id,
                                     f"cycle in {name}: {' -> '.join([*cycle, cycle[0]])}")
                    break
                chain.append(current)
                current = getattr(by_id[current], attribute)
