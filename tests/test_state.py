"""The fold: from the events of the coding logs to the current codings, memos and history."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pandas as pd
import pytest

from raakvlak.coding import events as ev
from raakvlak.coding.log import CodingLog
from raakvlak.coding.state import (
    CODING_COLUMNS,
    HISTORY_COLUMNS,
    MEMO_COLUMNS,
    CodingState,
    fold,
    load_state,
)
from raakvlak.corpus.canonical import fingerprint

TEXT = (
    "Mentor: De school belt het wijkteam, maar de beschikking duurt weken.\n"
    "Jeugdhulpverlener: Ouders willen één plan en geen drie.\n"
)


class Coder:
    """Makes complete events of one coder with ids and times in a fixed order."""

    clock = 0

    def __init__(self, coder: str):
        self.coder = coder

    def _done(self, event: dict) -> dict:
        Coder.clock += 1
        seconds, micro = divmod(Coder.clock, 1000)
        stamp = f"2026-11-22T14:{seconds // 60:02d}:{seconds % 60:02d}.{micro:06d}Z"
        return ev.validate(ev.complete({**event, "time": stamp}, self.coder))

    def code(self, word: str, code_id: str, *, nth: int = 0, document: str = "interview-01",
             length: int | None = None, **kwargs) -> dict:
        start = -1
        for _ in range(nth + 1):
            start = TEXT.index(word, start + 1)
        end = start + (length or len(word))
        return self._done(ev.code_event(document, TEXT, start, end, code_id, **kwargs))

    def uncode(self, target: dict) -> dict:
        return self._done(ev.uncode_event(target["id"]))

    def memo(self, on: str, target: str, text: str) -> dict:
        return self._done(ev.memo_event(on, target, text))

    def recode(self, source: str, target: str, action: str = "merge") -> dict:
        return self._done(ev.recode_event(action, source, target))

    def reanchor(self, target: dict, text: str, start: int, end: int) -> dict:
        return self._done(ev.reanchor_event(target["id"], text, start, end))


@pytest.fixture
def anna() -> Coder:
    return Coder("anna")


@pytest.fixture
def ben() -> Coder:
    return Coder("ben")


def _live(state: CodingState) -> list[tuple]:
    return list(state.codings[["coder", "quote", "code_id"]].itertuples(index=False, name=None))


# ---------------------------------------------------------------------- codings
def test_overlapping_spans_and_several_codes_on_one_span_are_all_kept(anna: Coder) -> None:
    events = [
        anna.code("De school belt het wijkteam", "kennisdeling"),
        anna.code("school", "rol"),  # inside the first
        anna.code("school", "vertrouwen"),  # same span, another code
        anna.code("wijkteam, maar de beschikking", "regie"),  # overlaps the first
    ]
    state = fold(events)
    assert list(state.codings.columns) == CODING_COLUMNS
    assert len(state.codings) == 4
    codings = state.codings.set_index("event_id")
    for event in events:
        row = codings.loc[event["id"]]
        assert TEXT[row["start"]:row["end"]] == row["quote"] == event["quote"]
        assert row["code_id"] == row["original_code_id"] == event["code_id"]
        assert row["sha256"] == fingerprint(TEXT) and row["coder"] == "anna"
        assert row["time"] == pd.Timestamp(event["time"])
    assert (state.codings["start"].tolist(), state.codings["code_id"].tolist()) == (
        [8, 11, 11, 27], ["kennisdeling", "rol", "vertrouwen", "regie"])
    assert state.codings["start"].dtype == "int64"
    assert str(state.codings["time"].dtype) == "datetime64[us, UTC]"


def test_undo_redo_chains_give_the_expected_state(anna: Coder) -> None:
    code = anna.code("wijkteam", "regie")
    other = anna.code("school", "rol")
    undo = anna.uncode(code)
    redo = anna.uncode(undo)
    undo_again = anna.uncode(redo)
    redo_again = anna.uncode(undo_again)
    steps = [code, other, undo, redo, undo_again, redo_again]
    expected_live = [
        {"wijkteam"}, {"wijkteam", "school"}, {"school"}, {"wijkteam", "school"},
        {"school"}, {"wijkteam", "school"},
    ]
    for k, live in enumerate(expected_live, start=1):
        assert set(fold(steps[:k]).codings["quote"]) == live, f"after step {k}"

    # undo again as a second uncode of the code itself (instead of undoing the redo)
    second_undo = anna.uncode(code)
    assert set(fold([*steps[:4], second_undo]).codings["quote"]) == {"school"}
    # ... and redoing that one brings it back
    assert set(fold([*steps[:4], second_undo, anna.uncode(second_undo)]).codings["quote"]) == {
        "wijkteam", "school"}

    history = fold(steps).history.set_index("event_id")["withdrawn"]
    assert not history[code["id"]]  # redone: live again
    assert history[undo["id"]] and not history[redo["id"]]
    assert history[undo_again["id"]] and not history[redo_again["id"]]


def test_an_uncode_only_withdraws_an_earlier_event_of_its_own_coder(anna: Coder, ben: Coder) -> None:
    annas = anna.code("wijkteam", "regie")
    bens = ben.code("wijkteam", "regie")
    recode = anna.recode("rol", "regie")
    meddling = ben.uncode(annas)
    on_recode = anna.uncode(recode)
    unknown = anna._done(ev.uncode_event("0c3f9a52-6c5e-4b84-9a5b-3f1f0c0d7e11"))
    state = fold([annas, bens, recode, meddling, on_recode, unknown])
    assert sorted(state.codings["coder"]) == ["anna", "ben"]
    summary = state.history.set_index("event_id")["summary"]
    assert summary[meddling["id"]].endswith("(no effect: the event belongs to another coder)")
    assert summary[on_recode["id"]].endswith("(no effect: a recode event cannot be a target here)")
    assert summary[unknown["id"]].endswith("(no effect: no earlier event with this id)")
    # an uncode placed before its target (a hand-edited log) has no effect either
    early = anna.uncode(annas)
    assert len(fold([early, annas]).codings) == 1


def test_reanchor_moves_a_coding_onto_the_new_text(anna: Coder, ben: Coder) -> None:
    code = anna.code("beschikking", "regie")
    new_text = "Intro.\n" + TEXT.replace("De school", "Onze school")
    start = new_text.index("beschikking")
    first = anna.reanchor(code, new_text, start, start + len("beschikking"))
    newer = "Intro 2.\n" + new_text
    start2 = newer.index("beschikking")
    second = anna.reanchor(code, newer, start2, start2 + len("beschikking"))
    foreign = ben._done(ev.reanchor_event(code["id"], TEXT, 0, 6))
    row = fold([code, first, second, foreign]).codings.iloc[0]
    assert (row["start"], row["end"]) == (start2, start2 + 11)
    assert newer[row["start"]:row["end"]] == row["quote"] == "beschikking"
    assert row["sha256"] == fingerprint(newer)
    assert row["prefix"] == newer[start2 - 40:start2] and row["suffix"] == second["suffix"]
    assert row["event_id"] == code["id"]  # the coding keeps its identity
    only_first = fold([code, first]).codings.iloc[0]
    assert only_first["start"] == start and only_first["sha256"] == fingerprint(new_text)


# ---------------------------------------------------------------------- memos
def test_a_later_memo_replaces_the_earlier_and_undo_brings_it_back(anna: Coder, ben: Coder) -> None:
    first = anna.memo("document", "interview-01", "Audio slecht na 10 min.")
    second = anna.memo("document", "interview-01", "Audio slecht na 10 min; deel 2 ontbreekt.")
    bens = ben.memo("document", "interview-01", "Goed gesprek.")
    project = anna.memo("project", "", "Ronde 1: open coderen.")
    state = fold([first, second, bens, project])
    assert list(state.memos.columns) == MEMO_COLUMNS
    assert list(state.memos[["coder", "on", "target", "text"]].itertuples(index=False, name=None)) == [
        ("anna", "document", "interview-01", "Audio slecht na 10 min; deel 2 ontbreekt."),
        ("anna", "project", "", "Ronde 1: open coderen."),
        ("ben", "document", "interview-01", "Goed gesprek."),
    ]
    assert state.memos["event_id"].iloc[0] == second["id"]
    undo = anna.uncode(second)
    texts = fold([first, second, bens, project, undo]).memos["text"].tolist()
    assert texts[0] == "Audio slecht na 10 min."
    cleared = anna.memo("project", "", "")
    assert fold([project, cleared]).memos.empty
    assert fold([project, cleared, anna.uncode(cleared)]).memos["text"].tolist() == [
        "Ronde 1: open coderen."]


def test_memos_on_codings_follow_their_coding(anna: Coder, ben: Coder) -> None:
    with_memo = anna.code("wijkteam", "regie", memo="eerste indruk")
    plain = anna.code("school", "rol")
    state = fold([with_memo, plain])
    memo = state.codings.set_index("event_id")["memo"]
    assert (memo[with_memo["id"]], memo[plain["id"]]) == ("eerste indruk", "")
    assert state.memos[["event_id", "on", "target", "text"]].values.tolist() == [
        [with_memo["id"], "coding", with_memo["id"], "eerste indruk"]]

    rethought = anna.memo("coding", with_memo["id"], "toch eerder kennisdeling")
    on_plain = anna.memo("coding", plain["id"], "twijfel")
    foreign = ben.memo("coding", plain["id"], "ben mag hier niets")
    state = fold([with_memo, plain, rethought, on_plain, foreign])
    memo = state.codings.set_index("event_id")["memo"]
    assert (memo[with_memo["id"]], memo[plain["id"]]) == ("toch eerder kennisdeling", "twijfel")
    assert len(state.memos) == 2  # ben's memo on anna's coding is left out

    gone = fold([with_memo, plain, rethought, on_plain, anna.uncode(plain)])
    assert gone.memos["target"].tolist() == [with_memo["id"]]  # no memo on a withdrawn coding


# ---------------------------------------------------------------------- merges
def test_recode_events_and_resolve_merge_codes_and_keep_the_original(anna: Coder, ben: Coder) -> None:
    events = [
        anna.code("wijkteam", "casusregie"),
        anna.code("school", "rol"),
        ben.code("beschikking", "regievoering"),
        anna.recode("casusregie", "regie"),  # anna's codebook decision counts for ben too
        ben.code("Ouders", "casusregie"),  # coded after the merge: still merged
        anna.recode("regievoering", "casusregie", action="rename"),  # chains follow
    ]
    state = fold(events)
    pairs = dict(zip(state.codings["original_code_id"], state.codings["code_id"], strict=True))
    assert pairs == {"casusregie": "regie", "rol": "rol", "regievoering": "regie"}

    replaced_by = {"regie": "samenwerking", "rol": "professionele-rol"}
    state = fold(events, resolve=lambda code_id: replaced_by.get(code_id, code_id))
    assert sorted(state.codings["code_id"]) == ["professionele-rol", *["samenwerking"] * 3]
    assert sorted(state.codings["original_code_id"]) == [
        "casusregie", "casusregie", "regievoering", "rol"]
    summary = state.history.set_index("event_id")["summary"]
    assert summary[events[3]["id"]] == "merged code casusregie into regie"


def test_a_cycle_of_merges_ends_instead_of_hanging(anna: Coder) -> None:
    events = [anna.code("school", "a"), anna.recode("a", "b"), anna.recode("b", "a")]
    state = fold(events, resolve=lambda c: {"b": "c", "c": "a"}.get(c, c))
    assert state.codings["code_id"].tolist()[0] in {"a", "b", "c"}


# ---------------------------------------------------------------------- tables
def test_rows_are_in_a_deterministic_order_whatever_the_order_of_coders(anna: Coder, ben: Coder) -> None:
    rng = random.Random(5)
    words = ["school", "wijkteam", "beschikking", "Ouders", "plan", "weken"]
    annas = [anna.code(rng.choice(words), rng.choice("abc")) for _ in range(30)]
    bens = [ben.code(rng.choice(words), rng.choice("abc")) for _ in range(30)]
    same = [anna.code("school", "a") for _ in range(3)]  # equal on every key but the id
    first = fold(annas + same + bens).codings
    second = fold(bens + annas + same).codings
    pd.testing.assert_frame_equal(first, second)
    keys = first[["coder", "document_id", "start", "end", "code_id", "event_id"]]
    assert list(keys.itertuples(index=False, name=None)) == sorted(keys.itertuples(index=False, name=None))
    assert first.index.tolist() == list(range(len(first)))


def test_history_is_the_whole_audit_trail_in_time_order(anna: Coder, ben: Coder) -> None:
    code = anna.code("wijkteam", "regie")
    bens = ben.code("school", "rol")
    undo = anna.uncode(code)
    memo = anna.memo("code", "regie", "Wie houdt de regie?\nNiemand.")
    state = fold([code, undo, memo, bens])  # ben's log after anna's
    history = state.history
    assert list(history.columns) == HISTORY_COLUMNS
    assert history["event_id"].tolist() == [code["id"], bens["id"], undo["id"], memo["id"]]
    assert history["kind"].tolist() == ["code", "code", "uncode", "memo"]
    assert history["withdrawn"].tolist() == [True, False, False, False]
    assert history["target"].tolist() == ["", "", code["id"], "regie"]
    assert history["summary"].tolist() == [
        f"coded regie on interview-01 [{code['start']}:{code['end']}] “wijkteam”",
        f"coded rol on interview-01 [{bens['start']}:{bens['end']}] “school”",
        f"withdrew {code['id']}",
        "memo on code regie: “Wie houdt de regie? Niemand.”",
    ]
    assert history["withdrawn"].dtype == bool


def test_an_empty_log_gives_empty_tables_with_their_columns() -> None:
    state = fold([])
    assert list(state.codings.columns) == CODING_COLUMNS and state.codings.empty
    assert list(state.memos.columns) == MEMO_COLUMNS and state.memos.empty
    assert list(state.history.columns) == HISTORY_COLUMNS and state.history.empty
    assert state.codings["start"].dtype == "int64"
    assert repr(state) == "CodingState(0 codings, 0 memos, 0 events)"


def test_fold_does_not_change_its_input(anna: Coder) -> None:
    code = anna.code("wijkteam", "regie", memo="m", detail={"query": "wijk*"})
    events = [code, anna.reanchor(code, TEXT, 0, 6), anna.recode("regie", "rol"),
              anna.memo("coding", code["id"], "n")]
    before = copy.deepcopy(events)
    state = fold(iter(events))  # any iterable
    assert events == before
    assert state.codings["detail"].tolist() == [{"query": "wijk*"}]


# ---------------------------------------------------------------------- from disk
def test_load_state_folds_every_coder_and_returns_the_problems(tmp_path: Path) -> None:
    logs = tmp_path / "coding" / "logs"
    anna, ben = CodingLog.in_folder(logs, "anna"), CodingLog.in_folder(logs, "ben")
    start = TEXT.index("wijkteam")
    code = anna.append(ev.code_event("interview-01", TEXT, start, start + 8, "regie"))
    anna.append(ev.uncode_event(code["id"]))
    kept = anna.append(ev.code_event("interview-01", TEXT, 0, 6, "rol"))
    ben.append(ev.code_event("interview-01", TEXT, start, start + 8, "regie"))
    with ben.path.open("ab") as handle:
        handle.write(b'{"v":1,"id":"0c3f')
    state, problems = load_state(logs, resolve=lambda c: "casusregie" if c == "regie" else c)
    assert _live(state) == [("anna", "Mentor", "rol"), ("ben", "wijkteam", "casusregie")]
    assert state.codings["event_id"].iloc[0] == kept["id"]
    assert [str(p) for p in problems] == [
        "coding/logs/ben.jsonl:2: torn line skipped (crash during a write?)"]
    assert len(state.history) == 4
    empty, none = load_state(tmp_path / "nowhere")
    assert empty.codings.empty and none == []
