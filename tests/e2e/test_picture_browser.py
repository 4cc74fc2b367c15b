"""Coding a picture in a real JupyterLab: drag a rectangle, click a code, remove it.

Runs notebooks/08_media.ipynb in headless chromium on a copy of the example project
and checks the coder's log on disk: exactly one ``region`` event whose rectangle is the
one dragged, in pixels of the full-size picture. Leaves a screenshot in
``test-artifacts/picture-widget.png``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PIL import Image

from raakvlak import Project
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.pictures import import_pictures
from raakvlak.widgets.picture import PREVIEW_SIDE, to_picture

from .browser import ARTIFACTS, log_lines, run_notebook

pytestmark = pytest.mark.e2e
CODE = "barrier.regie"
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


def first_picture(root: Path, tmp_path: Path) -> tuple[str, tuple[int, int]]:
    """The first picture of the project (one is imported when the example has none)."""
    store = MediaStore(root)
    if not store.path("pictures").exists():
        image = Image.new("RGB", (3000, 2000), "white")
        image.paste((30, 90, 200), (600, 400, 1800, 1400))
        image.save(tmp_path / "model.jpg", quality=85)
        import_pictures(Project(root), [tmp_path / "model.jpg"])
    row = store.pictures().iloc[0]
    return row["document_id"], (int(row["width"]), int(row["height"]))


def test_draw_a_region_code_it_and_remove_it(lab, browser, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    document, size = first_picture(lab.root, tmp_path)
    before = len(events(lab.root))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        run_notebook(page, lab, "08_media.ipynb")
        page.wait_for_function(IMAGE_READY, timeout=60_000, polling=200)
        image = page.locator(".rvp-img")
        image.scroll_into_view_if_needed()
        box = image.bounding_box()
        preview = page.evaluate("() => { const i = document.querySelector('.rvp-img'); return [i.naturalWidth, i.naturalHeight]; }")
        assert max(preview) <= PREVIEW_SIDE < max(size) or preview == list(size)
        x0, y0 = round(box["x"] + box["width"] * 0.2), round(box["y"] + box["height"] * 0.25)
        x1, y1 = round(box["x"] + box["width"] * 0.55), round(box["y"] + box["height"] * 0.7)
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
        assert (event["kind"], event["document_id"], event["code_id"]) == ("region", document, CODE)
        assert (event["left"], event["top"], event["right"], event["bottom"]) == expected
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
