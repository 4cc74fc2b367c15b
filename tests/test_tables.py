"""Code tables and their figures, on small frames counted by hand and on a small project."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from raakvlak import Project
from raakvlak.analysis.figures import (
    FigureError,
    cooccurrence_heatmap,
    frequency_bars,
    save_figure,
)
from raakvlak.analysis.tables import (
    TableError,
    code_document_matrix,
    code_frequencies,
    coded_units,
    cooccurrence,
    crosstab,
    lineage,
    project_cooccurrence,
    project_crosstab,
    project_document_matrix,
    project_frequencies,
)
from raakvlak.coding.events import code_event
from raakvlak.coding.log import CodingLog
from raakvlak.corpus.store import CorpusStore, DocumentRecord

PARENTS = {"barrier": None, "barrier.avg": "barrier", "barrier.regie": "barrier", "trust": None}


@pytest.fixture
def segments() -> pd.DataFrame:
    # two documents; "Ans" speaks in both (two speakers); b:2 is a paragraph without speaker
    return pd.DataFrame({
        "document_id": ["a", "a", "a", "b", "b"],
        "segment_id": ["a:1", "a:2", "a:3", "b:1", "b:2"],
        "start": [0, 10, 20, 0, 10],
        "end": [10, 20, 30, 10, 20],
        "speaker": ["Ans", "Bo", "Ans", "Ans", ""],
        "role": ["Docent", "Mentor", "Docent", "Docent", ""],
    }, index=[f"s{i}" for i in range(5)])  # labels that are not positions


@pytest.fixture
def codings() -> pd.DataFrame:
    return pd.DataFrame([
        ("anna", "a", 2, 5, "barrier.avg"),     # 0: a:1
        ("anna", "a", 3, 8, "barrier.regie"),   # 1: a:1, overlaps coding 0
        ("anna", "a", 8, 15, "barrier.avg"),    # 2: spans a:1 and a:2
        ("bram", "a", 22, 25, "barrier.avg"),   # 3: a:3, second coder
        ("bram", "b", 1, 4, "trust"),           # 4: b:1
        ("bram", "b", 11, 12, "barrier.regie"),  # 5: b:2, no speaker
        ("bram", "c", 0, 5, "trust"),           # 6: document not among the segments
    ], columns=["coder", "document_id", "start", "end", "code_id"])


def rows(table: pd.DataFrame, key: str = "code_id") -> dict:
    return {r[key]: r[["codings", "segments", "documents", "speakers"]].tolist()
            for _, r in table.iterrows()}


# ---------------------------------------------------------------------- frequencies
def test_frequencies_count_codings_segments_documents_and_speakers(segments, codings):
    table = code_frequencies(segments, codings)
    assert table.columns.tolist() == ["code_id", "codings", "segments", "documents", "speakers"]
    assert rows(table) == {
        "barrier.avg": [3, 3, 1, 2],    # segments a:1 a:2 a:3; speakers (a, Ans) (a, Bo)
        "barrier.regie": [2, 2, 2, 1],  # b:2 has no speaker
        "trust": [1, 1, 1, 1],          # the coding in document c touches no segment
    }
    assert table["code_id"].tolist() == sorted(table["code_id"])
    assert all(table[c].dtype == "int64" for c in ["codings", "segments", "documents", "speakers"])


def test_rollup_counts_units_once(segments, codings):
    table = code_frequencies(segments, codings, parents=PARENTS)
    counts = rows(table)
    # barrier: codings 0,1,2,3,5; segments a:1 a:2 a:3 b:2 (a:1 holds both children);
    # documents a, b; speakers (a, Ans), (a, Bo): sets, not the sums 5, 5, 3, 3
    assert counts["barrier"] == [5, 4, 2, 2]
    assert counts["barrier.avg"] == [3, 3, 1, 2]
    assert counts["trust"] == [1, 1, 1, 1]


def test_frequencies_by_variable_count_a_spanning_coding_in_each_group(segments, codings):
    table = code_frequencies(segments, codings, by="role")
    assert table.columns.tolist()[:2] == ["code_id", "role"]
    avg = table[table["code_id"] == "barrier.avg"].set_index("role")
    assert avg.loc["Docent", ["codings", "segments", "documents", "speakers"]].tolist() == [3, 2, 1, 1]
    assert avg.loc["Mentor", ["codings", "segments", "documents", "speakers"]].tolist() == [1, 1, 1, 1]
    assert avg.loc["", ["codings", "segments"]].tolist() == [0, 0]
    # every code with every value, zeros included, in a fixed order
    assert len(table) == 3 * 3
    assert table["role"].tolist()[:3] == ["", "Docent", "Mentor"]


def test_order_puts_codebook_codes_first_with_zero_rows(segments, codings):
    table = code_frequencies(segments, codings, order=["trust", "never.used", "barrier.regie"])
    assert table["code_id"].tolist() == ["trust", "never.used", "barrier.regie", "barrier.avg"]
    assert rows(table)["never.used"] == [0, 0, 0, 0]


def test_tables_do_not_change_their_inputs(segments, codings):
    before_s, before_c = segments.copy(), codings.copy()
    code_frequencies(segments, codings, by="role", parents=PARENTS)
    crosstab(segments, codings, "role", normalize="index")
    cooccurrence(segments, codings, parents=PARENTS)
    pd.testing.assert_frame_equal(segments, before_s)
    pd.testing.assert_frame_equal(codings, before_c)


def test_bad_input_is_named(segments, codings):
    with pytest.raises(TableError, match="unknown variable 'site'"):
        code_frequencies(segments, codings, by="site")
    with pytest.raises(TableError, match="lacks column.*code_id"):
        code_frequencies(segments, codings.drop(columns=["code_id"]))
    mixed = segments.assign(level=["turn", "sentence", "turn", "turn", "turn"])
    with pytest.raises(TableError, match="mix levels"):
        cooccurrence(mixed, codings)
    with pytest.raises(TableError, match="cycle"):
        lineage("a", {"a": "b", "b": "a"})
    with pytest.raises(TableError, match="measure"):
        code_document_matrix(segments, codings, measure="words")
    with pytest.raises(TableError, match="normalize"):
        crosstab(segments, codings, "role", normalize="all")


def test_no_codings_gives_zero_rows(segments, codings):
    empty = codings.iloc[0:0]
    assert code_frequencies(segments, empty).empty
    table = code_frequencies(segments, empty, order=["trust"])
    assert rows(table) == {"trust": [0, 0, 0, 0]}
    assert cooccurrence(segments, empty).shape == (0, 0)


def test_coded_units_repeats_pairs_for_ancestors(segments, codings):
    pairs = coded_units(segments, codings, parents=PARENTS)
    # coding 2 touches a:1 and a:2 (positions 0 and 1), under its code and its parent
    two = pairs[pairs["coding"] == 2].sort_values(["unit", "code_id"])
    assert two[["unit", "code_id"]].values.tolist() == [
        [0, "barrier"], [0, "barrier.avg"], [1, "barrier"], [1, "barrier.avg"]]


# ---------------------------------------------------------------------- matrices
def test_code_document_matrix(segments, codings):
    matrix = code_document_matrix(segments, codings)
    assert matrix.columns.tolist() == ["a", "b"]  # document c has no segments
    assert matrix.to_dict("index") == {
        "barrier.avg": {"a": 3, "b": 0},
        "barrier.regie": {"a": 1, "b": 1},
        "trust": {"a": 0, "b": 1},
    }
    by_segments = code_document_matrix(segments, codings, measure="segments", parents=PARENTS)
    assert by_segments.loc["barrier"].tolist() == [3, 1]
    assert (by_segments.dtypes == "int64").all()


def test_crosstab_counts_and_shares(segments, codings):
    counts = crosstab(segments, codings, "role")
    assert counts.columns.tolist() == ["", "Docent", "Mentor"]
    assert counts.to_dict("index") == {
        "barrier.avg": {"": 0, "Docent": 2, "Mentor": 1},
        "barrier.regie": {"": 1, "Docent": 1, "Mentor": 0},
        "trust": {"": 0, "Docent": 1, "Mentor": 0},
    }
    rows_ = crosstab(segments, codings, "role", normalize="index")
    assert rows_.loc["barrier.avg"].tolist() == [0.0, 0.6667, 0.3333]
    np.testing.assert_allclose(rows_.sum(axis=1), 1.0, atol=1e-4)
    columns = crosstab(segments, codings, "role", normalize="columns")
    assert columns["Docent"].tolist() == [0.5, 0.25, 0.25]
    np.testing.assert_allclose(columns.sum(axis=0), 1.0, atol=1e-4)


def test_crosstab_share_of_an_unused_code_is_missing(segments, codings):
    shares = crosstab(segments, codings, "role", normalize="index", order=["unused"])
    assert shares.loc["unused"].isna().all()


def test_cooccurrence_is_symmetric_with_segment_counts_on_the_diagonal(segments, codings):
    matrix = cooccurrence(segments, codings)
    assert matrix.index.tolist() == matrix.columns.tolist() == ["barrier.avg", "barrier.regie", "trust"]
    assert matrix.to_numpy().tolist() == [
        [3, 1, 0],   # avg and regie meet in a:1 only
        [1, 2, 0],
        [0, 0, 1],
    ]
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()
    diagonal = np.diag(matrix.to_numpy()).tolist()
    assert diagonal == code_frequencies(segments, codings)["segments"].tolist()
    rolled = cooccurrence(segments, codings, parents=PARENTS)
    assert rolled.loc["barrier", "barrier"] == 4
    assert rolled.loc["barrier", "barrier.regie"] == 2


# ---------------------------------------------------------------------- a project
TEXT = ("Ans: De school belt het wijkteam.\n\n"
        "Bo: Uh, de privacy blokkeert alles.\n\n"
        "Ans: Nou ja, de regie is onduidelijk.\n")
NOTES = "De IB'er zoekt contact met het wijkteam.\n\nNiemand voert de regie.\n"
CODEBOOK = """codes:
  - id: barrier
    label: {nl: Knelpunten, en: Barriers}
    children:
      - id: barrier.avg
        label: {nl: AVG, en: Privacy law}
      - id: barrier.regie
        label: {nl: Regie, en: Case coordination}
  - id: trust
    label: {nl: Vertrouwen, en: Trust}
"""


def _code(project: Project, coder: str, document_id: str, text: str, word: str, code_id: str) -> None:
    start = text.index(word)
    CodingLog.in_folder(project.logs_dir, coder).append(
        code_event(document_id, text, start, start + len(word), code_id))


@pytest.fixture
def project(tmp_path) -> Project:
    project = Project.init(tmp_path / "studie", name="Studie", coders=["anna", "bram"])
    CorpusStore(project.corpus_dir).add([
        DocumentRecord("sessie-1", TEXT, kind="transcript", variables={"site": "Noord"},
                       speakers=[{"speaker": "Ans", "role": "Docent"},
                                 {"speaker": "Bo", "role": "Jeugdhulp"}]),
        DocumentRecord("notities", NOTES, kind="notes", variables={"site": "Zuid"}),
    ])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    _code(project, "anna", "sessie-1", TEXT, "privacy blokkeert", "barrier.avg")
    _code(project, "anna", "sessie-1", TEXT, "regie is onduidelijk", "barrier.regie")
    _code(project, "anna", "notities", NOTES, "voert de regie", "barrier.regie")
    _code(project, "bram", "sessie-1", TEXT, "de regie", "barrier.regie")
    _code(project, "bram", "sessie-1", TEXT, "belt het wijkteam", "trust")
    return project


def test_project_frequencies_in_codebook_order_with_labels(project):
    table = project_frequencies(project)
    assert table["code_id"].tolist() == ["barrier.avg", "barrier.regie", "trust"]
    assert table.columns.tolist() == ["code_id", "label", "codings", "segments", "documents", "speakers"]
    assert table.set_index("code_id").loc["barrier.regie", ["codings", "segments", "documents", "speakers"]].tolist() == [3, 2, 2, 1]
    every = project_frequencies(project, used_only=False)
    assert every["code_id"].tolist() == ["barrier", "barrier.avg", "barrier.regie", "trust"]
    assert every.set_index("code_id").loc["barrier", "codings"] == 0
    rolled = project_frequencies(project, rollup=True).set_index("code_id")
    assert rolled.loc["barrier", ["codings", "segments", "documents", "speakers"]].tolist() == [4, 3, 2, 2]
    assert rolled.loc["trust", "label"] == "Vertrouwen"


def test_project_tables_filter_by_coder_and_variable(project):
    anna = project_frequencies(project, coders=["anna"]).set_index("code_id")
    assert anna["codings"].to_dict() == {"barrier.avg": 1, "barrier.regie": 2}
    noord = project_frequencies(project, where={"site": "Noord"}).set_index("code_id")
    assert noord.loc["barrier.regie", "codings"] == 2
    by_site = project_crosstab(project, "site")
    assert by_site.loc["barrier.regie"].tolist() == [1, 1]
    by_role = project_frequencies(project, by="role", coders=["bram"])
    assert set(by_role["role"]) == {"", "Docent", "Jeugdhulp"}
    matrix = project_document_matrix(project)
    assert matrix.columns.tolist() == ["sessie-1", "notities"]
    assert matrix.loc["barrier.regie"].tolist() == [2, 1]


def test_project_cooccurrence_leaves_out_unused_codes(project):
    used = project_cooccurrence(project)
    assert used.index.tolist() == ["barrier.avg", "barrier.regie", "trust"]
    everything = project_cooccurrence(project, used_only=False, rollup=True)
    assert everything.index.tolist() == ["barrier", "barrier.avg", "barrier.regie", "trust"]
    assert everything.loc["barrier", "barrier"] == 3


# ---------------------------------------------------------------------- figures
def test_heatmap_and_bars_show_the_tables(segments, codings):
    matrix = cooccurrence(segments, codings)
    fig = cooccurrence_heatmap(matrix, labels={"trust": "Vertrouwen"}, title="Samen")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["barrier.avg", "barrier.regie", "Vertrouwen"]
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(v) for v in matrix.to_numpy().ravel())
    with pytest.raises(FigureError, match="square"):
        cooccurrence_heatmap(matrix.iloc[:2])
    table = code_frequencies(segments, codings, by="role")
    bars = frequency_bars(table, measure="codings", by="role")
    widths = sorted(float(p.get_width()) for p in bars.axes[0].patches)
    assert widths == sorted(table["codings"].astype(float))
    with pytest.raises(FigureError, match="no column 'words'"):
        frequency_bars(table, measure="words")


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_saved_figures_are_byte_identical(tmp_path, segments, codings, suffix):
    matrix = cooccurrence(segments, codings)
    fig = cooccurrence_heatmap(matrix)
    first = save_figure(fig, tmp_path / f"one{suffix}")
    second = save_figure(fig, tmp_path / f"two{suffix}")  # the same figure, saved again
    other = save_figure(cooccurrence_heatmap(matrix), tmp_path / f"three{suffix}")  # made again
    assert first.read_bytes() == second.read_bytes() == other.read_bytes()
    if suffix == ".svg":
        assert b"<dc:date>" not in first.read_bytes()


def test_save_figure_refuses_unknown_formats(tmp_path):
    fig = frequency_bars(pd.DataFrame({"code_id": ["a"], "segments": [1]}))
    with pytest.raises(FigureError, match=r"\.gif"):
        save_figure(fig, tmp_path / "bars.gif")
    assert not (tmp_path / "bars.gif").exists()
