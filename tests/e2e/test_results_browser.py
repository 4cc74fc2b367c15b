"""The agreement table and the theme map as a researcher sees them in JupyterLab.

Runs notebooks/04_agreement.ipynb and notebooks/05_themes.ipynb in headless chromium on a
copy of the example project, checks that the table and the map are shown, and leaves
screenshots in ``test-artifacts/`` (the README shows them, copied to docs/images/).
"""

from __future__ import annotations

import time

import pytest

from .browser import ARTIFACTS, log_lines, run_notebook

pytestmark = [pytest.mark.e2e, pytest.mark.example_vectors]


def output_of(page, source: str):
    """The output area of the code cell whose source contains ``source``."""
    cell = page.locator(".jp-CodeCell").filter(has=page.locator(".jp-InputArea", has_text=source)).first
    return cell.locator(".jp-OutputArea").first


def shoot(page, element, name: str, height: int) -> None:
    """A picture of the top of ``element`` (at most ``height`` pixels)."""
    element.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(300)
    box = element.bounding_box()
    page.screenshot(path=str(ARTIFACTS / name),
                    clip={"x": box["x"], "y": box["y"], "width": box["width"], "height": min(height, box["height"])})


def test_agreement_table_and_theme_map_are_shown(lab, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1700, "height": 1000})
    try:
        run_notebook(page, lab, "04_agreement.ipynb")
        table = output_of(page, "agreement_table(project, coders").locator("table").first
        table.wait_for(timeout=120_000)
        table.scroll_into_view_if_needed()
        header = table.locator("thead").text_content()
        for column in ("code_id", "cohen_kappa", "alpha", "verdict"):
            assert column in header
        assert table.locator("tbody tr").filter(has_text="(all codes)").count() == 1
        assert table.locator("tbody tr").filter(has_text="barrier.regie").count() == 1
        page.mouse.move(5, 5)
        # the picture starts at the barrier codes: what the example study is about
        start = table.locator("tbody tr").filter(has_text="barrier.providers").first
        start.evaluate("row => row.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        row, whole = start.bounding_box(), table.bounding_box()
        page.screenshot(path=str(ARTIFACTS / "agreement-table.png"),
                        clip={"x": whole["x"], "y": row["y"], "width": whole["width"], "height": 620})

        page.close()  # a fresh page, so the kernel status read is that of the next notebook
        page = browser.new_page(viewport={"width": 1700, "height": 1000})
        run_notebook(page, lab, "05_themes.ipynb")
        picture = output_of(page, "theme_map_figure(model)").locator("img").first
        picture.wait_for(timeout=180_000)
        assert picture.evaluate("img => img.naturalWidth") > 300
        page.mouse.move(5, 5)
        shoot(page, output_of(page, "theme_map_figure(model)"), "theme-map.png", 700)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "results-failure.png"))
        raise
    finally:
        page.close()


def test_theme_explorer_accept_writes_one_event_and_reject_none(lab, browser):
    """The researcher decides: Accept writes one coding (origin suggestion), Reject none."""
    ARTIFACTS.mkdir(exist_ok=True)
    log = lab.root / "coding" / "logs" / "anna.jsonl"
    rejected = lab.root / "coding" / "suggestions" / "anna-rejected.jsonl"
    page = browser.new_page(viewport={"width": 1700, "height": 1000})
    try:
        run_notebook(page, lab, "05_themes.ipynb")
        page.get_by_role("button", name="Find themes").wait_for(timeout=180_000)
        page.get_by_role("button", name="Find themes").click()
        page.locator(".rv-theme").first.wait_for(timeout=120_000)
        page.get_by_role("button", name="Suggest codes").click()
        accept = page.get_by_role("button", name="Accept").first
        accept.wait_for(timeout=120_000)
        before = log_lines(log)
        accept.click()
        deadline = time.monotonic() + 30
        while len(log_lines(log)) == len(before) and time.monotonic() < deadline:
            time.sleep(0.2)
        after = log_lines(log)
        assert len(after) == len(before) + 1
        event = after[-1]
        assert (event["kind"], event["origin"]) == ("code", "suggestion")
        assert event["detail"]["fingerprint"]

        # the list is shown anew after a decision: decide on the new first row only
        page.locator(".jp-OutputArea-output").get_by_text("Accepted ").first.wait_for(timeout=30_000)
        page.get_by_role("button", name="Reject").first.click()
        page.locator(".jp-OutputArea-output").get_by_text("Rejected ").first.wait_for(timeout=30_000)
        deadline = time.monotonic() + 30
        while not log_lines(rejected) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(log_lines(rejected)) == 1
        time.sleep(1)
        assert len(log_lines(log)) == len(after)  # nothing written to the coder's log
        explorer = page.locator(".rv-theme").first
        explorer.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.mouse.move(5, 5)
        page.screenshot(path=str(ARTIFACTS / "theme-explorer.png"))
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "theme-explorer-failure.png"))
        raise
    finally:
        page.close()
