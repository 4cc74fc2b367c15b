"""Filling a pattern record in a real JupyterLab: select a passage with the mouse, link it.

Runs notebooks/06_patterns.ipynb in headless chromium on a copy of the example project,
drag-selects a phrase with an accented letter in the transcript pane of the pattern
widget, writes a step and presses "Link selection", then links a whole turn with the
pane's "select turn" button, and checks the coder's pattern log on disk. Leaves a screenshot in ``test-artifacts/pattern-widget.png``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from .browser import ARTIFACTS, drag, log_lines, phrase_box, run_notebook

pytestmark = pytest.mark.e2e


CODER = "anna"  # the notebook's parameter
DOCUMENT = "als-a-sessie-1"  # the first transcript: what the widget opens
STEP = 1  # "Who does what", the second step
STEP_TEXT = "De docent wacht op de jeugdhulp."
TITLE = "Geen antwoord op de mail"

def events(root: Path) -> list[dict]:
    return log_lines(root / "coding" / "patterns" / f"{CODER}.jsonl")


def links(root: Path) -> list[dict]:
    return [event for event in events(root) if event["kind"] == "link"]


def choose_phrase(root: Path) -> str:
    """Three words of an early turn, the first with an accented letter (ë, é, ö ...)."""
    text = (root / "corpus" / f"{DOCUMENT}.txt").read_text(encoding="utf-8")
    for block in text.split("\n\n")[2:]:
        _, _, said = block.partition(": ")
        words = said.split()
        if "\n" in said or len(words) < 6:
            continue
        for k in range(1, len(words) - 3):
            if re.fullmatch(r"\w+", words[k]) and not words[k].isascii():
                return " ".join(words[k:k + 3])
    raise AssertionError(f"no turn with an accented word in {DOCUMENT}")


def test_select_a_passage_and_link_it_to_a_step(lab, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    before = links(lab.root)
    phrase = choose_phrase(lab.root)
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    try:
        run_notebook(page, lab, "06_patterns.ipynb")
        widget = page.locator(".rv-pattern-widget").first
        page.locator(".rv-passages .rv-turn").first.wait_for(timeout=180_000)
        assert page.locator(".rv-passages .rv-doc").get_attribute("data-doc") == DOCUMENT

        drag(page, phrase_box(page, ".rv-passages", phrase))
        assert page.evaluate("window.getSelection().toString()") == phrase
        widget.locator("q").filter(has_text=phrase).wait_for(timeout=10_000)  # Python has it

        widget.get_by_placeholder("a short name for the incident").fill(TITLE)
        step = widget.get_by_placeholder("in your own words").nth(STEP)
        step.click()
        step.fill(STEP_TEXT)
        widget.get_by_role("button", name="Link selection").nth(STEP).click()

        deadline = time.monotonic() + 30
        while len(links(lab.root)) == len(before) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # nothing more may come
        written = links(lab.root)
        assert len(written) == len(before) + 1
        link = written[-1]
        text = (lab.root / "corpus" / f"{DOCUMENT}.txt").read_text(encoding="utf-8")
        assert (link["step"], link["document_id"], link["quote"]) == ("action", DOCUMENT, phrase)
        assert text[link["start"]:link["end"]] == phrase
        record = [e for e in events(lab.root) if e.get("id") == link["record"]]
        assert record and record[0]["kind"] == "create"  # a new record was saved first
        assert record[0]["fields"]["title"] == TITLE
        steps = [e for e in events(lab.root) if e.get("record") == link["record"] and e.get("field") == "action"]
        assert [e["value"] for e in steps] == [STEP_TEXT]

        # the passage is marked in the transcript and listed under the step
        mark = page.locator(f'.rv-passages .rv-c[data-c="{link["id"]}"]')
        mark.wait_for(timeout=10_000)
        assert mark.inner_text() == phrase
        widget.get_by_text(f"↳ {phrase}").wait_for(timeout=5_000)
        widget.get_by_text("linked the selected passage to Who does what").first.wait_for(timeout=5_000)

        # "select turn" selects a whole turn; linked to the first step it gives the turn's text
        turn = page.locator(".rv-passages .rv-turn").nth(4)
        turn.scroll_into_view_if_needed()
        turn.hover()
        turn.locator(".rv-code-turn").click()
        said = turn.locator(".rv-text").inner_text().strip()
        widget.locator("q").filter(has_text=" ".join(said.split())[:40]).wait_for(timeout=10_000)
        widget.get_by_role("button", name="Link selection").nth(0).click()
        deadline = time.monotonic() + 30
        while len(links(lab.root)) == len(before) + 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        whole = links(lab.root)[-1]
        assert len(links(lab.root)) == len(before) + 2
        assert (whole["step"], whole["record"], whole["quote"]) == ("moment", link["record"], said)
        assert text[whole["start"]:whole["end"]] == said
        page.locator(f'.rv-passages .rv-c[data-c="{whole["id"]}"]').wait_for(timeout=10_000)

        mark.evaluate("el => el.scrollIntoView({block: 'center'})")
        widget.evaluate("el => el.scrollIntoView({block: 'start'})")
        page.mouse.move(5, 5)
        page.wait_for_timeout(300)
        area = widget.bounding_box()
        page.screenshot(path=str(ARTIFACTS / "pattern-widget.png"),
                        clip={"x": area["x"], "y": max(area["y"], 0), "width": area["width"],
                              "height": min(760, area["height"])})
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "pattern-widget-failure.png"))
        raise
    finally:
        page.close()
