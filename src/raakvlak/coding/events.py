"""Coding events: the lines of a coding log (a fixed decision).

Every line of ``coding/logs/<coder_id>.jsonl`` is one event, a JSON object with the
common fields::

    {"v": 1, "id": "<uuid4>", "coder": "anna", "time": "2026-11-22T14:50:01.123456Z",
     "kind": ..., "origin": "manual|autocode|suggestion|import|reanchor"}

followed by the fields of its kind:

``code``
    ``document_id, start, end, code_id, quote, prefix, suffix, sha256`` and optionally
    ``memo`` (text) and ``detail`` (an object: the autocode query, the suggestion model
    and its fingerprint, the import tool). Offsets are Unicode code points, 0-based,
    end-exclusive, on the canonical text; ``quote == text[start:end]``; ``prefix`` and
    ``suffix`` hold up to 40 characters of context; ``sha256`` is the fingerprint of the
    document text that was coded.
``uncode``
    ``target``: the id of the code, memo or uncode event it withdraws. Withdrawing an
    uncode restores what that uncode withdrew: undo is an uncode of a code, redo an
    uncode of that uncode. Optionally ``detail``: ``{"action": "undo"}``, ``"redo"``
    or ``"remove"`` (a coding removed by hand), read by :mod:`raakvlak.coding.history`.
``memo``
    ``on`` (``project``, ``document``, ``code`` or ``coding``), ``target`` (document id,
    code id, coding event id, or ``""`` for the project) and ``text``. A later memo on the
    same ``(on, target)`` by the same coder replaces the earlier one; an empty text
    clears it.
``recode``
    ``action`` (``merge`` or ``rename``), ``source`` and ``target`` code ids: the audit
    record of a codebook change; codings on ``source`` count as ``target``.
``reanchor``
    ``target`` (a code event id), ``start, end, sha256, quote`` on the changed document
    text, optionally ``prefix`` and ``suffix`` (the new context).
``region``
    a code on a rectangle of a picture document: ``document_id, left, top, right,
    bottom, code_id, sha256`` and optionally ``memo`` and ``detail``. The rectangle is
    in pixels of the upright picture (the stored copy with its EXIF orientation
    applied), 0-based, ``right`` and ``bottom`` exclusive (``0 <= left < right``,
    ``0 <= top < bottom``): the pixels ``x`` with ``left <= x < right`` and ``y``
    with ``top <= y < bottom``, as a crop box. ``sha256`` is the fingerprint of the
    stored picture file. It is withdrawn, memoed and recoded as a ``code`` event is.

This module builds events (:func:`code_event` and friends return the kind-specific
part; :meth:`raakvlak.coding.log.CodingLog.append` completes the common fields),
checks them (:func:`problem`, :func:`validate`) and writes them as one line each
(:func:`encode`) with a stable key order.

Examples
--------
>>> event = code_event("interview-1", "Ja, de school belt de wijkteam.\\n", 4, 13, "kennisdeling")
>>> event["quote"], event["prefix"], event["suffix"]
('de school', 'Ja, ', ' belt de wijkteam.\\n')
>>> full = complete(event, coder="anna")
>>> problem(full) is None
True
>>> encode(full).decode().startswith('{"v":1,"id":"')
True
"""

from __future__ import annotations

import json
import operator
import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from raakvlak.corpus.canonical import fingerprint
from raakvlak.errors import CodingError
from raakvlak.ids import is_slug

SCHEMA_VERSION = 1
KINDS = ("code", "uncode", "memo", "recode", "reanchor", "region")
ORIGINS = ("manual", "autocode", "suggestion", "import", "reanchor")
MEMO_ON = ("project", "document", "code", "coding")
RECODE_ACTIONS = ("merge", "rename")
CONTEXT = 40
"""Characters of context stored on each side of a quote."""

COMMON = ("v", "id", "coder", "time", "kind", "origin")
REQUIRED: dict[str, tuple[str, ...]] = {
    "code": ("document_id", "start", "end", "code_id", "quote", "prefix", "suffix", "sha256"),
    "uncode": ("target",),
    "memo": ("on", "target", "text"),
    "recode": ("action", "source", "target"),
    "reanchor": ("target", "start", "end", "sha256", "quote"),
    "region": ("document_id", "left", "top", "right", "bottom", "code_id", "sha256"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "code": ("memo", "detail"),
    "uncode": ("detail",),
    "memo": (),
    "recode": (),
    "reanchor": ("prefix", "suffix"),
    "region": ("memo", "detail"),
}
KEY_ORDER: dict[str, tuple[str, ...]] = {
    kind: COMMON + REQUIRED[kind] + OPTIONAL[kind] for kind in KINDS
}
"""The order in which each kind's keys are written."""

_INT_FIELDS = frozenset({"v", "start", "end", "left", "top", "right", "bottom"})
_DICT_FIELDS = frozenset({"detail"})
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TYPE_NAMES = {int: "an integer", str: "text", dict: "an object"}


# ---------------------------------------------------------------------- building
def new_id() -> str:
    """A fresh event id: a random (version 4) UUID in its canonical text form."""
    return str(uuid.uuid4())


def now() -> str:
    """The current UTC time as written in events: ``2026-11-22T14:50:01.123456Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _check_span(text: str, start: int, end: int, what: str) -> None:
    if not 0 <= start < end <= len(text):
        raise CodingError(
            f"{what}: span [{start}:{end}] is not inside the text (0 <= start < end <= "
            f"{len(text)} code points); select a non-empty part of the document"
        )


def code_event(
    document_id: str,
    text: str,
    start: int,
    end: int,
    code_id: str,
    *,
    origin: str = "manual",
    memo: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The kind-specific part of a ``code`` event, with quote, context and hash taken from ``text``.

    Parameters
    ----------
    document_id : the document coded.
    text : the document's canonical text (offsets index this string).
    start, end : code points, 0-based, end-exclusive.
    code_id : the code applied.
    origin : ``manual``, ``autocode``, ``suggestion``, ``import`` or ``reanchor``.
    memo : an optional memo on this coding.
    detail : optional provenance (autocode query, suggestion model, import tool).

    Raises
    ------
    CodingError
        When the span lies outside the text or is empty.
    """
    start, end = _as_int(start, "start"), _as_int(end, "end")
    _check_span(text, start, end, f"coding {code_id!r} on document {document_id!r}")
    event: dict[str, Any] = {
        "kind": "code",
        "origin": origin,
        "document_id": document_id,
        "start": start,
        "end": end,
        "code_id": code_id,
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT):start],
        "suffix": text[end:end + CONTEXT],
        "sha256": fingerprint(text),
    }
    if memo is not None:
        event["memo"] = memo
    if detail is not None:
        event["detail"] = dict(detail)
    return event


def uncode_event(target: str, *, origin: str = "manual", action: str | None = None) -> dict[str, Any]:
    """An ``uncode`` event withdrawing the code, memo or uncode event ``target``.

    ``action`` (``undo``, ``redo`` or ``remove``) says why, for the undo history."""
    event: dict[str, Any] = {"kind": "uncode", "origin": origin, "target": target}
    if action is not None:
        event["detail"] = {"action": action}
    return event


def memo_event(on: str, target: str, text: str, *, origin: str = "manual") -> dict[str, Any]:
    """A ``memo`` event on the project (``target=""``), a document, a code or a coding."""
    return {"kind": "memo", "origin": origin, "on": on, "target": target, "text": text}


def recode_event(action: str, source: str, target: str, *, origin: str = "manual") -> dict[str, Any]:
    """A ``recode`` event: code ``source`` was merged into / renamed to ``target``."""
    return {"kind": "recode", "origin": origin, "action": action, "source": source, "target": target}


def reanchor_event(
    target: str, text: str, start: int, end: int, *, origin: str = "reanchor"
) -> dict[str, Any]:
    """A ``reanchor`` event moving the coding ``target`` to ``[start:end]`` of the new ``text``."""
    start, end = _as_int(start, "start"), _as_int(end, "end")
    _check_span(text, start, end, f"re-anchoring coding {target!r}")
    return {
        "kind": "reanchor",
        "origin": origin,
        "target": target,
        "start": start,
        "end": end,
        "sha256": fingerprint(text),
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT):start],
        "suffix": text[end:end + CONTEXT],
    }


def region_event(
    document_id: str,
    box: tuple[int, int, int, int],
    code_id: str,
    sha256: str,
    *,
    origin: str = "manual",
    memo: str | None = None,
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The kind-specific part of a ``region`` event: ``code_id`` on ``box`` of a picture.

    ``box`` is ``(left, top, right, bottom)`` in pixels of the upright picture, right
    and bottom exclusive; ``sha256`` the fingerprint of the stored picture file.

    Examples
    --------
    >>> event = region_event("lego-1", (10, 20, 110, 80), "trust", "ab" * 32)
    >>> problem(complete(event, coder="anna")) is None
    True
    """
    left, top, right, bottom = (_as_int(value, "box") for value in box)
    event: dict[str, Any] = {"kind": "region", "origin": origin, "document_id": document_id,
                             "left": left, "top": top, "right": right, "bottom": bottom,
                             "code_id": code_id, "sha256": sha256}
    if memo is not None:
        event["memo"] = memo
    if detail is not None:
        event["detail"] = dict(detail)
    return event


def _as_int(value: Any, name: str) -> Any:
    """``value`` as a plain int when it is an integer of another type (numpy); else unchanged."""
    if type(value) is int or isinstance(value, bool):
        return value
    try:
        return operator.index(value)
    except TypeError:
        return value


def complete(event: Mapping[str, Any], coder: str) -> dict[str, Any]:
    """A new event with the common fields filled in and the keys in the written order.

    ``v``, ``id`` and ``time`` are added when absent (a given ``id`` or ``time`` is
    kept, e.g. by an import); ``origin`` defaults to ``manual``. Integers of other
    types (numpy) become plain ints. The input is not changed and not validated:
    call :func:`validate` on the result.

    Raises
    ------
    CodingError
        When the event names another coder than ``coder``.
    """
    if "coder" in event and event["coder"] != coder:
        raise CodingError(
            f"event of coder {event['coder']!r} cannot be written to the log of {coder!r}"
        )
    full: dict[str, Any] = {
        "v": SCHEMA_VERSION,
        "id": event.get("id") or new_id(),
        "coder": coder,
        "time": event.get("time") or now(),
        "kind": event.get("kind"),
        "origin": event.get("origin", "manual"),
    }
    for key, value in event.items():
        if key not in full:
            full[key] = _as_int(value, key) if key in _INT_FIELDS else value
    return ordered(full)


def ordered(event: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``event`` with its keys in the written order (unknown keys last, as given)."""
    order = KEY_ORDER.get(event.get("kind"), COMMON)  # type: ignore[arg-type]
    result = {key: event[key] for key in order if key in event}
    result.update((key, value) for key, value in event.items() if key not in result)
    return result


# ---------------------------------------------------------------------- checking
def _typed(event: Mapping[str, Any], name: str, kind: str) -> str | None:
    """Problem with the type of field ``name`` (None when fine)."""
    value = event[name]
    expected = int if name in _INT_FIELDS else dict if name in _DICT_FIELDS else str
    if type(value) is not expected:
        return (
            f"{name!r} of a {kind} event must be {_TYPE_NAMES[expected]}, "
            f"not {type(value).__name__} {value!r:.40}"
        )
    return None


def problem(event: Any, strict: bool = False) -> str | None:
    """What is wrong with ``event``, or None when it is a valid event of this schema.

    Checks the schema version, the common fields, the required fields of the kind and
    their types, offsets (integers >= 0, ``start < end``, ``len(quote) == end - start``),
    ids (canonical UUIDs), the coder (a slug), the time (UTC, ``...Z``), the origin,
    and the values allowed per kind. With ``strict`` unknown fields are refused too
    (used when writing; a reader keeps them).
    """
    if not isinstance(event, dict):
        return f"an event must be a JSON object, not {type(event).__name__}"
    version = event.get("v")
    if type(version) is not int:
        return "no schema version: 'v' must be an integer"
    if version != SCHEMA_VERSION:
        return f"schema version {version} is not {SCHEMA_VERSION}"
    kind = event.get("kind")
    if type(kind) is not str or kind not in REQUIRED:
        return f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}"
    for name in COMMON:
        if name not in event:
            return f"{kind} event without the field {name!r}"
    for name in REQUIRED[kind]:
        if name not in event:
            return f"{kind} event without the field {name!r}"
    for name in (*COMMON[1:], *REQUIRED[kind]):
        wrong = _typed(event, name, kind)
        if wrong:
            return wrong
    for name in OPTIONAL[kind]:
        if name in event:
            wrong = _typed(event, name, kind)
            if wrong:
                return wrong
    if strict:
        allowed = KEY_ORDER[kind]
        unknown = [key for key in event if key not in allowed]
        if unknown:
            return f"unknown field(s) {', '.join(map(repr, unknown))} in a {kind} event; allowed: {', '.join(allowed)}"
    if not _UUID.fullmatch(event["id"]):
        return f"event id {event['id']!r:.60} is not a UUID"
    if not is_slug(event["coder"]):
        return f"coder {event['coder']!r:.60} is not a slug (a-z, 0-9, - and _)"
    if not _TIME.fullmatch(event["time"]):
        return f"time {event['time']!r:.60} is not a UTC time like 2026-11-22T14:50:01.123456Z"
    if event["origin"] not in ORIGINS:
        return f"unknown origin {event['origin']!r:.60}; expected one of {', '.join(ORIGINS)}"
    return _KIND_CHECKS[kind](event)


def _span_problem(event: Mapping[str, Any]) -> str | None:
    start, end = event["start"], event["end"]
    if start < 0 or end < 0:
        return f"offsets must be >= 0 (start={start}, end={end})"
    if start >= end:
        return f"start must be before end (start={start}, end={end})"
    if len(event["quote"]) != end - start:
        return (
            f"the quote has {len(event['quote'])} characters but the span [{start}:{end}] "
            f"has {end - start}"
        )
    if not _SHA256.fullmatch(event["sha256"]):
        return f"sha256 {event['sha256']!r:.70} is not a SHA-256 hex digest"
    return None


def _code_problem(event: Mapping[str, Any]) -> str | None:
    if not is_slug(event["document_id"]):
        return f"document id {event['document_id']!r:.60} is not a slug"
    if not event["code_id"]:
        return "code_id is empty"
    return _span_problem(event)


def _uncode_problem(event: Mapping[str, Any]) -> str | None:
    if not _UUID.fullmatch(event["target"]):
        return f"uncode target {event['target']!r:.60} is not an event id"
    return None


def _memo_problem(event: Mapping[str, Any]) -> str | None:
    on, target = event["on"], event["target"]
    if on not in MEMO_ON:
        return f"memo on {on!r:.40}; expected one of {', '.join(MEMO_ON)}"
    if on == "project" and target != "":
        return f"a project memo has target \"\", not {target!r:.60}"
    if on == "document" and not is_slug(target):
        return f"memo target {target!r:.60} is not a document id"
    if on == "code" and not target:
        return "a code memo needs the code id as target"
    if on == "coding" and not _UUID.fullmatch(target):
        return f"memo target {target!r:.60} is not a coding's event id"
    return None


def _recode_problem(event: Mapping[str, Any]) -> str | None:
    if event["action"] not in RECODE_ACTIONS:
        return f"recode action {event['action']!r:.40}; expected merge or rename"
    if not event["source"] or not event["target"]:
        return "a recode needs a source and a target code id"
    if event["source"] == event["target"]:
        return f"a recode of {event['source']!r} onto itself"
    return None


def _reanchor_problem(event: Mapping[str, Any]) -> str | None:
    if not _UUID.fullmatch(event["target"]):
        return f"reanchor target {event['target']!r:.60} is not an event id"
    return _span_problem(event)


def _region_problem(event: Mapping[str, Any]) -> str | None:
    if not is_slug(event["document_id"]):
        return f"document id {event['document_id']!r:.60} is not a slug"
    if not event["code_id"]:
        return "code_id is empty"
    left, top, right, bottom = event["left"], event["top"], event["right"], event["bottom"]
    if min(left, top) < 0 or not (left < right and top < bottom):
        return f"region ({left}, {top}, {right}, {bottom}) needs 0 <= left < right and 0 <= top < bottom"
    if not _SHA256.fullmatch(event["sha256"]):
        return f"sha256 {event['sha256']!r:.70} is not a SHA-256 hex digest"
    return None


_KIND_CHECKS = {
    "code": _code_problem,
    "uncode": _uncode_problem,
    "memo": _memo_problem,
    "recode": _recode_problem,
    "reanchor": _reanchor_problem,
    "region": _region_problem,
}


# ---------------------------------------------------------------------- checking many
_ORIGIN_SET = frozenset(ORIGINS)


def _all_typed(values: tuple[Any, ...], expected: type) -> bool:
    return set(map(type, values)) <= {expected}


def _all_ids(values: tuple[Any, ...]) -> bool:
    return _all_typed(values, str) and all(map(_UUID.fullmatch, values))


def _distinct_ok(values: tuple[Any, ...], check: Any) -> bool:
    """Each distinct value is text and passes ``check`` (few distinct values: cheap)."""
    return all(type(value) is str and check(value) for value in set(values))


def _spans_ok(column: dict[str, Any]) -> bool:
    starts, ends, quotes = column["start"], column["end"], column["quote"]
    if not (_all_typed(starts, int) and _all_typed(ends, int) and _all_typed(quotes, str)):
        return False
    if min(starts) < 0 or not all(map(operator.lt, starts, ends)):
        return False
    if list(map(len, quotes)) != list(map(operator.sub, ends, starts)):
        return False
    return _distinct_ok(column["sha256"], _SHA256.fullmatch)


def _group_ok(kind: str, group: list[dict[str, Any]]) -> bool:
    """True when every event of ``group`` (all of ``kind``) is valid.

    Column-wise checks that together imply :func:`problem` finds nothing for each
    event; False (or KeyError, TypeError) means "check one by one", not "invalid".
    One pass over the events takes every required field (KeyError when one is
    missing); the columns are then checked with C-level loops.
    """
    names = COMMON + REQUIRED[kind]
    column = dict(zip(names, zip(*map(operator.itemgetter(*names), group), strict=True), strict=True))
    versions = column["v"]
    if not (_all_typed(versions, int) and set(versions) == {SCHEMA_VERSION}):
        return False
    if not (_distinct_ok(column["origin"], _ORIGIN_SET.__contains__)
            and _distinct_ok(column["coder"], is_slug) and _all_ids(column["id"])):
        return False
    times = column["time"]
    if not (_all_typed(times, str) and all(map(_TIME.fullmatch, times))):
        return False
    if max(map(len, group)) > len(names):  # optional (or unknown) fields on some events
        extra = [event for event in group if len(event) > len(names)]
        for name in OPTIONAL[kind]:
            expected = dict if name in _DICT_FIELDS else str
            if not _all_typed([e[name] for e in extra if name in e], expected):
                return False
    if kind == "uncode":
        return _all_ids(column["target"])
    if kind == "memo":
        return _memos_ok(column)
    if kind == "reanchor":
        return _all_ids(column["target"]) and _spans_ok(column)
    codes = column["code_id"]  # kind == "code"
    if not (_distinct_ok(column["document_id"], is_slug) and _all_typed(codes, str) and all(codes)):
        return False
    return _spans_ok(column) and _all_typed(column["prefix"], str) and _all_typed(column["suffix"], str)


def _memos_ok(column: dict[str, Any]) -> bool:
    ons, targets = column["on"], column["target"]
    if not (_all_typed(ons, str) and _all_typed(targets, str) and _all_typed(column["text"], str)):
        return False
    by_on: dict[str, list[str]] = {}
    for on, target in zip(ons, targets, strict=True):
        by_on.setdefault(on, []).append(target)
    if not set(by_on) <= set(MEMO_ON) or not set(by_on.get("project", [])) <= {""}:
        return False
    return (_distinct_ok(by_on.get("document", []), is_slug) and all(by_on.get("code", []))
            and _all_ids(by_on.get("coding", [])))


_BATCH_KINDS = ("code", "uncode", "memo", "reanchor")


def find_problems(events: list[Any]) -> dict[int, str]:
    """The problems of many events at once: ``{index: message}`` for the invalid ones.

    Gives exactly ``{i: problem(e) for i, e in enumerate(events) if problem(e)}``, but
    checks the events of the common kinds column by column, which makes reading a
    long log several times faster. Meant for events decoded from JSON (plain ``dict``,
    ``list``, ``str``, ``int``, ``float``, ``bool``, ``None``). Unknown fields are
    allowed (as in :func:`problem` without ``strict``).
    """
    members: dict[str, list[int]] = {kind: [] for kind in _BATCH_KINDS}
    slow: list[int] = []
    for index, event in enumerate(events):
        kind = event.get("kind") if type(event) is dict else None
        group = members.get(kind) if type(kind) is str else None
        if group is None:
            slow.append(index)
        else:
            group.append(index)
    for kind, indices in members.items():
        if not indices:
            continue
        try:
            if _group_ok(kind, [events[i] for i in indices]):
                continue
        except (KeyError, TypeError):  # a field missing, or unhashable where text was expected
            pass
        slow.extend(indices)
    found = {index: problem(events[index]) for index in sorted(slow)}
    return {index: message for index, message in found.items() if message is not None}


def validate(event: Any, strict: bool = True) -> dict[str, Any]:
    """Return ``event`` when it is valid; raise :class:`CodingError` saying what is wrong.

    ``strict`` (the default, used when writing) also refuses unknown fields.
    """
    wrong = problem(event, strict=strict)
    if wrong:
        what = event.get("kind", "event") if isinstance(event, dict) else "event"
        raise CodingError(f"invalid {what} event: {wrong}; nothing was written")
    return event


def encode(event: Mapping[str, Any]) -> bytes:
    """One log line: compact JSON in UTF-8 (not ASCII-escaped), keys in order, ending in ``\\n``."""
    try:
        line = json.dumps(ordered(event), ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return line.encode("utf-8") + b"\n"
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError is a ValueError
        raise CodingError(
            f"{event.get('kind', 'event')} event {event.get('id', '')} cannot be written as JSON "
            f"({exc}); nothing was written"
        ) from exc
