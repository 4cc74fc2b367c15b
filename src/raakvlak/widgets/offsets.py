"""The one place where browser offsets meet raakvlak offsets.

raakvlak counts Unicode code points (a fixed decision); a browser counts UTF-16 code
units, in which a character outside the Basic Multilingual Plane (an emoji such as 😀)
takes two units. A combining accent (``e`` + U+0301) is two code points and two units
in both counts, so only astral characters make the two counts differ. Every offset that
crosses the widget boundary goes through :func:`utf16_to_codepoints` or
:func:`codepoints_to_utf16`, and nowhere else.

Examples
--------
>>> text = "Ja 😀 nee"
>>> codepoints_to_utf16(text, 5)
6
>>> utf16_to_codepoints(text, 6)
5
>>> text[utf16_to_codepoints(text, 6):]
'nee'
"""

from __future__ import annotations

import bisect
import functools
import re

from raakvlak.errors import CodingError

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@functools.lru_cache(maxsize=32)
def _astral(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Code-point and UTF-16 positions of the astral characters of ``text``.

    Cached per text: a document's offsets are converted many times while it is shown,
    and a Python string caches its own hash, so a lookup does not rescan the text.
    """
    points = tuple(match.start() for match in _ASTRAL.finditer(text))
    units = tuple(point + rank for rank, point in enumerate(points))
    return points, units


def _check(text: str, offset: int, length: int, unit: str) -> None:
    if isinstance(offset, bool) or not isinstance(offset, int):
        raise CodingError(f"offset {offset!r} must be a whole number of {unit}")
    if not 0 <= offset <= length:
        raise CodingError(
            f"offset {offset} lies outside the text (0-{length} {unit}); "
            "reload the document and select again"
        )


def codepoints_to_utf16(text: str, offset: int) -> int:
    """The UTF-16 offset (what a browser counts) of code-point ``offset`` in ``text``.

    Parameters
    ----------
    text : the canonical text.
    offset : 0-based code-point offset, ``0 <= offset <= len(text)``.

    Raises
    ------
    CodingError
        When the offset is not a whole number or lies outside the text.
    """
    _check(text, offset, len(text), "code points")
    points, _ = _astral(text)
    return offset + bisect.bisect_left(points, offset)


def utf16_to_codepoints(text: str, offset: int) -> int:
    """The code-point offset of UTF-16 ``offset`` (what a browser counts) in ``text``.

    Parameters
    ----------
    text : the canonical text.
    offset : 0-based UTF-16 offset, at most the UTF-16 length of the text.

    Raises
    ------
    CodingError
        When the offset is not a whole number, lies outside the text, or falls between
        the two halves of one character (a surrogate pair, e.g. inside an emoji).
    """
    points, units = _astral(text)
    _check(text, offset, len(text) + len(points), "UTF-16 units")
    before = bisect.bisect_left(units, offset)  # astral characters starting before offset
    if before and units[before - 1] + 1 == offset:
        raise CodingError(
            f"UTF-16 offset {offset} falls inside the character {text[points[before - 1]]!r} "
            f"at code point {points[before - 1]}; select whole characters"
        )
    return offset - before
