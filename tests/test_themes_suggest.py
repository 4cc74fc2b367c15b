"""Code suggestions: learned from a coder's own codings; accept writes, reject remembers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from raakvlak.coding.session import CodingSession
from raakvlak.themes import CodeSuggester, SuggestionSession, ThemeError, theme_segments
from test_themes import CODES, code_some, generated_documents, make_project


@pytest.fixture()
def coded(tmp_path):
    records, truth = generated_documents()
    project = make_project(tmp_path / "project", records)
    segments = theme_segments(project)
    code_some(project, segments, truth)
    return project, segments, truth


def test_top_three_codes_with_probabilities_and_reasons(coded):
    project, segments, truth = coded
    codings = CodingSession(project, "anna").codings()
    suggester = CodeSuggester().fit(segments, codings)
    table = suggester.suggestions_
    assert sorted(suggester.classes_) == sorted(CODES.values())
    per_segment = table.groupby("segment_id")
    assert (per_segment.size() == 3).all()
    assert (per_segment["probability"].sum() <= 1 + 1e-9).all()
    assert (per_segment["rank"].apply(list).apply(lambda r: r == [1, 2, 3])).all()
    assert table.groupby("segment_id")["probability"].apply(lambda p: p.is_monotonic_decreasing).all()
    # the uncoded turns: 120 with content minus the 15 coded ones
    assert table["segment_id"].nunique() == 105
    best = table[table["rank"] == 1]
    right = [CODES[truth[t]] == c for t, c in zip(best["text"], best["code_id"], strict=True)]
    assert np.mean(right) > 0.9
    # a reason is a term of the segment with a positive weight for the code; a code won
    # only because the others weigh less has none (here: a few wrong, unsure guesses)
    assert (best["why"] != "").mean() > 0.9
    assert (best.loc[best["why"] == "", "probability"] < 0.5).all()
    row = best.iloc[0]
    assert all(term.split()[0] in " ".join(segments.set_index("segment_id").loc[row["segment_id"], "lemmas"].split())
               for term in row["why"].split(", "))


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
        CodeSuggester(min_examples=6).fit(segments, codings)
    with pytest.raises(ThemeError, match="at least 2"):
        CodeSuggester(min_examples=1).fit(segments, codings)


def test_accept_writes_one_suggestion_event_with_provenance(coded):
    project, _, _ = coded
    session = SuggestionSession(project, "anna")
    open_before = session.fit()
    # the likeliest first, each segment's three codes together and by rank
    assert open_before.groupby("segment_id", sort=False)["probability"].max().is_monotonic_decreasing
    assert (open_before["rank"].to_numpy()[:3] == [1, 2, 3]).all()
    assert len(session.suggestions(min_probability=0.5)) < len(open_before)
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
