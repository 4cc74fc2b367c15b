"""Region codings of pictures: their table in the coding state, and rectangle geometry.

A ``region`` event (see :mod:`raakvlak.coding.events`) codes a rectangle of a
picture document; the fold (:mod:`raakvlak.coding.state`) keeps the live ones in
``CodingState.regions``, one row per event, with the columns of
:data:`REGION_COLUMNS`. Rectangles are ``(left, top, right, bottom)`` in pixels of the
upright picture, right and bottom exclusive, so ``width = right - left``.

Examples
--------
>>> area((0, 0, 10, 20)), intersection((0, 0, 10, 10), (5, 5, 20, 20))
(200, 25)
>>> round(iou((0, 0, 10, 10), (5, 0, 15, 10)), 3)
0.333
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

REGION_COLUMNS = [
    "event_id", "coder", "document_id", "left", "top", "right", "bottom", "code_id",
    "original_code_id", "sha256", "origin", "memo", "time", "detail",
]
"""Columns of ``CodingState.regions``: the event id (the coding's identity), coder,
picture document, rectangle (int), the code it counts as after merges and renames, the
code it was coded with, the stored picture's sha256, origin, memo (``""`` when none),
time (UTC) and the provenance object (or None)."""
BOX = ["left", "top", "right", "bottom"]
Box = tuple[int, int, int, int]


def empty_regions() -> pd.DataFrame:
    """A regions table without rows (the columns and types of :data:`REGION_COLUMNS`)."""
    return region_frame([], {}, lambda code: code, pd.Series([], dtype="datetime64[us, UTC]").array)


def region_frame(events: Sequence[Mapping[str, Any]], memo_of: Mapping[str, str],
                 final: Callable[[str], str], times: Any) -> pd.DataFrame:
    """The live region codings as a table.

    Parameters
    ----------
    events : the live ``region`` events (valid), in log order.
    memo_of : coding event id -> its current memo.
    final : code id -> the id it counts as (merges, renames, ``replaced_by``).
    times : the events' times (datetime, UTC), in the order of ``events``.
    """
    frame = pd.DataFrame({
        "event_id": pd.Series([e["id"] for e in events], dtype=str),
        "coder": pd.Series([e["coder"] for e in events], dtype=str),
        "document_id": pd.Series([e["document_id"] for e in events], dtype=str),
        **{side: np.asarray([e[side] for e in events], dtype=np.int64) for side in BOX},
        "code_id": pd.Series([final(e["code_id"]) for e in events], dtype=str),
        "original_code_id": pd.Series([e["code_id"] for e in events], dtype=str),
        "sha256": pd.Series([e["sha256"] for e in events], dtype=str),
        "origin": pd.Series([e["origin"] for e in events], dtype=str),
        "memo": pd.Series([memo_of.get(e["id"], e.get("memo", "")) for e in events], dtype=str),
        "time": pd.Series(times, dtype="datetime64[us, UTC]"),
        "detail": pd.Series([e.get("detail") for e in events], dtype=object),
    }, columns=REGION_COLUMNS)
    if frame.empty:
        return frame
    order = frame.sort_values(["coder", "document_id", "top", "left", "bottom", "right", "code_id",
                               "event_id"]).index
    return frame.loc[order].reset_index(drop=True)


def box_of(row: Any) -> Box:
    """The rectangle of a regions row (a Series, a namedtuple or a mapping)."""
    get = row.__getitem__ if isinstance(row, Mapping | pd.Series) else lambda k: getattr(row, k)
    return (int(get("left")), int(get("top")), int(get("right")), int(get("bottom")))


def area(box: Box) -> int:
    """Pixels in a rectangle."""
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def intersection(a: Box, b: Box) -> int:
    """Pixels two rectangles share."""
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def iou(a: Box, b: Box) -> float:
    """Intersection over union (the Jaccard index of two rectangles' pixel sets), 0 to 1."""
    shared = intersection(a, b)
    union = area(a) + area(b) - shared
    return shared / union if union else 0.0
