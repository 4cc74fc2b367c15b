"""Changing the codebook: new codes, merges, retirements, saving, comments kept.

Every change returns a new :class:`~raakvlak.coding.codebook.Codebook` built from an
edited copy of the YAML tree, so the file keeps the comments and layout a person gave
it; :meth:`CodebookEdits.save` writes it atomically. Ids are never reused: a merged or
retired code keeps its entry, with ``replaced_by``, so codings made with it resolve.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from raakvlak.coding.codebook_file import (
    folded,
    put_trailing_comments,
    take_trailing_comments,
    yaml_parser,
)
from raakvlak.coding.codebook_reader import (
    COLOUR_PATTERN,
    FIELDS,
    ID_PATTERN,
    LEVELS,
    LIVE_STATUSES,
    MAX_ID_LENGTH,
    slugify,
)
from raakvlak.errors import CodebookError
from raakvlak.files import atomic_write_text
from raakvlak.ids import free_name

if TYPE_CHECKING:
    from raakvlak.coding.codebook import Codebook


class CodebookEdits:
    """The changes a :class:`~raakvlak.coding.codebook.Codebook` can make of itself."""

    def new_id(self, label: str, parent: str | None = None) -> str:
        """A free id for a new code: the parent's id, a dot and a slug of ``label``.

        Ids of merged and retired codes count as taken: ids are never reused.

        Examples
        --------
        >>> from raakvlak.coding.codebook import Codebook
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
        yaml_parser().dump(tree, buffer)
        return type(self)(buffer.getvalue(), self.file)

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
        status : ``emergent`` (default) or ``a_priori``; to_complete: default True without a definition.
        definition, full_definition, when_to_use, when_not_to_use, examples, framework,
        level, note : see :class:`Code` (``framework`` defaults to the parent's).

        Raises
        ------
        CodebookError
            For an unknown parent, a taken id (ids are never reused), an invalid id,
            colour, level or status, or an empty label.

        Examples
        --------
        >>> book = example_codebook()
        >>> new = book.add_code("dat mag ik niet zeggen", parent="inductive")
        >>> new["inductive.dat_mag_ik_niet_zeggen"].status, book.ids == new.ids[:-1]
        ('emergent', True)
        """
        label_nl = (label_nl or "").strip()
        label_en = (label_en or "").strip() or label_nl
        if not label_nl:
            raise CodebookError(f"{self.file}: a new code needs a Dutch label (label_nl)")
        if parent is not None and parent not in self:
            raise CodebookError(self._unknown(parent) + " (asked as parent of a new code)")
        code_id = code_id or self.new_id(label_nl, parent)
        self._check_new(code_id, colour, status, level)
        if not framework and parent is not None:
            framework = self[parent].framework
        entry = _entry_of(code_id, label_nl, label_en, {
            "colour": colour, "status": status, "level": level, "framework": framework,
            "definition": definition, "full_definition": full_definition,
            "when_to_use": when_to_use, "when_not_to_use": when_not_to_use, "note": note,
            "examples": [e for e in examples if str(e).strip()],
            "to_complete": not definition.strip() if to_complete is None else to_complete,
        })
        tree = self._editable_tree()
        if parent is None:
            trailing = take_trailing_comments(tree["codes"])
            tree["codes"].append(entry)
        else:
            parent_entry = self._entry(tree, parent)
            children = parent_entry.get("children")
            if isinstance(children, list):
                trailing = take_trailing_comments(children)
                children.append(entry)
            else:
                trailing = take_trailing_comments(parent_entry)
                parent_entry["children"] = CommentedSeq([entry])
        put_trailing_comments(entry, trailing)
        return self._with_tree(tree)

    def _check_new(self, code_id: str, colour: str | None, status: str, level: str) -> None:
        """Raise :class:`CodebookError` unless a new code may have these values."""
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

    def _set_history(self, code_id: str, status: str, replaced_by: str | None) -> Codebook:
        tree = self._editable_tree()
        entry = self._entry(tree, code_id)
        trailing = take_trailing_comments(entry)
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
        put_trailing_comments(entry, trailing)
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
        >>> book = example_codebook()
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


def _entry_of(code_id: str, label_nl: str, label_en: str, values: dict[str, Any]) -> CommentedMap:
    """The YAML entry of a new code: its fields in the order of :data:`FIELDS`, empty
    ones left out, long texts folded."""
    entry = CommentedMap()
    entry["id"] = code_id
    entry["label"] = CommentedMap([("nl", label_nl), ("en", label_en)])
    for key in FIELDS:
        value = values.get(key)
        if not value:
            continue
        if key == "examples":
            entry["examples"] = CommentedSeq(folded(str(e)) for e in value)
        elif key == "to_complete":
            entry["to_complete"] = True
        else:
            entry[key] = folded(str(value))
    return entry
