"""Krippendorff's alpha for unitizing: agreement on freely marked spans of a continuum.

Coders mark spans ``(start, end, code)`` on one continuum ``[0, length)`` -- a
canonical text in code points, 0-based and end-exclusive, or several texts laid end
to end. What a coder left unmarked are *gaps*. A span without a code (``code=None``,
or a ``(start, end)`` pair) is plain unitizing.

Functions
---------
- :func:`unitizing_alpha` -- u-alpha: units, their codes and the gaps together.
- :func:`unitizing_alpha_binary` -- \\|u-alpha: marked matter vs gaps, codes ignored.
- :func:`code_unitizing_alpha` -- \\|cu-alpha: marking one code vs everything else.
- :func:`coding_alpha` -- (c)u-alpha: the codes given where marked units intersect.
- :func:`unitizing_alpha_1995` -- Krippendorff's older u-alpha (1995; 2004) with its
  position-sensitive distances between units.

The first four follow Krippendorff, Mathet, Bouvry and Widlöcher (2016). They read
the continuum as ``m x length`` pairable points: every stretch where coder ``i`` has
value ``c`` (a code or the gap) and coder ``j != i`` has value ``k`` adds its length
to the coincidence ``l_ck`` (divided by ``m - 1``), and chance expects a marked unit
to stay in one piece (its ``l^2`` self-pairs are removed) while a gap may be cut
anywhere (only its ``l`` points are removed).

Overlapping spans of one coder with the same code are merged into their union.
Overlapping spans of one coder with *different* codes do not partition the continuum;
the coefficients that need a partition (:func:`unitizing_alpha`, :func:`coding_alpha`)
refuse them and :func:`code_unitizing_alpha` (one code at a time) takes them.
Undefined results are ``nan`` with a RuntimeWarning; bad input raises
:class:`~raakvlak.analysis.ratings.AgreementError`.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from raakvlak.analysis.ratings import AgreementError

Spans = Mapping[Hashable, Iterable[Sequence[Any]]] | Sequence[Iterable[Sequence[Any]]]
_ALL = object()  # every span, whatever its code


@dataclass(frozen=True)
class _Partition:
    """Coders' segments over elementary intervals of the continuum."""

    lengths: np.ndarray  # (E,) length of each elementary interval
    values: np.ndarray  # (m, E) value index per coder: 0 = gap, 1.. = code
    segment: np.ndarray  # (m, E) global segment id per coder
    seg_start: np.ndarray  # (S,) start of every segment (all coders)
    seg_end: np.ndarray  # (S,) end of every segment
    seg_value: np.ndarray  # (S,) value index of every segment
    codes: tuple[Any, ...]  # codes behind value indices 1..


def _undefined(statistic: str, why: str) -> float:
    warnings.warn(f"{statistic} is undefined: {why}; returning nan.", RuntimeWarning, stacklevel=3)
    return float("nan")


def _read_spans(spans: Spans, length: int) -> tuple[list[str], list[list[tuple[int, int, Any]]]]:
    if not isinstance(length, numbers.Integral) or isinstance(length, bool) or length <= 0:
        raise AgreementError(
            f"length must be a positive whole number (code points), got {length!r}."
        )
    if isinstance(spans, Mapping):
        names = [str(coder) for coder in spans]
        groups = list(spans.values())
    elif isinstance(spans, Sequence) and not isinstance(spans, (str, bytes)):
        names = [f"coder {i}" for i in range(len(spans))]
        groups = list(spans)
    else:
        raise AgreementError(
            "spans must map each coder to a list of (start, end, code) spans, or be a list "
            f"with one such list per coder; got {type(spans).__name__}."
        )
    if len(groups) < 2:
        raise AgreementError(f"unitizing agreement needs at least 2 coders, got {len(groups)}.")
    result = []
    for name, group in zip(names, groups, strict=True):
        if isinstance(group, (str, bytes)):
            raise AgreementError(f"{name}: expected a list of spans, got a string.")
        clean = []
        for span in group:
            if (
                isinstance(span, (str, bytes))
                or not isinstance(span, Sequence)
                or len(span) not in (2, 3)
            ):
                raise AgreementError(
                    f"{name}: span {span!r} is not (start, end) or (start, end, code)."
                )
            start, end = span[0], span[1]
            code = span[2] if len(span) == 3 else None
            for offset in (start, end):
                if not isinstance(offset, numbers.Integral) or isinstance(offset, bool):
                    raise AgreementError(
                        f"{name}: span {tuple(span)!r} has a non-integer offset; offsets are "
                        "code points (0-based, end-exclusive)."
                    )
            if not 0 <= start < end <= length:
                raise AgreementError(
                    f"{name}: span {tuple(span)!r} does not satisfy 0 <= start < end <= "
                    f"length ({length}); fix or drop it."
                )
            clean.append((int(start), int(end), code))
        result.append(clean)
    return names, result


def _merge(spans: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any]]:
    """Union of overlapping spans that carry the same code (touching spans stay apart)."""
    merged: list[tuple[int, int, Any]] = []
    by_code: dict[Any, list[tuple[int, int]]] = {}
    for start, end, code in spans:
        by_code.setdefault(code, []).append((start, end))
    for code, pieces in by_code.items():
        pieces.sort()
        current_start, current_end = pieces[0]
        for start, end in pieces[1:]:
            if start < current_end:
                current_end = max(current_end, end)
            else:
                merged.append((current_start, current_end, code))
                current_start, current_end = start, end
        merged.append((current_start, current_end, code))
    return sorted(merged, key=lambda span: (span[0], span[1]))


def _partition(
    names: list[str], spans_by_coder: list[list[tuple[int, int, Any]]], length: int
) -> _Partition:
    """Each coder's spans plus gaps as a partition of [0, length), on shared intervals."""
    codes: dict[Any, int] = {}
    segments: list[tuple[int, int, int, int]] = []  # start, end, value, coder
    for i, (name, spans) in enumerate(zip(names, spans_by_coder, strict=True)):
        spans = _merge(spans)
        position = 0
        for n, (start, end, code) in enumerate(spans):
            following = spans[n + 1] if n + 1 < len(spans) else None
            if following is not None and following[0] < end:
                raise AgreementError(
                    f"{name}: spans {(start, end, code)!r} and {following!r} overlap with "
                    "different codes, so they do not partition the text; compute agreement "
                    "per code with code_unitizing_alpha."
                )
            if start > position:
                segments.append((position, start, 0, i))
            segments.append((start, end, codes.setdefault(code, len(codes) + 1), i))
            position = end
        if position < length:
            segments.append((position, length, 0, i))
    seg_start_a, seg_end_a, seg_value_a, owner_a = (
        np.asarray(segments, dtype=np.int64).reshape(-1, 4).T
    )
    bounds = np.unique(np.concatenate([seg_start_a, [length]]))
    lengths = np.diff(bounds)
    m = len(names)
    segment = np.empty((m, len(lengths)), dtype=np.int64)
    for i in range(m):
        mine = np.flatnonzero(owner_a == i)
        local = np.searchsorted(seg_start_a[mine], bounds[:-1], side="right") - 1
        segment[i] = mine[local]
    return _Partition(
        lengths, seg_value_a[segment], segment, seg_start_a, seg_end_a, seg_value_a, tuple(codes)
    )


def _observed(part: _Partition, n_values: int) -> np.ndarray:
    """l_ck: summed lengths where coder i has c and coder j != i has k, over (m - 1)."""
    m = part.values.shape[0]
    size = n_values * n_values
    total = np.zeros(size)
    for i in range(m - 1):
        for j in range(i + 1, m):
            index = part.values[i] * n_values + part.values[j]
            total += np.bincount(index, weights=part.lengths, minlength=size)
    total = total.reshape(n_values, n_values)
    return (total + total.T) / (m - 1)


def _expected(observed: np.ndarray, self_pairs: np.ndarray) -> np.ndarray:
    """e_ck = l.. (l_c l_k - [c = k] S_c) / (l..^2 - sum_c S_c)."""
    margin = observed.sum(axis=1)
    total = margin.sum()
    denominator = total**2 - self_pairs.sum()
    numerator = np.outer(margin, margin) - np.diag(self_pairs)
    with np.errstate(divide="ignore", invalid="ignore"):
        return total * numerator / denominator


def _family(spans: Spans, length: int, code: Any = _ALL) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected coincidences (value 0 = gap) of the 2016 family."""
    names, spans_by_coder = _read_spans(spans, length)
    if code is not _ALL:
        spans_by_coder = [
            [(s, e, True) for s, e, c in group if c == code] for group in spans_by_coder
        ]
    part = _partition(names, spans_by_coder, length)
    n_values = len(part.codes) + 1
    observed = _observed(part, n_values)
    seg_length = (part.seg_end - part.seg_start).astype(float)
    own = np.where(part.seg_value == 0, seg_length, seg_length**2)
    self_pairs = np.bincount(part.seg_value, weights=own, minlength=n_values)
    return observed, _expected(observed, self_pairs)


def _binary_alpha(observed: np.ndarray, expected: np.ndarray, statistic: str) -> float:
    """1 - l_(gap, marked) / e_(gap, marked)."""
    disagree = observed[0, 1:].sum()
    chance = expected[0, 1:].sum()
    if not chance > 0:
        return _undefined(statistic, "no coder marked anything, or everything was marked")
    return float(1.0 - disagree / chance)


def unitizing_alpha(spans: Spans, length: int) -> float:
    """u-alpha: agreement on where units are, and which code they carry, gaps included.

    Every coder's spans and the gaps between them partition ``[0, length)``. With
    ``l_ck`` the observed coincidences (summed lengths of intersections where coder
    ``i`` has value ``c`` and another coder ``j`` has ``k``, value 0 = gap, divided by
    ``m - 1``; ``l.. = m * length``) and the expected coincidences

    ``e_ck = l.. (l_c. l_.k - [c = k] S_c) / (l..^2 - sum_c S_c)``,

    where ``S_c`` sums ``l_g^2`` over the units ``g`` of code ``c`` and ``l_g`` over
    the gaps (an identified unit cannot be split by chance, a gap can),

    ``u-alpha = 1 - (l.. - sum_c l_cc) / (l.. - sum_c e_cc)`` (nominal).

    Parameters
    ----------
    spans : mapping or sequence
        Per coder a list of ``(start, end, code)`` (or ``(start, end)``) spans;
        a mapping ``{coder: spans}`` or one list per coder.
    length : int
        Length of the continuum; spans lie in ``[0, length)``.

    Returns
    -------
    float
        1 for identical unitizing and coding; ``nan`` with a RuntimeWarning when
        undefined (e.g. nothing marked by anyone).

    References
    ----------
    Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the
    reliability of unitizing textual continua: Further developments. *Quality &
    Quantity*, 50(6), 2347-2364, section 5.1 (u-alpha) with the observed and expected
    coincidences of sections 3-4.

    Examples
    --------
    Krippendorff's (2004) two-category example (continuum 150-450 shifted to 0-300):
    both observers agree on category k, and differ on where c begins and ends:

    >>> spans = {"i": [(30, 90, "k"), (150, 200, "k")],
    ...          "j": [(30, 90, "k"), (150, 200, "k")]}
    >>> unitizing_alpha(spans, 300)
    1.0
    >>> spans = {"i": [(75, 145, "c"), (220, 250, "c")],
    ...          "j": [(70, 150, "c"), (205, 225, "c"), (250, 270, "c")]}
    >>> round(unitizing_alpha(spans, 300), 4)
    0.5163
    """
    observed, expected = _family(spans, length)
    total = observed.sum()
    chance = total - np.trace(expected)
    if not chance > 0:
        return _undefined("u-alpha", "there is no variation to disagree about")
    return float(1.0 - (total - np.trace(observed)) / chance)


def unitizing_alpha_binary(spans: Spans, length: int) -> float:
    """\\|u-alpha: agreement on which matter is marked at all, codes ignored.

    The 2016 coincidences of :func:`unitizing_alpha` with all codes taken together
    against the gaps: ``|u-alpha = 1 - l_(gap, marked) / e_(gap, marked)`` where
    ``l_(gap, marked) = sum_(k != gap) l_(gap, k)`` and likewise for ``e``. Each unit
    keeps its own code when the expected coincidences are computed (a unit stays in
    one piece by chance).

    Parameters
    ----------
    spans : mapping or sequence
        Per coder a list of ``(start, end, code)`` or ``(start, end)`` spans.
    length : int
        Length of the continuum.

    Returns
    -------
    float
        ``nan`` with a RuntimeWarning when nobody marked anything (or all of it).

    References
    ----------
    Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the
    reliability of unitizing textual continua: Further developments. *Quality &
    Quantity*, 50(6), 2347-2364, section 5.2 (\\|u-alpha).

    Examples
    --------
    Category c of Krippendorff's (2004) example, continuum of 300:

    >>> spans = {"i": [(75, 145), (220, 250)], "j": [(70, 150), (205, 225), (250, 270)]}
    >>> round(unitizing_alpha_binary(spans, 300), 4)
    0.5163
    """
    observed, expected = _family(spans, length)
    return _binary_alpha(observed, expected, "|u-alpha")


def code_unitizing_alpha(spans: Spans, length: int, code: Any) -> float:
    """\\|cu-alpha: agreement on marking one code, everything else counting as a gap.

    Only the spans carrying ``code`` are units (a coder's overlapping spans of that
    code are merged); the rest of the continuum -- gaps and spans of other codes -- is
    "not this code". The result is :func:`unitizing_alpha_binary` on that data:
    ``1 - l_(not c, c) / e_(not c, c)``. Overlapping codes (one passage coded with
    several codes) are allowed, which makes this the coefficient for a per-code table.

    Parameters
    ----------
    spans : mapping or sequence
        Per coder a list of ``(start, end, code)`` spans.
    length : int
        Length of the continuum.
    code : hashable
        The code whose unitizing is assessed.

    Returns
    -------
    float
        ``nan`` with a RuntimeWarning when no coder used the code.

    References
    ----------
    Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the
    reliability of unitizing textual continua: Further developments. *Quality &
    Quantity*, 50(6), 2347-2364, section 5.2 (the binary \\|u-alpha, applied to one
    category c against all other matter: \\|cu-alpha).

    Examples
    --------
    >>> spans = {"i": [(75, 145, "c"), (220, 250, "c"), (30, 90, "k")],
    ...          "j": [(70, 150, "c"), (205, 225, "c"), (250, 270, "c"), (30, 90, "k")]}
    >>> round(code_unitizing_alpha(spans, 300, "c"), 4)
    0.5163
    >>> code_unitizing_alpha(spans, 300, "k")
    1.0
    """
    observed, expected = _family(spans, length, code)
    return _binary_alpha(observed, expected, f"|cu-alpha for code {code!r}")


def coding_alpha(spans: Spans, length: int) -> float:
    """(c)u-alpha: agreement on the codes given where coders' marked units intersect.

    Gaps are left out: only stretches that coder ``i`` and coder ``j != i`` both
    marked count, with ``l_ck`` (codes ``c``, ``k``) as in :func:`unitizing_alpha`.
    With ``l'_c`` the row totals over codes only, ``l'..`` their sum and
    ``S'_c = (1 / (m - 1)) sum_i sum_(j != i) sum_(units g of i with code c)
    (length of g marked by j)^2`` (the part of a unit that can be paired stays in one
    piece by chance),

    ``e'_ck = l'.. (l'_c l'_k - [c = k] S'_c) / (l'..^2 - sum_c S'_c)``,
    ``(c)u-alpha = 1 - (l'.. - sum_c l_cc) / (l'.. - sum_c e'_cc)`` (nominal codes).

    For two coders the paired part of a unit is simply its intersection with the other
    coder's units; for more coders it is taken per pair of coders.

    Parameters
    ----------
    spans : mapping or sequence
        Per coder a list of ``(start, end, code)`` spans (codes nominal).
    length : int
        Length of the continuum.

    Returns
    -------
    float
        ``nan`` with a RuntimeWarning when marked units never intersect or only one
        code occurs where they do.

    References
    ----------
    Krippendorff, K., Mathet, Y., Bouvry, S., & Widlöcher, A. (2016). On the
    reliability of unitizing textual continua: Further developments. *Quality &
    Quantity*, 50(6), 2347-2364, section 5.3 ((c)u-alpha, coding of intersecting units).

    Examples
    --------
    Two coders mark the same two passages; they agree on the first code only:

    >>> spans = {"a": [(0, 10, "x"), (20, 30, "y")], "b": [(0, 10, "x"), (20, 30, "x")]}
    >>> round(coding_alpha(spans, 40), 4)
    0.0
    """
    names, spans_by_coder = _read_spans(spans, length)
    part = _partition(names, spans_by_coder, length)
    n_values = len(part.codes) + 1
    observed = _observed(part, n_values)[1:, 1:]
    m = part.values.shape[0]
    n_segments = len(part.seg_start)
    marked = part.values > 0
    self_pairs = np.zeros(n_values)
    for i in range(m):
        for j in range(m):
            if i == j:
                continue
            both = marked[i] & marked[j]
            paired = np.bincount(
                part.segment[i, both], weights=part.lengths[both], minlength=n_segments
            )
            self_pairs += np.bincount(part.seg_value, weights=paired**2, minlength=n_values)
    expected = _expected(observed, self_pairs[1:] / (m - 1))
    total = observed.sum()
    if total == 0:
        return _undefined("(c)u-alpha", "no two coders' marked units intersect")
    chance = total - np.trace(expected)
    if not chance > 0:
        return _undefined("(c)u-alpha", "a single code occurs where marked units intersect")
    return float(1.0 - (total - np.trace(observed)) / chance)


def unitizing_alpha_1995(spans: Spans, length: int, code: Any = _ALL) -> float:
    """Krippendorff's original u-alpha (1995; 2004): identified units vs the rest.

    Spans (all of them, or those carrying ``code``) are units; the rest of each
    coder's continuum are gaps. For every pair of coders ``i != j`` and every unit or
    gap ``g`` of ``i`` and ``h`` of ``j`` (begin ``b``, length ``l``):

    - both units and overlapping: ``delta2 = (b_g - b_h)^2 + (b_g + l_g - b_h - l_h)^2``;
    - unit ``g`` lying inside gap ``h`` (or the reverse): ``delta2 = l_g^2``;
    - otherwise 0.

    ``D_o = sum_i sum_(j != i) sum_g sum_h delta2 / (m (m - 1) L^2)`` and, with ``N``
    units of all coders and ``gaps`` those of all coders,

    ``D_e = (2 / L) sum_g [ (N - 1)(2 l_g^3 - 3 l_g^2 + l_g) / 3 + l_g^2 sum_(gap h:
    l_h >= l_g) (l_h - l_g + 1) ] / (m L (m L - 1) - sum_g l_g (l_g - 1))``;
    ``alpha = 1 - D_o / D_e``. The 2016 paper replaced this definition because it
    behaves unexpectedly with more than two coders; it is kept to compare with
    published results.

    Parameters
    ----------
    spans : mapping or sequence
        Per coder a list of ``(start, end, code)`` or ``(start, end)`` spans.
    length : int
        Length ``L`` of the continuum.
    code : hashable, optional
        Only spans with this code are units (Krippendorff's per-category alpha); by
        default every span is a unit, whatever its code. A coder's overlapping units
        are merged.

    Returns
    -------
    float
        ``nan`` with a RuntimeWarning when no coder identified a unit.

    References
    ----------
    Krippendorff, K. (1995). On the reliability of unitizing continuous data.
    *Sociological Methodology*, 25, 47-76. Krippendorff, K. (2004). Measuring the
    reliability of qualitative text analysis data. *Quality & Quantity*, 38, 787-800
    (the distances, ``D_o`` and ``D_e``, and the worked example with categories c
    and k). Krippendorff, K. (2004). *Content Analysis* (2nd ed.). Sage, chapter 11.

    Examples
    --------
    Category c of Krippendorff's (2004) worked example (continuum 150-450 shifted to
    0-300); the published ``D_o = .0144`` and ``D_e = .0532``:

    >>> spans = {"i": [(75, 145, "c"), (220, 250, "c")],
    ...          "j": [(70, 150, "c"), (205, 225, "c"), (250, 270, "c")]}
    >>> round(unitizing_alpha_1995(spans, 300, code="c"), 4)
    0.7286
    """
    observed, expected = _disagreements_1995(spans, length, code)
    if not expected > 0:
        return _undefined("u-alpha (1995)", "no coder identified a unit")
    return float(1.0 - observed / expected)


def _disagreements_1995(spans: Spans, length: int, code: Any = _ALL) -> tuple[float, float]:
    """Krippendorff's (1995) observed and expected disagreement, ``(D_o, D_e)``."""
    names, spans_by_coder = _read_spans(spans, length)
    spans_by_coder = [
        [(s, e, True) for s, e, c in group if code is _ALL or c == code] for group in spans_by_coder
    ]
    part = _partition(names, spans_by_coder, length)
    m, big_l = len(names), float(length)
    start = part.seg_start.astype(float)
    end = part.seg_end.astype(float)
    unit = part.seg_value > 0
    total = 0.0
    for i in range(m - 1):
        for j in range(i + 1, m):
            # each pair of overlapping segments shares one run of elementary intervals
            pairs = np.unique(np.stack([part.segment[i], part.segment[j]]), axis=1)
            g, h = pairs
            both = unit[g] & unit[h]
            inside_h = unit[g] & ~unit[h] & (start[g] >= start[h]) & (end[g] <= end[h])
            inside_g = ~unit[g] & unit[h] & (start[h] >= start[g]) & (end[h] <= end[g])
            delta = np.where(both, (start[g] - start[h]) ** 2 + (end[g] - end[h]) ** 2, 0.0)
            delta += np.where(inside_h, (end[g] - start[g]) ** 2, 0.0)
            delta += np.where(inside_g, (end[h] - start[h]) ** 2, 0.0)
            total += 2.0 * delta.sum()
    observed = total / (m * (m - 1) * big_l**2)

    seg_length = end - start
    units = seg_length[unit]
    gaps = np.sort(seg_length[~unit])
    n_units = len(units)
    if n_units == 0:
        return observed, 0.0
    # sum over gaps h with l_h >= l_g of (l_h - l_g + 1)
    first = np.searchsorted(gaps, units, side="left")
    tail_sum = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])[first]
    tail_count = len(gaps) - first
    fits = tail_sum - tail_count * (units - 1.0)
    within = (n_units - 1.0) * (2 * units**3 - 3 * units**2 + units) / 3.0
    numerator = (2.0 / big_l) * (within + units**2 * fits).sum()
    denominator = m * big_l * (m * big_l - 1.0) - (units * (units - 1.0)).sum()
    return observed, numerator / denominator
