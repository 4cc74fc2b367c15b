"""Reliability data: a coders x units table of ratings, read once for every coefficient.

Every coefficient of :mod:`raakvlak.analysis.agreement` and :mod:`raakvlak.analysis.alpha`
takes the same input: one row per coder and one column per unit (a segment, a document,
a survey answer), as a list of lists, a 2-D NumPy array or a pandas DataFrame whose
index holds the coders and whose columns hold the unit ids. A missing rating is
``None`` or ``NaN`` (also ``pd.NA``). Values may be numbers or, for nominal data, any
hashable labels. :func:`read_ratings` turns such a table into integer codes (-1 for
missing), sorted by value for the numeric levels.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
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
class Ratings:
    """Reliability data read into integer codes (-1 = missing)."""

    codes: np.ndarray  # (coders, units), int64
    values: np.ndarray  # the value behind each code; float and sorted for numeric levels
    coders: tuple[str, ...]


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


def read_ratings(data: Any, level: str = "nominal") -> Ratings:
    """The table ``data`` as integer codes per coder and unit, checked.

    Raises
    ------
    AgreementError
        Ragged rows, fewer than two coders, an unknown level, labels at a numeric
        level, or more distinct values than a values x values matrix allows.
    """
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
    return Ratings(codes.reshape(array.shape), uniques, coders)


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


def undefined(statistic: str, why: str) -> float:
    """``nan``, with a RuntimeWarning saying why ``statistic`` is undefined for the data."""
    warnings.warn(f"{statistic} is undefined: {why}; returning nan.", RuntimeWarning, stacklevel=3)
    return float("nan")


def unit_counts(codes: np.ndarray, n_values: int) -> np.ndarray:
    """Units x values matrix: how many coders gave value c to unit u."""
    width = n_values + 1  # one extra column collects the missing ratings
    index = np.where(codes < 0, n_values, codes) + width * np.arange(codes.shape[1])
    counts = np.bincount(index.ravel(), minlength=codes.shape[1] * width)
    return counts.reshape(-1, width)[:, :n_values]
