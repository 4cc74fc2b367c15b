"""Region codings of pictures: the event form, the fold, the session."""

from __future__ import annotations

import pytest
from PIL import Image

from raakvlak.coding import events as ev
from raakvlak.coding.picture_session import PictureSession
from raakvlak.coding.session import CodingSession
from raakvlak.coding.state import fold
from raakvlak.corpus.pictures import import_pictures
from raakvlak.errors import CodingError

SHA = "ab" * 32


def region(box, code="trust", document="lego-1", **kw):
    return ev.complete(ev.region_event(document, box, code, SHA, **kw), coder="anna")


@pytest.mark.parametrize("box, wrong", [
    ((10, 10, 10, 20), "left < right"),
    ((10, 30, 20, 20), "top < bottom"),
    ((-1, 0, 5, 5), "0 <= left"),
])
def test_a_region_without_pixels_is_no_valid_event(box, wrong):
    assert wrong in ev.problem(region(box))


def test_region_event_fields_are_checked_strictly():
    event = region((1, 2, 3, 4))
    assert ev.problem(event, strict=True) is None
    assert list(event)[:6] == ["v", "id", "coder", "time", "kind", "origin"]
    assert list(event)[6:] == ["document_id", "left", "top", "right", "bottom", "code_id", "sha256"]
    assert "integer" in ev.problem({**event, "left": "1"})
    assert ev.find_problems([event, {**event, "right": 0}]) == {1: ev.problem({**event, "right": 0})}


def test_fold_keeps_overlapping_regions_codes_memos_and_withdrawals():
    a = region((0, 0, 100, 100), "trust", memo="the bridge")
    b = region((50, 50, 150, 150), "trust")
    c = region((50, 50, 150, 150), "regie")
    d = region((5, 5, 10, 10), "old")
    memo_b = ev.complete(ev.memo_event("coding", b["id"], "two towers"), coder="anna")
    drop_d = ev.complete(ev.uncode_event(d["id"]), coder="anna")
    merge = ev.complete(ev.recode_event("merge", "regie", "governance"), coder="anna")
    state = fold([a, b, c, d, memo_b, drop_d, merge])
    regions = state.regions
    assert regions["event_id"].tolist() == [a["id"], c["id"], b["id"]]  # by box, then code
    assert regions.set_index("event_id").loc[c["id"], "code_id"] == "governance"
    assert regions.set_index("event_id").loc[c["id"], "original_code_id"] == "regie"
    assert dict(zip(regions["event_id"], regions["memo"], strict=True)) == {
        a["id"]: "the bridge", b["id"]: "two towers", c["id"]: ""}
    assert len(state.codings) == 0  # text analyses see no region
    summary = state.history.set_index("event_id").loc[a["id"], "summary"]
    assert summary == "coded trust on picture lego-1 region (0, 0, 100, 100)"
    redo = ev.complete(ev.uncode_event(drop_d["id"]), coder="anna")
    assert d["id"] in set(fold([a, d, drop_d, redo]).regions["event_id"])


@pytest.fixture
def picture(example_project, tmp_path):
    Image.new("RGB", (400, 300), "orange").save(tmp_path / "brug.png")
    import_pictures(example_project, [tmp_path / "brug.png"])
    return example_project


def test_session_codes_a_region_in_the_coders_own_log(picture):
    session = PictureSession(picture, "anna")
    before = len(picture.log("anna").read().events)
    first = session.code_region("brug", (350, 250, 500, 100), "barrier.regie")
    assert (first["left"], first["top"], first["right"], first["bottom"]) == (350, 100, 400, 250)
    session.code_region("brug", (350, 100, 400, 250), "barrier.providers")
    events = picture.log("anna").read().events
    assert len(events) == before + 2 and events[-1]["kind"] == "region"
    assert len(session.regions("brug")) == 2
    session.memo(first["id"], "wie heeft de regie?")
    assert session.regions("brug").set_index("event_id").loc[first["id"], "memo"] == "wie heeft de regie?"
    session.uncode(first["id"])
    assert session.regions("brug")["code_id"].tolist() == ["barrier.providers"]
    # a text session of the same coder reads the same log without trouble
    assert len(CodingSession(picture, "anna").codings()) > 0


@pytest.mark.parametrize("box, code, message", [
    ((500, 500, 600, 600), "barrier.regie", "holds no pixel"),
    ((0, 0, 10, 10), "no.such.code", "unknown code"),
    (("a", 0, 10, 10), "barrier.regie", "four whole numbers"),
])
def test_session_refuses_bad_regions(picture, box, code, message):
    with pytest.raises(CodingError, match=message):
        PictureSession(picture, "anna").code_region("brug", box, code)


def test_session_refuses_unknown_picture(picture):
    with pytest.raises(Exception, match="unknown picture 'nope'"):
        PictureSession(picture, "anna").code_region("nope", (0, 0, 5, 5), "barrier.regie")
