"""Retrieval as a reader wants it: child codes on request, quotes in a chosen context."""

from __future__ import annotations

import pytest

from raakvlak import Project
from raakvlak.analysis.code_tree import code_counts, codes_query
from raakvlak.analysis.context import with_context
from raakvlak.analysis.data import project_codings
from raakvlak.analysis.retrieval import retrieve
from raakvlak.coding.session import CodingSession
from raakvlak.corpus.canonical import canonicalise
from raakvlak.corpus.store import CorpusStore, DocumentRecord
from raakvlak.errors import RaakvlakError

CODEBOOK = """\
codes:
  - id: barrier
    label: {nl: Knelpunten, en: Barriers}
    children:
      - id: barrier.regie
        label: {nl: Regie, en: Coordination}
        children:
          - id: barrier.regie.school
            label: {nl: School, en: School}
  - id: other
    label: {nl: Anders, en: Other}
"""

TEXT = canonicalise(
    "Docent 1: Eerste zin hier. Wie heeft de regie? Niemand weet het. Dan de school. "
    "Laatste zin van de beurt.\n\n"
    "Hulpverlener 1: De gemeente wacht. Wij wachten ook.\n"
)


@pytest.fixture
def project(tmp_path):
    project = Project.init(tmp_path / "p", name="Test", coders=["anna"])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    CorpusStore(project.corpus_dir).add([DocumentRecord(
        "d", TEXT, title="D", kind="transcript",
        speakers=[{"speaker": "Docent 1", "role": "Docent"},
                  {"speaker": "Hulpverlener 1", "role": "Jeugdhulp"}])])
    session = CodingSession(project, "anna")
    for phrase, code in (("de regie", "barrier.regie"), ("de school", "barrier.regie.school"),
                         ("Niemand", "barrier"), ("De gemeente wacht", "other")):
        start = TEXT.index(phrase)
        session.code("d", start, start + len(phrase), code)
    return project


def test_a_parent_code_finds_its_children_only_when_asked(project):
    alone = retrieve(project, codes_query(["barrier.regie"]))
    assert alone["quote"].tolist() == ["de regie"]
    below = retrieve(project, codes_query(["barrier.regie"], below=True))
    assert below["quote"].tolist() == ["de regie", "de school"]
    assert codes_query([]) is None


def test_a_moved_code_is_below_its_new_parent(project):
    project.codebook.move("barrier.regie.school", "other").save()
    assert retrieve(project, codes_query(["barrier"], below=True))["quote"].tolist() == [
        "de regie", "Niemand"]
    # one rule: a typed query, the counts and a theme scope go by the same tree
    assert retrieve(project, "barrier.*")["quote"].tolist() == ["de regie", "Niemand"]
    counts = code_counts(project.codebook, project_codings(project), below=True)
    assert (counts["barrier"], counts["other"]) == (2, 2)
    assert set(retrieve(project, codes_query(["other"], below=True))["quote"]) == {
        "de school", "De gemeente wacht"}


def test_counts_with_and_without_the_codes_below(project):
    book, codings = project.codebook, project_codings(project)
    assert code_counts(book, codings)["barrier"] == 1
    assert code_counts(book, codings, below=True)["barrier"] == 3
    assert code_counts(book, codings, below=True)["barrier.regie"] == 2
    assert code_counts(book, None) == {c.id: 0 for c in book}


@pytest.mark.parametrize(("context", "around", "expected"), [
    ("words", 0, "de regie"),
    ("sentence", 0, "Wie heeft de regie?"),
    ("sentence", 1, "Eerste zin hier. Wie heeft de regie? Niemand weet het."),
    ("sentence", 9, "Eerste zin hier. Wie heeft de regie? Niemand weet het. Dan de school. "
                    "Laatste zin van de beurt."),
    ("turn", 0, "Eerste zin hier. Wie heeft de regie? Niemand weet het. Dan de school. "
                "Laatste zin van de beurt."),
])
def test_the_context_of_a_quote(project, context, around, expected):
    quotes = retrieve(project, "barrier.regie")
    shown = with_context(project, quotes, context, around).iloc[0]
    assert shown["context"] == expected
    at = shown["start"] - shown["context_start"]
    assert shown["context"][at:at + len(shown["quote"])] == shown["quote"]
    assert quotes.iloc[0]["context"].startswith("Eerste zin")  # the input is not changed


def test_sentences_never_reach_into_the_next_turn(project):
    quotes = retrieve(project, "other")
    assert with_context(project, quotes, "sentence", 5).iloc[0]["context"] == (
        "De gemeente wacht. Wij wachten ook.")


def test_bad_context_choices_are_refused(project):
    quotes = retrieve(project, "other")
    with pytest.raises(RaakvlakError, match="context must be one of"):
        with_context(project, quotes, "paragraph")
    with pytest.raises(RaakvlakError, match="around"):
        with_context(project, quotes, "sentence", -1)
