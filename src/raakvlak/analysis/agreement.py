"""Intercoder agreement on a coders x units table.

Every function here takes the same input: a *reliability data* table with one row per
coder and one column per unit (a segment, a document, a survey answer). It may be a
list of lists, a 2-D NumPy array or a pandas DataFrame whose index holds the coders
and whose columns hold the unit ids. A missing rating is ``None`` or ``NaN`` (also
``pd.NA``). Values may be numbers or, for nominal data, any hashable labels (strings,
categories).

Coefficients
------------
- :func:`percent_agreement` -- share of agreeing coder pairs (no chance correction).
- :func:`cohen_kappa` -- Cohen's kappa, exactly two coders.
- :func:`fleiss_kappa` -- Fleiss' kappa, any number of coders, same number per unit.
- :func:`brennan_prediger` -- Brennan and Prediger's kappa (chance = 1/q).
- :func:`krippendorff_alpha` -- Krippendorff's alpha, nominal, ordinal, interval or
  ratio, any number of coders, missing data.
- :func:`krippendorff_alpha_ci` -- alpha with a bootstrap confidence interval
  (an :class:`AlphaInterval`).

A result that is undefined for the data (for instance only one category anywhere, or
fewer than two pairable values) is ``float('nan')`` and a :class:`RuntimeWarning`
says why. Input that cannot be read (ragged rows, a single coder, an unknown level)
raises :class:`AgreementError`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from raakvlak.errors import RaakvlakError

LEVELS = ("nominal", "ordinal", "interval", "ratio")
MAX_VALUES = 5000  # alpha works on a values x values coincidence matrix

Level = Literal["nominal", "ordinal", "interval", "ratio"]


class AgreementError(RaakvlakError):
    """Reliability data that cannot be used: ragged rows, one coder, unknown level ..."""


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


@dataclass(frozen=True)
class _Table:
    """Reliability data read into integer codes (-1 = missing)."""

    codes: np.ndarray  # (coders, units), int64
    values: np.ndarray  # the value behind each code; float and sorted for numeric levels
    coders: tuple[str, ...]


# ---------------------------------------------------------------------------
# reading the input


def _coder_names(data: Any, n: int) -> tuple[str, ...]:
    if isinstance(data, pd.DataFrame):
        return tuple(str(c) for c in data.index)
    return tuple(f"row {i}" for i in range(n))


def _as_array(data: Any) -> np.ndarray:
    """The table as a 2-D array (numeric when possible, object otherwise)."""
    if isinstance(data, pd.DataFrame):
        return data.to_numpy()
    if isinstance(data, np.ndarray):
        if data.ndim != 2:
            raise AgreementError(
                f"reliability data must be a 2-D table (coders x units), got an array "
                f"with {data.ndim} dimension(s); put one row per coder."
            )
        return data
    if isinstance(data, (str, bytes)) or not isinstance(data, Sequence):
        raise AgreementError(
            "reliability data must be a list of lists, a 2-D NumPy array or a DataFrame "
            f"(coders x units), got {type(data).__name__}."
        )
    rows = list(data)
    for i, row in enumerate(rows):
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            raise AgreementError(
                f"row {i} of the reliability data is not a list of ratings "
                f"({type(row).__name__}); give one list per coder."
            )
    lengths = {len(row) for row in rows}
    if len(lengths) > 1:
        first = len(rows[0])
        bad = next(i for i, row in enumerate(rows) if len(row) != first)
        raise AgreementError(
            f"ragged reliability data: row 0 has {first} values but row {bad} has "
            f"{len(rows[bad])}; every coder needs one entry per unit (None when missing)."
        )
    array = np.empty((len(rows), lengths.pop() if lengths else 0), dtype=object)
    for i, row in enumerate(rows):
        array[i, :] = list(row)
    return array


def _read(data: Any, level: str = "nominal") -> _Table:
    if level not in LEVELS:
        raise AgreementError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}.")
    array = _as_array(data)
    n_coders = array.shape[0]
    coders = _coder_names(data, n_coders)
    if n_coders < 2:
        raise AgreementError(
            f"reliability data has {n_coders} coder(s); agreement needs at least 2 rows "
            "(one per coder, units in columns)."
        )
    flat = array.ravel()
    codes, uniques = pd.factorize(flat, use_na_sentinel=True)
    codes = codes.astype(np.int64, copy=False)
    uniques = np.asarray(uniques, dtype=object if uniques.dtype == object else None)
    if level != "nominal" or uniques.dtype != object:
        units = data.columns if isinstance(data, pd.DataFrame) else range(array.shape[1])
        codes, uniques = _sort_numeric(codes, uniques, level, flat, coders, list(units))
    if len(uniques) > MAX_VALUES:
        raise AgreementError(
            f"the data hold {len(uniques)} distinct values; agreement is computed on a "
            f"values x values matrix and allows at most {MAX_VALUES}: round or bin them."
        )
    return _Table(codes.reshape(array.shape), uniques, coders)


def _sort_numeric(codes, uniques, level, flat, coders, units):
    """Numeric values sorted ascending (needed for the ordinal metric)."""
    kind = pd.api.types.infer_dtype(uniques, skipna=True)
    if kind not in ("integer", "floating", "mixed-integer-float", "decimal", "boolean", "empty"):
        if level == "nominal":
            return codes, uniques
        numeric = (int, float, np.integer, np.floating)
        bad = next((u for u in uniques if not isinstance(u, numeric)), uniques[0])
        pos = int(np.flatnonzero(flat == bad)[0])
        coder, unit = divmod(pos, len(units))
        raise AgreementError(
            f"level={level!r} needs numbers, but coder {coders[coder]!r} gave {bad!r} to "
            f"unit {units[unit]!r}; use level='nominal' for labels or map the labels to "
            "numbers first."
        )
    numbers = np.asarray(uniques, dtype=float)
    if level == "ratio" and (numbers < 0).any():
        raise AgreementError(
            f"level='ratio' needs values >= 0 (a ratio scale has an absolute zero), found "
            f"{numbers.min():g}; use level='interval'."
        )
    sorted_values, rank = np.unique(numbers, return_inverse=True)
    lookup = np.append(rank.astype(np.int64), -1)  # code -1 (missing) stays -1
    codes = lookup[codes]
    return codes, sorted_values


# ---------------------------------------------------------------------------
# shared computations


def _undefined(statistic: str, why: str) -> float:
    warnings.warn(f"{statistic} is undefined: {why}; returning nan.", RuntimeWarning, stacklevel=3)
    return float("nan")


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
    counts = _unit_counts(patterns.codes, n_values).astype(float)
    o = (counts * weights[:, None]).T @ counts
    o[np.diag_indices(n_values)] -= weights @ counts
    return o


def _pairable(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the units rated by at least two coders, and their number of ratings."""
    m_u = (codes >= 0).sum(axis=0)
    keep = m_u >= 2
    return codes[:, keep], m_u[keep]


def _gwet_agreement(codes: np.ndarray) -> tuple[float, int]:
    """Mean share of agreeing coder pairs over units with >= 2 ratings, and that number."""
    codes, m_u = _pairable(codes)
    if codes.shape[1] == 0:
        return float("nan"), 0
    present = codes >= 0
    agree = np.zeros(codes.shape[1])
    for i in range(codes.shape[0] - 1):
        for j in range(i + 1, codes.shape[0]):
            agree += present[i] & present[j] & (codes[i] == codes[j])
    return float(np.mean(agree / (m_u * (m_u - 1) / 2))), codes.shape[1]


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


# ---------------------------------------------------------------------------
# the coefficients


def percent_agreement(data: Any) -> float:
    """Share of agreeing coder pairs, averaged over the pairable units.

    For each unit rated by ``m_u >= 2`` coders the share of the ``m_u (m_u - 1) / 2``
    coder pairs that gave the same value; the result is the mean over those units.
    With two coders and no missing data this is the share of units both coders rated
    alike. It does not correct for chance: report it next to alpha, never alone.

    Formula: ``p_a = (1/n') sum_{u: m_u >= 2} sum_c n_uc (n_uc - 1) / (m_u (m_u - 1))``
    (Gwet 2014: the percent agreement ``p_a`` of the multiple-rater coefficients with
    missing ratings; 0.818 for the 4 x 12 data set on p. 120).

    Parameters
    ----------
    data : list of lists, numpy.ndarray or pandas.DataFrame
        Coders x units; ``None``/``NaN`` for a missing rating.

    Returns
    -------
    float
        Between 0 and 1; ``nan`` (with a RuntimeWarning) when no unit has two ratings.

    References
    ----------
    Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.). Advanced
    Analytics (worked example with missing ratings, p. 120).

    Examples
    --------
    Krippendorff's (2004, section 11.3.1) two observers, ten units:

    >>> percent_agreement([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ...                    [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]])
    0.6
    """
    table = _read(data)
    value, n_units = _gwet_agreement(table.codes)
    if n_units == 0:
        return _undefined("percent agreement", "no unit was rated by two or more coders")
    return value


def cohen_kappa(data: Any) -> float:
    """Cohen's kappa for exactly two coders (nominal categories).

    ``kappa = (p_o - p_e) / (1 - p_e)`` with ``p_o`` the share of units both coders
    rated alike and ``p_e = sum_c p_1c p_2c`` the agreement expected from each coder's
    own category proportions. Units a coder left missing are dropped (for both).

    Parameters
    ----------
    data : list of lists, numpy.ndarray or pandas.DataFrame
        Two rows (coders) x units; ``None``/``NaN`` for a missing rating.

    Returns
    -------
    float
        ``nan`` (with a RuntimeWarning) when no unit was rated by both coders or when
        ``p_e = 1`` (both coders used one and the same category throughout).

    Raises
    ------
    AgreementError
        When the data do not have exactly two coders.

    References
    ----------
    Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
    Psychological Measurement*, 20(1), 37-46 (the coefficient kappa).

    Examples
    --------
    Krippendorff's (2004, section 11.3.1) binary data, two observers (kappa 0.091,
    alpha 0.095):

    >>> round(cohen_kappa([[1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    ...                    [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]]), 4)
    0.0909
    """
    table = _read(data)
    codes = table.codes
    if codes.shape[0] != 2:
        raise AgreementError(
            f"Cohen's kappa compares exactly 2 coders, the data have {codes.shape[0]} "
            f"({', '.join(table.coders)}); use fleiss_kappa or krippendorff_alpha, or pass "
            "one pair of rows."
        )
    both = (codes[0] >= 0) & (codes[1] >= 0)
    n = int(both.sum())
    if n == 0:
        return _undefined("Cohen's kappa", "no unit was rated by both coders")
    v = len(table.values)
    table2 = np.bincount(codes[0, both] * v + codes[1, both], minlength=v * v).reshape(v, v)
    p_o = np.trace(table2) / n
    p_e = float(table2.sum(axis=1) @ table2.sum(axis=0)) / n**2
    if p_e >= 1.0:
        return _undefined("Cohen's kappa", "both coders used a single, identical category")
    return float((p_o - p_e) / (1.0 - p_e))


def fleiss_kappa(data: Any, incomplete: Literal["drop", "gwet"] = "drop") -> float:
    """Fleiss' kappa for any number of coders (nominal categories).

    For ``N`` units each rated by ``n`` coders, with ``n_uc`` the number of coders
    putting unit ``u`` in category ``c``:
    ``P_u = sum_c n_uc (n_uc - 1) / (n (n - 1))``, ``p_c = sum_u n_uc / (N n)``,
    ``kappa = (mean(P_u) - sum_c p_c^2) / (1 - sum_c p_c^2)`` (Fleiss 1971).

    Fleiss' kappa assumes every unit has the same number of ratings. With
    ``incomplete="drop"`` (default) units with a missing rating are dropped and a
    RuntimeWarning says how many. With ``incomplete="gwet"`` all units are kept, as in
    Gwet's (2014) generalisation: ``p_a`` is :func:`percent_agreement` and
    ``p_c = (1/N) sum_u n_uc / m_u`` over the units with at least one rating.

    Parameters
    ----------
    data : list of lists, numpy.ndarray or pandas.DataFrame
        Coders x units; ``None``/``NaN`` for a missing rating. (Which coder gave which
        rating does not matter to Fleiss' kappa.)
    incomplete : {"drop", "gwet"}
        What to do with units that lack a rating (see above).

    Returns
    -------
    float
        ``nan`` (with a RuntimeWarning) when no unit is left or only one category was
        used anywhere.

    References
    ----------
    Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters.
    *Psychological Bulletin*, 76(5), 378-382 (the kappa for many raters).
    Gwet, K. L. (2014). *Handbook of Inter-Rater Reliability* (4th ed.). Advanced
    Analytics (Fleiss' generalized kappa with missing ratings; example p. 120).

    Examples
    --------
    Gwet's (2014, p. 120) four raters and twelve subjects, with missing ratings:

    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> round(fleiss_kappa(data, incomplete="gwet"), 3)
    0.761
    """
    if incomplete not in ("drop", "gwet"):
        raise AgreementError(f"incomplete must be 'drop' or 'gwet', got {incomplete!r}.")
    table = _read(data)
    codes = table.codes
    v = len(table.values)
    m_u = (codes >= 0).sum(axis=0)
    if incomplete == "drop":
        complete = m_u == codes.shape[0]
        if not complete.all():
            warnings.warn(
                f"Fleiss' kappa needs every unit rated by all {codes.shape[0]} coders: "
                f"dropped {int((~complete).sum())} of {codes.shape[1]} units with missing "
                "ratings (use incomplete='gwet' to keep them, or krippendorff_alpha).",
                RuntimeWarning,
                stacklevel=2,
            )
        codes, m_u = codes[:, complete], m_u[complete]
    if codes.shape[1] == 0 or not (m_u >= 2).any():
        return _undefined("Fleiss' kappa", "no unit was rated by two or more coders")
    rated = m_u >= 1
    counts = _unit_counts(codes[:, rated], v)
    p_c = (counts / m_u[rated, None]).mean(axis=0)
    p_e = float(p_c @ p_c)
    p_a, _ = _gwet_agreement(codes)
    if p_e >= 1.0:
        return _undefined("Fleiss' kappa", "only one category was used")
    return float((p_a - p_e) / (1.0 - p_e))


def _unit_counts(codes: np.ndarray, n_values: int) -> np.ndarray:
    """Units x values matrix: how many coders gave value c to unit u."""
    width = n_values + 1  # one extra column collects the missing ratings
    index = np.where(codes < 0, n_values, codes) + width * np.arange(codes.shape[1])
    counts = np.bincount(index.ravel(), minlength=codes.shape[1] * width)
    return counts.reshape(-1, width)[:, :n_values]


def brennan_prediger(data: Any, categories: Sequence[Any] | None = None) -> float:
    """Brennan and Prediger's kappa: chance agreement is one over the number of categories.

    ``kappa_BP = (p_a - 1/q) / (1 - 1/q)`` with ``p_a`` the :func:`percent_agreement`
    (mean share of agreeing coder pairs over units with at least two ratings) and ``q``
    the number of categories: those observed in the data, or ``len(categories)``.

    Parameters
    ----------
    data : list of lists, numpy.ndarray or pandas.DataFrame
        Coders x units; ``None``/``NaN`` for a missing rating.
    categories : sequence, optional
        All categories coders could choose from (also the unused ones). Defaults to the
        categories observed in the data.

    Returns
    -------
    float
        ``nan`` (with a RuntimeWarning) when ``q < 2`` or no unit has two ratings.

    Raises
    ------
    AgreementError
        When the data hold a value that is not in ``categories``.

    References
    ----------
    Brennan, R. L., & Prediger, D. J. (1981). Coefficient kappa: Some uses, misuses,
    and alternatives. *Educational and Psychological Measurement*, 41(3), 687-699
    (kappa_n, chance agreement 1/n for n categories). Gwet, K. L. (2014). *Handbook of
    Inter-Rater Reliability* (4th ed.). Advanced Analytics (multiple raters, missing
    ratings; example p. 120).

    Examples
    --------
    Gwet's (2014, p. 120) four raters, twelve subjects, categories 1-5:

    >>> data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    ...         [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, None],
    ...         [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
    ...         [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None]]
    >>> round(brennan_prediger(data), 3)
    0.773
    """
    table = _read(data)
    q = len(table.values)
    if categories is not None:
        allowed = set(categories)
        unknown = [value for value in table.values if value not in allowed]
        if unknown:
            raise AgreementError(
                f"the data hold {unknown[0]!r}, which is not among the categories given "
                f"({len(allowed)}); add it to categories= or fix the rating."
            )
        q = len(allowed)
    p_a, n_units = _gwet_agreement(table.codes)
    if n_units == 0:
        return _undefined("Brennan-Prediger kappa", "no unit was rated by two or more coders")
    if q < 2:
        return _undefined("Brennan-Prediger kappa", f"there are {q} categories, it needs 2")
    return float((p_a - 1.0 / q) / (1.0 - 1.0 / q))


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
    table = _read(data, level)
    return _alpha(_patterns(table.codes, len(table.values)), table.values, level)


def _alpha(patterns: _Patterns, values: np.ndarray, level: str) -> float:
    n_pairable = int(patterns.m_u @ patterns.freq)
    if n_pairable < 2:
        return _undefined("Krippendorff's alpha", "fewer than 2 pairable values")
    o = _coincidences(patterns, len(values))
    alpha = float(_alpha_from_coincidences(o, level, values))
    if math.isnan(alpha):
        return _undefined(
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

    This is the plain nonparametric bootstrap of units (Efron & Tibshirani 1993,
    chapter 13: percentile intervals), not the resampling of pairs of values in
    Hayes and Krippendorff's (2007) KALPHA macro; both estimate alpha's sampling
    distribution for the units at hand.

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
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise AgreementError(f"n_boot must be a positive whole number, got {n_boot!r}.")
    if not 0.0 < ci < 1.0:
        raise AgreementError(f"ci must lie between 0 and 1 (e.g. 0.95), got {ci!r}.")
    table = _read(data, level)
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
