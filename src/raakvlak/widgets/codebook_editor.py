"""The codebook editor: make and change codes in JupyterLab, without editing YAML.

A thin face over :class:`~raakvlak.coding.codebook_changes.CodebookChanges`: the pane
(an anywidget, ``static/codebook_editor.js``) shows the code tree and a form, and sends
what the researcher asks for; every change is checked, written to
``coding/codebook.yaml`` under the project lock with the file's comments kept, and
shown at once in the project's other open widgets (:mod:`raakvlak.widgets.updates`).

Messages the pane sends
-----------------------
``new`` (name, parent, colour, definition, when_to_use, when_not_to_use, example:
typing a name and pressing Enter is enough) · ``save`` (code_id and the form: labels,
parent, colour, definition, rules, example) · ``merge`` (code_id, into) · ``retire``
(code_id) · ``choose`` (code_id: show it in the form).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from raakvlak.analysis.code_tree import code_counts
from raakvlak.analysis.data import project_codings
from raakvlak.coding.codebook import Codebook
from raakvlak.coding.codebook_changes import CodebookChanges
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project
from raakvlak.widgets.pane import STATIC
from raakvlak.widgets.updates import announce, listen

FORM_FIELDS = ("definition", "when_to_use", "when_not_to_use")


def code_rows(codebook: Codebook, counts: dict[str, int] | None = None,
              language: str = "nl") -> list[dict[str, Any]]:
    """The codes as the editor's pane shows them, in file order (a tree by ``depth``).

    Examples
    --------
    >>> rows = code_rows(example_codebook(), language="en")
    >>> row = next(r for r in rows if r["id"] == "barrier.regie")
    >>> row["parent"], row["depth"], row["live"], row["label"]
    ('barrier', 1, True, 'Case coordination (regie) unclear')
    """
    counts = counts or {}
    rows = []
    for code in codebook:
        rows.append({
            "id": code.id, "label": code.label(language), "label_nl": code.label_nl,
            "label_en": code.label_en, "parent": code.parent or "", "depth": codebook.depth(code.id),
            "colour": code.colour, "status": code.status, "live": code.live,
            "replaced_by": code.replaced_by or "", "count": int(counts.get(code.id, 0)),
            "definition": code.definition, "when_to_use": code.when_to_use,
            "when_not_to_use": code.when_not_to_use,
            "example": code.examples[0] if code.examples else "", "note": code.note,
        })
    return rows


class CodebookEditor(anywidget.AnyWidget):
    """Make, rename, move, recolour, define, merge and retire codes of ``project``.

    Parameters
    ----------
    project : the project (or its folder).
    coder : who makes the changes (named in the history notes of renames, moves,
        merges and retirements), or a :class:`~raakvlak.widgets.coder.CoderChoice`
        (its coder once chosen).
    language : label language (default: the project's).

    Examples
    --------
    >>> editor = CodebookEditor(example_copy(), "anna")   # in a notebook: end the cell with it
    >>> editor.handle({"type": "new", "name": "Wachten op school", "parent": "barrier"})
    >>> editor.status.startswith("✓ new code 'Wachten op school' (barrier.wachten_op_school)")
    True
    """

    _esm = STATIC / "codebook_editor.js"
    _css = STATIC / "codebook_editor.css"

    codes = traitlets.List(traitlets.Dict()).tag(sync=True)
    chosen = traitlets.Unicode("").tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)

    def __init__(self, project: Project | str | Path, coder: Any = "", language: str | None = None):
        super().__init__()
        self.project = project if isinstance(project, Project) else Project(project)
        self.language = language or self.project.language
        self.coder = coder
        self.changes = CodebookChanges(self.project)
        self.on_msg(lambda _widget, content, _buffers: self.handle(content)
                    if isinstance(content, dict) else None)
        self.refresh()
        listen(self.project, "codebook", self.refresh)
        listen(self.project, "codings", self.refresh)

    def __repr__(self) -> str:
        return f"CodebookEditor({self.project.name!r})"

    def refresh(self) -> None:
        """Show the codebook as it is on disk, with the number of codings per code."""
        codebook = self.project.codebook
        try:
            codings = project_codings(self.project)
        except RaakvlakError:
            codings = None
        self.codes = code_rows(codebook, code_counts(codebook, codings), self.language)
        self.title = codebook.title
        if self.chosen and self.chosen not in codebook:
            self.chosen = ""

    def handle(self, message: dict[str, Any]) -> None:
        """Carry out one message of the pane (see the module docstring); a refused change
        is shown as one line and leaves the codebook as it was."""
        kind = message.get("type")
        action = getattr(self, f"_do_{kind}", None) if isinstance(kind, str) else None
        self.changes.coder = str(getattr(self.coder, "coder", self.coder) or "")
        try:
            if action is None:
                raise RaakvlakError(f"unknown action {kind!r} from the codebook editor")
            done = action(message)
        except (RaakvlakError, KeyError, TypeError, ValueError) as exc:
            self.error = f"Not changed: {exc}"
            return
        self.error = ""
        if done:
            self.status = f"✓ {done} · {datetime.now():%H:%M:%S} · {self.project.codebook_path.name}"
            self.refresh()
            announce(self.project, "codebook", source=self)

    # ------------------------------------------------------------------ messages
    def _do_choose(self, message: dict[str, Any]) -> str:
        self.chosen = str(message.get("code_id") or "")
        return ""

    def _do_new(self, message: dict[str, Any]) -> str:
        example = str(message.get("example", "")).strip()
        code = self.changes.new_code(
            str(message.get("name", "")), message.get("parent") or None,
            label_en=str(message.get("label_en") or "").strip() or None,
            colour=message.get("colour") or None, examples=[example] if example else (),
            **{field: str(message.get(field, "")) for field in FORM_FIELDS})
        return f"new code {code.label_nl!r} ({code.id})"

    def _do_save(self, message: dict[str, Any]) -> str:
        code_id = str(message["code_id"])
        example = str(message.get("example", "")).strip()
        old = self.project.codebook[code_id]
        examples = [example, *old.examples[1:]] if example else list(old.examples[1:])
        code = self.changes.update(
            code_id, label_nl=str(message.get("label_nl", "")),
            label_en=str(message.get("label_en", "")) or None,
            parent=(message.get("parent") or None) if "parent" in message else ...,
            colour=message.get("colour") or None,
            examples=examples, **{field: str(message.get(field, "")) for field in FORM_FIELDS})
        return f"{code.label_nl!r} ({code.id}) saved"

    def _do_merge(self, message: dict[str, Any]) -> str:
        code = self.changes.merge(str(message["code_id"]), str(message["into"]))
        self.chosen = code.replaced_by or ""
        return f"{code.id} merged into {code.replaced_by}; its codings count there"

    def _do_retire(self, message: dict[str, Any]) -> str:
        code = self.changes.retire(str(message["code_id"]))
        self.chosen = ""
        return f"{code.id} retired; its codings stay in the logs"
