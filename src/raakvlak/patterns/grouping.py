"""Recurring patterns: records grouped by hand, and groupings suggested by clustering.

"Once is chance, twice is notable, three times is a pattern": :func:`pattern_table`
counts per pattern how often it occurred (its records: one per friction incident), in
which sessions and between which roles, and gathers its levers, its agreements and
whether they were followed up. :func:`suggest_patterns` proposes a grouping of records
from their step texts and codes with the themes machinery (TF-IDF over content lemmas
from :mod:`raakvlak.themes.features`, plus one indicator column per code, clustered
with Ward's agglomerative clustering of :class:`raakvlak.themes.cluster.AgglomerativeThemes`,
which suits a handful of records); the same records give the same suggestion.

Examples
--------
>>> occurrence_label(1), occurrence_label(2), occurrence_label(5)
('once: chance', 'twice: notable', '3+ times: a pattern')
>>> occurrence_label(2, "nl")
'twee keer: opvallend'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.preprocessing import normalize

from raakvlak.patterns.records import STEPS, PatternError, PatternRecord

LABELS = {
    "en": ("once: chance", "twice: notable", "3+ times: a pattern"),
    "nl": ("één keer: toeval", "twee keer: opvallend", "3+ keer: een patroon"),
}
PATTERN_COLUMNS = [
    "pattern", "occurrences", "label", "sessions", "documents", "dates", "sites", "roles",
    "codes", "levers", "agreements", "followed_up_yes", "followed_up_no", "followed_up_unknown",
    "record_ids",
]


def occurrence_label(n: int, language: str = "en") -> str:
    """The label of a pattern seen in ``n`` incidents: chance, notable, or a pattern."""
    if language not in LABELS:
        raise PatternError(f"language must be one of {', '.join(LABELS)}, not {language!r}")
    if n < 1:
        raise PatternError(f"a pattern occurs at least once, not {n} times")
    return LABELS[language][min(n, 3) - 1]


def _session_of(record: PatternRecord) -> str:
    return f"{record.document_id} ({record.date})" if record.date else record.document_id


def pattern_table(records: Iterable[PatternRecord], language: str = "en",
                  include_ungrouped: bool = False) -> pd.DataFrame:
    """One row per recurring pattern of the (live) records, most frequent first.

    Parameters
    ----------
    records : pattern records; withdrawn ones are left out.
    language : ``"en"`` or ``"nl"`` for the ``label`` column.
    include_ungrouped : also give each record without a pattern a row of its own
        (named by its title), so single incidents show as "once: chance".

    Returns
    -------
    DataFrame with :data:`PATTERN_COLUMNS`: ``occurrences`` (records), ``label``,
    ``sessions`` (``document (date)``, by date), ``documents``, ``dates``, ``sites``,
    ``roles`` (of the actors), ``codes`` (tuples, sorted); ``levers`` and
    ``agreements`` (tuples of text: the records' lever steps and follow-up agreements,
    ``"by: agreement"``); counts of follow-ups done, not done and unknown;
    ``record_ids`` (by date).
    """
    groups: dict[str, list[PatternRecord]] = {}
    for record in records:
        if record.withdrawn:
            continue
        name = record.pattern or (f"({record.title or record.record_id})" if include_ungrouped else "")
        if name:
            groups.setdefault(name, []).append(record)
    rows = []
    for name, members in groups.items():
        members = sorted(members, key=lambda r: (r.date, r.document_id, r.title, r.record_id))
        agreements = [a for r in members for a in r.follow_up]
        rows.append({
            "pattern": name,
            "occurrences": len(members),
            "label": occurrence_label(len(members), language),
            "sessions": tuple(dict.fromkeys(_session_of(r) for r in members)),
            "documents": tuple(dict.fromkeys(r.document_id for r in members)),
            "dates": tuple(sorted({r.date for r in members if r.date})),
            "sites": tuple(sorted({r.site for r in members if r.site})),
            "roles": tuple(sorted({role for r in members for role in r.roles})),
            "codes": tuple(sorted({c for r in members for c in r.codes})),
            "levers": tuple(r.steps["lever"] for r in members if r.steps["lever"]),
            "agreements": tuple((f"{a.by}: " if a.by else "") + a.agreement for a in agreements),
            "followed_up_yes": sum(a.followed_up == "yes" for a in agreements),
            "followed_up_no": sum(a.followed_up == "no" for a in agreements),
            "followed_up_unknown": sum(a.followed_up == "unknown" for a in agreements),
            "record_ids": tuple(r.record_id for r in members),
        })
    table = pd.DataFrame(rows, columns=PATTERN_COLUMNS)
    if len(table):
        table = table.sort_values(["occurrences", "pattern"], ascending=[False, True],
                                  kind="stable").reset_index(drop=True)
    return table


def records_table(records: Iterable[PatternRecord]) -> pd.DataFrame:
    """One row per live record: ``record_id, coder, document_id, site, session, date, title,
    pattern, roles, codes, links, steps_written`` (by site, date, document, title)."""
    rows = [{
        "record_id": r.record_id, "coder": r.coder, "document_id": r.document_id, "site": r.site,
        "session": r.session, "date": r.date, "title": r.title, "pattern": r.pattern,
        "roles": ", ".join(r.roles), "codes": ", ".join(r.codes), "links": len(r.links),
        "steps_written": sum(bool(r.steps[s]) for s in STEPS),
    } for r in records if not r.withdrawn]
    columns = ["record_id", "coder", "document_id", "site", "session", "date", "title", "pattern",
               "roles", "codes", "links", "steps_written"]
    table = pd.DataFrame(rows, columns=columns)
    return table.sort_values(["site", "date", "document_id", "title"], kind="stable").reset_index(drop=True)


def _record_text(record: PatternRecord) -> str:
    return "\n".join(record.steps[s] for s in STEPS if record.steps[s])


def suggest_patterns(
    records: Sequence[PatternRecord],
    n_patterns: int | None = None,
    language: str = "nl",
    code_weight: float = 0.5,
    linked_codes: dict[str, Sequence[str]] | None = None,
    random_state: int = 0,
) -> pd.DataFrame:
    """Suggest a grouping of records into recurring patterns.

    Each record becomes one row: the TF-IDF of the content lemmas of its step texts
    (:func:`raakvlak.themes.features.build_features`, uni- and bigrams, stop words and
    spoken fillers left out) next to one indicator column per code (its own codes and
    the codes of the codings it links to), both scaled to unit length, the codes
    weighted by ``code_weight``. The rows are clustered with Ward's agglomerative
    clustering. Without ``n_patterns`` the number is chosen from 2 to ``n - 1`` by
    the silhouette (ties: the smaller number).

    Parameters
    ----------
    records : the records to group (withdrawn ones are left out).
    n_patterns : number of suggested patterns (default: chosen).
    language : language of the step texts (lemmas and stop words).
    code_weight : weight of the code indicators against the words (0: words only).
    linked_codes : record id -> code ids of its linked codings (see
        :func:`linked_codes`), added to the record's own codes.
    random_state : kept for the estimator contract (Ward's clustering is exact).

    Returns
    -------
    DataFrame ``record_id, title, document_id, pattern, suggested, suggested_name``:
    ``suggested`` numbers the groups 0, 1, ... by their first record (by date), or
    -1 for a record without text or codes; ``suggested_name`` joins the group's top
    terms and codes. Same records in, same table out.
    """
    from raakvlak.corpus.language import lemmatise
    from raakvlak.themes.cluster import AgglomerativeThemes
    from raakvlak.themes.features import build_features, one_thread, stop_list

    chosen = sorted((r for r in records if not r.withdrawn),
                    key=lambda r: (r.date, r.document_id, r.title, r.record_id))
    if len(chosen) < 2:
        raise PatternError(f"suggesting patterns needs at least 2 records, not {len(chosen)}")
    linked_codes = linked_codes or {}
    codes = [sorted(set(r.codes) | set(linked_codes.get(r.record_id, ()))) for r in chosen]
    lemma_strings = [" ".join(words) for words in lemmatise([_record_text(r) for r in chosen], language)]
    try:
        features = build_features(lemma_strings, stop_list([language]), min_lemmas=1, min_df=1)
        words, terms = features.tfidf, list(features.terms)
    except Exception:  # noqa: BLE001 - too little text: words give no signal, codes may
        words, terms = sp.csr_matrix((len(chosen), 0)), []
    indicator, vocabulary = _code_indicators(codes)
    X = sp.hstack([normalize(words), indicator * code_weight]).tocsr()
    usable = np.asarray(X.getnnz(axis=1) > 0)
    labels = np.full(len(chosen), -1, dtype=np.int64)
    rows = np.flatnonzero(usable)
    dense = np.asarray(X[rows].todense())
    if len(rows) >= 2:
        with one_thread():
            k = n_patterns if n_patterns is not None else _choose(dense, random_state)
            if not 1 <= k <= len(rows):
                raise PatternError(f"n_patterns must be between 1 and {len(rows)} records with content, not {k}")
            fitted = AgglomerativeThemes(n_themes=k, random_state=random_state).fit(dense).labels_
        # renumber by first appearance, so the numbering does not depend on the algorithm's
        first: dict[int, int] = {}
        for label in fitted:
            first.setdefault(int(label), len(first))
        labels[rows] = [first[int(label)] for label in fitted]
    names = {}
    for group in sorted(set(labels) - {-1}):
        centre = np.asarray(X[labels == group].mean(axis=0)).ravel()
        names[group] = " · ".join(_top(centre[:len(terms)], terms, 3) + _top(centre[len(terms):], vocabulary, 2))
    return pd.DataFrame({
        "record_id": [r.record_id for r in chosen],
        "title": [r.title for r in chosen],
        "document_id": [r.document_id for r in chosen],
        "pattern": [r.pattern for r in chosen],
        "suggested": labels,
        "suggested_name": [names.get(int(label), "") for label in labels],
    })


def _code_indicators(codes: list[list[str]]) -> tuple[sp.csr_matrix, list[str]]:
    """One TF-IDF weighted, unit-length indicator column per code, and the codes. The step
    codes (``pattern.*``) and codes every record has tell records apart by nothing."""
    counts = Counter(c for cs in codes for c in cs)
    vocabulary = sorted(c for c, n in counts.items() if n < len(codes) and not c.startswith("pattern."))
    index = {c: k for k, c in enumerate(vocabulary)}
    indicator = sp.lil_matrix((len(codes), len(vocabulary)))
    for row, cs in enumerate(codes):
        for c in cs:
            if c in index:
                indicator[row, index[c]] = 1.0
    if vocabulary:
        indicator = TfidfTransformer().fit_transform(indicator.tocsr())
    return normalize(indicator.tocsr()), vocabulary


def _top(weights: np.ndarray, names: Sequence[str], n: int) -> list[str]:
    """The ``n`` names with the largest positive weights (ties: in column order)."""
    order = np.lexsort((np.arange(len(weights)), -weights))[:n]
    return [str(names[i]) for i in order if weights[i] > 0]


def _choose(dense: np.ndarray, random_state: int) -> int:
    """The number of groups (2..n-1) with the best silhouette; 1 when n < 3."""
    from sklearn.metrics import silhouette_score

    from raakvlak.themes.cluster import AgglomerativeThemes

    n = dense.shape[0]
    if n < 3:
        return 1
    best, best_k = -2.0, 2
    for k in range(2, n):
        labels = AgglomerativeThemes(n_themes=k, random_state=random_state).fit(dense).labels_
        if len(set(labels)) < 2:
            continue
        score = round(float(silhouette_score(dense, labels)), 10)
        if score > best:
            best, best_k = score, k
    return best_k


def linked_codes(links: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Record id -> the code ids of the codings it links to (from ``resolve_links``)."""
    coded = links[links["code_id"].astype(str) != ""]
    return {record_id: tuple(sorted(set(group["code_id"])))
            for record_id, group in coded.groupby("record_id", sort=True)}
