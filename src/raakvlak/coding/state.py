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
- ``region`` events (codes on rectangles of pictures) fold as ``code`` events do
  (withdrawn by an uncode, memos on them, recodes applied) into their own table,
  ``regions``, so every analysis of text spans stays as it was.
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
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from raakvlak.coding.log import LogProblem, gc_paused, read_logs
from raakvlak.coding.regions import empty_regions, region_frame

CODING_COLUMNS = [
    "event_id", "coder", "document_id", "start", "end", "code_id", "original_code_id",
    "quote", "prefix", "suffix", "sha256", "origin", "memo", "time", "detail",
]
MEMO_COLUMNS = ["event_id", "coder", "on", "target", "text", "time"]
HISTORY_COLUMNS = ["time", "coder", "kind", "origin", "summary", "event_id", "target", "withdrawn"]
CODING_ORDER = ["coder", "document_id", "start", "end", "code_id", "event_id"]
WITHDRAWABLE = frozenset({"code", "memo", "uncode", "region"})

_TEXT_DTYPE = pd.Series([""], dtype="str").dtype
_FAST_TEXT = getattr(_TEXT_DTYPE, "storage", None) == "python"
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
    regions : pandas.DataFrame
        One row per live region coding of a picture (see
        :data:`raakvlak.coding.regions.REGION_COLUMNS`), ordered by coder, document,
        position and code.
    """

    codings: pd.DataFrame
    memos: pd.DataFrame
    history: pd.DataFrame
    regions: pd.DataFrame = field(default_factory=empty_regions)

    def __repr__(self) -> str:
        return (
            f"CodingState({len(self.codings)} codings, {len(self.memos)} memos, "
            f"{len(self.history)} events)"
        )


_COMMON = itemgetter("id", "coder", "kind", "origin", "time")
_CODE_FIELDS = itemgetter("document_id", "start", "end", "code_id", "quote", "prefix", "suffix", "sha256")
_MEMO_OF = methodcaller("get", "memo", "")
_DETAIL_OF = methodcaller("get", "detail")


def _times(values: list[str]) -> pd.Series:
    return pd.Series(pd.to_datetime(values, format="ISO8601", utc=True), dtype=_TIME)


def _text(values: Any) -> pd.Series:
    """A text column (pandas' default string dtype) from a sequence of str."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    if _FAST_TEXT:  # skip the per-element conversion pd.Series(..., dtype="str") makes
        return pd.Series(pd.arrays.StringArray(array, dtype=_TEXT_DTYPE))
    return pd.Series(array, dtype=_TEXT_DTYPE)


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
    if kind == "region":
        box = ", ".join(str(event[k]) for k in ("left", "top", "right", "bottom"))
        return f"coded {event['code_id']} on picture {event['document_id']} region ({box})"
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


def _coding_order(keys: list[np.ndarray], event_id: Callable[[int], str]) -> np.ndarray:
    """Row order by the integer ``keys`` (coder, document, start, end, code), then event id."""
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
            order[first:last + 1] = sorted(order[first:last + 1].tolist(), key=event_id)
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
    with gc_paused():
        return _fold(events, resolve)


def _fold(events: list[dict[str, Any]], resolve: Callable[[str], str] | None) -> CodingState:
    columns = list(zip(*map(_COMMON, events), strict=True)) if events else [()] * 5
    ids, coders, kinds, origins, time_text = columns
    position = dict(zip(ids, range(len(ids)), strict=True))
    by_kind: dict[str, list[int]] = {"code": [], "uncode": [], "memo": [], "recode": [], "reanchor": [],
                                     "region": []}
    for index, kind in enumerate(kinds):
        by_kind[kind].append(index)

    def target_of(index: int, allowed: frozenset[str]) -> tuple[int | None, str]:
        """The position of the target of event ``index`` when it may act on it, else (None, why not)."""
        target = position.get(events[index]["target"])
        if target is None or target >= index:
            return None, "no effect: no earlier event with this id"
        if coders[target] != coders[index]:
            return None, "no effect: the event belongs to another coder"
        if kinds[target] not in allowed:
            return None, f"no effect: a {kinds[target]} event cannot be a target here"
        return target, ""

    # uncodes, latest first: whatever could withdraw an uncode comes after it
    withdrawn: set[int] = set()
    notes: dict[int, str] = {}
    for index in reversed(by_kind["uncode"]):
        if index in withdrawn:
            continue
        target, why = target_of(index, WITHDRAWABLE)
        if target is None:
            notes[index] = why
        else:
            withdrawn.add(target)
    moves: dict[int, dict[str, Any]] = {}
    for index in by_kind["reanchor"]:
        target, why = target_of(index, frozenset({"code"}))
        if target is None:
            notes[index] = why
        else:
            moves[target] = events[index]

    times = _times(time_text)
    texts = {"event_id": _text(ids), "coder": _text(coders), "origin": _text(origins)}
    coder_rank = _ranks(coders)
    codes = np.asarray(by_kind["code"], dtype=np.int64)
    code_columns = (list(zip(*map(_CODE_FIELDS, [events[i] for i in by_kind["code"]]), strict=True))
                    if by_kind["code"] else [()] * 8)
    live_k = np.flatnonzero(~np.isin(codes, np.fromiter(withdrawn, dtype=np.int64, count=len(withdrawn))))
    live = codes[live_k].tolist()
    rows = [events[i] for i in live]
    inline = list(map(_MEMO_OF, rows))

    def live_coding_of(index: int) -> bool:
        """Memo event ``index`` is on a live coding of its own coder."""
        target = position.get(events[index]["target"])
        return (target is not None and kinds[target] in ("code", "region") and target not in withdrawn
                and coders[target] == coders[index])

    memo_events = [
        i for i in by_kind["memo"]
        if i not in withdrawn and (events[i]["on"] != "coding" or live_coding_of(i))
    ]
    live_regions = [i for i in by_kind["region"] if i not in withdrawn]
    inline_regions = [i for i in live_regions if events[i].get("memo")]
    memos = _memos(events, [live[k] for k, text in enumerate(inline) if text] + inline_regions,
                   memo_events, times)
    on_coding = memos["on"] == "coding"
    memo_of = dict(zip(memos["target"][on_coding], memos["text"][on_coding], strict=True))
    if memo_of or any(inline):
        inline = [memo_of.get(ids[i], "") for i in live]
    final = _code_mapper([events[i] for i in by_kind["recode"]], resolve)
    codings = _codings(code_columns, codes, live_k, rows, inline, moves, final,
                       texts, coder_rank, times, ids.__getitem__)
    history = _history(events, by_kind, code_columns, texts, coder_rank, kinds, times, withdrawn, notes)
    regions = region_frame([events[i] for i in live_regions], memo_of, final,
                           times.array.take(np.asarray(live_regions, dtype=np.int64)))
    return CodingState(codings=codings, memos=memos, history=history, regions=regions)


def _codings(
    code_columns: list[Any], codes: np.ndarray, live_k: np.ndarray, rows: list[dict[str, Any]],
    memo: list[str], moves: dict[int, dict[str, Any]], final: Callable[[str], str],
    texts: dict[str, pd.Series], coder_rank: np.ndarray, times: pd.Series,
    event_id: Callable[[int], str],
) -> pd.DataFrame:
    """The live codings; columns of all code events are built once and taken in row order."""
    document, start, end, original, quote, prefix, suffix, sha256 = code_columns
    if moves:  # re-anchored codings: their new place (on copies; the history keeps the old)
        start, end, quote, prefix, suffix, sha256 = map(list, (start, end, quote, prefix, suffix, sha256))
        for index, move in moves.items():
            k = int(np.searchsorted(codes, index))
            start[k], end[k], quote[k], sha256[k] = move["start"], move["end"], move["quote"], move["sha256"]
            prefix[k] = move.get("prefix", prefix[k])
            suffix[k] = move.get("suffix", suffix[k])
    mapping = {code_id: final(code_id) for code_id in set(original)}
    code = [mapping[c] for c in original]
    starts, ends = np.asarray(start, dtype=np.int64), np.asarray(end, dtype=np.int64)
    keys = [coder_rank[codes[live_k]], _ranks(document)[live_k], starts[live_k], ends[live_k],
            _ranks(code)[live_k]]
    order = _coding_order(keys, lambda k: event_id(int(codes[live_k[k]])))
    chosen = live_k[order]  # index into the code events, in row order
    where = codes[chosen]  # index into all events

    def take(values: Any) -> Any:
        return _text(values).array.take(chosen)

    details = np.empty(len(rows), dtype=object)
    details[:] = list(map(_DETAIL_OF, rows))
    return pd.DataFrame({
        "event_id": texts["event_id"].array.take(where),
        "coder": texts["coder"].array.take(where),
        "document_id": take(document),
        "start": starts[chosen],
        "end": ends[chosen],
        "code_id": take(code),
        "original_code_id": take(original),
        "quote": take(quote),
        "prefix": take(prefix),
        "suffix": take(suffix),
        "sha256": take(sha256),
        "origin": texts["origin"].array.take(where),
        "memo": _text(memo).array.take(order),
        "time": times.array.take(where),
        "detail": details[order],
    }, columns=CODING_COLUMNS)


def _memos(
    events: list[dict[str, Any]], inline: list[int], memo_events: list[int], times: pd.Series
) -> pd.DataFrame:
    """Current memos: coding memos written with the code, then memo events (later wins)."""
    current: dict[tuple[str, str, str], tuple[int, str]] = {}  # key -> (position, text)
    for index in inline:
        event = events[index]
        current[(event["coder"], "coding", event["id"])] = (index, event["memo"])
    for index in memo_events:
        event = events[index]
        current[(event["coder"], event["on"], event["target"])] = (index, event["text"])
    keys = [key for key in sorted(current) if current[key][1]]
    where = [current[k][0] for k in keys]
    return pd.DataFrame({
        "event_id": _text([events[i]["id"] for i in where]),
        "coder": _text([k[0] for k in keys]),
        "on": _text([k[1] for k in keys]),
        "target": _text([k[2] for k in keys]),
        "text": _text([current[k][1] for k in keys]),
        "time": pd.Series(times.array.take(np.asarray(where, dtype=np.int64)), dtype=_TIME),
    }, columns=MEMO_COLUMNS)


def _history(
    events: list[dict[str, Any]], by_kind: dict[str, list[int]], code_columns: list[Any],
    texts: dict[str, pd.Series], coder_rank: np.ndarray, kinds: tuple[str, ...], times: pd.Series,
    withdrawn: set[int], notes: dict[int, str],
) -> pd.DataFrame:
    summary = np.empty(len(events), dtype=object)
    if by_kind["code"]:
        document, start, end, code, quote = code_columns[:5]
        short = [q[:49] + "…" if len(q) > 50 else q for q in quote]  # as _short, in bulk
        if "\n" in "".join(short):
            short = [q.replace("\n", " ") for q in short]
        summary[by_kind["code"]] = [
            f"coded {c} on {d} [{s}:{e}] “{q}”"
            for d, s, e, c, q in zip(document, start, end, code, short, strict=True)
        ]
    others = [i for kind in ("uncode", "memo", "recode", "reanchor", "region") for i in by_kind[kind]]
    if others:
        summary[others] = [_summary(events[i]) for i in others]
    for index, note in notes.items():
        summary[index] += f" ({note})"
    flags = np.zeros(len(events), dtype=bool)
    flags[list(withdrawn)] = True
    target = np.full(len(events), "", dtype=object)
    if others:
        target[others] = [events[i].get("target", "") for i in others]
    history = pd.DataFrame({
        "time": times,
        "coder": texts["coder"],
        "kind": _text(kinds),
        "origin": texts["origin"],
        "summary": _text(summary),
        "event_id": texts["event_id"],
        "target": _text(target),
        "withdrawn": flags,
    }, columns=HISTORY_COLUMNS)
    order = np.lexsort((coder_rank, times.array.asi8))
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
    with gc_paused():
        reads = read_logs(logs_dir)
        coders = sorted(reads)
        if len(coders) == 1:
            events = reads[coders[0]].events
        else:
            events = list(chain.from_iterable(reads[c].events for c in coders))
        problems = [problem for c in coders for problem in reads[c].problems]
        return fold(events, resolve), problems
