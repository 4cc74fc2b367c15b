"""Person names in running text, found offline: sure ones to replace, near misses to review.

:func:`find_names` looks at every run of capitalised words (with the particles and
initials between them: ``Jan van der Berg``, ``J.R. Tolkien``) and decides from word
lists and context whether it names a person. A *sure* span (score :data:`SURE_SCORE` or
more) is meant to be replaced at import; a *near miss* is shown to the researcher next
to the replacements, to confirm or undo. :func:`review` ranks both for that list: names
first; places, organisations, acronyms and product names (``Slack``, ``API``) last.

Evidence for a name, roughly strongest first
--------------------------------------------
* **Known** names (``known=``: the project's key, the speakers of a transcript).
* **Context**: a title or form of address before the run (``mevrouw``, ``juf``, ``dr.``,
  ``Mr``), a role noun (``de manager Tim``), a verb of saying next to it (``zei Ali``,
  ``Tim said``), a speaker label (``Spreker 1 Zwolsman``), an apposition with a person
  noun (``Tim Mahy, de manager``), years of life after it (``Bach (1685-1750)``).
* **First name + more**: a listed first name or an initial followed by capitalised words
  and particles (``Tim Mahy``, ``A. de Vries``, ``Filips II van Spanje``); a Dutch
  surname with its particle (``De Vries``).
* **A common first name** alone (not an ordinary English word nor a big place).
* **The same word** as a word of a sure name elsewhere in the same text.

Against: stop words and fillers, months and days, places, countries and languages,
words of organisations, addresses and products (``Universiteit``, ``-straat``,
``Teams``), adjectives of places (``Amerikaanse``), words in capitals (``API``), titles
of works (in quotation marks, or with ``The``/``of`` inside), words the text also writes
in lower case (``Bakker`` next to ``bakker``). Such runs are near misses at most; a word
seen capitalised only at sentence starts, or also in lower case there, is not listed.

Word lists are in :mod:`raakvlak.corpus.namelists` (first names, surnames, places,
English words, stop words, context words), built from openly licensed packages; its
``README.md`` names every source and licence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from raakvlak.corpus.namelists import Lexicon, fold, lexicon, sections

SURE_SCORE = 0.8  # a span at or above this score is sure: replaced at import
_UPPER = "".join(
    re.escape(chr(i)) for i in range(0x2000)
    if chr(i).isupper() or unicodedata.category(chr(i)) == "Lt"
)
# a capitalised word: letters, inner apostrophes and hyphens (Jan-Willem, O'Brien, Tim's)
# a capitalised word: letters, inner apostrophes and hyphens (Jan-Willem, O'Brien, Tim's);
# it must not continue a word (checked by _runs: a regular expression that starts with
# the capital is three times faster than one that looks behind first)
_CAP_WORD = re.compile(rf"[{_UPPER}](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
_ARABIC_PREFIX = frozenset(("al", "el", "ad", "ar", "as", "at", "az", "an", "ash", "d", "l"))
_PUNCTUATION = ".,;:!?\"'“”‘’()[]«»…"
_PARTICLES = (
    "van", "de", "der", "den", "het", "'t", "’t", "ten", "ter", "te", "von", "zu", "vom",
    "di", "da", "del", "della", "dos", "das", "du", "des", "le", "la", "al", "el", "bin",
    "ibn", "ben", "y", "in", "op", "d'", "d’",
)
# particles that open a surname written with a capital (De Vries, Van Dijk, Ter Horst)
_NAME_PARTICLES = frozenset(("van", "de", "der", "den", "ten", "ter", "te", "von", "le", "la",
                             "du", "di", "da", "del", "vander", "vanden", "op"))
# titles written with a capital inside a sentence as part of the name (Paus Pius V)
_RANKS = frozenset(("koning", "koningin", "keizer", "keizerin", "paus", "prins", "prinses",
                    "tsaar", "sultan", "graaf", "gravin", "hertog", "hertogin", "king", "queen",
                    "emperor", "pope", "prince", "princess"))
_LOCATIVE = frozenset(("te", "in", "op", "uit", "bij"))
# what may stand between two capitalised words of one name: spaces with particles, or the
# dot and space after an initial
_GAP = re.compile(
    r"(?:\.[^\S\n]*|[^\S\n]+)(?:(?:" + "|".join(re.escape(p) for p in _PARTICLES)
    + r")[^\S\n]+)*"
)

# Dutch compounds naming an address, a building, an organisation or an event
_COMPOUND_SUFFIX = re.compile(
    r"(?:straat|weg|laan|plein|gracht|kade|singel|kerk|museum|school|college|ziekenhuis|"
    r"theater|station|stadion|park|haven|markt|oorlog|verdrag|akkoord|prijs|beker)$"
)
# adjectives and inhabitants of places: Amerikaanse, Russische, Amerikanen
_DEMONYM = re.compile(r"(?:[^aeiou]se|sche|isch|aans|iaans|anen|ianen|ees)$")
# endings of Latinised and Greek names: Vergilius, Trajanus, Euripides, Perikles, Anaxagoras
_LATIN_NAME = re.compile(r"(?:ius|anus|inus|us|ides|enes|kles|cles|ates|oras|ippos|ippus)$")
_ROMAN = re.compile(r"(?:X{0,3})(?:IX|IV|V?I{0,3})")
# nouns for persons, by their ending: a name before ", de bakker" / ", een wiskundige"
_PERSON_NOUN = re.compile(r"(?:er|ster|ist|eur|euse|ice|trice|aar|aris|loog|oloog|or|ant|"
                          r"ent|ige|man|vrouw|kind|zoon|dochter)$")
_CAPITALS = "written in capitals"
# words after which a single capitalised word names a thing or a place, not a person
_NO_NAME_AFTER = frozenset(("de", "het", "een", "die", "deze", "dit", "dat", "in", "uit",
                            "the", "a", "an", "this", "that", "these", "those", "from"))
_TITLE_DOT = re.compile(r"(?:^|\s)(?i:dr|mr|drs|prof|mw|mevr|dhr|ir|st)\.$")
_SENTENCE_END = ".!?:;…]"
_OPENERS = "\"'“”‘’«»([-–—•*"


@dataclass(frozen=True)
class NameSpan:
    """A person name found in a text.

    Attributes
    ----------
    start, end : code-point offsets into the text, end exclusive: ``text[start:end]``.
    text : the name as written (without a possessive ``'s``).
    sure : True for a name replaced automatically at import; False for a near miss,
        shown for review only.
    score : how sure, between 0 and 1; :data:`SURE_SCORE` and up is sure.
    reason : why, in words (``"first name + capitalised word"``).
    """

    start: int
    end: int
    text: str
    sure: bool
    score: float
    reason: str


_CONTEXT = sections("context_words.txt")
TITLES = _CONTEXT["titles"]  # mevrouw, meneer, juf, dr, koning ...
ROLE_NOUNS = _CONTEXT["roles"]  # manager, docent, zanger, collega ...
SPEECH = _CONTEXT["speech"]  # zei, vroeg, volgens, said, overleed ...
NOT_PERSON = _CONTEXT["not_person"]  # universiteit, stichting, straat, slack, teams ...
MONTHS_DAYS = _CONTEXT["months_days"]

@dataclass(slots=True)
class _Word:
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
    word: bool = False  # also an ordinary word (Rock, Heaven)
    particle_before: str = ""  # the particles joining it to the word before ("van der")


def _blocked(key: str, head: str, capitals: bool) -> str:
    if capitals:
        return _CAPITALS
    if key in MONTHS_DAYS:
        return "month or day"
    if key in NOT_PERSON or head in NOT_PERSON:
        return "word of an organisation, address or product"
    if len(key) > 8 and _COMPOUND_SUFFIX.search(key):
        return "compound naming an address, building or event"
    return ""


@lru_cache(maxsize=1 << 17)
def _traits(found: str, initial: bool) -> tuple:
    """What the lists say about a capitalised word as found: the fields of a _Word after
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
    first = lex.first.get(key, 0) or (lex.first.get(head, 0) if "-" in key else 0)
    if not first and key.endswith("s") and not capitals:  # a possessive: Tims boek
        first = min(lex.first.get(key[:-1], 0), 1)
    surname = key in lex.surnames
    demonym = not (first or surname) and bool(_DEMONYM.search(key))
    return (text, key, first, surname, lex.places.get(key, 0) or lex.places.get(head, 0),
            key in lex.stops, "" if roman else _blocked(key, head, capitals), initial, roman,
            demonym, key in lex.words), len(found) - len(text)


@cache
def _skipped() -> frozenset[str]:
    """Stop words and fillers as written at a sentence start (Ik, Maar, Nou), that are no
    particle, common first name (Al, Ben, Will) or small word of a title: the words _runs
    passes over at once."""
    lex = lexicon()
    keep = set(_PARTICLES) | _TITLE_WORDS | {w for w, strength in lex.first.items()
                                              if strength == 3 and w not in _CONTEXT["fillers"]}
    return frozenset(form for word in lex.stops - keep if word.isalpha()
                     for form in (word.capitalize(), word.upper()) if len(form) > 1)


def _runs(text: str) -> list[list[_Word]]:
    """Capitalised words grouped into runs joined by spaces, particles or an initial's dot;
    runs of one stop word that is no first name ("Ik", "De": most runs) are left out."""
    runs: list[list[tuple]] = []
    previous_end = -1
    skip = _skipped()
    for match in _CAP_WORD.finditer(text):
        start, found = match.start(), match.group()
        if found in skip:
            continue  # "Ik", "Hij", "Maar": as if written in lower case
        if start and text[start - 1].isalnum():
            continue  # McDonald's D, iPhone's P: inside a word
        if start > 1 and text[start - 1] in "-'’":  # al-Assad, d'Oisy
            k = start - 1
            while k and text[k - 1].isalpha():
                k -= 1
            if text[k:start - 1].lower() in _ARABIC_PREFIX and not (k and text[k - 1].isalnum()):
                start, found = k, text[k:match.end()]
        initial = len(found) <= 2 and found.isupper() and text[match.end():match.end() + 1] == "."
        traits, cut = _traits(found, initial)
        word = (start, match.end() - cut, traits, "")
        # a gap holds at most a few particles: longer ones are not tried
        gap = _GAP.fullmatch(text, previous_end, start) \
            if runs and start - previous_end < 24 else None
        if gap is not None and (gap.group()[:1] != "." or runs[-1][-1][2][7]):
            particles = " ".join(gap.group().strip(". \t").split())
            runs[-1].append((start, match.end() - cut, traits, particles))
        else:
            runs.append([word])
        previous_end = match.end()
    # traits: text, key, first, surname, place, stop, blocked, initial, ...
    return [[_Word(start, end, *traits, particle_before=particles)
             for start, end, traits, particles in run]
            for run in runs if len(run) > 1 or not run[0][2][5] or run[0][2][2]]


def _sentence_start(text: str, start: int) -> bool:
    """True when ``start`` opens a sentence, a line, a turn or the text."""
    i = start - 1
    while i >= 0 and (text[i] in " \t" or text[i] in _OPENERS):
        i -= 1
    if i < 0 or text[i] == "\n" or text[i] in _SENTENCE_END:
        # "dr. Jansen": the dot of a title does not end a sentence
        return not (text[i] == "." and _TITLE_DOT.search(text, max(0, i - 6), i + 1))
    return False


def _word_before(text: str, start: int) -> str:
    """The folded word just before ``start`` (or a title abbreviation with its dot), or ""."""
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    dot = i >= 0 and text[i] == "."
    end = i = i - dot + 1 if dot else i + 1
    while i > 0 and text[i - 1].isalpha():
        i -= 1
    if i == end:
        return ""
    word = fold(text[i:end])
    return word if not dot or word in TITLES else ""


def _word_after(text: str, end: int) -> str:
    match = re.match(r"[^\S\n]*,?[^\S\n]*([^\W\d_]+)", text[end:end + 40])
    return fold(match[1]) if match else ""


def _context(text: str, run: list[_Word], at_start: bool, before: str) -> str:
    """The reason the context gives for a name, or "" (``before``: the word before it)."""
    if before in TITLES:
        return f"after the title '{before}'"
    if before in ROLE_NOUNS:
        return f"after the role '{before}'"
    if before in SPEECH:
        return f"after '{before}'"
    end = run[-1].end
    after = _word_after(text, end)
    # "Gisteren zei": at the start of a sentence an adverb comes before the verb
    if after in SPEECH and not (at_start and run[0].key in _CONTEXT["adverbs"]):
        return f"before '{after}'"
    if _SPEAKER_LABEL.search(text, max(0, run[0].start - 24), run[0].start):
        return "after a speaker label"
    tail = text[end:end + 48]
    if _LIFESPAN.match(tail):
        return "years of life after it"
    apposition = _APPOSITION.match(tail)
    if apposition and (fold(apposition[1]) in ROLE_NOUNS or _PERSON_NOUN.search(apposition[1])):
        return f"apposition '{apposition[1]}' after it"
    return ""


_LIFESPAN = re.compile(
    r"[^\S\n]*\((?:[^\S\n]*(?:geboren|geb\.|born|b\.|°|\*)|[^\S\n]*(?:ca\.[^\S\n]*)?\d{3,4}"
    r"[^\S\n]*[-–][^\S\n]*(?:ca\.[^\S\n]*)?\d{2,4}[^\S\n]*\))"
)
_APPOSITION = re.compile(r"[^\S\n]*,[^\S\n]+(?:de|het|een|onze|mijn|haar|zijn|the|a|an|our|my|her|his)"
                         r"[^\S\n]+(?:[^\W\d_]+[^\S\n]+)?([^\W\d_]+)")
# "Spreker 1 Zwolsman", "Respondent 2 Yilmaz": a surname in a transcript's header
_SPEAKER_LABEL = re.compile(r"(?i:spreker|speaker|respondent|deelnemer|participant|interviewee|"
                            r"geïnterviewde|geinterviewde)[^\S\n]*\d*[^\S\n]*[:,-]?[^\S\n]*$")
_QUOTES = "\"“”„‘’'«»"


def _quoted(text: str, run: list[_Word]) -> bool:
    """True when the run is the whole of a quotation: a title of a work."""
    before = text[max(0, run[0].start - 2):run[0].start].strip()
    end = run[-1].end
    end += 2 if text[end:end + 2] in ("'s", "’s") else 0
    after = text[end:end + 2].strip()
    return bool(before) and before[-1] in _QUOTES and bool(after) and after[0] in _QUOTES


def _split(run: list[_Word], lex: Lexicon, opens_sentence: bool
           ) -> tuple[list[_Word], list[_Word], list[_Word]]:
    """The run without its opening title or ordinary words, cut where an organisation,
    product, address or place starts: (opening words, person part, rest). ``opens_sentence``:
    the run opens a sentence."""
    i = 0
    while i < len(run) and not run[i].initial and (
            run[i].stop or run[i].key in TITLES or run[i].key in ROLE_NOUNS or run[i].demonym
            or run[i].roman or run[i].blocked == "month or day"):
        # "met Al Pacino", "August Borms": a first name that is also a stop word or a
        # month, before a further name word (a sentence start is handled by the caller)
        if run[i].first and i + 1 < len(run) and not run[i + 1].blocked \
                and not run[i + 1].roman and run[i].key not in TITLES and not opens_sentence:
            break
        i += 1
    words = run[i:]
    if len(words) > 1 and words[0].first >= 2 and all(w.blocked == _CAPITALS for w in words):
        for word in words:  # JAN SCHUTTE: a name written in capitals
            word.blocked = ""
    named = bool(words) and bool(words[0].first or words[0].initial)
    cut = len(words)
    for j, word in enumerate(words):
        # after a first name, a surname or compound stays (Dick Laan, Kanye West, Klaus
        # Störtebeker), and so does a month before one (August Borms)
        kept = named and (j and (word.surname or word.blocked.startswith("compound"))
                          or not j and len(words) > 1 and word.blocked == "month or day")
        if word.blocked and not kept:
            cut = j
            # "Erasmus Universiteit": the words before, joined by spaces only, go with it
            while cut > 0 and not words[cut].particle_before:
                cut -= 1
            break
        if j and word.place and not (word.first or word.surname) and (
                word.particle_before in _LOCATIVE
                or word.particle_before == "van" and word.place == 2 and not named):
            cut = j  # "Eekhout te Oldenzaal", "Universiteit van Amsterdam"; but Filips II
            break  # van Spanje is a name
    person, rest = words[:cut], words[cut:]
    if person and " ".join(w.key for w in person) in lex.places and len(person) > 1:
        person, rest = [], person + rest  # Costa Rica, Den Haag
    return run[:i], person, rest


def _judge(run: list[_Word], at_start: bool, context: str, lowered: set[str],
           before: str) -> tuple[float, str]:
    """Score and reason for the person part of a run (see the module's list of evidence);
    ``before``: the folded word before it."""
    head = run[0]
    names = [w for w in run if not (w.initial or w.roman)]
    if any(w.key in _TITLE_WORDS and not w.initial for w in run[1:]):
        return 0.15, "capitalised like a title (The, Of ...)"
    if context:
        common = head.key in lowered or head.stop or (head.place == 2 and not head.first)
        return (0.5 if common and len(names) == 1 else 0.9), context
    if len(names) >= 2 or (head.initial and names):
        if head.initial:
            return 0.9, "initial + capitalised word"
        if head.first >= 2 or (head.first and not head.place):
            tail = names[-1]
            if (tail.word or head.word) and not tail.surname:  # Joy Division, Willis Tower
                return 0.7, "first name + capitalised word, ordinary English words"
            return 0.9, "first name + capitalised word"
        if all(w.surname and not w.place for w in names):
            return 0.7, "capitalised words from the surname list"
        return 0.45, "capitalised words"
    word = names[0] if names else head
    if word.key in lowered:  # at a sentence start no candidate at all ("Nee", "Weet")
        return (0.0, "") if at_start else (0.2, "also written in lower case")
    if not at_start and _LATIN_NAME.search(word.key) and not (word.place or word.word):
        return 0.85, "ending of a Latin or Greek name"
    if word.first >= 3 and word.place < 2 and not (word.word or word.stop) \
            and before not in _NO_NAME_AFTER:  # "de Koran", "in Wales"
        if at_start:
            return 0.8, "first-name list, at the start of a sentence"
        return 0.85, "first-name list + capitalised"
    if word.first:
        return (0.4 if at_start else 0.6), "first-name list"
    if word.surname and not word.place:
        return (0.3 if at_start else 0.55), "surname list"
    if word.place:
        return 0.15, "place, country or language"
    if at_start:
        return 0.12, _ONLY_AT_START
    return 0.35, "capitalised"


_Found = tuple[list[_Word], float, str]
_ONLY_AT_START = "capitalised, at the start of a sentence"
# small words that are capitalised inside titles of works, never inside a name
_TITLE_WORDS = frozenset(
    ["the", "of", "and", "for", "on", "to", "a", "an", "at", "by", "from", "or", "is", "are",
     "with", "het", "een", "en", "voor", "met"]
)


def find_names(text: str, language: str = "nl", known: Iterable[str] = ()) -> list[NameSpan]:
    """Person names in ``text``: sure ones (to replace) and near misses (to review).

    Parameters
    ----------
    text : running text (canonical or not; offsets are into this string).
    language : ``"nl"`` or ``"en"``; both languages' context words are used either
        way, so a Dutch text quoting English is served too.
    known : names already known to be persons (the project's key, the speakers): each
        of their words is a sure name wherever it is written with a capital.

    Returns
    -------
    list of NameSpan
        In text order, not overlapping. ``sure`` spans score :data:`SURE_SCORE` or more.

    Examples
    --------
    >>> spans = find_names("Gisteren zei Tim Mahy, de manager, dat Slack handig is.")
    >>> [(s.text, s.sure, s.reason) for s in spans]
    [('Tim Mahy', True, "after 'zei'"), ('Slack', False, 'word of an organisation, address or product')]
    >>> [s.text for s in find_names("Mevrouw Zwolsman belde. Zwolsman was boos.") if s.sure]
    ['Zwolsman', 'Zwolsman']
    """
    if language not in ("nl", "en"):
        raise ValueError(f"find_names supports the languages nl and en, not {language!r}")
    lex = lexicon()
    known_keys = {fold(w) for name in known for w in re.findall(r"[^\W\d_]+", name)}
    known_keys -= set(_PARTICLES) | lex.stops | TITLES
    runs = _runs(text)
    lowered: set[str] = set()
    if runs:  # words the text also writes in lower case (before punctuation or not)
        pieces = {piece.strip(_PUNCTUATION) for piece in set(text.split())}
        lowered = {w.key for run in runs for w in run if w.text.lower() in pieces}
    found: list[_Found] = []
    for run in runs:
        opens = _sentence_start(text, run[0].start)
        if opens and len(run) == 1 and _plain(text, run[0], known_keys):
            # a word without any evidence opening a sentence (Weet, Precies): dropped, or
            # listed only if it is also found inside a sentence (see below)
            if run[0].key not in lowered:
                found.append((run, 0.12, _ONLY_AT_START))
            continue
        opening, person, rest = _split(run, lex, opens)
        if person and any(w.key in known_keys for w in person):
            found.append((person, 1.0, "known name"))
        elif person and not all(w.initial or w.roman for w in person):
            judged = _person(text, opening, person, lowered, opens)
            if judged[1]:
                found.append(judged)
        while rest:  # "API van HTTP": one near miss per part between particles
            part = next((j for j, w in enumerate(rest) if j and w.particle_before), len(rest))
            words, rest = rest[:part], rest[part:]
            reason = next((w.blocked for w in words if w.blocked), "place, country or language")
            found.append((words, 0.1, reason))
    found = _propagate(found)
    # an unknown word seen capitalised only where a sentence starts is no candidate at all
    inside = {w.key for words, _, reason in found if reason != _ONLY_AT_START for w in words}
    found = [f for f in found if f[2] != _ONLY_AT_START or f[0][0].key in inside]
    return _spans(text, found)


def _plain(text: str, word: _Word, known: set[str]) -> bool:
    """True when nothing speaks for or against ``word`` as a name: no list has it, and no
    verb of saying, speaker label or quotation mark is next to it."""
    if word.first or word.surname or word.blocked or word.place or word.initial or word.roman \
            or word.demonym or word.key in known or word.key in TITLES or word.key in ROLE_NOUNS:
        return False
    if text[word.end:word.end + 1] in _QUOTES or text[word.start - 1:word.start] in _QUOTES:
        return False
    return _word_after(text, word.end) not in SPEECH and not _SPEAKER_LABEL.search(
        text, max(0, word.start - 24), word.start)


def _person(text: str, opening: list[_Word], person: list[_Word], lowered: set[str],
            opens: bool) -> _Found:
    """Judge the person part of a run, with the title or particles that open it
    (``opens``: the run opens a sentence)."""
    at_start = not opening and opens
    if at_start and len(person) > 2 and not (person[0].first or person[0].surname) \
            and person[1].first >= 2:  # "Spits Kenny Dalglish": a noun opens the sentence
        opening, person, at_start = person[:1], person[1:], False
    before = _word_before(text, person[0].start)
    title = next((w.key for w in reversed(opening) if w.key in TITLES), "")
    title = title or (_word_before(text, opening[0].start) if opening else before)
    if _quoted(text, opening + person):
        score, reason = 0.15, "in quotation marks: a title"
    elif opening and person[0].particle_before:  # den Koning van Hispanje
        score, reason = 0.3, "a title of a place"
    elif title in TITLES:
        score, reason = 1.0, f"after the title '{title}'"
    elif opening and opening[-1].key in ROLE_NOUNS:
        score, reason = 0.9, f"after the role '{opening[-1].key}'"
    elif len(person) == 1 and opening and opening[-1].key in _NAME_PARTICLES \
            and f"{opening[-1].key} {person[0].key}" in lexicon().surnames:
        score, reason = 0.85, "Dutch surname with its particle (De Vries)"
    else:
        context = _context(text, person, at_start, before)
        score, reason = _judge(person, at_start, context, lowered, before)
    # a capitalised particle opening the run belongs to the name (De Vries, Van Dijk), and
    # so does a capitalised title inside a sentence (Paus Sixtus II, Koning Willem)
    while score >= SURE_SCORE and opening and (
            opening[-1].key in _NAME_PARTICLES and not person[0].first
            or opening[-1].key in _RANKS and not _sentence_start(text, opening[-1].start)):
        person = [opening.pop()] + person
    return person, score, reason


def _propagate(found: list[_Found]) -> list[_Found]:
    """Raise near misses that share a word with a sure name to sure ones (only that part
    of them: "Zowel Kangxi" gives "Kangxi")."""
    sure_words = {w.key for words, score, _ in found if score >= SURE_SCORE
                  for w in words if not (w.initial or w.roman or w.stop or w.place)
                  and w.key not in _PARTICLES}
    out = []
    for words, score, reason in found:
        if 0.1 < score < SURE_SCORE:  # Tims is Tim's
            hits = [i for i, w in enumerate(words) if w.key in sure_words
                    or w.key[-1:] == "s" and w.key[:-1] in sure_words]
            if hits:
                words = words[hits[0]:hits[-1] + 1]
                score, reason = 0.85, "same word as a sure name in this text"
        out.append((words, score, reason))
    return out


def _spans(text: str, found: list[_Found]) -> list[NameSpan]:
    spans = []
    for words, score, reason in found:
        start, end = words[0].start, words[-1].end
        spans.append(NameSpan(start, end, text[start:end], score >= SURE_SCORE,
                              round(score, 2), reason))
    return spans


@dataclass(frozen=True)
class Candidate:
    """One written form of the names found in a text, for the researcher's review.

    Attributes
    ----------
    text : the form as written (``Tim Mahy``).
    sure : replaced automatically (True) or a near miss (False).
    score : the highest score of its occurrences.
    count : how often it was found.
    reason : the reason of its best occurrence.
    start : offset of its first occurrence.
    """

    text: str
    sure: bool
    score: float
    count: int
    reason: str
    start: int


def review(text: str, language: str = "nl", known: Iterable[str] = (),
           spans: list[NameSpan] | None = None) -> list[Candidate]:
    """The names found in ``text`` as a list to review, the likeliest person names first.

    Sure names come first, then near misses by score: first names and surnames, then
    unknown capitalised words, then places, and organisations, acronyms and product
    names (``Slack``, ``API``, ``HTTP``) last. Equal scores: the more frequent first.

    Parameters
    ----------
    text, language, known : as for :func:`find_names`.
    spans : the result of :func:`find_names` on ``text``, when it is at hand already.

    Returns
    -------
    list of Candidate

    Examples
    --------
    >>> text = "Via Slack en de API vroeg juf Ans of Ricardo kwam. Ricardo kwam."
    >>> [(c.text, c.sure, c.count) for c in review(text)]
    [('Ans', True, 1), ('Ricardo', True, 2), ('API', False, 1), ('Slack', False, 1)]
    """
    if spans is None:
        spans = find_names(text, language, known)
    best: dict[str, NameSpan] = {}
    counts: dict[str, int] = {}
    for span in spans:
        counts[span.text] = counts.get(span.text, 0) + 1
        if span.text not in best or span.score > best[span.text].score:
            best[span.text] = span
    first = {}
    for span in reversed(spans):
        first[span.text] = span.start
    rows = [Candidate(t, s.sure, s.score, counts[t], s.reason, first[t]) for t, s in best.items()]
    rows.sort(key=lambda c: (-c.score, -c.count, c.text.casefold(), c.text))
    return rows
