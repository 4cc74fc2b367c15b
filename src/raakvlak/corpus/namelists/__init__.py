"""The word lists of :mod:`raakvlak.corpus.names` and how they are read.

The files in this folder and their sources and licences are described in its
``README.md``; ``LICENSES.txt`` holds the licence texts. Words are compared *folded*:
lower case without accents (:func:`fold`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

_EXTRA = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe",
                        "ı": "i", "þ": "th", "ð": "d", "’": "'"})


@lru_cache(maxsize=1 << 17)
def fold(word: str) -> str:
    """Lower case without accents (and without a possessive ``'s``): how words are compared.

    Examples
    --------
    >>> fold("Zoë's"), fold("Øster"), fold("Ali")
    ('zoe', 'oster', 'ali')
    """
    word = unicodedata.normalize("NFD", word.lower().translate(_EXTRA))
    word = "".join(c for c in word if not unicodedata.combining(c))
    return word[:-2] if word.endswith("'s") else word


def _lines(name: str) -> Iterable[str]:
    path = resources.files(__name__) / name
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            yield line


def sections(name: str) -> dict[str, frozenset[str]]:
    """The ``[section]`` word sets of a list file, folded.

    Examples
    --------
    >>> "mevrouw" in sections("context_words.txt")["titles"]
    True
    """
    found: dict[str, list[str]] = {}
    words: list[str] = []
    for line in _lines(name):
        if line.startswith("["):
            words = found.setdefault(line.strip("[] "), [])
        else:
            words.extend(line.split())
    return {section: frozenset(map(fold, listed)) for section, listed in found.items()}


@dataclass(frozen=True)
class Lexicon:
    """The word lists, folded (see README.md for their sources)."""

    first: dict[str, int]  # folded first name -> strength 1 (rare) .. 3 (common)
    surnames: frozenset[str]
    places: dict[str, int]  # folded place name -> 2 (country, language, big city) or 1
    stops: frozenset[str]
    words: frozenset[str]  # ordinary English words (rock, heaven, tower)
    dutch: frozenset[str] = frozenset()  # ordinary Dutch words no list writes as a name (prima, pak)


@cache
def lexicon() -> Lexicon:
    """The shipped word lists, read once (about 0.2 s).

    Examples
    --------
    >>> lists = lexicon()
    >>> lists.first["ricardo"], "jansen" in lists.surnames, lists.places["nederland"]
    (3, True, 2)
    >>> "prima" in lists.dutch, "kees" in lists.dutch
    (True, False)
    """
    def table(name: str) -> dict[str, int]:
        return {word: int(value) for word, _, value in
                (line.partition("\t") for line in _lines(name))}

    fillers = sections("context_words.txt")["fillers"]
    return Lexicon(table("first_names.txt"), frozenset(_lines("surnames.txt")),
                   table("places.txt"), frozenset(_lines("stop_words.txt")) | fillers,
                   frozenset(_lines("english_words.txt")), frozenset(_lines("dutch_words.txt")))


