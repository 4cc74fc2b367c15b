"""Krippendorff's alpha: any number of coders, missing data, four metrics, a bootstrap interval.

:func:`krippendorff_alpha` and :func:`krippendorff_alpha_ci` take reliability data
(:mod:`raakvlak.analysis.ratings`); :func:`alpha_of_columns` takes a table already
reduced to its distinct columns of ratings and how often each occurs (what the
character-level agreement of :mod:`raakvlak.analysis.characters` has).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from raakvlak.analysis.ratings import AgreementError, Level, read_ratings, undefined, unit_counts


@dataclass(frozen=True)
class AlphaInterval:
    """Krippendorff's alpha with a bootstrap confidence interval.

    Attributes
    ----------
    alpha : float
        Alpha on the data as given.
    low, high : float
        The percentile bootstrap interval.
    ci : float
        The coverage asked for, e.g. 0.95.
    level : str
        The metric: nominal, ordinal, interval or ratio.
    n_boot : int
        The number of bootstrap samples drawn.
    samples : tuple of float
        Alpha in every bootstrap sample where it is defined.
    """

    alpha: float
    low: float
    high: float
    ci: float
    level: str
    n_boot: int
    samples: tuple[float, ...] = field(repr=False, compare=False)

    def probability_below(self, minimum: float) -> float:
        """Share of bootstrap samples with alpha below ``minimum`` (e.g. 0.667 or 0.800).

        Krippendorff (2004, chapter 11) reports this as the probability of failing to
        reach the smallest acceptable alpha.
        """
        if not self.samples:
            return float("nan")
        return float(np.mean(np.asarray(self.samples) < minimum))


def _pair_counts(codes: np.ndarray, n_values: int, weights: np.ndarray) -> np.ndarray:
    """Sum of ``weights[u]`` over ordered coder pairs (i != j) rating unit u with (c, k).

    Returns the values x values matrix; with ``weights = 1/(m_u - 1)`` this is
    Krippendorff's coincidence matrix.
    """
    present = codes >= 0
    size = n_values * n_values
    counts = np.zeros(size)
    for i in range(codes.shape[0] - 1):
        for j in range(i + 1, codes.shape[0]):
            both = present[i] & present[j]
            if both.any():
                index = codes[i, both] * n_values + codes[j, both]
                counts += np.bincount(index, weights=weights[both], minlength=size)
    counts = counts.reshape(n_values, n_values)
    return counts + counts.T


@dataclass(frozen=True)
class _Patterns:
    """The pairable units grouped by their column of ratings.

    Units with the same ratings contribute the same coincidences, so alpha and its
    bootstrap work on the distinct columns (``codes``, coders x patterns) weighted by
    how many units share each (``freq``).
    """

    codes: np.ndarray  # (coders, patterns), -1 = missing
    m_u: np.ndarray  # ratings per pattern (all >= 2)
    freq: np.ndarray  # units per pattern


def _patterns(codes: np.ndarray, n_values: int) -> _Patterns:
    n_coders, n_units = codes.shape
    base = n_values + 1
    bits = n_coders * math.log2(base)
    if n_units and bits < 62:
        key = np.zeros(n_units, dtype=np.int64)
        for row in codes:
            key = key * base + (row + 1)
        if bits <= 22:
            all_freq = np.bincount(key, minlength=base**n_coders)
            keys = np.flatnonzero(all_freq)
            freq = all_freq[keys]
        else:
            keys, freq = np.unique(key, return_counts=True)
        grouped = np.empty((n_coders, len(keys)), dtype=np.int64)
        for i in range(n_coders - 1, -1, -1):
            grouped[i] = keys % base - 1
            keys = keys // base
    else:
        grouped, freq = codes, np.ones(n_units, dtype=np.int64)
    m_u = (grouped >= 0).sum(axis=0)
    keep = m_u >= 2
    return _Patterns(grouped[:, keep], m_u[keep], freq[keep])


def _coincidences(patterns: _Patterns, n_values: int) -> np.ndarray:
    """Krippendorff's coincidence matrix ``o_ck = sum_u (n_uc n_uk - [c = k] n_uc) / (m_u - 1)``.

    Computed from the patterns x values counts when they fit in memory, else by
    summing over coder pairs.
    """
    weights = patterns.freq / (patterns.m_u - 1.0)
    if patterns.codes.shape[1] * n_values > 2e7:
        return _pair_counts(patterns.codes, n_values, weights)
    counts = unit_counts(patterns.codes, n_values).astype(float)
    o = (counts * weights[:, None]).T @ counts
    o[np.diag_indices(n_values)] -= weights @ counts
    return o


def _squared_differences(level: str, values: np.ndarray, n_c: np.ndarray) -> np.ndarray:
    """delta^2 for every pair of values; ``n_c`` (..., V) are the value totals."""
    v = len(values)
    if level == "nominal":
        return 1.0 - np.eye(v)
    if level == "ordinal":
        mid = np.cumsum(n_c, axis=-1) - n_c / 2.0
        return (mid[..., :, None] - mid[..., None, :]) ** 2
    x = values.astype(float)
    if level == "interval":
        return (x[:, None] - x[None, :]) ** 2
    total = x[:, None] + x[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total == 0, 0.0, (x[:, None] - x[None, :]) / total)
    return ratio**2


def _alpha_from_coincidences(o: np.ndarray, level: str, values: np.ndarray) -> np.ndarray:
    """Alpha for one (V, V) or a stack (B, V, V) of coincidence matrices; nan if undefined."""
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    delta = _squared_differences(level, values, n_c)
    observed = (o * delta).sum(axis=(-2, -1))
    expected = (n_c[..., :, None] * n_c[..., None, :] * delta).sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = 1.0 - (n - 1.0) * observed / expected
    return np.where((n >= 2) & (expected > 0), alpha, np.nan)


def krippendorff_alpha(data: Any, level: Level = "nominal") -> float:
    """Krippendorff's alpha for any number of coders, missing data and four metrics.

    ``alpha = 1 - D_o / D_e = 1 - (n - 1) sum_ck o_ck delta2_ck / sum_ck n_c n_k delta2_ck``

    where ``o_ck`` is the coincidence matrix (every ordered pair of values (c, k) that
    two different coders gave to the same unit ``u``, weighted ``1 / (m_u - 1)``; only
    units with ``m_u >= 2`` ratings count), ``n_c`` its row totals and ``n`` the number
    of pairable values. The squared difference ``delta2`` depends on ``level``:

    - nominal: 0 if ``c == k`` else 1;
    - ordinal: ``(sum_{g=c..k} n_g - (n_c + n_k) / 2)^2``;
    - interval: ``(c - k)^2``;
    - ratio: ``((c - k) / (c + k))^2``.

    The coincidence matrix is built with ``numpy.bincount`` over coder pairs, so the
    cost is linear in the number of units.

    Parameters
    ----------
    data : list of lists, numpy.ndarray or pandas.DataFrame
        Coders x units (a DataFrame: index = coders, columns = unit ids); ``None`` or
        ``NaN`` for a missing rating. Nominal values may be any labels; the other
        levels need numbers (ratio: numbers >= 0).
    level : {"nominal", "ordinal", "interval", "ratio"}
        The metric of the values.

    Returns
    -------
    float
        Alpha, at most 1; ``nan`` (with a RuntimeWarning) when fewer than two values
        are pairable or all pairable values are the same (no variation: ``D_e = 0``).

    Raises
    ------
    AgreementError
        Ragged rows, fewer than two coders, an unknown level, labels at a numeric level.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg
    School for Communication, University of Pennsylvania,
    https://repository.upenn.edu/asc_papers/43 (section C: nominal data, any number of
    observers, missing data; section E: the ordinal, interval and ratio metrics).
    Krippendorff, K. (2004). *Content Analysis: An Introduction to Its Methodology*
    (2nd ed.). Sage. Chapter 11 (section 11.3.1: the binary example).

    Examples
    --------
    Krippendorff's (2011, section C) four observers, twelve units, missing data:

    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> round(krippendorff_alpha(data), 3)
    0.743
    >>> round(krippendorff_alpha(data, level="interval"), 3)
    0.849
    """
    table = read_ratings(data, level)
    return _alpha(_patterns(table.codes, len(table.values)), table.values, level)


def alpha_of_columns(columns: np.ndarray, counts: np.ndarray, values: np.ndarray, level: Level = "nominal") -> float:
    """Krippendorff's alpha of a table given as its distinct columns and their counts.

    Parameters
    ----------
    columns : (coders, columns) int array of value codes, -1 for missing.
    counts : how many units have each column (alpha is as if each were repeated).
    values : the value behind each code (sorted, for the numeric levels).
    level : the metric.

    Examples
    --------
    Two coders, a binary code: 8 units both marked 1, 10 both 0, 2 marked by one only.

    >>> columns = np.array([[1, 0, 1], [1, 0, 0]])
    >>> round(alpha_of_columns(columns, np.array([8, 10, 2]), np.array([0.0, 1.0])), 3)
    0.803
    """
    present = (columns >= 0).sum(axis=0)
    keep = present >= 2
    return _alpha(_Patterns(columns[:, keep], present[keep], counts[keep]), values, level)


def _alpha(patterns: _Patterns, values: np.ndarray, level: str) -> float:
    n_pairable = int(patterns.m_u @ patterns.freq)
    if n_pairable < 2:
        return undefined("Krippendorff's alpha", "fewer than 2 pairable values")
    o = _coincidences(patterns, len(values))
    alpha = float(_alpha_from_coincidences(o, level, values))
    if math.isnan(alpha):
        return undefined(
            "Krippendorff's alpha",
            "all pairable values are the same (no variation, expected disagreement 0)",
        )
    return alpha


def krippendorff_alpha_ci(
    data: Any,
    level: Level = "nominal",
    n_boot: int = 1000,
    random_state: int | np.random.Generator | None = 0,
    ci: float = 0.95,
) -> AlphaInterval:
    """Krippendorff's alpha with a percentile bootstrap confidence interval.

    The bootstrap resamples the pairable units (columns) with replacement, recomputes
    alpha on every sample (coincidences, value totals and, for the ordinal metric,
    the differences) and reports the ``(1 - ci) / 2`` and ``(1 + ci) / 2`` quantiles.
    Units with identical ratings are grouped first, and a resample is drawn as
    multinomial counts over those groups, which is the same distribution as drawing
    units and much faster. Samples where alpha is undefined are left out with a
    RuntimeWarning.

    This is the plain bootstrap of units (Efron & Tibshirani 1993, chapter 13), not the
    resampling of pairs of values of Hayes and Krippendorff's (2007) KALPHA macro.

    Parameters
    ----------
    data : list of lists, numpy.ndarray or pandas.DataFrame
        Coders x units, as for :func:`krippendorff_alpha`.
    level : {"nominal", "ordinal", "interval", "ratio"}
        The metric of the values.
    n_boot : int
        Number of bootstrap samples.
    random_state : int, numpy.random.Generator or None
        Seed; the same seed and data give the same interval.
    ci : float
        Coverage of the interval, between 0 and 1.

    Returns
    -------
    AlphaInterval
        ``alpha``, ``low``, ``high``, the settings and the bootstrap ``samples``;
        ``probability_below(0.667)`` gives the share of samples below a minimum.

    References
    ----------
    Krippendorff, K. (2004). *Content Analysis* (2nd ed.). Sage. Chapter 11
    (statistical properties of alpha: its confidence interval and the probability of
    failing to reach a smallest acceptable alpha). Efron, B., & Tibshirani, R. J. (1993). *An
    Introduction to the Bootstrap*. Chapman & Hall, chapter 13. Hayes, A. F., &
    Krippendorff, K. (2007). Answering the call for a standard reliability measure for
    coding data. *Communication Methods and Measures*, 1(1), 77-89.

    Examples
    --------
    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> result = krippendorff_alpha_ci(data, n_boot=2000, random_state=1)
    >>> round(result.alpha, 3), result.low < result.alpha < result.high <= 1.0
    (0.743, True)
    """
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1 or not 0.0 < ci < 1.0:
        raise AgreementError(f"n_boot must be a positive whole number and ci lie between 0 and 1 "
                             f"(e.g. 1000 and 0.95), got {n_boot!r} and {ci!r}.")
    table = read_ratings(data, level)
    patterns = _patterns(table.codes, len(table.values))
    alpha = _alpha(patterns, table.values, level)
    samples = _bootstrap(patterns, table.values, level, int(n_boot), random_state)
    defined = samples[~np.isnan(samples)]
    if len(defined) < len(samples):
        warnings.warn(
            f"alpha was undefined in {len(samples) - len(defined)} of {len(samples)} "
            "bootstrap samples (no variation); they are left out of the interval.",
            RuntimeWarning,
            stacklevel=2,
        )
    if len(defined) == 0:
        low = high = float("nan")
    else:
        low, high = (float(q) for q in np.quantile(defined, [(1 - ci) / 2, (1 + ci) / 2]))
    return AlphaInterval(alpha, low, high, ci, level, int(n_boot), tuple(defined.tolist()))


def _bootstrap(patterns: _Patterns, values, level, n_boot, random_state) -> np.ndarray:
    """Alpha in ``n_boot`` resamples of the pairable units (nan where undefined)."""
    from scipy import sparse

    rng = np.random.default_rng(random_state)
    n_units = int(patterns.freq.sum())
    if n_units == 0:
        return np.full(n_boot, np.nan)
    v = len(values)
    pattern_codes = patterns.codes
    n_patterns = pattern_codes.shape[1]
    weight = 1.0 / (patterns.m_u - 1.0)
    rows, cols, vals = [], [], []
    present = pattern_codes >= 0
    for i in range(pattern_codes.shape[0]):
        for j in range(pattern_codes.shape[0]):
            if i != j:
                both = np.flatnonzero(present[i] & present[j])
                rows.append(both)
                cols.append(pattern_codes[i, both] * v + pattern_codes[j, both])
                vals.append(weight[both])
    per_pattern = sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_patterns, v * v),
    )
    probabilities = patterns.freq / n_units
    chunk = max(1, min(n_boot, int(4e6 // (v * v)), int(2e7 // n_patterns)))
    alphas = []
    for start in range(0, n_boot, chunk):
        size = min(chunk, n_boot - start)
        draws = rng.multinomial(n_units, probabilities, size=size).astype(float)
        o = np.asarray((per_pattern.T @ draws.T).T).reshape(size, v, v)
        alphas.append(_alpha_from_coincidences(o, level, values))
    return np.concatenate(alphas)
