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
>>> from raakvlak.patterns.state import fold_records
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

from raakvlak.coding import events as ev
from raakvlak.coding.log import CodingLog, LogRead, read_log, read_logs
from raakvlak.errors import RaakvlakError
from raakvlak.ids import is_slug

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


LINK_COLUMNS = ["record_id", "coder", "link_id", "step", "coding", "code_id", "coder_of_coding",
                "document_id", "start", "end", "quote", "status"]


