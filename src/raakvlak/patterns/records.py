"""Pattern records: one friction incident of an action-learning session, step by step.

An action-learning group follows each moment where collaboration chafes through a fixed
sequence (:data:`STEPS`): the moment, who does what, why, how the other interprets and
reacts, the outcome, the recurring pattern, the levers and the agreements made. A
:class:`PatternRecord` holds one such incident: the document it rests on, its setting and
date, the actors (pseudonymous speakers with roles), the researcher's text per step,
links to the coded spans and passages each step rests on, the framework codes involved,
the follow-up of the agreements, and the recurring pattern it was grouped into.

Storage (plain, diffable, append-only)
--------------------------------------
One JSON Lines file per coder, ``coding/patterns/<coder>.jsonl``, written with the
durability of the coding logs (:class:`PatternLog` reuses the locked, fsynced append
and the torn-line handling of :class:`raakvlak.coding.log.CodingLog`). Every line is one
event with the common fields of coding events (``v, id, coder, time, kind, origin``)
and the fields of its kind:

``create``
    ``document_id`` and ``fields`` (an object of initial field values, see
    :data:`FIELDS`). The record's id is the id of this event.
``update``
    ``record``, ``field``, ``value``: the field's new value (the latest wins).
``link``
    ``record``, ``step`` (a step, or ``""`` for the record as a whole) and either
    ``coding`` (the event id of a coding of any coder, with its ``document_id`` and
    ``quote`` when linked, for readers of the file) or a passage: ``document_id,
    start, end, quote, prefix, suffix, sha256`` (offsets in code points on the
    canonical text with that fingerprint).
``unlink``
    ``record``, ``target``: the id of the link event it withdraws.
``group``
    ``records`` (a list of record ids) and ``pattern`` (the name of the recurring
    pattern; ``""`` takes the records out of their pattern).
``withdraw`` / ``restore``
    ``record``: the record is withdrawn (kept in the log and the history) or back.

The state (:func:`fold_records`) is a fold over the events, so the log is the audit
trail. A record belongs to the coder who created it: events of other coders on it have
no effect (the history says so), as with coding logs. Links to codings survive
re-anchoring: they name the coding's event id, which a ``reanchor`` event keeps, and
:func:`resolve_links` looks up the coding's current place.

Examples
--------
>>> events = [
...     {"v": 1, "id": "00000000-0000-4000-8000-000000000001", "coder": "anna",
...      "time": "2026-05-01T10:00:00.000000Z", "kind": "create", "origin": "manual",
...      "document_id": "als-a-sessie-1", "fields": {"title": "Mail zonder antwoord"}},
...     {"v": 1, "id": "00000000-0000-4000-8000-000000000002", "coder": "anna",
...      "time": "2026-05-01T10:01:00.000000Z", "kind": "update", "origin": "manual",
...      "record": "00000000-0000-4000-8000-000000000001", "field": "moment",
...      "value": "De IB'er mailt de aanbieder en hoort drie weken niets."}]
>>> record = fold_records(events)["00000000-0000-4000-8000-000000000001"]
>>> record.title, record.steps["moment"][:14]
('Mail zonder antwoord', "De IB'er mailt")
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from raakvlak.coding import events as ev
from raakvlak.coding.log import CodingLog, LogProblem, LogRead, read_log, read_logs
from raakvlak.errors import RaakvlakError
from raakvlak.ids import is_slug
from raakvlak.project import Project

STEPS = ("moment", "action", "reason", "reaction", "outcome", "recurring", "lever", "agreement")
"""The fixed sequence of an action-learning analysis; ``pattern.<step>`` is its code."""

STEP_LABELS = {
    "nl": {"moment": "Moment", "action": "Wie doet wat", "reason": "Waarom",
           "reaction": "Hoe de ander het opvat en reageert", "outcome": "Uitkomst",
           "recurring": "Het terugkerende patroon", "lever": "Hefbomen",
           "agreement": "Gemaakte afspraken"},
    "en": {"moment": "Moment", "action": "Who does what", "reason": "Why",
           "reaction": "How the other interprets and reacts", "outcome": "Outcome",
           "recurring": "The recurring pattern", "lever": "Levers",
           "agreement": "Agreements made"},
}
FOLLOWED_UP = ("yes", "no", "unknown")
TEXT_FIELDS = ("title", "setting", "date", "site", "session", "memo") + STEPS
LIST_FIELDS = ("actors", "codes", "follow_up")
FIELDS = TEXT_FIELDS + LIST_FIELDS
"""Fields of a record that ``create`` and ``update`` events set."""

KINDS = ("create", "update", "link", "unlink", "group", "withdraw", "restore")
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "create": ev.COMMON + ("document_id", "fields"),
    "update": ev.COMMON + ("record", "field", "value"),
    "link": ev.COMMON + ("record", "step", "coding", "document_id", "start", "end", "quote",
                         "prefix", "suffix", "sha256"),
    "unlink": ev.COMMON + ("record", "target"),
    "group": ev.COMMON + ("records", "pattern"),
    "withdraw": ev.COMMON + ("record",),
    "restore": ev.COMMON + ("record",),
}
SPAN_FIELDS = ("document_id", "start", "end", "quote", "prefix", "suffix", "sha256")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")
_DATE = re.compile(r"(\d{4}-\d\d-\d\d)?")
_SHA256 = re.compile(r"[0-9a-f]{64}")
FOLDER = Path("coding") / "patterns"


class PatternError(RaakvlakError):
    """A pattern record action was refused, or a pattern log cannot be read or written."""


# ---------------------------------------------------------------------- the record model
@dataclass(frozen=True)
class Actor:
    """A pseudonymous speaker taking part in the incident, with the role they speak in."""

    speaker: str
    role: str = ""


@dataclass(frozen=True)
class Agreement:
    """An agreement made, by whom, when it is reviewed, and whether it was followed up.

    ``followed_up`` is ``"yes"``, ``"no"`` or ``"unknown"``; ``note`` says what came of it.
    """

    agreement: str
    by: str = ""
    review_date: str = ""
    followed_up: str = "unknown"
    note: str = ""


@dataclass(frozen=True)
class Link:
    """A step's link to a coded span (``coding``: its event id) or to a passage (offsets).

    For a passage ``coding`` is ``""`` and ``document_id, start, end, quote, prefix,
    suffix, sha256`` say where it was on the text of that fingerprint. For a coding,
    ``document_id`` and ``quote`` are as they were when it was linked (its current
    place comes from the coding logs: :func:`resolve_links`).
    """

    link_id: str
    step: str
    coding: str = ""
    document_id: str = ""
    start: int | None = None
    end: int | None = None
    quote: str = ""
    prefix: str = ""
    suffix: str = ""
    sha256: str = ""


@dataclass(frozen=True)
class PatternRecord:
    """One friction incident, folded from its events (see the module docstring).

    Attributes
    ----------
    record_id : the id of its ``create`` event.
    coder : who made it (the log it lives in).
    document_id, setting, date, site, session : where and when (copied from
        ``documents.csv`` when the record was created; editable).
    title : a short name for the incident.
    actors : the speakers involved, with their roles.
    steps : the researcher's text per step of :data:`STEPS` (``""`` when not written).
    codes : framework codes named for the incident (sorted, as written).
    follow_up : the agreements with who, review date and whether they were followed up.
    links : the live links, in the order they were made.
    pattern : the recurring pattern it was grouped into (``""`` when none).
    withdrawn : True when withdrawn (it stays in the log).
    created, updated : UTC times of the first and the latest event on it.
    memo : a free note.
    """

    record_id: str
    coder: str
    document_id: str
    title: str = ""
    setting: str = ""
    date: str = ""
    site: str = ""
    session: str = ""
    actors: tuple[Actor, ...] = ()
    steps: Mapping[str, str] = field(default_factory=lambda: dict.fromkeys(STEPS, ""))
    codes: tuple[str, ...] = ()
    follow_up: tuple[Agreement, ...] = ()
    links: tuple[Link, ...] = ()
    pattern: str = ""
    withdrawn: bool = False
    created: str = ""
    updated: str = ""
    memo: str = ""

    @property
    def roles(self) -> tuple[str, ...]:
        """The distinct roles of the actors, sorted."""
        return tuple(sorted({a.role for a in self.actors if a.role}))

    def links_of(self, step: str) -> tuple[Link, ...]:
        """The links of one step (``""``: the record as a whole)."""
        return tuple(link for link in self.links if link.step == step)


# ---------------------------------------------------------------------- checking values
def _check_value(name: str, value: Any) -> str | None:
    """What is wrong with ``value`` for field ``name`` (None when fine)."""
    if name not in FIELDS:
        return f"unknown field {name!r}; expected one of {', '.join(FIELDS)}"
    if name in TEXT_FIELDS:
        if type(value) is not str:
            return f"field {name!r} must be text, not {type(value).__name__}"
        if name == "date" and not _DATE.fullmatch(value):
            return f"date {value!r:.40} must be YYYY-MM-DD or empty"
        return None
    if type(value) is not list:
        return f"field {name!r} must be a list, not {type(value).__name__}"
    if name == "codes":
        if not all(type(v) is str and v for v in value):
            return "codes must be a list of code ids (non-empty text)"
        return None
    if name == "actors":
        for item in value:
            if type(item) is not dict or type(item.get("speaker")) is not str or not item["speaker"] \
                    or type(item.get("role", "")) is not str or set(item) - {"speaker", "role"}:
                return f"an actor must be {{'speaker': text, 'role': text}}, not {item!r:.60}"
        return None
    for item in value:  # follow_up
        allowed = {"agreement", "by", "review_date", "followed_up", "note"}
        if type(item) is not dict or set(item) - allowed or type(item.get("agreement")) is not str:
            return (f"a follow-up must be an object with 'agreement' and optionally "
                    f"{', '.join(sorted(allowed - {'agreement'}))}, not {item!r:.60}")
        if any(type(item.get(k, "")) is not str for k in allowed):
            return f"the fields of a follow-up are text: {item!r:.60}"
        if item.get("followed_up", "unknown") not in FOLLOWED_UP:
            return f"followed_up must be yes, no or unknown, not {item['followed_up']!r:.20}"
        if not _DATE.fullmatch(item.get("review_date", "")):
            return f"review_date {item['review_date']!r:.20} must be YYYY-MM-DD or empty"
    return None


def _id_problem(value: Any, what: str) -> str | None:
    if type(value) is not str or not _UUID.fullmatch(value):
        return f"{what} {value!r:.60} is not an event id"
    return None


def problem(event: Any, strict: bool = False) -> str | None:
    """What is wrong with a pattern event, or None when it is valid.

    ``strict`` (used when writing) also refuses fields its kind does not have.
    """
    if not isinstance(event, dict):
        return f"an event must be a JSON object, not {type(event).__name__}"
    if event.get("v") != ev.SCHEMA_VERSION or type(event.get("v")) is not int:
        return f"schema version {event.get('v')!r} is not {ev.SCHEMA_VERSION}"
    kind = event.get("kind")
    if kind not in KINDS:
        return f"unknown kind {kind!r:.30}; expected one of {', '.join(KINDS)}"
    for name in ev.COMMON:
        if name not in event:
            return f"{kind} event without the field {name!r}"
    wrong = (_id_problem(event["id"], "event id")
             or (None if type(event["coder"]) is str and is_slug(event["coder"])
                 else f"coder {event['coder']!r:.40} is not a slug")
             or (None if type(event["time"]) is str and _TIME.fullmatch(event["time"])
                 else f"time {event['time']!r:.40} is not a UTC time like 2026-11-22T14:50:01.123456Z")
             or (None if event["origin"] in ev.ORIGINS else f"unknown origin {event['origin']!r:.30}"))
    if wrong:
        return wrong
    if strict:
        unknown = [key for key in event if key not in KEY_ORDER[kind]]
        if unknown:
            return f"unknown field(s) {', '.join(map(repr, unknown))} in a {kind} event"
    if kind == "create":
        if type(event.get("document_id")) is not str or not is_slug(event["document_id"]):
            return f"document id {event.get('document_id')!r:.60} is not a slug"
        fields = event.get("fields", {})
        if type(fields) is not dict:
            return "'fields' of a create event must be an object"
        for name, value in fields.items():
            wrong = _check_value(name, value)
            if wrong:
                return wrong
        return None
    if kind in ("withdraw", "restore", "update", "link", "unlink"):
        wrong = _id_problem(event.get("record"), "record")
        if wrong:
            return wrong
    if kind == "update":
        if "field" not in event or "value" not in event:
            return "an update needs 'field' and 'value'"
        return _check_value(event["field"], event["value"])
    if kind == "unlink":
        return _id_problem(event.get("target"), "unlink target")
    if kind == "group":
        records = event.get("records")
        if type(records) is not list or not records:
            return "a group event needs a non-empty list 'records'"
        for record in records:
            wrong = _id_problem(record, "record")
            if wrong:
                return wrong
        if type(event.get("pattern")) is not str:
            return "'pattern' of a group event must be text"
        return None
    if kind == "link":
        return _link_problem(event)
    return None


def _link_problem(event: Mapping[str, Any]) -> str | None:
    step = event.get("step")
    if step != "" and step not in STEPS:
        return f"step {step!r:.30} is not one of {', '.join(STEPS)} (or '' for the whole record)"
    if "coding" in event:
        if any(name in event for name in SPAN_FIELDS if name not in ("document_id", "quote")):
            return "a link names a coding or a passage, not both"
        if "document_id" in event and (type(event["document_id"]) is not str or not is_slug(event["document_id"])):
            return f"document id {event['document_id']!r:.60} is not a slug"
        if type(event.get("quote", "")) is not str:
            return "the quote of a linked coding must be text"
        return _id_problem(event["coding"], "linked coding")
    missing = [name for name in SPAN_FIELDS if name not in event]
    if missing:
        return f"a passage link needs {', '.join(missing)} (or 'coding' for a coded span)"
    start, end = event["start"], event["end"]
    if type(start) is not int or type(end) is not int or not 0 <= start < end:
        return f"offsets must be integers with 0 <= start < end (start={start!r}, end={end!r})"
    if type(event["quote"]) is not str or len(event["quote"]) != end - start:
        return f"the quote must have end - start = {end - start} characters"
    if type(event["document_id"]) is not str or not is_slug(event["document_id"]):
        return f"document id {event['document_id']!r:.60} is not a slug"
    if type(event["sha256"]) is not str or not _SHA256.fullmatch(event["sha256"]):
        return "sha256 is not a SHA-256 hex digest"
    if type(event["prefix"]) is not str or type(event["suffix"]) is not str:
        return "prefix and suffix must be text"
    return None


def complete(event: Mapping[str, Any], coder: str) -> dict[str, Any]:
    """The event with the common fields filled in and its keys in the written order."""
    if "coder" in event and event["coder"] != coder:
        raise PatternError(f"event of coder {event['coder']!r} cannot be written to the log of {coder!r}")
    full = {"v": ev.SCHEMA_VERSION, "id": event.get("id") or ev.new_id(), "coder": coder,
            "time": event.get("time") or ev.now(), "kind": event.get("kind"),
            "origin": event.get("origin", "manual")}
    for key, value in event.items():
        full.setdefault(key, value)
    order = KEY_ORDER.get(full["kind"], ev.COMMON)
    result = {key: full[key] for key in order if key in full}
    result.update((k, v) for k, v in full.items() if k not in result)
    return result


def encode(event: Mapping[str, Any]) -> bytes:
    """One log line: compact UTF-8 JSON ending in ``\\n`` (keys in the written order)."""
    try:
        return json.dumps(event, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode() + b"\n"
    except (TypeError, ValueError) as exc:
        raise PatternError(f"{event.get('kind', 'event')} event cannot be written as JSON ({exc}); "
                           "nothing was written") from exc


# ---------------------------------------------------------------------- storage
class PatternLog(CodingLog):
    """The append-only pattern log of one coder, ``coding/patterns/<coder>.jsonl``.

    Appending is :class:`~raakvlak.coding.log.CodingLog`'s (exclusive lock, whole lines,
    flush + fsync, a torn last line ended and kept); only the events and their checks
    differ. Reading never fails on a bad line: it is reported and skipped.
    """

    def __repr__(self) -> str:
        return f"PatternLog({self.path.name!r}, coder={self.coder!r})"

    def append_many(self, events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Complete, check and durably append events under one lock; all or none."""
        full = []
        for event in events:
            event = complete(event, self.coder)
            wrong = problem(event, strict=True)
            if wrong:
                raise PatternError(f"invalid {event.get('kind')} event: {wrong}; nothing was written")
            full.append(event)
        if full:
            self._write(b"".join(encode(event) for event in full))
        return full

    def read(self) -> LogRead:
        """The valid events in file order and the skipped lines."""
        return read_pattern_log(self.path, self.coder)


def find_problems(events: list[Any]) -> dict[int, str]:
    """What is wrong with each pattern event that is wrong (index -> message): the
    validator :func:`raakvlak.coding.log.read_log` takes for pattern logs."""
    return {index: wrong for index, event in enumerate(events) if (wrong := problem(event))}


def read_pattern_log(path: str | Path, coder: str | None = None) -> LogRead:
    """Read one pattern log; bad, torn, foreign or repeated lines are reported and skipped."""
    return read_log(path, coder, validate=find_problems)


def read_pattern_logs(folder: str | Path) -> dict[str, LogRead]:
    """Every ``<coder>.jsonl`` in ``folder`` (``coding/patterns``), keyed by coder, sorted;
    a file not named after a coder is reported, as for coding logs."""
    return read_logs(folder, validate=find_problems)


# ---------------------------------------------------------------------- the fold
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


# ---------------------------------------------------------------------- the project's records
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


LINK_COLUMNS = ["record_id", "coder", "link_id", "step", "coding", "code_id", "coder_of_coding",
                "document_id", "start", "end", "quote", "status"]


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
