"""Coding a picture in the coding widget of a real JupyterLab: open a picture document,
drag a rectangle, click a code, remove it.

Runs notebooks/02_coding.ipynb in headless chromium on a copy of the example project,
answers its question who is coding, chooses a picture in the widget's document list
and checks the coder's log on disk: exactly one ``region`` event whose rectangle is the
one dragged, in pixels of the full-size upright picture. Leaves a screenshot in
``test-artifacts/picture-widget.png``. (The pictures-only :class:`PictureWidget` of
notebooks/08_media.ipynb shows the same pane; notebook 08 runs in the recording test.)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from raakvlak.corpus.mediastore import MediaStore
from raakvlak.widgets.picture import PREVIEW_SIDE, to_picture

from .browser import ARTIFACTS, log_lines, run_notebook

pytestmark = pytest.mark.e2e
CODE = "barrier.regie"
PICTURE = "model-kasteel"  # taken with the phone on its side (EXIF orientation 6)
IMAGE_READY = "() => { const i = document.querySelector('.rvp-img'); return i && i.complete && i.naturalWidth > 0; }"


def events(root: Path) -> list[dict]:
    return log_lines(root / "coding" / "logs" / "anna.jsonl")


def wait_for(root: Path, count: int, timeout: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = events(root)
        if len(found) >= count:
            return found
        time.sleep(0.1)
    raise AssertionError(f"the log did not reach {count} events; last: {events(root)[-2:]}")


def free_corner(root: Path, size: tuple[int, int]) -> tuple[float, float, float, float]:
    """A rectangle (as shares of width and height) that starts outside anna's regions on
    the picture, so the drag draws a new one instead of opening a region."""
    regions = [e for e in events(root) if e.get("kind") == "region" and e["document_id"] == PICTURE]
    left = min([e["left"] for e in regions] + [size[0]]) / size[0]
    assert left > 0.06, "the example's regions leave no free strip on the left"
    return 0.02, 0.05, min(0.35, left - 0.02), 0.45


def test_open_a_picture_in_the_coding_widget_draw_code_and_remove(lab, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    row = MediaStore(lab.root).picture(PICTURE)
    size = (int(row["width"]), int(row["height"]))
    before = len(events(lab.root))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        run_notebook(page, lab, "02_coding.ipynb")
        page.locator("button.widget-button", has_text="Start coding").click(timeout=60_000)
        page.locator(".rv-pane .rv-turn").first.wait_for(timeout=60_000)

        chooser = page.locator(".rv-coding-widget .widget-dropdown",
                               has=page.locator("label", has_text="Document")).locator("select")
        labels = chooser.locator("option").all_inner_texts()
        # ipywidgets shows the spaces of a label as no-break spaces
        matching = [i for i, text in enumerate(labels) if text.replace("\xa0", " ").startswith(f"{PICTURE} ")]
        assert len(matching) == 1, f"{PICTURE} not once in the document list: {labels}"
        chooser.select_option(index=matching[0], timeout=10_000)
        page.wait_for_function(IMAGE_READY, timeout=60_000, polling=200)
        page.locator(".rv-coding-widget .rv-pane").wait_for(state="hidden", timeout=10_000)  # the text pane made way

        image = page.locator(".rvp-img")
        image.scroll_into_view_if_needed()
        box = image.bounding_box()
        preview = page.evaluate("() => { const i = document.querySelector('.rvp-img'); return [i.naturalWidth, i.naturalHeight]; }")
        assert max(preview) <= PREVIEW_SIDE and preview[0] * size[1] == preview[1] * size[0]
        share = free_corner(lab.root, size)
        x0, y0 = round(box["x"] + box["width"] * share[0]), round(box["y"] + box["height"] * share[1])
        x1, y1 = round(box["x"] + box["width"] * share[2]), round(box["y"] + box["height"] * share[3])
        page.mouse.move(x0, y0)
        page.mouse.down()
        page.mouse.move(x1, y1, steps=8)
        page.mouse.up()
        assert page.locator(".rvp-draft").is_visible()
        page.locator(f'.rvp-code[data-code="{CODE}"]').click()
        found = wait_for(lab.root, before + 1)
        assert len(found) == before + 1
        event = found[-1]
        # the same arithmetic as the pane (CSS pixels -> preview pixels) and the kernel
        rect = page.evaluate("() => { const r = document.querySelector('.rvp-img').getBoundingClientRect(); "
                             "return [r.left, r.top, r.width, r.height]; }")
        scale = preview[0] / size[0]
        drawn = [(x0 - rect[0]) * preview[0] / rect[2], (y0 - rect[1]) * preview[1] / rect[3],
                 (x1 - rect[0]) * preview[0] / rect[2], (y1 - rect[1]) * preview[1] / rect[3]]
        expected = to_picture(drawn, scale, size)
        assert (event["kind"], event["document_id"], event["code_id"]) == ("region", PICTURE, CODE)
        assert (event["left"], event["top"], event["right"], event["bottom"]) == expected
        assert event["sha256"] == row["sha256"]
        region = page.locator(f'.rvp-region[data-region="{event["id"]}"]')
        region.wait_for(timeout=5_000)
        page.locator(".rvp-status").filter(has_text="saved").wait_for(timeout=5_000)
        page.mouse.move(5, 5)
        page.locator(".rvp-root").screenshot(path=str(ARTIFACTS / "picture-widget.png"))

        region.click()
        page.locator(".rvp-pop .rvp-remove").click()
        found = wait_for(lab.root, before + 2)
        assert len(found) == before + 2
        assert (found[-1]["kind"], found[-1]["target"]) == ("uncode", event["id"])
        region.wait_for(state="detached", timeout=5_000)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "picture-widget-failure.png"))
        raise
    finally:
        page.close()
