"""Intercoder agreement of a project: reliability data, the per-code table, coder pairs.

The coefficient functions of :mod:`raakvlak.analysis.agreement` take a coders x units
table. This module builds those tables from the codings of the coders being compared
and computes the table a methods section reports: one row per code and one for all
codes, each with its verdict against the project's thresholds.

Units
-----
``level="turn"`` or ``"sentence"``
    The segments of that level (:meth:`raakvlak.corpus.Corpus.segments`). Per code,
    a coder's value for a segment is 1 when one of their codings *with that code*
    shares at least one character with the segment, 0 when they saw the segment's
    document but did not apply the code there, and missing (NaN) when they did not see
    the document. Sub-codes do not count for their parent unless ``rollup=True``
    (then a parent counts its descendants' codings: each segment once).
``level="character"``
    Every character (code point) of the documents, laid end to end in the order of
    ``documents.csv``; the value is 1 when the character lies inside one of the
    coder's codings with the code. The table's ``alpha`` is then Krippendorff's
    ``|cu-alpha`` (:func:`~raakvlak.analysis.unitizing.code_unitizing_alpha`) on that
    continuum, a unitizing coefficient that knows a coded passage stays in one piece;
    ``binary_alpha`` is the plain nominal alpha over the characters. The two differ
    only in the expected disagreement (a coded passage is not split by chance), so on
    texts much longer than the passages they are close. The continuum of
    ``|cu-alpha`` holds the documents every compared coder saw (a span coefficient
    has no missing values); the per-character figures use every character two or
    more coders saw.

What a coder has *seen* (``seen=``)
-----------------------------------
A unit a coder did not see is missing, not a disagreement (Krippendorff 2011:
alpha uses every pairable value and skips the rest).

``"coded-documents"`` (default)
    A coder has seen a document when their log holds a live coding in it (with any
    code) or a memo on that document. Blind double coding usually splits the corpus
    into a shared part and parts coded by one coder only; the documents a coder never
    opened say nothing about their judgement. The catch: a document a coder read and
    found nothing to code in counts as unseen -- write a document memo ("read, nothing
    to code") to count it.
``"all"``
    Every coder has seen every document (every uncoded segment is a 0).
a mapping ``{coder: [document_id, ...]}``
    Explicit lists (e.g. from a coding plan).

A unit counts for a coefficient when at least two coders saw it (``units`` in the
table); units seen by one coder are left out, which is what the coefficients do
with missing values anyway.

All codes together
------------------
The ``(all codes)`` row stacks the per-code tables: every pair (segment, code) is one
binary unit, over the codes at least one of the compared coders applied (codes no one
used would add only agreement on absence). This is the *pooled* coefficient of De
Vries, Elliott, Kanouse and Teleki (2008), computed with alpha as well as kappa;
it weighs every code by how often it could have been applied. ``overall="sets"`` in
:func:`reliability_data` gives instead one nominal value per segment: the set of
codes as a text (``"a, b"``, ``""`` for none), which counts any difference in the set
as a full disagreement; the exact coefficient for sets of codes is Krippendorff and
Craggs' (2016) multi-valued alpha, not implemented here. At character level the
``(all codes)`` alpha is ``|u-alpha`` over the codes' continua laid end to end (one
stretch of the length of the corpus per code), the unitizing counterpart of the
stacking; its ``binary_alpha`` and percent agreement stack (character, code) pairs.

References
----------
De Vries, H., Elliott, M. N., Kanouse, D. E., & Teleki, S. S. (2008). Using pooled
kappa to summarize interrater agreement across many items. *Field Methods*, 20(3),
272-282. Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
University of Pennsylvania, https://repository.upenn.edu/asc_papers/43.
Krippendorff, K. (2004). *Content Analysis* (2nd ed.). Sage, chapter 11 (.800 and
.667). Krippendorff, K., & Craggs, R. (2016). The reliability of multi-valued coding
of data. *Communication Methods and Measures*, 10(4), 181-198. Krippendorff, K.,
Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the reliability of unitizing
textual continua: Further developments. *Quality & Quantity*, 50(6), 2347-2364.

Examples
--------
>>> segments = pd.DataFrame({"document_id": ["d", "d", "d", "d"],
...                          "segment_id": ["d:1", "d:2", "d:3", "d:4"],
...                          "start": [0, 10, 20, 30], "end": [9, 19, 29, 39]})
>>> codings = pd.DataFrame({"coder": ["anna", "anna", "bram"], "document_id": ["d"] * 3,
...                         "start": [1, 21, 22], "end": [5, 25, 24], "code_id": ["x"] * 3})
>>> data = reliability_data(segments, codings, ["anna", "bram"], code="x")
>>> data.columns.tolist(), data.to_numpy().tolist()
(['d:1', 'd:2', 'd:3', 'd:4'], [[1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 0.0]])
>>> code_agreement(segments, codings, ["anna", "bram"])[["code_id", "units", "alpha", "verdict"]]
       code_id  units     alpha     verdict
0            x      4  0.533333  unreliable
1  (all codes)      4  0.533333  unreliable
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from raakvlak.analysis.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    percent_agreement,
)
from raakvlak.analysis.alpha import alpha_of_columns, krippendorff_alpha, krippendorff_alpha_ci
from raakvlak.analysis.ratings import AgreementError
from raakvlak.analysis.tables import codebook_hierarchy, lineage
from raakvlak.analysis.unitizing import code_unitizing_alpha, unitizing_alpha_binary
from raakvlak.project import Project

SEEN = ("coded-documents", "all")
LEVELS = ("turn", "sentence", "character")
OVERALL = ("pairs", "sets")
ALL_CODES = "(all codes)"
"""The ``code_id`` of the row for all codes together."""

TABLE_COLUMNS = ["code_id", "label", "units", "coded_by_any", "percent_agreement", "cohen_kappa",
                 "fleiss_kappa", "brennan_prediger", "alpha", "alpha_low", "alpha_high", "verdict"]
PAIR_COLUMNS = ["coder_a", "coder_b", "units", "percent_agreement", "cohen_kappa", "alpha"]
VERDICTS = ("reliable", "tentative", "unreliable", "undefined")

Seen = str | Mapping[str, Iterable[str]]


# ---------------------------------------------------------------------- checking input
def _check_coders(coders: Sequence[str]) -> tuple[str, ...]:
    if isinstance(coders, str):
        coders = [c.strip() for c in coders.split(",") if c.strip()]
    coders = tuple(coders)
    if len(coders) < 2:
        raise AgreementError(
            f"agreement compares at least 2 coders, got {list(coders)}; name them, e.g. "
            "coders=['anna', 'bram'] (or --coders anna,bram)"
        )
    repeated = sorted({c for c in coders if coders.count(c) > 1})
    if repeated:
        raise AgreementError(f"coder(s) {', '.join(repeated)} named twice; name every coder once")
    return coders


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise AgreementError(
            f"the {what} table lacks column(s) {', '.join(missing)}; it needs {', '.join(columns)}"
        )


def _check_seen(seen: Seen) -> None:
    if isinstance(seen, str) and seen not in SEEN:
        raise AgreementError(
            f"seen must be one of {', '.join(SEEN)} or a mapping coder -> documents, not {seen!r}"
        )


def _codings_of(codings: pd.DataFrame, coders: tuple[str, ...]) -> pd.DataFrame:
    _require(codings, ["coder", "document_id", "start", "end", "code_id"], "codings")
    return codings[codings["coder"].isin(coders)].reset_index(drop=True)


def _seen_documents(
    seen: Seen, coders: tuple[str, ...], codings: pd.DataFrame, documents: Sequence[str]
) -> dict[str, set[str]]:
    """Per coder, the documents they have seen."""
    _check_seen(seen)
    if isinstance(seen, str):
        if seen == "all":
            return {c: set(documents) for c in coders}
        found = codings.groupby("coder")["document_id"].agg(set).to_dict()
        return {c: set(found.get(c, ())) for c in coders}
    unknown = sorted(set(coders) - set(seen))
    if unknown:
        raise AgreementError(
            f"seen= names no documents for coder(s) {', '.join(unknown)}; give every coder "
            "a list (an empty list when they saw nothing)"
        )
    return {c: {str(d) for d in seen[c]} for c in coders}


def _expand(codings: pd.DataFrame, parents: Mapping[str, str | None] | None) -> pd.DataFrame:
    """With ``parents``: one row per coding and each of its code's ancestors."""
    if not parents:
        return codings
    chains = {c: lineage(c, parents) for c in codings["code_id"].unique()}
    repeats = codings["code_id"].map(lambda c: len(chains[c])).to_numpy()
    expanded = codings.loc[codings.index.repeat(repeats)].reset_index(drop=True)
    expanded["code_id"] = [code for c in codings["code_id"] for code in chains[c]]
    return expanded


def _code_order(used: Iterable[str], codes: Sequence[str] | None) -> list[str]:
    used = set(used)
    if codes is None:
        return sorted(used)
    order = list(dict.fromkeys(codes))
    return order + sorted(used - set(order))


# ---------------------------------------------------------------------- segment units
@dataclass(frozen=True)
class Units:
    """Who applied which code to which segment, and who saw it.

    Attributes
    ----------
    coders : the coders compared, in order.
    codes : the codes (rows of ``applied``), in order.
    unit_ids : the segments' ids (``segment_id``, or the index labels).
    documents : the document of each segment.
    applied : bool array (codes, coders, units).
    seen : bool array (coders, units).
    """

    coders: tuple[str, ...]
    codes: tuple[str, ...]
    unit_ids: pd.Index
    documents: np.ndarray
    applied: np.ndarray
    seen: np.ndarray

    def values(self, code: str) -> np.ndarray:
        """The coders x units table of one code: 1, 0 or NaN (not seen)."""
        if code not in self.codes:
            return np.where(self.seen, np.float32(0), np.float32(np.nan))
        return np.where(self.seen, self.applied[self.codes.index(code)], np.float32(np.nan))

    def pooled(self, codes: Sequence[str] | None = None) -> np.ndarray:
        """The stacked table: one binary unit per (segment, code), coders x (units * codes)."""
        rows = [self.codes.index(c) for c in (self.codes if codes is None else codes)]
        applied = self.applied[rows].transpose(1, 2, 0)  # coders, units, codes
        values = np.where(self.seen[:, :, None], applied, np.float32(np.nan))
        return values.reshape(len(self.coders), -1)

    @property
    def used(self) -> np.ndarray:
        """Per code: did any coder apply it to a unit they saw."""
        return (self.applied & self.seen[None]).any(axis=(1, 2))


def _overlap_pairs(segments: pd.DataFrame, codings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Positions (segment, coding) of every pair sharing at least one character.

    The join of :func:`raakvlak.analysis.units.overlaps` without a loop over codings:
    documents and offsets become one sorted key, so two ``searchsorted`` calls find
    each coding's first and last segment (segments of one level never overlap).
    """
    documents = pd.Index(pd.unique(segments["document_id"].to_numpy()))
    seg_doc = documents.get_indexer(segments["document_id"].to_numpy()).astype(np.int64)
    cod_doc = documents.get_indexer(codings["document_id"].to_numpy()).astype(np.int64)
    known = np.flatnonzero(cod_doc >= 0)
    span = int(max(segments["end"].max(), codings["end"].max())) + 1
    seg_start = seg_doc * span + segments["start"].to_numpy(dtype=np.int64)
    seg_end = seg_doc * span + segments["end"].to_numpy(dtype=np.int64)
    order = np.argsort(seg_start, kind="stable")
    seg_start, seg_end = seg_start[order], seg_end[order]
    cod_start = cod_doc[known] * span + codings["start"].to_numpy(dtype=np.int64)[known]
    cod_end = cod_doc[known] * span + codings["end"].to_numpy(dtype=np.int64)[known]
    first = np.searchsorted(seg_end, cod_start, side="right")
    last = np.searchsorted(seg_start, cod_end, side="left")
    counts = np.maximum(last - first, 0)
    coding = np.repeat(known, counts)
    steps = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    unit = order[np.repeat(first, counts) + steps]
    return unit, coding


def segment_units(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    coders: Sequence[str],
    seen: Seen = "coded-documents",
    codes: Sequence[str] | None = None,
    parents: Mapping[str, str | None] | None = None,
) -> Units:
    """Who applied which code to which segment (the one overlap join of every table here).

    Parameters
    ----------
    segments : one level of segments with ``document_id, start, end`` (and
        ``segment_id``, used as the unit id when present).
    codings : codings with ``coder, document_id, start, end, code_id``.
    coders : the coders compared (two or more).
    seen : ``"coded-documents"``, ``"all"`` or ``{coder: documents}`` (module docstring).
    codes : the codes, in order (default: the codes used, sorted); codes used but not
        listed follow, sorted.
    parents : code -> parent code: a parent counts its descendants' codings.

    Returns
    -------
    Units
    """
    coders = _check_coders(coders)
    _require(segments, ["document_id", "start", "end"], "segments")
    codings = _expand(_codings_of(codings, coders), parents)
    frame = segments.reset_index(drop=True)
    ids = frame["segment_id"] if "segment_id" in frame.columns else segments.index.to_series()
    documents = frame["document_id"].astype(str).to_numpy()
    seen_by = _seen_documents(seen, coders, codings, list(dict.fromkeys(documents)))
    order = _code_order(codings["code_id"], codes)
    applied = np.zeros((len(order), len(coders), len(frame)), dtype=bool)
    if len(codings) and len(frame):
        unit, coding = _overlap_pairs(frame, codings)
        code_index = pd.Index(order).get_indexer(codings["code_id"].to_numpy()[coding])
        coder_index = pd.Index(coders).get_indexer(codings["coder"].to_numpy()[coding])
        applied[code_index, coder_index, unit] = True
    seen_mask = np.stack([np.isin(documents, list(seen_by[c])) for c in coders])
    return Units(coders, tuple(order), pd.Index(ids.astype(str).to_numpy(), name="unit"),
                 documents, applied, seen_mask)


def reliability_data(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    coders: Sequence[str],
    code: str | None = None,
    seen: Seen = "coded-documents",
    overall: str = "pairs",
    parents: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """The coders x units table of one code, or of all codes, ready for the coefficients.

    Parameters
    ----------
    segments, codings, coders, seen, parents : as for :func:`segment_units`.
    code : a code id; None for all codes together (see ``overall``).
    overall : for ``code=None``: ``"pairs"`` (one binary unit per segment and used
        code; columns are a MultiIndex ``(unit, code_id)``) or ``"sets"`` (one nominal
        value per segment: the sorted codes joined by ``", "``).

    Returns
    -------
    DataFrame
        Index ``coder``, columns ``unit`` (segment ids); 1.0 applied, 0.0 seen but not
        applied, NaN not seen (for ``"sets"``: text, None when not seen).

    Examples
    --------
    >>> segments = pd.DataFrame({"document_id": ["d", "d", "e"], "segment_id": ["d:1", "d:2", "e:1"],
    ...                          "start": [0, 10, 0], "end": [9, 19, 9]})
    >>> codings = pd.DataFrame({"coder": ["anna", "anna", "bram", "anna"],
    ...                         "document_id": ["d", "d", "d", "e"], "start": [1, 2, 1, 3],
    ...                         "end": [5, 5, 5, 4], "code_id": ["x", "y", "x", "x"]})
    >>> sets = reliability_data(segments, codings, ["anna", "bram"], overall="sets")
    >>> sets.loc["anna"].tolist(), sets.loc["bram"].tolist()
    (['x, y', '', 'x'], ['x', '', None])
    """
    if overall not in OVERALL:
        raise AgreementError(f"overall must be one of {', '.join(OVERALL)}, not {overall!r}")
    units = segment_units(segments, codings, coders, seen, parents=parents)
    index = pd.Index(units.coders, name="coder")
    if code is not None:
        return pd.DataFrame(units.values(code), index=index, columns=units.unit_ids)
    used = [c for c, u in zip(units.codes, units.used, strict=True) if u]
    if overall == "pairs":
        columns = pd.MultiIndex.from_product([units.unit_ids, used], names=["unit", "code_id"])
        return pd.DataFrame(units.pooled(used), index=index, columns=columns)
    names = np.asarray(units.codes, dtype=object)
    cells = np.empty(units.seen.shape, dtype=object)
    for i in range(len(units.coders)):
        for u in range(units.seen.shape[1]):
            if units.seen[i, u]:
                cells[i, u] = ", ".join(names[units.applied[:, i, u]])
    return pd.DataFrame(cells, index=index, columns=units.unit_ids, dtype=object)


# ---------------------------------------------------------------------- coefficients
def verdict(alpha: float, reliable: float = 0.800, tentative: float = 0.667) -> str:
    """``reliable`` (alpha >= reliable), ``tentative``, ``unreliable`` or ``undefined`` (NaN).

    Examples
    --------
    >>> [verdict(a) for a in (0.85, 0.7, 0.2, float("nan"))]
    ['reliable', 'tentative', 'unreliable', 'undefined']
    """
    if alpha is None or math.isnan(alpha):
        return "undefined"
    if alpha >= reliable:
        return "reliable"
    if alpha >= tentative:
        return "tentative"
    return "unreliable"


def _pairable(values: np.ndarray) -> np.ndarray:
    return values[:, (~np.isnan(values)).sum(axis=0) >= 2]


def _coefficients(values: np.ndarray, ci: bool, n_boot: int, random_state: int,
                  pair_only: bool = False) -> dict[str, float]:
    """Every coefficient of one coders x units table (undefined -> NaN, silently)."""
    nan = float("nan")
    result = dict(units=values.shape[1], percent_agreement=nan, cohen_kappa=nan, fleiss_kappa=nan,
                  brennan_prediger=nan, alpha=nan, alpha_low=nan, alpha_high=nan)
    if values.shape[1] == 0:
        return result
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result["percent_agreement"] = percent_agreement(values)
        if values.shape[0] == 2:
            result["cohen_kappa"] = cohen_kappa(values)
        if not pair_only:
            result["fleiss_kappa"] = fleiss_kappa(values, incomplete="gwet")
            result["brennan_prediger"] = brennan_prediger(values, categories=[0.0, 1.0])
        if ci:
            interval = krippendorff_alpha_ci(values, n_boot=n_boot, random_state=random_state)
            result.update(alpha=interval.alpha, alpha_low=interval.low, alpha_high=interval.high)
        else:
            result["alpha"] = krippendorff_alpha(values)
    return result


def _finish(rows: list[dict[str, Any]], reliable: float, tentative: float,
            extra: Sequence[str] = ()) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=[*TABLE_COLUMNS[:-1], *extra, "verdict"])
    table["verdict"] = [verdict(a, reliable, tentative) for a in table["alpha"]]
    for column in ("units", "coded_by_any"):
        table[column] = table[column].astype("int64")
    return table


def code_agreement(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    coders: Sequence[str],
    seen: Seen = "coded-documents",
    codes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    parents: Mapping[str, str | None] | None = None,
    reliable: float = 0.800,
    tentative: float = 0.667,
    ci: bool = False,
    n_boot: int = 1000,
    random_state: int = 0,
) -> pd.DataFrame:
    """The per-code agreement table on segments, and a row for all codes.

    Parameters
    ----------
    segments, codings, coders, seen, parents : as for :func:`segment_units`.
    codes : the codes that get a row, in order (e.g. the codebook's live codes; codes
        nobody applied get an ``undefined`` row); codes used but not listed follow,
        sorted. Default: the codes used.
    labels : code id -> label (default: the id).
    reliable, tentative : the thresholds of the verdict (Krippendorff 2004: .800, .667).
    ci : add a bootstrap confidence interval of alpha (``n_boot`` samples; slower).
    random_state : seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per code, then ``(all codes)`` (stacked (segment, code) units over the
        codes used): ``code_id, label, units`` (segments seen by two or more coders),
        ``coded_by_any`` (of those, segments at least one coder applied the code to),
        ``percent_agreement, cohen_kappa`` (2 coders only, else NaN), ``fleiss_kappa``
        (Gwet's 2014 form for units some coder did not see), ``brennan_prediger``
        (q = 2), ``alpha`` (nominal), ``alpha_low, alpha_high`` (NaN unless ``ci``),
        ``verdict``.
    """
    units = segment_units(segments, codings, coders, seen, codes=codes, parents=parents)
    labels = labels or {}
    pairable = units.seen.sum(axis=0) >= 2
    rows = []
    for k, code in enumerate(units.codes):
        values = units.values(code)[:, pairable]
        row = _coefficients(values, ci, n_boot, random_state)
        coded = (units.applied[k][:, pairable] & units.seen[:, pairable]).any(axis=0)
        rows.append(dict(code_id=code, label=labels.get(code, code), coded_by_any=int(coded.sum()), **row))
    used = [c for c, u in zip(units.codes, units.used, strict=True) if u]
    row = _coefficients(_pairable(units.pooled(used)) if used else np.zeros((len(units.coders), 0)),
                        ci, n_boot, random_state)
    row["units"] = int(pairable.sum())
    coded_any = (units.applied[:, :, pairable] & units.seen[None, :, pairable]).any(axis=(0, 1))
    rows.append(dict(code_id=ALL_CODES, label=ALL_CODES, coded_by_any=int(coded_any.sum()), **row))
    return _finish(rows, reliable, tentative)


def coder_pairs(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    coders: Sequence[str],
    code: str | None = None,
    seen: Seen = "coded-documents",
    parents: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """Cohen's kappa, percent agreement and alpha for every pair of coders.

    Parameters
    ----------
    segments, codings, coders, seen, parents : as for :func:`segment_units`.
    code : one code; None for all codes (stacked (segment, code) units).

    Returns
    -------
    DataFrame
        ``coder_a, coder_b, units`` (segments both saw), ``percent_agreement,
        cohen_kappa, alpha`` (for all codes: over the (segment, code) pairs of the codes
        either coder of the whole group used); one row per pair, in the order of ``coders``.
    """
    units = segment_units(segments, codings, coders, seen, parents=parents)
    if code is None:
        used = [c for c, u in zip(units.codes, units.used, strict=True) if u]
        values = units.pooled(used) if used else np.zeros((len(units.coders), 0))
    else:
        values = units.values(code)
    rows = []
    for a, b in combinations(range(len(units.coders)), 2):
        pair = _pairable(values[[a, b]])
        row = _coefficients(pair, False, 0, 0, pair_only=True)
        row["units"] = int((units.seen[a] & units.seen[b]).sum())
        rows.append(dict(coder_a=units.coders[a], coder_b=units.coders[b], **row))
    table = pd.DataFrame(rows, columns=PAIR_COLUMNS)
    table["units"] = table["units"].astype("int64")
    return table


# ---------------------------------------------------------------------- disagreements
DISAGREEMENT_COLUMNS = ["unit", "document_id", "speaker", "quote"]


def disagreement_list(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    coders: Sequence[str],
    seen: Seen = "coded-documents",
    codes: Sequence[str] | None = None,
    parents: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """The segments where the coders who saw them applied different codes.

    Parameters
    ----------
    segments : as for :func:`segment_units`; ``speaker`` and ``text`` are shown when present.
    codings, coders, seen, parents : as for :func:`segment_units`.
    codes : the order codes are listed in (e.g. the codebook's).

    Returns
    -------
    DataFrame
        One row per disputed segment, in segment order: ``unit`` (segment id),
        ``document_id, speaker, quote`` (the segment's text), one column per coder
        (their codes on the segment joined by ``", "``; ``""`` for none, None when
        they did not see it) and ``codes_in_dispute`` (codes some but not all of the
        coders who saw the segment applied).
    """
    units = segment_units(segments, codings, coders, seen, codes=codes, parents=parents)
    frame = segments.reset_index(drop=True)
    applied = units.applied & units.seen[None]
    count = applied.sum(axis=1)  # codes x units
    n_seen = units.seen.sum(axis=0)
    dispute = (count > 0) & (count < n_seen[None]) & (n_seen[None] >= 2)
    names = np.asarray(units.codes, dtype=object)
    rows = []
    for u in np.flatnonzero(dispute.any(axis=0)):
        row = {
            "unit": units.unit_ids[u],
            "document_id": units.documents[u],
            "speaker": frame["speaker"].iloc[u] if "speaker" in frame.columns else "",
            "quote": frame["text"].iloc[u] if "text" in frame.columns else "",
        }
        for i, coder in enumerate(units.coders):
            row[coder] = ", ".join(names[applied[:, i, u]]) if units.seen[i, u] else None
        row["codes_in_dispute"] = ", ".join(names[dispute[:, u]])
        rows.append(row)
    return pd.DataFrame(rows, columns=[*DISAGREEMENT_COLUMNS, *units.coders, "codes_in_dispute"])


# ---------------------------------------------------------------------- characters
@dataclass(frozen=True)
class _Continuum:
    documents: tuple[str, ...]
    offsets: np.ndarray  # start of each document on the continuum
    lengths: np.ndarray
    coders: tuple[str, ...]
    codings: pd.DataFrame  # with global start/end (columns g_start, g_end)
    seen: np.ndarray  # bool (coders, documents)

    @property
    def length(self) -> int:
        return int(self.lengths.sum())

    def seen_characters(self) -> np.ndarray:
        return np.repeat(self.seen, self.lengths, axis=1)

    def marks(self, code: str) -> np.ndarray:
        """bool (coders, characters): inside one of the coder's codings with ``code``."""
        rows = self.codings[self.codings["code_id"] == code]
        diff = np.zeros((len(self.coders), self.length + 1), dtype=np.int32)
        coder = pd.Index(self.coders).get_indexer(rows["coder"])
        np.add.at(diff, (coder, rows["g_start"].to_numpy()), 1)
        np.add.at(diff, (coder, rows["g_end"].to_numpy()), -1)
        return np.cumsum(diff[:, :-1], axis=1) > 0

    def shared(self) -> tuple[np.ndarray, int]:
        """Documents every coder saw: mask over documents and their total length."""
        mask = self.seen.all(axis=0)
        return mask, int(self.lengths[mask].sum())

    def shared_spans(self, codes: Sequence[str], stride: int = 0) -> dict[str, list[tuple[int, int, str]]]:
        """Each coder's spans on the continuum of the shared documents; with ``stride``
        the spans of the i-th code are moved by ``i * stride`` (codes laid end to end)."""
        mask, _ = self.shared()
        new_offset = np.concatenate(([0], np.cumsum(self.lengths[mask])))[:-1]
        where = dict(zip(np.asarray(self.documents)[mask], new_offset, strict=True))
        spans: dict[str, list[tuple[int, int, str]]] = {c: [] for c in self.coders}
        position = {c: i for i, c in enumerate(codes)}
        rows = self.codings[self.codings["document_id"].isin(where) & self.codings["code_id"].isin(position)]
        for coder, document, start, end, code in zip(rows["coder"], rows["document_id"], rows["start"],
                                                     rows["end"], rows["code_id"], strict=True):
            shift = int(where[document]) + position[code] * stride
            spans[coder].append((int(start) + shift, int(end) + shift, code if not stride else "marked"))
        return spans


def _continuum(lengths: Mapping[str, int], codings: pd.DataFrame, coders: tuple[str, ...],
               seen: Seen, parents) -> _Continuum:
    documents = tuple(str(d) for d in lengths)
    size = np.asarray([int(lengths[d]) for d in lengths], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(size)))[:-1]
    codings = _expand(_codings_of(codings, coders), parents)
    known = codings["document_id"].isin(documents)
    codings = codings[known].reset_index(drop=True)
    where = dict(zip(documents, offsets, strict=True))
    length_of = dict(zip(documents, size, strict=True))
    too_long = codings["end"].to_numpy() > codings["document_id"].map(length_of).to_numpy()
    if too_long.any():
        bad = codings[too_long].iloc[0]
        raise AgreementError(
            f"coding of {bad['coder']!r} with code {bad['code_id']!r} ends at {bad['end']} in "
            f"document {bad['document_id']!r}, beyond its {length_of[bad['document_id']]} code "
            "points; re-anchor the codings after the document changed"
        )
    shift = codings["document_id"].map(where).to_numpy(dtype=np.int64)
    codings = codings.assign(g_start=codings["start"].to_numpy(dtype=np.int64) + shift,
                             g_end=codings["end"].to_numpy(dtype=np.int64) + shift)
    seen_by = _seen_documents(seen, coders, codings, documents)
    mask = np.stack([np.isin(np.asarray(documents), list(seen_by[c])) for c in coders])
    return _Continuum(documents, offsets, size, coders, codings, mask)


def character_data(
    lengths: Mapping[str, int],
    codings: pd.DataFrame,
    coders: Sequence[str],
    code: str,
    seen: Seen = "coded-documents",
    parents: Mapping[str, str | None] | None = None,
) -> pd.DataFrame:
    """The coders x characters table of one code (1 inside a coding, 0 outside, NaN unseen).

    Parameters
    ----------
    lengths : document id -> length of its canonical text in code points, in the order
        the documents are laid end to end.
    codings, coders, seen, parents : as for :func:`segment_units`.
    code : the code.

    Returns
    -------
    DataFrame
        Index ``coder``, columns a MultiIndex ``(document_id, offset)``.
    """
    coders = _check_coders(coders)
    continuum = _continuum(lengths, codings, coders, seen, parents)
    values = np.where(continuum.seen_characters(), continuum.marks(code), np.nan)
    columns = pd.MultiIndex.from_arrays(
        [np.repeat(np.asarray(continuum.documents, dtype=object), continuum.lengths),
         np.concatenate([np.arange(n) for n in continuum.lengths]) if len(continuum.lengths) else []],
        names=["document_id", "offset"])
    return pd.DataFrame(values, index=pd.Index(coders, name="coder"), columns=columns)


def _character_patterns(continuum: _Continuum, code: str) -> tuple[np.ndarray, np.ndarray]:
    """The distinct coders' columns of one code's character table and how many characters
    have each (only columns with two or more coders who saw them).

    Characters between two consecutive span or document boundaries all have the same
    column, so the table is never built character by character.
    """
    rows = continuum.codings[continuum.codings["code_id"] == code]
    points = np.unique(np.concatenate([
        [0, continuum.length], continuum.offsets, rows["g_start"].to_numpy(), rows["g_end"].to_numpy()]))
    starts, widths = points[:-1], np.diff(points)
    document = np.searchsorted(continuum.offsets, starts, side="right") - 1
    columns = np.empty((len(continuum.coders), len(starts)), dtype=np.int64)
    for i, coder in enumerate(continuum.coders):
        mine = rows[rows["coder"] == coder]
        opened = np.searchsorted(np.sort(mine["g_start"].to_numpy()), starts, side="right")
        closed = np.searchsorted(np.sort(mine["g_end"].to_numpy()), starts, side="right")
        columns[i] = np.where(continuum.seen[i, document], (opened > closed).astype(np.int64), -1)
    keep = (columns >= 0).sum(axis=0) >= 2
    patterns, inverse = np.unique(columns[:, keep], axis=1, return_inverse=True)
    counts = np.bincount(inverse.ravel(), weights=widths[keep], minlength=patterns.shape[1])
    return patterns, counts.astype(np.int64)


def _weighted_binary(patterns: np.ndarray, counts: np.ndarray) -> tuple[float, float]:
    """Percent agreement and nominal alpha of binary columns ``patterns`` (-1 missing),
    each present ``counts`` times (exactly as if every column were repeated)."""
    nan = float("nan")
    total = counts.sum()
    if total == 0:
        return nan, nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        shares = np.asarray([percent_agreement(np.where(column < 0, np.nan, column)[:, None])
                             for column in patterns.T])
        alpha = alpha_of_columns(patterns, counts, np.array([0.0, 1.0]))
    return float(shares @ counts / total), alpha


def character_agreement(
    lengths: Mapping[str, int],
    codings: pd.DataFrame,
    coders: Sequence[str],
    seen: Seen = "coded-documents",
    codes: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    parents: Mapping[str, str | None] | None = None,
    reliable: float = 0.800,
    tentative: float = 0.667,
) -> pd.DataFrame:
    """The per-code agreement table on characters.

    Parameters
    ----------
    lengths : document id -> text length (code points), in continuum order.
    codings, coders, seen, codes, labels, parents, reliable, tentative : as for
        :func:`code_agreement`.

    Returns
    -------
    DataFrame
        The columns of :func:`code_agreement` plus ``binary_alpha``. ``units`` are the
        characters seen by two or more coders and ``coded_by_any`` those of them inside
        a coding of the code. ``alpha`` is ``|cu-alpha`` on the documents every coder
        saw, laid end to end; ``percent_agreement`` and ``binary_alpha`` (nominal alpha)
        treat every character as a binary unit. Cohen's, Fleiss' and Brennan-Prediger's
        kappa and the bootstrap interval are left empty: characters are not independent
        units, and Krippendorff et al. (2016) give the unitizing alphas for them. The
        ``(all codes)`` row holds ``|u-alpha`` over the codes' continua laid end to end,
        and the percent agreement and binary alpha of all (character, code) pairs.
    """
    coders = _check_coders(coders)
    continuum = _continuum(lengths, codings, coders, seen, parents)
    labels = labels or {}
    order = _code_order(continuum.codings["code_id"], codes)
    pairable_documents = continuum.seen.sum(axis=0) >= 2
    units = int(continuum.lengths[pairable_documents].sum())
    _, shared_length = continuum.shared()
    nan = float("nan")
    rows, all_patterns, all_counts = [], [], []
    for code in order:
        patterns, counts = _character_patterns(continuum, code)
        all_patterns.append(patterns)
        all_counts.append(counts)
        percent, binary = _weighted_binary(patterns, counts)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            unitized = (code_unitizing_alpha(continuum.shared_spans([code]), shared_length, code)
                        if shared_length else nan)
        coded = int(counts[(patterns == 1).any(axis=0)].sum())
        rows.append(dict(code_id=code, label=labels.get(code, code), units=units, coded_by_any=coded,
                         percent_agreement=percent, cohen_kappa=nan, fleiss_kappa=nan,
                         brennan_prediger=nan, alpha=unitized, alpha_low=nan, alpha_high=nan,
                         binary_alpha=binary))
    used = [r["code_id"] for r in rows if r["coded_by_any"] > 0]
    pooled, percent, binary = nan, nan, nan
    if used:
        if shared_length:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                pooled = unitizing_alpha_binary(continuum.shared_spans(used, stride=shared_length),
                                                shared_length * len(used))
        keep = [k for k, r in enumerate(rows) if r["coded_by_any"] > 0]
        stacked = np.concatenate([all_patterns[k] for k in keep], axis=1)
        patterns, inverse = np.unique(stacked, axis=1, return_inverse=True)
        counts = np.bincount(inverse.ravel(), weights=np.concatenate([all_counts[k] for k in keep]))
        percent, binary = _weighted_binary(patterns, counts.astype(np.int64))
    marked = _marked_characters(continuum, pairable_documents)
    rows.append(dict(code_id=ALL_CODES, label=ALL_CODES, units=units, coded_by_any=marked,
                     percent_agreement=percent, cohen_kappa=nan, fleiss_kappa=nan, brennan_prediger=nan,
                     alpha=pooled, alpha_low=nan, alpha_high=nan, binary_alpha=binary))
    return _finish(rows, reliable, tentative, extra=["binary_alpha"])


def _marked_characters(continuum: _Continuum, pairable_documents: np.ndarray) -> int:
    """Characters of documents seen by two or more coders inside any coding of a coder who saw them."""
    rows = continuum.codings
    document = rows["document_id"].map({d: i for i, d in enumerate(continuum.documents)}).to_numpy()
    coder = pd.Index(continuum.coders).get_indexer(rows["coder"])
    keep = pairable_documents[document] & continuum.seen[coder, document]
    starts = np.sort(rows["g_start"].to_numpy()[keep])
    ends = np.sort(rows["g_end"].to_numpy()[keep])
    points = np.unique(np.concatenate([starts, ends]))
    if len(points) < 2:
        return 0
    inside = (np.searchsorted(starts, points[:-1], side="right")
              > np.searchsorted(ends, points[:-1], side="right"))
    return int(np.diff(points)[inside].sum())


# ---------------------------------------------------------------------- projects
def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise AgreementError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")


@dataclass(frozen=True)
class ProjectCodings:
    """What the project-level functions read once: codings, document memos, codebook order."""

    codings: pd.DataFrame
    seen: Seen
    order: list[str]
    labels: dict[str, str]
    parents: dict[str, str | None]


def project_codings_for(project: Project, coders: Sequence[str], seen: Seen = "coded-documents") -> ProjectCodings:
    """The compared coders' live codings (merged codes resolved) and what each has seen.

    With ``seen="coded-documents"`` the documents a coder coded in or wrote a memo on.
    """
    from raakvlak.analysis.data import anchored

    coders = _check_coders(coders)
    _check_seen(seen)
    codebook = project.codebook
    state, _ = project.coding_state(merged=True)
    codings = anchored(project, state.codings[state.codings["coder"].isin(coders)].reset_index(drop=True))
    memos = state.memos
    document_memos = memos[(memos["on"] == "document") & memos["coder"].isin(coders)]
    silent = sorted(set(coders) - set(codings["coder"]) - set(document_memos["coder"]))
    if silent:
        known = ", ".join(sorted(state.codings["coder"].unique())) or "none yet"
        raise AgreementError(
            f"coder(s) {', '.join(silent)} have no codings in coding/logs; coders with "
            f"codings: {known}"
        )
    if seen == "coded-documents":
        coded = codings.groupby("coder")["document_id"].unique()
        noted = document_memos.groupby("coder")["target"].unique()
        seen = {c: set(coded.get(c, [])) | set(noted.get(c, [])) for c in coders}
    order, parents = codebook_hierarchy(codebook)
    labels = {code.id: code.label(project.language) for code in codebook}
    return ProjectCodings(codings, seen, order, labels, parents)


def _segments(project: Project, level: str) -> pd.DataFrame:
    return project.corpus.segments(level=level)


def _lengths(project: Project) -> dict[str, int]:
    return {d: len(project.corpus.text(d)) for d in project.corpus.ids}


def agreement_data(
    source: Project | tuple[pd.DataFrame, pd.DataFrame],
    coders: Sequence[str],
    code: str | None = None,
    level: str = "turn",
    seen: Seen = "coded-documents",
    overall: str = "pairs",
    rollup: bool = False,
) -> pd.DataFrame:
    """The coders x units table of a project (or of ``(segments, codings)`` frames).

    Parameters
    ----------
    source : a :class:`~raakvlak.Project`, or a pair ``(segments, codings)`` of frames
        (for ``level="character"``: ``(lengths, codings)`` with ``lengths`` a mapping
        document id -> text length).
    coders : the coders compared.
    code : a code id, or None for all codes (``overall``; not at character level).
    level : ``"turn"``, ``"sentence"`` or ``"character"``.
    seen : ``"coded-documents"`` (coded in, or a document memo), ``"all"``, or a mapping.
    overall : ``"pairs"`` or ``"sets"`` (see :func:`reliability_data`).
    rollup : a parent code counts its descendants' codings (projects only).

    Returns
    -------
    DataFrame
        Coders x units: 1.0, 0.0, NaN for a unit the coder did not see.

    Examples
    --------
    >>> from raakvlak.analysis import krippendorff_alpha
    >>> data = agreement_data(project, ["anna", "bram"], code="barrier.regie")  # doctest: +SKIP
    >>> krippendorff_alpha(data)  # doctest: +SKIP
    """
    _check_level(level)
    coders = _check_coders(coders)
    if isinstance(source, Project):
        read = project_codings_for(source, coders, seen)
        codings, seen = read.codings, read.seen
        parents = read.parents if rollup else None
        base = _lengths(source) if level == "character" else _segments(source, level)
    else:
        base, codings = source
        parents = None
    if level == "character":
        if code is None:
            raise AgreementError("at character level name one code (code='...'); the table of "
                                 "all codes together would hold characters x codes cells")
        return character_data(base, codings, coders, code, seen, parents)
    return reliability_data(base, codings, coders, code, seen, overall, parents)


def agreement_table(
    project: Project,
    coders: Sequence[str],
    level: str = "turn",
    seen: Seen = "coded-documents",
    ci: bool = False,
    rollup: bool = False,
    n_boot: int = 1000,
    random_state: int = 0,
) -> pd.DataFrame:
    """The per-code agreement table of a project, in codebook order, with verdicts.

    One row per live code of the codebook (and per code used but not in it), then
    ``(all codes)``; columns as :func:`code_agreement` (``character_agreement`` at
    character level). Verdicts use ``[agreement] reliable`` and ``tentative`` of
    ``raakvlak.toml``.

    Parameters
    ----------
    project : the project.
    coders : the coders compared (two or more).
    level : ``"turn"``, ``"sentence"`` or ``"character"``.
    seen : what a coder has seen (module docstring).
    ci : add the bootstrap interval of alpha (``n_boot`` samples, seed ``random_state``).
    rollup : a parent code counts its descendants' codings.
    """
    _check_level(level)
    read = project_codings_for(project, coders, seen)
    settings = project.settings
    common = dict(seen=read.seen, codes=read.order, labels=read.labels,
                  parents=read.parents if rollup else None, reliable=settings.reliable,
                  tentative=settings.tentative, ci=ci, n_boot=n_boot, random_state=random_state)
    if level == "character":
        for unused in ("ci", "n_boot", "random_state"):
            common.pop(unused)
        return character_agreement(_lengths(project), read.codings, coders, **common)
    return code_agreement(_segments(project, level), read.codings, coders, **common)


def pairwise_kappa(
    project: Project,
    coders: Sequence[str],
    code: str | None = None,
    level: str = "turn",
    seen: Seen = "coded-documents",
    rollup: bool = False,
) -> pd.DataFrame:
    """Cohen's kappa (and percent agreement, alpha) for every pair of coders of a project.

    See :func:`coder_pairs`; ``code=None`` pools all codes ((segment, code) units).
    """
    _check_level(level)
    if level == "character":
        raise AgreementError("pairwise kappa is computed on segments: use level 'turn' or 'sentence'")
    read = project_codings_for(project, coders, seen)
    return coder_pairs(_segments(project, level), read.codings, coders, code, read.seen,
                       read.parents if rollup else None)


def disagreements(
    project: Project,
    coders: Sequence[str],
    level: str = "turn",
    seen: Seen = "coded-documents",
    rollup: bool = False,
) -> pd.DataFrame:
    """The disagreement list of a project for the consensus meeting.

    See :func:`disagreement_list`: one row per segment where the coders who saw it
    differ, with the quote, each coder's codes (codebook order) and the codes in dispute.
    """
    _check_level(level)
    if level == "character":
        raise AgreementError("the disagreement list is per segment: use level 'turn' or 'sentence'")
    read = project_codings_for(project, coders, seen)
    return disagreement_list(_segments(project, level), read.codings, coders, read.seen,
                             read.order, read.parents if rollup else None)


# ---------------------------------------------------------------------- figure
VERDICT_COLOURS = {"reliable": "#1b7837", "tentative": "#e08214", "unreliable": "#b2182b",
                   "undefined": "#bababa"}


def alpha_figure(table: pd.DataFrame, reliable: float = 0.800, tentative: float = 0.667,
                 title: str = "", labels: bool = True):
    """Alpha per code as horizontal bars, coloured by verdict, the thresholds as lines.

    Parameters
    ----------
    table : a table of :func:`agreement_table` (``code_id, label, alpha, verdict``).
    reliable, tentative : where the threshold lines go (the project's settings).
    title : the figure's title.
    labels : show the codes' labels (True) or their ids.

    Returns
    -------
    matplotlib.figure.Figure
        Codes top to bottom in table order; an undefined alpha has no bar and says
        "undefined". Made with the object interface (no pyplot): Jupyter shows it;
        save it with :func:`raakvlak.analysis.figures.save_figure`.

    Examples
    --------
    >>> table = pd.DataFrame({"code_id": ["a", "b", ALL_CODES], "label": ["A", "B", ALL_CODES],
    ...                       "alpha": [0.9, float("nan"), 0.7], "verdict": ["reliable", "undefined", "tentative"]})
    >>> fig = alpha_figure(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A', 'B', '(all codes)']
    """
    from matplotlib.figure import Figure

    _require(table, ["code_id", "alpha", "verdict"], "agreement")
    names = table["label" if labels and "label" in table.columns else "code_id"].astype(str).tolist()
    alphas = table["alpha"].to_numpy(dtype=float)
    height = 1.2 + 0.28 * len(table)
    fig = Figure(figsize=(7.5, height), layout="constrained")
    ax = fig.add_subplot()
    positions = np.arange(len(table))
    colours = [VERDICT_COLOURS.get(v, "#bababa") for v in table["verdict"]]
    ax.barh(positions, np.nan_to_num(alphas, nan=0.0), color=colours, height=0.7)
    for position, alpha in zip(positions, alphas, strict=True):
        if math.isnan(alpha):
            ax.text(0.01, position, "undefined", va="center", fontsize=8, color="#555555")
    ax.axvline(reliable, color="#1b7837", linestyle="--", linewidth=1, label=f"reliable ({reliable:.3f})")
    ax.axvline(tentative, color="#e08214", linestyle=":", linewidth=1.2, label=f"tentative ({tentative:.3f})")
    ax.axvline(0, color="#333333", linewidth=0.6)
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    low = min(0.0, float(np.nanmin(alphas)) if np.isfinite(alphas).any() else 0.0)
    ax.set_xlim(low - 0.05, 1.05)
    ax.set_xlabel("Krippendorff's alpha")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return fig


# ---------------------------------------------------------------------- report
def _number(value: float, digits: int = 3) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


MARKS = {"reliable": "", "tentative": "?", "unreliable": "!", "undefined": "-"}


def agreement_report(
    project: Project,
    coders: Sequence[str],
    level: str = "turn",
    as_json: bool = False,
    seen: Seen = "coded-documents",
    ci: bool = False,
) -> str:
    """The text ``raakvlak agreement`` prints: the per-code table and the overall figures.

    Codes below the thresholds are marked: ``?`` tentative (below ``reliable``), ``!``
    unreliable (below ``tentative``), ``-`` undefined. With ``as_json`` the same
    content as JSON (NaN as null): ``project, coders, level, seen, thresholds, codes,
    overall, pairs``.
    """
    coders = _check_coders(coders)
    table = agreement_table(project, coders, level=level, seen=seen, ci=ci)
    pairs = pairwise_kappa(project, coders, level=level, seen=seen) if level != "character" else None
    settings = project.settings
    codes, overall = table[table["code_id"] != ALL_CODES], table[table["code_id"] == ALL_CODES]
    if as_json:
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: (None if isinstance(v, float) and math.isnan(v) else v)
                     for k, v in row.items()} for row in frame.to_dict("records")]

        payload = {
            "project": project.name, "coders": list(coders), "level": level,
            "seen": seen if isinstance(seen, str) else "given",
            "thresholds": {"reliable": settings.reliable, "tentative": settings.tentative},
            "codes": records(codes), "overall": records(overall)[0],
            "pairs": records(pairs) if pairs is not None else [],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default)
    width = max([len("code"), *(len(str(c)) for c in table["code_id"])])
    if level == "character":  # per character: percent agreement and binary alpha; alpha is |cu-alpha
        numbers = [("%agree", "percent_agreement", 7), ("bin-alpha", "binary_alpha", 9),
                   ("|cu-alpha", "alpha", 9)]
    else:
        numbers = [("%agree", "percent_agreement", 7), ("kappa", "cohen_kappa", 7),
                   ("fleiss", "fleiss_kappa", 7), ("BP", "brennan_prediger", 7), ("alpha", "alpha", 7)]
    header = " ".join(f"{name:>{size}}" for name, _, size in numbers)
    lines = [
        f"Intercoder agreement: {project.name}",
        f"coders {', '.join(coders)}; units: {level}; seen: "
        f"{seen if isinstance(seen, str) else 'given'}; thresholds reliable >= "
        f"{settings.reliable:.3f}, tentative >= {settings.tentative:.3f}",
        "",
        f"  {'code':<{width}} {'units':>7} {'coded':>7} {header}  verdict",
    ]
    for row in table.to_dict("records"):
        if row["code_id"] == ALL_CODES:
            lines.append("")
        interval = f" [{_number(row['alpha_low'])}, {_number(row['alpha_high'])}]" if ci else ""
        values = " ".join(f"{_number(row[column]):>{size}}" for _, column, size in numbers)
        lines.append(f"{MARKS[row['verdict']]:1} {row['code_id']:<{width}} {row['units']:>7} "
                     f"{row['coded_by_any']:>7} {values}  {row['verdict']}{interval}")
    counts = codes["verdict"].value_counts()
    lines += ["", "codes: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS),
              "marks: ? below reliable, ! below tentative, - undefined (no variation or too few units)"]
    if pairs is not None and len(pairs):
        lines += ["", "coder pairs (all codes pooled): units both saw, % agreement, Cohen's kappa, alpha"]
        for row in pairs.itertuples(index=False):
            lines.append(f"  {row.coder_a} - {row.coder_b}: {row.units}, {_number(row.percent_agreement)}, "
                         f"{_number(row.cohen_kappa)}, {_number(row.alpha)}")
    return "\n".join(lines) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
