"""The one pair of offset conversions at the widget boundary (code points <-> UTF-16)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raakvlak.corpus.canonical import canonicalise
from raakvlak.errors import CodingError
from raakvlak.widgets.offsets import codepoints_to_utf16, utf16_to_codepoints

EMOJI = "😀"  # U+1F600: one code point, two UTF-16 units
ACCENT = "e\u0301"  # e + combining acute: two code points, two UTF-16 units


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_emoji_counts_two_units():
    text = f"Ja {EMOJI} nee\n"
    assert codepoints_to_utf16(text, 3) == 3  # at the emoji
    assert codepoints_to_utf16(text, 4) == 5  # after it
    assert utf16_to_codepoints(text, 5) == 4
    assert text[utf16_to_codepoints(text, 6):] == "nee\n"


def test_combining_accent_counts_the_same_in_both():
    text = f"caf{ACCENT} open\n"
    for offset in range(len(text) + 1):
        assert codepoints_to_utf16(text, offset) == offset
        assert utf16_to_codepoints(text, offset) == offset


def test_line_ends_count_once_in_canonical_text():
    # canonical text has "\n" only, which the DOM also counts as one unit
    text = canonicalise(f"Docent 1: Ja {EMOJI}\r\n\r\nHulpverlener 1: Nee.\r\n")
    assert "\r" not in text
    start = text.index("Nee")
    assert codepoints_to_utf16(text, start) == utf16_length(text[:start]) == start + 1
    assert text[utf16_to_codepoints(text, start + 1):start + 3] == "Nee"


def test_text_boundaries():
    text = f"{EMOJI}a{EMOJI}\n"
    assert codepoints_to_utf16(text, 0) == 0
    assert utf16_to_codepoints(text, 0) == 0
    assert codepoints_to_utf16(text, len(text)) == utf16_length(text) == 6
    assert utf16_to_codepoints(text, 6) == len(text) == 4
    assert utf16_to_codepoints("", 0) == 0


def test_selection_after_emoji_and_accents_gives_the_code_point_quote():
    text = f"[00:00:05] Docent 1: {EMOJI}{EMOJI} Wat een caf{ACCENT} en cliënt.\n"
    phrase = f"caf{ACCENT} en"
    # what a browser reports: positions in the UTF-16 string
    start16 = utf16_length(text[: text.index(phrase)])
    end16 = start16 + utf16_length(phrase)
    start, end = utf16_to_codepoints(text, start16), utf16_to_codepoints(text, end16)
    assert text[start:end] == phrase
    assert (codepoints_to_utf16(text, start), codepoints_to_utf16(text, end)) == (start16, end16)


@pytest.mark.parametrize("offset", [-1, 7, 2.0, "3", None, True])
def test_bad_offsets_are_refused(offset):
    with pytest.raises(CodingError):
        utf16_to_codepoints(f"a{EMOJI}b\n", offset)
    with pytest.raises(CodingError):
        codepoints_to_utf16("abc\n", offset if offset != 7 else 5)


def test_offset_inside_a_surrogate_pair_is_refused():
    text = f"a{EMOJI}b\n"
    with pytest.raises(CodingError, match="inside the character"):
        utf16_to_codepoints(text, 2)


@given(st.lists(st.sampled_from(["a", "é", ACCENT, EMOJI, "🇳🇱", "\n", " ", "ß", "中"])).map("".join))
def test_round_trip(text):
    for offset in range(len(text) + 1):
        units = codepoints_to_utf16(text, offset)
        assert units == utf16_length(text[:offset])
        assert utf16_to_codepoints(text, units) == offset
