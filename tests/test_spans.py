"""Selections snap to whole words, never start in a speaker label; search finds phrases."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raakvlak.coding.spans import find_phrase, snap_span, word_end, word_start
from raakvlak.corpus.structure import blocks
from raakvlak.errors import CodingError

TEXT = ("[00:00:05] Docent 1: De requirements van IB'er Sanne zijn café-achtig.\n\n"
        "Hulpverlener 2: Wij hebben de regie niet.\n")
TURNS = [(b.start, b.end) for b in blocks(TEXT)]


def at(phrase: str) -> int:
    return TEXT.index(phrase)


def test_an_end_inside_a_word_takes_the_whole_word():
    start = at("requirements")
    assert TEXT[slice(*snap_span(TEXT, start, start + 11, TURNS))] == "requirements"


def test_a_start_inside_a_word_moves_to_its_beginning():
    start = at("quirements")
    assert TEXT[slice(*snap_span(TEXT, start, start + 10, TURNS))] == "requirements"


def test_exact_keeps_the_characters():
    start = at("quirement")
    assert TEXT[slice(*snap_span(TEXT, start, start + 9, TURNS, exact=True))] == "quirement"


@pytest.mark.parametrize(("selected", "expected"), [
    ("B'e", "IB'er"), ("café-a", "café-achtig"), ("'er Sa", "IB'er Sanne")])
def test_apostrophes_and_hyphens_inside_a_word_belong_to_it(selected, expected):
    start = at(selected)
    assert TEXT[slice(*snap_span(TEXT, start, start + len(selected), TURNS))] == expected


def test_punctuation_at_the_edge_stays_as_selected():
    start = at("achtig.")
    assert TEXT[slice(*snap_span(TEXT, start, start + 7, TURNS))] == "café-achtig."


def test_a_start_in_a_speaker_label_moves_to_the_words_of_the_turn():
    start, end = snap_span(TEXT, at("Docent"), at("De re") + 2, TURNS)
    assert TEXT[start:end] == "De"
    start, end = snap_span(TEXT, at("[00:"), at("De re") + 5, TURNS)
    assert TEXT[start:end] == "De requirements"
    # from the end of one turn through the next one's label: ends where that turn ends
    start, end = snap_span(TEXT, at("achtig"), at("Hulpverlener") + 5, TURNS)
    assert TEXT[start:end] == "café-achtig."


def test_a_selection_of_a_label_alone_is_refused():
    with pytest.raises(CodingError, match="speaker label"):
        snap_span(TEXT, at("Hulpverlener"), at("Hulpverlener") + 14, TURNS)
    with pytest.raises(CodingError, match="white space"):
        snap_span(TEXT, at("\n\n"), at("\n\n") + 2)


@given(st.integers(0, len(TEXT) - 1), st.integers(1, 40), st.booleans())
def test_a_snapped_span_lies_in_a_turn_and_covers_the_selection(first, length, exact):
    last = min(len(TEXT), first + length)
    try:
        start, end = snap_span(TEXT, first, last, TURNS, exact=exact)
    except CodingError:
        return
    assert any(s <= start < e for s, e in TURNS)
    assert any(s < end <= e for s, e in TURNS)
    assert not TEXT[start].isspace() and not TEXT[end - 1].isspace()
    assert word_start(TEXT, start) == start or exact
    assert word_end(TEXT, end) == end or exact
    # nothing selected inside a turn is lost
    kept = {i for s, e in TURNS for i in range(max(s, first), min(e, last)) if not TEXT[i].isspace()}
    assert all(start <= i < end for i in kept)


def test_find_phrase_ignores_case_and_line_breaks():
    text = "De regie?\nREGIE\nligt bij niemand. Regieloos."
    assert find_phrase(text, "regie") == [(3, 8), (10, 15), (34, 39)]
    assert find_phrase(text, "regie ligt") == [(10, 20)]
    assert find_phrase(text, "") == []
    assert find_phrase(text, "(") == []
    assert len(find_phrase("a " * 100, "a", limit=7)) == 7
