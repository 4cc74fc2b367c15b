"""Intercoder agreement on a coders x units table (reliability data, as
:mod:`raakvlak.analysis.ratings` describes it: coders in rows, units in columns, ``None``
or ``NaN`` for a missing rating).

Coefficients
------------
- :func:`percent_agreement` -- share of agreeing coder pairs (no chance correction).
- :func:`cohen_kappa` -- Cohen's kappa, exactly two coders.
- :func:`fleiss_kappa` -- Fleiss' kappa, any number of coders, same number per unit.
- :func:`brennan_prediger` -- Brennan and Prediger's kappa (chance = 1/q).
- Krippendorff's alpha and its bootstrap interval: :mod:`raakvlak.analysis.alpha`.

A result that is undefined for the data (for instance only one category anywhere, or
fewer than two pairable values) is ``float('nan')`` and a :class:`RuntimeWarning`
says why. Input that cannot be read (ragged rows, a single coder, an unknown level)
raises :class:`AgreementError`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from raakvlak.analysis.ratings import AgreementError, read_ratings, undefined, unit_counts

# ---------------------------------------------------------------------------
# shared computations


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
    table = read_ratings(data)
    value, n_units = _gwet_agreement(table.codes)
    if n_units == 0:
        return undefined("percent agreement", "no unit was rated by two or more coders")
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
    table = read_ratings(data)
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
        return undefined("Cohen's kappa", "no unit was rated by both coders")
    v = len(table.values)
    table2 = np.bincount(codes[0, both] * v + codes[1, both], minlength=v * v).reshape(v, v)
    p_o = np.trace(table2) / n
    p_e = float(table2.sum(axis=1) @ table2.sum(axis=0)) / n**2
    if p_e >= 1.0:
        return undefined("Cohen's kappa", "both coders used a single, identical category")
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
    table = read_ratings(data)
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
        return undefined("Fleiss' kappa", "no unit was rated by two or more coders")
    rated = m_u >= 1
    counts = unit_counts(codes[:, rated], v)
    p_c = (counts / m_u[rated, None]).mean(axis=0)
    p_e = float(p_c @ p_c)
    p_a, _ = _gwet_agreement(codes)
    if p_e >= 1.0:
        return undefined("Fleiss' kappa", "only one category was used")
    return float((p_a - p_e) / (1.0 - p_e))


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
    table = read_ratings(data)
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
        return undefined("Brennan-Prediger kappa", "no unit was rated by two or more coders")
    if q < 2:
        return undefined("Brennan-Prediger kappa", f"there are {q} categories, it needs 2")
    return float((p_a - 1.0 / q) / (1.0 - 1.0 / q))


