"""What a theme is about, who says it, and where: labels, quotes and spread.

*Label terms* are the terms with the highest class-based TF-IDF: the frequency of a
term within the theme (its count over all words of the theme) times
``log(1 + A / f)``, where ``A`` is the mean number of words per theme and ``f`` the
term's frequency over all themes (Grootendorst 2022, *BERTopic: neural topic
modeling with a class-based TF-IDF procedure*, arXiv:2203.05794). A term frequent in
one theme and rare elsewhere rises; a word every theme uses sinks. A single lemma
already contained in a higher-ranked n-gram is skipped, so labels do not repeat
themselves.

*Quotes* are chosen for being typical and different, not for being long. A segment's
*typicality* is its cosine similarity to the theme's centre. Candidates are the
theme's segments of an ordinary length (at most the theme's 75th percentile of words:
a long segment touches many things and so sits near every centre); among them, quotes
are picked one at a time by maximal marginal relevance (Carbonell & Goldstein 1998,
with their lambda at 0.5): typicality minus :data:`DIVERSITY` times the highest
similarity to a quote already picked, from a document not quoted yet while there is
one. A near-copy of a picked quote scores about zero, so it loses to a segment that is
typical in another way.

*Spread* counts the documents, speakers, roles and sites (the ``site`` document
variable) a theme appears in, so a point made once by one person is not mistaken for
a recurring theme.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

# weight of "unlike the quotes already picked" against typicality
DIVERSITY = 1.0
QUOTE_COLUMNS = ["theme", "rank", "document_id", "segment_id", "speaker", "role", "start",
                 "end", "text", "similarity"]


def class_tfidf(counts: sp.spmatrix, labels: np.ndarray, n_themes: int) -> np.ndarray:
    """Class-based TF-IDF weights, shape (n_themes, n_terms).

    Parameters
    ----------
    counts : term counts per segment.
    labels : theme of each segment (``-1`` rows are ignored).
    n_themes : number of themes (labels 0 .. n_themes - 1).

    Examples
    --------
    >>> counts = sp.csr_matrix(np.array([[2, 0, 1], [1, 0, 1], [0, 3, 1]]))
    >>> w = class_tfidf(counts, np.array([0, 0, 1]), 2)
    >>> [int(i) for i in w.argmax(axis=1)]
    [0, 1]
    """
    keep = labels >= 0
    member = sp.csr_matrix(
        (np.ones(int(keep.sum())), (labels[keep], np.flatnonzero(keep))),
        shape=(n_themes, counts.shape[0]),
    )
    return ctfidf(member, counts)


def ctfidf(member: sp.spmatrix, counts: sp.spmatrix) -> np.ndarray:
    """Class-based TF-IDF of classes given as a membership matrix (classes x segments).

    A segment may belong to several classes (a segment with two codes) or none.
    """
    per_class = np.asarray((sp.csr_matrix(member) @ counts).todense(), dtype=np.float64)
    words = per_class.sum(axis=1, keepdims=True)
    tf = np.divide(per_class, words, out=np.zeros_like(per_class), where=words > 0)
    frequency = per_class.sum(axis=0)
    average = words.mean()
    idf = np.log1p(np.divide(average, frequency, out=np.zeros_like(frequency), where=frequency > 0))
    return tf * idf


def label_terms(weights: np.ndarray, terms: np.ndarray, top: int = 6) -> list[list[str]]:
    """The ``top`` label terms of each theme from its class-based TF-IDF weights.

    Ties are broken by column order (the vectoriser sorts its terms), so labels are the
    same on every run. A single
    word already part of a chosen n-gram, or an n-gram made only of chosen words, is
    skipped.
    """
    order = np.argsort(-weights, axis=1, kind="stable")
    labels = []
    for row, ranking in zip(weights, order, strict=True):
        chosen: list[str] = []
        covered: set[str] = set()
        for index in ranking:
            if row[index] <= 0 or len(chosen) == top:
                break
            term = str(terms[index])
            words = term.split()
            if set(words) <= covered:
                continue
            chosen.append(term)
            covered.update(words)
        labels.append(chosen)
    return labels


def representative_quotes(
    segments: pd.DataFrame,
    labels: np.ndarray,
    space: np.ndarray,
    n_quotes: int = 3,
) -> pd.DataFrame:
    """Typical and different quotes per theme, from different documents first.

    Parameters
    ----------
    segments : the segments (``document_id, segment_id, speaker, role, start, end, text``).
    labels : theme of each segment (``-1``: none).
    space : the rows the themes were made in (unit length rows).
    n_quotes : quotes per theme.

    Returns
    -------
    DataFrame with columns ``theme, rank, document_id, segment_id, speaker, role,
    start, end, text, similarity`` (typicality: cosine similarity to the theme's centre).

    Examples
    --------
    >>> space = np.array([[1, 0], [0.99, 0.14], [0.6, 0.8], [0.98, 0.2]])
    >>> segs = pd.DataFrame({"document_id": ["a", "a", "b", "c"], "segment_id": list("wxyz"),
    ...                      "start": 0, "end": 1, "text": ["ja dat", "ja dit", "nee", "ja zo"]})
    >>> representative_quotes(segs, np.zeros(4, dtype=int), space, 2)["segment_id"].tolist()
    ['z', 'y']
    """
    rows = []
    documents = segments["document_id"].to_numpy()
    words = segments["text"].fillna("").astype(str).str.split().str.len().to_numpy()
    for theme in sorted(set(labels.tolist()) - {-1}):
        members = np.flatnonzero(labels == theme)
        centre = space[members].mean(axis=0)
        norm = np.linalg.norm(centre)
        typical = dict(zip(members.tolist(), (space[members] @ (centre / norm if norm else centre)).tolist(),
                           strict=True))
        ordinary = members[words[members] <= np.percentile(words[members], 75)]
        candidates = ordinary if len(ordinary) >= n_quotes else members
        for rank, index in enumerate(_pick(candidates, typical, space, documents, n_quotes), start=1):
            row = segments.iloc[index]
            rows.append((theme, rank, row["document_id"], row["segment_id"], row.get("speaker", ""),
                         row.get("role", ""), int(row["start"]), int(row["end"]), row["text"],
                         round(float(typical[index]), 4)))
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


def _pick(candidates: np.ndarray, typical: dict[int, float], space: np.ndarray,
          documents: np.ndarray, n_quotes: int) -> list[int]:
    """Maximal marginal relevance over ``candidates``, unquoted documents first."""
    picked: list[int] = []
    left = candidates.tolist()
    while left and len(picked) < n_quotes:
        quoted = {documents[i] for i in picked}
        fresh = [i for i in left if documents[i] not in quoted] or left
        pool = np.array(fresh)
        score = np.array([typical[i] for i in fresh])
        if picked:
            score = score - DIVERSITY * (space[pool] @ space[picked].T).max(axis=1)
        # best score first; ties by position in the corpus, so the choice is stable
        best = int(pool[np.lexsort((pool, -np.round(score, 12)))[0]])
        picked.append(best)
        left.remove(best)
    return picked


def _distinct(values: pd.Series) -> int:
    return int(values.astype(str).str.strip().replace("", np.nan).dropna().nunique())


def spread(segments: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """Per theme: segments, documents, speakers, roles and sites it appears in.

    Speakers are counted by name across documents (pseudonyms are consistent over the
    corpus); segments without a speaker, role or site do not count for that column.
    ``recurring`` is True for a theme found in at least two documents and, when
    speakers are known, voiced by at least two speakers.

    Returns
    -------
    DataFrame with columns ``theme, size, documents, speakers, roles, sites, recurring``.
    """
    table = segments.assign(theme=labels)
    table = table[table["theme"] >= 0]
    rows = []
    for theme, group in table.groupby("theme", sort=True):
        speakers = _distinct(group["speaker"]) if "speaker" in group else 0
        documents = _distinct(group["document_id"])
        rows.append({
            "theme": int(theme),
            "size": len(group),
            "documents": documents,
            "speakers": speakers,
            "roles": _distinct(group["role"]) if "role" in group else 0,
            "sites": _distinct(group["site"]) if "site" in group else 0,
            "recurring": bool(documents >= 2 and (speakers >= 2 or speakers == 0)),
        })
    columns = ["theme", "size", "documents", "speakers", "roles", "sites", "recurring"]
    return pd.DataFrame(rows, columns=columns)


def theme_map_figure(model, ax=None, title: str | None = None):
    """A 2-D map of the clustered segments coloured by theme (matplotlib).

    Parameters
    ----------
    model : a fitted :class:`~raakvlak.themes.model.ThemeModel`.
    ax : draw on these axes (default: a new figure).
    title : the figure's title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    points = model.theme_map()
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 5.5))
    else:
        fig = ax.figure
    colours = plt.get_cmap("tab20")
    labels = dict(zip(model.themes_["theme"], model.themes_["label"], strict=True))
    for theme, group in points.groupby("theme", sort=True):
        ax.scatter(group["x"], group["y"], s=12, alpha=0.75, color=colours(theme % 20),
                   label=f"{theme + 1}. {labels.get(theme, '')}")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title or f"{model.n_themes_} themes, {len(points)} segments")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    fig.tight_layout()
    return fig
