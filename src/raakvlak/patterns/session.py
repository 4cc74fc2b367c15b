"""The pattern session: the logic behind the pattern widget, the CLI and the example.

A :class:`PatternSession` belongs to one coder. Every action is one event appended to
``coding/patterns/<coder>.jsonl`` before the call returns (see
:mod:`raakvlak.patterns.records`).

Examples
--------
>>> project = example_copy()          # a throw-away copy of the example project
>>> session = PatternSession(project, "demo")
>>> record = session.create("als-a-sessie-1", title="Mail zonder antwoord")
>>> record.setting, record.date, record.site
('actieleren', '2026-03-12', 'PO')
>>> text = session.text("als-a-sessie-1")
>>> start = text.index("Toen kreeg ik een automatisch antwoord.")
>>> _ = session.link_passage(record.record_id, "reaction", "als-a-sessie-1", start, start + 39)
>>> session.record(record.record_id).links[0].quote
'Toen kreeg ik een automatisch antwoord.'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from raakvlak.coding import events as ev
from raakvlak.ids import is_slug
from raakvlak.patterns.records import FIELDS, STEPS, PatternError, PatternLog, PatternRecord
from raakvlak.patterns.state import PatternState, load_records, patterns_dir, resolve_links
from raakvlak.project import Project

_DOCUMENT_FIELDS = ("setting", "date", "site", "session")


class PatternSession:
    """One coder's pattern records on a project.

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder id (a slug); the log is ``coding/patterns/<coder>.jsonl``.
    """

    def __init__(self, project: Project | str | Path, coder: str):
        self.project = project if isinstance(project, Project) else Project(project)
        if not isinstance(coder, str) or not is_slug(coder):
            raise PatternError(f"coder id {coder!r} must be a slug (a-z, 0-9, - and _), e.g. 'anna'")
        self.coder = coder
        self.log = PatternLog(patterns_dir(self.project) / f"{coder}.jsonl", coder)

    def __repr__(self) -> str:
        return f"PatternSession({self.project.name!r}, coder={self.coder!r})"

    # ------------------------------------------------------------------ reading
    def state(self) -> PatternState:
        """All coders' records and the audit trail (read from disk each time)."""
        return load_records(self.project)

    def records(self, all_coders: bool = False) -> list[PatternRecord]:
        """This coder's live records (or every coder's), by date, document and title."""
        live = self.state().live()
        return live if all_coders else [r for r in live if r.coder == self.coder]

    def record(self, record_id: str) -> PatternRecord:
        """One record (of any coder, withdrawn ones too); unknown ids raise PatternError."""
        records = self.state().records
        if record_id not in records:
            raise PatternError(f"no pattern record {record_id!r} in coding/patterns/; list them with records()")
        return records[record_id]

    def text(self, document_id: str) -> str:
        """The canonical text of a document."""
        return self.project.corpus.text(document_id)

    def turns(self, document_id: str) -> pd.DataFrame:
        """The speaker turns of a document (``segment_id, start, end, speaker, role, text``)."""
        segments = self.project.corpus.segments(level="turn", documents=[document_id])
        return segments[["segment_id", "start", "end", "speaker", "role", "text"]].reset_index(drop=True)

    def codings(self, document_id: str | None = None, coder: str | None = None) -> pd.DataFrame:
        """Live codings (all coders unless ``coder``) to link to, optionally of one document."""

        state, _ = self.project.coding_state()
        codings = state.codings
        if document_id is not None:
            codings = codings[codings["document_id"] == document_id]
        if coder is not None:
            codings = codings[codings["coder"] == coder]
        return codings.reset_index(drop=True)

    def links(self, record_ids: Iterable[str] | None = None) -> pd.DataFrame:
        """Where the links of the records (default: this coder's) point now; see resolve_links."""
        state = self.state()
        if record_ids is None:
            chosen = [r for r in state.live() if r.coder == self.coder]
        else:
            chosen = [self.record(record_id) for record_id in record_ids]
        return resolve_links(self.project, chosen)

    def history(self) -> pd.DataFrame:
        """The audit trail of every coder's pattern events."""
        return self.state().history

    # ------------------------------------------------------------------ writing
    def _own(self, record_id: str) -> PatternRecord:
        record = self.record(record_id)
        if record.coder != self.coder:
            raise PatternError(
                f"record {record_id} belongs to {record.coder!r}; {self.coder!r} cannot change it "
                "(make your own record, or work as that coder)")
        return record

    def create(self, document_id: str, title: str = "", **fields: Any) -> PatternRecord:
        """Start a record on a document; setting, date, site and session come from documents.csv.

        ``fields`` may set any of :data:`~raakvlak.patterns.records.FIELDS` at once.
        """
        if document_id not in self.project.corpus:
            raise PatternError(f"unknown document {document_id!r}; see corpus/documents.csv")
        row = self.project.corpus.document(document_id)
        initial: dict[str, Any] = {name: str(row.get(name, "") or "") for name in _DOCUMENT_FIELDS}
        if title:
            initial["title"] = title
        initial.update(_plain(fields))
        event = self.log.append({"kind": "create", "document_id": document_id, "fields": initial})
        return self.record(event["id"])

    def update(self, record_id: str, field: str, value: Any) -> dict[str, Any]:
        """Set one field of a record (a step's text, actors, codes, follow-up ...)."""
        self._own(record_id)
        if field not in FIELDS:
            raise PatternError(f"unknown field {field!r}; expected one of {', '.join(FIELDS)}")
        return self.log.append({"kind": "update", "record": record_id, "field": field,
                                "value": _plain({field: value})[field]})

    def write_step(self, record_id: str, step: str, text: str) -> dict[str, Any]:
        """Write one step of the sequence in your own words."""
        if step not in STEPS:
            raise PatternError(f"unknown step {step!r}; the steps are {', '.join(STEPS)}")
        return self.update(record_id, step, text)

    def set_actors(self, record_id: str, speakers: Iterable[str]) -> dict[str, Any]:
        """Name the actors by speaker; their roles come from corpus/speakers.csv."""
        record = self._own(record_id)
        table = self.project.corpus.speakers
        known = table[table["document_id"] == record.document_id]
        roles = dict(zip(known["speaker"], known["role"], strict=True))
        actors = []
        for speaker in speakers:
            if speaker not in roles:
                raise PatternError(f"speaker {speaker!r} is not in corpus/speakers.csv for "
                                   f"{record.document_id}; known: {', '.join(sorted(roles))}")
            actors.append({"speaker": speaker, "role": str(roles[speaker] or "")})
        return self.update(record_id, "actors", actors)

    def link_coding(self, record_id: str, step: str, coding_id: str) -> dict[str, Any]:
        """Link a step (``""``: the record) to a live coding of any coder by its event id."""
        self._own(record_id)
        _check_step(step)
        known = self.codings()
        hit = known[known["event_id"] == coding_id]
        if hit.empty:
            raise PatternError(f"no live coding with event id {coding_id!r} in coding/logs/; "
                               "pick one from codings()")
        return self.log.append({"kind": "link", "record": record_id, "step": step, "coding": coding_id,
                                "document_id": str(hit["document_id"].iloc[0]),
                                "quote": str(hit["quote"].iloc[0])})

    def link_passage(self, record_id: str, step: str, document_id: str, start: int, end: int) -> dict[str, Any]:
        """Link a step to a passage ``text[start:end]`` (code points on the canonical text)."""
        self._own(record_id)
        _check_step(step)
        text = self.text(document_id)
        start, end = int(start), int(end)
        if not 0 <= start < end <= len(text):
            raise PatternError(f"span [{start}:{end}] is not inside {document_id} (0..{len(text)})")
        base = ev.code_event(document_id, text, start, end, "-")
        passage = {name: base[name] for name in ("document_id", "start", "end", "quote", "prefix", "suffix",
                                                  "sha256")}
        return self.log.append({"kind": "link", "record": record_id, "step": step, **passage})

    def link_segment(self, record_id: str, step: str, segment_id: str) -> dict[str, Any]:
        """Link a step to a speaker turn of the record's document (see :meth:`turns`)."""
        record = self._own(record_id)
        turns = self.turns(record.document_id)
        hit = turns[turns["segment_id"] == segment_id]
        if hit.empty:
            raise PatternError(f"no turn {segment_id!r} in {record.document_id}; pick one from turns()")
        return self.link_passage(record_id, step, record.document_id, int(hit["start"].iloc[0]),
                                 int(hit["end"].iloc[0]))

    def unlink(self, record_id: str, link_id: str) -> dict[str, Any]:
        """Withdraw a link (its event stays in the log)."""
        record = self._own(record_id)
        if link_id not in {link.link_id for link in record.links}:
            raise PatternError(f"record {record_id} has no live link {link_id!r}")
        return self.log.append({"kind": "unlink", "record": record_id, "target": link_id})

    def group(self, record_ids: Iterable[str], pattern_name: str) -> dict[str, Any]:
        """Group records into a recurring pattern by hand (``""`` takes them out)."""
        record_ids = list(record_ids)
        if not record_ids:
            raise PatternError("group needs at least one record id")
        for record_id in record_ids:
            self._own(record_id)
        if not isinstance(pattern_name, str):
            raise PatternError("the pattern name must be text")
        return self.log.append({"kind": "group", "records": record_ids, "pattern": pattern_name.strip()})

    def withdraw(self, record_id: str) -> dict[str, Any]:
        """Withdraw a record (it stays in the log and the history; restore brings it back)."""
        self._own(record_id)
        return self.log.append({"kind": "withdraw", "record": record_id})

    def restore(self, record_id: str) -> dict[str, Any]:
        """Bring back a withdrawn record."""
        self._own(record_id)
        return self.log.append({"kind": "restore", "record": record_id})


def _check_step(step: str) -> None:
    if step != "" and step not in STEPS:
        raise PatternError(f"unknown step {step!r}; the steps are {', '.join(STEPS)} (or '' for the record)")


def _plain(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Field values as plain JSON data (dataclasses such as Actor and Agreement become objects)."""
    from dataclasses import asdict, is_dataclass

    out: dict[str, Any] = {}
    for name, value in fields.items():
        if isinstance(value, (list, tuple)):
            value = [asdict(v) if is_dataclass(v) else dict(v) if isinstance(v, Mapping) else v for v in value]
        out[name] = value
    return out
