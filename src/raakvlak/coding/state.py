"""The coding state: a fold over the events of the coding logs.

The logs are the truth; the state is derived from them each time they are read, so
the log is at once the audit trail and the undo history. :func:`fold` turns events
into three tidy tables (:class:`CodingState`); :func:`load_state` reads every coder's
log and folds it.

Rules of the fold
-----------------
- A ``code`` event is a live coding unless a live ``uncode`` withdraws it. An
  ``uncode`` is live unless a live ``uncode`` withdraws it, so undo (uncode the code),
  redo (uncode the undo), undo again (uncode the redo) ... always give the expected
  state. An uncode only acts on an earlier event of the same coder's log of kind
  ``code``, ``memo`` or ``uncode``; any other uncode has no effect (the history says so).
- Overlapping spans and several codes on one span are all kept: a coding is its event.
- ``reanchor`` events move a coding of the same coder onto a changed document text
  (the latest one wins): start, end, quote, sha256 and, when given, prefix and suffix.
- ``recode`` events (merge or rename) are codebook decisions and apply to every
  coder's codings, whenever they were made: codings on ``source`` count as ``target``
  (chains followed; the last recode of a source wins). ``resolve`` (the codebook's
  ``replaced_by``) is applied as well, until the code id no longer changes. The coded
  id stays in ``original_code_id``.
- Memos: the latest live ``memo`` event on the same ``(on, target)`` by the same coder
  is the memo; withdrawing it brings back the one before; an empty text clears it. A
  code event's own ``memo`` is the first memo on that coding. Memos on a coding that
  is not live are left out (they stay in the log and the history).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from raakvlak.coding.log import LogProblem, read_logs

CODING_COLUMNS = [
    "event_id", "coder", "document_id", "start", "end", "code_id", "original_code_id",
    "quote", "prefix", "suffix", "sha256", "origin", "memo", "time", "detail",
]
MEMO_COLUMNS = ["event_id", "coder", "on", "target", "text", "time"]
HISTORY_COLUMNS = ["time", "coder", "kind", "origin", "summary", "event_id", "target", "withdrawn"]
CODING_ORDER = ["coder", "document_id", "start", "end", "code_id", "event_id"]
WITHDRAWABLE = frozenset({"code", "memo", "uncode"})

_TEXT = "str"
_INT = "int64"
_TIME = "datetime64[us, UTC]"


@dataclass(frozen=True, eq=False)
class CodingState:
    """The current codings and memos of a project, and the audit trail that led there.

    Attributes
    ----------
    codings : pandas.DataFrame
        One row per live coding, ordered by coder, document_id, start, end, code_id,
        event_id. Columns:

        - ``event_id`` id of the ``code`` event (the coding's identity);
        - ``coder``, ``document_id``;
        - ``start``, ``end`` (int) code points, 0-based, end-exclusive, on the text
          with fingerprint ``sha256`` (after re-anchoring, the new text);
        - ``code_id`` the code it counts as after merges and renames;
        - ``original_code_id`` the code it was coded with;
        - ``quote`` (``text[start:end]``), ``prefix``, ``suffix`` (context, up to 40
          characters), ``sha256`` of the document text;
        - ``origin`` manual, autocode, suggestion, import or reanchor;
        - ``memo`` the memo on this coding (``""`` when none);
        - ``time`` (datetime, UTC) when it was coded;
        - ``detail`` the event's provenance object (dict) or None.
    memos : pandas.DataFrame
        One row per current memo, ordered by coder, on, target: ``event_id`` (the memo
        event, or the code event for a memo written with the coding), ``coder``, ``on``
        (project, document, code, coding), ``target`` (``""``, document id, code id or
        coding event id), ``text``, ``time`` (datetime, UTC).
    history : pandas.DataFrame
        One row per event, withdrawn ones included, in time order (a coder's events in
        log order on equal times): ``time`` (datetime, UTC), ``coder``, ``kind``,
        ``origin``, ``summary`` (one readable line), ``event_id``, ``target`` (the
        event's target field, ``""`` for a code), ``withdrawn`` (bool: withdrawn by a
        live uncode).
    """

    codings: pd.DataFrame
    memos: pd.DataFrame
    history: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"CodingState({len(self.codings)} codings, {len(self.memos)} memos, "
            f"{len(self.history)} events)"
        )


_ID, _CODER, _KIND, _ORIGIN, _TIME_OF = (
    itemgetter("id"), itemgetter("coder"), itemgetter("kind"), itemgetter("origin"), itemgetter("time")
)
_CODE_FIELDS = itemgetter("document_id", "start", "end", "code_id", "quote", "prefix", "suffix", "sha256")


def _times(values: list[str]) -> pd.Series:
    return pd.Series(pd.to_datetime(values, format="ISO8601", utc=True), dtype=_TIME)


def _text(values: Any) -> pd.Series:
    return pd.Series(values, dtype=_TEXT)


def _short(text: str, width: int = 50) -> str:
    return (text if len(text) <= width else text[: width - 1] + "…").replace("\n", " ")


def _summary(event: dict[str, Any]) -> str:
    kind = event["kind"]
    if kind == "code":
        return (
            f"coded {event['code_id']} on {event['document_id']} "
            f"[{event['start']}:{event['end']}] “{_short(event['quote'])}”"
        )
    if kind == "uncode":
        return f"withdrew {event['target']}"
    if kind == "memo":
        where = event["on"] + (f" {event['target']}" if event["target"] else "")
        return f"memo on {where}: “{_short(event['text'])}”" if event["text"] else f"cleared memo on {where}"
    if kind == "recode":
        verb = "merged" if event["action"] == "merge" else "renamed"
        return f"{verb} code {event['source']} into {event['target']}"
    return (
        f"re-anchored {event['target']} to [{event['start']}:{event['end']}] "
        f"“{_short(event['quote'])}”"
    )


def _code_mapper(
    recodes: list[dict[str, Any]], resolve: Callable[[str], str] | None
) -> Callable[[str], str]:
    """code id -> the id it counts as, through recode events and ``resolve``."""
    merges = {event["source"]: event["target"] for event in recodes}

    def final(code_id: str) -> str:
        seen = {code_id}
        while True:
            after = merges.get(code_id, code_id)
            if resolve is not None:
                after = resolve(after)
            if after == code_id or after in seen:  # settled, or a cycle: stop here
                return code_id
            seen.add(after)
            code_id = after

    return final


def _ranks(values: list[Any]) -> np.ndarray:
    """Integer ranks with the order of the values (for sorting by several keys at once)."""
    rank = {value: k for k, value in enumerate(sorted(set(values)))}
    return np.fromiter(map(rank.__getitem__, values), dtype=np.int64, count=len(values))


def _coding_order(
    coder: list[str], document: list[str], start: list[int], end: list[int],
    code: list[str], event_id: list[str],
) -> np.ndarray:
    """Row order by coder, document_id, start, end, code_id, event_id."""
    keys = [_ranks(coder), _ranks(document), np.asarray(start, dtype=np.int64),
            np.asarray(end, dtype=np.int64), _ranks(code)]
    order = np.lexsort(keys[::-1])
    if len(order) < 2:
        return order
    same = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        ranked = key[order]
        same &= ranked[1:] == ranked[:-1]
    if same.any():  # equal on every key but the event id: a handful, ordered in Python
        bounds = np.flatnonzero(np.diff(np.concatenate(([0], same.astype(np.int8), [0]))))
        for first, last in zip(bounds[::2], bounds[1::2], strict=True):
            run = order[first:last + 1]
            order[first:last + 1] = sorted(run, key=event_id.__getitem__)
    return order


def fold(
    events: Iterable[dict[str, Any]], resolve: Callable[[str], str] | None = None
) -> CodingState:
    """Fold valid events (as read from the logs) into the current :class:`CodingState`.

    Parameters
    ----------
    events : valid events (see :func:`raakvlak.coding.log.read_log`), each coder's in
        the order of their log; the coders' events may be concatenated or interleaved.
    resolve : maps a code id to the id it is now (the codebook's ``replaced_by``,
        followed); unknown ids map to themselves. Applied after recode events.

    Returns
    -------
    CodingState
        See its docstring for the columns. The input is not changed.
    """
    events = events if isinstance(events, list) else list(events)
    ids = list(map(_ID, events))
    coders = list(map(_CODER, events))
    kinds = list(map(_KIND, events))
    position = dict(zip(ids, range(len(ids)), strict=True))
    by_kind: dict[str, list[int]] = {"code": [], "uncode": [], "memo": [], "recode": [], "reanchor": []}
    for index, kind in enumerate(kinds):
        by_kind[kind].append(index)

    def target_of(index: int, allowed: frozenset[str]) -> tuple[str | None, str]:
        """The target id of event ``index`` when it may act on it, else (None, why not)."""
        target_id = events[index]["target"]
        target = position.get(target_id)
        if target is None or target >= index:
            return None, "no effect: no earlier event with this id"
        if coders[target] != coders[index]:
            return None, "no effect: the event belongs to another coder"
        if kinds[target] not in allowed:
            return None, f"no effect: a {kinds[target]} event cannot be a target here"
        return target_id, ""

    # uncodes, latest first: whatever could withdraw an uncode comes after it
    withdrawn: set[str] = set()
    notes: dict[int, str] = {}
    for index in reversed(by_kind["uncode"]):
        if ids[index] in withdrawn:
            continue
        target, why = target_of(index, WITHDRAWABLE)
        if target is None:
            notes[index] = why
        else:
            withdrawn.add(target)
    moves: dict[str, dict[str, Any]] = {}
    for index in by_kind["reanchor"]:
        target, why = target_of(index, frozenset({"code"}))
        if target is None:
            notes[index] = why
        else:
            moves[target] = events[index]

    times = _times(list(map(_TIME_OF, events)))
    live = [i for i in by_kind["code"] if ids[i] not in withdrawn] if withdrawn else by_kind["code"]
    final = _code_mapper([events[i] for i in by_kind["recode"]], resolve)
    live_memos = [events[i] for i in by_kind["memo"] if ids[i] not in withdrawn]
    memos = _memos([events[i] for i in live], live_memos)
    coding_memos = dict(zip(memos["target"][memos["on"] == "coding"],
                            memos["text"][memos["on"] == "coding"], strict=True))
    codings = _codings(events, ids, live, times, moves, final, coding_memos)
    history = _history(events, ids, coders, kinds, by_kind, times, withdrawn, notes)
    return CodingState(codings=codings, memos=memos, history=history)


def _codings(
    events: list[dict[str, Any]], ids: list[str], live: list[int], times: pd.Series,
    moves: dict[str, dict[str, Any]], final: Callable[[str], str], memo_of: dict[str, str],
) -> pd.DataFrame:
    rows = [events[i] for i in live]
    event_id = [ids[i] for i in live]
    columns = list(zip(*map(_CODE_FIELDS, rows), strict=True)) if rows else [()] * 8
    document, start, end, original, quote, prefix, suffix, sha256 = map(list, columns)
    if moves:
        for k, identity in enumerate(event_id):
            move = moves.get(identity)
            if move is not None:
                start[k], end[k], quote[k], sha256[k] = move["start"], move["end"], move["quote"], move["sha256"]
                prefix[k] = move.get("prefix", prefix[k])
                suffix[k] = move.get("suffix", suffix[k])
    mapping = {code_id: final(code_id) for code_id in set(original)}
    code = [mapping[c] for c in original]
    coder = list(map(_CODER, rows))
    order = _coding_order(coder, document, start, end, code, event_id)

    def column(values: list[Any]) -> np.ndarray:
        array = np.empty(len(values), dtype=object)
        array[:] = values
        return array[order]

    memo = [memo_of.get(i, "") for i in event_id] if memo_of else [""] * len(rows)
    return pd.DataFrame({
        "event_id": _text(column(event_id)),
        "coder": _text(column(coder)),
        "document_id": _text(column(document)),
        "start": pd.Series(np.asarray(start, dtype=np.int64)[order], dtype=_INT),
        "end": pd.Series(np.asarray(end, dtype=np.int64)[order], dtype=_INT),
        "code_id": _text(column(code)),
        "original_code_id": _text(column(original)),
        "quote": _text(column(quote)),
        "prefix": _text(column(prefix)),
        "suffix": _text(column(suffix)),
        "sha256": _text(column(sha256)),
        "origin": _text(column(list(map(_ORIGIN, rows)))),
        "memo": _text(column(memo)),
        "time": pd.Series(times.array.take(np.asarray(live, dtype=np.int64)[order]), dtype=_TIME),
        "detail": pd.Series(column([e.get("detail") for e in rows]), dtype=object),
    }, columns=CODING_COLUMNS)


def _memos(live: list[dict[str, Any]], memo_events: list[dict[str, Any]]) -> pd.DataFrame:
    current: dict[tuple[str, str, str], tuple[str, str, str]] = {}  # key -> (event_id, text, time)
    for event in live:
        if event.get("memo"):
            current[(event["coder"], "coding", event["id"])] = (event["id"], event["memo"], event["time"])
    if memo_events:
        coder_of = {e["id"]: e["coder"] for e in live}
        for event in memo_events:
            if event["on"] == "coding" and coder_of.get(event["target"]) != event["coder"]:
                continue  # a memo on a coding that is not (or no longer) live
            current[(event["coder"], event["on"], event["target"])] = (event["id"], event["text"], event["time"])
    keys = [key for key in sorted(current) if current[key][1]]
    return pd.DataFrame({
        "event_id": _text([current[k][0] for k in keys]),
        "coder": _text([k[0] for k in keys]),
        "on": _text([k[1] for k in keys]),
        "target": _text([k[2] for k in keys]),
        "text": _text([current[k][1] for k in keys]),
        "time": _times([current[k][2] for k in keys]),
    }, columns=MEMO_COLUMNS)


def _history(
    events: list[dict[str, Any]], ids: list[str], coders: list[str], kinds: list[str],
    by_kind: dict[str, list[int]], times: pd.Series, withdrawn: set[str], notes: dict[int, str],
) -> pd.DataFrame:
    summary = np.empty(len(events), dtype=object)
    code = [events[i] for i in by_kind["code"]]
    summary[by_kind["code"]] = [
        f"coded {c} on {d} [{s}:{e}] “{_short(q)}”"
        for d, s, e, c, q, *_ in map(_CODE_FIELDS, code)
    ]
    others = [i for kind in ("uncode", "memo", "recode", "reanchor") for i in by_kind[kind]]
    summary[others] = [_summary(events[i]) for i in others]
    for index, note in notes.items():
        summary[index] += f" ({note})"
    history = pd.DataFrame({
        "time": times,
        "coder": _text(coders),
        "kind": _text(kinds),
        "origin": _text(list(map(_ORIGIN, events))),
        "summary": _text(summary),
        "event_id": _text(ids),
        "target": _text([e.get("target", "") for e in events]),
        "withdrawn": pd.Series([i in withdrawn for i in ids], dtype=bool) if withdrawn
        else pd.Series(np.zeros(len(ids), dtype=bool)),
    }, columns=HISTORY_COLUMNS)
    order = np.lexsort((_ranks(coders), times.array.asi8))
    if (order[1:] < order[:-1]).any():
        history = history.take(order).reset_index(drop=True)
    return history


def load_state(
    logs_dir: str | Path, resolve: Callable[[str], str] | None = None
) -> tuple[CodingState, list[LogProblem]]:
    """Read every coder's log in ``logs_dir`` and fold them.

    Returns
    -------
    state : CodingState
    problems : list of LogProblem
        The skipped lines of all logs (show them; they are never fatal).
    """
    reads = read_logs(logs_dir)
    coders = sorted(reads)
    if len(coders) == 1:
        events = reads[coders[0]].events
    else:
        events = list(chain.from_iterable(reads[c].events for c in coders))
    problems = [problem for c in coders for problem in reads[c].problems]
    return fold(events, resolve), problems
