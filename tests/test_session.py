"""The coding session: every action is one event in the coder's log, and the log is the truth."""

from __future__ import annotations

import json

import pytest

from raakvlak.coding.codebook import Codebook
from raakvlak.coding.session import CodingSession
from raakvlak.corpus.canonical import fingerprint
from raakvlak.errors import CodingError

DOC = "als-a-sessie-1"


@pytest.fixture
def session(example_project):
    for log in example_project.logs_dir.glob("*.jsonl"):
        log.unlink()
    return CodingSession(example_project, "tess", new_coder=True)


def span(session, phrase, document=DOC):
    text = session.text(document)
    start = text.index(phrase)
    return start, start + len(phrase)


def log_lines(session):
    return [json.loads(line) for line in session.log.path.read_text(encoding="utf-8").splitlines()]


def test_code_writes_one_complete_event(session):
    start, end = span(session, "op de wachtlijst")
    event = session.code(DOC, start, end, "barrier.beschikking", memo="wachttijd")
    [line] = log_lines(session)
    assert line == event
    text = session.text(DOC)
    assert event["quote"] == text[start:end] == "op de wachtlijst"
    assert event["prefix"] == text[max(0, start - 40):start] and event["suffix"] == text[end:end + 40]
    assert event["sha256"] == fingerprint(text)
    assert event["coder"] == "tess" and event["origin"] == "manual" and event["memo"] == "wachttijd"


def test_selection_is_trimmed_of_white_space(session):
    start, end = span(session, "op de wachtlijst")
    event = session.code(DOC, start - 1, end, "barrier.beschikking")
    assert event["quote"] == "op de wachtlijst" and event["start"] == start


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope", 0, 5, "barrier.regie"), "unknown document"),
        ((DOC, 10, 5, "barrier.regie"), "outside document"),
        ((DOC, 0, 10**7, "barrier.regie"), "outside document"),
        ((DOC, 0, 5, "barrier.nope"), "unknown code"),
        ((DOC, 0, 5, "inductive.waiting_list"), "merged; use 'barrier.beschikking'"),
    ],
)
def test_bad_codings_are_refused_and_nothing_is_written(session, args, message):
    with pytest.raises(Exception, match=message):
        session.code(*args)
    assert not session.log.path.exists()


def test_overlapping_spans_and_two_codes_on_one_span(session):
    start, end = span(session, "op de wachtlijst")
    session.code(DOC, start, end, "barrier.beschikking")
    session.code(DOC, start, end, "barrier.follow_up")
    session.code(DOC, start + 3, end + 10, "barrier.regie")
    assert len(session.codings(DOC)) == 3


def test_undo_redo_chain_is_events(session):
    start, end = span(session, "op de wachtlijst")
    session.code(DOC, start, end, "barrier.beschikking")
    assert len(session.codings()) == 1
    session.undo()
    assert len(session.codings()) == 0
    session.redo()
    assert len(session.codings()) == 1
    session.undo()
    assert len(session.codings()) == 0
    assert session.undo() is None
    assert [e["kind"] for e in log_lines(session)] == ["code", "uncode", "uncode", "uncode"]
    # a new action clears the redo stack
    session.redo()
    session.code(DOC, start, end, "barrier.regie")
    assert session.redo() is None


def test_uncode_by_event_id_and_unknown_event(session):
    start, end = span(session, "op de wachtlijst")
    event = session.code(DOC, start, end, "barrier.beschikking")
    session.uncode(event["id"])
    assert session.codings().empty
    with pytest.raises(CodingError, match="no event"):
        session.uncode("00000000-0000-4000-8000-000000000000")


def test_memos_on_every_target(session):
    start, end = span(session, "op de wachtlijst")
    coding = session.code(DOC, start, end, "barrier.beschikking")
    session.memo("project", "", "Eerste ronde.")
    session.memo("document", DOC, "Veel over wachtlijsten.")
    session.memo("code", "barrier.beschikking", "Ook wachttijd zonder beschikking?")
    session.memo("coding", coding["id"], "Twijfel.")
    session.memo("document", DOC, "Herzien: vooral wachtlijsten.")
    memos = session.state.memos
    assert len(memos) == 4
    assert memos.loc[memos["on"] == "document", "text"].tolist() == ["Herzien: vooral wachtlijsten."]
    with pytest.raises(CodingError, match="unknown code"):
        session.memo("code", "barrier.nope", "x")


def test_in_vivo_adds_an_emergent_code_and_codes_with_it(session):
    start, end = span(session, "op de wachtlijst")
    event = session.in_vivo(DOC, start, end)
    codebook, problems = Codebook.read(session.project.codebook_path)
    assert not problems
    code = codebook[event["code_id"]]
    assert code.status == "emergent" and code.label("nl") == "op de wachtlijst"
    assert code.parent == "inductive"
    assert event["detail"] == {"in_vivo": True}


def test_autocode_previews_then_writes_with_its_query(session):
    hits = session.autocode_preview("wachtlijst", how="keyword", level="sentence", documents=[DOC])
    assert len(hits) >= 3 and hits["text"].str.contains("wachtlijst", case=False).all()
    assert not session.log.path.exists()  # a preview writes nothing
    events = session.autocode(hits, "barrier.beschikking", "wachtlijst")
    assert len(events) == len(hits)
    assert {e["origin"] for e in events} == {"autocode"}
    assert events[0]["detail"] == {"query": "wachtlijst", "how": "keyword"}
    lemma_hits = session.autocode_preview("wachtlijst", how="lemma", level="sentence", documents=[DOC])
    assert set(hits["segment_id"]) <= set(lemma_hits["segment_id"])
    with pytest.raises(CodingError, match="regular expression"):
        session.autocode_preview("(", how="regex", documents=[DOC])


def test_code_segment_and_next_uncoded(session):
    first = session.next_uncoded(DOC)
    session.code_segment(first["segment_id"], "pattern.moment")
    coded = session.codings(DOC).iloc[0]
    assert (coded["start"], coded["end"]) == (first["start"], first["end"])
    following = session.next_uncoded(DOC, after=first["start"])
    assert following["segment_id"] != first["segment_id"]
    # going back from there, the only earlier segment is coded now
    assert session.next_uncoded(DOC, after=following["start"], backwards=True) is None
    progress = session.progress().set_index("document_id")
    assert progress.loc[DOC, "coded"] == 1


def test_a_second_kernel_of_the_same_coder_is_seen(session):
    other = CodingSession(session.project, "tess")
    start, end = span(session, "op de wachtlijst")
    other.code(DOC, start, end, "barrier.beschikking")
    assert len(session.codings()) == 1


def test_coder_ids_are_slugs(example_project):
    with pytest.raises(CodingError, match="slug"):
        CodingSession(example_project, "Anna B")


def test_undo_and_redo_work_in_a_new_session(session):
    start, end = span(session, "op de wachtlijst")
    first = session.code(DOC, start, end, "barrier.beschikking")
    session.code(DOC, start + 3, end, "barrier.regie")
    later = CodingSession(session.project, "tess")  # the notebook reopened
    later.undo()
    assert later.codings()["event_id"].tolist() == [first["id"]]
    again = CodingSession(session.project, "tess")
    assert again.redo() is not None
    assert len(again.codings()) == 2
    assert [e["detail"]["action"] for e in log_lines(session)[2:]] == ["undo", "redo"]


def test_remove_then_undo_brings_the_coding_back(session):
    start, end = span(session, "op de wachtlijst")
    event = session.code(DOC, start, end, "barrier.beschikking")
    session.uncode(event["id"])
    assert session.codings().empty
    session.undo()
    assert session.codings()["event_id"].tolist() == [event["id"]]


def test_recent_codes_come_from_the_log(session):
    start, end = span(session, "op de wachtlijst")
    session.code(DOC, start, end, "barrier.beschikking")
    session.code(DOC, start, end, "barrier.regie")
    session.code(DOC, start + 3, end, "barrier.beschikking")
    assert CodingSession(session.project, "tess").recent_codes() == ["barrier.beschikking", "barrier.regie"]


def test_the_same_coding_twice_is_refused(session):
    start, end = span(session, "op de wachtlijst")
    session.code(DOC, start, end, "barrier.beschikking")
    with pytest.raises(CodingError, match="already has the code"):
        session.code(DOC, start - 1, end, "barrier.beschikking")  # the same span once trimmed
    with pytest.raises(CodingError, match="already has the code"):
        session.code(DOC, start + 1, end - 1, "barrier.beschikking", whole_words=True)
    assert len(log_lines(session)) == 1
    session.code(DOC, start, end, "barrier.regie")  # another code on the span is fine
    other = CodingSession(session.project, "tara", new_coder=True)
    other.code(DOC, start, end, "barrier.beschikking")  # and so is another coder


def test_a_selection_snaps_to_words_and_out_of_the_speaker_label(session):
    text = session.text(DOC)
    start, end = span(session, "op de wachtlijst")
    event = session.code(DOC, start + 1, end - 2, "barrier.beschikking", whole_words=True)
    assert event["quote"] == "op de wachtlijst"
    label = session.turns(DOC)[1][0] - 8  # inside the label in front of the second turn
    event = session.code(DOC, label, session.turns(DOC)[1][0] + 4, "barrier.regie", whole_words=True)
    assert event["start"] == session.turns(DOC)[1][0]
    assert text[event["start"] - 2:event["start"]] == ": "


def test_autocode_leaves_out_what_was_coded_already(session):
    hits = session.autocode_preview("wachtlijst", how="keyword", level="sentence", documents=[DOC])
    first = hits.iloc[0]
    session.code(DOC, int(first["start"]), int(first["end"]), "barrier.beschikking")
    events = session.autocode(hits, "barrier.beschikking", "wachtlijst")
    assert len(events) == len(hits) - 1
