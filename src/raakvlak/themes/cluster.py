"""Clustering estimators and the automatic choice of the number of themes.

Each estimator follows scikit-learn's contract: ``__init__`` only stores its
parameters, :meth:`fit` returns the estimator, learned attributes end in ``_``
(``labels_`` always), and ``random_state`` makes a fit repeatable.

- :class:`KMeansThemes`: k-means (Lloyd) on the unit-length rows of a dense space;
  themes are centroids.
- :class:`AgglomerativeThemes`: Ward's agglomerative clustering. Its memory grows
  with the square of the rows, so at most ``max_samples`` rows (a seeded sample) are
  clustered and the others join the nearest cluster mean.
- :class:`NMFThemes`: non-negative matrix factorisation of TF-IDF rows; a segment's
  theme is its heaviest component. Needs non-negative input (not dense embeddings).

:func:`choose_k` fits an estimator for every k of a range and keeps the k whose refits
on subsamples agree best (ties by silhouette), or the k with the best mean silhouette
(Rousseeuw 1987, cosine distance on a seeded sample of at most ``sample_size`` rows).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.decomposition import NMF
from sklearn.metrics import silhouette_score

from raakvlak.themes.features import ThemeError

METHODS = ("kmeans", "agglomerative", "nmf")


def _check_k(n_themes: int, n_rows: int) -> None:
    if not 2 <= n_themes <= n_rows:
        raise ThemeError(
            f"cannot make {n_themes} themes of {n_rows} segments; choose 2 to {n_rows} themes"
        )


class KMeansThemes(ClusterMixin, BaseEstimator):
    """k-means on the rows of a dense space.

    Parameters
    ----------
    n_themes : number of clusters.
    n_init : seeded restarts; the fit with the lowest inertia is kept.
    random_state : seed.

    Attributes
    ----------
    labels_ : cluster of each row (0 .. n_themes - 1).
    centers_ : cluster means, shape (n_themes, n_features).
    """

    def __init__(self, n_themes: int = 8, n_init: int = 3, random_state: int = 0):
        self.n_themes = n_themes
        self.n_init = n_init
        self.random_state = random_state

    def fit(self, X, y=None) -> KMeansThemes:
        _check_k(self.n_themes, X.shape[0])
        model = KMeans(n_clusters=self.n_themes, n_init=self.n_init,
                       random_state=self.random_state).fit(X)
        self.labels_ = model.labels_.astype(np.int64)
        self.centers_ = model.cluster_centers_
        return self


class AgglomerativeThemes(ClusterMixin, BaseEstimator):
    """Ward's agglomerative clustering on (a sample of) the rows of a dense space.

    Parameters
    ----------
    n_themes : number of clusters.
    max_samples : at most this many rows are clustered (a seeded sample); the others
        join the cluster with the nearest mean.
    random_state : seed of the sample.

    Attributes
    ----------
    labels_ : cluster of each row.
    centers_ : cluster means.
    """

    def __init__(self, n_themes: int = 8, max_samples: int = 3000, random_state: int = 0):
        self.n_themes = n_themes
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, X, y=None) -> AgglomerativeThemes:
        X = np.asarray(X.todense()) if sp.issparse(X) else np.asarray(X)
        n = X.shape[0]
        _check_k(self.n_themes, min(n, self.max_samples))
        rng = np.random.default_rng(self.random_state)
        rows = np.sort(rng.choice(n, self.max_samples, replace=False)) if n > self.max_samples else np.arange(n)
        sample = AgglomerativeClustering(n_clusters=self.n_themes, linkage="ward").fit(X[rows])
        centers = np.vstack([X[rows][sample.labels_ == c].mean(axis=0) for c in range(self.n_themes)])
        labels = _nearest(X, centers)
        labels[rows] = sample.labels_
        self.labels_ = labels.astype(np.int64)
        self.centers_ = centers
        return self


class NMFThemes(ClusterMixin, BaseEstimator):
    """Non-negative matrix factorisation; each row goes to its heaviest component.

    Parameters
    ----------
    n_themes : number of components.
    max_iter : iterations of the solver.
    random_state : seed.

    Attributes
    ----------
    labels_ : heaviest component of each row.
    weights_ : the row weights W, shape (n_rows, n_themes).
    components_ : the components H, shape (n_themes, n_features).
    """

    def __init__(self, n_themes: int = 8, max_iter: int = 300, random_state: int = 0):
        self.n_themes = n_themes
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X, y=None) -> NMFThemes:
        _check_k(self.n_themes, X.shape[0])
        if (X.min() if not sp.issparse(X) else (X.data.min() if X.nnz else 0)) < 0:
            raise ThemeError("NMF needs non-negative features (TF-IDF), not dense embeddings; "
                             "use method='kmeans' with an embedder")
        model = NMF(n_components=self.n_themes, init="nndsvda", max_iter=self.max_iter,
                    random_state=self.random_state)
        self.weights_ = model.fit_transform(X)
        self.components_ = model.components_
        self.labels_ = self.weights_.argmax(axis=1).astype(np.int64)
        return self


ESTIMATORS: dict[str, type] = {
    "kmeans": KMeansThemes,
    "agglomerative": AgglomerativeThemes,
    "nmf": NMFThemes,
}


def make_estimator(method: str, n_themes: int, random_state: int) -> BaseEstimator:
    """A fresh estimator of ``method`` (``kmeans``, ``agglomerative`` or ``nmf``)."""
    if method not in ESTIMATORS:
        raise ThemeError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    return ESTIMATORS[method](n_themes=n_themes, random_state=random_state)


def _nearest(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    distances = (X**2).sum(axis=1)[:, None] - 2 * X @ centers.T + (centers**2).sum(axis=1)[None, :]
    return distances.argmin(axis=1)


def silhouette(space: np.ndarray, labels: np.ndarray, sample_size: int = 2000,
               random_state: int = 0) -> float:
    """Mean silhouette (cosine distance) of ``labels`` on a seeded sample of rows.

    Returns NaN when fewer than two clusters are present. Reference: Rousseeuw, P. J.
    (1987). Silhouettes. *Journal of Computational and Applied Mathematics* 20, 53-65.
    """
    if len(np.unique(labels)) < 2:
        return float("nan")
    size = sample_size if len(labels) > sample_size else None
    return float(silhouette_score(space, labels, metric="cosine", sample_size=size,
                                  random_state=random_state))


def choose_k(
    fit: Callable[[np.ndarray, int, int], np.ndarray],
    space: np.ndarray,
    k_range: tuple[int, int],
    criterion: str = "stability",
    random_state: int = 0,
    runs: int = 3,
    fraction: float = 0.8,
    sample_size: int = 2000,
) -> tuple[int, pd.DataFrame, dict[int, np.ndarray]]:
    """The number of themes over ``k_range`` (inclusive) by stability or silhouette.

    For every k the rows are clustered once (seed ``random_state``) and scored by the
    mean silhouette; with ``criterion="stability"`` they are also clustered ``runs``
    times more on seeded subsamples with other seeds, and scored by the mean adjusted
    Rand index between those fits and the first on the same rows (Ben-Hur, Elisseeff &
    Guyon 2002; Lange et al. 2004). The most stable k wins; among ks within 0.02 of it,
    the one with the best silhouette. With ``criterion="silhouette"`` the best
    silhouette wins.

    Parameters
    ----------
    fit : ``fit(rows, k, seed)`` returns the labels of the given rows clustered into
        k themes.
    space : the rows the silhouette is measured in.
    k_range : smallest and largest k tried (clipped to the number of rows - 1).
    criterion : ``"stability"`` or ``"silhouette"``.
    random_state : seed of the first fits, the subsamples and the silhouette sample.
    runs : refits per k for the stability.
    fraction : share of the rows in each subsample.
    sample_size : rows the silhouette is computed on.

    Returns
    -------
    best_k : int
    scores : DataFrame with columns ``k, silhouette, stability`` (one row per k).
    labels : the first fit's labels per k.
    """
    from raakvlak.themes.stability import theme_stability

    if criterion not in ("stability", "silhouette"):
        raise ThemeError(f"k_selection must be 'stability' or 'silhouette', not {criterion!r}")
    low, high = k_range
    n = space.shape[0]
    high = min(high, n - 1)
    if not 2 <= low <= high:
        raise ThemeError(
            f"k_range {k_range} leaves no number of themes to try for {n} segments; "
            "use a range within 2 .. number of segments - 1"
        )
    everything = np.arange(n)
    rows, labels = [], {}
    for k in range(low, high + 1):
        labels[k] = fit(everything, k, random_state)
        stable = np.nan
        if criterion == "stability":
            _, per_run = theme_stability(lambda subset, seed, k=k: fit(subset, k, seed), labels[k],
                                         runs, fraction, random_state)
            stable = round(float(per_run["ari"].mean()), 4)
        rows.append((k, round(silhouette(space, labels[k], sample_size, random_state), 4), stable))
    scores = pd.DataFrame(rows, columns=["k", "silhouette", "stability"])
    silhouettes = scores["silhouette"].fillna(-2)
    if criterion == "stability":
        close = scores["stability"] >= scores["stability"].max() - 0.02
        silhouettes = silhouettes.where(close, -3)
    best = int(silhouettes.to_numpy().argmax())
    return int(scores["k"].iloc[best]), scores, labels
