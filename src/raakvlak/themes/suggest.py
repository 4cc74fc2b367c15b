"""From themes to codes: codes per theme, and code suggestions a coder accepts or rejects.

Nothing enters a coder's log without an explicit accept. :class:`CodeSuggester` learns
from one coder's own codings with the features of the themes (sentence embeddings by
default, or TF-IDF of content lemmas) and a
:class:`~raakvlak.themes.classify.CodeClassifier`: per code a one-vs-rest logistic
regression, and a threshold calibrated out of fold. A segment the coder has not coded
gets the codes that reach the threshold (at most three, with their probabilities and
the segment's words most characteristic of the code), or no suggestion at all when no
code fits. What the coder left uncoded in a document they coded counts as "no code"
while learning: they read it and gave it none. :class:`SuggestionSession` shows these suggestions to a coder: an
accepted one becomes a ``code`` event with origin ``suggestion`` and the model's
parameters and fingerprint in its ``detail``; a rejected one is remembered in
``coding/suggestions/<coder>-rejected.jsonl`` (append-only) and never proposed
again, and nothing is written to the coder's log.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from raakvlak.analysis.units import overlaps, unit_codes
from raakvlak.corpus.canonical import fingerprint
from raakvlak.project import Project
from raakvlak.themes.classify import CodeClassifier, top_codes
from raakvlak.themes.describe import ctfidf
from raakvlak.themes.embeddings import Embedder
from raakvlak.themes.features import (
    ThemeError,
    build_features,
    one_thread,
    spoken_content,
    stop_list,
)

SUGGESTION_COLUMNS = ["suggestion_id", "document_id", "segment_id", "start", "end", "text",
                      "rank", "code_id", "probability", "why"]


# ---------------------------------------------------------------------- themes and codes
def theme_codes(segments: pd.DataFrame, labels: np.ndarray, codings: pd.DataFrame) -> pd.DataFrame:
    """The codes already applied to each theme's segments.

    Parameters
    ----------
    segments : the segments the themes were made of (``document_id, start, end``).
    labels : theme of each segment (``-1``: none), e.g. ``ThemeModel.labels_``.
    codings : codings (``document_id, start, end, code_id``), e.g. from
        :func:`raakvlak.analysis.data.project_codings`.

    Returns
    -------
    DataFrame ``theme, code_id, segments, share, coded_share``: how many of the theme's
    segments carry the code, their share of the theme, and their share of the theme's
    coded segments; most frequent first per theme.
    """
    table = segments.reset_index(drop=True)
    codes = unit_codes(table, codings.reset_index(drop=True)) if len(codings) else \
        pd.Series([frozenset()] * len(table))
    sizes = pd.Series(labels[labels >= 0]).value_counts()
    coded = pd.Series([t for t, found in zip(labels.tolist(), codes, strict=True)
                       if t >= 0 and found]).value_counts()
    rows = [(int(theme), code, 1) for theme, found in zip(labels.tolist(), codes, strict=True)
            if theme >= 0 for code in found]
    result = pd.DataFrame(rows, columns=["theme", "code_id", "segments"])
    result = result.groupby(["theme", "code_id"], as_index=False)["segments"].sum()
    pairs = list(zip(result["theme"], result["segments"], strict=True))
    result["share"] = [round(n / sizes[t], 4) for t, n in pairs]
    result["coded_share"] = [round(n / coded[t], 4) for t, n in pairs]
    return result.sort_values(["theme", "segments", "code_id"], ascending=[True, False, True],
                              ignore_index=True)


def theme_matches(segments: pd.DataFrame, labels: np.ndarray, codings: pd.DataFrame,
                  min_share: float = 0.5) -> pd.DataFrame:
    """Per theme, the code most often applied to its coded segments, if on ``min_share`` of them.

    A match says: where the coders coded this theme, they mostly used this code; its
    uncoded segments are candidates for the same code.

    Returns
    -------
    DataFrame ``theme, code_id, segments, share, coded_share``, one row per matched theme.
    """
    table = theme_codes(segments, labels, codings)
    best = table.drop_duplicates("theme", keep="first")
    return best[best["coded_share"] >= min_share].reset_index(drop=True)


def theme_code_suggestions(segments: pd.DataFrame, labels: np.ndarray, codings: pd.DataFrame,
                           min_share: float = 0.5) -> pd.DataFrame:
    """Uncoded segments of a theme matched to a code: candidates for that code.

    Parameters
    ----------
    segments, labels : the segments and their themes (e.g. ``model.segments_`` and
        ``model.labels_``).
    codings : the codings that count (one coder's, or all).
    min_share : see :func:`theme_matches`.

    Returns
    -------
    DataFrame ``document_id, segment_id, start, end, text, theme, code_id, coded_share``,
    in corpus order.
    """
    table = segments.reset_index(drop=True)
    matches = theme_matches(table, labels, codings, min_share).set_index("theme")
    touched = set(overlaps(table, codings.reset_index(drop=True))["unit"]) if len(codings) else set()
    rows = []
    for i, theme in enumerate(labels.tolist()):
        if theme in matches.index and i not in touched:
            row, match = table.iloc[i], matches.loc[theme]
            rows.append((row["document_id"], row["segment_id"], int(row["start"]), int(row["end"]),
                         row["text"], int(theme), match["code_id"], float(match["coded_share"])))
    return pd.DataFrame(rows, columns=["document_id", "segment_id", "start", "end", "text", "theme",
                                       "code_id", "coded_share"])


# ---------------------------------------------------------------------- the classifier
def _key(document_id: str, start: int, end: int, code_id: str) -> str:
    return hashlib.sha256(f"{document_id}\x1f{start}\x1f{end}\x1f{code_id}".encode()).hexdigest()[:16]


class CodeSuggester(BaseEstimator):
    """Suggest codes for uncoded segments from a coder's own codings, or none.

    Parameters
    ----------
    top : at most this many codes suggested per segment.
    C : inverse regularisation of the logistic regressions.
    min_examples : codes with fewer coded segments are not learned (and listed in
        ``skipped_codes_``).
    min_lemmas : segments with fewer content lemmas get no suggestion.
    ngram_range : word n-grams of lemmas used as terms (the reasons, and TF-IDF).
    n_why : terms given as the reason of a suggestion.
    language : language of the stop words when ``segments`` has no ``language`` column.
    stop_words : extra stop words.
    features : ``"embeddings"`` (default, as the themes) or ``"tfidf"``.
    embedder : the embedder of ``"embeddings"`` (None: the default, in memory).
    random_state : seed of the calibration folds.

    Attributes
    ----------
    classes_ : the code ids learned.
    skipped_codes_ : codes with too few examples.
    threshold_ : the calibrated least probability of a suggestion.
    features_used_ : ``"embeddings"``, or ``"tfidf"`` (chosen, or fallen back to).
    suggestions_ : DataFrame ``suggestion_id, document_id, segment_id, start, end,
        text, rank, code_id, probability, why`` for the segments no coding of the coder
        touches, one row per suggested code. ``why`` lists the segment's terms most
        characteristic of the code (class-based TF-IDF of the code's segments).
    no_code_ : DataFrame ``document_id, segment_id, start, end, text, probability``:
        the candidate segments no code fits (``probability``: their likeliest code's).
    fingerprint_ : SHA-256 of the parameters, the segments and the codings learned from.
    """

    def __init__(self, top: int = 3, C: float = 32.0, min_examples: int = 3, min_lemmas: int = 2,
                 ngram_range: tuple[int, int] = (1, 2), n_why: int = 5, language: str = "nl",
                 stop_words: Sequence[str] = (), features: str = "embeddings",
                 embedder: Embedder | None = None, random_state: int = 0):
        self.top = top
        self.C = C
        self.min_examples = min_examples
        self.min_lemmas = min_lemmas
        self.ngram_range = ngram_range
        self.n_why = n_why
        self.language = language
        self.stop_words = stop_words
        self.features = features
        self.embedder = embedder
        self.random_state = random_state

    def fit(self, segments: pd.DataFrame, codings: pd.DataFrame) -> CodeSuggester:
        """Learn from the segments of the documents the coder coded; suggest for the others.

        Parameters
        ----------
        segments : segments of one level with ``document_id, segment_id, start, end,
            text, lemmas``.
        codings : one coder's codings (``document_id, start, end, code_id``).

        Raises
        ------
        ThemeError
            When fewer than two codes have ``min_examples`` coded segments.
        """
        if self.min_examples < 2:
            raise ThemeError(f"min_examples must be at least 2 (calibration needs two folds), "
                             f"not {self.min_examples}")
        segments, codings = segments.reset_index(drop=True), codings.reset_index(drop=True)
        training, code_sets, candidates = self._rows(segments, codings)
        rows = np.union1d(training, candidates)
        X = self._matrix(segments, rows)
        position = {int(r): i for i, r in enumerate(rows.tolist())}
        with one_thread():
            self.model_ = CodeClassifier(C=self.C, top=self.top, random_state=self.random_state).fit(
                X[[position[int(r)] for r in training]], code_sets)
        self.classes_ = self.model_.classes_
        self.threshold_ = self.model_.threshold_
        member = np.array([[c in codes for codes in code_sets] for c in self.classes_], dtype=float)
        self.weights_ = ctfidf(member, self.features_.counts[training])
        self.fingerprint_ = self._fingerprint(segments, codings)
        self.suggestions_, self.no_code_ = self._suggest(segments, candidates,
                                                         X[[position[int(r)] for r in candidates]])
        return self

    def _rows(self, segments: pd.DataFrame, codings: pd.DataFrame):
        """Training rows with their code sets, and the candidate rows (not coded by the coder)."""
        languages = (segments["language"].unique().tolist() if "language" in segments.columns
                     else [self.language])
        self.stop_ = stop_list(languages, self.stop_words)
        self.features_ = build_features(segments["lemmas"].fillna("").tolist(), self.stop_, self.min_lemmas,
                                        tuple(self.ngram_range), min_df=1, max_df=1.0)
        assigned = self.features_.assigned
        pairs = overlaps(segments, codings)
        pairs["code_id"] = codings.loc[pairs["coding"], "code_id"].to_numpy()
        touched = set(pairs["unit"].tolist())
        pairs = pairs.drop_duplicates(["unit", "code_id"])
        pairs = pairs[assigned[pairs["unit"].to_numpy()]]
        counts = pairs["code_id"].value_counts()
        learned = sorted(counts[counts >= self.min_examples].index)
        self.skipped_codes_ = sorted(set(counts.index) - set(learned))
        if len(learned) < 2:
            raise ThemeError(
                f"code suggestions need at least two codes with {self.min_examples} or more coded "
                f"segments; this coder has {len(learned)} ({', '.join(learned) or 'none'}); code more first"
            )
        codes_of = pairs[pairs["code_id"].isin(learned)].groupby("unit")["code_id"].agg(frozenset)
        coded_documents = set(codings["document_id"])
        untouched = np.array([i for i in range(len(segments)) if i not in touched and assigned[i]],
                             dtype=np.int64)
        no_code = untouched[np.isin(segments["document_id"].to_numpy()[untouched],
                                    sorted(coded_documents))]
        training = np.sort(np.concatenate([codes_of.index.to_numpy(dtype=np.int64), no_code]))
        code_sets = [codes_of.get(int(i), frozenset()) for i in training]
        return training, code_sets, untouched

    def _matrix(self, segments: pd.DataFrame, rows: np.ndarray):
        """The features of ``rows``: unit-length embeddings of their texts, or TF-IDF rows."""
        if self.features not in ("embeddings", "tfidf"):
            raise ThemeError(f"features must be embeddings or tfidf, not {self.features!r}")
        self.embedder_fingerprint_ = None
        self.features_used_ = self.features
        embedder = self.embedder
        if self.features == "embeddings" and embedder is None:
            from raakvlak.themes.embeddings import shared_embedder

            try:
                embedder = shared_embedder()
            except ThemeError as exc:
                warnings.warn(f"{exc}; code suggestions fall back to TF-IDF features", stacklevel=4)
                self.features_used_ = "tfidf"
        if self.features_used_ == "tfidf":
            return self.features_.tfidf[rows]
        from sklearn.preprocessing import normalize

        self.embedder_fingerprint_ = embedder.fingerprint
        languages = (segments["language"].fillna(self.language).replace("", self.language)
                     if "language" in segments.columns else pd.Series(self.language, index=segments.index))
        said = spoken_content(segments["text"].iloc[rows].fillna("").tolist(),
                              languages.iloc[rows].tolist(), self.stop_)
        return normalize(np.asarray(embedder.embed(said), dtype=np.float64))

    def _fingerprint(self, segments: pd.DataFrame, codings: pd.DataFrame) -> str:
        digest = hashlib.sha256()
        digest.update(json.dumps(self.model_params(), sort_keys=True).encode())
        digest.update("\x1f".join(segments["segment_id"].astype(str) + "=" + segments["lemmas"].astype(str)).encode())
        rows = sorted(zip(codings["document_id"], codings["start"].astype(int),
                          codings["end"].astype(int), codings["code_id"], strict=True))
        digest.update(json.dumps(rows).encode())
        return digest.hexdigest()

    def model_params(self) -> dict[str, Any]:
        """The parameters as plain JSON values, with the model, its features and threshold."""
        params = self.get_params()
        params["ngram_range"] = list(self.ngram_range)
        params["stop_words"] = sorted(self.stop_words)
        params["embedder"] = getattr(self, "embedder_fingerprint_", None)
        params["model"] = ("one-vs-rest LogisticRegression on "
                           + getattr(self, "features_used_", self.features)
                           + "; no-code threshold calibrated out of fold")
        params["threshold"] = getattr(self, "threshold_", None)
        return params

    def _why(self, segment_row: int, code: int) -> str:
        """The segment's terms most characteristic of the code, strongest first."""
        terms = self.features_.counts[segment_row].indices
        weights = self.weights_[code, terms]
        keep = weights > 0
        chosen = terms[keep][np.lexsort((terms[keep], -np.round(weights[keep], 12)))][:self.n_why]
        return ", ".join(str(self.features_.terms[i]) for i in chosen)

    def _suggest(self, segments: pd.DataFrame, rows: np.ndarray, X) -> tuple[pd.DataFrame, pd.DataFrame]:
        no_code_columns = ["document_id", "segment_id", "start", "end", "text", "probability"]
        if not len(rows):
            return pd.DataFrame(columns=SUGGESTION_COLUMNS), pd.DataFrame(columns=no_code_columns)
        probabilities = self.model_.predict_proba(X)
        out, none = [], []
        for row_index, (segment_row, ranking) in enumerate(
                zip(rows.tolist(), top_codes(probabilities, self.top), strict=True)):
            segment = segments.iloc[segment_row]
            start, end = int(segment["start"]), int(segment["end"])
            chosen = [c for c in ranking if probabilities[row_index, c] >= self.threshold_]
            if not chosen:
                none.append((segment["document_id"], segment["segment_id"], start, end, segment["text"],
                             round(float(probabilities[row_index, ranking[0]]), 6)))
            for rank, cls in enumerate(chosen, start=1):
                code = str(self.classes_[cls])
                out.append((_key(segment["document_id"], start, end, code), segment["document_id"],
                            segment["segment_id"], start, end, segment["text"], rank, code,
                            float(probabilities[row_index, cls]), self._why(segment_row, cls)))
        return (pd.DataFrame(out, columns=SUGGESTION_COLUMNS),
                pd.DataFrame(none, columns=no_code_columns))


# ---------------------------------------------------------------------- the session
class Rejections:
    """The suggestions a coder rejected: ``coding/suggestions/<coder>-rejected.jsonl``.

    Append-only: one JSON object per line (``document_id, start, end, code_id, sha256,
    fingerprint, time``), flushed and synced before :meth:`add` returns. A torn last
    line is skipped.
    """

    def __init__(self, project: Project, coder: str):
        self.path = project.coding_dir / "suggestions" / f"{coder}-rejected.jsonl"
        self.coder = coder

    def keys(self) -> set[str]:
        """Keys (:func:`_key`) of every rejected suggestion."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return set()
        found = set()
        for line in lines:
            try:
                r = json.loads(line)
                found.add(_key(r["document_id"], int(r["start"]), int(r["end"]), r["code_id"]))
            except (ValueError, KeyError, TypeError):
                continue
        return found

    def add(self, record: dict[str, Any]) -> dict[str, Any]:
        """Append one rejection (and return it as written)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = {"coder": self.coder, "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), **record}
        with open(self.path, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        return line


class SuggestionSession:
    """A coder reviewing code suggestions: accept (written to the log) or reject (remembered).

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder whose codings are learned from and whose log receives accepted codes.
    level : the segment level suggested for (``turn`` or ``sentence``).
    **params : parameters of :class:`CodeSuggester`.
    """

    def __init__(self, project: Project | str | Path, coder: str, level: str = "turn", **params: Any):
        from raakvlak.coding.session import CodingSession

        self.project = project if isinstance(project, Project) else Project(project)
        self.coding = CodingSession(self.project, coder)
        self.coder = coder
        self.level = level
        self.params = params
        self.rejections = Rejections(self.project, coder)
        self.suggester: CodeSuggester | None = None

    def fit(self) -> pd.DataFrame:
        """Learn from the coder's current codings and return the open suggestions."""
        from raakvlak.themes.embeddings import project_embedder
        from raakvlak.themes.scope import theme_segments

        segments = theme_segments(self.project, level=self.level)
        params = {"language": self.project.language,
                  "stop_words": tuple(self.project.settings.stopwords), **self.params}
        if params.get("features", "embeddings") == "embeddings" and params.get("embedder") is None:
            params["embedder"] = project_embedder(self.project)
        self.suggester = CodeSuggester(**params).fit(segments, self.coding.codings())
        return self.suggestions()

    def suggestions(self, min_probability: float = 0.0) -> pd.DataFrame:
        """Open suggestions: not rejected, not already coded with that code by the coder.

        Parameters
        ----------
        min_probability : leave out suggestions less likely than this.

        Returns
        -------
        DataFrame with the columns of ``CodeSuggester.suggestions_``, the segments
        whose best suggestion is likeliest first (ties in corpus order), each
        segment's suggestions by rank.
        """
        if self.suggester is None:
            raise ThemeError("call fit() first: there are no suggestions yet")
        table = self.suggester.suggestions_
        codings = self.coding.codings()
        done = {_key(d, int(s), int(e), c) for d, s, e, c in zip(
            codings["document_id"], codings["start"], codings["end"], codings["code_id"], strict=True)}
        gone = self.rejections.keys() | done
        table = table[~table["suggestion_id"].isin(gone) & (table["probability"] >= min_probability)]
        best = table.groupby("segment_id", sort=False)["probability"].transform("max")
        order = np.lexsort((table["rank"].to_numpy(), np.arange(len(table)), -best.to_numpy()))
        return table.iloc[order].reset_index(drop=True)

    def _find(self, suggestion_id: str) -> pd.Series:
        table = self.suggestions()
        row = table[table["suggestion_id"] == suggestion_id]
        if row.empty:
            raise ThemeError(f"no open suggestion {suggestion_id!r} (accepted, rejected or unknown)")
        return row.iloc[0]

    def accept(self, suggestion_id: str) -> dict[str, Any]:
        """Code the suggested segment: one event, origin ``suggestion``, model in ``detail``."""
        row = self._find(suggestion_id)
        detail = {
            "model": self.suggester.model_params(),
            "fingerprint": self.suggester.fingerprint_,
            "probability": float(row["probability"]),
            "rank": int(row["rank"]),
            "why": row["why"],
        }
        return self.coding.code(row["document_id"], int(row["start"]), int(row["end"]),
                                row["code_id"], origin="suggestion", detail=detail)

    def reject(self, suggestion_id: str) -> dict[str, Any]:
        """Remember that the coder rejected this suggestion; the coding log is not touched."""
        row = self._find(suggestion_id)
        text = self.project.corpus.text(row["document_id"])
        return self.rejections.add({
            "document_id": row["document_id"],
            "start": int(row["start"]),
            "end": int(row["end"]),
            "code_id": row["code_id"],
            "sha256": fingerprint(text),
            "fingerprint": self.suggester.fingerprint_,
        })
