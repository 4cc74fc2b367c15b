"""A project's codebook changed through raakvlak: checked, under the lock, history noted."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from raakvlak import Project
from raakvlak.coding.codebook import Codebook
from raakvlak.coding.codebook_changes import CodebookChanges
from raakvlak.errors import CodebookError
from raakvlak.locks import ProjectBusy

CODEBOOK = """\
# hand-made
codes:
  - id: barrier   # the barriers
    label: {nl: Knelpunten, en: Barriers}
    colour: "#c0392b"
    children:
      - id: barrier.regie
        label: {nl: Regie, en: Coordination}
  - id: inductive
    label: {nl: Inductief, en: Inductive}
"""


@pytest.fixture
def project(tmp_path):
    project = Project.init(tmp_path / "p", name="Test", coders=["anna"])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    return project


@pytest.fixture
def changes(project):
    return CodebookChanges(project, "anna")


def on_disk(project):
    return Codebook.load(project.codebook_path)


def test_a_new_code_with_everything_a_coder_fills_in(changes, project):
    code = changes.new_code("Wachtlijst", parent="barrier", colour="#112233",
                            definition="Waiting for care.", when_to_use="Waiting is named.",
                            when_not_to_use="Not for school places.", examples=["Al maanden."])
    saved = on_disk(project)[code.id]
    assert (saved.id, saved.parent, saved.colour, saved.status) == (
        "barrier.wachtlijst", "barrier", "#112233", "emergent")
    assert (saved.definition, saved.when_to_use, saved.when_not_to_use, saved.examples) == (
        "Waiting for care.", "Waiting is named.", "Not for school places.", ("Al maanden.",))
    assert "# the barriers" in project.codebook_path.read_text(encoding="utf-8")
    assert changes.new_code("Nieuw op top").id == "nieuw_op_top"


def test_a_name_taken_by_a_sibling_an_empty_name_or_a_dead_parent_is_refused(changes, project):
    before = project.codebook_path.read_bytes()
    with pytest.raises(CodebookError, match="already under 'barrier'"):
        changes.new_code("regie", parent="barrier")
    with pytest.raises(CodebookError, match="needs a name"):
        changes.new_code("   ")
    with pytest.raises(CodebookError, match="no code 'nope'"):
        changes.new_code("X", parent="nope")
    with pytest.raises(CodebookError, match="not #rrggbb"):
        changes.new_code("X", colour="rood")
    assert project.codebook_path.read_bytes() == before
    changes.merge("inductive", "barrier")
    with pytest.raises(CodebookError, match="which is merged"):
        changes.new_code("X", parent="inductive")


def test_rename_move_merge_retire_note_their_history(changes, project):
    today = date.today().isoformat()
    changes.rename("barrier.regie", "Regie onduidelijk", "Unclear coordination")
    changes.move("barrier.regie", "inductive")
    code = on_disk(project)["barrier.regie"]
    assert (code.label_nl, code.parent) == ("Regie onduidelijk", "inductive")
    assert code.note == (f"{today} anna: renamed from 'Regie' / 'Coordination'. "
                         f"{today} anna: moved from barrier.")
    changes.merge("barrier.regie", "barrier")
    book = on_disk(project)
    assert book.resolve("barrier.regie") == "barrier" and book.validate() == []
    assert book["barrier.regie"].note.endswith(f"{today} anna: merged into barrier.")
    changes.retire("inductive")
    assert on_disk(project)["inductive"].status == "retired"


def test_a_change_reads_the_file_as_it_is_now(changes, project):
    project.codebook_path.write_text(
        CODEBOOK + "  - id: elsewhere\n    label: {nl: Elders, en: Elsewhere}\n", encoding="utf-8")
    changes.recolour("barrier", "#000000")
    book = on_disk(project)
    assert "elsewhere" in book and book["barrier"].colour == "#000000"


def test_a_change_waits_for_the_lock_and_then_says_who_holds_it(project):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from raakvlak import Project\n"
        "with Project(sys.argv[1]).lock('import of a big file'):\n"
        "    print('held', flush=True); time.sleep(30)\n"), str(project.root)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        before = project.codebook_path.read_bytes()
        with pytest.raises(ProjectBusy, match="import of a big file"):
            CodebookChanges(project, "anna", wait=0.3).recolour("barrier", "#000000")
        assert project.codebook_path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


def test_a_change_that_would_break_the_codebook_is_refused(changes, project):
    before = project.codebook_path.read_bytes()
    with pytest.raises(CodebookError, match="would get a problem"):
        changes.change("break it", lambda book: Codebook.from_text(
            book.text.replace("nl: Regie", "nl: ''"), book.file))
    assert project.codebook_path.read_bytes() == before
    # a problem the file had before does not block an unrelated change
    project.codebook_path.write_text(CODEBOOK + "  - id: bad\n    label: {nl: '', en: Bad}\n",
                                     encoding="utf-8")
    changes.describe("barrier", definition="All barriers.")
    assert on_disk_tolerant(project)["barrier"].definition == "All barriers."


def on_disk_tolerant(project):
    return Codebook.read(project.codebook_path)[0]


def test_update_makes_only_the_real_changes_in_one_write(changes, project):
    code = changes.update("barrier.regie", label_nl="Regie", label_en="Coordination",
                          parent="barrier", colour="#c0392b", definition="Who leads.",
                          examples=["Wie dan?"])
    assert code.note == ""  # labels and parent as they were: no history line
    assert (code.definition, code.examples) == ("Who leads.", ("Wie dan?",))
    code = changes.update("barrier.regie", label_nl="Regie bij niemand", parent=None,
                          colour="#00AA00", definition="Who leads.")
    today = date.today().isoformat()
    assert (code.label_nl, code.label_en, code.parent, code.colour) == (
        "Regie bij niemand", "Coordination", None, "#00aa00")
    assert code.note == (f"{today} anna: renamed from 'Regie' / 'Coordination'. "
                         f"{today} anna: moved from barrier.")
    with pytest.raises(CodebookError, match="cannot be empty"):
        changes.update("barrier.regie", label_nl=" ")
