"""The pattern widget: fill a friction record step by step while reading the transcript.

A thin face over :class:`raakvlak.patterns.PatternSession`: pick a document and read
its turns; start a record (or pick one); for each step of the sequence write the step
in your own words and link the turn or the coded span it rests on; name the actors,
the codes and the agreements; group the record into a recurring pattern. Every click
that changes something is one event in ``coding/patterns/<coder>.jsonl``. Below, the
records are listed per document and per site.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import ipywidgets as widgets

from raakvlak.errors import RaakvlakError
from raakvlak.patterns.grouping import pattern_table, records_table
from raakvlak.patterns.records import FOLLOWED_UP, STEP_LABELS, STEPS, PatternRecord
from raakvlak.patterns.session import PatternSession
from raakvlak.project import Project

NO_RECORD = "(new record)"


def render_turns(turns, width: int = 220) -> str:
    """The turns of a transcript as compact HTML (turn number, speaker, role, text)."""
    rows = []
    for k, row in enumerate(turns.itertuples(), start=1):
        text = " ".join(str(row.text).split())
        text = text if len(text) <= width else text[: width - 1] + "…"
        who = f"{escape(str(row.speaker))} ({escape(str(row.role))})" if row.speaker else ""
        rows.append(f"<div style='margin:2px 0'><span style='color:#888'>{k}.</span> <b>{who}</b> "
                    f"{escape(text)}</div>")
    return ("<div style='max-height:320px;overflow-y:auto;border:1px solid #ddd;padding:4px'>"
            + "".join(rows) + "</div>")


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


class PatternWidget(widgets.VBox):
    """Fill pattern records of one coder while reading a transcript.

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder whose records are written.
    document_id : the document to open first (default: the first transcript).
    """

    def __init__(self, project: Project | str | Path, coder: str, document_id: str | None = None):
        self.session = PatternSession(project, coder)
        self.project = self.session.project
        documents = self.project.corpus.documents
        transcripts = documents[documents["kind"] == "transcript"]["document_id"].tolist()
        options = transcripts or documents["document_id"].tolist()
        self.document = widgets.Dropdown(options=options, value=document_id or options[0], description="Document")
        self.record = widgets.Dropdown(options=[(NO_RECORD, NO_RECORD)], description="Record")
        self.title = widgets.Text(description="Title", placeholder="a short name for the incident")
        self.transcript = widgets.HTML()
        self.texts = {step: widgets.Textarea(placeholder="in your own words", layout={"width": "60%"})
                      for step in STEPS}
        self.turn_of = {step: widgets.Dropdown(options=[], layout={"width": "18%"}) for step in STEPS}
        self.coding_of = {step: widgets.Dropdown(options=[], layout={"width": "18%"}) for step in STEPS}
        self.linked = {step: widgets.HTML() for step in STEPS}
        self.actors = widgets.SelectMultiple(options=[], description="Actors", rows=5)
        self.codes = widgets.Text(description="Codes", placeholder="barrier.privacy, gerdes.trust")
        self.agreement = widgets.Text(description="Agreement")
        self.by = widgets.Text(description="By")
        self.review = widgets.Text(description="Review", placeholder="YYYY-MM-DD")
        self.followed = widgets.Dropdown(options=list(FOLLOWED_UP), value="unknown", description="Followed up")
        self.pattern = widgets.Text(description="Pattern", placeholder="name of the recurring pattern")
        self.message = widgets.HTML()
        self.lists = widgets.HTML()
        self.save_button = widgets.Button(description="Save", button_style="primary")
        self.add_agreement_button = widgets.Button(description="Add agreement")
        self.group_button = widgets.Button(description="Group")
        self.save_button.on_click(lambda _: self.save())
        self.add_agreement_button.on_click(lambda _: self.add_agreement())
        self.group_button.on_click(lambda _: self.group())
        rows = []
        for step in STEPS:
            turn_button = widgets.Button(description="Link turn", layout={"width": "90px"})
            coding_button = widgets.Button(description="Link coding", layout={"width": "100px"})
            turn_button.on_click(lambda _, s=step: self.link_turn(s))
            coding_button.on_click(lambda _, s=step: self.link_coding(s))
            rows.append(widgets.HTML(f"<b>{escape(STEP_LABELS['en'][step])}</b>"))
            rows.append(widgets.HBox([self.texts[step], self.turn_of[step], turn_button,
                                      self.coding_of[step], coding_button]))
            rows.append(self.linked[step])
        self.document.observe(lambda change: self.open_document(change["new"]), names="value")
        self.record.observe(lambda change: self.open_record(change["new"]), names="value")
        super().__init__([
            widgets.HBox([self.document, self.record, self.title]), self.transcript, *rows,
            widgets.HBox([self.actors, self.codes]),
            widgets.HBox([self.agreement, self.by, self.review, self.followed, self.add_agreement_button]),
            widgets.HBox([self.pattern, self.group_button, self.save_button]), self.message, self.lists,
        ])
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
        """Show a document's turns, its codings and its records."""
        turns = self.session.turns(document_id)
        self._turns = turns
        self.transcript.value = render_turns(turns)
        turn_options = [("—", "")] + [(f"{k}. {row.speaker}: {' '.join(str(row.text).split())[:40]}", row.segment_id)
                                      for k, row in enumerate(turns.itertuples(), start=1)]
        codings = self.session.codings(document_id)
        coding_options = [("—", "")] + [(f"{row.code_id} ({row.coder}): {row.quote[:30]}", row.event_id)
                                        for row in codings.itertuples()]
        for step in STEPS:
            self.turn_of[step].options = turn_options
            self.coding_of[step].options = coding_options
        speakers = self.project.corpus.speakers
        self.actors.options = speakers[speakers["document_id"] == document_id]["speaker"].tolist()
        self._refresh_records(None)

    def _refresh_records(self, keep: str | None) -> None:
        mine = [r for r in self.session.records() if r.document_id == self.document.value]
        self.record.options = [(NO_RECORD, NO_RECORD)] + [(r.title or r.record_id[:8], r.record_id) for r in mine]
        self.record.value = keep if keep in {r.record_id for r in mine} else NO_RECORD
        self.open_record(self.record.value)
        self.lists.value = render_lists(self.session.records(all_coders=True))

    def open_record(self, record_id: str) -> None:
        """Fill the fields from a record (or empty them for a new one)."""
        record = None if record_id in (None, NO_RECORD) else self.session.record(record_id)
        self.title.value = record.title if record else ""
        for step in STEPS:
            self.texts[step].value = record.steps[step] if record else ""
            links = record.links_of(step) if record else ()
            self.linked[step].value = "".join(
                f"<div style='color:#555;font-size:90%'>↳ {escape(link.quote[:80] or link.coding[:8])}"
                f"{' (coding)' if link.coding else ''}</div>" for link in links)
        self.actors.value = tuple(a.speaker for a in record.actors if a.speaker in self.actors.options) if record else ()
        self.codes.value = ", ".join(record.codes) if record else ""
        self.pattern.value = record.pattern if record else ""

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

    def _current(self) -> PatternRecord | None:
        return self.session.record(self.record_id) if self.record_id else self.save()

    def link_turn(self, step: str) -> dict | None:
        """Link the turn chosen for ``step`` (saving a new record first)."""
        if not self.turn_of[step].value:
            self._say(f"choose a turn for {STEP_LABELS['en'][step]} first", error=True)
            return None
        record = self._current()
        if record is None:
            return None
        try:
            event = self.session.link_segment(record.record_id, step, self.turn_of[step].value)
        except RaakvlakError as exc:
            self._say(str(exc), error=True)
            return None
        self._refresh_records(record.record_id)
        self._say(f"linked a turn to {STEP_LABELS['en'][step]}")
        return event

    def link_coding(self, step: str) -> dict | None:
        """Link the coding chosen for ``step`` (any coder's; it survives re-anchoring)."""
        if not self.coding_of[step].value:
            self._say(f"choose a coding for {STEP_LABELS['en'][step]} first", error=True)
            return None
        record = self._current()
        if record is None:
            return None
        try:
            event = self.session.link_coding(record.record_id, step, self.coding_of[step].value)
        except RaakvlakError as exc:
            self._say(str(exc), error=True)
            return None
        self._refresh_records(record.record_id)
        self._say(f"linked a coding to {STEP_LABELS['en'][step]}")
        return event

    def add_agreement(self) -> dict | None:
        """Add the agreement in the fields to the record's follow-up."""
        record = self._current()
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
        record = self._current()
        if record is None:
            return None
        event = self.session.group([record.record_id], self.pattern.value)
        self._refresh_records(record.record_id)
        self._say(f"grouped into {self.pattern.value.strip()!r}" if self.pattern.value.strip() else "ungrouped")
        return event
