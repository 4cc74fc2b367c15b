"""Word counts and keyword in context, on small frames and on a small project."""

from __future__ import annotations

import pandas as pd
import pytest

from raakvlak import Project
from raakvlak.analysis.words import (
    WordsError,
    kwic,
    project_kwic,
    project_word_frequencies,
    word_frequencies,
)
from raakvlak.corpus.store import CorpusStore, DocumentRecord


def frame(document_ids: list[str], lemmas: list[str], **variables: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"document_id": document_ids, "lemmas": lemmas, **variables})


# ---------------------------------------------------------------------- word counts
def test_stop_words_fillers_and_numbers_are_not_counted():
    segments = frame(["a", "a", "b"], [
        "uh nou ja de school bellen 10 keer",
        "school eigenlijk gewoon wijkteam",
        "de school en het wijkteam",
    ])
    table = word_frequencies(segments, "nl")
    counts = dict(zip(table["lemma"], table["count"], strict=True))
    assert counts["school"] == 3
    for word in ("uh", "nou", "ja", "de", "eigenlijk", "en", "het", "10"):
        assert word not in counts
    assert "keer" in counts  # not a stop word of the language ...
    extra = word_frequencies(segments, "nl", extra_stopwords=["Keer"])
    assert "keer" not in set(extra["lemma"])  # ... but of the project
    assert set(extra["lemma"]) == set(counts) - {"keer"}


def test_counts_segments_and_documents_most_frequent_first():
    segments = frame(["a", "a", "b"], ["school school ouder", "school", "ouder wijkteam"])
    table = word_frequencies(segments, "nl")
    assert table.columns.tolist() == ["lemma", "count", "segments", "documents"]
    assert table.values.tolist() == [
        ["school", 3, 2, 1],
        ["ouder", 2, 2, 2],
        ["wijkteam", 1, 1, 1],
    ]
    assert word_frequencies(segments, "nl", top=2)["lemma"].tolist() == ["school", "ouder"]


def test_counts_by_variable_with_top_per_group():
    segments = frame(["a", "a", "b"], ["school school ouder", "wijkteam", "ouder ouder school"],
                     role=["Docent", "Mentor", "Docent"])
    table = word_frequencies(segments, "nl", by="role", top=1)
    assert table.columns.tolist() == ["role", "lemma", "count", "segments", "documents"]
    assert table.values.tolist() == [["Docent", "ouder", 3, 2, 2], ["Mentor", "wijkteam", 1, 1, 1]]
    with pytest.raises(WordsError, match="unknown variable 'site'"):
        word_frequencies(segments, "nl", by="site")
    with pytest.raises(WordsError, match="top"):
        word_frequencies(segments, "nl", top=0)


def test_text_without_lemmas_is_lemmatised():
    segments = pd.DataFrame({"document_id": ["a"], "text": ["Uh, de kinderen en het kind."]})
    before = segments.copy()
    table = word_frequencies(segments, "nl")
    assert table.values.tolist() == [["kind", 2, 1, 1]]
    pd.testing.assert_frame_equal(segments, before)


def test_english_stop_words():
    segments = frame(["a"], ["the school um yeah phone the parent"])
    assert word_frequencies(segments, "en")["lemma"].tolist() == ["parent", "phone", "school"]


# ---------------------------------------------------------------------- kwic
CANONICAL = ("Ans: Uh, de kinderen 🙂 zijn café-moe. Het kind belt de school.\n\n"
             "Bo: Die kinderen? Ja, de Kinderen bellen. De school belt terug.\n")


@pytest.fixture
def turns() -> pd.DataFrame:
    rows = []
    for n, (label, start) in enumerate([("Ans", 5), ("Bo", CANONICAL.index("Die"))], 1):
        end = CANONICAL.index("\n", start)
        rows.append(("d", f"d:{n}", label, start, end, CANONICAL[start:end]))
    return pd.DataFrame(rows, columns=["document_id", "segment_id", "speaker", "start", "end", "text"])


def test_kwic_offsets_index_the_canonical_text(turns):
    hits = kwic(turns, "kind")
    assert hits.columns.tolist() == [
        "document_id", "segment_id", "speaker", "left", "keyword", "right", "start", "end"]
    assert hits["keyword"].tolist() == ["kinderen", "kind", "kinderen", "Kinderen"]
    for row in hits.itertuples():
        assert CANONICAL[row.start:row.end] == row.keyword
    assert hits["segment_id"].tolist() == ["d:1", "d:1", "d:2", "d:2"]
    assert hits["speaker"].tolist() == ["Ans", "Ans", "Bo", "Bo"]


def test_kwic_context_is_a_window_of_words_within_the_segment(turns):
    first = kwic(turns, "kind", window=2).iloc[0]
    # the emoji is no word: the two words after the keyword are zijn and café-moe
    assert (first["left"], first["keyword"], first["right"]) == ("Uh, de", "kinderen", "🙂 zijn café-moe.")
    later = kwic(turns, "kind", window=3).iloc[1]
    assert later["left"] == "zijn café-moe. Het"
    assert later["right"] == "belt de school."
    last = kwic(turns, "kind", window=50).iloc[-1]
    assert last["left"] == "Die kinderen? Ja, de"
    assert last["right"] == "bellen. De school belt terug."


def test_kwic_as_written_phrases_and_wildcards(turns):
    written = kwic(turns, "KIND", lemma=False)
    assert written["keyword"].tolist() == ["kind"]
    assert CANONICAL[written.loc[0, "start"]:written.loc[0, "end"]] == "kind"
    phrase = kwic(turns, "de school")
    assert phrase["keyword"].tolist() == ["de school", "De school"]
    assert all(CANONICAL[r.start:r.end] == r.keyword for r in phrase.itertuples())
    wild = kwic(turns, "kind*", lemma=False)
    assert wild["keyword"].tolist() == ["kinderen", "kind", "kinderen", "Kinderen"]
    assert kwic(turns, "wijkteam").empty
    with pytest.raises(WordsError, match="empty"):
        kwic(turns, "  ")


def test_kwic_uses_lemmas_to_skip_segments(turns):
    # with a lemmas column only the segments holding the lemma are tokenised
    marked = turns.assign(lemmas=["", "die kind ja de kind bellen de school bellen terug"])
    assert kwic(marked, "kind")["segment_id"].tolist() == ["d:2", "d:2"]
    assert kwic(marked, "ki*")["keyword"].tolist() == ["kinderen", "Kinderen"]


# ---------------------------------------------------------------------- a project
@pytest.fixture
def project(tmp_path) -> Project:
    project = Project.init(tmp_path / "studie", name="Studie")
    settings = project.root / "raakvlak.toml"
    text = settings.read_text(encoding="utf-8")
    start = text.index("extra = [")
    settings.write_text(text[:start] + 'extra = ["uh", "wijkteam"]\n', encoding="utf-8")
    project = Project(project.root)
    CorpusStore(project.corpus_dir).add([
        DocumentRecord("sessie-1", "Ans: Uh, de kinderen bellen het wijkteam.\n\n"
                       "Bo: Het kind wacht. Nou, ja.\n", kind="transcript",
                       speakers=[{"speaker": "Ans", "role": "Docent"},
                                 {"speaker": "Bo", "role": "Jeugdhulp"}]),
        DocumentRecord("notes-en", "The children call the school.\n", kind="notes", language="en"),
    ])
    return project


def test_project_word_frequencies_use_the_project_stop_list(project):
    table = project_word_frequencies(project)
    counts = dict(zip(table["lemma"], table["count"], strict=True))
    assert counts["kind"] == 2
    assert "wijkteam" not in counts  # the project's stop list
    assert "nou" not in counts and "the" not in counts  # fillers; English stop words
    assert counts["school"] == 1
    by_role = project_word_frequencies(project, by="role", where={"role": "Jeugdhulp"})
    assert set(by_role["role"]) == {"Jeugdhulp"}
    assert "wachten" in set(by_role["lemma"])


def test_project_kwic_offsets_index_each_document(project):
    hits = project_kwic(project, "kind")
    assert hits["keyword"].tolist() == ["kinderen", "kind"]
    english = project_kwic(project, "child")
    assert english["keyword"].tolist() == ["children"]
    for row in pd.concat([hits, english]).itertuples():
        assert project.corpus.text(row.document_id)[row.start:row.end] == row.keyword
