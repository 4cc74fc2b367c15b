"""``raakvlak sync`` between clones of one project and a bare repository, as a team without a hub.

Every test works in a temporary folder: a bare repository (the team's remote) and
clones of it, with git's identity set per clone. What must hold: logs merge without a
conflict (also one coder's log grown on two machines, with a torn line), a codebook
conflict is named and leaves no markers, ``private/`` is never committed, other changes
are refused.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from raakvlak import Project
from raakvlak.cli import main
from raakvlak.coding.log import TORN, read_log
from raakvlak.coding.session import CodingSession
from raakvlak.corpus.canonical import canonicalise
from raakvlak.corpus.store import CorpusStore, DocumentRecord
from raakvlak.sync import SyncError, sync

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

TEXT = canonicalise(
    "Docent 1: De school belt het wijkteam, maar de beschikking duurt weken.\n\n"
    "Hulpverlener 1: Wij hebben de regie niet. Dat is de taak van de gemeente.\n\n"
    "Docent 1: Dan weet niemand het, en het kind wacht op de wachtlijst.\n"
)
CODEBOOK = """\
codes:
  - id: barrier
    label: {nl: Knelpunten, en: Barriers}
    colour: "#c0392b"
    children:
      - id: barrier.regie
        label: {nl: Regie onduidelijk, en: Unclear coordination}
      - id: barrier.wait
        label: {nl: Wachten, en: Waiting}
"""


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def clone(bare: Path, folder: Path, name: str) -> Project:
    git(bare.parent, "clone", "-q", str(bare), str(folder))
    git(folder, "config", "user.name", name)
    git(folder, "config", "user.email", f"{name}@example.org")
    return Project(folder)


@pytest.fixture
def team(tmp_path):
    """The team's bare repository with a first project, and a clone for anna and for bram."""
    bare = tmp_path / "team.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    project = Project.init(seed, name="Team", coders=["anna", "bram"])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    CorpusStore(project.corpus_dir).add([DocumentRecord("sessie-1", TEXT, title="Sessie 1", kind="transcript")])
    (project.private_dir / "pseudonyms.csv").write_text("original,pseudonym,kind\nJan,Docent 1,person\n",
                                                        encoding="utf-8")
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", ".")
    git(seed, "-c", "user.name=seed", "-c", "user.email=seed@example.org", "commit", "-q", "-m", "project")
    git(seed, "push", "-q", str(bare), "main")
    return bare, clone(bare, tmp_path / "anna", "anna"), clone(bare, tmp_path / "bram", "bram")


def code(project: Project, coder: str, phrases: list[str], code_id: str = "barrier.regie") -> list[str]:
    session = CodingSession(project, coder)
    return [session.code("sessie-1", TEXT.index(p), TEXT.index(p) + len(p), code_id)["id"] for p in phrases]


def ids(project: Project, coder: str) -> list[str]:
    read = read_log(project.logs_dir / f"{coder}.jsonl", coder)
    return [event["id"] for event in read.events]


def clean(project: Project) -> bool:
    return git(project.root, "status", "--porcelain") == ""


def test_two_coders_sync_their_logs_through_a_bare_repository(team):
    _, anna, bram = team
    anna_ids = code(anna, "anna", ["de beschikking", "de regie", "de wachtlijst"])
    bram_ids = code(bram, "bram", ["het wijkteam", "niemand"])
    first = sync(anna, "anna")
    assert first.committed == [".gitattributes", "coding/logs/anna.jsonl"] and first.pushed
    second = sync(bram, "bram")
    assert "coding/logs/anna.jsonl" in second.pulled and second.pushed
    third = sync(anna, "anna")
    assert third.committed == [] and third.pulled == ["coding/logs/bram.jsonl"]
    for project in (anna, bram):
        assert ids(project, "anna") == anna_ids and ids(project, "bram") == bram_ids
        assert clean(project)
    assert "merge=union" in (anna.root / ".gitattributes").read_text(encoding="utf-8")
    assert not any(path.startswith("private/") for path in git(anna.root, "ls-files").split())


def test_one_coder_on_two_machines_with_a_torn_line_loses_no_event(team, tmp_path):
    bare, anna, _ = team
    laptop = clone(bare, tmp_path / "anna-laptop", "anna")
    at_work = code(anna, "anna", ["de beschikking", "de regie"])
    at_home = code(laptop, "anna", ["de wachtlijst"])
    with (laptop.logs_dir / "anna.jsonl").open("ab") as log:  # a crash in the middle of a line
        log.write(b'{"v": 1, "id": "torn')
    sync(anna, "anna")
    report = sync(laptop, "anna")  # both sides appended to anna.jsonl: a union, not a conflict
    assert report.pushed and clean(laptop)
    sync(anna, "anna")
    for project in (anna, laptop):
        assert sorted(ids(project, "anna")) == sorted(at_work + at_home)
        read = read_log(project.logs_dir / "anna.jsonl", "anna")
        assert [problem.message for problem in read.problems] == [TORN]  # reported, kept
        assert "<<<<<<<" not in (project.logs_dir / "anna.jsonl").read_text(encoding="utf-8")
    later = code(laptop, "anna", ["niemand"])  # appending after the merge still works
    assert ids(laptop, "anna")[-1] == later[0]


def test_a_codebook_conflict_names_the_codes_and_leaves_no_markers(team):
    _, anna, bram = team
    for project, label in ((anna, "Regie bij niemand"), (bram, "Niemand heeft regie")):
        path = project.codebook_path
        path.write_text(path.read_text(encoding="utf-8").replace("Regie onduidelijk", label), encoding="utf-8")
    sync(anna, "anna")
    head = git(bram.root, "rev-parse", "HEAD")
    with pytest.raises(SyncError, match=r"coding/codebook.yaml: you and another member both changed "
                                        r"barrier.regie; .*nothing was pushed"):
        sync(bram, "bram")
    assert clean(bram)
    assert "<<<<<<<" not in bram.codebook_path.read_text(encoding="utf-8")
    assert "Niemand heeft regie" in bram.codebook_path.read_text(encoding="utf-8")
    assert git(bram.root, "rev-parse", "HEAD") != head  # bram's own change is committed, kept
    assert not (bram.root / ".git" / "MERGE_HEAD").exists()


def test_other_changes_and_an_unignored_private_folder_are_refused(team):
    _, anna, _ = team
    documents = anna.corpus_dir / "documents.csv"
    documents.write_text(documents.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(SyncError, match=r"changes raakvlak sync does not commit: corpus/documents.csv; "):
        sync(anna, "anna")
    git(anna.root, "checkout", "--", "corpus/documents.csv")
    gitignore = anna.root / ".gitignore"
    gitignore.write_text(gitignore.read_text(encoding="utf-8").replace("private/", "tmp/"), encoding="utf-8")
    git(anna.root, "commit", "-q", "-am", "ignore less")
    with pytest.raises(SyncError, match=r"private/ is at risk: git does not ignore private/"):
        sync(anna, "anna")
    assert not any(path.startswith("private/") for path in git(anna.root, "ls-files").split())


def test_the_command_reports_in_lines(team, capsys):
    _, anna, _ = team
    code(anna, "anna", ["de regie"])
    assert main(["sync", "--coder", "anna", "--project", str(anna.root)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "committed .gitattributes, coding/logs/anna.jsonl"
    assert "pushed" in out
    assert main(["sync", "--coder", "carla", "--project", str(anna.root)]) == 1
    assert "'carla' is not a coder of this project" in capsys.readouterr().err
    assert main(["coders", "--add", "carla", "--project", str(anna.root)]) == 0
    assert capsys.readouterr().out.split() == ["anna", "bram", "carla"]
