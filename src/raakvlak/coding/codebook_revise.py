"""Revising codes in place: rename, move in the tree, recolour, define, note history.

An id never changes (a fixed decision): renaming a code changes its labels, moving it
changes its parent, and codings made with it keep counting for it. Like every change
of :mod:`raakvlak.coding.codebook_edit`, each revision returns a new codebook made from
an edited copy of the YAML tree, so comments and layout of a hand-edited file stay:
the comment lines above a moved code go with it, those below it stay where they were.

Examples
--------
>>> moved = example_codebook().move("inductive.thuiszitter", "barrier")
>>> moved["inductive.thuiszitter"].parent, moved.validate()
('barrier', [])
>>> moved.rename("inductive.thuiszitter", "Thuiszitters")["inductive.thuiszitter"].label_nl
'Thuiszitters'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from raakvlak.coding.codebook_file import (
    folded,
    put_trailing_comments,
    take_trailing_comments,
)
from raakvlak.coding.codebook_reader import COLOUR_PATTERN, FIELDS, LEVELS
from raakvlak.errors import CodebookError

if TYPE_CHECKING:
    from raakvlak.coding.codebook import Codebook

TEXT_FIELDS = ("definition", "full_definition", "when_to_use", "when_not_to_use", "note",
               "framework")
"""The free-text fields :meth:`CodebookRevisions.describe` sets."""


class CodebookRevisions:
    """The revisions a :class:`~raakvlak.coding.codebook.Codebook` can make of its codes."""

    def rename(self: Codebook, code_id: str, label_nl: str, label_en: str | None = None,
               note: str = "") -> Codebook:
        """A new codebook in which ``code_id`` has new labels (its id stays).

        ``label_en`` None keeps the English label; ``note`` is added to the code's note
        (the history of the change). Refused: an empty label, or the label of another
        live code under the same parent.

        Examples
        --------
        >>> book = example_codebook().rename("barrier.regie", "Regie bij niemand")
        >>> book["barrier.regie"].label("nl"), book["barrier.regie"].label("en")
        ('Regie bij niemand', 'Case coordination (regie) unclear')
        """
        code = self[code_id]
        label_nl = " ".join((label_nl or "").split())
        label_en = code.label_en if label_en is None else " ".join(label_en.split())
        if not label_nl or not label_en:
            raise CodebookError(f"{self.file}:{code.line}: code '{code_id}': a label cannot be empty")
        self.check_label_free(label_nl, code.parent, but=code_id)
        tree = self._editable_tree()
        entry = self._entry(tree, code_id)
        labels = entry.get("label")
        if isinstance(labels, CommentedMap):
            labels["nl"], labels["en"] = label_nl, label_en
            _set_fields(entry, {"note": _noted(entry, note)})
        else:
            _set_fields(entry, {"label": CommentedMap([("nl", label_nl), ("en", label_en)]),
                                "note": _noted(entry, note)})
        return self._with_tree(tree)

    def check_label_free(self: Codebook, label: str, parent: str | None, but: str | None = None) -> None:
        """Raise :class:`CodebookError` when a live code under ``parent`` (other than
        ``but``) already has ``label`` in either language (case ignored)."""
        wanted = label.casefold()
        for sibling in self.children(parent):
            if sibling.id != but and sibling.live and wanted in (
                    sibling.label_nl.casefold(), sibling.label_en.casefold()):
                where = f"under '{parent}'" if parent else "at the top level"
                raise CodebookError(
                    f"{self.file}:{sibling.line}: a code named {label!r} is already {where} "
                    f"('{sibling.id}'); use it, or choose another name")

    def recolour(self: Codebook, code_id: str, colour: str) -> Codebook:
        """A new codebook in which ``code_id`` has ``colour`` (``#rrggbb``).

        Examples
        --------
        >>> example_codebook().recolour("barrier.regie", "#123abc")["barrier.regie"].colour
        '#123abc'
        """
        code = self[code_id]
        if not isinstance(colour, str) or not COLOUR_PATTERN.match(colour):
            raise CodebookError(f"{self.file}:{code.line}: code '{code_id}': colour {colour!r} "
                                "is not #rrggbb (e.g. '#1f77b4')")
        tree = self._editable_tree()
        _set_fields(self._entry(tree, code_id), {"colour": DoubleQuotedScalarString(colour.lower())})
        return self._with_tree(tree)

    def describe(
        self: Codebook,
        code_id: str,
        *,
        examples: Iterable[str] | None = None,
        level: str | None = None,
        to_complete: bool | None = None,
        **texts: str,
    ) -> Codebook:
        """A new codebook in which ``code_id`` has the given definition, rules, examples ...

        Keyword arguments are the fields to set: ``definition``, ``full_definition``,
        ``when_to_use``, ``when_not_to_use``, ``note``, ``framework`` (text),
        ``examples`` (texts), ``level`` (``micro``, ``meso``, ``macro`` or empty) and
        ``to_complete``. An empty text removes the field; fields not given stay.

        Examples
        --------
        >>> book = example_codebook().describe("barrier.regie", when_not_to_use="Not for X.")
        >>> book["barrier.regie"].when_not_to_use
        'Not for X.'
        """
        code = self[code_id]
        unknown = sorted(set(texts) - set(TEXT_FIELDS))
        if unknown:
            raise CodebookError(f"cannot describe a code with {', '.join(unknown)}; "
                                f"known fields: {', '.join((*TEXT_FIELDS, 'examples', 'level'))}")
        if level and level not in LEVELS:
            raise CodebookError(f"{self.file}:{code.line}: code '{code_id}': level {level!r} is "
                                f"not one of {', '.join(LEVELS)}")
        values: dict[str, Any] = {k: folded(str(v)) if str(v).strip() else None for k, v in texts.items()}
        if examples is not None:
            kept = [folded(str(e)) for e in examples if str(e).strip()]
            values["examples"] = CommentedSeq(kept) if kept else None
        if level is not None:
            values["level"] = level or None
        if to_complete is not None:
            values["to_complete"] = True if to_complete else None
        tree = self._editable_tree()
        _set_fields(self._entry(tree, code_id), values)
        return self._with_tree(tree)

    def move(self: Codebook, code_id: str, parent: str | None, note: str = "") -> Codebook:
        """A new codebook in which ``code_id`` (with every code below it) hangs under
        ``parent`` (None: the top level), as its last child. Its id stays.

        Refused: a parent that is the code itself or below it, a merged or retired
        parent, or the parent it has already.
        """
        code = self[code_id]
        if parent is not None:
            target = self[parent]
            if parent == code_id or parent in {d.id for d in self.descendants(code_id)}:
                raise CodebookError(f"{self.file}:{code.line}: cannot move '{code_id}' under "
                                    f"'{parent}': that is the code itself or one of its sub-codes")
            if not target.live:
                raise CodebookError(f"{self.file}:{target.line}: cannot move '{code_id}' under "
                                    f"'{parent}', which is {target.status}; choose a live code")
        if code.parent == parent:
            where = f"under '{parent}'" if parent else "at the top level"
            raise CodebookError(f"code '{code_id}' is already {where}")
        tree = self._editable_tree()
        place = _place(tree, code_id)
        if place is None:
            raise CodebookError(self._unknown(code_id))
        seq, index, owner, key = place
        entry = seq[index]
        if key == "codes" and "parent" in entry:  # a flat top-level code: name the new parent
            _set_fields(entry, {"parent": parent, "note": _noted(entry, note)})
            return self._with_tree(tree)
        above = _detach(seq, index, owner, key)
        entry.pop("parent", None)
        _set_fields(entry, {"note": _noted(entry, note)})
        if parent is None:
            _append(tree, "codes", entry, _indented(above, 0))
        else:
            holder = _place(tree, parent)
            assert holder is not None  # a known code: its entry is in the tree
            _append(holder[0][holder[1]], "children", entry, _indented(above, _depth(tree, parent) + 1))
        return self._with_tree(tree)


# ---------------------------------------------------------------------- the YAML tree
def _noted(entry: CommentedMap, note: str) -> Any:
    """The entry's note with ``note`` added on a line of its own (None: no note at all)."""
    old = str(entry.get("note") or "").strip()
    if not note:
        return entry.get("note") if old else None
    return folded(f"{old} {note}" if old else note)


def _set_fields(entry: CommentedMap, values: dict[str, Any]) -> None:
    """Set (or with None remove) fields of a code's entry, new ones in :data:`FIELDS` order.

    The whole-line comments after the entry stay after it (they belong to what follows).
    """
    trailing = take_trailing_comments(entry)
    for key, value in values.items():
        if value is None:
            entry.pop(key, None)
        elif key in entry:
            entry[key] = value
        else:
            later = FIELDS[FIELDS.index(key) + 1:]
            position = next((i for i, k in enumerate(entry) if k in later), len(entry))
            entry.insert(position, key, value)
    put_trailing_comments(entry, trailing)


def _place(tree: Any, code_id: str) -> tuple[CommentedSeq, int, CommentedMap, str] | None:
    """The list holding ``code_id``'s entry, its index there, and the mapping and key that
    hold the list (the whole file and ``codes``, or the parent's entry and ``children``)."""
    stack: list[tuple[CommentedMap, str]] = [(tree, "codes")]
    while stack:
        owner, key = stack.pop()
        seq = owner[key]
        for index, entry in enumerate(seq):
            if not isinstance(entry, dict):
                continue
            if str(entry.get("id", "")).strip() == code_id:
                return seq, index, owner, key
            if isinstance(entry.get("children"), list):
                stack.append((entry, "children"))
    return None


def _depth(tree: Any, code_id: str) -> int:
    """How deep ``code_id``'s entry is nested in the file (0: in ``codes:``)."""
    depth, place = 0, _place(tree, code_id)
    while place is not None and place[3] == "children":
        depth += 1
        place = _place(tree, str(place[2]["id"]).strip())
    return depth


def _above(seq: CommentedSeq, index: int, owner: CommentedMap, key: str) -> list[CommentToken]:
    """Take the whole-line comments above entry ``index`` of ``seq`` off the tree.

    ruamel.yaml keeps the comments above a list's first entry with the key of the list,
    those above a later entry with the entry before it in the list."""
    if index == 0:
        slot = owner.ca.items.get(key)
        at = 3
    else:
        slot = seq.ca.items.get(index)
        at = 1
    if not slot or len(slot) <= at or not slot[at]:
        return []
    tokens = list(slot[at])
    slot[at] = None
    return tokens


def _put_above(seq: CommentedSeq, index: int, owner: CommentedMap, key: str,
               tokens: list[CommentToken]) -> None:
    if not tokens:
        return
    if index == 0:
        slot = owner.ca.items.setdefault(key, [None, None, None, None])
        slot[3] = [*tokens, *(slot[3] or [])]
    else:
        slot = seq.ca.items.setdefault(index, [None, None, None, None])
        slot[1] = [*tokens, *(slot[1] or [])]


def _detach(seq: CommentedSeq, index: int, owner: CommentedMap, key: str) -> list[CommentToken]:
    """Take entry ``index`` out of ``seq``; return the comment lines above it (its own).

    The comment lines below it belong to what follows, so they stay in that place: after
    the entry before it, above the entry after it, or after the list's owner."""
    # the comments after the list's last entry may be kept with the list itself
    trailing = take_trailing_comments(seq if index == len(seq) - 1 else seq[index])
    above = _above(seq, index, owner, key)
    below = _above(seq, index + 1, owner, key) if index + 1 < len(seq) else []
    seq.pop(index)
    items = dict(seq.ca.items)
    seq.ca.items.clear()
    seq.ca.items.update({k - 1 if k > index else k: v for k, v in items.items() if k != index})
    following = [*_tokens(trailing), *below]
    if len(seq) and index < len(seq):
        _put_above(seq, index, owner, key, following)
    elif len(seq):
        put_trailing_comments(seq[index - 1], trailing)
    else:
        if key == "children":
            owner.pop("children")
        put_trailing_comments(owner, trailing)
    return above


def _indented(tokens: list[CommentToken], depth: int) -> list[CommentToken]:
    """Comment lines written at the indentation of a list entry ``depth`` levels deep."""
    column = 2 + 4 * depth  # the file's layout: yaml_parser().indent(mapping=2, sequence=4, offset=2)
    return [CommentToken(t.value.lstrip(" "), CommentMark(column), None) for t in tokens]


def _tokens(text: str) -> list[CommentToken]:
    lines = [line for line in text.split("\n") if line.strip()]
    return [CommentToken(line.strip() + "\n", CommentMark(len(line) - len(line.lstrip())), None)
            for line in lines]


def _append(owner: CommentedMap, key: str, entry: CommentedMap, above: list[CommentToken]) -> None:
    """Append ``entry`` to the list ``owner[key]`` (made when missing), below the comments
    that trail the list's last entry, with the comment lines ``above`` it."""
    seq = owner.get(key)
    if not isinstance(seq, list):
        trailing = take_trailing_comments(owner)
        owner[key] = seq = CommentedSeq()
    else:
        trailing = take_trailing_comments(seq)
    seq.append(entry)
    _put_above(seq, len(seq) - 1, owner, key, above)
    put_trailing_comments(entry, trailing)
