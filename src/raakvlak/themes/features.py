"""Features of segments: content lemmas, TF-IDF over word n-grams, and a dense space.

A segment's *content lemmas* are its lemmas (from :mod:`raakvlak.corpus.language`)
without stop words (the language's stop list, spoken fillers and the project's
``[stopwords] extra``), without tokens that hold no letter and without one-letter
tokens. Segments with fewer than ``min_lemmas`` content lemmas ("ja", "precies",
"klopt") are *set aside*: they get no theme (label ``-1``) instead of being forced
into one.

Term counts come from scikit-learn's :class:`~sklearn.feature_extraction.text.CountVectorizer`
with a callable analyzer (word n-grams over the content lemmas), TF-IDF from
:class:`~sklearn.feature_extraction.text.TfidfTransformer`. The *space* k-means and
agglomerative clustering work in is latent semantic analysis of the TF-IDF matrix:
truncated SVD to ``n_components`` dimensions, rows scaled to unit length, so the
Euclidean distance of two rows orders pairs like their cosine similarity
(Deerwester et al. 1990; the usual remedy for the sparsity of short texts).

Examples
--------
>>> content_lemmas(["ja", "de school bellen de ouder", "uh 1 x", "leerling b bellen docent 2"],
...                {"de", "ja", "uh"})
[[], ['school', 'bellen', 'ouder'], [], ['bellen']]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize
from threadpoolctl import threadpool_limits

from raakvlak.corpus.language import content_lemmas
from raakvlak.errors import RaakvlakError


class ThemeError(RaakvlakError):
    """Themes cannot be computed as asked (too few segments, a bad parameter ...)."""


# Words of talk itself, frequent in every theme of a transcript: verbs of saying, thinking
# and being somewhere, intensifiers, the stressed article "één", and transcription notes such as "(gelach)". spaCy's
# stop lists and the fillers of raakvlak.corpus.language do not have them.
SPOKEN_WORDS = {
    "nl": frozenset({
        "gaan", "zeggen", "denken", "weten", "komen", "zien", "willen", "zitten", "staan",
        "horen", "vinden", "doen", "krijgen", "nemen", "laten", "kijken", "liggen", "lopen",
        "één", "goed", "heel", "beetje", "keer", "soort", "ding", "iets", "even", "gewoon", "snap",
        "gelach", "lacht", "lachen", "stilte", "onverstaanbaar", "zucht",
    }),
    "en": frozenset({
        "go", "say", "think", "know", "come", "see", "want", "sit", "stand", "hear", "find",
        "do", "get", "take", "let", "look", "good", "bit", "thing", "kind", "sort", "time",
        "laughter", "laugh", "laughs", "silence", "inaudible", "sigh",
    }),
}


def one_thread() -> threadpool_limits:
    """A context in which BLAS and OpenMP use one thread.

    Measured on a loaded 2-core machine: a theme fit of 300 segments took 8.8 s with
    two BLAS threads competing for the cores and 0.5 s with one. One thread also
    keeps floating-point sums in one order, so results do not depend on the machine's
    thread count.
    """
    return threadpool_limits(limits=1)


def stop_list(languages: Iterable[str], extra: Iterable[str] = ()) -> frozenset[str]:
    """Stop words of ``languages`` (spaCy's, fillers, :data:`SPOKEN_WORDS`) plus ``extra``."""
    from raakvlak.corpus.language import stop_words

    words: set[str] = {w.lower() for w in extra}
    for language in sorted(set(languages)):
        words |= stop_words(language) | SPOKEN_WORDS.get(language, frozenset())
    return frozenset(words)


# a clause: up to and including its punctuation
_CLAUSE = re.compile(r"[^,.;:!?…]+[,.;:!?…]*\s*|[,.;:!?…]+\s*")


def spoken_content(texts: Sequence[str], languages: Sequence[str],
                   stop: set[str] | frozenset[str]) -> list[str]:
    """The texts without the clauses that hold no content word, as they are embedded.

    A sentence embedding of a short spoken turn is swayed by how it is said: "Nou ja,
    ...", "Weet je, ...", "Uh, ..." would otherwise group turns by their opening
    filler (measured on generated turns of three topics: NMI 0.19 with the fillers,
    see the tests). A clause (text up to a comma or a sentence end) all of whose lemmas
    are stop words (see :func:`stop_list`) or hold no letter is left out; a text left
    empty is kept whole.

    Parameters
    ----------
    texts : the texts.
    languages : the language of each text (``"nl"`` or ``"en"``).
    stop : lower-case stop words (lemmas).

    Returns
    -------
    list of str

    Examples
    --------
    >>> spoken_content(["Nou ja, weet je, de wachtlijst is lang.", "Ja."], ["nl", "nl"],
    ...                stop_list(["nl"], ["ja"]))
    ['de wachtlijst is lang.', 'Ja.']
    """
    from raakvlak.corpus.language import lemmatise

    clauses = [_CLAUSE.findall(text) for text in texts]
    keep: list[list[bool]] = [[] for _ in texts]
    for language in sorted(set(languages)):
        which = [i for i, lang in enumerate(languages) if lang == language]
        flat = [c for i in which for c in clauses[i]]
        lemmas = iter(lemmatise(flat, language))
        for i in which:
            keep[i] = [any(w not in stop and any(ch.isalpha() for ch in w) for w in next(lemmas))
                       for _ in clauses[i]]
    out = []
    for text, parts, kept in zip(texts, clauses, keep, strict=True):
        content = "".join(p for p, k in zip(parts, kept, strict=True) if k).strip().rstrip(",;:")
        out.append(content or text)
    return out


class _NGrams:
    """A picklable analyzer: the word n-grams of a list of lemmas, joined by spaces."""

    def __init__(self, ngram_range: tuple[int, int]):
        self.low, self.high = ngram_range

    def __call__(self, words: Sequence[str]) -> list[str]:
        grams = list(words) if self.low == 1 else []
        for n in range(max(2, self.low), self.high + 1):
            grams += [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
        return grams


@dataclass(frozen=True)
class Features:
    """The features of a set of segments.

    Attributes
    ----------
    lemmas : per segment, its content lemmas.
    assigned : boolean mask, True for segments with enough content to be clustered on
        TF-IDF: ``min_lemmas`` content lemmas, at least one of them a known term.
    content : boolean mask, True for segments with ``min_lemmas`` content lemmas (what
        embeddings need: their vector does not depend on the vocabulary).
    counts : sparse term counts (all segments x terms).
    tfidf : sparse TF-IDF rows, unit length (all segments x terms; zero rows for
        segments without a known term).
    terms : the terms (lemmas and n-grams of lemmas), in column order.
    """

    lemmas: list[list[str]]
    assigned: np.ndarray
    content: np.ndarray
    counts: sp.csr_matrix
    tfidf: sp.csr_matrix
    terms: np.ndarray

    def __len__(self) -> int:
        return len(self.lemmas)


def build_features(
    lemma_strings: Sequence[str],
    stop: set[str] | frozenset[str],
    min_lemmas: int = 3,
    ngram_range: tuple[int, int] = (1, 2),
    min_df: int = 2,
    max_df: float = 0.5,
) -> Features:
    """Count and TF-IDF matrices of segments over word n-grams of their content lemmas.

    Parameters
    ----------
    lemma_strings : per segment, its lemmas separated by spaces.
    stop : stop words (see :func:`stop_list`).
    min_lemmas : segments with fewer content lemmas are set aside (not assigned).
    ngram_range : smallest and largest n of the word n-grams.
    min_df : a term must occur in at least this many segments (lower when there are
        few segments).
    max_df : a term in more than this share of the segments is left out.

    Returns
    -------
    Features

    Raises
    ------
    ThemeError
        When a parameter is out of range or no segment has enough content.
    """
    low, high = ngram_range
    if not 1 <= low <= high:
        raise ThemeError(f"ngram_range must be (low, high) with 1 <= low <= high, not {ngram_range}")
    if min_lemmas < 1:
        raise ThemeError(f"min_lemmas must be at least 1, not {min_lemmas}")
    lemmas = content_lemmas(lemma_strings, stop)
    assigned = np.array([len(words) >= min_lemmas for words in lemmas], dtype=bool)
    n_assigned = int(assigned.sum())
    if n_assigned < 2:
        raise ThemeError(
            f"only {n_assigned} of {len(lemmas)} segments have {min_lemmas} or more content "
            "words; widen the scope or lower min_lemmas"
        )
    # fit on the assigned segments only: set-aside ones must not shape the vocabulary
    vectorizer = CountVectorizer(
        analyzer=_NGrams(ngram_range),
        min_df=min(min_df, max(1, n_assigned // 10)),
        max_df=max_df if n_assigned >= 20 else 1.0,
        dtype=np.float64,
    )
    fitted = [w for w, keep in zip(lemmas, assigned, strict=True) if keep]
    try:
        vectorizer.fit(fitted)
    except ValueError as exc:
        raise ThemeError(f"no terms left to describe the segments ({exc}); lower min_df") from exc
    counts = vectorizer.transform(lemmas).tocsr()
    counts.sort_indices()
    tfidf = TfidfTransformer(sublinear_tf=True).fit(counts[assigned]).transform(counts)
    # a segment left without any known term cannot be placed in TF-IDF: set it aside too
    known = assigned & (counts.getnnz(axis=1) > 0)
    return Features(lemmas, known, assigned, counts, tfidf.tocsr(), vectorizer.get_feature_names_out())


def semantic_space(tfidf: sp.spmatrix, n_components: int = 100, random_state: int = 0) -> np.ndarray:
    """Latent semantic analysis of TF-IDF rows: truncated SVD, rows scaled to unit length.

    Parameters
    ----------
    tfidf : TF-IDF rows (segments x terms).
    n_components : dimensions kept (fewer when there are fewer terms or rows).
    random_state : seed of the randomised SVD.

    Returns
    -------
    ndarray of shape (n_segments, k)
    """
    n_rows, n_terms = tfidf.shape
    k = max(1, min(n_components, n_terms - 1, n_rows - 1))
    if k < 2:
        return normalize(np.asarray(tfidf.todense()))
    svd = TruncatedSVD(n_components=k, algorithm="randomized", n_iter=5, random_state=random_state)
    space = svd.fit_transform(tfidf)
    return normalize(space)


def embedding_space(vectors: np.ndarray, n_components: int = 32, random_state: int = 0) -> np.ndarray:
    """Sentence embeddings reduced to their principal components, rows scaled to unit length.

    Measured on the dekamer development set (1,249 texts, 16 themes, k-means over five
    seeds): NMI 0.398 on all 384 dimensions and 0.398 on 32 principal components, with
    k-means 4.5 times faster; the choice of k fits k-means some forty times.

    Parameters
    ----------
    vectors : embeddings (segments x dimensions).
    n_components : dimensions kept (fewer when there are fewer rows or dimensions).
    random_state : seed of the randomised SVD.

    Returns
    -------
    ndarray of shape (n_segments, k)
    """
    from sklearn.decomposition import PCA

    k = min(n_components, vectors.shape[0] - 1, vectors.shape[1])
    if k < 2:
        return normalize(vectors)
    return normalize(PCA(n_components=k, svd_solver="randomized", random_state=random_state)
                     .fit_transform(normalize(vectors)))
