"""The code query language: parsing, and evaluation on segments."""

from __future__ import annotations

import pandas as pd
import pytest

from raakvlak.analysis.query import QueryError, codes_in, evaluate, parse

UNITS = pd.DataFrame({"document_id": ["a"] * 5 + ["b"] * 3})
CODES = pd.Series([
    frozenset({"barrier.regie"}), frozenset(), frozenset({"barrier.privacy", "pattern.moment"}),
    frozenset(), frozenset({"pattern.agreement"}),
    frozenset({"pattern.agreement"}), frozenset(), frozenset({"barrier.regie"}),
])


def hits(query):
    return [i for i, hit in enumerate(evaluate(parse(query), UNITS, CODES)) if hit]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("barrier.regie", [0, 7]),
        ("barrier.*", [0, 2, 7]),
        ("barrier.* AND pattern.moment", [2]),
        ("barrier.regie OR pattern.agreement", [0, 4, 5, 7]),
        ("barrier.* AND NOT barrier.regie", [2]),
        ("NOT barrier.*", [1, 3, 4, 5, 6]),
        ("barrier.privacy NEAR/2 pattern.agreement", [2]),
        ("barrier.privacy NEAR/1 pattern.agreement", []),
        ("barrier.regie NEAR/3 pattern.agreement", [7]),  # never across documents: 0 is 4 away, 7 is 2 away in b
        ("(barrier.regie OR barrier.privacy) AND pattern.*", [2]),
        ("pattern.moment OR barrier.regie AND pattern.agreement", [2]),  # AND binds tighter
    ],
)
def test_queries_select_the_right_segments(query, expected):
    assert hits(query) == expected


@pytest.mark.parametrize("query", ["", "barrier.regie AND", "(barrier.regie", "barrier.regie )", "AND x", "a NEAR/ b"])
def test_malformed_queries_say_where(query):
    with pytest.raises(QueryError):
        parse(query)


def test_codes_in_lists_the_positive_codes():
    assert codes_in(parse("a AND NOT b OR c NEAR/2 d")) == ["a", "c", "d"]


def test_a_parent_pattern_takes_the_parent_code_itself():
    """``kwaliteit.*`` once left out codings on ``kwaliteit`` (issue 18); one matcher now."""
    codes = pd.Series([frozenset({"kwaliteit"}), frozenset({"kwaliteit.zorg.wacht"}),
                       frozenset({"kwaliteiten"}), frozenset({"Kwaliteit"})])
    units = pd.DataFrame({"document_id": ["a"] * 4})
    assert list(evaluate(parse("kwaliteit.*"), units, codes)) == [True, True, False, False]
    assert list(evaluate(parse("kwaliteit"), units, codes)) == [True, False, False, False]
