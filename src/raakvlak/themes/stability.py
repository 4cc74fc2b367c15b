"""Do the themes come back? Refits on subsamples with other seeds.

Each run draws a seeded subsample of the segments (``fraction`` of them, without
replacement), clusters it again with the same number of themes and a different seed,
and compares with the reference themes on the same segments:

- per theme, the *best-match Jaccard* similarity: the share of overlap between the
  theme's members in the subsample and the most similar new cluster
  (|A ∩ B| / |A ∪ B|); a theme's *stability* is its mean over the runs;
- overall, the adjusted Rand index (Hubert & Arabie 1985) of the two partitions.

Hennig (2007), *Cluster-wise assessment of cluster stability*, Computational
Statistics & Data Analysis 52, 258-271, reads a mean Jaccard of 0.5 or less as a
dissolved cluster and 0.6-0.75 as a pattern but doubtful cluster; raakvlak labels a
theme *stable* at :data:`STABLE` (0.6) or more.

Examples
--------
>>> best_match_jaccard(np.array([0, 0, 1, 1]), np.array([5, 5, 5, 7]))
{0: 0.6667, 1: 0.5}
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

STABLE = 0.6


def best_match_jaccard(reference: np.ndarray, other: np.ndarray) -> dict[int, float]:
    """For each reference cluster, the Jaccard similarity of its best-matching cluster in ``other``.

    Rows labelled ``-1`` in ``reference`` are ignored.
    """
    result = {}
    for theme in sorted(set(reference.tolist()) - {-1}):
        members = reference == theme
        best = 0.0
        for candidate in np.unique(other[members]):
            found = other == candidate
            union = np.count_nonzero(members | found)
            best = max(best, np.count_nonzero(members & found) / union)
        result[int(theme)] = round(float(best), 4)
    return result


def theme_stability(
    refit: Callable[[np.ndarray, int], np.ndarray],
    reference: np.ndarray,
    n_runs: int = 5,
    fraction: float = 0.8,
    random_state: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """How often each reference theme comes back when the clustering is refitted.

    Parameters
    ----------
    refit : ``refit(rows, seed)`` clusters the rows (indices into ``reference``) with
        the given seed and returns their labels.
    reference : the labels of the fit under test (``-1``: not clustered, ignored).
    n_runs : number of refits.
    fraction : share of the clustered rows in each subsample.
    random_state : seed of the subsamples; run ``r`` refits with seed
        ``random_state + 1 + r``.

    Returns
    -------
    themes : DataFrame ``theme, stability, stable`` (mean best-match Jaccard; stable
        when at least :data:`STABLE`).
    runs : DataFrame ``run, seed, ari`` (adjusted Rand index per run).
    """
    rng = np.random.default_rng(random_state)
    clustered = np.flatnonzero(reference >= 0)
    size = max(2, int(round(fraction * len(clustered))))
    jaccards: dict[int, list[float]] = {int(t): [] for t in set(reference[clustered].tolist())}
    runs = []
    for run in range(n_runs):
        rows = np.sort(rng.choice(clustered, size=size, replace=False))
        seed = random_state + 1 + run
        labels = np.asarray(refit(rows, seed))
        for theme, value in best_match_jaccard(reference[rows], labels).items():
            jaccards[theme].append(value)
        runs.append((run, seed, round(float(adjusted_rand_score(reference[rows], labels)), 4)))
    themes = pd.DataFrame(
        [(theme, round(float(np.mean(values)), 4) if values else 0.0)
         for theme, values in sorted(jaccards.items())],
        columns=["theme", "stability"],
    )
    themes["stable"] = themes["stability"] >= STABLE
    return themes, pd.DataFrame(runs, columns=["run", "seed", "ari"])
