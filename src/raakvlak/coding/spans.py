"""Spans of a document's text: what a selection becomes, and where a phrase is.

A researcher selects with the mouse, and a mouse is not precise: a selection may end
inside a word ("...requirement" without its "s") or start in the speaker label in
front of a turn. :func:`snap_span` turns a selection into the span that is coded:

- white space at either end is dropped;
- a start in a turn's label (or in the blank line between turns) moves to where the
  turn's words begin, an end there moves back to where the turn before it ends;
- a start or end inside a word moves out to the word's edge, so whole words are coded
  (``exact=True``, the Alt key in the widget, keeps the characters as selected).

:func:`find_phrase` finds every place of a phrase in a text (for search in the
document), case-insensitively and across line breaks.

Offsets are code points on the canonical text, 0-based, end-exclusive.

Examples
--------
>>> text = "Docent 1: De requirements van de school.\\n"
>>> turns = [(10, 40)]
>>> start = text.index("quire")
>>> snap_span(text, start, start + 5, turns)          # inside a word: the whole word
(13, 25)
>>> text[13:25]
'requirements'
>>> snap_span(text, 3, 15, turns)                     # from the label: the turn's words
(10, 25)
>>> snap_span(text, start, start + 5, turns, exact=True)
(15, 20)
>>> find_phrase(text, "DE school")
[(30, 39)]
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence

from raakvlak.errors import CodingError

_JOINERS = frozenset("'’-")  # inside a word: IB'er, zo'n, ex-partner (not at its edge)


def is_word_character(character: str) -> bool:
    """True for letters, digits and combining marks (parts of a word).

    Examples
    --------
    >>> [is_word_character(c) for c in "é1 ,\\u0301"]
    [True, True, False, False, True]
    """
    if character.isalnum() or character == "_":
        return True
    return unicodedata.category(character).startswith("M")


def _inside_word(text: str, at: int) -> bool:
    """True when offset ``at`` falls between two characters of one word."""
    if at <= 0 or at >= len(text):
        return False
    before, after = text[at - 1], text[at]
    if is_word_character(before) and is_word_character(after):
        return True
    # a joiner between two word characters (IB'er): both of its sides are in the word
    if before in _JOINERS and at >= 2 and is_word_character(text[at - 2]) and is_word_character(after):
        return True
    return (after in _JOINERS and at + 1 < len(text) and is_word_character(before)
            and is_word_character(text[at + 1]))


def word_start(text: str, at: int) -> int:
    """The start of the word ``at`` falls in (``at`` itself when it is at a word's edge)."""
    while _inside_word(text, at):
        at -= 1
    return at


def word_end(text: str, at: int) -> int:
    """The end of the word ``at`` falls in (``at`` itself when it is at a word's edge)."""
    while _inside_word(text, at):
        at += 1
    return at


def _into_turns(start: int, end: int, turns: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Move a start outside every turn forward to the next turn's words, an end back."""
    starts = [s for s, _ in turns]
    index = bisect.bisect_right(starts, start) - 1  # the last turn starting at or before start
    if index < 0 or start >= turns[index][1]:  # in a label or between turns
        following = index + 1
        if following < len(turns):
            start = max(start, turns[following][0])
    index = bisect.bisect_left(starts, end) - 1  # the last turn starting before end
    if index >= 0 and end > turns[index][1]:
        end = turns[index][1]
    return start, end


def snap_span(
    text: str,
    start: int,
    end: int,
    turns: Sequence[tuple[int, int]] | None = None,
    exact: bool = False,
) -> tuple[int, int]:
    """The span a selection ``text[start:end]`` codes (see the module docstring).

    Parameters
    ----------
    text : the canonical text.
    start, end : the selection, code points, end-exclusive.
    turns : ``(start, end)`` of the turns (or paragraphs) in text order, the parts a
        coding may start and end in; None: anywhere.
    exact : keep a start or end inside a word where it is.

    Returns
    -------
    (start, end), the span to code.

    Raises
    ------
    CodingError
        When nothing but white space or speaker labels is selected.
    """
    if turns:
        start, end = _into_turns(start, end, turns)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        raise CodingError("the selection holds no words (only white space or a speaker label); "
                          "select some words")
    if not exact:
        start, end = word_start(text, start), word_end(text, end)
    return start, end


def find_phrase(text: str, phrase: str, limit: int = 10_000) -> list[tuple[int, int]]:
    """Every place of ``phrase`` in ``text``: (start, end) in text order.

    Case is ignored, and a space in the phrase matches any run of white space (so a
    phrase is found across a line break). At most ``limit`` places are returned.

    Examples
    --------
    >>> find_phrase("Regie? De REGIE\\nligt hier.", "regie ligt")
    [(10, 20)]
    >>> find_phrase("abc", "   ")
    []
    """
    words = phrase.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)
    found = []
    for match in pattern.finditer(text):
        found.append((match.start(), match.end()))
        if len(found) >= limit:
            break
    return found
