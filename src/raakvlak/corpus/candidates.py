"""Name candidates: capitalised words that look like names but are not in the key.

A word is a candidate when it is written with a capital in the middle of a sentence
(at least once; its sentence-start occurrences are then counted too) and it is none
of: a word the caller says to ignore (mapped names, words of pseudonyms, role words),
a common capitalised word of the field (days, months, languages, laws such as
``Jeugdwet``, tools such as ``Teams``, titles such as ``Juf``, the polite ``U`` and
English ``I``), a generic abbreviation of the field (PO, VO, VSO, JGZ, AVG, GGD ...),
a single letter, or a word that also occurs in lower case in the same text (so "Dat"
and "Nee" are not listed; a name that is also an ordinary word, like Roos, is then
missed). Other words in capitals *are* listed: school and provider acronyms identify
organisations. A turn label (``Fatima: ...``) counts as a sentence start.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator

import pandas as pd

from raakvlak.corpus.roles import GENERIC_LABEL_WORDS, ROLE_STEMS, fold
from raakvlak.corpus.wordtrie import trie_pattern

# capitalised words that are common in this field and name nobody
COMMON_CAPITALISED = {
    # days and months (capitalised in English, sometimes in Dutch)
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "may", "june", "july", "august", "october",
    # countries, languages, holidays
    "nederland", "nederlands", "nederlandse", "engels", "engelse", "europa", "europese",
    "belgië", "duits", "duitsland", "frans", "turks", "marokkaans", "arabisch",
    "netherlands", "dutch", "english", "europe", "european",
    "kerst", "kerstmis", "pasen", "pinksteren", "ramadan", "suikerfeest", "christmas",
    # laws, frameworks and institutions of the field
    "jeugdwet", "leerplichtwet", "wet", "wetten", "participatiewet", "wmo", "wgbo",
    "passend", "onderwijs", "rijk", "kamer", "tweede", "minister", "ministerie",
    "inspectie", "onderwijsinspectie", "veilig", "thuis", "corona", "covid",
    # tools
    "teams", "zoom", "magister", "parnassys", "somtoday", "google", "word", "excel",
    "outlook", "whatsapp", "powerpoint", "lego", "serious", "play",
    # titles and forms of address
    "juf", "juffrouw", "meester", "meneer", "mevrouw", "dhr", "mevr", "mw",
    "mr", "mrs", "ms", "dr", "drs", "prof",
    # pronouns and interjections written with a capital
    "u", "uw", "i", "i'm", "i've", "i'd", "i'll", "god", "oké", "ok", "okay", "hè", "hé",
}


# abbreviations of the field: generic, not identifying
FIELD_ABBREVIATIONS = {
    "PO", "VO", "SO", "VSO", "SBO", "MBO", "HBO", "WO", "HO", "VMBO", "HAVO", "VWO", "PRO",
    "JGZ", "GGD", "GGZ", "CJG", "AVG", "GDPR", "WGBO", "WMO", "SWV", "OZA", "OPP", "IB",
    "IBER", "ZAT", "MDO", "AMK", "VT", "BSN", "EU", "NL", "ADHD", "ASS", "LVB", "OK",
    "TOS", "ZMLK", "ZML", "LWOO", "OCW", "VWS", "JZ", "CEO", "ICT", "PDF", "TV", "AI",
}


TITLE_ABBREVIATIONS = {
    "mevr", "mw", "dhr", "hr", "mr", "dr", "drs", "ir", "ing", "prof", "bijv", "bv", "ca",
    "o.a", "i.p.v", "m.b.t", "t.a.v", "z.s.m", "vs", "mrs", "ms", "st", "nr", "tel", "e.a",
}


def _pieces(text: str, size: int = 1 << 16) -> Iterator[str]:
    """``text`` cut at line ends into pieces of about ``size`` characters.

    Their ``split()`` together is ``text.split()``; counted piece by piece, the words
    of a large text are counted faster than from one list of all of them (measured:
    0.12 s against 0.16 s for a million words).
    """
    start = 0
    while start < len(text):
        cut = text.find("\n", start + size)
        end = len(text) if cut < 0 else cut
        yield text[start:end]
        start = end


def _starts_word(text: str, start: int) -> bool:
    """True when a word of :data:`_WORD` can start at ``start`` (it does not continue one)."""
    if start and _LETTER.match(text, start - 1):
        return False
    return not (start > 1 and text[start - 1] in "'’-" and _LETTER.match(text, start - 2))


def _sentence_start(text: str, start: int) -> bool:
    """True when the word at ``start`` opens a sentence, a line after punctuation or a block."""
    i = start - 1
    newlines = 0
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“”‘’«»([-–—•*"):
        if text[i] == "\n":
            newlines += 1
            if newlines > 1:
                return True
        i -= 1
    if i < 0:
        return True
    if text[i] in ":!?…]":
        return True
    if text[i] == ".":
        before = re.search(r"([\w.]+)\.$", text[max(0, i - 12) : i + 1])
        return not (before and before[1].lower() in TITLE_ABBREVIATIONS)
    return False


def _context(text: str, start: int, length: int, width: int = 40) -> str:
    left = max(0, start - width)
    right = min(len(text), start + length + width)
    snippet = _SPACES.sub(" ", text[left:right]).strip()
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")


def name_candidates(text: str, masked: str | None = None, ignore: Iterable[str] = ()) -> pd.DataFrame:
    """Capitalised words of ``text`` that look like names (see the module's rules).

    Parameters
    ----------
    text : the text, for the context shown with each word.
    masked : ``text`` with what is known blanked out (names in the key, addresses),
        same length; default ``text``.
    ignore : more words that are never candidates (words of pseudonyms), any case.

    Returns
    -------
    DataFrame with columns ``word`` (as written, without a possessive ``'s``),
    ``count`` (capitalised occurrences anywhere) and ``context`` (about 40 characters
    either side of the first mid-sentence occurrence), most frequent first, then
    alphabetical.

    Examples
    --------
    >>> name_candidates("Ik sprak Fatima gisteren. Fatima's moeder belde. Dat is goed.")["word"].tolist()
    ['Fatima']
    """
    masked = text if masked is None else masked
    ignored = _ignored(ignore)
    # Count the words of each run of non-space characters once: no word spans white space.
    runs: Counter[str] = Counter()
    for piece in _pieces(masked):
        runs.update(piece.split())
    tokens: Counter[str] = Counter()
    for run, times in runs.items():
        for token in _WORD.findall(run):
            tokens[token] += times
    # a word that also occurs in lower case is an ordinary word ("Dat", "Nee"), not a name
    ordinary = {w for w in tokens if w.islower()}
    verdicts: dict[str, str] = {}  # as found -> the word counted ("" for none)
    counts: Counter[str] = Counter()
    for found in tokens:
        if found[0].isupper():
            word = verdicts[found] = _candidate(found, ignored, ordinary)
            if word:
                counts[word] += tokens[found]
    telling = _first_mid_sentence(masked, verdicts)
    rows = [(w, counts[w], _context(text, start, len(w))) for w, start in telling.items()]
    rows.sort(key=lambda r: (-r[1], r[0].casefold(), r[0]))
    table = pd.DataFrame(rows, columns=["word", "count", "context"])
    return table.astype({"word": str, "count": "int64", "context": str})


def _first_mid_sentence(masked: str, verdicts: dict[str, str]) -> dict[str, int]:
    """Where each candidate first occurs in the middle of a sentence (words only ever
    found at a sentence start are no candidates)."""
    telling: dict[str, int] = {}
    forms = sorted(found for found, word in verdicts.items() if word)
    if forms:
        pattern = re.compile(trie_pattern(forms) + r"(?![^\W\d_])(?!['’-][^\W\d_])")
        for match in pattern.finditer(masked):
            start = match.start()
            word = verdicts.get(match.group(), "")
            if word and word not in telling and _starts_word(masked, start) \
                    and not _sentence_start(masked, start):
                telling[word] = start
    return telling


def _ignored(extra: Iterable[str]) -> set[str]:
    """Folded words that are never candidates: common capitalised words, roles, pseudonyms."""
    ignore = {fold(w) for w in COMMON_CAPITALISED | GENERIC_LABEL_WORDS}
    ignore |= {fold(w) for w in ROLE_STEMS}
    ignore |= {fold(w) for pair in ROLE_STEMS.values() for s in pair for w in s.split()}
    ignore |= {fold(w) for w in extra}
    return ignore


def names_nobody(words: str, ignore: set[str] | None = None) -> bool:
    """True when every word of ``words`` is a capitalised word of the field that names
    nobody (a day, a law, a tool, a title, a role, a generic abbreviation such as JGZ or
    AVG), in any case; ``ignore``: :func:`ignored_words` with more words (the words of the
    key's pseudonyms), made once by a caller that asks often.

    Examples
    --------
    >>> names_nobody("JGZ"), names_nobody("Leerplichtwet"), names_nobody("IB'er"), names_nobody("Ricardo")
    (True, True, True, False)
    """
    ignore = ignored_words() if ignore is None else ignore
    found = _WORD.findall(words)
    return bool(found) and all(not _candidate(word, ignore, set()) for word in found)


def ignored_words(extra: Iterable[str] = ()) -> set[str]:
    """Folded words that are never candidates: common capitalised words of the field, role
    words, the words of pseudonyms, and ``extra``."""
    return _ignored(extra)


def _candidate(found: str, ignore: set[str], ordinary: set[str]) -> str:
    """The word a capitalised ``found`` counts as, or "" when it is no candidate."""
    word = re.sub(r"['’]s$", "", found)  # Fatima's counts as Fatima
    if len(word) < 2:
        return ""
    head = re.split(r"[-'’]", word)[0]
    if head.upper() in FIELD_ABBREVIATIONS and (head.isupper() or word.isupper()):
        return ""
    if fold(word) in ignore or fold(head) in ignore or word.lower() in ordinary:
        return ""
    return word
