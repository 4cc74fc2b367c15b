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


# ---------------------------------------------------------------------- in the coding widget
def test_the_coding_widget_codes_a_picture_in_the_same_log(example_project):
    from raakvlak.widgets.coding import CodingWidget

    coding = CodingWidget(example_project, "anna", document="als-a-sessie-1")
    values = [value for _, value in coding.documents.options]
    assert "model-kasteel" in values and values.index("model-kasteel") > values.index("als-a-sessie-1")
    assert coding.picture is None  # no picture pane until a picture is opened

    coding.documents.value = "model-kasteel"  # chosen in the document list
    pane = coding.picture
    assert coding.is_picture and pane is not None and pane.view in coding.children
    assert coding.view.layout.display == "none" and pane.view.layout.display == ""
    assert pane.view.document_id == "model-kasteel" and pane.size == (1600, 1200)
    assert pane.session.coder == "anna"
    codes = {code["id"]: code for code in pane.view.codes}
    assert codes["barrier.regie"]["depth"] == 1 and codes["barrier"]["depth"] == 0  # the code tree

    log = example_project.log("anna")
    before = len(log.read().events)
    send(pane, {"type": "code", "box": [10, 20, 110, 220.5], "code_id": "barrier.regie"})
    events = log.read().events
    assert len(events) == before + 1
    event = events[-1]
    assert (event["kind"], event["document_id"], event["code_id"]) == ("region", "model-kasteel", "barrier.regie")
    assert (event["left"], event["top"], event["right"], event["bottom"]) == (10, 20, 110, 221)
    assert any(region["id"] == event["id"] for region in pane.view.regions)
    assert coding.documents.label.startswith("model-kasteel · 1/1 coded")

    coding.memo_text.value = "de gracht"  # a memo on the picture document
    coding.save_memo()
    assert log.read().events[-1] == {**log.read().events[-1], "kind": "memo", "on": "document",
                                     "target": "model-kasteel", "text": "de gracht"}

    send(pane, {"type": "uncode", "event_id": event["id"]})
    assert all(region["id"] != event["id"] for region in pane.view.regions)

    coding.filter_variable.value = "model"  # a picture variable filters the list
    coding.filter_value.value = "kasteel"
    assert [value for _, value in coding.documents.options] == ["model-kasteel"]
    coding.filter_variable.value = "(all)"

    coding.documents.value = "als-a-sessie-2"  # back to a text: the text pane shows again
    assert not coding.is_picture and coding.view.layout.display == ""
    assert pane.view.layout.display == "none" and 'data-doc="als-a-sessie-2"' in coding.view.html
