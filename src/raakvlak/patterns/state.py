"""The current pattern records: every coder's pattern log folded, and what links resolve to.

The state is a fold over the events, as for codings (:mod:`raakvlak.coding.state`):
a record is created, its fields set, passages and codings linked and unlinked, records
grouped into patterns, withdrawn and restored. Links that point at coding events follow
those codings when they are re-anchored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from raakvlak.coding.log import LogProblem
from raakvlak.errors import RaakvlakError
from raakvlak.patterns.records import (
    LINK_COLUMNS,
    SPAN_FIELDS,
    STEPS,
    TEXT_FIELDS,
    Actor,
    Agreement,
    Link,
    PatternRecord,
    read_pattern_logs,
)
from raakvlak.project import Project


def _summary(event: Mapping[str, Any]) -> str:
    kind = event["kind"]
    if kind == "create":
        title = event.get("fields", {}).get("title", "")
        return f"created a record on {event['document_id']}" + (f": “{title}”" if title else "")
    if kind == "update":
        value = event["value"]
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        shown = shown.replace("\n", " ")
        return f"set {event['field']} to “{shown[:60]}{'…' if len(shown) > 60 else ''}”"
    if kind == "link":
        where = event["step"] or "record"
        if "coding" in event:
            return f"linked {where} to coding {event['coding']}"
        return (f"linked {where} to {event['document_id']} [{event['start']}:{event['end']}] "
                f"“{event['quote'][:40]}”")
    if kind == "unlink":
        return f"withdrew link {event['target']}"
    if kind == "group":
        verb = f"grouped into “{event['pattern']}”" if event["pattern"] else "took out of their pattern"
        return f"{verb}: {len(event['records'])} record(s)"
    return f"{'withdrew' if kind == 'withdraw' else 'restored'} the record"


def _fold(events: list[dict[str, Any]]) -> tuple[dict[str, PatternRecord], pd.DataFrame]:
    state: dict[str, dict[str, Any]] = {}
    links: dict[str, dict[str, Link]] = {}
    rows = []
    for event in events:
        kind, note = event["kind"], ""
        targets = [event["id"]] if kind == "create" else (
            event["records"] if kind == "group" else [event["record"]])
        if kind == "create":
            if event["id"] in state:
                note = "no effect: a record with this id exists"
            else:
                fields = dict.fromkeys(TEXT_FIELDS, "") | {"actors": [], "codes": [], "follow_up": []}
                fields.update(event.get("fields", {}))
                state[event["id"]] = {"record_id": event["id"], "coder": event["coder"],
                                      "document_id": event["document_id"], "fields": fields,
                                      "pattern": "", "withdrawn": False,
                                      "created": event["time"], "updated": event["time"]}
                links[event["id"]] = {}
        else:
            missing = [t for t in targets if t not in state]
            foreign = [t for t in targets if t in state and state[t]["coder"] != event["coder"]]
            if missing:
                note = f"no effect: no earlier record {missing[0]}"
            elif foreign:
                note = f"no effect: record {foreign[0]} belongs to {state[foreign[0]]['coder']}"
            elif kind == "update":
                state[targets[0]]["fields"][event["field"]] = event["value"]
            elif kind == "link":
                spans = {name: event[name] for name in SPAN_FIELDS if name in event}
                links[targets[0]][event["id"]] = Link(event["id"], event["step"], event.get("coding", ""),
                                                      **spans)
            elif kind == "unlink":
                if links[targets[0]].pop(event["target"], None) is None:
                    note = "no effect: no live link with this id on the record"
            elif kind == "group":
                for target in targets:
                    state[target]["pattern"] = event["pattern"].strip()
            else:
                state[targets[0]]["withdrawn"] = kind == "withdraw"
            if not note:
                for target in targets:
                    state[target]["updated"] = event["time"]
        summary = _summary(event) + (f" ({note})" if note else "")
        rows.append((event["time"], event["coder"], kind, ",".join(targets), summary, event["id"], bool(note)))
    records = {}
    for record_id, raw in state.items():
        f = raw["fields"]
        records[record_id] = PatternRecord(
            record_id=record_id, coder=raw["coder"], document_id=raw["document_id"],
            title=f["title"], setting=f["setting"], date=f["date"], site=f["site"], session=f["session"],
            actors=tuple(Actor(a["speaker"], a.get("role", "")) for a in f["actors"]),
            steps={step: f[step] for step in STEPS}, codes=tuple(f["codes"]),
            follow_up=tuple(Agreement(**item) for item in f["follow_up"]),
            links=tuple(links[record_id].values()), pattern=raw["pattern"], withdrawn=raw["withdrawn"],
            created=raw["created"], updated=raw["updated"], memo=f["memo"])
    history = pd.DataFrame(rows, columns=["time", "coder", "kind", "records", "summary", "event_id", "no_effect"])
    if len(history):
        history["time"] = pd.to_datetime(history["time"], format="ISO8601", utc=True)
        history = history.sort_values(["time", "coder"], kind="stable").reset_index(drop=True)
    return records, history


def fold_records(events: Iterable[dict[str, Any]]) -> dict[str, PatternRecord]:
    """Fold valid pattern events (each coder's in log order) into records by id.

    Withdrawn records are included (``withdrawn=True``). The input is not changed.
    """
    return _fold(list(events))[0]


@dataclass(frozen=True, eq=False)
class PatternState:
    """The pattern records of a project and the audit trail that led there.

    Attributes
    ----------
    records : dict of record id -> :class:`PatternRecord` (withdrawn ones too), in the
        order of the coders' logs.
    history : DataFrame, one row per event: ``time`` (UTC), ``coder``, ``kind``,
        ``records`` (comma-separated record ids), ``summary``, ``event_id``,
        ``no_effect`` (bool).
    problems : the skipped lines of the logs.
    """

    records: dict[str, PatternRecord]
    history: pd.DataFrame
    problems: list[LogProblem]

    def live(self) -> list[PatternRecord]:
        """The records that are not withdrawn, ordered by date, document, title, id."""
        kept = [r for r in self.records.values() if not r.withdrawn]
        return sorted(kept, key=lambda r: (r.date, r.document_id, r.title, r.record_id))


def patterns_dir(project: Project) -> Path:
    """``coding/patterns`` of the project."""
    return project.coding_dir / "patterns"


def load_records(project: Project | str | Path) -> PatternState:
    """Read every coder's pattern log of a project and fold them."""
    project = project if isinstance(project, Project) else Project(project)
    reads = read_pattern_logs(patterns_dir(project))
    events = [event for coder in sorted(reads) for event in reads[coder].events]
    problems = [p for coder in sorted(reads) for p in reads[coder].problems]
    records, history = _fold(events)
    return PatternState(records, history, problems)


def resolve_links(project: Project, records: Iterable[PatternRecord]) -> pd.DataFrame:
    """Where each link of the records points now.

    A link to a coding is looked up in the codings of all coders (so a re-anchored
    coding gives its new offsets; a withdrawn one gives status ``coding withdrawn``).
    A passage on a text that changed since is placed again with
    :func:`raakvlak.coding.reanchor.place` (status ``moved`` or ``orphaned``); nothing
    is written.

    Returns
    -------
    DataFrame with :data:`LINK_COLUMNS`; ``status`` is ``ok``, ``moved``,
    ``orphaned``, ``coding withdrawn`` or ``document missing``.
    """
    from raakvlak.coding.reanchor import place
    from raakvlak.corpus.canonical import fingerprint

    records = list(records)
    codings = None
    texts: dict[str, str | None] = {}

    def text_of(document_id: str) -> str | None:
        if document_id not in texts:
            try:
                texts[document_id] = project.corpus.text(document_id)
            except RaakvlakError:
                texts[document_id] = None
        return texts[document_id]

    rows = []
    for record in records:
        for link in record.links:
            base = [record.record_id, record.coder, link.link_id, link.step, link.coding]
            if link.coding:
                if codings is None:
                    state, _ = project.coding_state()
                    codings = state.codings.set_index("event_id")
                if link.coding in codings.index:
                    row = codings.loc[link.coding]
                    rows.append(base + [row["code_id"], row["coder"], row["document_id"], int(row["start"]),
                                        int(row["end"]), row["quote"], "ok"])
                else:
                    rows.append(base + ["", "", link.document_id, None, None, link.quote, "coding withdrawn"])
                continue
            text = text_of(link.document_id)
            common = base + ["", ""]
            if text is None:
                rows.append(common + [link.document_id, link.start, link.end, link.quote, "document missing"])
            elif fingerprint(text) == link.sha256:
                rows.append(common + [link.document_id, link.start, link.end, link.quote, "ok"])
            else:
                placed = place(text, link.start, link.end, link.quote, link.prefix, link.suffix)
                if placed.placed:
                    rows.append(common + [link.document_id, placed.start, placed.end, link.quote, "moved"])
                else:
                    rows.append(common + [link.document_id, link.start, link.end, link.quote, "orphaned"])
    table = pd.DataFrame(rows, columns=LINK_COLUMNS)
    table["start"] = table["start"].astype("Int64")
    table["end"] = table["end"].astype("Int64")
    return table
