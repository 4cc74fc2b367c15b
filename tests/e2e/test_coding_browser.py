"""Coding in a real JupyterLab: select a phrase with the mouse, pick a code, remove it.

Runs notebooks/02_coding.ipynb in headless chromium on a copy of the example project,
answers its question who is coding (the project's first coder), and checks the coder's
log on disk. Leaves a screenshot of the coded document in
``test-artifacts/coding-widget.png``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .browser import ARTIFACTS, drag, log_lines, phrase_box, run_notebook

pytestmark = pytest.mark.e2e


CODER = "anna"
DOCUMENT = "als-a-sessie-1"
WANTED_CODE = "barrier.regie"

# time from the click on a code to the highlight in the page (performance.now())
ARM_TIMER = """([code, phrase]) => {
  const button = document.querySelector(`.rv-codes .rv-tree .rv-code[data-code="${code}"]`);
  const pane = document.querySelector('.rv-pane');
  window.__rvHighlightMs = new Promise((resolve) => {
    let clicked = null;
    button.addEventListener('mousedown', () => { clicked = performance.now(); }, {capture: true, once: true});
    const observer = new MutationObserver(() => {
      if (clicked === null) return;
      const shown = Array.from(pane.querySelectorAll('.rv-c')).some((el) => el.textContent.includes(phrase));
      if (shown) { observer.disconnect(); resolve(performance.now() - clicked); }
    });
    observer.observe(pane, {childList: true, subtree: true});
  });
}"""


def read_log(root: Path) -> list[dict]:
    return log_lines(root / "coding" / "logs" / f"{CODER}.jsonl")


def wait_for_events(root: Path, count: int, timeout: float = 15) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = read_log(root)
        if len(events) >= count:
            return events
        time.sleep(0.1)
    raise AssertionError(f"the log of {CODER} did not reach {count} events; last: {read_log(root)[-2:]}")


def choose_phrase(root: Path) -> str:
    """A phrase of a few words from the middle of an early turn of the document."""
    text = (root / "corpus" / f"{DOCUMENT}.txt").read_text(encoding="utf-8")
    for block in text.split("\n\n")[2:]:
        _, _, said = block.partition(": ")
        words = said.split()
        if len(words) >= 8 and "\n" not in said:
            return " ".join(words[2:5])
    raise AssertionError(f"no turn with enough words in {DOCUMENT}")


def test_select_code_and_remove_in_jupyterlab(lab, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    before = len(read_log(lab.root))
    phrase = choose_phrase(lab.root)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        run_notebook(page, lab, "02_coding.ipynb")
        page.locator("button.widget-button", has_text="Start coding").click(timeout=60_000)
        page.locator(".rv-pane .rv-turn").first.wait_for(timeout=60_000)
        assert page.locator(".rv-doc").get_attribute("data-doc") == DOCUMENT

        drag(page, phrase_box(page, ".rv-pane", phrase))
        assert page.evaluate("window.getSelection().toString()") == phrase
        page.locator(".rv-selected q").filter(has_text=phrase).wait_for(timeout=5_000)

        code = page.locator(f'.rv-tree .rv-code[data-code="{WANTED_CODE}"]')
        page.evaluate(ARM_TIMER, [WANTED_CODE, phrase])
        code.click()
        highlight_ms = page.evaluate("window.__rvHighlightMs")
        events = wait_for_events(lab.root, before + 1)
        assert len(events) == before + 1
        coded = events[-1]
        assert (coded["kind"], coded["code_id"], coded["quote"]) == ("code", WANTED_CODE, phrase)
        page.locator(".rv-status").filter(has_text="saved").wait_for(timeout=5_000)
        print(f"\nclick on code -> highlight shown: {highlight_ms:.1f} ms")

        mark = page.locator(f'.rv-c[data-c="{coded["id"]}"]').first
        mark.scroll_into_view_if_needed()
        page.mouse.move(5, 5)  # no hover card over the text in the picture
        page.locator(".rv-root").screenshot(path=str(ARTIFACTS / "coding-widget.png"))

        mark.click()
        page.locator(".rv-pop .rv-remove").click()
        events = wait_for_events(lab.root, before + 2)
        assert len(events) == before + 2
        assert (events[-1]["kind"], events[-1]["target"]) == ("uncode", coded["id"])
        page.locator(f'.rv-c[data-c="{coded["id"]}"]').wait_for(state="detached", timeout=5_000)

        # keyboard: select again, press 1 (the most recent code), then Ctrl+Z; JupyterLab's
        # own shortcuts (1 makes a cell a heading) must not fire
        cells = page.locator(".jp-Notebook .jp-Cell").count()
        drag(page, phrase_box(page, ".rv-pane", phrase))
        page.keyboard.press("1")
        events = wait_for_events(lab.root, before + 3)
        assert (events[-1]["kind"], events[-1]["code_id"], events[-1]["quote"]) == (
            "code", WANTED_CODE, phrase)
        page.keyboard.press("Control+z")
        events = wait_for_events(lab.root, before + 4)
        assert (events[-1]["kind"], events[-1]["target"]) == ("uncode", events[-2]["id"])
        assert page.locator(".jp-Notebook .jp-Cell").count() == cells
        assert page.locator(".jp-Notebook .jp-MarkdownCell").count() == 4

        # the whole-turn button only selects the turn; a code click codes it
        turn = page.locator(".rv-pane .rv-turn").nth(3)
        turn.hover()
        turn.locator(".rv-code-turn").click()
        assert len(read_log(lab.root)) == before + 4  # nothing coded by the button itself
        code.click()
        events = wait_for_events(lab.root, before + 5)
        whole = events[-1]
        assert (whole["kind"], whole["code_id"]) == ("code", WANTED_CODE)
        assert whole["quote"] == turn.locator(".rv-text").inner_text().strip()
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "coding-widget-failure.png"))
        raise
    finally:
        page.close()
