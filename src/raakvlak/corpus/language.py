"""The language pipeline: spaCy's blank Dutch or English, sentences and simplemma lemmas.

No trained spaCy pipeline is installed or downloaded. Every language runs the same
three steps: spaCy's rule-based tokenizer for the language, the rule-based
``sentencizer``, and ``raakvlak_lemmatizer``, a small component that sets
``token.lemma_`` with simplemma (70 of 72 common Dutch forms right, where spaCy's own
lookup tables got 33). Lemmas are lower case; punctuation, white space and symbols
(tokens without a letter or digit) get no lemma. Acronyms (all capitals, two to six
characters: "AWS", "GGD") are kept as written, lower-cased, instead of being read as
inflected words (simplemma's English makes "aw" of "AWS"); a placeholder the
pseudonymiser wrote ("[e-mail]", "[telefoon]") gets no lemma: it stands for something
left out, not for a word that was said.

:data:`PIPELINE_VERSION` names the pipeline and the library versions it was built
with; derived data (the segment cache) is keyed by it, so upgrading spaCy or
simplemma recomputes what depends on them.

Examples
--------
>>> lemmatise(["De kinderen hebben gesproken."], "nl")
[['de', 'kind', 'hebben', 'spreken']]
>>> lemmatise(["Teleurgesteld"], "nl")
[['teleurstellen']]
>>> lemmatise(["AWS en de GGD, mail naar [e-mail]"], "en")
[['aws', 'en', 'de', 'ggd', 'mail', 'naar']]
>>> "eigenlijk" in stop_words("nl")
True
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib.metadata import version
from typing import TYPE_CHECKING

import numpy as np

from raakvlak.errors import RaakvlakError
from raakvlak.ids import LANGUAGES

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# spaCy is imported where a pipeline is built, not here: reading cached segments (what
# `raakvlak status` does) must not pay for importing it

LEMMATIZER = "raakvlak_lemmatizer"
# raise when the component's output changes (it invalidates every cached segment)
LEMMATIZER_VERSION = "3"
PIPELINE_VERSION = (
    f"spacy={version('spacy')};simplemma={version('simplemma')};"
    f"sentencizer=default;{LEMMATIZER}={LEMMATIZER_VERSION}"
)

# the longest text one Doc may hold (a turn or paragraph, see segments.analyse)
MAX_CHARACTERS = 10_000_000

# spoken fillers and discourse markers spaCy's stop lists lack (measured: spaCy's Dutch
# list of 343 words has none of nee, echt, eigenlijk, uh, eh, nou)
FILLERS = {
    "nl": frozenset({
        "uh", "uhm", "uhh", "eh", "ehm", "ehh", "hm", "hmm", "mm", "mmm", "mhm", "nou", "nee",
        "echt", "eigenlijk", "hè", "he", "hoor", "oké", "oke", "ok", "okay", "zeg", "inderdaad",
        "natuurlijk", "ofzo", "enzo", "zeker", "ah", "oh", "o",
    }),
    "en": frozenset({
        "uh", "uhm", "um", "umm", "erm", "er", "ah", "oh", "hm", "hmm", "mm", "mhm", "yeah",
        "yep", "yes", "okay", "ok", "actually", "basically", "gonna", "wanna", "kinda", "sorta",
    }),
}


class LanguageError(RaakvlakError):
    """A language raakvlak has no pipeline for."""


def _check(language: str) -> str:
    if language not in LANGUAGES:
        raise LanguageError(
            f"language must be one of {', '.join(LANGUAGES)}, not {language!r}; "
            "fix the language column of corpus/documents.csv or raakvlak.toml"
        )
    return language


class SimplemmaLemmatizer:
    """A spaCy component setting ``token.lemma_`` to simplemma's lower-cased lemma.

    Lemmas are remembered per surface form (spaCy's ``orth`` id), so each distinct
    word is looked up once per process; the doc's lemmas are then set in one array
    operation. Tokens without a letter or digit (punctuation, white space, emoji)
    keep an empty lemma.

    Parameters
    ----------
    vocab : the pipeline's vocabulary (its string store receives the lemmas).
    language : ``"nl"`` or ``"en"``, the simplemma language.
    """

    def __init__(self, vocab, language: str):
        self.vocab = vocab
        self.language = language
        self._lemma_of: dict[int, int] = {}
        self.text_of: dict[int, str] = {0: ""}  # lemma hash -> lemma, for the segments
        import simplemma

        # no cache of simplemma's own: the orth-keyed one above is faster
        self._simplemma = simplemma.Lemmatizer(cache_max_size=0)

    def _lookup(self, orth: int) -> int:
        strings = self.vocab.strings
        word = strings[orth]
        if not any(c.isalnum() for c in word):
            text = ""
        elif is_acronym(word):
            text = word.lower()
        else:
            # simplemma marks the particle of some separable verbs ("teleur_stellen")
            text = self._simplemma.lemmatize(word, self.language).lower().replace("_", "")
        lemma = strings.add(text) if text else 0
        self.text_of[lemma] = text
        self._lemma_of[orth] = lemma
        return lemma

    def __call__(self, doc: Doc) -> Doc:
        from spacy.attrs import LEMMA, ORTH

        if not len(doc):
            return doc
        known = self._lemma_of
        lookup = self._lookup
        orths = doc.to_array(ORTH)
        lemmas = np.array([known[o] if o in known else lookup(o) for o in orths.tolist()],
                          dtype=np.uint64)
        if len(orths) >= 3:
            _blank_placeholders(doc, orths, lemmas, self.vocab.strings)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


def _blank_placeholders(doc: Doc, orths: np.ndarray, lemmas: np.ndarray, strings) -> None:
    """Empty the lemmas of a placeholder: words in brackets without a space, "[e-mail]"."""
    from spacy.attrs import SPACY

    opening, closing = strings["["], strings["]"]
    if not (orths == opening).any():
        return
    spaced = doc.to_array(SPACY).astype(bool)
    for i in np.flatnonzero(orths == opening).tolist():
        for j in range(i + 1, min(i + 8, len(orths))):
            if spaced[j - 1]:
                break
            if orths[j] == closing:
                lemmas[i + 1:j] = 0
                break


def is_acronym(word: str) -> bool:
    """True for an acronym: two to six characters, all capitals (digits allowed), e.g. "AWS".

    >>> is_acronym("AWS"), is_acronym("GGD2"), is_acronym("Aws"), is_acronym("A")
    (True, True, False, False)
    """
    return 2 <= len(word) <= 6 and word.isupper() and word.isalnum()


def _make_lemmatizer(nlp: Language, name: str) -> SimplemmaLemmatizer:
    return SimplemmaLemmatizer(nlp.vocab, _check(nlp.lang))


@functools.cache
def pipeline(language: str) -> Language:
    """The spaCy pipeline of ``language`` (one per process, built on first use).

    ``spacy.blank(language)`` + ``sentencizer`` + ``raakvlak_lemmatizer``; nothing is
    downloaded.

    Parameters
    ----------
    language : ``"nl"`` or ``"en"``.

    Returns
    -------
    spacy.Language
        Shared by every caller: do not add or remove components.
    """
    import spacy
    from spacy.language import Language

    if not Language.has_factory(LEMMATIZER):
        Language.factory(LEMMATIZER, func=_make_lemmatizer)
    nlp = spacy.blank(_check(language))
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(LEMMATIZER)
    # spaCy's default limit of 1,000,000 characters per Doc guards the memory of a
    # parser or entity recogniser; this pipeline has neither and takes about 50 bytes
    # per character (measured), so a long paragraph without blank lines still fits
    nlp.max_length = MAX_CHARACTERS
    return nlp


def lemmatise(texts: Iterable[str], language: str, batch_size: int = 256) -> list[list[str]]:
    """Lower-case lemmas of the words of each text (punctuation and white space left out).

    Parameters
    ----------
    texts : the texts, e.g. segment texts.
    language : ``"nl"`` or ``"en"``.
    batch_size : texts per spaCy batch.

    Returns
    -------
    list of list of str
        One list per text, in order.

    Examples
    --------
    >>> lemmatise(["Ouders was er niet!", ""], "nl")
    [['ouder', 'zijn', 'er', 'niet'], []]
    """
    nlp = pipeline(language)
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size, disable=["sentencizer"]):
        out.append([t.lemma_ for t in doc if t.lemma])
    return out


def stop_words(language: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Words that word counts and themes ignore, lower case.

    spaCy's stop list of the language, spoken fillers it lacks (uh, nou, eigenlijk ...)
    and ``extra`` (usually the project's ``[stopwords] extra`` from ``raakvlak.toml``).

    Parameters
    ----------
    language : ``"nl"`` or ``"en"``.
    extra : more words (any case).

    Returns
    -------
    frozenset of str
    """
    import spacy

    defaults = spacy.util.get_lang_class(_check(language)).Defaults.stop_words
    return frozenset(w.lower() for w in (*defaults, *FILLERS[language], *extra))


def _is_label_mark(word: str) -> bool:
    """A number or a single letter (with or without a full stop): "2", "b", "b."."""
    return word.isdigit() or (len(word.rstrip(".")) == 1 and word[0].isalpha())


def content_lemmas(lemma_strings: Iterable[str], stop: set[str] | frozenset[str]) -> list[list[str]]:
    """The content lemmas of each segment.

    Left out: stop words; tokens without a letter or of one letter; and the stem of a
    pseudonym, a word followed by a number or a single letter ("Leerling B",
    "Docent 2", "Basisschool 1", as raakvlak's pseudonymiser writes them): it names a
    role or a case, not what is said about it.

    Parameters
    ----------
    lemma_strings : per segment, its lemmas separated by spaces (the ``lemmas`` column).
    stop : lower-case stop words.

    Returns
    -------
    list of list of str
        One list per segment, in order.
    """
    out = []
    for lemmas in lemma_strings:
        words = (lemmas or "").split()
        keep = []
        for i, w in enumerate(words):
            if w in stop or len(w.rstrip(".")) < 2 or not any(c.isalpha() for c in w):
                continue
            if i + 1 < len(words) and _is_label_mark(words[i + 1]):
                continue
            keep.append(w)
        out.append(keep)
    return out


# the most frequent function words of each language (and none the other uses often)
_FUNCTION_WORDS = {
    "nl": frozenset(["de", "het", "een", "en", "van", "ik", "je", "niet", "dat", "is", "die", "op", "te", "in", "met", "voor", "zijn", "er", "maar", "ook", "als", "dan", "wel", "nog", "naar", "wat", "wij", "we", "ze", "hij", "zij", "was", "kan", "wordt", "worden", "heeft", "hebben", "bij", "om", "uit", "over", "nu", "zo", "al", "geen", "meer", "moet", "moeten", "zou", "kunnen", "dit", "deze", "hoe", "waar", "wie", "mijn", "onze", "jullie", "hun", "omdat", "want", "toch", "even", "heel", "echt"]),
    "en": frozenset(["the", "a", "an", "and", "of", "i", "you", "not", "that", "is", "it", "on", "to", "in", "with", "for", "are", "there", "but", "also", "if", "then", "well", "still", "what", "we", "they", "he", "she", "was", "can", "be", "been", "has", "have", "at", "from", "about", "now", "so", "no", "more", "must", "should", "would", "could", "this", "these", "how", "where", "who", "my", "our", "your", "their", "because", "just", "really", "very", "do", "does", "did"]),
}
# words both languages write alike (in, is, we, was ...) tell them apart by nothing
_SHARED = _FUNCTION_WORDS["nl"] & _FUNCTION_WORDS["en"]
_FUNCTION_WORDS = {language: words - _SHARED for language, words in _FUNCTION_WORDS.items()}


def detect_language(text: str) -> tuple[str | None, float]:
    """The language of ``text`` (``nl`` or ``en``) and how sure: the share of its function
    words that belong to that language. None when the text has fewer than 5 of them.

    Offline and without a model: a text in Dutch or English uses its own function
    words (de, het, een; the, a, of) far more than the other's.

    Examples
    --------
    >>> detect_language("Wie heeft de regie? Dat is niet duidelijk voor de school.")
    ('nl', 1.0)
    >>> detect_language("Who is in charge? That is not clear to the school at all.")[0]
    'en'
    """
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in text.lower().split():
        word = word.strip(".,;:!?\"'()[]“”‘’…-")
        for language, words in _FUNCTION_WORDS.items():
            if word in words:
                counts[language] += 1
    total = sum(counts.values())
    if total < 5:
        return None, 0.0
    language = max(counts, key=lambda k: (counts[k], k == "nl"))
    return language, round(counts[language] / total, 3)
