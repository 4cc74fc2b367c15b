"""Agreement at character level: every character of the documents is a unit.

The documents every compared coder saw are laid end to end in the order of
``documents.csv``; a coder's value for a character is 1 when it lies inside one of
their codings with the code. The table's ``alpha`` is Krippendorff's ``|cu-alpha``
(:func:`~raakvlak.analysis.unitizing.code_unitizing_alpha`) on that continuum, a
unitizing coefficient that knows a coded passage stays in one piece; ``binary_alpha``
is the plain nominal alpha over the characters (see ``docs/agreement.md``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from raakvlak.analysis.agreement import percent_agreement
from raakvlak.analysis.alpha import alpha_of_columns
from raakvlak.analysis.ratings import AgreementError
from raakvlak.analysis.reliability import (
    ALL_CODES,
    Seen,
    check_coders,
    code_order,
    codings_of,
    expand_to_ancestors,
    finish_table,
    seen_documents,
)
from raakvlak.analysis.unitizing import code_unitizing_alpha, unitizing_alpha_binary


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
    codings = expand_to_ancestors(codings_of(codings, coders), parents)
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
    seen_by = seen_documents(seen, coders, codings, documents)
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
    coders = check_coders(coders)
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
    coders = check_coders(coders)
    continuum = _continuum(lengths, codings, coders, seen, parents)
    labels = labels or {}
    order = code_order(continuum.codings["code_id"], codes)
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
    return finish_table(rows, reliable, tentative, extra=["binary_alpha"])


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

