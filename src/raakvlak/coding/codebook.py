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

Changes (:meth:`Codebook.add_code`, :meth:`Codebook.merge`, :meth:`Codebook.retire`,
:meth:`Codebook.rename`, :meth:`Codebook.move`, :meth:`Codebook.recolour`,
:meth:`Codebook.describe`) return a new codebook; :meth:`Codebook.save` writes it atomically, keeping the
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

import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from raakvlak.coding.codebook_edit import CodebookEdits
from raakvlak.coding.codebook_file import (
    yaml_parser,
)
from raakvlak.coding.codebook_reader import (  # noqa: F401 - the codebook's public names
    COLOUR_PATTERN,
    DEFAULT_COLOUR,
    FIELDS,
    ID_PATTERN,
    LEVELS,
    LIVE_STATUSES,
    MAX_DEPTH,
    MAX_ID_LENGTH,
    STATUSES,
    TOP_LEVEL_KEYS,
    Code,
    Problem,
    Reader,
    slugify,
)
from raakvlak.coding.codebook_revise import CodebookRevisions
from raakvlak.errors import CodebookError

FRAME_COLUMNS = ["code_id", "parent_id", "depth", "path", "label_nl", "label_en", "colour",
                 "status", "live", "resolved_id", "replaced_by", "framework", "level",
                 "definition", "full_definition", "when_to_use", "when_not_to_use",
                 "examples", "to_complete", "note", "line"]


class Codebook(CodebookEdits, CodebookRevisions):
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
        reader = Reader(str(path))
        self._tree: Any = None
        try:
            self._tree = yaml_parser().load(text)
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
        >>> book = example_codebook()
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
        >>> book = example_codebook()
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
        >>> book = example_codebook()
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
def _error(problems: list[Problem]) -> CodebookError:
    shown = "; ".join(str(p) for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    error = CodebookError(f"the codebook has {count}: {shown}{more}")
    error.problems = list(problems)  # type: ignore[attr-defined]
    return error
