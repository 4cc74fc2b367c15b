"""Agreement coefficients on coders x units tables: published values, cross-checks, errors."""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from raakvlak.analysis.agreement import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    percent_agreement,
)
from raakvlak.analysis.alpha import AlphaInterval, krippendorff_alpha, krippendorff_alpha_ci
from raakvlak.analysis.ratings import AgreementError
from raakvlak.errors import RaakvlakError

CASES_FILE = (
    Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "agreement" / "cases.json"
)
LEVELS = ("nominal", "ordinal", "interval", "ratio")

# Krippendorff (2011), section C: 4 observers x 12 units, missing data
KRIPPENDORFF_2011_C = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
# statistics in the fixture file that raakvlak does not compute
NOT_COMPUTED = {"conger_kappa", "gwet_ac1", "krippendorff_pa", "category_totals"}


def _cases() -> list[dict]:
    if not CASES_FILE.exists():
        return []
    return json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]


def _coders_x_units(case: dict) -> list[list]:
    if case["layout"].startswith("coders_x_units"):
        return case["data"]
    if case["layout"].startswith("units_x_raters"):
        return [list(row) for row in zip(*case["data"], strict=True)]
    if case["layout"].startswith("contingency"):
        # rows = coder A's category, columns = coder B's category: one unit per count
        first, second = [], []
        for a, row in enumerate(case["data"]):
            for b, count in enumerate(row):
                first += [a] * count
                second += [b] * count
        return [first, second]
    raise AssertionError(f"unknown layout {case['layout']!r}")


def _computed(statistic: str, data: list[list]) -> float:
    if statistic in LEVELS:
        return krippendorff_alpha(data, level=statistic)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the published values need no dropped units
        functions = {
            "krippendorff_alpha": lambda d: krippendorff_alpha(d),
            "fleiss_kappa": lambda d: fleiss_kappa(d, incomplete="gwet"),
            "brennan_prediger": brennan_prediger,
            "percent_agreement_pa": percent_agreement,
            "percent_agreement": percent_agreement,
            "cohen_kappa": cohen_kappa,
        }
        if statistic == "expected_agreement":  # p_e = (p_o - kappa) / (1 - kappa)
            p_o, kappa = percent_agreement(data), cohen_kappa(data)
            return (p_o - kappa) / (1 - kappa)
        return functions[statistic](data)


@pytest.mark.parametrize("case", _cases(), ids=lambda case: case["id"])
def test_published_value(case):
    data = _coders_x_units(case)
    checked = 0
    for statistic, expected in case["expected"].items():
        if statistic in NOT_COMPUTED:
            continue
        got = _computed(statistic, data)
        assert got == pytest.approx(expected, abs=case["tolerance"]), (
            f"{case['id']} {statistic}: expected {expected}, got {got}"
        )
        checked += 1
    assert checked > 0


def test_fixture_file_present_or_skipped():
    if not CASES_FILE.exists():
        pytest.skip("shared fixtures with published agreement values are absent")
    assert len(_cases()) >= 6


# --- input forms --------------------------------------------------------------------


def test_dataframe_of_labels_with_missing_equals_list_of_numbers():
    names = {1: "vertrouwen", 2: "kennisdeling", 3: "nabijheid", 4: "regie", 5: "identiteit"}
    frame = pd.DataFrame(
        [[names.get(v) for v in row] for row in KRIPPENDORFF_2011_C],
        index=["anna", "bas", "chris", "dewi"],
        columns=[f"seg-{i}" for i in range(12)],
    )
    before = frame.copy()
    assert krippendorff_alpha(frame) == pytest.approx(krippendorff_alpha(KRIPPENDORFF_2011_C))
    assert percent_agreement(frame) == pytest.approx(percent_agreement(KRIPPENDORFF_2011_C))
    pd.testing.assert_frame_equal(frame, before)  # inputs are never mutated


def test_numpy_nan_and_pandas_na_are_missing():
    array = np.array([[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_2011_C])
    copy = array.copy()
    frame = pd.DataFrame(array).astype("Int64")  # nullable integers: pd.NA
    for level in LEVELS:
        assert krippendorff_alpha(array, level) == pytest.approx(
            krippendorff_alpha(KRIPPENDORFF_2011_C, level)
        )
        assert krippendorff_alpha(frame, level) == pytest.approx(
            krippendorff_alpha(KRIPPENDORFF_2011_C, level)
        )
    np.testing.assert_array_equal(array, copy)


def test_pandas_categorical_nominal():
    frame = pd.DataFrame([["a", "b", None], ["a", "b", "b"]], dtype="category")
    # two pairable units, perfect agreement on both
    assert krippendorff_alpha(frame) == pytest.approx(1.0)


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([[1, 2, 3], [1, 2]], "ragged"),
        ([[1, 2, 3]], "at least 2"),
        (np.array([1, 2, 3]), "2-D"),
        ("abc", "list of lists"),
        ([[1, 2], "ab"], "row 1"),
    ],
)
def test_unreadable_data_raises(data, message):
    with pytest.raises(AgreementError, match=message):
        krippendorff_alpha(data)


def test_agreement_error_is_a_raakvlak_error():
    assert issubclass(AgreementError, RaakvlakError)


def test_unknown_level_and_labels_at_numeric_level():
    with pytest.raises(AgreementError, match="unknown level"):
        krippendorff_alpha(KRIPPENDORFF_2011_C, level="nominaal")
    with pytest.raises(AgreementError, match="needs numbers.*'row 1' gave 'ja' to unit 1"):
        krippendorff_alpha([[1, 2, 3], [1, "ja", 3]], level="interval")
    frame = pd.DataFrame([[1, 2], [1, "ja"]], index=["anna", "bas"], columns=["s1", "s2"])
    with pytest.raises(AgreementError, match="coder 'bas' gave 'ja' to unit 's2'"):
        krippendorff_alpha(frame, level="ordinal")
    with pytest.raises(AgreementError, match="ratio"):
        krippendorff_alpha([[1, -2, 3], [1, 2, 3]], level="ratio")


def test_cohen_kappa_needs_exactly_two_coders():
    with pytest.raises(AgreementError, match="exactly 2 coders"):
        cohen_kappa(KRIPPENDORFF_2011_C)


def test_brennan_prediger_categories():
    data = [[1, 1, 2, 2], [1, 2, 2, 2]]
    # p_a = 3/4; q = 2 observed -> 0.5; q = 4 given -> (0.75 - 0.25) / 0.75
    assert brennan_prediger(data) == pytest.approx(0.5)
    assert brennan_prediger(data, categories=[1, 2, 3, 4]) == pytest.approx(2 / 3)
    with pytest.raises(AgreementError, match="not among the categories"):
        brennan_prediger(data, categories=[1, 3])


def test_bad_bootstrap_settings():
    with pytest.raises(AgreementError, match="ci"):
        krippendorff_alpha_ci(KRIPPENDORFF_2011_C, ci=95)
    with pytest.raises(AgreementError, match="n_boot"):
        krippendorff_alpha_ci(KRIPPENDORFF_2011_C, n_boot=0)


# --- undefined results: nan with a RuntimeWarning --------------------------------------


@pytest.mark.parametrize(
    ("function", "data", "why"),
    [
        (krippendorff_alpha, [[1, 1, 1], [1, 1, None]], "no variation"),
        (krippendorff_alpha, [[1, None, None], [None, 2, None]], "fewer than 2 pairable"),
        (cohen_kappa, [["ja", "ja"], ["ja", "ja"]], "single"),
        (cohen_kappa, [[1, None], [None, 2]], "no unit"),
        (fleiss_kappa, [[3, 3, 3], [3, 3, 3], [3, 3, 3]], "one category"),
        (brennan_prediger, [[3, 3, 3], [3, 3, 3]], "1 categories"),
        (percent_agreement, [[1, None], [None, 2]], "no unit"),
    ],
)
def test_undefined_is_nan_with_warning(function, data, why):
    with pytest.warns(RuntimeWarning, match=why):
        result = function(data)
    assert isinstance(result, float) and math.isnan(result)


def test_fleiss_drops_incomplete_units_with_warning():
    complete = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2],
        [1, 2, 3, 3, 2, 2, 4, 1, 2],
        [2, 3, 3, 3, 2, 3, 4, 2, 2],
    ]
    with_missing = [row + extra for row, extra in zip(complete, [[None], [5], [5]], strict=True)]
    with pytest.warns(RuntimeWarning, match="dropped 1 of 10 units"):
        dropped = fleiss_kappa(with_missing)
    assert dropped == pytest.approx(fleiss_kappa(complete))


def test_fleiss_equals_textbook_formula_on_complete_data():
    rng = np.random.default_rng(7)
    data = rng.integers(0, 4, size=(5, 60))
    counts = np.stack([(data == c).sum(axis=0) for c in range(4)], axis=1)
    p_u = ((counts * (counts - 1)).sum(axis=1) / (5 * 4)).mean()
    p_c = counts.sum(axis=0) / counts.sum()
    expected = (p_u - p_c @ p_c) / (1 - p_c @ p_c)
    assert fleiss_kappa(data) == pytest.approx(expected)
    assert fleiss_kappa(data, incomplete="gwet") == pytest.approx(expected)


# --- cross-checks on seeded random data ------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_cohen_kappa_matches_sklearn(seed):
    from sklearn.metrics import cohen_kappa_score

    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 4, size=300)
    noisy = np.where(rng.random(300) < 0.35, rng.integers(0, 4, size=300), truth)
    data = np.vstack([truth, noisy]).astype(float)
    data[rng.random(data.shape) < 0.1] = np.nan
    both = ~np.isnan(data).any(axis=0)
    expected = cohen_kappa_score(data[0, both], data[1, both])
    assert cohen_kappa(data) == pytest.approx(expected, abs=1e-12)
    assert percent_agreement(data) == pytest.approx(np.mean(data[0, both] == data[1, both]))


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("seed", range(4))
def test_alpha_matches_krippendorff_package(level, seed):
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(seed)
    n_coders = int(rng.integers(2, 7))
    truth = rng.integers(1, 8, size=200)
    data = np.where(rng.random((n_coders, 200)) < 0.3, rng.integers(1, 8, (n_coders, 200)), truth)
    data = data.astype(float)
    data[rng.random(data.shape) < 0.25] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-9)


def test_alpha_matches_krippendorff_package_on_real_valued_interval_data():
    krippendorff = pytest.importorskip("krippendorff")
    rng = np.random.default_rng(11)
    data = rng.normal(size=(3, 80)).round(2) + np.linspace(0, 5, 80)
    data[rng.random(data.shape) < 0.2] = np.nan
    for level in ("interval", "ratio", "ordinal"):
        values = np.abs(data) if level == "ratio" else data
        expected = krippendorff.alpha(reliability_data=values, level_of_measurement=level)
        assert krippendorff_alpha(values, level) == pytest.approx(expected, abs=1e-9)


# --- bootstrap ------------------------------------------------------------------------


def test_bootstrap_is_reproducible_and_brackets_alpha():
    first = krippendorff_alpha_ci(KRIPPENDORFF_2011_C, level="interval", n_boot=500, random_state=3)
    second = krippendorff_alpha_ci(
        KRIPPENDORFF_2011_C, level="interval", n_boot=500, random_state=3
    )
    assert isinstance(first, AlphaInterval)
    assert first == second and first.samples == second.samples
    assert first.alpha == pytest.approx(0.849, abs=5e-4)
    assert first.low < first.alpha < first.high <= 1.0
    assert 0.0 <= first.probability_below(0.8) <= 1.0
    assert first.probability_below(-10) == 0.0 and first.probability_below(10) == 1.0
    with pytest.raises(AttributeError):
        first.alpha = 0.5  # frozen


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_bootstrap_agrees_with_naive_unit_resampling(level):
    rng = np.random.default_rng(5)
    truth = rng.integers(1, 5, size=80)
    data = np.where(rng.random((3, 80)) < 0.4, rng.integers(1, 5, (3, 80)), truth).astype(float)
    data[rng.random(data.shape) < 0.15] = np.nan
    result = krippendorff_alpha_ci(data, level=level, n_boot=1500, random_state=0)
    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    naive_rng = np.random.default_rng(1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        naive = [
            krippendorff_alpha(
                pairable[:, naive_rng.integers(0, pairable.shape[1], pairable.shape[1])], level
            )
            for _ in range(1500)
        ]
    low, high = np.nanquantile(naive, [0.025, 0.975])
    assert result.low == pytest.approx(low, abs=0.03)
    assert result.high == pytest.approx(high, abs=0.03)
    assert np.mean(result.samples) == pytest.approx(np.nanmean(naive), abs=0.01)
