"""How well do themes recover known groups? raakvlak next to plain baselines, same run.

On texts with known labels (a labelled set of sentences), every method makes as many
clusters as there are labels, and each is scored by normalised mutual information
(NMI, arithmetic normalisation; Strehl & Ghosh 2002) and the adjusted Rand index
(ARI; Hubert & Arabie 1985) against the labels. The baselines see the raw text:

- ``kmeans-tfidf``: scikit-learn's default TF-IDF, k-means;
- ``nmf-tfidf``: the same TF-IDF, NMF, each text to its heaviest component;
- ``lda-counts``: raw word counts, latent Dirichlet allocation, heaviest topic.

``raakvlak-embeddings`` (the default) and ``raakvlak-tfidf`` are
:class:`~raakvlak.themes.model.ThemeModel` with k-means on dense sentence embeddings
or on the latent semantic space of TF-IDF over content lemmas; a text it sets aside
counts as one extra cluster of its own, so setting texts aside is not free.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from raakvlak.themes.embeddings import Embedder
from raakvlak.themes.features import ThemeError, one_thread

BASELINES = ("kmeans-tfidf", "nmf-tfidf", "lda-counts")


def read_table(path: str | Path, columns: Sequence[str]) -> pd.DataFrame:
    """A table of texts with their labels or codes (CSV or TSV, any delimiter and encoding).

    Every named column is checked; cells are strings (an empty cell is ``""``).
    """
    from raakvlak.corpus.delimited import read_delimited
    from raakvlak.errors import ImportProblem

    path = Path(path)
    try:
        rows, _ = read_delimited(path, header=columns)
    except ImportProblem as exc:
        raise ThemeError(str(exc)) from None  # names the file and the line
    if not rows:
        raise ThemeError(f"{path}: is empty; the first row must name the columns")
    header = [cell.strip() for cell in rows[0]]
    for column in columns:
        if column not in header:
            raise ThemeError(f"{path}: no column {column!r}; columns: {', '.join(header)}")
        if header.count(column) > 1:
            raise ThemeError(f"{path}: {header.count(column)} columns are named {column!r}; "
                             "rename all but one")
    width = len(header)
    body = [(row + [""] * width)[:width] for row in rows[1:] if any(cell.strip() for cell in row)]
    return pd.DataFrame(body, columns=header, dtype=str)


def read_labelled(path: str | Path, text_column: str, label_column: str) -> tuple[list[str], list[str]]:
    """Texts and labels from a CSV file (rows with an empty text or label are skipped)."""
    table = read_table(path, (text_column, label_column))
    table = table[(table[text_column].str.strip() != "") & (table[label_column].str.strip() != "")]
    if table[label_column].nunique() < 2 or len(table) < 4:
        raise ThemeError(f"{path}: need at least 4 labelled texts and 2 labels in {label_column!r}")
    return table[text_column].tolist(), table[label_column].tolist()


def evaluate_labelled(
    texts: Sequence[str],
    labels: Sequence[str],
    language: str = "nl",
    stop_words: Sequence[str] = (),
    random_state: int = 0,
    features: Sequence[str] = ("embeddings", "tfidf"),
    embedder: Embedder | None = None,
) -> pd.DataFrame:
    """Cluster labelled texts with raakvlak and the baselines; score each against the labels.

    Parameters
    ----------
    texts : the texts.
    labels : their known groups.
    language : ``"nl"`` or ``"en"`` (lemmas and stop words).
    stop_words : extra stop words for raakvlak.
    random_state : seed of every method.
    features : raakvlak's features to score, each a row ``raakvlak-<features>``.
    embedder : the embedder of ``"embeddings"`` (None: the default, in memory).

    Returns
    -------
    DataFrame ``method, nmi, ari, clustered, seconds`` (``clustered``: share of the
    texts given a cluster; ``seconds`` includes embedding).
    """
    from raakvlak.corpus.language import lemmatise
    from raakvlak.themes.model import ThemeModel

    texts, truth = list(texts), pd.factorize(pd.Series(list(labels)))[0]
    k = int(truth.max()) + 1
    rows: list[tuple] = []
    started = time.perf_counter()
    lemmas = [" ".join(words) for words in lemmatise(texts, language)]
    segments = pd.DataFrame({
        "document_id": [f"t{i}" for i in range(len(texts))],
        "segment_id": [f"t{i}" for i in range(len(texts))],
        "start": 0, "end": 0, "speaker": "", "role": "", "text": texts, "lemmas": lemmas,
    })
    shared = time.perf_counter() - started
    for kind in features:
        started = time.perf_counter() - shared
        model = ThemeModel(n_themes=k, min_lemmas=1, stability_runs=0, language=language,
                           stop_words=tuple(stop_words), random_state=random_state, features=kind,
                           embedder=embedder if kind == "embeddings" else None).fit(segments)
        rows.append(_score(f"raakvlak-{model.features_used_}", truth, model.labels_, started))
    with one_thread():
        rows += _baselines(texts, truth, k, random_state)
    return pd.DataFrame(rows, columns=["method", "nmi", "ari", "clustered", "seconds"])


def _score(method: str, truth: np.ndarray, found: np.ndarray, started: float) -> tuple:
    return (method, round(float(normalized_mutual_info_score(truth, found)), 4),
            round(float(adjusted_rand_score(truth, found)), 4),
            round(float(np.mean(found >= 0)), 4), round(time.perf_counter() - started, 3))


def _baselines(texts: list[str], truth: np.ndarray, k: int, random_state: int) -> list[tuple]:
    """The plain baselines of :data:`BASELINES` on the raw texts."""
    rows = []

    def score(method: str, found: np.ndarray, started: float) -> None:
        rows.append(_score(method, truth, found, started))

    started = time.perf_counter()
    tfidf = TfidfVectorizer().fit_transform(texts)
    score("kmeans-tfidf", KMeans(n_clusters=k, n_init=3, random_state=random_state).fit(tfidf).labels_,
          started)
    started = time.perf_counter()
    nmf = NMF(n_components=k, init="nndsvda", max_iter=300, random_state=random_state)
    score("nmf-tfidf", nmf.fit_transform(TfidfVectorizer().fit_transform(texts)).argmax(axis=1), started)
    started = time.perf_counter()
    counts = CountVectorizer().fit_transform(texts)
    lda = LatentDirichletAllocation(n_components=k, random_state=random_state)
    score("lda-counts", lda.fit_transform(counts).argmax(axis=1), started)
    return rows
