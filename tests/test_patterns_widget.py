"""The pattern widget driven without a browser, and the ``raakvlak patterns`` command.

The transcript pane's selection is set as the browser sets it (UTF-16 offsets in the
synced trait ``selection``); tests/e2e/test_patterns_browser.py does it with the mouse.
"""

from __future__ import annotations

import argparse
import json
import re

import pytest

from raakvlak import Project
from raakvlak.corpus.canonical import canonicalise
from raakvlak.corpus.store import CorpusStore, DocumentRecord
from raakvlak.patterns import PatternSession, load_records
from raakvlak.patterns.commands import add_arguments, run

pytest.importorskip("anywidget")

# the emoji is astral (two UTF-16 units), so browser and code-point offsets differ after it
TEXT = canonicalise(
    "[00:00:05] Docent 1: Goedemorgen 😀 allemaal. De coördinator belt de cliënt niet terug.\n\n"
    "[00:00:40] Hulpverlener 1: Dat is écht de taak van de gemeente 🙂, zegt de coördinator.\n"
)
PHRASE = "coördinator belt de cliënt"


def utf16(text: str, phrase: str) -> dict:
    """The selection as the browser reports it: UTF-16 start and end of ``phrase``."""
    start = len(text[: text.index(phrase)].encode("utf-16-le")) // 2
    return {"start": start, "end": start + len(phrase.encode("utf-16-le")) // 2, "text": phrase}


def link_events(project: Project, coder: str = "demo") -> list[dict]:
    path = project.coding_dir / "patterns" / f"{coder}.jsonl"
    if not path.exists():
        return []
    events = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [event for event in events if event["kind"] == "link"]


@pytest.fixture
def widget(example_project):
    from raakvlak.widgets.patterns import PatternWidget

    return PatternWidget(example_project, "demo", document_id="als-b-sessie-4")


@pytest.fixture
def emoji_widget(tmp_path):
    from raakvlak.widgets.patterns import PatternWidget

    project = Project.init(tmp_path / "p", name="Test", coders=["demo"])
    speakers = [{"speaker": "Docent 1", "role": "Docent"}, {"speaker": "Hulpverlener 1", "role": "Jeugdhulp"}]
    CorpusStore(project.corpus_dir).add([
        DocumentRecord("sessie-1", TEXT, title="Sessie 1", kind="transcript",
                       variables={"site": "Noord"}, speakers=speakers)])
    return PatternWidget(project, "demo")


def test_fill_a_record_step_by_step(widget):
    assert "Docent 2" in widget.transcript.html and widget.record.value == "(new record)"
    assert 'data-doc="als-b-sessie-4"' in widget.transcript.html
    assert "records per site" in widget.lists.value.lower() and "3+ times: a pattern" in widget.lists.value
    widget.title.value = "Stage zonder zorg"
    widget.texts["moment"].value = "De stage loopt mis."
    widget.actors.value = ("Docent 2", "Hulpverlener 3")
    widget.codes.value = "barrier.budget, barrier.expectations"
    record = widget.save()
    assert record is not None and widget.record_id == record.record_id
    assert record.steps["moment"] == "De stage loopt mis." and record.codes == ("barrier.budget", "barrier.expectations")
    assert [a.role for a in record.actors] == ["docent VSO", "ambulant hulpverlener"]
    turns = widget.session.turns("als-b-sessie-4").set_index("segment_id")
    turn = turns.index[5]
    widget.link_turn("outcome", turn)
    assert "linked a turn" in widget.message.value
    record = widget.session.record(record.record_id)
    assert record.links[0].step == "outcome" and record.links[0].start == turns.loc[turn, "start"]
    assert widget.texts["moment"].value == "De stage loopt mis."  # the form shows the saved record


def test_a_selection_in_utf16_links_exactly_that_quote_in_code_points(emoji_widget):
    widget = emoji_widget
    text = widget.session.text("sessie-1")
    browser = utf16(text, PHRASE)
    assert browser["start"] == text.index(PHRASE) + 1  # the emoji before it counts twice
    widget.transcript.selection = browser
    assert PHRASE in widget.selected.value
    event = widget.link_selection("moment")  # no record yet: one is saved first
    assert event is not None and "linked the selected passage to Moment" in widget.message.value
    assert (event["start"], event["end"], event["quote"]) == (text.index(PHRASE), text.index(PHRASE) + len(PHRASE), PHRASE)
    assert text[event["start"]:event["end"]] == PHRASE
    [written] = link_events(widget.project)
    assert (written["record"], written["step"], written["quote"]) == (widget.record_id, "moment", PHRASE)
    assert widget.transcript.selection == {}  # linked: the selection is used up
    assert PHRASE in widget.linked["moment"].value
    # after the emoji of the second turn too
    widget.transcript.selection = utf16(text, "zegt de coördinator")
    widget.link_selection("reaction")
    quotes = [e["quote"] for e in link_events(widget.project)]
    assert quotes == [PHRASE, "zegt de coördinator"]


def test_linking_keeps_what_was_typed_in_an_open_record(emoji_widget):
    widget = emoji_widget
    widget.title.value = "Niet teruggebeld"
    record = widget.save()
    widget.texts["action"].value = "De coördinator belt niet terug."  # typed, not saved
    widget.transcript.selection = utf16(widget.session.text("sessie-1"), PHRASE)
    widget.link_selection("action")
    saved = widget.session.record(record.record_id)
    assert saved.steps["action"] == "De coördinator belt niet terug." and len(saved.links) == 1
    assert widget.texts["action"].value == "De coördinator belt niet terug."
    widget.pattern.value = "Wachten op elkaar"  # typed, not yet grouped: a link keeps it
    widget.transcript.selection = utf16(widget.session.text("sessie-1"), PHRASE)
    widget.link_selection("outcome")
    assert widget.pattern.value == "Wachten op elkaar"
    widget.record.value = "(new record)"  # another record: its own (empty) pattern
    assert widget.pattern.value == ""
    widget.pattern.value = "Ieder zijn lijstje"  # a new record, created by its first link
    widget.transcript.selection = utf16(widget.session.text("sessie-1"), PHRASE)
    widget.link_selection("moment")
    assert widget.record_id not in (None, record.record_id) and widget.pattern.value == "Ieder zijn lijstje"
    widget.group()
    assert widget.session.record(widget.record_id).pattern == "Ieder zijn lijstje"


def test_nothing_selected_or_half_an_emoji_writes_nothing(emoji_widget):
    widget = emoji_widget
    assert widget.link_selection("moment") is None
    assert "select a passage in the transcript first" in widget.message.value
    widget.transcript.selection = {}  # a click without a drag
    assert widget.link_selection("moment") is None
    text = widget.session.text("sessie-1")
    inside = utf16(text, "😀")["start"] + 1  # between the two halves of the emoji
    widget.transcript.selection = {"start": inside, "end": inside + 5, "text": "?"}
    assert "falls inside the character" in widget.selected.value
    assert widget.link_selection("moment") is None
    assert "not linked" in widget.message.value and "select whole characters" in widget.message.value
    assert not (widget.project.coding_dir / "patterns" / "demo.jsonl").exists()
    assert widget.record_id is None


def test_linked_passages_are_marked_in_the_pane(emoji_widget):
    widget = emoji_widget
    assert 'class="rv-p rv-c ' not in widget.transcript.html  # a new record rests on nothing yet
    widget.transcript.selection = utf16(widget.session.text("sessie-1"), PHRASE)
    event = widget.link_selection("reason")
    html = widget.transcript.html
    marks = re.findall(r'<span class="rv-p rv-c [^"]*"[^>]*data-c="([^"]+)"[^>]*>([^<]*)</span>', html)
    assert marks == [(event["id"], PHRASE)]
    assert "1 passage linked to" in html and "turns coded" not in html
    widget.record.value = "(new record)"  # another record: its own (no) marks
    assert event["id"] not in widget.transcript.html
    widget.record.value = event["record"]
    assert event["id"] in widget.transcript.html


def test_select_turn_links_the_whole_turn(emoji_widget):
    """What the pane's "select turn" button sends: the turn's UTF-16 span from the HTML."""
    widget = emoji_widget
    html = widget.transcript.html
    turns = re.findall(r'<div class="rv-turn[^"]*" data-s="([^"]+)" data-o="(\d+)" data-e="(\d+)"', html)
    segment_id, start, end = turns[1]
    widget.transcript.selection = {"start": int(start), "end": int(end), "text": ""}
    event = widget.link_selection("outcome")
    row = widget.session.turns("sessie-1").set_index("segment_id").loc[segment_id]
    assert (event["start"], event["end"]) == (row["start"], row["end"])
    assert event["quote"] == "Dat is écht de taak van de gemeente 🙂, zegt de coördinator."


def test_link_a_turn_and_a_coding(example_project):
    from raakvlak.widgets.patterns import PatternWidget

    widget = PatternWidget(example_project, "demo", document_id="als-a-sessie-1")
    widget.link_turn("moment", "")
    assert "choose a turn" in widget.message.value  # nothing chosen: nothing written
    widget.link_coding("reaction")
    assert "choose a coding" in widget.message.value
    assert not (example_project.coding_dir / "patterns" / "demo.jsonl").exists()
    turns = widget.session.turns("als-a-sessie-1").set_index("segment_id")
    segment_id = turns.index[6]
    widget.link_turn("moment", segment_id)  # a new record is saved first
    coding_label, coding_id = widget.coding_of["reaction"].options[1]
    widget.coding_of["reaction"].value = coding_id
    widget.link_coding("reaction")
    record = widget.session.record(widget.record_id)
    moment = record.links_of("moment")[0]
    assert (moment.start, moment.end) == (turns.loc[segment_id, "start"], turns.loc[segment_id, "end"])
    assert record.links_of("reaction")[0].coding == coding_id
    assert "(coding)" in widget.linked["reaction"].value
    # both are marked in the transcript, the coding at its place in the text
    marked = set(re.findall(r'data-c="([^"]+)"', widget.transcript.html))
    assert {link.link_id for link in record.links} <= {i for ids in marked for i in ids.split()}


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
