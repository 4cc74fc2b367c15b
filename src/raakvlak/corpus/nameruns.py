"""Runs of capitalised words, and what the word lists say about each word.

:func:`runs` groups the capitalised words of a text into runs joined by spaces, particles
or an initial's dot (``Jan van der Berg``, ``J.R. Tolkien``); each :class:`Word` carries
what the lists of :mod:`raakvlak.corpus.namelists` say about it (first name and how
common, surname, place, stop word, ordinary English or Dutch word) and why it cannot be
part of a person's name, if it cannot. :mod:`raakvlak.corpus.names` judges the runs.

Examples
--------
>>> [[w.text for w in run] for run in runs("Ik sprak Jan van der Berg en mevrouw De Vries.")]
[['Jan', 'Berg'], ['De', 'Vries']]
>>> runs("Bram van Kompas belde.", blocked={"kompas": "in the key as an organisation"})[0][1].blocked
'in the key as an organisation'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from raakvlak.corpus.namelists import fold, lexicon, sections

_UPPER = "".join(
    re.escape(chr(i)) for i in range(0x2000)
    if chr(i).isupper() or unicodedata.category(chr(i)) == "Lt"
)
# a capitalised word: letters, inner apostrophes and hyphens (Jan-Willem, O'Brien, Tim's);
# it must not continue a word (checked by runs: a regular expression that starts with
# the capital is three times faster than one that looks behind first)
_CAP_WORD = re.compile(rf"[{_UPPER}](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
_ARABIC_PREFIX = frozenset(("al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "d", "l"))
PUNCTUATION = ".,;:!?\"'“”‘’()[]«»…"
PARTICLES = (
    "van", "de", "der", "den", "het", "'t", "’t", "ten", "ter", "te", "von", "zu", "vom",
    "di", "da", "del", "della", "dos", "das", "du", "des", "le", "la", "al", "el", "bin",
    "ibn", "ben", "y", "in", "op", "d'", "d’",
)
# particles that open a surname written with a capital (De Vries, Van Dijk, Ter Horst)
NAME_PARTICLES = frozenset(("van", "de", "der", "den", "ten", "ter", "te", "von", "le", "la",
                             "du", "di", "da", "del", "vander", "vanden", "op"))
# what may stand between two capitalised words of one name: spaces with particles, or the
# dot and space after an initial
_GAP = re.compile(
    r"(?:\.[^\S\n]*|[^\S\n]+)(?:(?:" + "|".join(re.escape(p) for p in PARTICLES)
    + r")[^\S\n]+)*"
)

# Dutch compounds naming an address, a building, an organisation or an event
_COMPOUND_SUFFIX = re.compile(
    r"(?:straat|weg|laan|plein|gracht|kade|singel|kerk|museum|school|college|ziekenhuis|"
    r"theater|station|stadion|park|haven|markt|oorlog|verdrag|akkoord|prijs|beker)$"
)
# adjectives and inhabitants of places: Amerikaanse, Russische, Amerikanen
_DEMONYM = re.compile(r"(?:[^aeiou]se|sche|isch|aans|iaans|anen|ianen|ees)$")
_ROMAN = re.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
CAPITALS = "written in capitals"
IN_KEY = "in the key as an organisation or a place, or marked as no name"
TITLE_DOT = re.compile(r"(?:^|\s)(?i:dr|mr|drs|prof|mw|mevr|dhr|ir|st)\.$")
SENTENCE_END = ".!?:;…]"
OPENERS = "\"'“”‘’«»([-–—•*"

CONTEXT = sections("context_words.txt")
TITLES = CONTEXT["titles"]  # mevrouw, meneer, juf, dr, koning ...
ROLE_NOUNS = CONTEXT["roles"]  # manager, docent, zanger, collega ...
SPEECH = CONTEXT["speech"]  # zei, vroeg, volgens, said, overleed ...
NOT_PERSON = CONTEXT["not_person"]  # universiteit, stichting, straat, slack, teams ...
MONTHS_DAYS = CONTEXT["months_days"]
@dataclass(slots=True)
class Word:
    """One capitalised word of a run, with what the lists say about it."""

    start: int
    end: int
    text: str
    key: str  # folded
    first: int = 0  # first-name strength
    surname: bool = False
    place: int = 0  # 2 country, language or big city; 1 other place
    stop: bool = False
    blocked: str = ""  # why it cannot be (part of) a person's name: "month or day" ...
    initial: bool = False
    roman: bool = False  # a Roman numeral: Willem II, Lodewijk XIV
    demonym: bool = False  # Amerikaanse, Russische
    word: bool = False  # also an ordinary English word (Rock, Heaven)
    dutch: bool = False  # an ordinary Dutch word no list writes as a name (Prima, Pak)
    particle_before: str = ""  # the particles joining it to the word before ("van der")


def blocked_by(key: str, head: str, capitals: bool) -> str:
    """Why a word cannot be (part of) a person's name, by the lists alone, or ""."""
    if capitals:
        return CAPITALS
    if key in MONTHS_DAYS:
        return "month or day"
    if key in NOT_PERSON or head in NOT_PERSON:
        return "word of an organisation, address or product"
    if len(key) > 8 and _COMPOUND_SUFFIX.search(key):
        return "compound naming an address, building or event"
    return ""


@lru_cache(maxsize=1 << 17)
def traits(found: str, initial: bool) -> tuple:
    """What the lists say about a capitalised word as found: the fields of a Word after
    its offsets, and how many characters of possessive to leave out."""
    lex = lexicon()
    text = found[:-2] if found[-2:] in ("'s", "’s") else found
    key = fold(text)
    letters = [c for c in text if c.isalpha()]
    capitals = len(letters) > 1 and all(c.isupper() for c in letters) and not initial
    roman = capitals and bool(_ROMAN.fullmatch(text))
    if capitals:  # API, HTTP, HEMA; a name in capitals is looked up too
        key = fold(text.title())
    head = key.split("-")[0]
    # a compound with a lower-case part (IB-tijd, Corona-jaar) is no name, whatever its head
    compound = "-" in text and any(part[:1].islower() for part in text.split("-")[1:])
    first = lex.first.get(key, 0) or (lex.first.get(head, 0) if "-" in key and not compound else 0)
    if not first and key.endswith("s") and not capitals:  # a possessive: Tims boek
        first = min(lex.first.get(key[:-1], 0), 1)
    surname = key in lex.surnames
    demonym = not (first or surname) and bool(_DEMONYM.search(key))
    return (text, key, first, surname, lex.places.get(key, 0) or lex.places.get(head, 0),
            key in lex.stops, "" if roman else blocked_by(key, head, capitals), initial, roman,
            demonym, key in lex.words, key in lex.dutch), len(found) - len(text)


@cache
def skipped() -> frozenset[str]:
    """Stop words and fillers as written at a sentence start (Ik, Maar, Nou), that are no
    particle, common first name (Al, Ben, Will) or small word of a title: the words
    :func:`runs` passes over at once."""
    lex = lexicon()
    keep = set(PARTICLES) | TITLE_WORDS | {w for w, strength in lex.first.items()
                                           if strength == 3 and w not in CONTEXT["fillers"]}
    return frozenset(form for word in lex.stops - keep if word.isalpha()
                     for form in (word.capitalize(), word.upper()) if len(form) > 1)


def runs(text: str, blocked: Mapping[str, str] | None = None) -> list[list[Word]]:
    """Capitalised words grouped into runs joined by spaces, particles or an initial's dot;
    runs of one stop word that is no first name ("Ik", "De": most runs) are left out.

    Parameters
    ----------
    text : the text.
    blocked : folded words that cannot be (part of) a person's name, with the reason
        (the words of the key's organisations and places): a run is cut there.
    """
    found_runs: list[list[tuple]] = []
    previous_end = -1
    skip = skipped()
    for match in _CAP_WORD.finditer(text):
        start, found = match.start(), match.group()
        if found in skip and not (found_runs and text[previous_end:start] == " "
                                  and not found_runs[-1][-1][2][5]):
            continue  # "Ik", "Hij", "Maar": as if written in lower case; but Wim Kan, James Last
        if start and text[start - 1].isalnum():
            continue  # McDonald's D, iPhone's P: inside a word
        if start > 1 and text[start - 1] in "-'’":  # al-Assad, d'Oisy
            k = start - 1
            while k and text[k - 1].isalpha():
                k -= 1
            if text[k:start - 1].lower() in _ARABIC_PREFIX and not (k and text[k - 1].isalnum()):
                start, found = k, text[k:match.end()]
        # an initial is one capital and its dot (J. de Vries); "VO." is an abbreviation
        initial = len(found) == 1 and text[match.end():match.end() + 1] == "."
        word_traits, cut = traits(found, initial)
        # a gap holds at most a few particles: longer ones are not tried
        gap = _GAP.fullmatch(text, previous_end, start) \
            if found_runs and start - previous_end < 24 else None
        if gap is not None and (gap.group()[:1] != "." or found_runs[-1][-1][2][7]):
            particles = " ".join(gap.group().strip(". \t").split())
            found_runs[-1].append((start, match.end() - cut, word_traits, particles))
        else:
            found_runs.append([(start, match.end() - cut, word_traits, "")])
        previous_end = match.end()
    # traits: text, key, first, surname, place, stop, blocked, initial, ...
    kept = [[Word(start, end, *word_traits, particle_before=particles)
             for start, end, word_traits, particles in run]
            for run in found_runs if len(run) > 1 or not run[0][2][5] or run[0][2][2]]
    if blocked:
        for run in kept:
            for word in run:
                reason = blocked.get(word.key) or blocked.get(word.key.split("-")[0])
                if reason:
                    word.blocked = reason
    return kept


# small words that are capitalised inside titles of works, never inside a name
TITLE_WORDS = frozenset(
    ["the", "of", "and", "for", "on", "to", "a", "an", "at", "by", "from", "or", "is", "are",
     "with", "het", "een", "en", "voor", "met"]
)

