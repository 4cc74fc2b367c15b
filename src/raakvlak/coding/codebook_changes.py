"""Changing a project's codebook: one checked change at a time, under the project lock.

:class:`CodebookChanges` is what every face calls to change ``coding/codebook.yaml``
(the codebook editor in JupyterLab, Enter in the coding palette): it takes the project
lock, reads the file as it is on disk *now* (someone else may have changed it), makes
the change, refuses it when the codebook would get a problem it did not have, and writes
the file atomically with its comments kept. A change of the hierarchy or the history
(rename, move, merge, retire) is also noted in the code's ``note`` with the date and the
coder, so the codebook says how it evolved (template analysis) without a new format.

Examples
--------
>>> project = example_copy()
>>> changes = CodebookChanges(project, "anna")
>>> code = changes.new_code("Wachtlijst school", parent="barrier", colour="#aa3300",
...                         definition="A pupil waits for a school place.")
>>> code.id, code.status, project.codebook[code.id].colour
('barrier.wachtlijst_school', 'emergent', '#aa3300')
>>> changes.rename(code.id, "Wachten op school").label_nl
'Wachten op school'
>>> changes.merge(code.id, "barrier.beschikking").replaced_by
'barrier.beschikking'
>>> project.codebook.resolve(code.id)
'barrier.beschikking'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path

from raakvlak.coding.codebook import Code, Codebook, Problem
from raakvlak.errors import CodebookError
from raakvlak.project import Project


def _key(problem: Problem) -> tuple[str | None, str]:
    return problem.code_id, problem.message


class CodebookChanges:
    """Changes to the codebook of ``project``, made by ``coder`` (named in history notes).

    Every method changes the file once and returns the changed :class:`Code`; a refused
    change raises :class:`~raakvlak.errors.CodebookError` and leaves the file as it was.
    ``wait``: seconds to wait for another writer's lock (default: the project's).
    """

    def __init__(self, project: Project | str | Path, coder: str = "", wait: float | None = None):
        self.project = project if isinstance(project, Project) else Project(project)
        self.coder = coder
        self.wait = wait

    def __repr__(self) -> str:
        return f"CodebookChanges({self.project.name!r}, coder={self.coder!r})"

    # ------------------------------------------------------------------ the one way to change
    def change(self, action: str, edit: Callable[[Codebook], Codebook]) -> Codebook:
        """Apply ``edit`` to the codebook on disk and save it, under the project lock.

        Raises
        ------
        CodebookError
            When ``edit`` refuses, or its result has problems the file did not have.
        """
        path = self.project.codebook_path
        with self.project.lock(f"codebook: {action}", wait=self.wait):
            before, problems = Codebook.read(path)
            if not path.exists():
                raise CodebookError(f"{path}: no codebook file; `raakvlak init` makes an empty one")
            after = edit(before)
            known = {_key(p) for p in problems}
            new = [p for p in after.problems if _key(p) not in known]
            if new:
                listed = "; ".join(str(p) for p in new[:3])
                raise CodebookError(f"{action} refused, the codebook would get a problem: {listed}")
            after.save(path)
        return after

    def _history(self, what: str) -> str:
        who = f" {self.coder}" if self.coder else ""
        return f"{date.today().isoformat()}{who}: {what}."

    # ------------------------------------------------------------------ changes
    def new_code(
        self,
        name: str,
        parent: str | None = None,
        *,
        label_en: str | None = None,
        colour: str | None = None,
        definition: str = "",
        when_to_use: str = "",
        when_not_to_use: str = "",
        examples: Iterable[str] = (),
        status: str = "emergent",
    ) -> Code:
        """A new code named ``name`` (both labels, unless ``label_en``) under ``parent``.

        Its id is made from the name under the parent's id (never one used before).
        Refused: an empty name, a name a live sibling has already, an unknown or retired
        parent, a colour that is not ``#rrggbb``.
        """
        name = " ".join((name or "").split())
        if not name:
            raise CodebookError("a new code needs a name")

        made: list[str] = []

        def edit(book: Codebook) -> Codebook:
            if parent is not None and parent in book and not book[parent].live:
                raise CodebookError(f"cannot add a code under '{parent}', which is "
                                    f"{book[parent].status}; choose a live code")
            book.check_label_free(name, parent)
            code_id = book.new_id(name, parent)
            made.append(code_id)
            return book.add_code(name, label_en or name, parent=parent, code_id=code_id,
                                 colour=colour or None, definition=definition,
                                 when_to_use=when_to_use, when_not_to_use=when_not_to_use,
                                 examples=examples, status=status)

        book = self.change(f"new code {name!r}", edit)
        return book[made[-1]]

    def rename(self, code_id: str, label_nl: str, label_en: str | None = None) -> Code:
        """New labels for ``code_id`` (its id stays); the old labels go into its note."""
        def edit(book: Codebook) -> Codebook:
            old = book[code_id]
            return book.rename(code_id, label_nl, label_en,
                               note=self._history(f"renamed from '{old.label_nl}' / '{old.label_en}'"))

        return self.change(f"rename {code_id}", edit)[code_id]

    def move(self, code_id: str, parent: str | None) -> Code:
        """Hang ``code_id`` (and what is below it) under ``parent`` (None: the top level)."""
        def edit(book: Codebook) -> Codebook:
            old = book[code_id].parent or "the top level"
            return book.move(code_id, parent, note=self._history(f"moved from {old}"))

        return self.change(f"move {code_id}", edit)[code_id]

    def recolour(self, code_id: str, colour: str) -> Code:
        """Give ``code_id`` the colour ``#rrggbb``."""
        return self.change(f"recolour {code_id}", lambda book: book.recolour(code_id, colour))[code_id]

    def describe(self, code_id: str, **fields: object) -> Code:
        """Set the definition, rules, examples ... of ``code_id`` (see :meth:`Codebook.describe`)."""
        return self.change(f"describe {code_id}", lambda book: book.describe(code_id, **fields))[code_id]

    def update(
        self,
        code_id: str,
        *,
        label_nl: str | None = None,
        label_en: str | None = None,
        parent: str | None | object = ...,
        colour: str | None = None,
        **fields: object,
    ) -> Code:
        """Several revisions of ``code_id`` as one change (what a *Save* in a form makes):
        new labels, another parent (``None``: the top level; leave out to keep it), a
        colour, and the fields of :meth:`Codebook.describe`. What equals the code's
        present value is left alone, so only real changes are noted."""
        def edit(book: Codebook) -> Codebook:
            code = book[code_id]
            if label_nl is not None and (label_nl.strip() != code.label_nl or (
                    label_en is not None and label_en.strip() != code.label_en)):
                book = book.rename(code_id, label_nl, label_en, note=self._history(
                    f"renamed from '{code.label_nl}' / '{code.label_en}'"))
            if parent is not ... and parent != code.parent:
                where = code.parent or "the top level"
                book = book.move(code_id, parent, note=self._history(f"moved from {where}"))  # type: ignore[arg-type]
            if colour and colour.lower() != code.colour.lower():
                book = book.recolour(code_id, colour)
            changed = {k: v for k, v in fields.items() if v != _present(code, k)}
            return book.describe(code_id, **changed) if changed else book

        return self.change(f"update {code_id}", edit)[code_id]

    def merge(self, code_id: str, into: str) -> Code:
        """Merge ``code_id`` into ``into``: its codings count for ``into`` (``replaced_by``)."""
        def edit(book: Codebook) -> Codebook:
            merged = book.merge(code_id, into)
            return merged.describe(code_id, note=_added(merged[code_id].note,
                                                        self._history(f"merged into {into}")))

        return self.change(f"merge {code_id}", edit)[code_id]

    def retire(self, code_id: str, replaced_by: str | None = None) -> Code:
        """Retire ``code_id`` (its codings stay; with ``replaced_by`` they count for that code)."""
        def edit(book: Codebook) -> Codebook:
            retired = book.retire(code_id, replaced_by)
            what = f"retired, replaced by {replaced_by}" if replaced_by else "retired"
            return retired.describe(code_id, note=_added(retired[code_id].note, self._history(what)))

        return self.change(f"retire {code_id}", edit)[code_id]


def _present(code: Code, field: str) -> object:
    """A code's present value of a :meth:`Codebook.describe` field, as the field is given."""
    value = getattr(code, field, None)
    return list(value) if field == "examples" else value


def _added(note: str, line: str) -> str:
    return f"{note} {line}" if note else line
