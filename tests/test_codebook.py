"""The codebook: the example codebook, every validation rule, history and round-trip edits."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from raakvlak.coding.codebook import Code, Codebook, Problem, slugify
from raakvlak.errors import CodebookError, RaakvlakError

EXAMPLE_CODEBOOK = Path(__file__).resolve().parents[1] / "coding" / "codebook.yaml"

GROUPS = ["gerdes", "damour", "boundary", "barrier", "success", "pattern", "inductive"]
FIELD_BARRIERS = ["barrier.providers", "barrier.one_plan", "barrier.follow_up", "barrier.regie",
                  "barrier.expectations", "barrier.turnover", "barrier.beschikking",
                  "barrier.budget", "barrier.privacy", "barrier.laws", "barrier.job"]
PATTERN_STEPS = ["pattern.moment", "pattern.action", "pattern.reason", "pattern.reaction",
                 "pattern.outcome", "pattern.recurring", "pattern.lever", "pattern.agreement"]


def write(tmp_path: Path, text: str, name: str = "codebook.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[Problem]:
    return Codebook.read(write(tmp_path, text))[1]


@pytest.fixture(scope="module")
def example() -> Codebook:
    return Codebook.load(EXAMPLE_CODEBOOK)


# ---------------------------------------------------------------- the example codebook
def test_example_codebook_validates(example):
    assert example.validate() == []
    assert len(example) > 60


def test_example_has_the_groups_in_order(example):
    assert [code.id for code in example.roots()] == GROUPS


def test_example_covers_field_barriers_and_pattern_steps(example):
    assert [c.id for c in example.children("barrier")] == FIELD_BARRIERS
    assert [c.id for c in example.children("pattern")] == PATTERN_STEPS
    assert len(example.children("success")) >= 7


def test_example_damour_has_four_dimensions_and_ten_indicators(example):
    dimensions = example.children("damour")
    assert len(dimensions) == 4
    assert sum(len(example.children(d.id)) for d in dimensions) == 10


def test_example_boundary_crossing_has_four_mechanisms(example):
    ids = {c.id for c in example.children("boundary")}
    assert {"boundary.identification", "boundary.coordination", "boundary.reflection",
            "boundary.transformation", "boundary.object"} == ids


def test_example_every_code_is_documented(example):
    for code in example:
        assert code.label_nl and code.label_en, code.id
        assert code.definition, code.id
    for parent in ("barrier", "pattern"):
        for code in example.children(parent):
            assert code.when_to_use and code.when_not_to_use and code.examples, code.id


def test_example_gerdes_levels_are_marked_to_complete(example):
    code = example["gerdes.cowork_level"]
    assert code.to_complete
    assert "not in our sources" in code.note


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_example_colours_are_distinct_and_readable_on_light_and_dark(example):
    colours = [code.colour for code in example]
    assert len(set(colours)) == len(colours)
    for code in example:
        assert _contrast(code.colour, "#ffffff") >= 3.0, code.id
        assert _contrast(code.colour, "#1e1e1e") >= 3.0, code.id


def test_example_history_resolves(example):
    assert example["inductive.waiting_list"].status == "merged"
    assert example.resolve("inductive.waiting_list") == "barrier.beschikking"


def test_example_saves_byte_identically(example, tmp_path):
    target = example.save(tmp_path / "codebook.yaml")
    assert target.read_bytes() == EXAMPLE_CODEBOOK.read_bytes()


# ---------------------------------------------------------------- tree and lookup
def test_tree_navigation(example):
    assert [c.id for c in example.ancestors("damour.governance.leadership")] == [
        "damour", "damour.governance"]
    assert example.depth("damour.governance.leadership") == 2
    assert example.path("gerdes.proximity.personal", language="en") == (
        "Gerdes: interdisciplinary collaboration > Proximity > Personal proximity")
    below = [c.id for c in example.descendants("gerdes.proximity")]
    assert below == ["gerdes.proximity.spatial", "gerdes.proximity.organisational",
                     "gerdes.proximity.personal"]
    assert example.ids == [code.id for code in example]          # file order
    lines = [code.line for code in example]
    assert lines == sorted(lines)
    assert "barrier.regie" in example and "barrier.nope" not in example


def test_code_line_points_at_its_id(example):
    lines = EXAMPLE_CODEBOOK.read_text(encoding="utf-8").split("\n")
    for code in example:
        assert lines[code.line - 1].strip() == f"- id: {code.id}"


def test_unknown_code_raises_with_suggestion(example):
    with pytest.raises(CodebookError, match=r"no code 'barrier\.provider'.*barrier\.providers"):
        example["barrier.provider"]
    assert issubclass(CodebookError, RaakvlakError)


def test_label_languages_and_fallback(tmp_path):
    book = Codebook.read(write(tmp_path, """
        codes:
          - id: a
            label: {nl: Kennisdeling, en: ""}
        """))[0]
    assert book.label("a", "nl") == "Kennisdeling"
    assert book.label("a", "en") == "Kennisdeling"      # falls back, and is reported
    assert book.validate()[0].message.startswith("empty label: label.en")


def test_to_frame_columns_and_values(example):
    frame = example.to_frame(language="en")
    assert list(frame.columns) == [
        "code_id", "parent_id", "depth", "path", "label_nl", "label_en", "colour", "status",
        "live", "resolved_id", "replaced_by", "framework", "level", "definition",
        "full_definition", "when_to_use", "when_not_to_use", "examples", "to_complete",
        "note", "line"]
    assert len(frame) == len(example)
    row = frame.set_index("code_id").loc["inductive.waiting_list"]
    assert (row.depth, row.parent_id, row.live, row.resolved_id) == (
        1, "inductive", False, "barrier.beschikking")
    assert row.path == "Inductive codes > Waiting list"
    assert frame["depth"].dtype == "int64" and frame["to_complete"].dtype == bool


# ---------------------------------------------------------------- validation rules
def test_problem_reads_file_line_code_message():
    problem = Problem("coding/codebook.yaml", 42, "barrier.x", "colour 'red-ish' is not #rrggbb")
    assert str(problem) == "coding/codebook.yaml:42: code 'barrier.x': colour 'red-ish' is not #rrggbb"
    assert str(Problem("c.yaml", None, None, "not found")) == "c.yaml: not found"


def test_duplicate_id(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: barrier
            label: {nl: Knelpunten, en: Barriers}
          - id: barrier
            label: {nl: Nog eens, en: Again}
        """)
    assert len(problems) == 1
    assert problems[0].line == 4 and problems[0].code_id == "barrier"
    assert "duplicate id: already used at line 2" in str(problems[0])
    assert str(problems[0]).startswith(f"{tmp_path / 'codebook.yaml'}:4: code 'barrier':")


def test_reused_id_of_a_retired_code(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: old
            label: {nl: Oud, en: Old}
            status: retired
            children:
              - id: old
                label: {nl: Nieuw, en: New}
        """)
    assert [(p.line, p.code_id) for p in problems] == [(6, "old")]
    assert "never reused" in problems[0].message


def test_unknown_parent(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
          - id: b
            parent: nope
            label: {nl: B, en: B}
        """)
    assert [(p.line, p.code_id, p.message) for p in problems] == [
        (5, "b", "unknown parent 'nope'")]


def test_flat_parent_style_is_accepted(tmp_path):
    book, problems = Codebook.read(write(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
          - id: b
            parent: a
            label: {nl: B, en: B}
        """))
    assert problems == []
    assert book["b"].parent == "a" and [c.id for c in book.children("a")] == ["b"]


def test_nested_parent_that_disagrees(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            children:
              - id: a.b
                parent: c
                label: {nl: B, en: B}
        """)
    assert [(p.line, p.code_id) for p in problems] == [(6, "a.b")]
    assert "disagrees" in problems[0].message


def test_cycle_in_parent(tmp_path):
    book, problems = Codebook.read(write(tmp_path, """
        codes:
          - id: a
            parent: b
            label: {nl: A, en: A}
          - id: b
            parent: a
            label: {nl: B, en: B}
        """))
    assert [p.message for p in problems] == ["cycle in parent: a -> b -> a"]
    assert problems[0].line == 3
    assert len(book.ancestors("a")) == 1     # cycle-safe


def test_unknown_replaced_by_target(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            status: merged
            replaced_by: gone
        """)
    assert [(p.line, p.code_id) for p in problems] == [(5, "a")]
    assert problems[0].message == "replaced_by names an unknown code 'gone'"


def test_cycle_in_replaced_by(tmp_path):
    path = write(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            status: merged
            replaced_by: b
          - id: b
            label: {nl: B, en: B}
            status: retired
            replaced_by: a
        """)
    book, problems = Codebook.read(path)
    assert [(p.line, p.code_id, p.message) for p in problems] == [
        (5, "a", "cycle in replaced_by: a -> b -> a")]
    with pytest.raises(CodebookError, match="cycle in replaced_by"):
        book.resolve("a")


def test_invalid_colour(tmp_path):
    path = write(tmp_path, """
        codes:
          - id: barrier
            label: {nl: Knelpunten, en: Barriers}
            colour: "#c0392b"
            children:
              - id: barrier.x
                label: {nl: X, en: X}
                colour: red-ish
        """)
    book, problems = Codebook.read(path)
    assert str(problems[0]).startswith(
        f"{path}:8: code 'barrier.x': colour 'red-ish' is not #rrggbb")
    assert book["barrier.x"].colour == "#c0392b"    # still usable: the parent's colour


def test_merged_code_without_target(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            status: merged
        """)
    assert [(p.line, p.code_id) for p in problems] == [(4, "a")]
    assert "merged code needs 'replaced_by:'" in problems[0].message


def test_live_code_with_replaced_by(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
          - id: b
            label: {nl: B, en: B}
            replaced_by: a
        """)
    assert [(p.line, p.code_id) for p in problems] == [(6, "b")]
    assert "live (a_priori) code cannot have replaced_by" in problems[0].message


def test_empty_labels(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: a
            label:
              nl: ""
              en: Trust
          - id: b
          - id: c
            label: Alleen tekst
        """)
    assert [(p.line, p.code_id) for p in problems] == [(4, "a"), (6, "b"), (8, "c")]
    assert problems[0].message == "empty label: label.nl is missing or empty"
    assert all(p.message.startswith("empty label") for p in problems)


def test_malformed_yaml_names_its_line(tmp_path):
    path = write(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
           colour: "#123456"
        """)
    book, problems = Codebook.read(path)
    assert len(book) == 0 and len(problems) == 1
    assert problems[0].line == 4 and problems[0].message.startswith("not valid YAML")
    with pytest.raises(CodebookError, match=rf"{path.name}:4: not valid YAML") as caught:
        Codebook.load(path)
    assert caught.value.problems == problems


def test_duplicate_key_is_malformed_yaml(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            id: b
        """)
    assert len(problems) == 1 and problems[0].line == 4
    assert "duplicate key" in problems[0].message


def test_non_mapping_entry(tmp_path):
    book, problems = Codebook.read(write(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
          - just a string
          - id: b
            label: {nl: B, en: B}
        """))
    assert [(p.line, p.code_id) for p in problems] == [(4, None)]
    assert "entry 2 of the list is not a code" in problems[0].message
    assert book.ids == ["a", "b"]       # the good codes are still read


def test_unknown_status_level_and_field(tmp_path):
    problems = problems_of(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            status: draft
            level: mega
            color: "#112233"
        """)
    assert [(p.line, p.code_id) for p in problems] == [(4, "a"), (5, "a"), (6, "a")]
    assert problems[0].message.startswith("unknown status 'draft'")
    assert problems[1].message.startswith("unknown level 'mega'")
    assert problems[2].message == "unknown field 'color'; did you mean 'colour'?"


def test_bad_ids_and_top_level(tmp_path):
    problems = problems_of(tmp_path, """
        title: Test
        extra: 1
        codes:
          - id: Barrier X
            label: {nl: A, en: A}
          - label: {nl: B, en: B}
        """)
    assert [(p.line, p.code_id) for p in problems] == [(2, None), (4, "Barrier X"), (6, None)]
    assert "unknown top-level key 'extra'" in problems[0].message
    assert "dot-separated lower-case slugs" in problems[1].message
    assert "without 'id:'" in problems[2].message


def test_empty_and_missing_codebooks(tmp_path):
    book, problems = Codebook.read(write(tmp_path, "codes: []\n"))
    assert len(book) == 0 and problems == []
    book, problems = Codebook.read(tmp_path / "absent.yaml")
    assert len(book) == 0 and "not found" in str(problems[0])
    with pytest.raises(CodebookError, match="absent.yaml"):
        Codebook.load(tmp_path / "absent.yaml")
    assert Codebook.read(write(tmp_path, "- a\n- b\n", "list.yaml"))[1][0].message.startswith(
        "the codebook must be a mapping")


def test_load_is_strict_and_lists_every_problem(tmp_path):
    path = write(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            colour: nope
          - id: a
            label: {nl: B, en: B}
        """)
    with pytest.raises(CodebookError, match="2 problems") as caught:
        Codebook.load(path)
    assert [p.line for p in caught.value.problems] == [4, 5]
    assert f"{path}:4: code 'a': colour 'nope'" in str(caught.value)


# ---------------------------------------------------------------- history
def test_resolve_follows_merge_chains(tmp_path):
    book = Codebook.read(write(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            status: merged
            replaced_by: b
          - id: b
            label: {nl: B, en: B}
            status: retired
            replaced_by: c
          - id: c
            label: {nl: C, en: C}
          - id: d
            label: {nl: D, en: D}
            status: retired
        """))[0]
    assert book.resolve("a") == "c"
    assert book.resolve("b") == "c"
    assert book.resolve("c") == "c"
    assert book.resolve("d") == "d"        # retired without successor stays itself
    with pytest.raises(CodebookError, match="no code 'zz'"):
        book.resolve("zz")


def test_resolve_broken_chain_raises(tmp_path):
    book = Codebook.read(write(tmp_path, """
        codes:
          - id: a
            label: {nl: A, en: A}
            status: merged
            replaced_by: gone
        """))[0]
    with pytest.raises(CodebookError, match="unknown code 'gone'"):
        book.resolve("a")


COMMENTED = """
# My codebook, edited by hand.
version: 1
codes:
  - id: barrier   # the barriers
    label:
      nl: Knelpunten
      en: Barriers
    colour: "#c0392b"
    framework: field barriers
    children:
      - id: barrier.regie
        label: {nl: Regie, en: Coordination}
  # inductive codes below
  - id: inductive
    label:
      nl: Inductief
      en: Inductive
"""


def test_add_code_and_save_keep_comments(tmp_path):
    path = write(tmp_path, COMMENTED)
    book = Codebook.load(path)
    new = book.add_code("Wéér een nieuwe hulpverlener", parent="inductive",
                        examples=["Dit is alweer de derde hulpverlener dit jaar."])
    assert "inductive.weer_een_nieuwe_hulpverlener" not in book       # input unchanged
    new.save()
    reloaded = Codebook.load(path)
    code = reloaded["inductive.weer_een_nieuwe_hulpverlener"]
    assert (code.status, code.parent, code.to_complete) == ("emergent", "inductive", True)
    assert code.label_en == "Wéér een nieuwe hulpverlener"
    assert code.examples == ("Dit is alweer de derde hulpverlener dit jaar.",)
    text = path.read_text(encoding="utf-8")
    for comment in ("# My codebook, edited by hand.", "# the barriers", "# inductive codes below"):
        assert comment in text
    old_lines = textwrap.dedent(COMMENTED).lstrip("\n").split("\n")
    assert text.split("\n")[:len(old_lines) - 1] == old_lines[:-1]     # only appended
    assert text.split("\n")[code.line - 1].strip() == f"- id: {code.id}"


def test_add_code_nested_under_a_leaf_inherits(tmp_path):
    book = Codebook.load(write(tmp_path, COMMENTED))
    long = "A definition long enough to be folded over more than one line in the file. " * 2
    new = book.add_code("Regie bij school", "Coordination at school", parent="barrier.regie",
                        definition=long, level="meso")
    code = new["barrier.regie.regie_bij_school"]
    assert (code.colour, code.framework, code.to_complete) == ("#c0392b", "field barriers", False)
    assert code.definition == long.strip()
    assert new.validate() == []
    assert "definition: >-" in new.text
    assert [c.id for c in new.children("barrier.regie")] == ["barrier.regie.regie_bij_school"]


def test_add_code_refuses_bad_input(tmp_path):
    book = Codebook.load(write(tmp_path, COMMENTED)).merge("barrier.regie", "barrier")
    with pytest.raises(CodebookError, match="never reused"):
        book.add_code("Regie", code_id="barrier.regie")          # a merged code's id
    with pytest.raises(CodebookError, match="no code 'nope'"):
        book.add_code("X", parent="nope")
    with pytest.raises(CodebookError, match="not #rrggbb"):
        book.add_code("X", colour="red")
    with pytest.raises(CodebookError, match="must be a_priori or emergent"):
        book.add_code("X", status="merged")
    with pytest.raises(CodebookError, match="Dutch label"):
        book.add_code("  ")
    with pytest.raises(CodebookError, match="not a dotted"):
        book.add_code("X", code_id="Not An Id")


def test_add_code_to_broken_yaml_is_refused(tmp_path):
    book = Codebook.read(write(tmp_path, "codes:\n  - id: a\n   label: x\n"))[0]
    with pytest.raises(CodebookError, match="not valid YAML"):
        book.add_code("X")


def test_merge_keeps_id_and_comments(tmp_path):
    path = write(tmp_path, COMMENTED)
    merged = Codebook.load(path).merge("barrier.regie", "barrier")
    merged.save(path)
    reloaded = Codebook.load(path)
    code = reloaded["barrier.regie"]
    assert (code.status, code.replaced_by, code.live) == ("merged", "barrier", False)
    assert reloaded.resolve("barrier.regie") == "barrier"
    assert "# inductive codes below" in path.read_text(encoding="utf-8")
    with pytest.raises(CodebookError, match="already merged"):
        reloaded.merge("barrier.regie", "inductive")
    with pytest.raises(CodebookError, match="merge into the code it lives on in \\('barrier'\\)"):
        reloaded.merge("inductive", "barrier.regie")
    with pytest.raises(CodebookError, match="into itself"):
        reloaded.merge("inductive", "inductive")


def test_retire_as_rename(tmp_path):
    book = Codebook.load(write(tmp_path, COMMENTED))
    renamed = book.add_code("Regie", "Case coordination", parent="barrier",
                            code_id="barrier.case_coordination", definition="Who leads.")
    renamed = renamed.retire("barrier.regie", replaced_by="barrier.case_coordination")
    assert renamed.validate() == []
    assert renamed["barrier.regie"].status == "retired"
    assert renamed.resolve("barrier.regie") == "barrier.case_coordination"
    assert renamed.retire("inductive")["inductive"].replaced_by is None


def test_new_id_is_free_and_never_reuses(tmp_path):
    book = Codebook.load(write(tmp_path, COMMENTED)).merge("barrier.regie", "barrier")
    assert book.new_id("Regie", parent="barrier") == "barrier.regie_2"
    assert book.new_id("Nieuw: wachtlijst!") == "nieuw_wachtlijst"
    assert slugify("???") == "code"
    with pytest.raises(CodebookError):
        book.new_id("x", parent="nope")


def test_code_is_frozen():
    code = Code("a", "A", "A")
    with pytest.raises(AttributeError):
        code.label_nl = "B"  # type: ignore[misc]
    assert code.live and code.label("en") == "A"


def _only_insertions(old: str, new: str) -> bool:
    """True when every line of ``old`` is still in ``new``, in the same order."""
    remaining = iter(new.split("\n"))
    return all(any(line == other for other in remaining) for line in old.split("\n"))


def test_edits_keep_every_comment_in_place():
    book = Codebook.from_text(COMMENTED.lstrip("\n") + "  # end of the codebook\n", "c.yaml")
    edits = [
        lambda b: b.merge("barrier.regie", "barrier"),                # code followed by a comment
        lambda b: b.add_code("Regie bij school", parent="barrier.regie"),  # first child there
        lambda b: b.add_code("Tweede", parent="barrier.regie"),
        lambda b: b.add_code("Derde", parent="barrier"),              # list followed by a comment
        lambda b: b.add_code("Top"),                                  # file ends with a comment
        lambda b: b.add_code("Onder inductief", parent="inductive"),
    ]
    for edit in edits:
        new = edit(book)
        assert new.validate() == []
        assert _only_insertions(book.text, new.text), new.text
        book = new
    lines = book.text.split("\n")
    assert lines.index("  # inductive codes below") == lines.index("  - id: inductive") - 1
    assert lines[-2:] == ["  # end of the codebook", ""]
    assert book.ids == ["barrier", "barrier.regie", "barrier.regie.regie_bij_school",
                        "barrier.regie.tweede", "barrier.derde", "inductive",
                        "inductive.onder_inductief", "top"]


def test_awkward_labels_survive_save_and_reload(tmp_path):
    path = write(tmp_path, COMMENTED)
    label = "Regie: wie? #privacy 'dat mag ik niet zeggen' \"echt\""
    Codebook.load(path).add_code(label, parent="inductive", code_id="inductive.awkward").save()
    code = Codebook.load(path)["inductive.awkward"]
    assert code.label_nl == code.label_en == label


def test_unreadable_bytes_are_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_bytes(b"codes:\n  - id: a\n    label: {nl: \xff, en: A}\n")
    book, problems = Codebook.read(path)
    assert len(book) == 0 and "cannot read the codebook" in str(problems[0])
    assert [] not in book and None not in book
