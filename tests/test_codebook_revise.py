"""Revising codes in place: rename, move, recolour, describe; ids stay, comments stay."""

from __future__ import annotations

import pytest

from raakvlak.coding.codebook import Codebook
from raakvlak.errors import CodebookError

HAND_MADE = """\
# My codebook, edited by hand.
version: 1
codes:
  # --- the barriers
  - id: barrier   # the barriers
    label:
      nl: Knelpunten
      en: Barriers
    colour: "#c0392b"
    children:
      # coordination first
      - id: barrier.regie
        label: {nl: Regie, en: Coordination}
        definition: Nobody coordinates.
      - id: barrier.job
        label:
          nl: Wiens taak
          en: Whose job
        children:
          - id: barrier.job.school
            label: {nl: School, en: School}
  # inductive codes below
  - id: inductive
    label:
      nl: Inductief
      en: Inductive
  - id: flat
    parent: inductive
    label: {nl: Plat, en: Flat}
  # end of the codebook
"""


@pytest.fixture
def book() -> Codebook:
    return Codebook.from_text(HAND_MADE, "codebook.yaml")


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip().startswith("#")
            or "  # " in line]


def test_rename_changes_labels_not_the_id(book):
    renamed = book.rename("barrier.regie", "Regie bij niemand", "Nobody coordinates",
                          note="2026-05-01 anna: renamed from 'Regie'.")
    code = renamed["barrier.regie"]
    assert (code.id, code.label_nl, code.label_en) == ("barrier.regie", "Regie bij niemand",
                                                       "Nobody coordinates")
    assert code.note == "2026-05-01 anna: renamed from 'Regie'."
    assert renamed.validate() == [] and renamed.ids == book.ids
    assert comments(renamed.text) == comments(book.text)
    assert renamed.rename("barrier.regie", "Alleen NL")["barrier.regie"].label_en == "Nobody coordinates"


def test_rename_refuses_an_empty_or_taken_label(book):
    with pytest.raises(CodebookError, match="cannot be empty"):
        book.rename("barrier.regie", "  ")
    with pytest.raises(CodebookError, match="already under 'barrier' \\('barrier.job'\\)"):
        book.rename("barrier.regie", "whose JOB")
    book.rename("barrier.regie", "Inductief")  # the same name elsewhere in the tree is fine


def test_recolour_and_describe(book):
    new = book.recolour("barrier.job", "#1F77B4").describe(
        "barrier.job", definition="Whose task it is.", when_to_use="A task is disputed.",
        when_not_to_use="Not for coordination (barrier.regie).", examples=["Dat is niet aan ons."],
        level="meso")
    code = new["barrier.job"]
    assert code.colour == new["barrier.job.school"].colour == "#1f77b4"  # inherited
    assert (code.definition, code.when_to_use, code.examples, code.level) == (
        "Whose task it is.", "A task is disputed.", ("Dat is niet aan ons.",), "meso")
    assert new.validate() == [] and comments(new.text) == comments(book.text)
    job = new.text.split("\n").index("      - id: barrier.job")
    keys = [line.strip().split(":")[0] for line in new.text.split("\n")[job:job + 12]]
    assert keys[:8] == ["- id", "label", "nl", "en", "colour", "level", "definition", "when_to_use"]
    cleared = new.describe("barrier.job", definition="", examples=[])
    assert cleared["barrier.job"].definition == "" and cleared["barrier.job"].examples == ()
    with pytest.raises(CodebookError, match="not #rrggbb"):
        book.recolour("barrier.job", "red")
    with pytest.raises(CodebookError, match="known fields"):
        book.describe("barrier.job", colour="#000000")
    with pytest.raises(CodebookError, match="level"):
        book.describe("barrier.job", level="mega")


def test_move_takes_the_subtree_and_its_own_comment(book):
    moved = book.move("barrier.regie", "inductive", note="moved by anna")
    assert moved.validate() == []
    assert moved["barrier.regie"].parent == "inductive"
    assert [c.id for c in moved.children("barrier")] == ["barrier.job"]
    assert moved.ids.index("barrier.regie") > moved.ids.index("inductive")
    text = moved.text.split("\n")
    assert text[text.index("      - id: barrier.regie") - 1].strip() == "# coordination first"
    assert sorted(comments(moved.text)) == sorted(comments(book.text))
    # with its sub-codes, to the top level
    top = book.move("barrier.job", None)
    assert top["barrier.job"].parent is None and top["barrier.job.school"].parent == "barrier.job"
    assert top.validate() == [] and sorted(comments(top.text)) == sorted(comments(book.text))
    lines = top.text.split("\n")
    assert lines[-2] == "  # end of the codebook"


def test_move_the_last_child_and_a_flat_code(book):
    alone = book.move("barrier.job.school", "barrier")
    assert "children" not in alone.text.split("id: barrier.job")[1].split("id: barrier.job.school")[0]
    assert alone.validate() == [] and alone["barrier.job.school"].parent == "barrier"
    flat = book.move("flat", "barrier.regie")
    assert flat["flat"].parent == "barrier.regie" and flat.validate() == []
    assert flat.text.count("parent: barrier.regie") == 1  # stays a flat entry
    under_flat = book.move("barrier", "flat")  # nested under a flat entry: one level in the file
    lines = under_flat.text.split("\n")
    assert lines[lines.index("      - id: barrier # the barriers") - 1] == "      # --- the barriers"
    assert under_flat.validate() == [] and under_flat.ancestors("barrier.job")[0].id == "inductive"


def test_move_refuses_cycles_dead_parents_and_no_change(book):
    with pytest.raises(CodebookError, match="itself or one of its sub-codes"):
        book.move("barrier", "barrier.job.school")
    with pytest.raises(CodebookError, match="already under 'barrier'"):
        book.move("barrier.regie", "barrier")
    merged = book.merge("inductive", "barrier")
    with pytest.raises(CodebookError, match="which is merged"):
        merged.move("barrier.regie", "inductive")
    with pytest.raises(CodebookError, match="no code 'nope'"):
        book.move("nope", None)


def test_every_revision_round_trips_through_the_file(book, tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(HAND_MADE, encoding="utf-8")
    edited = (Codebook.load(path).move("barrier.regie", "inductive").rename("barrier.job", "Taak")
              .recolour("inductive", "#7d3c98").describe("flat", definition="Flat code. " * 20))
    edited.save()
    again = Codebook.load(path)
    assert again.ids == edited.ids and again.text == edited.text
    assert again["flat"].definition == ("Flat code. " * 20).strip()
