"""Undo, redo and recent codes read from a coder's log, so they outlive a session."""

from __future__ import annotations

import pytest

from raakvlak.coding.history import recent_codes, undo_stacks


def code(id_, code_id="x", origin="manual"):
    return {"id": id_, "kind": "code", "origin": origin, "code_id": code_id}


def uncode(id_, target, action=None):
    event = {"id": id_, "kind": "uncode", "origin": "manual", "target": target}
    if action:
        event["detail"] = {"action": action}
    return event


def test_undo_redo_undo_again():
    events = [code("a"), code("b"), uncode("u1", "b", "undo"), uncode("r1", "u1", "redo"),
              uncode("u2", "r1", "undo")]
    assert undo_stacks(events) == (["a"], ["u2"])
    assert undo_stacks(events[:4]) == (["a", "r1"], [])


def test_a_new_action_empties_the_redo_stack():
    events = [code("a"), uncode("u1", "a", "undo"), code("b")]
    assert undo_stacks(events) == (["b"], [])


def test_a_removal_by_hand_is_an_action_undo_takes_back():
    events = [code("a"), code("b"), uncode("rm", "b", "remove")]
    assert undo_stacks(events) == (["a", "b", "rm"], [])


def test_autocoded_and_imported_codings_are_not_undone():
    events = [code("a"), code("auto", origin="autocode"), code("imp", origin="import")]
    assert undo_stacks(events) == (["a"], [])


@pytest.mark.parametrize(("events", "expected"), [
    ([code("a"), uncode("u", "a")], ([], ["u"])),  # the last action: an undo
    ([code("a"), uncode("u", "a"), uncode("r", "u")], (["r"], [])),  # the last undo: a redo
    ([code("a"), code("b"), uncode("u", "a")], (["a", "b", "u"], [])),  # anything else: a removal
])
def test_unmarked_uncodes_of_older_logs(events, expected):
    assert undo_stacks(events) == expected


def test_recent_codes_most_recent_first_without_retired_ones():
    events = [code("1", "a"), code("2", "b"), code("3", "a"), code("4", "old"), code("5", "merged"),
              code("6", "c", origin="autocode")]
    usable = {"a": "a", "b": "b", "merged": "b"}.get
    assert recent_codes(events, usable) == ["b", "a"]
    assert recent_codes(events) == ["merged", "old", "a", "b"]
    assert recent_codes(events, limit=1) == ["merged"]


def test_the_mark_is_a_valid_optional_field_of_an_uncode():
    from raakvlak.coding.events import complete, find_problems, problem, uncode_event

    event = complete(uncode_event("00000000-0000-4000-8000-000000000000", action="undo"), "anna")
    assert event["detail"] == {"action": "undo"}
    assert problem(event, strict=True) is None
    assert find_problems([event, {**event, "detail": "undo"}]) == {
        1: "'detail' of a uncode event must be an object, not str 'undo'"}
