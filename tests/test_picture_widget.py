"""The picture widget through a mocked comm: a rectangle drawn on the preview becomes one
event with the rectangle in full-resolution pixels."""

from __future__ import annotations

import io

import pytest
from PIL import Image

pytest.importorskip("anywidget")

from raakvlak.corpus.pictures import import_pictures  # noqa: E402
from raakvlak.widgets.picture import PictureWidget, to_picture, to_preview  # noqa: E402


def send(widget, content: dict) -> None:
    """Deliver ``content`` as the browser's ``model.send(content)`` arrives in the kernel."""
    widget.view._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})


@pytest.fixture
def widget(example_project, tmp_path):
    Image.new("RGB", (4000, 3000), "teal").save(tmp_path / "groot.jpg", quality=70)
    import_pictures(example_project, [tmp_path / "groot.jpg"])
    return PictureWidget(example_project, "anna", document="groot")


def test_widget_sends_a_downscaled_picture(widget):
    image = Image.open(io.BytesIO(widget.view.image))
    assert image.size == (1600, 1200) and widget.view.preview_size == [1600, 1200]
    assert widget.scale == 0.4
    assert any(code["id"] == "barrier.regie" for code in widget.view.codes)


def test_a_drawn_rectangle_is_one_event_in_full_resolution(widget, example_project):
    before = len(example_project.log("anna").read().events)
    send(widget, {"type": "code", "box": [100, 40, 300.2, 200], "code_id": "barrier.regie"})
    events = example_project.log("anna").read().events
    assert len(events) == before + 1
    event = events[-1]
    assert (event["kind"], event["left"], event["top"], event["right"], event["bottom"]) == (
        "region", 250, 100, 751, 500)
    [shown] = widget.view.regions
    assert shown["full"] == [250, 100, 751, 500] and shown["box"] == [100.0, 40.0, 300.4, 200.0]
    assert widget.view.status == "saved"
    send(widget, {"type": "uncode", "event_id": event["id"]})
    assert widget.view.regions == [] and example_project.log("anna").read().events[-1]["kind"] == "uncode"
    send(widget, {"type": "undo"})
    assert len(widget.view.regions) == 1


def test_a_refusal_is_shown_not_raised(widget):
    send(widget, {"type": "code", "box": [0, 0, 10, 10], "code_id": "no.such.code"})
    assert "unknown code" in widget.view.error and widget.view.regions == []


def test_conversions_round_trip():
    box = (123, 45, 678, 901)
    assert to_picture(to_preview(box, 0.3), 0.3, (4000, 3000)) == box
