"""Unitizing alphas on spans: Krippendorff's (2004) worked example and hand-computed cases."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from raakvlak.analysis.alpha import krippendorff_alpha
from raakvlak.analysis.ratings import AgreementError
from raakvlak.analysis.unitizing import (
    _disagreements_1995,
    code_unitizing_alpha,
    coding_alpha,
    unitizing_alpha,
    unitizing_alpha_1995,
    unitizing_alpha_binary,
)

# Krippendorff (2004), Measuring the reliability of qualitative text analysis data,
# Quality & Quantity 38: two observers, continuum 150-450, categories c and k
# (shifted here to 0-300). Published: D_o(c) = .0144, D_e(c) = .0532, D_o(k) = 0,
# D_e(k) = .0490; alpha_k = 1. Transcription as in DKPro Statistics' unitizing tests.
EXAMPLE_2004 = {
    "i": [(75, 145, "c"), (220, 250, "c"), (30, 90, "k"), (150, 200, "k")],
    "j": [(70, 150, "c"), (205, 225, "c"), (250, 270, "c"), (30, 90, "k"), (150, 200, "k")],
}


def test_krippendorff_2004_example_disagreements():
    observed_c, expected_c = _disagreements_1995(EXAMPLE_2004, 300, "c")
    observed_k, expected_k = _disagreements_1995(EXAMPLE_2004, 300, "k")
    assert observed_c == pytest.approx(0.0144, abs=5e-5)
    assert expected_c == pytest.approx(0.0532, abs=5e-5)
    assert observed_k == 0.0
    assert expected_k == pytest.approx(0.0490, abs=5e-5)
    # D_o(c) by hand: (5^2 + 5^2) + (15^2 + 25^2) + 20^2 = 1300, times 2 / (2 * 1 * 300^2)
    assert observed_c == pytest.approx(1300 / 90000)


def test_krippendorff_2004_example_alphas():
    assert unitizing_alpha_1995(EXAMPLE_2004, 300, code="c") == pytest.approx(0.7286, abs=1e-4)
    assert unitizing_alpha_1995(EXAMPLE_2004, 300, code="k") == 1.0


# --- hand-computed cases, continuum of 10 ------------------------------------------------
# full overlap: alpha 1; no overlap: A marks [2,5), B marks [6,9);
# gaps: A marks [0,4), B marks [0,4) and [6,8).


def test_full_overlap_is_one():
    spans = {
        "a": [(2, 5, "x"), (7, 9, "y")],
        "b": [(2, 5, "x"), (7, 9, "y")],
        "c": [(2, 5, "x"), (7, 9, "y")],
    }
    assert unitizing_alpha(spans, 10) == pytest.approx(1.0)
    assert unitizing_alpha_binary(spans, 10) == pytest.approx(1.0)
    assert code_unitizing_alpha(spans, 10, "x") == pytest.approx(1.0)
    assert coding_alpha(spans, 10) == pytest.approx(1.0)
    assert unitizing_alpha_1995(spans, 10) == pytest.approx(1.0)


def test_no_overlap_by_hand():
    spans = {"a": [(2, 5)], "b": [(6, 9)]}
    # l_gg = 2 * (2 + 1 + 1) = 8, l_gx = l_xg = 6, l.. = 20; S_gap = 7 + 7, S_x = 9 + 9
    # e_gg = 20 (14^2 - 14) / (400 - 32), e_xx = 20 (6^2 - 18) / 368
    # u-alpha = 1 - 12 / (20 - e_gg - e_xx) = -11/35
    assert unitizing_alpha(spans, 10) == pytest.approx(-11 / 35)
    assert unitizing_alpha_binary(spans, 10) == pytest.approx(-11 / 35)
    # 1995: each unit lies inside the other's gap: D_o = 2 (9 + 9) / (2 * 100) = 0.18;
    # D_e = (2/10) * 2 * [(2 - 1)(54 - 27 + 3)/3 + 9 ((5 - 3 + 1) + (6 - 3 + 1))] / (20 * 19 - 12)
    expected = Fraction(2, 10) * 2 * (10 + 9 * 7) / (20 * 19 - 12)
    assert unitizing_alpha_1995(spans, 10) == pytest.approx(1 - 0.18 / float(expected))


def test_unit_in_a_gap_by_hand():
    spans = {"a": [(0, 4)], "b": [(0, 4), (6, 8)]}
    # l_gg = 8, l_xx = 8, l_gx = l_xg = 2; S_gap = 6 + 4, S_x = 16 + 16 + 4 = 36
    # e_gg = 20 * 90 / 354, e_xx = 20 * 64 / 354; u-alpha = 1 - 4 * 354 / 4000
    assert unitizing_alpha(spans, 10) == pytest.approx(0.646)
    assert unitizing_alpha_binary(spans, 10) == pytest.approx(0.646)
    # 1995: D_o = 2 * 2^2 / (2 * 100) = 0.04; D_e = 48 / 354
    assert unitizing_alpha_1995(spans, 10) == pytest.approx(1 - 0.04 * 354 / 48)


def test_codes_matter_for_u_alpha_but_not_for_binary():
    same = {"a": [(0, 4, "x"), (6, 8, "y")], "b": [(0, 4, "x"), (6, 8, "y")]}
    swapped = {"a": [(0, 4, "x"), (6, 8, "y")], "b": [(0, 4, "y"), (6, 8, "x")]}
    assert unitizing_alpha(same, 10) == pytest.approx(1.0)
    assert unitizing_alpha(swapped, 10) < 0.5
    assert unitizing_alpha_binary(swapped, 10) == pytest.approx(1.0)
    assert coding_alpha(swapped, 10) < 0


def test_coding_alpha_equals_alpha_for_aligned_units():
    """Units of length 1 marked by every coder: (c)u-alpha is nominal alpha."""
    rng = np.random.default_rng(3)
    table = rng.integers(0, 3, size=(3, 40))
    agree = rng.random(40) < 0.6
    table[1:, agree] = table[0, agree]
    spans = [[(u, u + 1, f"code{v}") for u, v in enumerate(row)] for row in table]
    assert coding_alpha(spans, 40) == pytest.approx(krippendorff_alpha(table))
    # with no gaps at all, u-alpha is nominal alpha too
    assert unitizing_alpha(spans, 40) == pytest.approx(krippendorff_alpha(table))


def test_code_unitizing_alpha_takes_overlapping_codes():
    assert code_unitizing_alpha(EXAMPLE_2004, 300, "k") == pytest.approx(1.0)
    only_c = {coder: [s for s in spans if s[2] == "c"] for coder, spans in EXAMPLE_2004.items()}
    assert code_unitizing_alpha(EXAMPLE_2004, 300, "c") == pytest.approx(
        unitizing_alpha_binary(only_c, 300)
    )
    with pytest.raises(AgreementError, match="overlap with different codes"):
        unitizing_alpha(EXAMPLE_2004, 300)


def test_overlapping_spans_of_one_code_are_merged():
    merged = {"a": [(0, 8, "x")], "b": [(1, 7, "x")]}
    split = {"a": [(0, 5, "x"), (3, 8, "x")], "b": [(1, 7, "x")]}
    assert unitizing_alpha(split, 12) == pytest.approx(unitizing_alpha(merged, 12))
    assert unitizing_alpha_1995(split, 12) == pytest.approx(unitizing_alpha_1995(merged, 12))


def test_plain_pairs_and_coder_order():
    plain = [[(2, 6), (8, 9)], [(3, 6)], [(2, 5), (8, 10)]]
    coded = [[(s, e, None) for s, e in group] for group in plain]
    reversed_coders = plain[::-1]
    for function in (unitizing_alpha, unitizing_alpha_binary, unitizing_alpha_1995):
        value = function(plain, 12)
        assert function(coded, 12) == pytest.approx(value)
        assert function(reversed_coders, 12) == pytest.approx(value)
        assert -1.5 < value < 1.0


@pytest.mark.parametrize(
    ("spans", "length", "message"),
    [
        ({"a": [(0, 3)]}, 10, "at least 2 coders"),
        ({"a": [(0, 3)], "b": [(5, 12)]}, 10, "0 <= start < end <= length"),
        ({"a": [(3, 3)], "b": [(5, 6)]}, 10, "0 <= start < end"),
        ({"a": [(0.5, 3)], "b": [(5, 6)]}, 10, "non-integer"),
        ({"a": [(0, 3, "x", 1)], "b": []}, 10, "not \\(start, end\\)"),
        ({"a": [(0, 3)], "b": []}, 0, "positive whole number"),
        ("ab", 10, "spans must map"),
    ],
)
def test_bad_spans_raise(spans, length, message):
    with pytest.raises(AgreementError, match=message):
        unitizing_alpha(spans, length)


def test_nothing_marked_is_nan_with_warning():
    for function in (unitizing_alpha, unitizing_alpha_binary, unitizing_alpha_1995, coding_alpha):
        with pytest.warns(RuntimeWarning, match="undefined"):
            assert math.isnan(function({"a": [], "b": []}, 10))
    with pytest.warns(RuntimeWarning, match="code 'z'"):
        assert math.isnan(code_unitizing_alpha(EXAMPLE_2004, 300, "z"))
