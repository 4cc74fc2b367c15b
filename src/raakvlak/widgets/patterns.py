"""The pattern widget: fill a friction record step by step while reading the transcript.

A thin face over :class:`raakvlak.patterns.PatternSession`. On the left the transcript
(:class:`PassageView`, the same pane as the coding widget's, made by
:mod:`raakvlak.widgets.render`): select words with the mouse, or a whole turn with its
"select turn" button. On the right the steps of the sequence: write each step in your
own words and press "Link selection" to link the selected passage to it, or pick a
coding (of any coder) and press "Link coding". The passages the open record rests on
are marked in the transcript in the colour of their step (the ``pattern.<step>``
codes of the codebook) and listed under each step. Below: the actors, the codes, the
agreements and the recurring pattern the record belongs to, then the records per
site and document.

The pane sends its selection as UTF-16 offsets (what the browser counts); they are
converted to code points once, here, with :func:`~raakvlak.widgets.offsets.utf16_to_codepoints`.
Every click that changes something is one event in ``coding/patterns/<coder>.jsonl``.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

import anywidget
import ipywidgets as widgets
import pandas as pd
import traitlets

from raakvlak.errors import RaakvlakError
from raakvlak.patterns.grouping import pattern_table, records_table
from raakvlak.patterns.records import FOLLOWED_UP, STEP_LABELS, STEPS, PatternRecord
from raakvlak.patterns.session import PatternSession
from raakvlak.project import Project
from raakvlak.widgets.offsets import utf16_to_codepoints
from raakvlak.widgets.pane import STATIC, pane_module
from raakvlak.widgets.render import document_view, render_document

NO_RECORD = "(new record)"
HINT = ("Select words in the transcript (or a whole turn with its “select turn” button), "
        "then press “Link selection” at a step.")


def _short(text: str, width: int = 80) -> str:
    words = " ".join(text.split())
    return words if len(words) <= width else words[: width - 1] + "…"


def render_lists(records: list[PatternRecord]) -> str:
    """The records per site and document, and the patterns with their labels, as HTML."""
    table = records_table(records)
    parts = ["<b>Records per site and document</b><ul>"]
    for site, group in table.groupby("site", sort=True):
        items = "".join(
            f"<li>{escape(row.date)} {escape(row.document_id)}: {escape(row.title or '(untitled)')} "
            f"<i>[{escape(row.pattern or 'no pattern')}]</i> {row.steps_written}/8 steps, {row.links} links ({escape(row.coder)})</li>"
            for row in group.itertuples())
        parts.append(f"<li><b>{escape(site or '-')}</b><ul>{items}</ul></li>")
    parts.append("</ul><b>Recurring patterns</b><ul>")
    for row in pattern_table(records).itertuples():
        parts.append(f"<li>{escape(row.pattern)}: {row.occurrences}× ({escape(row.label)}) in "
                     f"{escape(', '.join(row.documents))}</li>")
    parts.append("</ul>")
    return "".join(parts)


def link_marks(links: pd.DataFrame, document_id: str) -> pd.DataFrame:
    """The links of records that can be shown on ``document_id``, as codings to mark.

    Parameters
    ----------
    links : links as :func:`~raakvlak.patterns.state.resolve_links` gives them.
    document_id : the document shown.

    Returns
    -------
    DataFrame with ``event_id`` (the link id), ``coder``, ``start``, ``end`` (code
    points on the current text) and ``code_id`` (``pattern.<step>``, or ``pattern``
    for a link of the whole record), as :func:`~raakvlak.widgets.render.document_view`
    takes them. Links that could not be placed on the current text are left out.
    """
    placed = links[(links["document_id"] == document_id) & links["status"].isin(["ok", "moved"])
                   & links["start"].notna() & links["end"].notna()]
    return pd.DataFrame({
        "event_id": placed["link_id"].astype(str).tolist(),
        "coder": placed["coder"].astype(str).tolist(),
        "start": placed["start"].astype(int).tolist(),
        "end": placed["end"].astype(int).tolist(),
        "code_id": [f"pattern.{step}" if step else "pattern" for step in placed["step"]],
    }, columns=["event_id", "coder", "start", "end", "code_id"])


class PassageView(anywidget.AnyWidget):
    """The transcript pane: shows the document and reports the selection (no logic of its own).

    ``html`` is made in Python (:func:`~raakvlak.widgets.render.render_document`);
    ``selection`` is set by the browser on every mouse-up in the pane:
    ``{"start": ..., "end": ..., "text": ...}`` in UTF-16 units, or ``{}`` when nothing
    is selected.
    """

    _esm = pane_module("passage.js")
    _css = STATIC / "coding.css"

    html = traitlets.Unicode("").tag(sync=True)
    selection = traitlets.Dict().tag(sync=True)


class PatternWidget(widgets.VBox):
    """Fill pattern records of one coder while reading a transcript.

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder whose records are written.
    document_id : the document to open first (default: the first transcript).
    language : label language of the step marks (default: the project's).

    Examples
    --------
    >>> widget = PatternWidget(example_copy(), "demo", document_id="als-a-sessie-1")
    >>> text = widget.session.text("als-a-sessie-1")
    >>> start = text.index("Toen kreeg ik een automatisch antwoord.")
    >>> widget.transcript.selection = {"start": start, "end": start + 39}  # no emoji: UTF-16 = code points
    >>> widget.link_selection("reaction")["quote"]
    'Toen kreeg ik een automatisch antwoord.'
    """

    def __init__(self, project: Project | str | Path, coder: str, document_id: str | None = None,
                 language: str | None = None):
        self.session = PatternSession(project, coder)
        self.project = self.session.project
        self.language = language or self.project.language
        self.codebook = self.project.codebook
        self._segments: pd.DataFrame | None = None
        self._refreshing = False  # the form is refilled after an action, not opened anew
        documents = self.project.corpus.documents
        transcripts = documents[documents["kind"] == "transcript"]["document_id"].tolist()
        options = transcripts or documents["document_id"].tolist()
        self.document = widgets.Dropdown(options=options, value=document_id or options[0], description="Document")
        self.record = widgets.Dropdown(options=[(NO_RECORD, NO_RECORD)], description="Record")
        self.title = widgets.Text(description="Title", placeholder="a short name for the incident")
        self.transcript = PassageView()
        self.selected = widgets.HTML()
        self.texts = {step: widgets.Textarea(placeholder="in your own words",
                                             layout={"width": "100%", "height": "48px"})
                      for step in STEPS}
        self.coding_of = {step: widgets.Dropdown(options=[], layout={"flex": "1 1 0px", "width": "auto", "min_width": "60px"})
                          for step in STEPS}
        self.linked = {step: widgets.HTML() for step in STEPS}
        self.actors = widgets.SelectMultiple(options=[], description="Actors", rows=5)
        self.codes = widgets.Text(description="Codes", placeholder="barrier.privacy, gerdes.trust")
        fit = {"description_width": "initial"}
        self.agreement = widgets.Text(description="Agreement", style=fit, layout={"flex": "2 1 auto"})
        self.by = widgets.Text(description="By", style=fit, layout={"flex": "1 1 auto", "width": "auto"})
        self.review = widgets.Text(description="Review", placeholder="YYYY-MM-DD", style=fit,
                                   layout={"width": "190px"})
        self.followed = widgets.Dropdown(options=list(FOLLOWED_UP), value="unknown", description="Followed up",
                                         style=fit, layout={"width": "190px"})
        self.pattern = widgets.Text(description="Pattern", placeholder="name of the recurring pattern")
        self.message = widgets.HTML()
        self.lists = widgets.HTML()
        self.save_button = widgets.Button(description="Save", button_style="primary")
        self.add_agreement_button = widgets.Button(description="Add agreement", layout={"flex": "0 0 auto"})
        self.group_button = widgets.Button(description="Group")
        self.save_button.on_click(lambda _: self.save())
        self.add_agreement_button.on_click(lambda _: self.add_agreement())
        self.group_button.on_click(lambda _: self.group())
        self.link_buttons: dict[str, widgets.Button] = {}
        rows = []
        for number, step in enumerate(STEPS, start=1):
            passage_button = widgets.Button(description="Link selection", icon="link",
                                            tooltip="link the passage selected in the transcript",
                                            layout={"width": "130px", "flex": "0 0 auto"})
            coding_button = widgets.Button(description="Link coding", layout={"width": "100px", "flex": "0 0 auto"})
            passage_button.on_click(lambda _, s=step: self.link_selection(s))
            coding_button.on_click(lambda _, s=step: self.link_coding(s))
            self.link_buttons[step] = passage_button
            rows.append(widgets.VBox([
                widgets.HTML(f"<b>{number}. {escape(STEP_LABELS['en'][step])}</b>"),
                self.texts[step],
                widgets.HBox([passage_button, self.coding_of[step], coding_button], layout={"width": "100%"}),
                self.linked[step],
            ], layout={"margin": "0 0 6px 0", "flex": "0 0 auto"}))
        steps = widgets.VBox(rows, layout={"max_height": "560px", "overflow": "auto", "padding": "0 4px"})
        self.transcript.layout = widgets.Layout(flex="1 1 58%", min_width="0", align_self="flex-start")
        form = widgets.VBox([self.selected, self.message, steps], layout={"flex": "1 1 42%", "min_width": "0"})
        self.document.observe(lambda change: self.open_document(change["new"]), names="value")
        self.record.observe(lambda change: self.open_record(change["new"]), names="value")
        self.transcript.observe(lambda _: self._show_selection(), names="selection")
        super().__init__([
            widgets.HBox([self.document, self.record, self.title]),
            widgets.HBox([self.transcript, form], layout={"width": "100%", "grid_gap": "8px"}),
            widgets.HBox([self.actors, self.codes]),
            widgets.HBox([self.agreement, self.by, self.review, self.followed, self.add_agreement_button]),
            widgets.HBox([self.pattern, self.group_button, self.save_button]), self.message, self.lists,
        ])
        self.add_class("rv-pattern-widget")
        self.open_document(self.document.value)

    # ------------------------------------------------------------------ showing
    @property
    def record_id(self) -> str | None:
        """The id of the record being filled (None before it is saved)."""
        return None if self.record.value == NO_RECORD else self.record.value

    def _say(self, text: str, error: bool = False) -> None:
        colour = "#b00020" if error else "#1b5e20"
        self.message.value = f"<span style='color:{colour}'>{escape(text)}</span>"

    def open_document(self, document_id: str) -> None:
        """Show a document in the transcript pane, its codings to link and its records."""
        self._segments = self.project.corpus.segments(level="turn", documents=[document_id])
        self.transcript.selection = {}
        codings = self.session.codings(document_id)
        coding_options = [("— coding —", "")] + [(f"{row.code_id} ({row.coder}): {row.quote[:30]}", row.event_id)
                                                 for row in codings.itertuples()]
        for step in STEPS:
            self.coding_of[step].options = coding_options
            self.coding_of[step].value = ""
        speakers = self.project.corpus.speakers
        self.actors.options = speakers[speakers["document_id"] == document_id]["speaker"].tolist()
        self._refresh_records(None)

    def _refresh_records(self, keep: str | None) -> None:
        mine = [r for r in self.session.records() if r.document_id == self.document.value]
        self._refreshing = keep is not None
        try:
            self.record.options = [(NO_RECORD, NO_RECORD)] + [(r.title or r.record_id[:8], r.record_id) for r in mine]
            self.record.value = keep if keep in {r.record_id for r in mine} else NO_RECORD
            self.open_record(self.record.value)
        finally:
            self._refreshing = False
        self.lists.value = render_lists(self.session.records(all_coders=True))

    def open_record(self, record_id: str) -> None:
        """Fill the fields from a record (or empty them for a new one) and mark its passages."""
        record = None if record_id in (None, NO_RECORD) else self.session.record(record_id)
        self.title.value = record.title if record else ""
        for step in STEPS:
            self.texts[step].value = record.steps[step] if record else ""
            links = record.links_of(step) if record else ()
            self.linked[step].value = "".join(
                f"<div style='color:#555;font-size:90%'>↳ {escape(_short(link.quote) or link.coding[:8])}"
                f"{' (coding)' if link.coding else ''}</div>" for link in links)
        self.actors.value = tuple(a.speaker for a in record.actors if a.speaker in self.actors.options) if record else ()
        self.codes.value = ", ".join(record.codes) if record else ""
        if not self._refreshing:  # after an action on this record: keep a pattern name being typed
            self.pattern.value = record.pattern if record else ""
        self._show_passages(record)
        self._show_selection()

    def _show_passages(self, record: PatternRecord | None) -> None:
        """The transcript with the record's linked passages marked (as the coding widget shows codings)."""
        document_id = self.document.value
        text = self.session.text(document_id)
        links = self.session.links([record.record_id]) if record else None
        marks = link_marks(links, document_id) if links is not None else None
        row = self.project.corpus.document(document_id)
        view = document_view(text, self._segments, marks, self.codebook, document_id=document_id,
                             title=str(row.get("title", "") or document_id), language=self.language,
                             coder=self.session.coder)
        count = len(view.marks)
        if record is None:
            note = "a new record: link passages to its steps"
        else:
            note = f"{count} passage{'' if count == 1 else 's'} linked to “{record.title or record.record_id[:8]}”"
        self.transcript.html = render_document(view, note=note)

    def selected_span(self) -> tuple[int, int] | None:
        """The passage selected in the transcript as code points ``(start, end)``, or None.

        Raises
        ------
        RaakvlakError
            When the browser's offsets do not fit the open document (e.g. half an emoji).
        """
        chosen = self.transcript.selection or {}
        if "start" not in chosen or "end" not in chosen:
            return None
        text = self.session.text(self.document.value)
        start, end = utf16_to_codepoints(text, chosen["start"]), utf16_to_codepoints(text, chosen["end"])
        return (start, end) if start < end else None

    def _show_selection(self) -> None:
        try:
            span = self.selected_span()
        except RaakvlakError as exc:
            self.selected.value = f"<span style='color:#b00020'>{escape(str(exc))}</span>"
            return
        if span is None:
            self.selected.value = f"<i style='color:#616161'>{escape(HINT)}</i>"
            return
        words = _short(self.session.text(self.document.value)[span[0]:span[1]], 120)
        self.selected.value = (f"<b>Selected:</b> <q><i>{escape(words)}</i></q> "
                               "<span style='color:#1976d2'>press “Link selection” at a step</span>")

    # ------------------------------------------------------------------ acting
    def save(self) -> PatternRecord | None:
        """Write what changed (title, step texts, actors, codes); a new record is created first."""
        try:
            if self.record_id is None:
                record = self.session.create(self.document.value, title=self.title.value.strip())
            else:
                record = self.session.record(self.record_id)
                if self.title.value.strip() != record.title:
                    self.session.update(record.record_id, "title", self.title.value.strip())
            for step in STEPS:
                if self.texts[step].value != record.steps[step]:
                    self.session.write_step(record.record_id, step, self.texts[step].value)
            if tuple(self.actors.value) != tuple(a.speaker for a in record.actors):
                self.session.set_actors(record.record_id, list(self.actors.value))
            codes = [c.strip() for c in self.codes.value.split(",") if c.strip()]
            if tuple(codes) != record.codes:
                self.session.update(record.record_id, "codes", codes)
        except RaakvlakError as exc:
            self._say(str(exc), error=True)
            return None
        self._refresh_records(record.record_id)
        self._say("saved")
        return self.session.record(record.record_id)

    def _link(self, step: str, what: str, link: Callable[[str], dict]) -> dict | None:
        """Save a new record first, call ``link(record_id)``, show the result."""
        record = self.save()  # what was typed, first (a new record is created)
        if record is None:
            return None
        try:
            event = link(record.record_id)
        except RaakvlakError as exc:
            self._say(str(exc), error=True)
            return None
        self._refresh_records(record.record_id)
        self._say(f"linked {what} to {STEP_LABELS['en'][step]}")
        return event

    def link_selection(self, step: str) -> dict | None:
        """Link the passage selected in the transcript to ``step`` (saving a new record first).

        Parameters
        ----------
        step : one of :data:`~raakvlak.patterns.records.STEPS`.

        Returns
        -------
        dict or None
            The ``link`` event written; None when nothing was selected or the link was
            refused (the reason is shown in :attr:`message`, nothing is written).
        """
        try:
            span = self.selected_span()
        except RaakvlakError as exc:
            self._say(f"not linked: {exc}", error=True)
            return None
        if span is None:
            self._say(f"select a passage in the transcript first (or a whole turn with “select turn”), "
                      f"then press “Link selection” at {STEP_LABELS['en'][step]}", error=True)
            return None
        document_id = self.document.value
        event = self._link(step, "the selected passage", lambda record_id: self.session.link_passage(
            record_id, step, document_id, span[0], span[1]))
        if event is not None:
            self.transcript.selection = {}
        return event

    def link_turn(self, step: str, segment_id: str) -> dict | None:
        """Link a whole turn of the open document to ``step`` (saving a new record first).

        The pane's "select turn" followed by "Link selection" does the same with the mouse.

        Parameters
        ----------
        step : one of :data:`~raakvlak.patterns.records.STEPS`.
        segment_id : a turn of the open document (see ``session.turns``).

        Returns
        -------
        dict or None
            The ``link`` event written, or None when refused (see :attr:`message`).
        """
        if not segment_id:
            self._say(f"choose a turn for {STEP_LABELS['en'][step]} first", error=True)
            return None
        return self._link(step, "a turn", lambda record_id: self.session.link_segment(record_id, step, segment_id))

    def link_coding(self, step: str) -> dict | None:
        """Link the coding chosen for ``step`` (any coder's; it survives re-anchoring).

        Returns
        -------
        dict or None
            The ``link`` event written, or None when no coding was chosen or the link
            was refused (see :attr:`message`).
        """
        coding_id = self.coding_of[step].value
        if not coding_id:
            self._say(f"choose a coding for {STEP_LABELS['en'][step]} first", error=True)
            return None
        return self._link(step, "a coding", lambda record_id: self.session.link_coding(record_id, step, coding_id))

    def add_agreement(self) -> dict | None:
        """Add the agreement in the fields to the record's follow-up."""
        record = self.save()  # what was typed, first (a new record is created)
        if record is None or not self.agreement.value.strip():
            self._say("write the agreement first", error=True)
            return None
        items = [vars(a).copy() for a in record.follow_up]
        items.append({"agreement": self.agreement.value.strip(), "by": self.by.value.strip(),
                      "review_date": self.review.value.strip(), "followed_up": self.followed.value})
        try:
            event = self.session.update(record.record_id, "follow_up", items)
        except RaakvlakError as exc:
            self._say(str(exc), error=True)
            return None
        self.agreement.value = self.by.value = self.review.value = ""
        self._refresh_records(record.record_id)
        self._say("agreement added")
        return event

    def group(self) -> dict | None:
        """Group the current record into the named pattern (empty name: take it out)."""
        name = self.pattern.value.strip()  # read before saving refills the form
        record = self.save()  # what was typed, first (a new record is created)
        if record is None:
            return None
        event = self.session.group([record.record_id], name)
        self._refresh_records(record.record_id)
        self._say(f"grouped into {name!r}" if name else "ungrouped")
        return event
