"""The context a retrieved quote is read in: its words, its sentence(s), or its turn.

:func:`~raakvlak.analysis.retrieval.retrieve` gives each quote the turn it starts in
as context. Three small codings in one long turn would then show the same turn three
times; :func:`with_context` cuts the context down to what a reader needs:

``words``
    the coded words alone;
``sentence``
    the sentences the quote touches, and with ``around=n`` up to ``n`` sentences
    before and after it, never beyond its turn;
``turn``
    the whole turn (what :func:`retrieve` gives).

Examples
--------
>>> from raakvlak.analysis.retrieval import retrieve
>>> project = Project.find(EXAMPLE)
>>> quotes = retrieve(project, "barrier.regie", coders=["anna"])
>>> short = with_context(project, quotes, "sentence")
>>> bool((short["context"].str.len() <= quotes["context"].str.len()).all())
True
>>> row = short.iloc[0]
>>> row["context"][row["start"] - row["context_start"]:][:len(row["quote"])] == row["quote"]
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from raakvlak.errors import RaakvlakError
from raakvlak.project import Project

CONTEXTS = ("words", "sentence", "turn")


def with_context(project: Project, quotes: pd.DataFrame, context: str = "sentence",
                 around: int = 0) -> pd.DataFrame:
    """``quotes`` with ``context`` and ``context_start`` cut to the chosen context.

    Parameters
    ----------
    project : the project the quotes come from.
    quotes : rows with ``document_id, start, end, quote, context, context_start`` (as
        :func:`~raakvlak.analysis.retrieval.retrieve` returns them).
    context : ``words``, ``sentence`` or ``turn``.
    around : with ``sentence``: how many sentences before and after to add (in the turn).

    Returns
    -------
    A new DataFrame, the same rows and columns; the input is not changed.

    Raises
    ------
    RaakvlakError
        For an unknown context or a negative ``around``.
    """
    if context not in CONTEXTS:
        raise RaakvlakError(f"context must be one of {', '.join(CONTEXTS)}, not {context!r}")
    if not isinstance(around, int) or around < 0:
        raise RaakvlakError(f"around must be a whole number of sentences >= 0, not {around!r}")
    result = quotes.copy()
    if context == "turn" or result.empty:
        return result
    if context == "words":
        result["context"] = result["quote"]
        result["context_start"] = result["start"]
        return result
    documents = sorted(set(result["document_id"]))
    sentences = project.corpus.segments(level="sentence", documents=documents)
    texts = {d: project.corpus.text(d) for d in documents}
    contexts, starts = [], []
    by_document = {d: _arrays(table) for d, table in sentences.groupby("document_id")}
    for row in result.itertuples(index=False):
        arrays = by_document.get(row.document_id)
        span = _sentences(*arrays, int(row.start), int(row.end), around) if arrays else None
        if span is None:  # no sentence holds it: keep the words
            contexts.append(str(row.quote))
            starts.append(int(row.start))
            continue
        contexts.append(texts[row.document_id][span[0]:span[1]])
        starts.append(span[0])
    result["context"] = pd.Series(contexts, index=result.index, dtype=result["context"].dtype)
    result["context_start"] = pd.Series(starts, index=result.index, dtype="int64")
    return result


def _arrays(table: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Starts, ends and turn ids of a document's sentences, in text order."""
    table = table.sort_values("start")
    turns = table["segment_id"].str.rsplit(".", n=1).str[0].to_numpy()
    return table["start"].to_numpy(), table["end"].to_numpy(), turns


def _sentences(starts: np.ndarray, ends: np.ndarray, turns: np.ndarray, start: int, end: int,
               around: int) -> tuple[int, int] | None:
    """(start, end) of the sentences overlapping ``[start, end)`` and ``around`` more on
    each side within the turn of the first one; None when no sentence overlaps."""
    hit = np.flatnonzero((starts < end) & (ends > start))
    if not len(hit):
        return None
    first, last = int(hit[0]), int(hit[-1])
    same = np.flatnonzero(turns == turns[first])
    low = max(int(same[0]), first - around)
    high = min(int(same[-1]), last + around) if last <= same[-1] else last
    return int(min(starts[low], start)), int(max(ends[high], end))
