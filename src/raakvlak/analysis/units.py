"""Which codings touch which segments: the join every table and statistic starts from."""

from __future__ import annotations

import numpy as np
import pandas as pd


def overlaps(segments: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """Pairs of (segment, coding) that overlap by at least one character.

    Parameters
    ----------
    segments : segments of one level (non-overlapping within a document), with
        ``document_id, start, end``; their index is kept as ``unit``.
    codings : codings with ``document_id, start, end`` (and any other columns).

    Returns
    -------
    DataFrame with ``unit`` (the segment's index label) and ``coding`` (the coding's
    index label), one row per overlapping pair, in document order.

    Examples
    --------
    >>> seg = pd.DataFrame({"document_id": ["d", "d", "d"], "start": [0, 10, 20], "end": [9, 19, 29]})
    >>> cod = pd.DataFrame({"document_id": ["d"], "start": [5], "end": [12]})
    >>> overlaps(seg, cod)["unit"].tolist()
    [0, 1]
    """
    units, coded = [], []
    by_document = {d: g for d, g in segments.groupby("document_id", sort=False)}
    for document_id, group in codings.groupby("document_id", sort=False):
        seg = by_document.get(document_id)
        if seg is None:
            continue
        seg = seg.sort_values("start")
        starts, ends = seg["start"].to_numpy(), seg["end"].to_numpy()
        first = np.searchsorted(ends, group["start"].to_numpy(), side="right")
        last = np.searchsorted(starts, group["end"].to_numpy(), side="left")
        labels = seg.index.to_numpy()
        for coding, i, j in zip(group.index, first, last, strict=True):
            units.extend(labels[i:j])
            coded.extend([coding] * (j - i))
    return pd.DataFrame({"unit": units, "coding": coded})


def unit_codes(segments: pd.DataFrame, codings: pd.DataFrame) -> pd.Series:
    """For each segment, the frozenset of code ids of the codings that overlap it."""
    pairs = overlaps(segments, codings)
    pairs["code_id"] = codings.loc[pairs["coding"], "code_id"].to_numpy()
    grouped = pairs.groupby("unit")["code_id"].agg(frozenset)
    return pd.Series([grouped.get(u, frozenset()) for u in segments.index], index=segments.index)
