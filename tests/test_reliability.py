"""Project-level agreement: reliability data from codings, the per-code table, pairs, disagreements."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

from raakvlak import Project
from raakvlak.analysis import (
    AgreementError,
    brennan_prediger,
    code_unitizing_alpha,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from raakvlak.analysis.characters import character_agreement, character_data
from raakvlak.analysis.intercoder import (
    agreement_data,
    agreement_report,
    agreement_table,
    alpha_figure,
    disagreements,
    pairwise_kappa,
)
from raakvlak.analysis.reliability import (
    ALL_CODES,
    TABLE_COLUMNS,
    code_agreement,
    coder_pairs,
    disagreement_list,
    reliability_data,
    verdict,
)
from raakvlak.coding.events import code_event, memo_event
from raakvlak.coding.log import CodingLog
from raakvlak.corpus.store import CorpusStore, DocumentRecord

NAN = float("nan")


def segments_of(layout: dict[str, int], width: int = 10) -> pd.DataFrame:
    """``layout`` document -> number of segments; segment n covers [10n, 10n + 9)."""
    rows = [(d, f"{d}:{n + 1}", n * width, n * width + width - 1, f"S{n % 2}", f"text {d} {n + 1}")
            for d, count in layout.items() for n in range(count)]
    return pd.DataFrame(rows, columns=["document_id", "segment_id", "start", "end", "speaker", "text"])


def codings_from(table: dict[str, dict[str, list[str]]], code: str = "x") -> pd.DataFrame:
    """Codings that put ``code`` inside each listed segment: coder -> {segment_id: [codes]}."""
    rows = []
    for coder, units in table.items():
        for unit, codes in units.items():
            document, n = unit.split(":")
            start = (int(n) - 1) * 10 + 2
            rows += [(coder, document, start, start + 3, c) for c in codes]
    return pd.DataFrame(rows, columns=["coder", "document_id", "start", "end", "code_id"])


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12)


# ---------------------------------------------------------------------- published values
KRIPPENDORFF_2004 = [[1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]]


def test_binary_example_of_krippendorff_2004_from_codings():
    """Krippendorff (2004, section 11.3.1): two observers, ten units; alpha .095, kappa .091."""
    segments = segments_of({"d": 10})
    codings = codings_from({
        coder: {f"d:{u + 1}": ["x"] for u, value in enumerate(row) if value}
        for coder, row in zip(["i", "j"], KRIPPENDORFF_2004, strict=True)
    })
    data = reliability_data(segments, codings, ["i", "j"], code="x")
    assert data.to_numpy().tolist() == KRIPPENDORFF_2004
    assert data.columns.tolist() == [f"d:{n}" for n in range(1, 11)]
    row = code_agreement(segments, codings, ["i", "j"]).set_index("code_id").loc["x"]
    assert round(row["alpha"], 3) == 0.095
    assert round(row["cohen_kappa"], 3) == 0.091
    assert row["percent_agreement"] == pytest.approx(0.6)
    assert row["units"] == 10 and row["coded_by_any"] == 5
    assert row["verdict"] == "unreliable"


# ---------------------------------------------------------------------- per code, seen
@pytest.fixture
def two_documents():
    segments = segments_of({"a": 4, "b": 3})
    codings = codings_from({
        "anna": {"a:1": ["x"], "a:2": ["x", "y"], "b:1": ["x"], "b:3": ["y"]},
        "bram": {"a:1": ["x"], "a:3": ["y"], "a:4": ["x"]},  # bram never opened document b
    })
    return segments, codings


def test_a_unit_of_an_unseen_document_is_missing(two_documents):
    segments, codings = two_documents
    data = reliability_data(segments, codings, ["anna", "bram"], code="x")
    expected = [[1, 1, 0, 0, 1, 0, 0], [1, 0, 0, 1, NAN, NAN, NAN]]
    np.testing.assert_array_equal(data.to_numpy(), np.array(expected, dtype=float))
    everything = reliability_data(segments, codings, ["anna", "bram"], code="x", seen="all")
    np.testing.assert_array_equal(everything.to_numpy()[1], [1, 0, 0, 1, 0, 0, 0])
    missing = code_agreement(segments, codings, ["anna", "bram"]).set_index("code_id")
    zeros = code_agreement(segments, codings, ["anna", "bram"], seen="all").set_index("code_id")
    assert missing.loc["x", "alpha"] == pytest.approx(krippendorff_alpha(expected))
    assert zeros.loc["x", "alpha"] == pytest.approx(krippendorff_alpha(everything))
    assert missing.loc["x", "alpha"] != pytest.approx(zeros.loc["x", "alpha"])
    assert missing.loc["x", "units"] == 4 and zeros.loc["x", "units"] == 7


def test_seen_can_be_given_per_coder_and_is_checked(two_documents):
    segments, codings = two_documents
    data = reliability_data(segments, codings, ["anna", "bram"], code="y",
                            seen={"anna": ["a"], "bram": ["a", "b"]})
    assert np.isnan(data.loc["anna", "b:3"]) and data.loc["bram", "b:3"] == 0
    with pytest.raises(AgreementError, match="bram"):
        reliability_data(segments, codings, ["anna", "bram"], code="y", seen={"anna": ["a"]})
    with pytest.raises(AgreementError, match="seen must be"):
        reliability_data(segments, codings, ["anna", "bram"], code="y", seen="some")


def test_every_coefficient_matches_the_coefficient_functions(two_documents):
    segments, codings = two_documents
    table = code_agreement(segments, codings, ["anna", "bram"], codes=["y", "x", "z"],
                           labels={"x": "Regie"})
    assert table.columns.tolist() == TABLE_COLUMNS
    assert table["code_id"].tolist() == ["y", "x", "z", ALL_CODES]
    assert table["label"].tolist() == ["y", "Regie", "z", ALL_CODES]
    for code in ("x", "y"):
        values = reliability_data(segments, codings, ["anna", "bram"], code=code)
        pairable = values.loc[:, values.notna().sum() >= 2]
        row = table.set_index("code_id").loc[code]
        assert same(row["percent_agreement"], percent_agreement(pairable))
        assert same(row["cohen_kappa"], cohen_kappa(pairable))
        assert same(row["fleiss_kappa"], fleiss_kappa(pairable, incomplete="gwet"))
        assert same(row["brennan_prediger"], brennan_prediger(pairable, categories=[0, 1]))
        assert same(row["alpha"], krippendorff_alpha(values))
    z = table.set_index("code_id").loc["z"]  # in the codebook, used by no one
    assert z["coded_by_any"] == 0 and math.isnan(z["alpha"]) and z["verdict"] == "undefined"
    assert np.isnan(table[["alpha_low", "alpha_high"]].to_numpy()).all()


def test_all_codes_stack_segment_code_pairs(two_documents):
    segments, codings = two_documents
    pooled = reliability_data(segments, codings, ["anna", "bram"])
    assert pooled.columns.names == ["unit", "code_id"]
    assert pooled.columns[:4].tolist() == [("a:1", "x"), ("a:1", "y"), ("a:2", "x"), ("a:2", "y")]
    x = reliability_data(segments, codings, ["anna", "bram"], code="x").to_numpy()
    y = reliability_data(segments, codings, ["anna", "bram"], code="y").to_numpy()
    by_hand = np.stack([x, y], axis=2).reshape(2, -1)
    np.testing.assert_array_equal(pooled.to_numpy(), by_hand)
    row = code_agreement(segments, codings, ["anna", "bram"]).set_index("code_id").loc[ALL_CODES]
    assert row["alpha"] == pytest.approx(krippendorff_alpha(by_hand))
    assert row["units"] == 4 and row["coded_by_any"] == 4  # a:1 .. a:4 are all coded by someone
    sets = reliability_data(segments, codings, ["anna", "bram"], overall="sets")
    assert sets.loc["anna"].tolist() == ["x", "x, y", "", "", "x", "", "y"]
    assert sets.loc["bram", "a:3"] == "y" and sets.loc["bram", "b:1"] is None


def test_three_coders(two_documents):
    segments = segments_of({"a": 6})
    codings = codings_from({
        "anna": {"a:1": ["x"], "a:2": ["x"], "a:5": ["x"]},
        "bram": {"a:1": ["x"], "a:2": ["x"], "a:6": ["x"]},
        "carl": {"a:1": ["x"], "a:3": ["x"], "a:5": ["x"]},
    })
    expected = [[1, 1, 0, 0, 1, 0], [1, 1, 0, 0, 0, 1], [1, 0, 1, 0, 1, 0]]
    coders = ["anna", "bram", "carl"]
    assert reliability_data(segments, codings, coders, code="x").to_numpy().tolist() == expected
    row = code_agreement(segments, codings, coders).set_index("code_id").loc["x"]
    assert row["alpha"] == pytest.approx(krippendorff_alpha(expected))
    assert row["fleiss_kappa"] == pytest.approx(fleiss_kappa(expected))
    assert math.isnan(row["cohen_kappa"])  # only for two coders
    pairs = coder_pairs(segments, codings, coders, code="x")
    assert list(zip(pairs["coder_a"], pairs["coder_b"], strict=True)) == [
        ("anna", "bram"), ("anna", "carl"), ("bram", "carl")]
    assert pairs["cohen_kappa"].tolist() == pytest.approx(
        [cohen_kappa([expected[a], expected[b]]) for a, b in [(0, 1), (0, 2), (1, 2)]])


def test_rollup_counts_children_for_their_parent():
    segments = segments_of({"a": 3})
    codings = codings_from({"anna": {"a:1": ["p.c"], "a:2": ["p"]}, "bram": {"a:1": ["p"], "a:2": ["p.d"]}})
    parents = {"p": None, "p.c": "p", "p.d": "p"}
    plain = reliability_data(segments, codings, ["anna", "bram"], code="p")
    rolled = reliability_data(segments, codings, ["anna", "bram"], code="p", parents=parents)
    assert plain.to_numpy().tolist() == [[0, 1, 0], [1, 0, 0]]
    assert rolled.to_numpy().tolist() == [[1, 1, 0], [1, 1, 0]]


def test_verdicts_and_bad_input():
    assert [verdict(a, 0.9, 0.5) for a in (0.95, 0.9, 0.6, 0.49, NAN)] == [
        "reliable", "reliable", "tentative", "unreliable", "undefined"]
    segments = segments_of({"a": 2})
    codings = codings_from({"anna": {"a:1": ["x"]}, "bram": {}})
    with pytest.raises(AgreementError, match="at least 2 coders"):
        code_agreement(segments, codings, ["anna"])
    with pytest.raises(AgreementError, match="named twice"):
        code_agreement(segments, codings, ["anna", "anna"])
    with pytest.raises(AgreementError, match="lacks column"):
        code_agreement(segments.drop(columns="start"), codings, ["anna", "bram"])


def test_inputs_are_not_changed(two_documents):
    segments, codings = two_documents
    before = segments.copy(), codings.copy()
    code_agreement(segments, codings, ["anna", "bram"], parents={"x": None, "y": "x"})
    disagreement_list(segments, codings, ["anna", "bram"])
    pd.testing.assert_frame_equal(segments, before[0])
    pd.testing.assert_frame_equal(codings, before[1])


def test_ci_adds_a_bootstrap_interval():
    segments = segments_of({"d": 10})
    codings = codings_from({
        coder: {f"d:{u + 1}": ["x"] for u, value in enumerate(row) if value}
        for coder, row in zip(["i", "j"], KRIPPENDORFF_2004, strict=True)
    })
    row = code_agreement(segments, codings, ["i", "j"], ci=True, n_boot=200).iloc[0]
    assert row["alpha_low"] <= row["alpha"] <= row["alpha_high"]


def test_the_vectorised_overlap_join_matches_units_overlaps():
    from raakvlak.analysis.reliability import overlap_pairs
    from raakvlak.analysis.units import overlaps

    rng = np.random.default_rng(7)
    segments = segments_of({"a": 30, "b": 20, "c": 5}).sample(frac=1, random_state=1)  # any order
    start = rng.integers(0, 290, 400)
    codings = pd.DataFrame({"coder": "anna", "document_id": rng.choice(["a", "b", "z"], 400),
                            "start": start, "end": start + rng.integers(1, 40, 400), "code_id": "x"})
    unit, coding = overlap_pairs(segments.reset_index(drop=True), codings)
    expected = overlaps(segments.reset_index(drop=True), codings)
    assert sorted(zip(unit.tolist(), coding.tolist(), strict=True)) == sorted(
        zip(expected["unit"], expected["coding"], strict=True))


# ---------------------------------------------------------------------- disagreements
def test_disagreement_list_shows_each_coders_codes(two_documents):
    segments, codings = two_documents
    table = disagreement_list(segments, codings, ["anna", "bram"], codes=["y", "x"])
    assert table.columns.tolist() == ["unit", "document_id", "speaker", "quote", "anna", "bram",
                                      "codes_in_dispute"]
    assert table.to_dict("records") == [
        {"unit": "a:2", "document_id": "a", "speaker": "S1", "quote": "text a 2",
         "anna": "y, x", "bram": "", "codes_in_dispute": "y, x"},
        {"unit": "a:3", "document_id": "a", "speaker": "S0", "quote": "text a 3",
         "anna": "", "bram": "y", "codes_in_dispute": "y"},
        {"unit": "a:4", "document_id": "a", "speaker": "S1", "quote": "text a 4",
         "anna": "", "bram": "x", "codes_in_dispute": "x"},
    ]  # a:1 agrees; document b was seen by anna only: no dispute there
    everything = disagreement_list(segments, codings, ["anna", "bram"], seen="all")
    assert everything["unit"].tolist() == ["a:2", "a:3", "a:4", "b:1", "b:3"]


def test_disagreement_list_with_three_coders_ignores_who_did_not_see():
    segments = segments_of({"a": 2, "b": 1})
    codings = codings_from({"anna": {"a:1": ["x"], "b:1": ["x"]}, "bram": {"a:1": ["x"], "b:1": ["x"]},
                            "carl": {"a:2": ["x"]}})
    table = disagreement_list(segments, codings, ["anna", "bram", "carl"])
    assert table["unit"].tolist() == ["a:1", "a:2"]
    assert table.set_index("unit").loc["a:1", "carl"] == ""


# ---------------------------------------------------------------------- characters
TEXT = "De school belt het wijkteam.\n"


def test_identical_spans_give_unitizing_alpha_one():
    codings = pd.DataFrame([("anna", "t", 3, 9, "x"), ("bram", "t", 3, 9, "x")],
                           columns=["coder", "document_id", "start", "end", "code_id"])
    table = character_agreement({"t": len(TEXT)}, codings, ["anna", "bram"]).set_index("code_id")
    assert table.loc["x", "alpha"] == 1.0
    assert table.loc["x", "binary_alpha"] == 1.0
    assert table.loc["x", "units"] == len(TEXT) and table.loc["x", "coded_by_any"] == 6
    assert table.loc[ALL_CODES, "alpha"] == 1.0


def test_character_level_on_a_tiny_text_matches_the_unitizing_functions():
    codings = pd.DataFrame([
        ("anna", "t", 3, 9, "x"), ("bram", "t", 5, 14, "x"),
        ("anna", "u", 0, 4, "x"), ("bram", "u", 0, 4, "y"),
    ], columns=["coder", "document_id", "start", "end", "code_id"])
    lengths = {"t": len(TEXT), "u": 10}
    data = character_data(lengths, codings, ["anna", "bram"], "x")
    assert data.shape == (2, len(TEXT) + 10)
    assert data.loc["anna", ("t", 3)] == 1 and data.loc["bram", ("t", 3)] == 0
    assert data.loc["bram", ("u", 0)] == 0
    table = character_agreement(lengths, codings, ["anna", "bram"]).set_index("code_id")
    shift = len(TEXT)  # document u follows t on the continuum
    spans = {"anna": [(3, 9, "x"), (shift, shift + 4, "x")], "bram": [(5, 14, "x")]}
    assert table.loc["x", "alpha"] == pytest.approx(code_unitizing_alpha(spans, shift + 10, "x"))
    assert table.loc["x", "binary_alpha"] == pytest.approx(krippendorff_alpha(data))
    assert table.loc["x", "coded_by_any"] == 15
    assert table.loc["x", "percent_agreement"] == pytest.approx(percent_agreement(data))
    y = character_data(lengths, codings, ["anna", "bram"], "y")
    stacked = np.concatenate([data.to_numpy(), y.to_numpy()], axis=1)  # (character, code) pairs
    assert table.loc[ALL_CODES, "binary_alpha"] == pytest.approx(krippendorff_alpha(stacked))
    assert table.loc[ALL_CODES, "percent_agreement"] == pytest.approx(percent_agreement(stacked))
    assert table.loc[ALL_CODES, "coded_by_any"] == 15
    assert math.isnan(table.loc["x", "cohen_kappa"])
    with pytest.raises(AgreementError, match="beyond"):
        character_agreement({"t": 5}, codings, ["anna", "bram"])


def test_character_level_leaves_unseen_documents_out_of_the_continuum():
    codings = pd.DataFrame([("anna", "t", 3, 9, "x"), ("bram", "t", 3, 9, "x"), ("anna", "u", 0, 4, "x")],
                           columns=["coder", "document_id", "start", "end", "code_id"])
    table = character_agreement({"t": len(TEXT), "u": 10}, codings, ["anna", "bram"]).set_index("code_id")
    assert table.loc["x", "alpha"] == 1.0  # u was not seen by bram
    assert table.loc["x", "units"] == len(TEXT)


# ---------------------------------------------------------------------- a project
SESSION = ("Ans: De school belt het wijkteam.\n\n"
           "Bo: Uh, de privacy blokkeert alles.\n\n"
           "Ans: Nou ja, de regie is onduidelijk.\n\n"
           "Bo: Wie voert de regie dan?\n")
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


def code(project: Project, coder: str, document_id: str, text: str, words: str, code_id: str) -> None:
    start = text.index(words)
    CodingLog.in_folder(project.logs_dir, coder).append(
        code_event(document_id, text, start, start + len(words), code_id))


@pytest.fixture
def project(tmp_path) -> Project:
    project = Project.init(tmp_path / "studie", name="Studie", coders=["anna", "bram"])
    settings = project.root / "raakvlak.toml"
    text = settings.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^reliable = \S+", "reliable = 0.9", text)
    text = re.sub(r"(?m)^tentative = \S+", "tentative = 0.5", text)
    settings.write_text(text, encoding="utf-8")
    project = Project(project.root)
    CorpusStore(project.corpus_dir).add([
        DocumentRecord("sessie-1", SESSION, kind="transcript",
                       speakers=[{"speaker": "Ans", "role": "Docent"}, {"speaker": "Bo", "role": "Jeugdhulp"}]),
        DocumentRecord("notities", NOTES, kind="notes"),
    ])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    code(project, "anna", "sessie-1", SESSION, "privacy blokkeert", "barrier.avg")
    code(project, "anna", "sessie-1", SESSION, "regie is onduidelijk", "barrier.regie")
    code(project, "anna", "sessie-1", SESSION, "voert de regie", "barrier.regie")
    code(project, "anna", "notities", NOTES, "voert de regie", "barrier.regie")
    code(project, "bram", "sessie-1", SESSION, "privacy", "barrier.avg")
    code(project, "bram", "sessie-1", SESSION, "de regie is", "barrier.regie")
    code(project, "bram", "sessie-1", SESSION, "belt het wijkteam", "trust")
    return project


def test_project_thresholds_come_from_raakvlak_toml(project):
    assert (project.settings.reliable, project.settings.tentative) == (0.9, 0.5)
    table = agreement_table(project, ["anna", "bram"]).set_index("code_id")
    assert table.index.tolist() == ["barrier", "barrier.avg", "barrier.regie", "trust", ALL_CODES]
    assert table.loc["barrier.regie", "label"] == "Regie"
    # turns of sessie-1 (notities was not seen by bram): regie x = [0, 0, 1, 1] vs [0, 0, 1, 0]
    alpha = krippendorff_alpha([[0, 0, 1, 1], [0, 0, 1, 0]])
    assert table.loc["barrier.regie", "alpha"] == pytest.approx(alpha)
    assert table.loc["barrier.regie", "units"] == 4
    assert 0.5 <= alpha < 0.9 and table.loc["barrier.regie", "verdict"] == "tentative"
    assert verdict(alpha) == "unreliable"  # the default thresholds would say otherwise
    assert table.loc["barrier.avg", "alpha"] == 1.0  # both coded the AVG turn, no other
    assert table.loc["barrier.avg", "verdict"] == "reliable"
    assert table.loc["barrier", "coded_by_any"] == 0
    rolled = agreement_table(project, ["anna", "bram"], rollup=True).set_index("code_id")
    assert rolled.loc["barrier", "coded_by_any"] == 3


def test_a_document_memo_counts_as_seen(project):
    before = agreement_data(project, ["anna", "bram"], code="barrier.regie")
    assert before.loc["bram"].isna().sum() == 2  # the two paragraphs of notities
    CodingLog.in_folder(project.logs_dir, "bram").append(memo_event("document", "notities", "Gelezen, niets te coderen."))
    after = agreement_data(project, ["anna", "bram"], code="barrier.regie")
    assert after.loc["bram"].isna().sum() == 0
    assert after.loc["bram"].tolist() == [0, 0, 1, 0, 0, 0]
    everything = agreement_data(project, ["anna", "bram"], code="barrier.regie", seen="all")
    pd.testing.assert_frame_equal(after, everything)


def test_project_pairs_disagreements_and_characters(project):
    pairs = pairwise_kappa(project, ["anna", "bram"], code="barrier.regie")
    assert pairs.loc[0, "cohen_kappa"] == pytest.approx(cohen_kappa([[0, 0, 1, 1], [0, 0, 1, 0]]))
    table = disagreements(project, ["anna", "bram"])
    assert table["unit"].tolist() == ["sessie-1:1", "sessie-1:4"]
    assert table["speaker"].tolist() == ["Ans", "Bo"]
    assert table.loc[1, "quote"] == "Wie voert de regie dan?"
    assert table.loc[1, "anna"] == "barrier.regie" and table.loc[1, "bram"] == ""
    chars = agreement_table(project, ["anna", "bram"], level="character").set_index("code_id")
    start = SESSION.index("belt het wijkteam")  # only bram coded trust; notities not seen by bram
    spans = {"anna": [], "bram": [(start, start + len("belt het wijkteam"), "trust")]}
    assert chars.loc["trust", "alpha"] == pytest.approx(code_unitizing_alpha(spans, len(SESSION), "trust"))
    assert chars.loc["trust", "units"] == len(SESSION)
    with pytest.raises(AgreementError, match="no codings"):
        agreement_table(project, ["anna", "carl"])
    with pytest.raises(AgreementError, match="level"):
        agreement_table(project, ["anna", "bram"], level="word")


def test_report_marks_codes_below_the_thresholds(project):
    text = agreement_report(project, ["anna", "bram"])
    lines = {line.split()[1] if line.startswith(("?", "!", "-")) else line.split()[0]: line
             for line in text.splitlines() if line.strip()}
    assert lines["barrier.regie"].startswith("?")
    assert lines["barrier"].startswith("-")
    assert "anna - bram" in text and "tentative >= 0.500" in text
    payload = json.loads(agreement_report(project, ["anna", "bram"], as_json=True))
    assert payload["thresholds"] == {"reliable": 0.9, "tentative": 0.5}
    assert [c["code_id"] for c in payload["codes"]] == ["barrier", "barrier.avg", "barrier.regie", "trust"]
    assert payload["codes"][0]["alpha"] is None and payload["overall"]["code_id"] == ALL_CODES
    assert payload["pairs"][0]["coder_a"] == "anna"
    characters = agreement_report(project, ["anna", "bram"], level="character")
    assert "|cu-alpha" in characters and "bin-alpha" in characters and "coder pairs" not in characters


def test_alpha_figure_draws_the_project_thresholds(project):
    table = agreement_table(project, ["anna", "bram"])
    fig = alpha_figure(table, project.settings.reliable, project.settings.tentative)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == table["label"].tolist()
    vertical = {line.get_xdata()[0] for line in ax.get_lines()}
    assert {0.9, 0.5} <= vertical
    assert [round(p.get_width(), 6) for p in ax.patches] == [
        round(a, 6) for a in table["alpha"].fillna(0.0)]
