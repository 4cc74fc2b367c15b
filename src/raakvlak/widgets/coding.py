"""The coding widget: read a document, select words, apply codes.

:class:`CodingWidget` is a thin shell over :class:`~raakvlak.coding.session.CodingSession`.
The document pane (:class:`~raakvlak.widgets.pane.DocumentView`) is an anywidget: it
shows HTML made by :mod:`raakvlak.widgets.render` and sends what the researcher does as
small messages (``{"type": "code", "start": 3, "end": 9, "code_id": "barrier.regie"}``,
offsets in UTF-16 units as the browser counts them). :meth:`CodingWidget.handle`
passes each to its method in :class:`~raakvlak.widgets.coding_actions.CodingActions`,
which converts the offsets once (:mod:`raakvlak.widgets.offsets`) and lets the session
decide; the widget then shows the new state and tells the project's other open widgets
(:mod:`raakvlak.widgets.updates`). Document choice, comparison and memos are plain
ipywidgets.

Pictures are documents too: the document list holds the project's pictures
(``corpus/pictures.csv``) after the texts, and choosing one swaps the text pane for the
picture pane (:class:`~raakvlak.widgets.picture.PicturePane`, the one implementation of
region coding) bound to the same coder, log and code tree: drag a rectangle, click a
code (several codes per rectangle, overlapping rectangles, a memo per region), each
one ``region`` event in the coder's log. Choosing a text swaps back.

Messages the pane sends
-----------------------
``select`` (start, end, exact: the span a selection codes, snapped to whole words
unless exact) · ``code`` (start, end, code_id, exact) · ``code_segment`` (segment_id,
code_id: the *whole turn* button, then a code) · ``in_vivo`` (start, end, exact) ·
``create_code`` (name, and a selection or segment_id: Enter in the palette's search) ·
``uncode`` (event_id) · ``memo`` (event_id, text: a memo on a coding) · ``inspect``
(event_ids: a highlight or a margin bar clicked) · ``undo`` · ``redo`` · ``search``
(query) · ``next_uncoded`` (after, backwards) ·
``reload`` (the *Refresh* button).

Working as a team
-----------------
Several people code one project at the same time (on a JupyterHub, or through a shared
folder). Each writes only their own log; the codebook and the corpus may be changed by
anyone. The widget shows the team's changes without a new kernel: the palette follows
the codebook whenever it changed on disk, and :meth:`CodingWidget.reload` (*Refresh*)
reads the documents, the codebook, the list of coders and the compared coder's
codings again. On a hub, ``coder`` may be left out: the hub user's name is used
(:func:`raakvlak.hub.hub_coder`).
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from raakvlak.analysis.data import project_codings
from raakvlak.coding.session import CodingSession
from raakvlak.corpus.mediastore import MediaStore, picture_variables
from raakvlak.corpus.store import DESCRIPTIVE_COLUMNS, document_variables
from raakvlak.errors import CodingError, RaakvlakError
from raakvlak.project import Project
from raakvlak.widgets.coding_actions import CodingActions
from raakvlak.widgets.offsets import codepoints_to_utf16
from raakvlak.widgets.palette import render_palette
from raakvlak.widgets.pane import STATIC, DocumentView, pane_module
from raakvlak.widgets.picture import PicturePane
from raakvlak.widgets.render import document_view, render_document
from raakvlak.widgets.updates import announce, listen

__all__ = ["STATIC", "CodingWidget", "DocumentView", "pane_module"]

ALL = "(all)"
BLIND = "(blind: my codings only)"


class CodingWidget(CodingActions, widgets.VBox):
    """Code documents of ``project`` as ``coder`` in JupyterLab.

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder id (a slug); codings go to ``coding/logs/<coder>.jsonl``. None (the
        default): the JupyterHub user whose server this is (``JUPYTERHUB_USER``).
    blind : only this coder's codings are shown (default). Pass ``blind=False`` after
        the blind phase to compare with another coder side by side.
    level : the segments shown and counted as progress (``turn``).
    language : label language of the codes (default: the project's).
    document : the document to open first (default: the first of the corpus).
    new_coder : add ``coder`` to the project's coders in ``raakvlak.toml`` (a coder the
        project does not list is refused otherwise, so a typo cannot start a new log).
    margin : show the margin with a bar per coding beside the lines it covers.

    Examples
    --------
    >>> widget = CodingWidget(Project.find(EXAMPLE), "anna")  # in a notebook: end the cell with it
    >>> widget.document_id, widget.blind
    ('als-a-sessie-1', True)
    """

    def __init__(
        self,
        project: Project | str | Path,
        coder: str | None = None,
        *,
        blind: bool = True,
        level: str = "turn",
        language: str | None = None,
        document: str | None = None,
        new_coder: bool = False,
        margin: bool = True,
    ):
        if coder is None:
            from raakvlak.hub import hub_coder

            coder = hub_coder()
        self.session = CodingSession(project, coder, new_coder=new_coder)
        self.project = self.session.project
        self.coder = coder
        self.blind = blind
        self.level = level
        self.language = language or self.project.language
        self.document_id = ""
        self.other_coder = ""
        self.recent: list[str] = self.session.recent_codes()
        self._note = ""  # what the last action has to say besides "saved"
        self._codebook_shown: object = None  # the codebook the palette was made from
        self._actions = 0
        self._shown = 0  # codings shown in the open document
        self._segments: pd.DataFrame | None = None
        self._title = ""
        self._quiet = False  # set while the document list is rebuilt
        self._progress = (0, 0)
        self.is_picture = False  # the open document is a picture (the picture pane shows)
        self.picture: PicturePane | None = None  # made when a picture is first opened
        self._pictures = MediaStore(self.project.root).pictures()

        self.view = DocumentView(margin=margin)
        self.view.on_msg(self._on_message)

        table = self.project.corpus.documents
        variables = [c for c in DESCRIPTIVE_COLUMNS if c != "title"] + document_variables(table)
        variables += [c for c in picture_variables(self._pictures) if c not in variables]
        self.filter_variable = widgets.Dropdown(options=[ALL, *variables], value=ALL,
                                                description="Filter", layout={"width": "200px"})
        self.filter_value = widgets.Dropdown(options=[ALL], value=ALL, layout={"width": "160px"})
        self.filter_state = widgets.ToggleButtons(options=["all", "uncoded", "coded"], value="all",
                                                  style={"button_width": "84px"})
        self.documents = widgets.Dropdown(description="Document", layout={"width": "380px"})
        self.compare = widgets.Dropdown(description="Compare", options=[BLIND], value=BLIND,
                                        disabled=blind, layout={"width": "300px"},
                                        tooltip="blind phase: other coders are hidden" if blind else "")
        self.filter_variable.observe(self._variable_changed, "value")
        self.filter_value.observe(lambda _: self._list_documents(), "value")
        self.filter_state.observe(lambda _: self._list_documents(), "value")
        self.documents.observe(self._document_chosen, "value")
        self.compare.observe(self._compare_chosen, "value")

        chooser = widgets.HBox([self.filter_variable, self.filter_value, self.filter_state])
        picker = widgets.HBox([self.documents, self.compare])
        super().__init__(children=[chooser, picker, self.view, self._memo_box()])
        self.add_class("rv-coding-widget")

        self._refresh_palette()
        self._list_documents()
        self._list_coders()
        if document is not None:
            self.show(document)
        listen(self.project, "codebook", self.codebook_changed)
        listen(self.project, "codings", self.codings_changed)

    def _memo_box(self) -> widgets.VBox:
        """The memo controls below the pane: on the document or on a code."""
        self.memo_on = widgets.ToggleButtons(options=["document", "code"], value="document",
                                             description="Memo on", style={"button_width": "90px"})
        self.memo_code = widgets.Dropdown(layout={"width": "300px", "display": "none"})
        self.memo_text = widgets.Textarea(placeholder="Write a memo ...",
                                          layout={"width": "100%", "height": "70px"})
        self.memo_save = widgets.Button(description="Save memo", icon="save")
        self.memo_state = widgets.Label("")
        self.memo_on.observe(self._memo_target_changed, "value")
        self.memo_code.observe(lambda _: self._load_memo(), "value")
        self.memo_save.on_click(lambda _: self.save_memo())
        return widgets.VBox([widgets.HBox([self.memo_on, self.memo_code]), self.memo_text,
                             widgets.HBox([self.memo_save, self.memo_state])])

    def __repr__(self) -> str:
        return f"CodingWidget({self.project.name!r}, coder={self.coder!r}, document={self.document_id!r})"

    # ------------------------------------------------------------------ showing
    def show(self, document_id: str, at: int | None = None) -> None:
        """Open a document; with ``at`` (a code-point offset), scroll to the turn holding it.

        A picture document opens in the picture pane (``at`` does not apply).
        """
        if document_id in set(self._pictures["document_id"]):
            self._show_picture(document_id)
            return
        self.project.corpus.document(document_id)  # raises for an unknown document
        self.document_id = document_id
        self.is_picture = False
        self._segments = self.project.corpus.segments(level=self.level, documents=[document_id])
        self._title = self.project.corpus.document(document_id).get("title", "") or document_id
        self._opened(document_id)
        if at is not None:
            text = self.session.text(document_id)
            self.view.focus = {"offset": codepoints_to_utf16(text, at), "n": self._bump()}

    def _show_picture(self, document_id: str) -> None:
        """Open a picture document in the picture pane (made on first use)."""
        if self.picture is None:
            self.picture = PicturePane(self.project, self.coder, self.language,
                                       on_change=self._picture_changed)
            self.picture.set_codes(self.session.codebook)
            children = list(self.children)
            children.insert(children.index(self.view) + 1, self.picture.view)
            self.children = tuple(children)
        self.picture.show_picture(document_id)  # raises for an unknown picture
        self.document_id = document_id
        self.is_picture = True
        self._segments = None
        row = self._pictures[self._pictures["document_id"] == document_id].iloc[0]
        self._title = str(row.get("title", "")) or document_id
        self._opened(document_id)

    def _opened(self, document_id: str) -> None:
        """Show the pane of the open document's kind, keep it chosen in the list, load its memo."""
        self._swap_panes()
        options = list(self.documents.options)
        if document_id not in [value for _, value in options]:
            options.append((document_id, document_id))  # shown although the filter hides it
        self._set_documents(options)
        self.view.inspected = []
        self.refresh()
        self._load_memo()

    def _swap_panes(self) -> None:
        """The text pane for a text (or no document), the picture pane for a picture."""
        self.view.layout.display = "none" if self.is_picture else ""
        if self.picture is not None:
            self.picture.view.layout.display = "" if self.is_picture else "none"

    def _picture_progress(self, document_id: str) -> tuple[int, int]:
        """A picture is one segment: coded when this coder has a region on it."""
        regions = self.session.state.regions
        return int((regions["document_id"] == document_id).any()), 1

    def _picture_changed(self) -> None:
        """The picture pane wrote to the log: update the document list and the other widgets."""
        self._actions += 1
        self._progress = self._picture_progress(self.document_id)
        self._relabel()
        if self.session.codebook is not self._codebook_shown:
            self._refresh_palette()  # the codebook changed on disk: the pane's code tree follows
        announce(self.project, "codings", source=self)

    def compare_with(self, coder: str | None) -> None:
        """Show ``coder``'s codings beside this coder's (None: hide them again).

        Raises
        ------
        CodingError
            While the widget is blind (the default): make it with ``blind=False``.
        """
        if coder and self.blind:
            raise CodingError(
                "this coding widget is blind (only your own codings are shown); after the "
                "blind phase open it with CodingWidget(project, coder, blind=False)"
            )
        self.other_coder = coder or ""
        wanted = self.other_coder or BLIND
        if self.compare.value != wanted:
            if wanted not in self.compare.options:
                self.compare.options = [*self.compare.options, wanted]
            self.compare.value = wanted  # calls compare_with again, which finds nothing to do
        self.refresh()

    def view_model(self):
        """The :class:`~raakvlak.widgets.render.ViewModel` of what is shown now (a text)."""
        if self.is_picture:
            raise CodingError(f"{self.document_id!r} is a picture: it has no text view")
        text = self.session.text(self.document_id)
        if self._segments is None:  # the text of a document never changes while it is open
            self._segments = self.project.corpus.segments(level=self.level, documents=[self.document_id])
        other = None
        if self.other_coder and not self.blind:
            codings = self._other_codings()
            other = codings[codings["document_id"] == self.document_id]
        return document_view(
            text, self._segments, self.session.codings(self.document_id), self.session.codebook,
            document_id=self.document_id, title=self._title, language=self.language,
            coder=self.coder, other=other, other_coder=self.other_coder if other is not None else "",
        )

    def _other_codings(self) -> pd.DataFrame:
        """The compared coder's live codings (none yet: an empty table)."""
        try:
            return project_codings(self.project, [self.other_coder])
        except RaakvlakError:
            return self.session.codings().iloc[0:0]

    def refresh(self) -> None:
        """Re-read the log and show the current state of the open document."""
        if not self.document_id:
            self.view.html = '<p class="rv-empty">No documents in this project yet.</p>'
            return
        if self.is_picture and self.picture is not None:
            self._progress = self._picture_progress(self.document_id)
            self.picture.refresh(self.picture.view.status)
            return
        view = self.view_model()
        self._shown = len(view.marks)
        self._progress = view.progress
        self.view.html = render_document(view, margin=True)

    def codebook_changed(self) -> None:
        """Show a changed codebook (another widget changed it): palette, labels, colours;
        a recent code merged away is offered as the code it was merged into."""
        self.recent = self.session.recent_codes()
        self._refresh_palette()
        if self.document_id:
            self.refresh()

    def codings_changed(self) -> None:
        """Show codings written elsewhere in this kernel (another widget of this coder)."""
        self.recent = self.session.recent_codes()
        self._refresh_palette()
        if self.document_id:
            self.refresh()

    def _codebook_changed_here(self) -> None:
        announce(self.project, "codebook", source=self)

    def reload(self) -> None:
        """Show what the team changed since the widget was made, without a new kernel.

        Reads the documents (new imports; the values of a filter variable are read
        whenever it is chosen), the codebook (new codes in the palette), the coders with
        a log and the compared coder's codings again,
        then shows the open document as it is now (it stays open if it still exists).
        """
        self._codebook_shown = None  # the palette is made again even if nothing changed
        self._refresh_palette()
        self._list_coders()
        self._list_documents()  # re-reads documents.csv; opens another one if this one left
        if self.document_id:
            self.refresh()
        count, codes = len(self.documents.options), sum(1 for c in self.session.codebook if c.live)
        self.view.status = f"↻ refreshed {_now()} · {count} documents · {codes} codes"

    # ------------------------------------------------------------------ actions
    def handle(self, message: dict[str, Any]) -> None:
        """Carry out one message of the document pane (see the module docstring).

        A refused action (unknown code, empty selection, a coding made before ...) is
        shown as one line in the pane; nothing is written then.
        """
        kind = message.get("type")
        self._note = ""
        try:
            action = getattr(self, f"_do_{kind}", None) if isinstance(kind, str) else None
            if action is None:
                raise CodingError(f"unknown action {kind!r} from the coding pane")
            wrote = action(message)
        except (RaakvlakError, KeyError, TypeError, ValueError) as exc:
            self.view.error = f"Not saved: {exc}" if not isinstance(exc, KeyError) else (
                f"Not saved: the message lacks {exc}")
            self.view.status = f"error #{self._bump()}"
            return
        self.view.error = ""
        if wrote:
            self.recent = self.session.recent_codes()
            self.refresh()  # the new highlight first, then the rest
            self._saved()
            announce(self.project, "codings", source=self)
        elif self._note:
            self.view.status = ""
            self.view.status = self._note
        if self.session.codebook is not self._codebook_shown or self.view.recent != self.recent[:9]:
            self._refresh_palette()  # a new recent code, or a codebook changed on disk

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict):
            self.handle(content)

    # ------------------------------------------------------------------ side panels
    def save_memo(self) -> None:
        """Write the memo field as a memo on the open document or the chosen code."""
        on = self.memo_on.value
        target = self.document_id if on == "document" else self.memo_code.value
        try:
            if not target:
                raise CodingError("choose a code for the memo first")
            if on == "document" and self.is_picture and self.picture is not None:
                self.picture.session.memo_picture(target, self.memo_text.value)
            else:
                self.session.memo(on, target, self.memo_text.value)
        except RaakvlakError as exc:
            self.memo_state.value = f"Not saved: {exc}"
            return
        self.memo_state.value = f"memo on {on} {target} saved {_now()}"
        self._saved()
        announce(self.project, "codings", source=self)

    def _load_memo(self) -> None:
        on = self.memo_on.value
        target = self.document_id if on == "document" else (self.memo_code.value or "")
        memos = self.session.state.memos
        found = memos[(memos["on"] == on) & (memos["target"] == target)]
        self.memo_text.value = str(found["text"].iloc[-1]) if len(found) else ""
        self.memo_state.value = ""

    def _memo_target_changed(self, _change: Any) -> None:
        self.memo_code.layout.display = "" if self.memo_on.value == "code" else "none"
        self._load_memo()

    def _code_options(self) -> list[tuple[str, str]]:
        codebook = self.session.codebook
        return [(codebook.path(c.id, self.language), c.id) for c in codebook if c.live]

    def _refresh_palette(self) -> None:
        codebook = self.session.codebook
        self._codebook_shown = codebook
        self.view.palette = render_palette(codebook, self.language, tuple(self.recent))
        self.view.recent = list(self.recent[:9])
        if self.picture is not None:
            self.picture.set_codes(codebook)
        options = self._code_options()
        if list(self.memo_code.options) != options:
            self.memo_code.options = options

    def _saved(self) -> None:
        self._actions += 1
        count = self._shown
        path = self.session.log.path.relative_to(self.project.root)
        plural = "coding" if count == 1 else "codings"
        note = f"{self._note} · " if self._note else ""
        self.view.status = (f"✓ {note}saved {_now()} · {count} {plural} in this document · "
                            f"{path.as_posix()}")
        self._relabel()

    def _relabel(self) -> None:
        """The open document's progress in its label in the document list."""
        coded, total = self._progress
        label = _option(self.document_id, coded, total)
        options = [(label if value == self.document_id else old, value)
                   for old, value in self.documents.options]
        if options != list(self.documents.options):
            self._set_documents(options)

    def _bump(self) -> int:
        self._actions += 1
        return self._actions

    # ------------------------------------------------------------------ choosing documents
    def _variable_changed(self, _change: Any) -> None:
        variable = self.filter_variable.value
        if variable == ALL:
            self.filter_value.options = [ALL]
        else:
            values = set()
            for table in (self.project.corpus.documents, self._pictures):
                if variable in table.columns:
                    values |= set(table[variable])
            values = sorted(values - {""})
            self.filter_value.options = [ALL, *values]
        self.filter_value.value = ALL
        self._list_documents()

    def _list_documents(self) -> None:
        table = self.project.corpus.documents
        self._pictures = pictures = MediaStore(self.project.root).pictures()
        variable, value = self.filter_variable.value, self.filter_value.value
        if variable != ALL and value != ALL:
            table = table[table[variable] == value] if variable in table.columns else table.iloc[0:0]
            pictures = (pictures[pictures[variable] == value] if variable in pictures.columns
                        else pictures.iloc[0:0])
        progress = self.session.progress(self.level).set_index("document_id") if len(table) else None
        options = []
        for row in table.itertuples(index=False):
            coded, total = 0, 0
            if progress is not None and row.document_id in progress.index:
                coded = int(progress.loc[row.document_id, "coded"])
                total = int(progress.loc[row.document_id, "segments"])
            if self.filter_state.value == "uncoded" and coded:
                continue
            if self.filter_state.value == "coded" and not coded:
                continue
            options.append((_option(row.document_id, coded, total), row.document_id))
        for document_id in pictures["document_id"]:  # after the texts: a picture is one segment
            coded, total = self._picture_progress(document_id)
            if (self.filter_state.value, bool(coded)) in (("uncoded", True), ("coded", False)):
                continue
            options.append((_option(document_id, coded, total), document_id))
        self._set_documents(options)
        values = [v for _, v in options]
        if values and self.document_id not in values:
            self.show(values[0])
        elif not values:
            self.document_id = ""
            self.is_picture = False
            self._swap_panes()
            self.refresh()

    def _list_coders(self) -> None:
        logs = self.project.logs_dir
        found = {p.stem for p in logs.glob("*.jsonl")} if logs.is_dir() else set()
        others = sorted((found | set(self.project.settings.coders)) - {self.coder})
        if self.other_coder and self.other_coder not in others:
            others.append(self.other_coder)
        options = [BLIND, *others]
        if list(self.compare.options) == options:
            return
        self._quiet = True  # the compared coder stays chosen
        try:
            self.compare.options = options
            self.compare.value = self.other_coder or BLIND
        finally:
            self._quiet = False

    def _set_documents(self, options: list[tuple[str, str]]) -> None:
        """New options for the document list, keeping the open document chosen."""
        self._quiet = True
        try:
            self.documents.options = options
            if self.document_id in [value for _, value in options]:
                self.documents.value = self.document_id
        finally:
            self._quiet = False

    def _document_chosen(self, change: Any) -> None:
        if self._quiet:
            return
        if change["new"] and change["new"] != self.document_id:
            self.show(change["new"])

    def _compare_chosen(self, change: Any) -> None:
        if self._quiet or (change["new"] if change["new"] != BLIND else "") == self.other_coder:
            return
        try:
            self.compare_with(None if change["new"] == BLIND else change["new"])
        except RaakvlakError as exc:
            self.view.error = str(exc)
            with contextlib.suppress(traitlets.TraitError):
                self.compare.value = BLIND


def _option(document_id: str, coded: int, total: int) -> str:
    return f"{document_id} · {coded}/{total} coded"


def _now() -> str:
    return datetime.now().strftime("%H:%M:%S")
