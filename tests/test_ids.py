"""Identifiers: slugs are short, readable, ASCII and safe as file names; free names count up."""

from __future__ import annotations

import pytest

from raakvlak.ids import free_name, is_slug, slug


def test_a_survey_question_becomes_a_short_readable_ascii_slug():
    assert slug("Wat vindt u van de samenwerking tussen school en jeugdhulp?", at_word=True) == (
        "wat-vindt-u-van-de-samenwerking-tussen"
    )
    assert slug("Één kind – één plan?") == "een-kind-een-plan"
    assert len(slug("x" * 100)) == 40
    assert slug("!!!") == ""


@pytest.mark.parametrize("name", ["con", "nul", "com1", "lpt9", "Anna", "-x", "a" * 65, "a b", "é"])
def test_what_is_no_slug(name):
    assert not is_slug(name)


def test_free_names_count_up_and_fit():
    assert free_name("regie", set()) == "regie"
    assert free_name("regie", {"regie", "regie-2"}) == "regie-3"
    assert free_name("x" * 31, {"x" * 31}, joiner=" ", length=31) == "x" * 29 + " 2"
