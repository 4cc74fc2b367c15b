"""The example coding logs (coding/logs/anna.jsonl, bram.jsonl): fictional, but sound.

They are written by examples/code_example.py through the coding session. These tests
read the committed logs: they load cleanly, every quote is the canonical text at its
offsets, and they hold what the agreement notebooks need (overlaps, disagreements, a
document only one coder saw, an undo in the audit trail).
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from raakvlak import Project
from raakvlak.analysis.reliability import code_agreement
from raakvlak.coding.state import load_state
from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.structure import blocks

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "code_example.py"
CODERS = ("anna", "bram")
SHARED = ("als-a-sessie-1", "als-b-sessie-3", "online-overleg", "enquete-wat-belemmert-de-samenwerking-tussen")


def _script():
    spec = importlib.util.spec_from_file_location("code_example", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def project():
    return Project(ROOT)


@pytest.fixture(scope="module")
def loaded(project):
    return load_state(project.logs_dir)


@pytest.fixture(scope="module")
def codings(loaded):
    return loaded[0].codings


def test_the_logs_load_without_problems(project, loaded):
    for coder in CODERS:
        assert (project.logs_dir / f"{coder}.jsonl").is_file()
    state, problems = loaded
    assert problems == []
    assert set(state.codings["coder"]) == set(CODERS)


def test_every_quote_is_the_canonical_text_at_its_offsets(project, codings):
    documents = project.corpus.documents.set_index("document_id")
    for document_id, rows in codings.groupby("document_id"):
        text = project.corpus.text(document_id)
        assert fingerprint(text) == documents.loc[document_id, "sha256"]
        assert (rows["sha256"] == fingerprint(text)).all(), document_id
        for row in rows.itertuples():
            assert text[row.start:row.end] == row.quote, (document_id, row.start, row.end)
            assert row.quote == row.quote.strip() and row.quote


def test_each_coder_has_many_live_codings_and_marks_the_log_as_example_data(loaded):
    state, _ = loaded
    counts = state.codings["coder"].value_counts()
    assert counts["anna"] >= 80 and counts["bram"] >= 80
    marked = state.memos[(state.memos["on"] == "project") & state.memos["text"].str.startswith("Voorbeelddata")]
    assert sorted(marked["coder"]) == sorted(CODERS)
    # memos of every kind are there to show
    assert {"project", "document", "code", "coding"} <= set(state.memos["on"])


def test_each_log_has_a_withdrawn_coding_in_its_history(loaded):
    history = loaded[0].history
    withdrawn = history[history["withdrawn"] & (history["kind"] == "code")]
    assert set(withdrawn["coder"]) == set(CODERS)
    assert set(history.loc[history["kind"] == "uncode", "coder"]) == set(CODERS)


def test_anna_coded_a_document_bram_never_saw(codings):
    documents = codings.groupby("coder")["document_id"].agg(set)
    assert documents["anna"] - documents["bram"] == {"als-a-sessie-2"}
    assert set(SHARED) <= documents["anna"] & documents["bram"]


def _pairs(codings: pd.DataFrame) -> pd.DataFrame:
    """Every overlapping (anna, bram) pair of codings in one document."""
    anna = codings[codings["coder"] == "anna"]
    bram = codings[codings["coder"] == "bram"]
    pairs = anna.merge(bram, on="document_id", suffixes=("_a", "_b"))
    return pairs[(pairs["start_a"] < pairs["end_b"]) & (pairs["start_b"] < pairs["end_a"])]


def test_the_coders_overlap_and_disagree_in_the_usual_ways(codings):
    pairs = _pairs(codings)
    same_code = pairs[pairs["code_id_a"] == pairs["code_id_b"]]
    # agreement on the code, sometimes with other span boundaries
    assert len(same_code) >= 50
    assert ((same_code["start_a"] != same_code["start_b"]) | (same_code["end_a"] != same_code["end_b"])).sum() >= 10
    # the very same span, another code
    exact = pairs[(pairs["start_a"] == pairs["start_b"]) & (pairs["end_a"] == pairs["end_b"])]
    assert (exact["code_id_a"] != exact["code_id_b"]).any()
    # a sub-code against its parent
    assert any(a.startswith(b + ".") for a, b in zip(pairs["code_id_a"], pairs["code_id_b"], strict=True))
    # passages only one coder coded (in documents both coded)
    shared = codings[codings["document_id"].isin(SHARED)]
    for coder in CODERS:
        mine = shared[shared["coder"] == coder]
        paired = set(pairs["event_id_a" if coder == "anna" else "event_id_b"])
        assert (~mine["event_id"].isin(paired)).sum() >= 5, coder


def test_codings_of_one_coder_overlap_each_other(codings):
    anna = codings[codings["coder"] == "anna"]
    same = anna.merge(anna, on="document_id")
    same = same[(same["event_id_x"] != same["event_id_y"])
                & (same["start_x"] < same["end_y"]) & (same["start_y"] < same["end_x"])]
    # two codes on one span, and a span nested inside a longer one
    assert ((same["start_x"] == same["start_y"]) & (same["end_x"] == same["end_y"])).any()
    assert ((same["start_x"] < same["start_y"]) & (same["end_y"] < same["end_x"])).any()


def test_agreement_per_code_ranges_from_reliable_to_unreliable(project, codings):
    rows = []
    for document_id in SHARED:
        for k, block in enumerate(blocks(project.corpus.text(document_id)), start=1):
            rows.append((document_id, f"{document_id}:{k}", block.start, block.end))
    turns = pd.DataFrame(rows, columns=["document_id", "segment_id", "start", "end"])
    table = code_agreement(turns, codings, list(CODERS)).set_index("code_id")
    alpha = table["alpha"]
    assert alpha["barrier.privacy"] >= 0.8 and alpha["barrier.turnover"] >= 0.8
    assert 0.667 <= alpha["barrier.laws"] < 0.8
    assert alpha["barrier.job"] < 0.667 and alpha["pattern.moment"] < 0.667
    assert (table["verdict"] == "reliable").sum() >= 3
    assert (table["verdict"] == "tentative").sum() >= 3


def test_the_committed_logs_hold_what_the_script_codes(project, codings):
    script = _script()
    for coder, planned, turns, extra in (("anna", script.ANNA, script.ANNA_TURNS, 1),
                                         ("bram", script.BRAM, script.BRAM_TURNS, 0)):
        spans = Counter((d, s, e, c) for d, s, e, c, _ in script.plan_spans(project, planned))
        mine = codings[codings["coder"] == coder]
        live = Counter(zip(mine["document_id"], mine["start"], mine["end"], mine["code_id"], strict=True))
        assert not spans - live, coder
        assert len(mine) == len(planned) + len(turns) + extra  # + anna's recoded passage


def test_the_script_never_appends_to_existing_logs(tmp_path, capsys):
    project = Project.init(tmp_path / "study", name="Proef", coders=["anna", "bram"])
    log = project.logs_dir / "anna.jsonl"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    assert _script().main(["--project", str(project.root)]) == 1
    assert "--force" in capsys.readouterr().err
    assert log.read_text(encoding="utf-8") == ""
    assert not (project.logs_dir / "bram.jsonl").exists()


def test_a_phrase_must_occur_once():
    script = _script()
    assert script.locate("ja, nee, ja", "nee", "d") == (4, 7)
    assert script.locate("een. twee. drie.", "een." + script.GAP + "drie.", "d") == (0, 16)
    with pytest.raises(script.CodingError, match="occurs 2 times"):
        script.locate("ja, nee, ja", "ja", "d")
    with pytest.raises(script.CodingError, match="does not occur"):
        script.locate("ja, nee, ja", "misschien", "d")
