"""How good are code suggestions? Trained on part of a coded set, scored on the rest.

A coded set is a CSV or TSV file (as a spreadsheet saves it) with a text column and a
codes column (codes separated by ``;``; an empty cell is a text with no code). A seeded
split (stratified by each text's first code where every code has two texts) trains on
``train_share`` of the texts and scores the others. Reported per method, in the same run:

- ``precision_at_1``: of the test texts that have a code, the share whose likeliest
  code is one of theirs;
- ``precision_at_3``: the mean share of their three likeliest codes that are theirs
  (at most 1/3 for a text with one code);
- ``macro_f1``: F1 of the suggestions actually made (raakvlak: codes at or above the
  calibrated threshold, at most three; the baseline: what scikit-learn's ``predict``
  gives, see below), averaged over the codes of the test texts;
- ``no_code``: of the test texts without a code, the share given no suggestion (empty
  when there are none); ``suggested``: the share of all test texts given a suggestion.

Methods: ``raakvlak-embeddings`` (the default) and ``raakvlak-tfidf``
(:class:`~raakvlak.themes.classify.CodeClassifier` on sentence embeddings or on TF-IDF
of content lemmas), and ``tfidf-logreg``: scikit-learn's default ``TfidfVectorizer``
and ``LogisticRegression`` on the raw texts: on a set with one code per text, its
likeliest code for every text (a multi-class classifier); otherwise one-vs-rest, each
code at probability 0.5 or more. TF-IDF vocabularies are learned from all texts,
training and test alike (no codes are seen), for raakvlak and the baseline the same.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import MultiLabelBinarizer, normalize

from raakvlak.themes.classify import CodeClassifier, decide, top_codes
from raakvlak.themes.embeddings import Embedder
from raakvlak.themes.evaluate import read_table
from raakvlak.themes.features import (
    ThemeError,
    build_features,
    one_thread,
    spoken_content,
    stop_list,
)

COLUMNS = ["method", "precision_at_1", "precision_at_3", "macro_f1", "no_code", "suggested",
           "threshold", "seconds"]


def read_coded(path: str | Path, text_column: str, codes_column: str) -> tuple[list[str], list[frozenset[str]]]:
    """Texts and their code sets from a CSV or TSV file (codes separated by ``;``; empty: no code)."""
    table = read_table(path, (text_column, codes_column))
    table = table[table[text_column].str.strip() != ""]
    codes = [frozenset(c.strip() for c in cell.split(";") if c.strip()) for cell in table[codes_column]]
    if len(set().union(*codes)) < 2 or len(table) < 10:
        raise ThemeError(f"{path}: need at least 10 texts and 2 codes in {codes_column!r}")
    return table[text_column].tolist(), codes


def split(codes: Sequence[frozenset[str]], train_share: float, random_state: int) -> tuple[np.ndarray, np.ndarray]:
    """Seeded train and test indices, stratified by the first code when possible."""
    if not 0 < train_share < 1:
        raise ThemeError(f"train_share must lie between 0 and 1, not {train_share}")
    first = pd.Series([min(c) if c else "" for c in codes])
    stratify = first if first.value_counts().min() >= 2 else None
    try:
        train, test = train_test_split(np.arange(len(codes)), train_size=train_share,
                                       random_state=random_state, stratify=stratify)
    except ValueError:  # a test part too small to hold every code
        train, test = train_test_split(np.arange(len(codes)), train_size=train_share,
                                       random_state=random_state)
    return np.sort(train), np.sort(test)


def score(truth: Sequence[frozenset[str]], classes: np.ndarray, probabilities: np.ndarray,
          chosen: np.ndarray) -> dict[str, float]:
    """Precision at 1 and 3, macro F1, no-code and suggested shares (see the module)."""
    ranked = top_codes(probabilities, 3)
    coded = [i for i, t in enumerate(truth) if t]
    at = {k: float(np.mean([len({str(classes[c]) for c in ranked[i, :k]} & truth[i]) / k for i in coded]))
          if coded else float("nan") for k in (1, 3)}
    codes = sorted(set().union(*truth))
    binarizer = MultiLabelBinarizer(classes=sorted(set(codes) | {str(c) for c in classes}))
    wanted = binarizer.fit_transform([sorted(t) for t in truth])
    made = binarizer.transform([[str(classes[c]) for c in np.flatnonzero(row)] for row in chosen])
    index = [binarizer.classes_.tolist().index(c) for c in codes]
    empty = [i for i, t in enumerate(truth) if not t]
    return {
        "precision_at_1": round(at[1], 4), "precision_at_3": round(at[3], 4),
        "macro_f1": round(float(f1_score(wanted[:, index], made[:, index], average="macro",
                                         zero_division=0)), 4),
        "no_code": round(float(np.mean([not chosen[i].any() for i in empty])), 4) if empty else float("nan"),
        "suggested": round(float(np.mean(chosen.any(axis=1))), 4),
    }


def evaluate_suggestions(
    texts: Sequence[str],
    codes: Sequence[frozenset[str]],
    language: str = "nl",
    train_share: float = 0.7,
    random_state: int = 0,
    features: Sequence[str] = ("embeddings", "tfidf"),
    embedder: Embedder | None = None,
    stop_words: Sequence[str] = (),
) -> pd.DataFrame:
    """Train code suggestions on part of a coded set; score them and the baseline on the rest.

    Returns
    -------
    DataFrame ``method, precision_at_1, precision_at_3, macro_f1, no_code, suggested,
    threshold, seconds``.
    """
    from raakvlak.corpus.language import lemmatise

    texts, codes = list(texts), [frozenset(c) for c in codes]
    train, test = split(codes, train_share, random_state)
    truth = [codes[i] for i in test]
    rows = []
    for kind in features:
        started = time.perf_counter()
        if kind == "embeddings":
            from raakvlak.themes.embeddings import shared_embedder

            said = spoken_content(texts, [language] * len(texts), stop_list([language], stop_words))
            X = normalize(np.asarray((embedder or shared_embedder()).embed(said), dtype=np.float64))
        elif kind == "tfidf":
            lemmas = [" ".join(words) for words in lemmatise(texts, language)]
            X = build_features(lemmas, stop_list([language], stop_words), min_lemmas=1,
                               min_df=1, max_df=1.0).tfidf
        else:
            raise ThemeError(f"features must be embeddings or tfidf, not {kind!r}")
        with one_thread():
            model = CodeClassifier(random_state=random_state).fit(X[train], [codes[i] for i in train])
            probabilities = model.predict_proba(X[test])
        chosen = decide(probabilities, model.threshold_, model.top)
        rows.append({"method": f"raakvlak-{kind}", **score(truth, model.classes_, probabilities, chosen),
                     "threshold": model.threshold_, "seconds": round(time.perf_counter() - started, 3)})
    with one_thread():
        rows.append(_baseline(texts, codes, train, test))
    return pd.DataFrame(rows, columns=COLUMNS)


def _baseline(texts: list[str], codes: list[frozenset[str]], train: np.ndarray,
              test: np.ndarray) -> dict:
    """``tfidf-logreg``: scikit-learn's defaults on the raw texts.

    A set where every training text has exactly one code is a multi-class problem: one
    ``LogisticRegression`` whose ``predict`` names each text's likeliest code. Otherwise
    one-vs-rest, each code suggested at probability 0.5 or more.
    """
    started = time.perf_counter()
    X = TfidfVectorizer().fit_transform(texts)
    if all(len(codes[i]) == 1 for i in train):
        model = LogisticRegression(max_iter=1000).fit(X[train], [min(codes[i]) for i in train])
        classes, probabilities = model.classes_, model.predict_proba(X[test])
        chosen = decide(probabilities, 0.0, 1)
        threshold = float("nan")
    else:
        binarizer = MultiLabelBinarizer()
        Y = binarizer.fit_transform([sorted(codes[i]) for i in train])
        model = OneVsRestClassifier(LogisticRegression(max_iter=1000)).fit(X[train], Y)
        classes, probabilities = binarizer.classes_, model.predict_proba(X[test])
        threshold = 0.5
        chosen = decide(probabilities, threshold, len(classes))
    return {"method": "tfidf-logreg", **score([codes[i] for i in test], classes, probabilities, chosen),
            "threshold": threshold, "seconds": round(time.perf_counter() - started, 3)}
