"""The pattern widget driven without a browser, and the ``raakvlak patterns`` command."""

from __future__ import annotations

import argparse
import json

import pytest

from raakvlak.patterns import PatternSession, load_records
from raakvlak.patterns.commands import add_arguments, run

pytest.importorskip("ipywidgets")


@pytest.fixture
def widget(example_project):
    from raakvlak.widgets.patterns import PatternWidget

    return PatternWidget(example_project, "demo", document_id="als-b-sessie-4")


def test_fill_a_record_step_by_step(widget):
    assert "Docent 2" in widget.transcript.value and widget.record.value == "(new record)"
    assert "records per site" in widget.lists.value.lower() and "3+ times: a pattern" in widget.lists.value
    widget.title.value = "Stage zonder zorg"
    widget.texts["moment"].value = "De stage loopt mis."
    widget.actors.value = ("Docent 2", "Hulpverlener 3")
    widget.codes.value = "barrier.budget, barrier.expectations"
    record = widget.save()
    assert record is not None and widget.record_id == record.record_id
    assert record.steps["moment"] == "De stage loopt mis." and record.codes == ("barrier.budget", "barrier.expectations")
    assert [a.role for a in record.actors] == ["docent VSO", "ambulant hulpverlener"]
    turn = widget.turn_of["outcome"].options[5][1]
    widget.turn_of["outcome"].value = turn
    widget.link_turn("outcome")
    assert "linked a turn" in widget.message.value
    record = widget.session.record(record.record_id)
    turns = widget.session.turns("als-b-sessie-4").set_index("segment_id")
    assert record.links[0].step == "outcome" and record.links[0].start == turns.loc[turn, "start"]
    assert widget.texts["moment"].value == "De stage loopt mis."  # the form shows the saved record


def test_link_a_chosen_turn_and_a_coding(example_project):
    from raakvlak.widgets.patterns import PatternWidget

    widget = PatternWidget(example_project, "demo", document_id="als-a-sessie-1")
    widget.link_turn("moment")
    assert "choose a turn" in widget.message.value  # nothing chosen: nothing written
    assert not (example_project.coding_dir / "patterns" / "demo.jsonl").exists()
    label, segment_id = widget.turn_of["moment"].options[7]
    widget.turn_of["moment"].value = segment_id
    widget.link_turn("moment")  # a new record is saved first
    coding_label, coding_id = widget.coding_of["reaction"].options[1]
    widget.coding_of["reaction"].value = coding_id
    widget.link_coding("reaction")
    record = widget.session.record(widget.record_id)
    turns = widget.session.turns("als-a-sessie-1").set_index("segment_id")
    moment = record.links_of("moment")[0]
    assert (moment.start, moment.end) == (turns.loc[segment_id, "start"], turns.loc[segment_id, "end"])
    assert record.links_of("reaction")[0].coding == coding_id
    assert "(coding)" in widget.linked["reaction"].value


def test_agreements_and_grouping(widget):
    widget.title.value = "Met afspraak"
    widget.save()
    widget.agreement.value = "Overleg op 10 juni"
    widget.by.value = "Docent 2"
    widget.review.value = "2026-06-10"
    widget.add_agreement()
    widget.review.value = "10 juni"
    widget.agreement.value = "Nog een"
    widget.add_agreement()
    assert "review_date" in widget.message.value  # refused, with the reason
    widget.pattern.value = "Ieder in zijn eigen lijstje"
    widget.group()
    record = widget.session.record(widget.record_id)
    assert [a.agreement for a in record.follow_up] == ["Overleg op 10 juni"]
    assert record.pattern == "Ieder in zijn eigen lijstje"
    assert "Ieder in zijn eigen lijstje: 1× (once: chance)" in widget.lists.value


def _args(project, *argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--project")
    add_arguments(parser)
    return parser.parse_args(["--project", str(project.root), *argv])


def test_the_command_lists_patterns_records_and_suggestions(example_project, capsys):
    assert run(_args(example_project, "--json")) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["records"] == 8
    assert [p["occurrences"] for p in listed["patterns"]] == [3, 3, 2]
    assert run(_args(example_project)) == 0
    out = capsys.readouterr().out
    assert out.startswith("3 patterns in 8 records") and "2x (twee keer: opvallend)" in out
    assert run(_args(example_project, "records")) == 0
    out = capsys.readouterr().out
    assert "VSO:" in out and "8/8 steps" in out
    assert run(_args(example_project, "suggest", "--k", "3", "--json")) == 0
    assert {row["suggested"] for row in json.loads(capsys.readouterr().out)} == {0, 1, 2}


def test_the_command_writes_the_report(example_project, tmp_path, capsys):
    target = tmp_path / "patronen.md"
    assert run(_args(example_project, "report", str(target), "--no-diagrams")) == 0
    assert "wrote" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8").startswith("# Interactiepatronen")
    assert not (tmp_path / "patronen-diagrams").exists()


def test_the_command_can_show_one_coder(example_project, capsys):
    PatternSession(example_project, "demo").create("als-a-sessie-1", title="Alleen van demo")
    assert len(load_records(example_project).live()) == 9
    assert run(_args(example_project, "--coder", "demo", "records", "--json")) == 0
    assert [r["title"] for r in json.loads(capsys.readouterr().out)] == ["Alleen van demo"]
