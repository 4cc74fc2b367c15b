"""The consensus workflow: decisions land in coding/logs/consensus.jsonl and nowhere else."""

from __future__ import annotations

import json

import pytest

from raakvlak import Project
from raakvlak.analysis.consensus import CONSENSUS, REJECTED, ConsensusSession
from raakvlak.analysis.intercoder import agreement_table
from raakvlak.coding.events import code_event
from raakvlak.coding.log import CodingLog
from raakvlak.corpus.store import CorpusStore, DocumentRecord
from raakvlak.errors import CodingError

SESSION = ("Ans: De school belt het wijkteam.\n\n"
           "Bo: Uh, de privacy blokkeert alles.\n\n"
           "Ans: Nou ja, de regie is onduidelijk.\n\n"
           "Bo: Wie voert de regie dan?\n")
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


def code(project: Project, coder: str, words: str, code_id: str) -> dict:
    start = SESSION.index(words)
    return CodingLog.in_folder(project.logs_dir, coder).append(
        code_event("sessie-1", SESSION, start, start + len(words), code_id))


@pytest.fixture
def project(tmp_path) -> Project:
    project = Project.init(tmp_path / "studie", name="Studie", coders=["anna", "bram"])
    CorpusStore(project.corpus_dir).add([
        DocumentRecord("sessie-1", SESSION, kind="transcript",
                       speakers=[{"speaker": "Ans", "role": "Docent"}, {"speaker": "Bo", "role": "Jeugdhulp"}]),
    ])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    code(project, "anna", "privacy blokkeert", "barrier.avg")    # turn 2: agreed
    code(project, "bram", "de privacy", "barrier.avg")
    code(project, "anna", "regie is onduidelijk", "barrier.regie")  # turn 3: anna only
    code(project, "anna", "voert de regie", "barrier.regie")     # turn 4: anna regie, bram trust
    code(project, "bram", "Wie voert", "trust")
    return project


def log_bytes(project: Project) -> dict[str, bytes]:
    return {path.stem: path.read_bytes() for path in sorted(project.logs_dir.glob("*.jsonl"))}


def lines(project: Project, coder: str) -> list[dict]:
    path = project.logs_dir / f"{coder}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_disputes_list_the_open_codes(project):
    session = ConsensusSession(project, ["anna", "bram"])
    table = session.disputes()
    assert table["unit"].tolist() == ["sessie-1:3", "sessie-1:4"]
    assert table["codes_in_dispute"].tolist() == ["barrier.regie", "barrier.regie, trust"]
    assert table["open"].tolist() == table["codes_in_dispute"].tolist()
    progress = session.progress()
    assert (progress.units, progress.decided, progress.codes, progress.open) == (2, 0, 3, 2)


def test_accept_writes_exactly_one_event_to_the_consensus_log(project):
    before = log_bytes(project)
    session = ConsensusSession(project, ["anna", "bram"])
    written = session.accept("sessie-1:3", "barrier.regie", from_coder="anna")
    after = log_bytes(project)
    assert {k: v for k, v in after.items() if k != CONSENSUS} == before  # coders' logs untouched
    events = lines(project, CONSENSUS)
    assert len(written) == 1 and len(events) == 1
    event = events[0]
    anna = project.logs_dir / "anna.jsonl"
    source = [e for e in map(json.loads, anna.read_text(encoding="utf-8").splitlines())
              if e.get("quote") == "regie is onduidelijk"][0]
    assert (event["kind"], event["coder"], event["origin"]) == ("code", CONSENSUS, "manual")
    assert (event["start"], event["end"], event["quote"]) == (source["start"], source["end"], source["quote"])
    assert event["detail"] == {"consensus_of": ["anna", "bram"], "from": "anna",
                               "source_event": source["id"], "unit": "sessie-1:3"}
    assert session.accept("sessie-1:3", "barrier.regie", from_coder="anna") == []  # once only
    assert len(lines(project, CONSENSUS)) == 1
    progress = session.progress()
    assert (progress.decided, progress.accepted, progress.rejected) == (1, 1, 0)
    assert str(progress).startswith("1 of 2 disputed units decided")


def test_reject_writes_only_a_memo_in_the_consensus_log(project):
    before = log_bytes(project)
    session = ConsensusSession(project, ["anna", "bram"])
    written = session.reject("sessie-1:4", "trust", reason="geen vertrouwen, een vraag")
    assert {k: v for k, v in log_bytes(project).items() if k != CONSENSUS} == before
    assert [e["kind"] for e in lines(project, CONSENSUS)] == ["memo"]
    assert written[0]["on"] == "coding" and written[0]["text"].startswith(REJECTED)
    assert session.codings().empty
    table = session.disputes().set_index("unit")
    assert table.loc["sessie-1:4", "rejected"] == "trust"
    assert table.loc["sessie-1:4", "open"] == "barrier.regie"
    session.accept("sessie-1:4", "barrier.regie", "anna")
    session.accept("sessie-1:3", "barrier.regie", "anna")
    progress = session.progress()
    assert (progress.units, progress.decided, progress.accepted, progress.rejected) == (2, 2, 2, 1)
    with pytest.raises(CodingError, match="was rejected"):
        session.accept("sessie-1:4", "trust", "bram")
    with pytest.raises(CodingError, match="was accepted"):
        session.reject("sessie-1:3", "barrier.regie")
    session.reopen("sessie-1:4", "trust")
    assert session.disputes().set_index("unit").loc["sessie-1:4", "open"] == "trust"
    session.accept("sessie-1:4", "trust", "bram")
    assert session.progress().open == 0


def test_refusals_name_the_unit_code_and_coder(project):
    session = ConsensusSession(project, ["anna", "bram"])
    with pytest.raises(CodingError, match="bram did not apply 'barrier.regie' to sessie-1:3"):
        session.accept("sessie-1:3", "barrier.regie", "bram")
    with pytest.raises(CodingError, match="not one of the coders"):
        session.accept("sessie-1:3", "barrier.regie", "carl")
    with pytest.raises(CodingError, match="unknown turn"):
        session.accept("sessie-1:99", "barrier.regie", "anna")
    with pytest.raises(CodingError, match="nothing to reject"):
        session.reject("sessie-1:1", "trust")
    with pytest.raises(CodingError, match="decisions"):
        ConsensusSession(project, ["anna", CONSENSUS])
    assert not (project.logs_dir / f"{CONSENSUS}.jsonl").exists()


def test_the_agreed_coding_is_one_more_log(project):
    session = ConsensusSession(project, ["anna", "bram"])
    adopted = session.adopt_agreed()
    assert [(e["code_id"], e["quote"], e["detail"]["from"]) for e in adopted] == [
        ("barrier.avg", "privacy blokkeert", "anna")]
    assert session.adopt_agreed() == []  # nothing twice
    session.accept("sessie-1:3", "barrier.regie", "anna")
    session.accept("sessie-1:4", "barrier.regie", "anna")
    session.reject("sessie-1:4", "trust")
    assert session.progress().open == 0
    agreed = session.codings()
    assert sorted(agreed["code_id"]) == ["barrier.avg", "barrier.regie", "barrier.regie"]
    table = agreement_table(project, ["anna", CONSENSUS]).set_index("code_id")
    assert table.loc["barrier.regie", "alpha"] == 1.0  # anna's coding won every dispute
