"""Retrieval: the coded quotes a query finds, with their context and variables."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from raakvlak.analysis.code_tree import code_parents
from raakvlak.analysis.data import Filter, apply_filter, project_codings, segments_with_variables
from raakvlak.analysis.query import codes_in, evaluate, parse
from raakvlak.analysis.units import overlaps, unit_codes
from raakvlak.ids import code_matcher
from raakvlak.project import Project

RESULT_COLUMNS = [
    "document_id", "segment_id", "speaker", "role", "timestamp", "coder", "code_id",
    "start", "end", "quote", "context", "context_start", "memo", "origin", "event_id",
]


def retrieve(
    project: Project,
    query: str | None = None,
    level: str = "turn",
    coders: Sequence[str] | None = None,
    where: Filter | None = None,
) -> pd.DataFrame:
    """Coded quotes matching a code query, with context, filtered by variables and coder.

    Parameters
    ----------
    project : the project.
    query : a code query (see :mod:`raakvlak.analysis.query`); None for every coding.
    level : ``turn`` or ``sentence``: the segments a query is evaluated on and the context shown.
    coders : only codings of these coders (default: all).
    where : filters on segment, document and speaker variables, e.g.
        ``{"role": "Docent", "site": ["Noord", "Zuid"]}``.

    Returns
    -------
    DataFrame, one row per coding whose code the query names, inside a segment the
    query selects: ``document_id, segment_id, speaker, role, timestamp, coder, code_id,
    start, end, quote, context, context_start, memo, origin, event_id`` plus the
    filter columns. ``context`` is the text of the segment where the quote starts, and
    ``context_start`` that segment's offset (so the quote sits at ``start - context_start``).

    Examples
    --------
    >>> quotes = retrieve(Project.find(EXAMPLE), "barrier.* AND NOT barrier.privacy", coders=["anna"])
    >>> sorted(set(quotes["coder"])), bool(quotes["code_id"].str.startswith("barrier.").all())
    (['anna'], True)
    >>> "barrier.privacy" in set(quotes["code_id"])
    False
    """
    codings = project_codings(project, coders)
    segments = segments_with_variables(project, level)
    units = apply_filter(segments, where)
    pairs = overlaps(units, codings)
    if query is not None:
        tree = parse(query)
        parents = code_parents(project.codebook)
        selected = units[evaluate(tree, units, unit_codes(units, codings), parents)]
        patterns = codes_in(tree)
        pairs = pairs[pairs["unit"].isin(selected.index)]
        named = pd.Series(False, index=codings.index)
        for pattern in patterns:
            named |= codings["code_id"].map(code_matcher(pattern, parents)).astype(bool)
        pairs = pairs[named.loc[pairs["coding"]].to_numpy()]
    first = pairs.drop_duplicates("coding", keep="first")
    rows = codings.loc[first["coding"]].reset_index(drop=True)
    context = units.loc[first["unit"]].reset_index(drop=True)
    result = pd.concat(
        [
            rows[["coder", "code_id", "start", "end", "quote", "memo", "origin", "event_id"]],
            context[["document_id", "segment_id", "speaker", "role", "timestamp"]],
            context["text"].rename("context"),
            context["start"].rename("context_start"),
            context[[c for c in (where or {}) if c not in RESULT_COLUMNS]],
        ],
        axis=1,
    )
    extra = [c for c in result.columns if c not in RESULT_COLUMNS]
    ordered = result[RESULT_COLUMNS + extra]
    return ordered.sort_values(["document_id", "start", "code_id", "coder"], kind="stable").reset_index(drop=True)
