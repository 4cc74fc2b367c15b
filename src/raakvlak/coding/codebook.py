"""The codebook: hierarchical codes with stable ids, read from ``coding/codebook.yaml``.

The file format is fixed (see the comment block at the top of the example project's
``coding/codebook.yaml``); its content evolves. In short:

- ``codes:`` is a list of codes; a code's sub-codes are nested in its ``children:``
  list (the house style). A top-level code may instead name its parent with
  ``parent: <id>``; a nested code's parent is the code it is nested in.
- ``id`` is a stable, readable slug: dot-separated segments of ``a-z``, ``0-9``,
  ``_`` and ``-`` (``barrier.providers``, ``damour.governance.leadership``). The
  prefix shows where a code was born; an id never changes and is never reused, so a
  code that is merged or retired keeps its entry (and its id) in the file.
- ``status`` is ``a_priori`` (from a framework), ``emergent`` (found in the data),
  ``merged`` (folded into ``replaced_by``) or ``retired`` (no longer used; with
  ``replaced_by`` it was renamed). :meth:`Codebook.resolve` follows ``replaced_by``
  so codings made with an old id still count for the live code.

Reading is tolerant: :meth:`Codebook.read` returns every code it could read and a
list of :class:`Problem` objects naming the file, line and code at fault, so a
broken codebook never blocks reading the coding logs. :meth:`Codebook.load` is
strict: it raises :class:`~raakvlak.errors.CodebookError` when there is any problem.

Changes (:meth:`Codebook.add_code`, :meth:`Codebook.merge`, :meth:`Codebook.retire`)
return a new codebook; :meth:`Codebook.save` writes it atomically, keeping the
comments and layout of a hand-edited file (``ruamel.yaml`` round trip).

Examples
--------
>>> from pathlib import Path
>>> import raakvlak
>>> path = Path(raakvlak.__file__).parents[2] / "coding" / "codebook.yaml"
>>> book = Codebook.load(path)
>>> book["barrier.providers"].label_en
'Too many providers'
>>> book.path_labels("damour.governance.leadership", language="en")
("D'Amour: structuration of collaboration", 'Governance', 'Leadership')
"""

from __future__ import annotations

import copy
import difflib
import io
import re
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString
from ruamel.yaml.tokens import CommentToken

from raakvlak.errors import CodebookError
from raakvlak.files import atomic_write_text
from raakvlak.ids import LANGUAGES, free_name, slug

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

FRAME_COLUMNS = ["code_id", "parent_id", "depth", "path", "label_nl", "label_en", "colour",
                 "status", "live", "resolved_id", "replaced_by", "framework", "level",
                 "definition", "full_definition", "when_to_use", "when_not_to_use",
                 "examples", "to_complete", "note", "line"]


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, key order, quotes and block scalars
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap text a person wrapped; new text is folded below
    return yaml


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


def _folded(text: str, width: int = 80) -> str:
    """``text`` as it should be written: folded over several lines when it is long."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    folded = FoldedScalarString(text)
    positions, index = [], 0
    for part in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)[:-1]:
        index += len(part)
        positions.append(index)
        index += 1
    folded.fold_pos = positions
    return folded


def _last_slot(node: Any) -> tuple[list[Any], Any, int] | None:
    """The containers down the last branch of ``node`` and its last scalar's comment slot."""
    chain: list[Any] = []
    current = node
    while isinstance(current, CommentedMap | CommentedSeq) and len(current):
        chain.append(current)
        last = list(current)[-1] if isinstance(current, CommentedMap) else len(current) - 1
        child = current[last]
        if isinstance(child, CommentedMap | CommentedSeq) and len(child):
            current = child
            continue
        return chain, last, 2 if isinstance(current, CommentedMap) else 0
    return None


def _take_trailing_comments(node: Any) -> str:
    """Detach the whole-line comments after the last element of ``node``; return their text.

    ruamel.yaml attaches a comment on the lines after a block to that block's last
    scalar (or to the end of a container). Something appended to the block would then
    land below the comment, which belongs to whatever followed: so the comment is
    taken off here and put back after the new element with :func:`_put_trailing_comments`.
    """
    found = _last_slot(node)
    if found is None:
        return ""
    chain, last, slot = found
    parts: list[str] = []
    entry = chain[-1].ca.items.get(last)
    if entry and len(entry) > slot and entry[slot] is not None:
        token = entry[slot]
        head, newline, tail = token.value.partition("\n")
        if tail:
            token.value = head + newline
            parts.append(tail)
    for container in reversed(chain):
        for token in container.ca.end or []:
            indent = " " * (token.column or 0) if token.value.startswith("#") else ""
            parts.append(indent + token.value)
        if container.ca.end:
            container.ca.end = []
    return "".join(parts)


def _put_trailing_comments(node: Any, text: str) -> None:
    """Attach comment ``text`` (whole lines) after the last element of ``node``."""
    found = _last_slot(node) if text else None
    if found is None:
        return
    chain, last, slot = found
    entry = chain[-1].ca.items.setdefault(last, [None, None, None, None])
    if entry[slot] is None:
        entry[slot] = CommentToken("\n" + text, CommentMark(0), None)
    else:
        value = entry[slot].value
        entry[slot].value = value + ("" if value.endswith("\n") else "\n") + text


def _line(node: Any, key: Any = None) -> int | None:
    """1-based line of a mapping (or of one of its keys) in the source, if known."""
    try:
        if key is not None and isinstance(node, CommentedMap) and key in node:
            return node.lc.key(key)[0] + 1
        return node.lc.line + 1
    except (AttributeError, KeyError, TypeError):
        return None


def _item_line(seq: Any, index: int) -> int | None:
    try:
        return seq.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return None


class _Reader:
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
            self.problem(_line(data) or 1, None,
                         "the codebook must be a mapping with a 'codes:' list at the top")
            return
        for key in data:
            if key not in TOP_LEVEL_KEYS:
                self.problem(_line(data, key), None,
                             f"unknown top-level key {key!r} (known: {', '.join(TOP_LEVEL_KEYS)})")
        codes = data.get("codes")
        if codes is None:
            if "codes" not in data:
                self.problem(1, None, "no 'codes:' list; start the file with 'codes:'")
            return
        if not isinstance(codes, list):
            self.problem(_line(data, "codes"), None, "'codes:' must be a list of codes")
            return
        # The tree is walked with a stack, not recursion (depth costs no Python frames),
        # in file order: a code, then its children, then its next sibling.
        stack = [(codes, i, None, 0) for i in reversed(range(len(codes)))]
        while stack:
            items, index, parent, depth = stack.pop()
            item = items[index]
            if not isinstance(item, dict):
                self.problem(_item_line(items, index), None,
                             f"entry {index + 1} of the list is not a code (a mapping with "
                             f"'id:' and 'label:'), it is {type(item).__name__} {str(item)[:40]!r}")
                continue
            children = self.read_code(item, parent, nested=depth > 0)
            if children is None:
                continue
            kids, parent_id = children
            if depth + 1 >= MAX_DEPTH:
                self.problem(_line(item, "children"), parent_id,
                             f"codes nested more than {MAX_DEPTH} levels deep; raakvlak reads up to "
                             "that depth: move the deeper codes up")
                continue
            stack.extend((kids, k, parent_id, depth + 1) for k in reversed(range(len(kids))))

    def text(self, entry: dict, key: str, code_id: str | None) -> str:
        value = entry.get(key)
        if value is None:
            return ""
        if isinstance(value, dict | list):
            self.problem(_line(entry, key), code_id, f"{key} must be text, not a list or mapping")
            return ""
        return str(value).strip()

    def read_code(self, entry: dict, parent: str | None, nested: bool) -> tuple[list, str | None] | None:
        """Read one code; returns its ``children:`` list and the id they hang under, if any."""
        line = _line(entry)
        raw_id = entry.get("id")
        code_id = str(raw_id).strip() if raw_id is not None else ""
        ok_id = True
        if not code_id:
            self.problem(line, None, "a code without 'id:'; give it a stable slug such as "
                         "'barrier.providers'")
            ok_id = False
        elif not ID_PATTERN.match(code_id) or len(code_id) > MAX_ID_LENGTH:
            self.problem(_line(entry, "id"), code_id,
                         "id must be dot-separated lower-case slugs (a-z, 0-9, _ and -), "
                         f"at most {MAX_ID_LENGTH} characters")
            ok_id = False
        elif code_id in self.seen:
            self.problem(_line(entry, "id"), code_id,
                         f"duplicate id: already used at line {self.seen[code_id]}; ids are "
                         "never reused, give this code a new id")
            ok_id = False
        shown_id = code_id or None

        for key in entry:
            if key not in FIELDS:
                hint = difflib.get_close_matches(str(key), FIELDS, n=1)
                also = f"; did you mean {hint[0]!r}?" if hint else ""
                self.problem(_line(entry, key), shown_id, f"unknown field {key!r}{also}")

        # labels
        label = entry.get("label")
        labels = {"nl": "", "en": ""}
        if isinstance(label, dict):
            for language in LANGUAGES:
                value = label.get(language)
                labels[language] = "" if value is None else str(value).strip()
            for language in LANGUAGES:
                if not labels[language]:
                    self.problem(_line(label, language) or _line(entry, "label") or line,
                                 shown_id, f"empty label: label.{language} is missing or empty")
        else:
            self.problem(_line(entry, "label") or line, shown_id,
                         "empty label: give 'label:' with 'nl:' and 'en:' entries")

        # parent
        declared = entry.get("parent")
        own_parent = parent
        if declared is not None:
            declared = str(declared).strip()
            if nested and declared != parent:
                self.problem(_line(entry, "parent"), shown_id,
                             f"parent {declared!r} disagrees with the code it is nested in "
                             f"({parent!r}); remove 'parent:' from nested codes")
            elif not nested:
                own_parent = declared or None
                if shown_id and own_parent:
                    self.declared_parent_lines[code_id] = _line(entry, "parent")

        # colour
        colour = self.text(entry, "colour", shown_id)
        if colour and not COLOUR_PATTERN.match(colour):
            self.problem(_line(entry, "colour"), shown_id,
                         f"colour {colour!r} is not #rrggbb (e.g. '#1f77b4')")
            colour = ""

        # status and level
        status = self.text(entry, "status", shown_id) or "a_priori"
        if status not in STATUSES:
            self.problem(_line(entry, "status"), shown_id,
                         f"unknown status {status!r} (use one of {', '.join(STATUSES)})")
        level = self.text(entry, "level", shown_id)
        if level and level not in LEVELS:
            self.problem(_line(entry, "level"), shown_id,
                         f"unknown level {level!r} (use one of {', '.join(LEVELS)} or leave empty)")

        replaced_by = self.text(entry, "replaced_by", shown_id) or None
        if replaced_by and shown_id:
            self.replaced_by_lines[code_id] = _line(entry, "replaced_by")
        if status == "merged" and not replaced_by:
            self.problem(_line(entry, "status"), shown_id,
                         "a merged code needs 'replaced_by:' naming the code it was merged into")
        if replaced_by and status in LIVE_STATUSES:
            self.problem(_line(entry, "replaced_by"), shown_id,
                         f"a live ({status}) code cannot have replaced_by; set status to "
                         "merged or retired, or remove replaced_by")

        examples_raw = entry.get("examples")
        examples: tuple[str, ...] = ()
        if isinstance(examples_raw, list):
            if any(isinstance(e, dict | list) for e in examples_raw):
                self.problem(_line(entry, "examples"), shown_id, "examples must be a list of texts")
            examples = tuple(str(e).strip() for e in examples_raw
                             if e is not None and not isinstance(e, dict | list))
        elif isinstance(examples_raw, str):
            examples = (examples_raw.strip(),)
        elif examples_raw is not None:
            self.problem(_line(entry, "examples"), shown_id, "examples must be a list of texts")

        to_complete = entry.get("to_complete", False)
        if not isinstance(to_complete, bool):
            self.problem(_line(entry, "to_complete"), shown_id,
                         f"to_complete must be true or false, not {to_complete!r}")
            to_complete = False

        if ok_id:
            self.seen[code_id] = _line(entry, "id") or line or 0
            self.codes.append(Code(
                id=code_id, label_nl=labels["nl"], label_en=labels["en"], parent=own_parent,
                colour=colour, definition=self.text(entry, "definition", shown_id),
                full_definition=self.text(entry, "full_definition", shown_id),
                when_to_use=self.text(entry, "when_to_use", shown_id),
                when_not_to_use=self.text(entry, "when_not_to_use", shown_id),
                examples=examples, framework=self.text(entry, "framework", shown_id),
                level=level, status=status, replaced_by=replaced_by,
                to_complete=to_complete, note=self.text(entry, "note", shown_id),
                line=line or 0,
            ))

        children = entry.get("children")
        if children is None:
            return None
        if not isinstance(children, list):
            self.problem(_line(entry, "children"), shown_id, "children must be a list of codes")
            return None
        return children, code_id if ok_id else None

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


class Codebook:
    """The codes of a project, in file order, with their hierarchy and history.

    Build one with :meth:`load` (strict), :meth:`read` (tolerant) or
    :meth:`from_text`. A codebook is immutable: :meth:`add_code`, :meth:`merge` and
    :meth:`retire` return a new one, which :meth:`save` writes.

    Parameters
    ----------
    text : the YAML source.
    path : the file the text came from (used in messages and by :meth:`save`).

    Attributes
    ----------
    file : Path of the codebook file.
    text : the YAML source the codes were read from.
    codes : tuple of :class:`Code` in file order.
    problems : tuple of :class:`Problem` found while reading.

    Examples
    --------
    >>> book = Codebook.from_text('''
    ... codes:
    ...   - id: barrier
    ...     label: {nl: Knelpunten, en: Barriers}
    ...     colour: "#c0392b"
    ...     children:
    ...       - id: barrier.providers
    ...         label: {nl: Te veel aanbieders, en: Too many providers}
    ... ''', path="codebook.yaml")
    >>> [code.id for code in book]
    ['barrier', 'barrier.providers']
    >>> book["barrier.providers"].colour   # inherited from the parent
    '#c0392b'
    >>> book.validate()
    []
    """

    def __init__(self, text: str, path: str | Path = "coding/codebook.yaml"):
        self.file = Path(path)
        self.text = text
        reader = _Reader(str(path))
        self._tree: Any = None
        try:
            self._tree = _yaml().load(text)
        except MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else None
            what = exc.problem or exc.context or "syntax error"
            reader.problem(line, None, f"not valid YAML: {what}; fix the file in a text editor")
        except YAMLError as exc:
            reader.problem(None, None, f"not valid YAML: {exc}")
        except RecursionError:  # the YAML parser recurses per level of nesting
            reader.problem(None, None, f"nested too deeply to read (raakvlak reads codes up to "
                                       f"{MAX_DEPTH} levels deep); move the deepest codes up")
        else:
            reader.read_document(self._tree)
        self.codes: tuple[Code, ...] = tuple(reader.check_links())
        self.problems: tuple[Problem, ...] = tuple(
            sorted(reader.problems, key=lambda p: p.line or 0))
        self._by_id = {code.id: code for code in self.codes}
        self._children: dict[str | None, list[Code]] = {}
        for code in self.codes:
            parent = code.parent if code.parent in self._by_id else None
            self._children.setdefault(parent, []).append(code)

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_text(cls, text: str, path: str | Path = "coding/codebook.yaml") -> Codebook:
        """A codebook from YAML text; problems are kept in :attr:`problems`."""
        return cls(text, path)

    @classmethod
    def read(cls, path: str | Path) -> tuple[Codebook, list[Problem]]:
        """Read a codebook file tolerantly.

        Returns whatever codes could be read and the list of problems (file, line,
        code, message). A missing or unreadable file gives an empty codebook and one
        problem. This is what lets a broken codebook never block reading the logs.

        Examples
        --------
        >>> from pathlib import Path
        >>> import raakvlak
        >>> book, problems = Codebook.read(
        ...     Path(raakvlak.__file__).parents[2] / "coding" / "codebook.yaml")
        >>> problems
        []
        """
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls._unreadable(path, "codebook file not found; `raakvlak init` makes an empty one")
        except (OSError, UnicodeDecodeError) as exc:
            return cls._unreadable(path, f"cannot read the codebook ({exc})")
        book = cls(text, path)
        return book, list(book.problems)

    @classmethod
    def _unreadable(cls, path: Path, message: str) -> tuple[Codebook, list[Problem]]:
        """An empty codebook whose one problem says why the file could not be read."""
        book = cls("codes: []\n", path)
        book.problems = (Problem(str(path), None, None, message),)
        return book, list(book.problems)

    @classmethod
    def load(cls, path: str | Path) -> Codebook:
        """Read a codebook file strictly.

        Raises
        ------
        CodebookError
            When the file is missing, is not valid YAML, or has any other problem;
            the message names the file, the line and the code of each problem
            (its ``problems`` attribute holds the :class:`Problem` list).
        """
        book, problems = cls.read(path)
        if problems:
            raise _error(problems)
        return book

    def validate(self) -> list[Problem]:
        """The problems of this codebook, in line order (empty when it is valid)."""
        return list(self.problems)

    # ------------------------------------------------------------------ lookup
    def __repr__(self) -> str:
        return f"Codebook({str(self.file)!r}, {len(self)} codes)"

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code_id: object) -> bool:
        try:
            return code_id in self._by_id
        except TypeError:
            return False

    def __getitem__(self, code_id: str) -> Code:
        try:
            return self._by_id[code_id]
        except (KeyError, TypeError):
            raise CodebookError(self._unknown(code_id)) from None

    def _unknown(self, code_id: object) -> str:
        close = difflib.get_close_matches(str(code_id), list(self._by_id), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return f"{self.file}: no code {code_id!r} in the codebook{hint}"

    @property
    def title(self) -> str:
        """The codebook's ``title:`` (empty when the file has none)."""
        if isinstance(self._tree, dict) and self._tree.get("title") is not None:
            return str(self._tree["title"]).strip()
        return ""

    @property
    def ids(self) -> list[str]:
        """All code ids in file order (live, merged and retired)."""
        return [code.id for code in self.codes]

    def roots(self) -> tuple[Code, ...]:
        """The top-level codes (groups), in file order."""
        return tuple(self._children.get(None, ()))

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        """The direct children of a code in file order (``None``: the top-level codes)."""
        if code_id is None:
            return self.roots()
        self[code_id]
        return tuple(self._children.get(code_id, ()))

    def ancestors(self, code_id: str) -> tuple[Code, ...]:
        """The ancestors of a code, from the top-level code down to its parent."""
        chain: list[Code] = []
        seen = {code_id}
        parent = self[code_id].parent
        while parent is not None and parent in self._by_id and parent not in seen:
            seen.add(parent)
            chain.append(self._by_id[parent])
            parent = self._by_id[parent].parent
        return tuple(reversed(chain))

    def descendants(self, code_id: str) -> tuple[Code, ...]:
        """Every code below ``code_id``, depth first in file order."""
        self[code_id]
        found: list[Code] = []
        seen = {code_id}
        stack = list(reversed(self._children.get(code_id, ())))
        while stack:
            code = stack.pop()
            if code.id in seen:
                continue
            seen.add(code.id)
            found.append(code)
            stack.extend(reversed(self._children.get(code.id, ())))
        return tuple(found)

    def depth(self, code_id: str) -> int:
        """0 for a top-level code, 1 for its children, and so on."""
        return len(self.ancestors(code_id))

    def path_labels(self, code_id: str, language: str = "nl") -> tuple[str, ...]:
        """The labels from the top-level code down to ``code_id``."""
        return tuple(c.label(language) for c in (*self.ancestors(code_id), self[code_id]))

    def path(self, code_id: str, language: str = "nl", sep: str = " > ") -> str:
        """The labels from the top-level code down to ``code_id``, joined by ``sep``.

        Examples
        --------
        >>> from pathlib import Path
        >>> import raakvlak
        >>> book = Codebook.load(Path(raakvlak.__file__).parents[2] / "coding" / "codebook.yaml")
        >>> book.path("gerdes.proximity.spatial", language="en")
        'Gerdes: interdisciplinary collaboration > Proximity > Spatial proximity'
        """
        return sep.join(self.path_labels(code_id, language))

    def label(self, code_id: str, language: str = "nl") -> str:
        """The label of a code in ``language`` (``nl`` or ``en``)."""
        return self[code_id].label(language)

    def resolve(self, code_id: str) -> str:
        """The live code an id stands for, following ``replaced_by`` (merges, renames).

        Raises
        ------
        CodebookError
            For an unknown id, a chain that leads to an unknown id, or a cycle.

        Examples
        --------
        >>> from pathlib import Path
        >>> import raakvlak
        >>> book = Codebook.load(Path(raakvlak.__file__).parents[2] / "coding" / "codebook.yaml")
        >>> book.resolve("inductive.waiting_list")
        'barrier.beschikking'
        >>> book.resolve("barrier.providers")
        'barrier.providers'
        """
        chain = [code_id]
        code = self[code_id]
        while code.replaced_by is not None:
            target = code.replaced_by
            if target in chain:
                raise CodebookError(
                    f"{self.file}:{code.line}: code '{code.id}': cycle in replaced_by "
                    f"({' -> '.join([*chain, target])}); fix replaced_by in the codebook")
            if target not in self._by_id:
                raise CodebookError(
                    f"{self.file}:{code.line}: code '{code.id}': replaced_by names an unknown "
                    f"code {target!r}; fix replaced_by in the codebook")
            chain.append(target)
            code = self._by_id[target]
        return code.id

    # ------------------------------------------------------------------ tables
    def to_frame(self, language: str = "nl") -> pd.DataFrame:
        """One row per code in file order.

        Columns
        -------
        code_id, parent_id (empty for top level), depth (0 = top level), path (labels
        from the top, `` > ``-joined, in ``language``), label_nl, label_en, colour,
        status, live (bool), resolved_id (the live code after ``replaced_by``; empty
        when it cannot be resolved), replaced_by, framework, level, definition,
        full_definition, when_to_use, when_not_to_use, examples (newline-joined),
        to_complete (bool), note, line (1-based line in the file).

        Examples
        --------
        >>> from pathlib import Path
        >>> import raakvlak
        >>> book = Codebook.load(Path(raakvlak.__file__).parents[2] / "coding" / "codebook.yaml")
        >>> frame = book.to_frame()
        >>> frame.loc[frame.code_id == "barrier.regie", ["depth", "status"]].values.tolist()
        [[1, 'a_priori']]
        """
        rows = []
        for code in self.codes:
            try:
                resolved = self.resolve(code.id)
            except CodebookError:
                resolved = ""
            rows.append({
                "code_id": code.id,
                "parent_id": code.parent or "",
                "depth": self.depth(code.id),
                "path": self.path(code.id, language),
                "label_nl": code.label_nl,
                "label_en": code.label_en,
                "colour": code.colour,
                "status": code.status,
                "live": code.live,
                "resolved_id": resolved,
                "replaced_by": code.replaced_by or "",
                "framework": code.framework,
                "level": code.level,
                "definition": code.definition,
                "full_definition": code.full_definition,
                "when_to_use": code.when_to_use,
                "when_not_to_use": code.when_not_to_use,
                "examples": "\n".join(code.examples),
                "to_complete": code.to_complete,
                "note": code.note,
                "line": code.line,
            })
        frame = pd.DataFrame(rows, columns=FRAME_COLUMNS)
        return frame.astype({"depth": "int64", "line": "int64", "live": "bool",
                             "to_complete": "bool"})

    # ------------------------------------------------------------------ changes
    def new_id(self, label: str, parent: str | None = None) -> str:
        """A free id for a new code: the parent's id, a dot and a slug of ``label``.

        Ids of merged and retired codes count as taken: ids are never reused.

        Examples
        --------
        >>> book = Codebook.from_text("codes:\\n  - id: inductive\\n"
        ...     "    label: {nl: Inductief, en: Inductive}\\n")
        >>> book.new_id("Wéér een nieuwe hulpverlener", parent="inductive")
        'inductive.weer_een_nieuwe_hulpverlener'
        """
        base = slugify(label)
        if parent is not None:
            self[parent]
            base = f"{parent}.{base}"
        return free_name(base, self._by_id, joiner="_")

    def _editable_tree(self) -> Any:
        if self._tree is None or not isinstance(self._tree, dict):
            raise CodebookError(
                f"{self.file}: the codebook cannot be changed while it is not valid YAML "
                "with a 'codes:' list; fix the file first")
        tree = copy.deepcopy(self._tree)
        if tree.get("codes") is None:
            tree["codes"] = CommentedSeq()
        if not isinstance(tree["codes"], list):
            raise CodebookError(f"{self.file}: 'codes:' must be a list; fix the file first")
        return tree

    def _entry(self, tree: Any, code_id: str) -> CommentedMap:
        """The mapping of ``code_id`` in ``tree`` (first occurrence, file order)."""
        stack = list(reversed(tree["codes"]))
        while stack:
            entry = stack.pop()
            if not isinstance(entry, dict):
                continue
            if str(entry.get("id", "")).strip() == code_id:
                return entry
            children = entry.get("children")
            if isinstance(children, list):
                stack.extend(reversed(children))
        raise CodebookError(self._unknown(code_id))

    def _with_tree(self, tree: Any) -> Codebook:
        buffer = io.StringIO()
        _yaml().dump(tree, buffer)
        return Codebook(buffer.getvalue(), self.file)

    def add_code(
        self,
        label_nl: str,
        label_en: str | None = None,
        *,
        parent: str | None = None,
        code_id: str | None = None,
        colour: str | None = None,
        definition: str = "",
        full_definition: str = "",
        when_to_use: str = "",
        when_not_to_use: str = "",
        examples: Iterable[str] = (),
        framework: str = "",
        level: str = "",
        status: str = "emergent",
        to_complete: bool | None = None,
        note: str = "",
    ) -> Codebook:
        """A new codebook with one code appended under ``parent`` (or at the top level).

        Parameters
        ----------
        label_nl : Dutch label (for an in-vivo code: the participant's words).
        label_en : English label; defaults to ``label_nl``.
        parent : id of the parent code (e.g. ``"inductive"``), or None.
        code_id : the new id; default :meth:`new_id` of the label under the parent.
        colour : ``#rrggbb``; default: inherited from the parent.
        status : ``emergent`` (default) or ``a_priori``.
        to_complete : default True when no definition is given.
        definition, full_definition, when_to_use, when_not_to_use, examples,
        framework, level, note : see :class:`Code`; ``framework`` defaults to the
            parent's.

        Raises
        ------
        CodebookError
            For an unknown parent, a taken id (ids are never reused), an invalid id,
            colour, level or status, or an empty label.

        Examples
        --------
        >>> from pathlib import Path
        >>> import raakvlak
        >>> book = Codebook.load(Path(raakvlak.__file__).parents[2] / "coding" / "codebook.yaml")
        >>> new = book.add_code("dat mag ik niet zeggen", parent="inductive")
        >>> code = new["inductive.dat_mag_ik_niet_zeggen"]
        >>> code.status, code.to_complete, code.parent
        ('emergent', True, 'inductive')
        >>> "inductive.dat_mag_ik_niet_zeggen" in book   # the original is unchanged
        False
        """
        label_nl = (label_nl or "").strip()
        label_en = (label_en or "").strip() or label_nl
        if not label_nl:
            raise CodebookError(f"{self.file}: a new code needs a Dutch label (label_nl)")
        if parent is not None and parent not in self:
            raise CodebookError(self._unknown(parent) + " (asked as parent of a new code)")
        code_id = code_id or self.new_id(label_nl, parent)
        if code_id in self:
            raise CodebookError(
                f"{self.file}:{self[code_id].line}: code '{code_id}': id already taken "
                f"(status {self[code_id].status}); ids are never reused, choose another")
        if not ID_PATTERN.match(code_id) or len(code_id) > MAX_ID_LENGTH:
            raise CodebookError(f"{self.file}: new code id {code_id!r} is not a dotted "
                                "lower-case slug (a-z, 0-9, _ and -)")
        if colour is not None and not COLOUR_PATTERN.match(colour):
            raise CodebookError(f"{self.file}: colour {colour!r} for new code '{code_id}' "
                                "is not #rrggbb")
        if status not in LIVE_STATUSES:
            raise CodebookError(f"{self.file}: a new code must be {' or '.join(LIVE_STATUSES)}, "
                                f"not {status!r}; use merge() or retire() for the others")
        if level and level not in LEVELS:
            raise CodebookError(f"{self.file}: level {level!r} of new code '{code_id}' is not "
                                f"one of {', '.join(LEVELS)}")
        if to_complete is None:
            to_complete = not definition.strip()
        if not framework and parent is not None:
            framework = self[parent].framework
        examples = [e for e in examples if str(e).strip()]

        entry = CommentedMap()
        entry["id"] = code_id
        entry["label"] = CommentedMap([("nl", label_nl), ("en", label_en)])
        values = {
            "colour": colour, "status": status, "level": level, "framework": framework,
            "definition": definition, "full_definition": full_definition,
            "when_to_use": when_to_use, "when_not_to_use": when_not_to_use,
            "note": note,
        }
        for key in FIELDS:
            if key in values and values[key]:
                entry[key] = _folded(str(values[key]))
            elif key == "examples" and examples:
                entry["examples"] = CommentedSeq(_folded(str(e)) for e in examples)
            elif key == "to_complete" and to_complete:
                entry["to_complete"] = True

        tree = self._editable_tree()
        if parent is None:
            trailing = _take_trailing_comments(tree["codes"])
            tree["codes"].append(entry)
        else:
            parent_entry = self._entry(tree, parent)
            children = parent_entry.get("children")
            if isinstance(children, list):
                trailing = _take_trailing_comments(children)
                children.append(entry)
            else:
                trailing = _take_trailing_comments(parent_entry)
                parent_entry["children"] = CommentedSeq([entry])
        _put_trailing_comments(entry, trailing)
        return self._with_tree(tree)

    def _set_history(self, code_id: str, status: str, replaced_by: str | None) -> Codebook:
        tree = self._editable_tree()
        entry = self._entry(tree, code_id)
        trailing = _take_trailing_comments(entry)
        if "status" in entry:
            entry["status"] = status
        else:
            entry.insert(list(entry).index("label") + 1 if "label" in entry else 1,
                         "status", status)
        if replaced_by is None:
            entry.pop("replaced_by", None)
        elif "replaced_by" in entry:
            entry["replaced_by"] = replaced_by
        else:
            entry.insert(list(entry).index("status") + 1, "replaced_by", replaced_by)
        _put_trailing_comments(entry, trailing)
        return self._with_tree(tree)

    def merge(self, source_id: str, target_id: str) -> Codebook:
        """A new codebook in which ``source_id`` is merged into ``target_id``.

        The source keeps its entry and its id (status ``merged``, ``replaced_by``
        the target), so codings made with it resolve to the target. Its children
        stay where they are.

        Raises
        ------
        CodebookError
            For unknown ids, a source that is not live, or a target that is not live
            (merge into the code it lives on in: :meth:`resolve`).

        Examples
        --------
        >>> from pathlib import Path
        >>> import raakvlak
        >>> book = Codebook.load(Path(raakvlak.__file__).parents[2] / "coding" / "codebook.yaml")
        >>> merged = book.merge("inductive.thuiszitter", "barrier.job")
        >>> merged.resolve("inductive.thuiszitter")
        'barrier.job'
        """
        source, target = self[source_id], self[target_id]
        if source_id == target_id:
            raise CodebookError(f"{self.file}: cannot merge code '{source_id}' into itself")
        if not source.live:
            raise CodebookError(f"{self.file}:{source.line}: code '{source_id}' is already "
                                f"{source.status}; nothing to merge")
        if not target.live:
            raise CodebookError(
                f"{self.file}:{target.line}: code '{target_id}' is {target.status}; merge "
                f"into the code it lives on in ('{self.resolve(target_id)}') instead")
        return self._set_history(source_id, "merged", target_id)

    def retire(self, code_id: str, replaced_by: str | None = None) -> Codebook:
        """A new codebook in which ``code_id`` is retired (renamed when ``replaced_by``).

        The entry and its id stay in the file; give ``replaced_by`` when another
        (live) code takes over its meaning, as after a rename.
        """
        code = self[code_id]
        if not code.live:
            raise CodebookError(f"{self.file}:{code.line}: code '{code_id}' is already "
                                f"{code.status}")
        if replaced_by is not None:
            target = self[replaced_by]
            if replaced_by == code_id or not target.live:
                raise CodebookError(f"{self.file}: code '{code_id}' can only be replaced by "
                                    f"another live code, not '{replaced_by}'")
        return self._set_history(code_id, "retired", replaced_by)

    def save(self, path: str | Path | None = None) -> Path:
        """Write the codebook atomically to ``path`` (default: where it was read from).

        The text written is the round-tripped YAML, so comments and layout of a
        hand-edited file are kept. Returns the path written.
        """
        target = Path(path) if path is not None else self.file
        atomic_write_text(target, self.text)
        return target


def _error(problems: list[Problem]) -> CodebookError:
    shown = "; ".join(str(p) for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    error = CodebookError(f"the codebook has {count}: {shown}{more}")
    error.problems = list(problems)  # type: ignore[attr-defined]
    return error
