"""Intercoder agreement from codings: reliability data, the per-code table, coder pairs.

The coefficients of :mod:`raakvlak.analysis.agreement` and :mod:`raakvlak.analysis.alpha`
take a coders x units table; this module builds those tables from the codings of the
coders being compared, with turns or sentences as units (characters:
:mod:`raakvlak.analysis.characters`; a whole project: :mod:`raakvlak.analysis.intercoder`).
A unit a coder did not see is missing, not a disagreement; the ``(all codes)`` row is
the pooled coefficient over (unit, code) pairs. ``docs/agreement.md`` says how units,
seen documents and the pooled row are defined, with the references (Krippendorff 2004,
2011; De Vries et al. 2008).

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
from raakvlak.analysis.alpha import krippendorff_alpha, krippendorff_alpha_ci
from raakvlak.analysis.ratings import AgreementError
from raakvlak.analysis.tables import lineage

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
def check_coders(coders: Sequence[str]) -> tuple[str, ...]:
    """The coders compared (a list, or one comma-separated text): two or more, distinct."""
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


def require_columns(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise :class:`AgreementError` naming the ``columns`` ``table`` lacks."""
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise AgreementError(
            f"the {what} table lacks column(s) {', '.join(missing)}; it needs {', '.join(columns)}"
        )


def check_seen(seen: Seen) -> None:
    """Raise :class:`AgreementError` unless ``seen`` is one of :data:`SEEN` or a mapping."""
    if isinstance(seen, str) and seen not in SEEN:
        raise AgreementError(
            f"seen must be one of {', '.join(SEEN)} or a mapping coder -> documents, not {seen!r}"
        )


def codings_of(codings: pd.DataFrame, coders: tuple[str, ...]) -> pd.DataFrame:
    """The codings of ``coders`` (the table must have the columns agreement reads)."""
    require_columns(codings, ["coder", "document_id", "start", "end", "code_id"], "codings")
    return codings[codings["coder"].isin(coders)].reset_index(drop=True)


def seen_documents(
    seen: Seen, coders: tuple[str, ...], codings: pd.DataFrame, documents: Sequence[str]
) -> dict[str, set[str]]:
    """Per coder, the documents they have seen."""
    check_seen(seen)
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


def expand_to_ancestors(codings: pd.DataFrame, parents: Mapping[str, str | None] | None) -> pd.DataFrame:
    """With ``parents``: one row per coding and each of its code's ancestors."""
    if not parents:
        return codings
    chains = {c: lineage(c, parents) for c in codings["code_id"].unique()}
    repeats = codings["code_id"].map(lambda c: len(chains[c])).to_numpy()
    expanded = codings.loc[codings.index.repeat(repeats)].reset_index(drop=True)
    expanded["code_id"] = [code for c in codings["code_id"] for code in chains[c]]
    return expanded


def code_order(used: Iterable[str], codes: Sequence[str] | None) -> list[str]:
    """The codes a table shows: ``codes`` in their order (those used), else the used ones sorted."""
    used = set(used)
    if codes is None:
        return sorted(used)
    order = list(dict.fromkeys(codes))
    return order + sorted(used - set(order))


def check_level(level: str) -> None:
    """Raise :class:`AgreementError` unless ``level`` is one of :data:`LEVELS`."""
    if level not in LEVELS:
        raise AgreementError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")


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


def overlap_pairs(segments: pd.DataFrame, codings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
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
    coders = check_coders(coders)
    require_columns(segments, ["document_id", "start", "end"], "segments")
    codings = expand_to_ancestors(codings_of(codings, coders), parents)
    frame = segments.reset_index(drop=True)
    ids = frame["segment_id"] if "segment_id" in frame.columns else segments.index.to_series()
    documents = frame["document_id"].astype(str).to_numpy()
    seen_by = seen_documents(seen, coders, codings, list(dict.fromkeys(documents)))
    order = code_order(codings["code_id"], codes)
    applied = np.zeros((len(order), len(coders), len(frame)), dtype=bool)
    if len(codings) and len(frame):
        unit, coding = overlap_pairs(frame, codings)
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


def finish_table(rows: list[dict[str, Any]], reliable: float, tentative: float,
                 extra: Sequence[str] = ()) -> pd.DataFrame:
    """The agreement table of ``rows``, each with its verdict against the thresholds."""
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
    return finish_table(rows, reliable, tentative)


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
