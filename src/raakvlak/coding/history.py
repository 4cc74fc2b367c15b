"""What a coder's own log says about their recent work: undo, redo and recent codes.

The log is the undo history (a fixed decision), so undo and redo survive a closed
notebook, a restarted kernel and a second kernel of the same coder: :func:`undo_stacks`
replays the coder's events and finds what an undo would withdraw and what a redo
would restore. The codes a coder used last (:func:`recent_codes`) come from the same
log, so the palette's keys 1-9 are the same tomorrow.

How the log is read
-------------------
An *action* is a hand-made ``code`` event (origin ``manual`` or ``suggestion``), a
``memo``, or an ``uncode`` that removes a coding or memo. Autocoded and imported
codings are no actions: they are withdrawn by hand, one by one, not by undo.

- undo writes ``uncode`` of the last action still standing, marked
  ``detail: {"action": "undo"}``; the undone action can be redone;
- redo writes ``uncode`` of that undo (which restores what it withdrew), marked
  ``detail: {"action": "redo"}``; the redo is an action again, so it can be undone;
- any new action empties the redo stack, as in every editor.

An ``uncode`` without the mark (logs written before the mark existed) is an undo when
it withdraws the last action and a redo when it withdraws the last undo; otherwise it
is an action of its own.

Examples
--------
>>> def event(id, kind="code", **more):
...     return {"id": id, "kind": kind, "origin": "manual", **more}
>>> events = [event("a", code_id="x"), event("b", code_id="y"),
...           event("u", "uncode", target="b", detail={"action": "undo"})]
>>> undo_stacks(events)
(['a'], ['u'])
>>> recent_codes(events)
['y', 'x']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

UNDOABLE_ORIGINS = frozenset({"manual", "suggestion"})
RECENT = 9
"""How many recent codes a coder's palette offers (keys 1-9)."""


def _mark(event: dict[str, Any]) -> str | None:
    detail = event.get("detail")
    return detail.get("action") if isinstance(detail, dict) else None


def undo_stacks(events: Iterable[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """The undo and redo stacks of one coder's events (in log order).

    Returns
    -------
    undo : ids of the actions an undo would withdraw, the last one last.
    redo : ids of the undo events a redo would withdraw, the last one last.
    """
    undo: list[str] = []
    redo: list[str] = []
    for event in events:
        kind = event.get("kind")
        if kind == "code" and event.get("origin") in UNDOABLE_ORIGINS or kind == "memo":
            undo.append(event["id"])
            redo.clear()
            continue
        if kind != "uncode":
            continue
        target, mark = event.get("target"), _mark(event)
        if mark == "undo" or (mark is None and undo and undo[-1] == target):
            if target in undo:
                undo.remove(target)
            redo.append(event["id"])
        elif mark == "redo" or (mark is None and redo and redo[-1] == target):
            if target in redo:
                redo.remove(target)
            undo.append(event["id"])
        else:  # a removal by hand: an action that undo can take back
            undo.append(event["id"])
            redo.clear()
    return undo, redo


def recent_codes(
    events: Iterable[dict[str, Any]],
    usable: Callable[[str], str | None] | None = None,
    limit: int = RECENT,
) -> list[str]:
    """The codes a coder applied last, most recent first, each once.

    Parameters
    ----------
    events : the coder's events in log order.
    usable : maps a code id to the code to offer instead (a merged code's target), or
        None to leave it out (a retired or unknown code); default: every code as it is.
    limit : how many codes at most.
    """
    found: list[str] = []
    seen: set[str] = set()
    for event in reversed(list(events)):
        if event.get("kind") != "code" or event.get("origin") not in UNDOABLE_ORIGINS:
            continue
        code_id = event["code_id"]
        if code_id in seen:
            continue
        seen.add(code_id)
        offered = usable(code_id) if usable is not None else code_id
        if offered is not None and offered not in found:
            found.append(offered)
            if len(found) >= limit:
                break
    return found
