"""Pattern records: storage, fold, attribution, linking through re-anchoring, grouping, report."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from raakvlak.analysis.figures import figure_bytes, save_figure
from raakvlak.coding.log import TORN
from raakvlak.coding.reanchor import reanchor
from raakvlak.corpus.canonical import fingerprint
from raakvlak.patterns import STEPS, PatternError, PatternSession, load_records, resolve_links
from raakvlak.patterns.grouping import (
    linked_codes,
    occurrence_label,
    pattern_table,
    suggest_patterns,
)
from raakvlak.patterns.records import PatternLog, read_pattern_log
from raakvlak.patterns.report import (
    loop_diagram,
    pattern_diagram,
    pattern_docx_bytes,
    pattern_markdown,
    write_pattern_report,
)
from raakvlak.patterns.state import fold_records

S1 = "als-a-sessie-1"
WAITING = "Op elkaar wachten: school verwacht dat de zorg handelt, de zorg wacht op een vraag"
CONSENT = "Toestemming en privacy blokkeren informatie: ieder denkt dat de ander het weet"
REGIE = "Regie: niemand heeft hem, iedereen denkt dat een ander hem heeft"


@pytest.fixture
def session(example_project):
    return PatternSession(example_project, "demo")


def _lines(path):
    return path.read_bytes().decode("utf-8").splitlines()


# ---------------------------------------------------------------------------- storage
def test_a_record_round_trips_through_the_log(session):
    record = session.create(S1, title="Mail zonder antwoord")
    session.write_step(record.record_id, "moment", "De IB'er mailt en hoort niets.")
    session.set_actors(record.record_id, ["IB'er 1", "Hulpverlener 1"])
    session.update(record.record_id, "codes", ["barrier.follow_up"])
    session.update(record.record_id, "follow_up", [{"agreement": "Intake navragen", "by": "Hulpverlener 1",
                                                    "review_date": "2026-04-02", "followed_up": "yes"}])
    again = PatternSession(session.project, "demo").record(record.record_id)  # read from disk
    assert again.title == "Mail zonder antwoord"
    assert (again.setting, again.date, again.site, again.session) == ("actieleren", "2026-03-12", "PO", "1")
    assert again.steps["moment"] == "De IB'er mailt en hoort niets." and again.steps["outcome"] == ""
    assert [(a.speaker, a.role) for a in again.actors] == [("IB'er 1", "intern begeleider"),
                                                          ("Hulpverlener 1", "jeugdhulpverlener")]
    assert again.codes == ("barrier.follow_up",)
    assert again.follow_up[0].followed_up == "yes" and again.follow_up[0].by == "Hulpverlener 1"
    path = session.project.coding_dir / "patterns" / "demo.jsonl"
    lines = _lines(path)
    assert len(lines) == 5
    events = [json.loads(line) for line in lines]
    assert [e["kind"] for e in events] == ["create", "update", "update", "update", "update"]
    assert all(list(e)[:6] == ["v", "id", "coder", "time", "kind", "origin"] for e in events)
    assert all(e["coder"] == "demo" and e["time"].endswith("Z") for e in events)


def test_a_torn_last_line_is_reported_skipped_and_kept(session):
    record = session.create(S1, title="Eerst")
    path = session.log.path
    with open(path, "ab") as handle:  # a crash in the middle of a write
        handle.write(b'{"v":1,"id":"0b5d3f0e-2a8c-4c1e-9d7a-1f2e3d4c5b6a","coder":"demo","ti')
    read = read_pattern_log(path)
    assert len(read.events) == 1
    assert [p.message for p in read.problems] == [TORN]
    assert str(read.problems[0]) == "coding/patterns/demo.jsonl:2: " + TORN
    session.write_step(record.record_id, "moment", "Na de crash")
    lines = _lines(path)
    assert len(lines) == 3 and lines[1].endswith('"ti')  # the torn line stays as it was
    state = load_records(session.project)
    assert state.records[record.record_id].steps["moment"] == "Na de crash"
    assert len(state.problems) == 1 and state.problems[0].line_number == 2


def test_invalid_input_is_refused_and_nothing_is_written(session):
    record = session.create(S1)
    size = session.log.path.stat().st_size
    with pytest.raises(PatternError, match="unknown step"):
        session.write_step(record.record_id, "gevoel", "x")
    with pytest.raises(PatternError, match="followed_up must be yes, no or unknown"):
        session.update(record.record_id, "follow_up", [{"agreement": "x", "followed_up": "misschien"}])
    with pytest.raises(PatternError, match="review_date"):
        session.update(record.record_id, "follow_up", [{"agreement": "x", "review_date": "12 maart"}])
    with pytest.raises(PatternError, match="not in corpus/speakers.csv"):
        session.set_actors(record.record_id, ["Jeugdarts 1"])
    with pytest.raises(PatternError, match="unknown document"):
        session.create("bestaat-niet")
    with pytest.raises(PatternError, match="no live coding"):
        session.link_coding(record.record_id, "moment", "00000000-0000-4000-8000-000000000000")
    with pytest.raises(PatternError, match="not inside"):
        session.link_passage(record.record_id, "moment", S1, 10, 10)
    assert session.log.path.stat().st_size == size


def test_bad_lines_of_every_kind_are_skipped_not_fatal(tmp_path):
    log = PatternLog(tmp_path / "patterns" / "anna.jsonl", "anna")
    created = log.append({"kind": "create", "document_id": "doc-1", "fields": {"title": "A"}})
    other = dict(created, coder="bram", id="11111111-1111-4111-8111-111111111111")
    with open(log.path, "ab") as handle:
        handle.write(json.dumps(other).encode() + b"\n")       # another coder's event
        handle.write(json.dumps(created).encode() + b"\n")     # a repeated event
        handle.write(b'{"v":1,"kind":"update"}\n')              # invalid
        handle.write(b"\xff\xfe niet utf-8\n")
    read = log.read()
    assert [e["id"] for e in read.events] == [created["id"]]
    assert [p.line_number for p in read.problems] == [2, 3, 4, 5]


# ---------------------------------------------------------------------------- the fold
def test_the_latest_update_wins_and_links_and_withdrawals_fold(session):
    record = session.create(S1, title="Oud")
    rid = record.record_id
    session.update(rid, "title", "Nieuw")
    session.write_step(rid, "reason", "eerste versie")
    session.write_step(rid, "reason", "tweede versie")
    text = session.text(S1)
    start = text.index("Hij stond op een lijst.")
    first = session.link_passage(rid, "reason", S1, start, start + 23)
    second = session.link_segment(rid, "outcome", session.turns(S1)["segment_id"].iloc[3])
    session.unlink(rid, first["id"])
    current = session.record(rid)
    assert (current.title, current.steps["reason"]) == ("Nieuw", "tweede versie")
    assert [link.link_id for link in current.links] == [second["id"]]
    assert current.links_of("outcome")[0].quote == text[current.links[0].start:current.links[0].end]
    session.withdraw(rid)
    assert session.records() == [] and session.record(rid).withdrawn
    session.restore(rid)
    assert [r.record_id for r in session.records()] == [rid]


def test_records_belong_to_their_coder_and_the_history_says_who_did_what(example_project):
    anna, bram = PatternSession(example_project, "demo-a"), PatternSession(example_project, "demo-b")
    record = anna.create(S1, title="Van anna")
    with pytest.raises(PatternError, match="belongs to 'demo-a'"):
        bram.write_step(record.record_id, "moment", "Bram schrijft mee")
    # an event forged into bram's own log has no effect on anna's record, and the history says so
    bram.log.append({"kind": "update", "record": record.record_id, "field": "title", "value": "Gekaapt"})
    state = load_records(example_project)
    assert state.records[record.record_id].title == "Van anna"
    history = state.history[state.history["coder"].isin(["demo-a", "demo-b"])]
    assert history["coder"].tolist() == ["demo-a", "demo-b"]
    assert history["no_effect"].tolist() == [False, True]
    assert "belongs to demo-a" in history["summary"].iloc[1]


def test_fold_does_not_change_its_input():
    events = [{"v": 1, "id": "00000000-0000-4000-8000-000000000001", "coder": "anna",
               "time": "2026-05-01T10:00:00.000000Z", "kind": "create", "origin": "manual",
               "document_id": "d", "fields": {"codes": ["a"]}}]
    before = json.dumps(events)
    fold_records(events)
    assert json.dumps(events) == before


# ---------------------------------------------------------------------------- linking
def test_links_follow_the_codings_through_re_anchoring(example_project):
    from raakvlak.coding.session import CodingSession

    coding = CodingSession(example_project, "demo", new_coder=True)
    text = coding.text(S1)
    quote = "Hij stond op een lijst. Zo voelt het ook."
    start = text.index(quote)
    coded = coding.code(S1, start, start + len(quote), "barrier.beschikking")
    patterns = PatternSession(example_project, "demo")
    record = patterns.create(S1, title="Op een lijst")
    patterns.link_coding(record.record_id, "reaction", coded["id"])
    passage = "Toen kreeg ik een automatisch antwoord."
    at = text.index(passage)
    patterns.link_passage(record.record_id, "outcome", S1, at, at + len(passage))
    # the document changes above both quotes; the codings are re-anchored
    insert = "Facilitator 1: Even een mededeling vooraf, voor we beginnen.\n\n"
    cut = text.index("Facilitator 1: Zo. Heeft iedereen koffie?")
    new_text = text[:cut] + insert + text[cut:]
    path = example_project.corpus_dir / f"{S1}.txt"
    path.write_text(new_text, encoding="utf-8", newline="\n")
    moved = reanchor(example_project)
    assert coded["id"] in set(moved["event_id"])
    links = patterns.links([record.record_id]).set_index("step")
    reaction, outcome = links.loc["reaction"], links.loc["outcome"]
    assert reaction["coding"] == coded["id"] and reaction["status"] == "ok"
    assert int(reaction["start"]) == start + len(insert)
    assert new_text[int(reaction["start"]):int(reaction["end"])] == quote
    assert outcome["status"] == "moved"
    assert new_text[int(outcome["start"]):int(outcome["end"])] == passage
    assert fingerprint(new_text) == fingerprint(example_project.corpus.text(S1))
    # the record itself did not change: its links still name the same coding event
    assert patterns.record(record.record_id).links[0].coding == coded["id"]


def test_a_withdrawn_coding_shows_in_the_link_status(example_project):
    from raakvlak.coding.session import CodingSession

    coding = CodingSession(example_project, "demo", new_coder=True)
    text = coding.text(S1)
    at = text.index("Jeetje.")
    coded = coding.code(S1, at, at + 7, "pattern.reaction")
    patterns = PatternSession(example_project, "demo")
    record = patterns.create(S1)
    patterns.link_coding(record.record_id, "reaction", coded["id"])
    coding.undo()
    links = patterns.links([record.record_id])
    assert links["status"].tolist() == ["coding withdrawn"]
    assert (links["document_id"].iloc[0], links["quote"].iloc[0]) == (S1, "Jeetje.")  # as when linked


# ---------------------------------------------------------------------------- the example records
def test_the_example_records_load_and_link_to_annas_codings(example_project):
    state = load_records(example_project)
    assert state.problems == []
    live = state.live()
    assert len(live) == 8 and {r.coder for r in live} == {"anna"}
    assert {r.document_id for r in live} == {"als-a-sessie-1", "als-a-sessie-2", "als-b-sessie-3",
                                             "als-b-sessie-4", "online-overleg"}
    assert all(all(r.steps[s] for s in STEPS) for r in live)
    documents = example_project.corpus.documents.set_index("document_id")
    assert all(r.date == documents.loc[r.document_id, "date"] for r in live)
    links = resolve_links(example_project, live)
    assert set(links["status"]) == {"ok"}
    assert (links["coding"] != "").sum() > 60 and set(links.loc[links["coding"] != "", "coder_of_coding"]) == {"anna"}
    text = example_project.corpus.text
    assert all(text(row.document_id)[row.start:row.end] == row.quote for row in links.itertuples())


# ---------------------------------------------------------------------------- grouping
@pytest.mark.parametrize(("n", "en", "nl"), [(1, "once: chance", "één keer: toeval"),
                                            (2, "twice: notable", "twee keer: opvallend"),
                                            (3, "3+ times: a pattern", "3+ keer: een patroon"),
                                            (7, "3+ times: a pattern", "3+ keer: een patroon")])
def test_occurrence_labels(n, en, nl):
    assert occurrence_label(n) == en and occurrence_label(n, "nl") == nl


def test_occurrence_label_refuses_nonsense():
    with pytest.raises(PatternError):
        occurrence_label(0)
    with pytest.raises(PatternError):
        occurrence_label(1, "fr")


def test_pattern_table_counts_sessions_roles_and_follow_up(example_project):
    table = pattern_table(load_records(example_project).live()).set_index("pattern")
    assert table["occurrences"].to_dict() == {WAITING: 3, REGIE: 3, CONSENT: 2}
    assert table.loc[CONSENT, "label"] == "twice: notable"
    assert table.loc[WAITING, "label"] == "3+ times: a pattern"
    assert table.loc[WAITING, "documents"] == ("als-a-sessie-1", "als-b-sessie-3", "als-b-sessie-4")
    assert table.loc[CONSENT, "sessions"] == ("als-a-sessie-1 (2026-03-12)", "online-overleg (2026-04-23)")
    assert {"intern begeleider", "jeugdhulpverlener"} <= set(table.loc[CONSENT, "roles"])
    # sessie 1: the single consent form went under "overige punten" (not followed up)
    assert table.loc[CONSENT, ["followed_up_yes", "followed_up_no", "followed_up_unknown"]].tolist() == [1, 1, 3]
    assert any("Gemeente 1: Eén toestemmingsformulier" in a for a in table.loc[CONSENT, "agreements"])
    assert len(table.loc[REGIE, "levers"]) == 3


def test_grouping_by_hand_moves_records_and_singletons_show_as_chance(example_project):
    session = PatternSession(example_project, "demo")
    one = session.create(S1, title="Los incident")
    two = session.create("als-a-sessie-2", title="Tweede")
    mine = session.records()
    assert pattern_table(mine).empty
    single = pattern_table(mine, include_ungrouped=True)
    assert single["label"].tolist() == ["once: chance", "once: chance"]
    session.group([one.record_id, two.record_id], "  Niemand belt terug ")
    table = pattern_table(session.records())
    assert table[["pattern", "occurrences", "label"]].values.tolist() == [["Niemand belt terug", 2, "twice: notable"]]
    session.group([two.record_id], "")
    assert pattern_table(session.records())["occurrences"].tolist() == [1]
    with pytest.raises(PatternError):
        session.group([], "x")


def test_suggested_patterns_are_deterministic_and_find_the_regie_pattern(example_project):
    live = load_records(example_project).live()
    codes = linked_codes(resolve_links(example_project, live))
    first = suggest_patterns(live, linked_codes=codes)
    again = suggest_patterns(list(reversed(live)), linked_codes=codes)
    assert first.equals(again)
    regie = first[first["pattern"] == REGIE]["suggested"]
    assert regie.nunique() == 1 and regie.iloc[0] >= 0
    others = first[first["pattern"] != REGIE]["suggested"]
    assert not set(others) & set(regie)
    assert "regie" in first.loc[regie.index[0], "suggested_name"]
    two = suggest_patterns(live, n_patterns=2)
    assert sorted(set(two["suggested"])) == [0, 1]
    with pytest.raises(PatternError, match="at least 2 records"):
        suggest_patterns(live[:1])


# ---------------------------------------------------------------------------- report and diagram
def test_markdown_report_is_deterministic_and_complete(example_project, tmp_path):
    live = load_records(example_project).live()
    links = resolve_links(example_project, live)
    text = pattern_markdown(live, links, "nl")
    assert text == pattern_markdown(list(reversed(live)), links, "nl")
    assert text.count("\n### ") == 3 + 8
    assert "- Aantal keer: 2 (twee keer: opvallend)" in text
    assert "**Hoe de ander het opvat en reageert.**" in text and "`pattern.moment`" in text
    english = pattern_markdown(live, None, "en")
    assert "- Occurrences: 3 (3+ times: a pattern)" in english and "Linked passages" not in english
    first = write_pattern_report(live, tmp_path / "a" / "patronen.md", links)
    second = write_pattern_report(live, tmp_path / "b" / "patronen.md", links)
    assert first.read_bytes() == second.read_bytes()
    pictures = sorted((tmp_path / "a" / "patronen-diagrams").glob("*.png"))
    assert len(pictures) == 3 and f"](patronen-diagrams/{pictures[0].name})" in first.read_text(encoding="utf-8")
    with pytest.raises(PatternError, match=r"\.md or \.docx"):
        write_pattern_report(live, tmp_path / "x.pdf")


def test_docx_report_is_byte_identical_and_holds_the_patterns(example_project, tmp_path):
    import docx

    live = load_records(example_project).live()
    first = pattern_docx_bytes(live, None, "nl")
    assert first == pattern_docx_bytes(live, None, "nl")
    document = docx.Document(io.BytesIO(first))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert WAITING in headings and REGIE in headings and len(headings) == 2 + 3 + 8
    assert document.paragraphs[0].text == "Interactiepatronen"
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert sum(name.startswith("word/media/") for name in archive.namelist()) == 3
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    path = write_pattern_report(live, tmp_path / "patronen.docx", None, diagrams=False)
    assert docx.Document(path).core_properties.title == "Interactiepatronen"


def test_the_loop_diagram_has_eight_steps_and_arrows_and_the_same_bytes(example_project, tmp_path):
    live = load_records(example_project).live()
    fig = pattern_diagram(live, REGIE)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == 8 and texts[0].startswith("Moment\nIn het overleg van 19 maart")
    assert texts[5].startswith("Het terugkerende patroon")
    assert len(fig.axes[0].patches) == 8
    assert figure_bytes(pattern_diagram(live, REGIE)) == figure_bytes(pattern_diagram(live, REGIE))
    a = save_figure(pattern_diagram(live, WAITING), tmp_path / "a.png")
    b = save_figure(pattern_diagram(live, WAITING), tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes() and a.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert figure_bytes(loop_diagram({}, "leeg")) != figure_bytes(pattern_diagram(live, WAITING))
    with pytest.raises(PatternError, match="no live record"):
        pattern_diagram(live, "bestaat niet")
