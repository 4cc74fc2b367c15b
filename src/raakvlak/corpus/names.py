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
from collections.abc import Iterable
from dataclasses import dataclass

from raakvlak.corpus.namelists import Lexicon, fold, lexicon
from raakvlak.corpus.nameruns import (
    CAPITALS,
    CONTEXT,
    IN_KEY,
    NAME_PARTICLES,
    OPENERS,
    PARTICLES,
    PUNCTUATION,
    ROLE_NOUNS,
    SENTENCE_END,
    SPEECH,
    TITLE_DOT,
    TITLE_WORDS,
    TITLES,
    Word,
    runs,
)

SURE_SCORE = 0.8  # a span at or above this score is sure: replaced at import
# titles written with a capital inside a sentence as part of the name (Paus Pius V)
_RANKS = frozenset(("koning", "koningin", "keizer", "keizerin", "paus", "prins", "prinses",
                    "tsaar", "sultan", "graaf", "gravin", "hertog", "hertogin", "king", "queen",
                    "emperor", "pope", "prince", "princess"))
_LOCATIVE = frozenset(("te", "in", "op", "uit", "bij"))
# endings of Latinised and Greek names: Vergilius, Trajanus, Euripides, Perikles, Anaxagoras
_LATIN_NAME = re.compile(r"(?:ius|anus|inus|us|ides|enes|kles|cles|ates|oras|ippos|ippus)$")
# nouns for persons, by their ending: a name before ", de bakker" / ", een wiskundige"
_PERSON_NOUN = re.compile(r"(?:er|ster|ist|eur|euse|ice|trice|aar|aris|loog|oloog|or|ant|"
                          r"ent|ige|man|vrouw|kind|zoon|dochter)$")
# words after which a single capitalised word names a thing or a place, not a person
_NO_NAME_AFTER = frozenset(("de", "het", "een", "die", "deze", "dit", "dat", "in", "uit",
                            "the", "a", "an", "this", "that", "these", "those", "from"))


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



def _sentence_start(text: str, start: int) -> bool:
    """True when ``start`` opens a sentence, a line, a turn or the text."""
    i = start - 1
    while i >= 0 and (text[i] in " \t" or text[i] in OPENERS):
        i -= 1
    if i < 0 or text[i] == "\n" or text[i] in SENTENCE_END:
        # "dr. Jansen": the dot of a title does not end a sentence
        return not (text[i] == "." and TITLE_DOT.search(text, max(0, i - 6), i + 1))
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
    """The folded word right after ``end`` (spaces between, no punctuation), or "": a verb of
    saying after a comma follows a quotation ("..., zei Ricardo"), not its speaker."""
    match = re.match(r"[^\S\n]*([^\W\d_]+)", text[end:end + 40])
    return fold(match[1]) if match else ""


def _context(text: str, run: list[Word], at_start: bool, before: str) -> str:
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
    if after in SPEECH and not (at_start and run[0].key in CONTEXT["adverbs"]):
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


def _quoted(text: str, run: list[Word]) -> bool:
    """True when the run is the whole of a quotation: a title of a work."""
    before = text[max(0, run[0].start - 2):run[0].start].strip()
    end = run[-1].end
    end += 2 if text[end:end + 2] in ("'s", "’s") else 0
    after = text[end:end + 2].strip()
    return bool(before) and before[-1] in _QUOTES and bool(after) and after[0] in _QUOTES


def _split(run: list[Word], lex: Lexicon, opens_sentence: bool
           ) -> tuple[list[Word], list[Word], list[Word]]:
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
    if len(words) > 1 and words[0].first >= 2 and all(w.blocked == CAPITALS for w in words):
        for word in words:  # JAN SCHUTTE: a name written in capitals
            word.blocked = ""
    named = bool(words) and bool(words[0].first or words[0].initial)
    cut = len(words)
    for j, word in enumerate(words):
        # after a first name, a surname or compound stays (Dick Laan, Kanye West, Klaus
        # Störtebeker), and so does a month before one (August Borms)
        kept = named and word.blocked != IN_KEY and (
            j and (word.surname or word.blocked.startswith("compound"))
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


def _judge(run: list[Word], at_start: bool, context: str, lowered: set[str],
           before: str) -> tuple[float, str]:
    """Score and reason for the person part of a run (see the module's list of evidence);
    ``before``: the folded word before it."""
    head = run[0]
    names = [w for w in run if not (w.initial or w.roman)]
    if any(w.key in TITLE_WORDS and not w.initial for w in run[1:]):
        return 0.15, "capitalised like a title (The, Of ...)"
    if context:
        common = head.key in lowered or head.stop or (head.place == 2 and not head.first) \
            or (at_start and head.dutch)
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
    if _latin(word):
        return (0.5, "ending of a Latin or Greek name, at the start of a sentence") if at_start \
            else (0.85, "ending of a Latin or Greek name")
    if word.first >= 3 and word.place < 2 and not (word.word or word.stop) \
            and before not in _NO_NAME_AFTER:  # "de Koran", "in Wales"
        if at_start and word.dutch:  # Prima, Pak: an ordinary word opens the sentence
            return 0.45, _ORDINARY_AT_START
        if at_start:
            return 0.8, "first-name list, at the start of a sentence"
        return 0.85, "first-name list + capitalised"
    if word.first and word.place < 2:
        return (0.4 if at_start else 0.6), "first-name list"
    if word.surname and not word.place:
        return (0.3 if at_start else 0.55), "surname list"
    if word.place:
        return 0.15, "place, country or language"
    if at_start:
        return 0.12, _ONLY_AT_START
    if word.dutch or "-" in word.text or len(word.key) > 12:  # Verhaal, Midden-Oosten
        return 0.25, "capitalised, an ordinary word or a compound"
    return 0.35, "capitalised"


_Found = tuple[list[Word], float, str]
_ONLY_AT_START = "capitalised, at the start of a sentence"
_ORDINARY_AT_START = "first-name list, but an ordinary Dutch word opening a sentence"


def find_names(text: str, language: str = "nl", known: Iterable[str] = (),
               blocked: Iterable[str] = ()) -> list[NameSpan]:
    """Person names in ``text``: sure ones (to replace) and near misses (to review).

    Parameters
    ----------
    text : running text (canonical or not; offsets are into this string).
    language : ``"nl"`` or ``"en"``; both languages' context words are used either
        way, so a Dutch text quoting English is served too.
    known : names already known to be persons (the project's key, the speakers): each
        of their words is a sure name wherever it is written with a capital. A run of
        capitalised words with a known word in it is a sure name from its first known
        word, first name or initial on ("Familie Yilmaz" gives "Yilmaz").
    blocked : names that are no person's (the key's organisations and places, words
        marked as no name): none of their words is ever (part of) a sure name, so a
        known name stops before them ("Bram van Kompas" gives "Bram").

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
    >>> text = "Pak maar. Toen belde Bram van Kompas."
    >>> [(s.text, s.sure) for s in find_names(text, known=["Bram"], blocked=["Kompas"])]
    [('Pak', False), ('Bram', True), ('Kompas', False)]
    """
    if language not in ("nl", "en"):
        raise ValueError(f"find_names supports the languages nl and en, not {language!r}")
    lex = lexicon()
    known_keys = {fold(w) for name in known for w in re.findall(r"[^\W\d_]+", name)}
    known_keys -= set(PARTICLES) | lex.stops | TITLES
    never = {fold(w): IN_KEY for name in blocked for w in re.findall(r"[^\W\d_]+", name)}
    for word in set(PARTICLES) | lex.stops | known_keys:
        never.pop(word, None)
    found_runs = runs(text, never)
    lowered: set[str] = set()
    if found_runs:  # words the text also writes in lower case (before punctuation or not)
        pieces = {piece.strip(PUNCTUATION) for piece in set(text.split())}
        lowered = {w.key for run in found_runs for w in run if w.text.lower() in pieces}
    found: list[_Found] = []
    for run in found_runs:
        opens = _sentence_start(text, run[0].start)
        if opens and len(run) == 1 and _plain(text, run[0], known_keys):
            # a word without any evidence opening a sentence (Weet, Precies): dropped, or
            # listed only if it is also found inside a sentence (see below)
            if run[0].key not in lowered:
                found.append((run, 0.12, _ONLY_AT_START))
            continue
        opening, person, rest = _split(run, lex, opens)
        if person and any(w.key in known_keys for w in person):
            found.append((_from_known(person, known_keys, opens and not opening), 1.0, "known name"))
        elif person and not all(w.initial or w.roman for w in person):
            judged = _person(text, opening, person, lowered, opens)
            if judged[1]:
                found.append(judged)
        while rest:  # "API van HTTP": one near miss per part between particles
            part = next((j for j, w in enumerate(rest) if j and w.particle_before), len(rest))
            words, rest = rest[:part], rest[part:]
            reason = next((w.blocked for w in words if w.blocked), "")
            # a first name and a surname that together name a place (Benito Juarez, a city):
            # no sure name, but a near miss high on the list
            if not reason and len(words) > 1 and words[0].first >= 3 and words[-1].surname:
                found.append((words, 0.5, "first name and surname, also the name of a place"))
            else:
                found.append((words, 0.1, reason or "place, country or language"))
    found = _propagate(found)
    # an unknown word seen capitalised only where a sentence starts is no candidate at all
    inside = {w.key for words, _, reason in found if reason != _ONLY_AT_START for w in words}
    found = [f for f in found if f[2] != _ONLY_AT_START or f[0][0].key in inside]
    return _spans(text, found)


def _from_known(person: list[Word], known: set[str], at_start: bool) -> list[Word]:
    """A run with a known name from its first known word, first name or initial on: the
    words before it name something else ("Familie Yilmaz", "Aantekeningen Linda
    Hoekstra"), and so does an ordinary Dutch word opening a sentence ("Los van Daan")."""
    i = 0
    while i < len(person) - 1 and person[i].key not in known and not person[i].initial and (
            not person[i].first or (i == 0 and at_start and person[i].dutch)):
        i += 1
    return person[i:]


def _latin(word: Word) -> bool:
    """True for a word ending like a Latin or Greek name that no list knows otherwise."""
    return bool(_LATIN_NAME.search(word.key)) and not (word.place or word.word or word.dutch or word.stop)


def _plain(text: str, word: Word, known: set[str]) -> bool:
    """True when nothing speaks for or against ``word`` as a name: no list has it, and no
    verb of saying, speaker label or quotation mark is next to it."""
    if word.first or word.surname or word.blocked or word.place or word.initial or word.roman \
            or word.demonym or word.key in known or word.key in TITLES or word.key in ROLE_NOUNS \
            or _latin(word):
        return False
    if text[word.end:word.end + 1] in _QUOTES or text[word.start - 1:word.start] in _QUOTES:
        return False
    return _word_after(text, word.end) not in SPEECH and not _SPEAKER_LABEL.search(
        text, max(0, word.start - 24), word.start)


def _person(text: str, opening: list[Word], person: list[Word], lowered: set[str],
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
    elif len(person) == 1 and opening and opening[-1].key in NAME_PARTICLES \
            and f"{opening[-1].key} {person[0].key}" in lexicon().surnames:
        score, reason = 0.85, "Dutch surname with its particle (De Vries)"
    else:
        context = _context(text, person, at_start, before)
        score, reason = _judge(person, at_start, context, lowered, before)
    # a capitalised particle opening the run belongs to the name (De Vries, Van Dijk), and
    # so does a capitalised title inside a sentence (Paus Sixtus II, Koning Willem)
    while score >= SURE_SCORE and opening and (
            opening[-1].key in NAME_PARTICLES and not person[0].first
            or opening[-1].key in _RANKS and not _sentence_start(text, opening[-1].start)):
        person = [opening.pop()] + person
    return person, score, reason


def _propagate(found: list[_Found]) -> list[_Found]:
    """Raise near misses that share a word with a sure name to sure ones (only that part
    of them: "Zowel Kangxi" gives "Kangxi")."""
    sure_words = {w.key for words, score, _ in found if score >= SURE_SCORE
                  for w in words if not (w.initial or w.roman or w.stop or w.place)
                  and w.key not in PARTICLES}
    out = []
    for words, score, reason in found:
        if 0.1 < score < SURE_SCORE:  # Tims is Tim's
            hits = [i for i, w in enumerate(words) if w.key in sure_words
                    or w.key[-1:] == "s" and w.key[:-1] in sure_words]
            if hits:  # the rest of the run stays a near miss (Seretse of Seretse Khama)
                before, after = words[:hits[0]], words[hits[-1] + 1:]
                if any(not (w.stop or w.initial or w.roman or w.dutch) for w in before):
                    out.append((before, score, f"{reason}, before a sure name"))
                out.append((words[hits[0]:hits[-1] + 1], 0.85, "same word as a sure name in this text"))
                if any(not (w.stop or w.initial or w.roman) for w in after):
                    out.append((after, score, f"{reason}, after a sure name"))
                continue
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
