"""The coding widgets driven through a mocked comm: messages in, log events out.

The widgets are built outside a kernel, so their comm is ipywidgets' dummy comm; a
message from the browser is fed to ``Widget._handle_msg`` exactly as the kernel would,
and what goes back to the browser is read from the patched ``comm.send``.
"""

from __future__ import annotations

import json

import pytest

pytest.importorskip("anywidget")

from raakvlak import Project  # noqa: E402
from raakvlak.coding.session import CodingSession  # noqa: E402
from raakvlak.corpus.canonical import canonicalise  # noqa: E402
from raakvlak.corpus.store import CorpusStore, DocumentRecord  # noqa: E402
from raakvlak.errors import CodingError  # noqa: E402
from raakvlak.widgets import (  # noqa: E402
    CodebookBrowser,
    CodebookEditor,
    CoderChoice,
    CodingWidget,
    RetrievalView,
)

CODEBOOK = """\
codes:
  - id: barrier
    label: {nl: Knelpunten, en: Barriers}
    colour: "#c0392b"
    children:
      - id: barrier.regie
        label: {nl: Regie onduidelijk, en: Unclear coordination}
        definition: Nobody clearly coordinates the case.
      - id: barrier.job
        label: {nl: Wiens taak, en: Whose job}
        colour: "#d35400"
  - id: inductive
    label: {nl: Inductief, en: Inductive}
    colour: "#7d3c98"
"""

# NFC keeps "ą" + U+0301 as two code points (no precomposed form), the emoji is astral
TEXT = canonicalise(
    "[00:00:05] Docent 1: Goedemorgen 😀😀 allemaal. Wie heeft de regie bij ą\u0301 café?\n\n"
    "[00:00:40] Hulpverlener 1: Wij hebben de regie niet. Dat is de taak van de gemeente.\n\n"
    "[00:01:10] Docent 1: Dan weet niemand het.\n"
)


def utf16(text: str, phrase: str) -> tuple[int, int]:
    """Where a browser sees ``phrase``: UTF-16 start and end."""
    start = len(text[: text.index(phrase)].encode("utf-16-le")) // 2
    return start, start + len(phrase.encode("utf-16-le")) // 2


@pytest.fixture
def project(tmp_path):
    project = Project.init(tmp_path / "p", name="Test", coders=["anna", "bert"])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    speakers = [{"speaker": "Docent 1", "role": "Docent"},
                {"speaker": "Hulpverlener 1", "role": "Jeugdhulp"}]
    CorpusStore(project.corpus_dir).add([
        DocumentRecord("sessie-1", TEXT, title="Sessie 1", kind="transcript",
                       variables={"site": "Noord"}, speakers=speakers),
        DocumentRecord("sessie-2", canonicalise("Docent 1: Nog een.\n"), title="Sessie 2",
                       kind="transcript", variables={"site": "Zuid"}, speakers=speakers[:1]),
    ])
    return project


def log_events(project: Project, coder: str = "anna") -> list[dict]:
    path = project.logs_dir / f"{coder}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def send(widget: CodingWidget, content: dict) -> None:
    """Deliver ``content`` as the browser's ``model.send(content)`` arrives in the kernel."""
    widget.view._handle_msg({"content": {"data": {"method": "custom", "content": content}},
                             "buffers": []})


@pytest.fixture
def widget(project):
    return CodingWidget(project, "anna")


def test_code_message_writes_one_event_with_the_code_point_quote(widget, project):
    phrase = "ą\u0301 café"
    start, end = utf16(TEXT, phrase)
    assert start != TEXT.index(phrase)  # the emoji makes the two counts differ
    sent = []
    widget.view.comm.send = lambda *args, **kwargs: sent.append(kwargs)
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie"})
    events = log_events(project)
    assert len(events) == 1
    event = events[0]
    assert (event["kind"], event["code_id"], event["quote"]) == ("code", "barrier.regie", phrase)
    assert TEXT[event["start"]:event["end"]] == phrase
    # the browser got the new HTML, with the coding highlighted, and a saved state
    updates = [k["data"]["state"] for k in sent if k["data"]["method"] == "update"]
    html = next(u["html"] for u in updates if "html" in u)
    assert f'data-c="{event["id"]}"' in html
    assert any(u.get("status", "").startswith("✓ saved") for u in updates)
    assert widget.view.recent == ["barrier.regie"]


def test_uncode_undo_and_redo(widget, project):
    start, end = utf16(TEXT, "de regie")
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie"})
    coded = log_events(project)[-1]
    send(widget, {"type": "uncode", "event_id": coded["id"]})
    events = log_events(project)
    assert (events[-1]["kind"], events[-1]["target"]) == ("uncode", coded["id"])
    assert coded["id"] not in widget.view.html
    send(widget, {"type": "undo"})  # undoes the uncode: the coding is back
    assert len(log_events(project)) == 3
    assert f'data-c="{coded["id"]}"' in widget.view.html
    send(widget, {"type": "redo"})
    assert coded["id"] not in widget.view.html
    assert len(widget.session.codings()) == 0


def test_code_a_whole_turn_and_progress(widget, project):
    send(widget, {"type": "code_segment", "segment_id": "sessie-1:2", "code_id": "barrier.job"})
    event = log_events(project)[-1]
    assert event["quote"] == "Wij hebben de regie niet. Dat is de taak van de gemeente."
    assert "1 / 3 turns coded" in widget.view.html
    assert widget.documents.options[0] == ("sessie-1 · 1/3 coded", "sessie-1")
    assert widget.documents.value == "sessie-1"


def test_refused_action_shows_an_error_and_writes_nothing(widget, project):
    start, end = utf16(TEXT, "de regie")
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "no.such.code"})
    send(widget, {"type": "code", "start": end, "end": end + 1000, "code_id": "barrier.job"})
    send(widget, {"type": "launch"})
    assert log_events(project) == []
    assert widget.view.error.startswith("Not saved: unknown action")
    with pytest.raises(CodingError):
        widget.compare_with("bert")


def test_inspect_and_memo_on_a_coding(widget, project):
    start, end = utf16(TEXT, "niemand")
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie"})
    event_id = log_events(project)[-1]["id"]
    send(widget, {"type": "inspect", "event_ids": [event_id]})
    card = widget.view.inspected[0]
    assert (card["label"], card["coder"], card["quote"], card["own"]) == (
        "Regie onduidelijk", "anna", "niemand", True)
    send(widget, {"type": "memo", "event_id": event_id, "text": "twijfel"})
    memo = log_events(project)[-1]
    assert (memo["kind"], memo["on"], memo["target"], memo["text"]) == ("memo", "coding", event_id, "twijfel")
    assert widget.view.inspected[0]["memo"] == "twijfel"


def test_in_vivo_and_document_memo(widget, project):
    start, end = utf16(TEXT, "Dan weet niemand het")
    send(widget, {"type": "in_vivo", "start": start, "end": end})
    event = log_events(project)[-1]
    assert event["code_id"] == "inductive.dan_weet_niemand_het"
    assert "Dan weet niemand het" in project.codebook_path.read_text(encoding="utf-8")
    widget.memo_text.value = "Sessie met veel frictie."
    widget.save_memo()
    memo = log_events(project)[-1]
    assert (memo["on"], memo["target"], memo["text"]) == ("document", "sessie-1", "Sessie met veel frictie.")


def test_next_and_previous_uncoded_turn(widget):
    send(widget, {"type": "code_segment", "segment_id": "sessie-1:2", "code_id": "barrier.job"})
    send(widget, {"type": "next_uncoded", "after": -1})
    assert widget.view.focus["segment_id"] == "sessie-1:1"
    send(widget, {"type": "next_uncoded", "after": utf16(TEXT, "Goedemorgen")[0]})
    assert widget.view.focus["segment_id"] == "sessie-1:3"
    send(widget, {"type": "next_uncoded", "after": -1, "backwards": True})
    assert widget.view.focus["segment_id"] == "sessie-1:3"
    send(widget, {"type": "next_uncoded", "after": utf16(TEXT, "Dan")[0]})
    assert "no uncoded turn after" in widget.view.error


def test_blind_by_default_then_side_by_side(project):
    bert = CodingSession(project, "bert", new_coder=True)
    theirs = bert.code("sessie-1", TEXT.index("gemeente"), TEXT.index("gemeente") + 8, "barrier.job")
    blind = CodingWidget(project, "anna")
    assert "bert" in blind.compare.options and blind.compare.disabled
    assert theirs["id"] not in blind.view.html
    blind.compare.value = "bert"  # the control is disabled; even when forced it stays blind
    assert theirs["id"] not in blind.view.html and "blind" in blind.view.error
    open_widget = CodingWidget(project, "anna", blind=False)
    open_widget.compare.value = "bert"
    html = open_widget.view.html
    assert "rv-compare" in html and f'data-c="{theirs["id"]}"' in html
    send(open_widget, {"type": "inspect", "event_ids": [theirs["id"]]})
    assert open_widget.view.inspected[0]["own"] is False


def test_document_filter_and_choice(widget):
    widget.filter_variable.value = "site"
    widget.filter_value.value = "Zuid"
    assert [v for _, v in widget.documents.options] == ["sessie-2"]
    assert widget.document_id == "sessie-2"
    widget.filter_value.value = "(all)"
    widget.filter_state.value = "uncoded"
    assert len(widget.documents.options) == 2


def test_codebook_browser_and_retrieval(project, widget):
    start, end = utf16(TEXT, "de regie")
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie"})
    browser = CodebookBrowser(project)
    assert "Nobody clearly coordinates the case." in browser.tree.value
    assert 'title="codings">1</span>' in browser.tree.value
    assert 'title="codings">0 (+1 below)</span>' in browser.tree.value
    browser.search.value = "taak"
    assert "barrier.job" in browser.tree.value and "barrier.regie" not in browser.tree.value
    view = RetrievalView(project, coders=["anna"], coding=widget)
    view.codes.value = ("barrier.regie",)
    view.refresh()
    assert "1 quotes" in view.summary.value
    card, jump = view.results.children[0].children
    assert "<mark" in card.value and "de regie</mark>" in card.value
    widget.show("sessie-2")
    jump.click()
    assert widget.document_id == "sessie-1"
    assert widget.view.focus["offset"] == start


# ---------------------------------------------------------------- issue 16: daily coding
def test_a_selection_is_answered_with_whole_words(widget):
    start, end = utf16(TEXT, "ie heeft de reg")
    send(widget, {"type": "select", "start": start, "end": end, "n": 7})
    whole = utf16(TEXT, "Wie heeft de regie")
    assert widget.view.selection == {"start": whole[0], "end": whole[1],
                                     "text": "Wie heeft de regie", "n": 7}
    send(widget, {"type": "select", "start": start, "end": end, "exact": True, "n": 8})
    assert widget.view.selection["text"] == "ie heeft de reg"
    label = utf16(TEXT, "Hulpverlener 1")[0]  # from inside the label of the second turn
    send(widget, {"type": "select", "start": label, "end": label + 20, "n": 9})
    assert widget.view.selection["text"] == "Wij"


def test_code_snaps_unless_exact_and_a_duplicate_is_refused(widget, project):
    start, end = utf16(TEXT, "e regi")  # "de regie" without its first and last letter
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie"})
    assert log_events(project)[-1]["quote"] == "de regie"
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie"})
    assert "already has the code" in widget.view.error and len(log_events(project)) == 1
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie",
                  "exact": True})
    assert log_events(project)[-1]["quote"] == "e regi" and widget.view.error == ""


def test_enter_in_the_palette_applies_a_code_by_name_or_makes_it(widget, project):
    start, end = utf16(TEXT, "niemand")
    send(widget, {"type": "create_code", "name": "wiens TAAK", "start": start, "end": end})
    assert log_events(project)[-1]["code_id"] == "barrier.job"
    send(widget, {"type": "create_code", "name": "Niemand weet het", "start": start, "end": end})
    event = log_events(project)[-1]
    assert event["code_id"] == "inductive.niemand_weet_het" and event["quote"] == "niemand"
    assert project.codebook["inductive.niemand_weet_het"].status == "emergent"
    assert 'data-code="inductive.niemand_weet_het"' in widget.view.palette
    assert "new code 'Niemand weet het'" in widget.view.status
    send(widget, {"type": "create_code", "name": "Alleen een code"})  # no selection: only made
    assert "inductive.alleen_een_code" in project.codebook and len(log_events(project)) == 2
    send(widget, {"type": "create_code", "name": "Heel de beurt", "segment_id": "sessie-1:2"})
    assert log_events(project)[-1]["quote"].startswith("Wij hebben")


def test_search_answers_utf16_places(widget):
    send(widget, {"type": "search", "query": "REGIE"})
    second = utf16(TEXT, "regie niet")[0]
    assert widget.view.found["hits"] == [list(utf16(TEXT, "regie")), [second, second + 5]]
    send(widget, {"type": "search", "query": "  "})
    assert widget.view.found["hits"] == []


def test_undo_after_the_notebook_was_reopened(widget, project):
    start, end = utf16(TEXT, "de regie")
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie"})
    coded = log_events(project)[-1]
    reopened = CodingWidget(project, "anna")
    assert reopened.view.recent == ["barrier.regie"]  # the recent codes come back too
    send(reopened, {"type": "undo"})
    assert log_events(project)[-1]["target"] == coded["id"] and reopened.view.error == ""
    assert coded["id"] not in reopened.view.html
    send(reopened, {"type": "undo"})
    assert reopened.view.error == "" and reopened.view.status.startswith("nothing to undo")
    send(reopened, {"type": "redo"})
    assert f'data-c="{coded["id"]}"' in reopened.view.html


def test_the_margin_has_a_bar_per_coding_with_memo_markers(widget, project):
    start, end = utf16(TEXT, "de regie")
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie",
                  "memo": "wie dan wel?"})
    event_id = log_events(project)[-1]["id"]
    html = widget.view.html
    assert f'class="rv-bar" hidden data-c="{event_id}" data-code="barrier.regie"' in html
    assert 'class="rv-memo-mark" title="memo: wie dan wel?"' in html
    assert widget.view.margin is True and CodingWidget(project, "anna", margin=False).view.margin is False


def test_other_open_widgets_follow_codebook_changes_and_codings(widget, project):
    other = CodingWidget(project, "anna")
    browser = CodebookBrowser(project)
    start, end = utf16(TEXT, "de regie")
    send(widget, {"type": "create_code", "name": "Gedeelde regie", "start": start, "end": end})
    assert 'data-code="inductive.gedeelde_regie"' in other.view.palette
    assert "inductive.gedeelde_regie" in browser.tree.value
    assert 'data-code="inductive.gedeelde_regie"' in browser.tree.value.split("Gedeelde regie")[0]
    assert f'data-c="{log_events(project)[-1]["id"]}"' in other.view.html


def test_retrieval_with_codes_below_context_and_live_counts(project, widget):
    for phrase, code in (("de regie", "barrier.regie"), ("Dat is de taak", "barrier.job")):
        start, end = utf16(TEXT, phrase)
        send(widget, {"type": "code", "start": start, "end": end, "code_id": code})
    view = RetrievalView(project, coders=["anna"])
    labels = dict((value, label) for label, value in view.codes.options)
    assert labels["barrier"].endswith("(2)") and labels["barrier.regie"].endswith("(1)")
    view.codes.value = ("barrier",)
    view.refresh()
    assert "2 quotes" in view.summary.value  # the parent brings its children
    view.below.value = False
    assert "0 quotes" in view.summary.value
    assert dict((v, k) for k, v in view.codes.options)["barrier"].endswith("(0)")
    view.below.value = True
    first = view.results.children[0].value
    assert "Wie heeft <mark" in first and "Goedemorgen" not in first  # the sentence only
    view.context.value = "the turn"
    assert "Goedemorgen" in view.results.children[0].value
    view.context.value = "the coded words"
    assert ">de regie</mark></div>" in view.results.children[0].value
    start, end = utf16(TEXT, "de gemeente")
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.job"})
    assert "3 quotes" in view.summary.value  # a new coding shows without a click
    assert dict((v, k) for k, v in view.codes.options)["barrier"].endswith("(3)")


def test_codebook_editor_makes_and_changes_codes_seen_by_the_coding_widget(project, widget):
    editor = CodebookEditor(project, "anna")
    assert [row["id"] for row in editor.codes][:3] == ["barrier", "barrier.regie", "barrier.job"]
    editor.handle({"type": "new", "name": "Wachtlijst", "parent": "barrier", "colour": "#123456",
                   "definition": "Waiting.", "when_to_use": "Waiting is named.",
                   "when_not_to_use": "Not for school.", "example": "Al maanden."})
    code = project.codebook["barrier.wachtlijst"]
    assert (code.colour, code.definition, code.examples) == ("#123456", "Waiting.", ("Al maanden.",))
    assert 'data-code="barrier.wachtlijst"' in widget.view.palette  # at once in the coding widget
    assert editor.status.startswith("✓ new code 'Wachtlijst' (barrier.wachtlijst)")
    editor.handle({"type": "new", "name": "wachtlijst", "parent": "barrier"})
    assert "already under 'barrier'" in editor.error
    start, end = utf16(TEXT, "de regie")
    send(widget, {"type": "code", "start": start, "end": end, "code_id": "barrier.wachtlijst"})
    assert next(r for r in editor.codes if r["id"] == "barrier.wachtlijst")["count"] == 1
    editor.handle({"type": "save", "code_id": "barrier.wachtlijst", "label_nl": "Wachten",
                   "label_en": "Waiting", "parent": "inductive", "colour": "#654321",
                   "definition": "Waiting.", "when_to_use": "", "when_not_to_use": "", "example": ""})
    code = project.codebook["barrier.wachtlijst"]
    assert (code.label_nl, code.parent, code.colour, code.when_to_use) == (
        "Wachten", "inductive", "#654321", "")
    assert ">Wachten</" in widget.view.palette and "#654321" in widget.view.html
    editor.handle({"type": "merge", "code_id": "barrier.wachtlijst", "into": "barrier.regie"})
    assert project.codebook.resolve("barrier.wachtlijst") == "barrier.regie"
    assert 'data-code="barrier.wachtlijst"' not in widget.view.palette
    assert widget.session.codings()["code_id"].tolist() == ["barrier.regie"]  # the coding follows
    editor.handle({"type": "retire", "code_id": "barrier.job"})
    assert project.codebook["barrier.job"].status == "retired" and editor.error == ""
    editor.handle({"type": "retire", "code_id": "barrier.job"})
    assert "already retired" in editor.error


def test_the_coding_notebook_asks_who_is_coding(project):
    settings = (project.root / "raakvlak.toml").read_text(encoding="utf-8")
    choice = CoderChoice(project)
    retrieval = RetrievalView(project, coding=choice)
    editor = CodebookEditor(project, choice)
    assert choice.who.options == ("anna", "bert", "(a new coder)") and choice.coding is None
    retrieval.refresh()
    assert "choose who is coding first" in retrieval.summary.value
    choice.who.value = "(a new coder)"
    choice.new_name.value = "anan"
    choice.go.click()
    assert "not a coder of this project" in choice.message.value and choice.coding is None
    assert (project.root / "raakvlak.toml").read_text(encoding="utf-8") == settings
    choice.on_purpose.value = True
    choice.go.click()
    assert choice.coder == "anan" and choice.children[-1] is choice.coding
    assert "anan" in Project(project.root).settings.coders
    start, end = utf16(TEXT, "de regie")
    send(choice.coding, {"type": "code", "start": start, "end": end, "code_id": "barrier.regie"})
    bert = CodingSession(project, "bert")
    bert.code("sessie-1", TEXT.index("gemeente"), TEXT.index("gemeente") + 8, "barrier.job")
    retrieval.codes.value = ("barrier",)
    retrieval.refresh()
    assert "1 quotes" in retrieval.summary.value  # blind: anan's own codings only
    editor.handle({"type": "retire", "code_id": "barrier.job"})
    assert "anan: retired" in project.codebook["barrier.job"].note
    started = CoderChoice(project, "bert")  # a parameter: no question
    assert started.coding.coder == "bert" and started.children[-1] is started.coding


# ---------------------------------------------------------------------- a team at work
# Two members code one project at once, each with a widget made before the other's
# changes: the other's codes, documents and codings appear on Refresh (a new code also
# at one's own next action), without a new kernel.
def test_refresh_shows_the_other_members_codes_documents_and_codings(project):
    anna = CodingWidget(project, "anna", blind=False)
    anna.compare_with("bert")
    bert = CodingSession(project, "bert")  # another person, another kernel: its own objects
    start = TEXT.index("gemeente")
    theirs = bert.code("sessie-1", start, start + 8, "barrier.job")
    bert.in_vivo("sessie-1", TEXT.index("niemand"), TEXT.index("niemand") + 7)
    new_code = bert.codebook.resolve(bert.codings()["code_id"].iloc[-1])
    CorpusStore(project.corpus_dir).add([DocumentRecord(
        "sessie-3", canonicalise("Docent 1: Een derde sessie.\n"), title="Sessie 3",
        kind="transcript", variables={"site": "West"}, speakers=[])])

    assert theirs["id"] not in anna.view.html  # made before bert coded: not shown yet
    assert new_code not in anna.view.palette
    assert "sessie-3" not in [v for _, v in anna.documents.options]

    send(anna, {"type": "reload"})  # the Refresh button
    assert f'data-c="{theirs["id"]}"' in anna.view.html
    assert f'data-code="{new_code}"' in anna.view.palette
    assert "sessie-3" in [v for _, v in anna.documents.options]
    assert anna.other_coder == "bert" and anna.compare.value == "bert"
    assert anna.document_id == "sessie-1"
    assert anna.view.status.startswith("↻ refreshed") and "3 documents" in anna.view.status
    anna.filter_variable.value = "site"
    assert "West" in anna.filter_value.options


def test_a_new_code_reaches_the_palette_at_the_next_action(project):
    anna = CodingWidget(project, "anna")
    bert = CodingSession(project, "bert")
    bert.in_vivo("sessie-1", TEXT.index("niemand"), TEXT.index("niemand") + 7)
    new_code = bert.codings()["code_id"].iloc[-1]
    assert new_code not in anna.view.palette
    start, end = utf16(TEXT, "de regie")
    send(anna, {"type": "code", "start": start, "end": end, "code_id": new_code})
    assert f'data-code="{new_code}"' in anna.view.palette
    assert anna.session.codings()["code_id"].tolist() == [new_code]


def test_the_coder_is_the_hub_user(project, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "bert")
    assert CodingWidget(project).coder == "bert"
    monkeypatch.setenv("JUPYTERHUB_USER", "carla")  # not listed in raakvlak.toml
    with pytest.raises(CodingError, match="'carla' is not a coder of this project"):
        CodingWidget(project)
    monkeypatch.delenv("JUPYTERHUB_USER")
    with pytest.raises(CodingError, match="JUPYTERHUB_USER is not set"):
        CodingWidget(project)
