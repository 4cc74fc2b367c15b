"""Daily coding in a real JupyterLab, one notebook run for the whole of issue 16.

Runs notebooks/02_coding.ipynb in headless chromium on a copy of the example project and
works through it as a coder does: answers who is coding (a typo is refused, the
project's first coder accepted), takes back with Ctrl+Z a coding made before the notebook
was opened (its code first among the recent ones), selects phrases with the mouse (snapped to whole words;
exact with Alt; never from a speaker label), codes and removes them, uses the keyboard,
the margin, the search in the document, the codebook editor, the retrieval view and the
codebook browser. Every step is checked on disk (the coder's log,
``coding/codebook.yaml``) or in the page. The notebook runs once: each step is a
function called in turn on the same page.

Leaves screenshots in ``test-artifacts/``: the coding widget (``coding-widget.png``;
``coding-margin.png`` where the margin holds the most bars), the codebook editor
(``codebook-editor.png``) and the retrieval view (``retrieval-view.png``); the README
shows copies of them from ``docs/images/``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from raakvlak.coding.session import CodingSession
from raakvlak.project import Project

from .browser import ARTIFACTS, drag, log_lines, phrase_box, run_notebook

pytestmark = pytest.mark.e2e


CODER = "anna"
DOCUMENT = "als-a-sessie-1"
WANTED_CODE = "barrier.regie"
WANTED_LABEL = "Regie niet belegd"
PARENT = "barrier"
PARENT_LABEL = "Knelpunten in de samenwerking"
OTHER_PARENT = "success"
# coded by anna in a session before the notebook is opened
EARLIER_PHRASE = "Heeft iedereen koffie"
EARLIER_CODE = "success.pragmatic_start"
EARLIER_LABEL = "Pragmatisch beginnen"

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

# the value of a promise the page keeps in window[name], or -1 after 10 s (bounded)
BOUNDED = ("() => Promise.race([window.{name}, "
           "new Promise((resolve) => setTimeout(() => resolve(-1), 10000))])")

# the current search hit (CSS highlight "rv-found-now") as a UTF-16 offset, or null
CURRENT_HIT = """() => {
  const now = CSS.highlights.get('rv-found-now');
  if (!now) return null;
  const range = Array.from(now)[0];
  const piece = range.startContainer.parentElement.closest('.rv-p[data-o]');
  return Number(piece.dataset.o) + range.startOffset;
}"""

# is every character of the element shown (nothing cut off or hidden by overflow)?
FITS = "(el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1"


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


def wait_until(check, what: str, timeout: float = 15):
    """Poll ``check()`` (bounded) until it returns something true; return that."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def choose_phrase(root: Path) -> str:
    """A phrase of a few words from the middle of an early turn of the document."""
    text = (root / "corpus" / f"{DOCUMENT}.txt").read_text(encoding="utf-8")
    for block in text.split("\n\n")[2:]:
        _, _, said = block.partition(": ")
        words = said.split()
        if len(words) >= 8 and "\n" not in said:
            return " ".join(words[2:5])
    raise AssertionError(f"no turn with enough words in {DOCUMENT}")


def shot(page, element, name: str, height: int = 640) -> None:
    """A picture of the top of ``element`` (at most ``height`` pixels) in ARTIFACTS."""
    element.evaluate("el => el.scrollIntoView({block: 'start'})")
    page.mouse.move(5, 5)  # no hover card in the picture
    page.wait_for_timeout(200)
    box = element.bounding_box()
    page.screenshot(path=str(ARTIFACTS / name), clip={
        "x": box["x"], "y": box["y"], "width": box["width"], "height": min(box["height"], height)})


def code_button(page, code_id: str):
    return page.locator(f'.rv-codes .rv-tree .rv-code[data-code="{code_id}"]')


def code_drag(page, root: Path, phrase: str, code_id: str = WANTED_CODE, alt: bool = False) -> dict:
    """Drag over ``phrase`` (Alt held when ``alt``), click a code, return the new event."""
    before = len(read_log(root))
    box = phrase_box(page, ".rv-pane", phrase)
    if alt:  # Alt held when the mouse is released (an Alt-drag from the start selects
        # nothing in chromium on Linux)
        page.mouse.move(box["x0"], box["y0"])
        page.mouse.down()
        page.mouse.move(box["x1"], box["y1"], steps=8)
        page.keyboard.down("Alt")
        page.mouse.up()
        page.keyboard.up("Alt")
    else:
        drag(page, box)
    page.locator(".rv-selected q").wait_for(timeout=5_000)
    page.wait_for_timeout(300)  # Python's answer to the selection (the snapped span)
    code_button(page, code_id).click()
    events = wait_for_events(root, before + 1)
    assert len(events) == before + 1
    assert (events[-1]["kind"], events[-1]["code_id"]) == ("code", code_id)
    # the new highlight is drawn before anything else is measured on the page
    page.locator(f'.rv-pane .rv-c[data-c~="{events[-1]["id"]}"]').first.wait_for(timeout=10_000)
    return events[-1]


# ---------------------------------------------------------------------- the steps
def step_coder_picker(page, root: Path) -> None:
    """Who is coding: a coder the project does not list is refused, anna is accepted."""
    settings = (root / "raakvlak.toml").read_text(encoding="utf-8")
    choice = page.locator(".rv-coder-choice")
    choice.locator("select").select_option(label="(a new coder)", timeout=60_000)
    choice.locator('input[type="text"]').fill("anan")
    choice.locator("button.widget-button", has_text="Start coding").click()
    choice.get_by_text("'anan' is not a coder of this project").wait_for(timeout=10_000)
    assert choice.get_by_text("add this coder on purpose").count() >= 1
    assert not (root / "coding" / "logs" / "anan.jsonl").exists()
    assert (root / "raakvlak.toml").read_text(encoding="utf-8") == settings
    assert page.locator(".rv-pane").count() == 0

    choice.locator("select").select_option(label=CODER)
    choice.locator("button.widget-button", has_text="Start coding").click()
    page.locator(".rv-pane .rv-turn").first.wait_for(timeout=60_000)
    page.get_by_text(f"Coding as {CODER}").wait_for(timeout=5_000)
    assert page.locator(".rv-doc").get_attribute("data-doc") == DOCUMENT


def code_in_an_earlier_session(root: Path) -> dict:
    """A coding of anna's from before the notebook was opened (a session of yesterday)."""
    session = CodingSession(Project(root), CODER)
    start = session.text(DOCUMENT).index(EARLIER_PHRASE)
    return session.code(DOCUMENT, start, start + len(EARLIER_PHRASE), EARLIER_CODE)


def step_earlier_session(page, root: Path, earlier: dict) -> None:
    """The widget remembers what the log holds: the earlier session's code is the first
    recent code, and Ctrl+Z, before anything else is done, takes back its coding."""
    recent = page.locator(".rv-recent-row")
    recent.get_by_text(EARLIER_LABEL).first.wait_for(timeout=10_000)
    assert re.search(rf"\b1\s*{EARLIER_LABEL}", recent.inner_text()), recent.inner_text()
    before = len(read_log(root))
    page.locator(".rv-root").focus()
    page.keyboard.press("Control+z")
    events = wait_for_events(root, before + 1)
    assert (events[-1]["kind"], events[-1]["target"]) == ("uncode", earlier["id"])
    page.locator(f'.rv-c[data-c~="{earlier["id"]}"]').wait_for(state="detached", timeout=5_000)
    assert "nothing to undo" not in page.locator(".rv-root").inner_text()


def step_code_margin_remove(page, root: Path, phrase: str) -> None:
    """Select, code (the highlight and a margin bar show), click the bar, remove."""
    before = len(read_log(root))
    drag(page, phrase_box(page, ".rv-pane", phrase))
    assert page.evaluate("window.getSelection().toString()") == phrase
    page.locator(".rv-selected q").filter(has_text=phrase).wait_for(timeout=5_000)

    page.evaluate(ARM_TIMER, [WANTED_CODE, phrase])
    code_button(page, WANTED_CODE).click()
    highlight_ms = page.evaluate(BOUNDED.format(name="__rvHighlightMs"))
    events = wait_for_events(root, before + 1)
    assert len(events) == before + 1
    coded = events[-1]
    assert (coded["kind"], coded["code_id"], coded["quote"]) == ("code", WANTED_CODE, phrase)
    page.locator(".rv-status").filter(has_text="saved").wait_for(timeout=5_000)
    print(f"\nclick on code -> highlight shown: {highlight_ms:.1f} ms (benchmarks/widget.py compares)")

    mark = page.locator(f'.rv-c[data-c="{coded["id"]}"]').first
    mark.scroll_into_view_if_needed()

    # the margin: a bar with the code's label beside the lines, readable in full
    bar = page.locator(f'.rv-margin .rv-bar[data-c="{coded["id"]}"]')
    bar.wait_for(timeout=5_000)
    assert bar.locator(".rv-bar-label").inner_text() == WANTED_LABEL
    assert bar.locator(".rv-bar-label").evaluate(FITS), "the bar's label is cut off"
    assert WANTED_LABEL in (bar.get_attribute("title") or "")
    text_box, bar_box = mark.bounding_box(), bar.bounding_box()
    assert bar_box["x"] >= text_box["x"] + text_box["width"], "the bar is not beside the text"
    assert bar_box["y"] <= text_box["y"] + text_box["height"] and text_box["y"] <= bar_box["y"] + bar_box["height"]
    text_column = page.locator(".rv-pane .rv-turn .rv-text").first.bounding_box()["width"]
    margin_column = page.locator(".rv-margin").bounding_box()["width"]
    assert text_column > 2 * margin_column, (text_column, margin_column)
    # the toolbar's items do not overlap each other
    boxes = [b for b in page.locator(".rv-toolbar > *").evaluate_all(
        "els => els.map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })")
        if b[2] > b[0]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] + 0.5 or b[2] <= a[0] + 0.5 or a[3] <= b[1] + 0.5 or b[3] <= a[1] + 0.5, (a, b)

    # the Margin button hides the margin (the text takes its place) and shows it again
    toggle = page.locator(".rv-toolbar .rv-margin-toggle")
    toggle.click()
    page.locator(".rv-margin").wait_for(state="hidden", timeout=5_000)
    assert toggle.get_attribute("aria-pressed") == "false" and toggle.is_visible()
    assert page.locator(".rv-pane .rv-turn .rv-text").first.bounding_box()["width"] > text_column
    toggle.click()
    bar.wait_for(timeout=5_000)
    assert toggle.get_attribute("aria-pressed") == "true"

    page.mouse.move(5, 5)  # no hover card over the text in the picture
    page.locator(".rv-root").screenshot(path=str(ARTIFACTS / "coding-widget.png"))

    # a click on the bar selects that coding: its card opens, bar and highlight are marked
    bar.click()
    page.locator(".rv-pop").filter(has_text=WANTED_LABEL).wait_for(timeout=5_000)
    assert page.locator(".rv-pop .rv-quote").inner_text() == phrase
    assert "rv-picked" in (bar.get_attribute("class") or "")
    assert "rv-picked" in (mark.get_attribute("class") or "")
    page.locator(".rv-pop .rv-close").click()

    mark.click()
    page.locator(".rv-pop .rv-remove").click()
    events = wait_for_events(root, before + 2)
    assert len(events) == before + 2
    assert (events[-1]["kind"], events[-1]["target"]) == ("uncode", coded["id"])
    page.locator(f'.rv-c[data-c="{coded["id"]}"]').wait_for(state="detached", timeout=5_000)
    page.locator(f'.rv-bar[data-c="{coded["id"]}"]').wait_for(state="detached", timeout=5_000)


def step_keyboard_and_turn(page, root: Path, phrase: str) -> None:
    """Press 1 (the most recent code), Ctrl+Z; the whole-turn button; a repeated coding."""
    before = len(read_log(root))
    # JupyterLab's own shortcuts (1 makes a cell a heading) must not fire
    cells = page.locator(".jp-Notebook .jp-Cell").count()
    markdown = page.locator(".jp-Notebook .jp-MarkdownCell").count()
    drag(page, phrase_box(page, ".rv-pane", phrase))
    page.keyboard.press("1")
    events = wait_for_events(root, before + 1)
    assert (events[-1]["kind"], events[-1]["code_id"], events[-1]["quote"]) == (
        "code", WANTED_CODE, phrase)
    page.keyboard.press("Control+z")
    events = wait_for_events(root, before + 2)
    assert (events[-1]["kind"], events[-1]["target"]) == ("uncode", events[-2]["id"])
    assert page.locator(".jp-Notebook .jp-Cell").count() == cells
    assert page.locator(".jp-Notebook .jp-MarkdownCell").count() == markdown

    # the whole-turn button only selects the turn; a code click codes it
    turn = page.locator(".rv-pane .rv-turn").nth(3)
    turn.hover()
    turn.locator(".rv-code-turn").click()
    assert len(read_log(root)) == before + 2  # nothing coded by the button itself
    code_button(page, WANTED_CODE).click()
    events = wait_for_events(root, before + 3)
    whole = events[-1]
    assert (whole["kind"], whole["code_id"]) == ("code", WANTED_CODE)
    assert whole["quote"] == turn.locator(".rv-text").inner_text().strip()

    # the same code on the same span again: refused with a message, nothing written
    turn.hover()
    turn.locator(".rv-code-turn").click()
    code_button(page, WANTED_CODE).click()
    page.locator(".rv-error").filter(has_text="already has the code").wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    assert len(read_log(root)) == before + 3
    page.locator(".rv-error").click()  # closes it


# true when each coding with words in sight has a shown bar level with those words
BARS_ON_SCREEN = """() => {
  const pane = document.querySelector('.rv-pane');
  const box = pane.getBoundingClientRect();
  let seen = 0;
  for (const piece of pane.querySelectorAll('.rv-text:not(.rv-other) .rv-c')) {
    const r = piece.getBoundingClientRect();
    if (r.bottom < box.top || r.top > box.bottom) continue;
    for (const id of piece.dataset.c.split(' ')) {
      const bar = pane.querySelector(`.rv-bar[data-c="${id}"]`);
      if (!bar || bar.hidden) return false;
      const b = bar.getBoundingClientRect();
      if (b.bottom < r.top - 2 || b.top > r.bottom + 2) return false;
      seen++;
    }
  }
  return seen > 0;
}"""


def step_snapping(page, root: Path) -> None:
    """Drags that end inside words code whole words; Alt keeps the exact characters; a
    drag that starts on a speaker label starts at the turn's first word."""
    coded = code_drag(page, root, "iddag hoe het er aan de")
    assert coded["quote"] == "vanmiddag hoe het er aan deze"
    exact = code_drag(page, root, "preadsheet", alt=True)
    assert exact["quote"] == "preadsheet"

    turn = page.locator(".rv-pane .rv-turn").filter(
        has=page.locator(".rv-text", has_text=re.compile(r"^Dus geen klaagsessie\.$")))
    speaker = turn.locator(".rv-speaker")
    assert speaker.inner_text() == "Wijkteam 1"
    speaker.scroll_into_view_if_needed()
    label_box = speaker.bounding_box()
    word_box = page.evaluate("""(turn) => {
        const node = turn.querySelector('.rv-p[data-o]').firstChild;
        const range = document.createRange();
        range.setStart(node, 4); range.setEnd(node, 6);  // "ge" of "geen"
        const r = range.getBoundingClientRect();
        return {x: r.right, y: r.top + r.height / 2};
    }""", turn.element_handle())
    before = len(read_log(root))
    page.mouse.move(label_box["x"] + 3, label_box["y"] + label_box["height"] / 2)
    page.mouse.down()
    page.mouse.move(word_box["x"], word_box["y"], steps=8)
    page.mouse.up()
    page.locator(".rv-selected q").wait_for(timeout=5_000)
    page.wait_for_timeout(300)
    code_button(page, WANTED_CODE).click()
    events = wait_for_events(root, before + 1)
    assert events[-1]["quote"] == "Dus geen", events[-1]["quote"]

    # a picture of the margin where the turns hold the most codings
    page.evaluate("""() => {
        const turns = Array.from(document.querySelectorAll('.rv-pane .rv-turn'));
        const most = turns.reduce((a, b) => b.querySelectorAll('.rv-stripes i').length
                                            > a.querySelectorAll('.rv-stripes i').length ? b : a);
        const pane = document.querySelector('.rv-pane');
        pane.scrollTop += most.getBoundingClientRect().top - pane.getBoundingClientRect().top - 60;
    }""")
    # the turns far from the screen are not laid out (content-visibility: auto); scrolled
    # there, every coding on screen gets its bar beside its words
    page.wait_for_function(BARS_ON_SCREEN, timeout=5_000)
    shot(page, page.locator(".rv-root"), "coding-margin.png")


def step_search(page) -> None:
    """Ctrl+F, a word, then next and previous move the current hit."""
    page.locator(".rv-pane .rv-turn .rv-text").first.click()
    page.keyboard.press("Control+f")
    finder = page.locator(".rv-find")
    assert finder.evaluate("el => el === document.activeElement")
    finder.type("klaagsessie")
    count = page.locator(".rv-find-count")
    page.wait_for_function(
        "() => /^1 \\/ \\d+$/.test(document.querySelector('.rv-find-count').textContent)",
        timeout=10_000, polling=100)
    total = int(count.inner_text().split("/")[1])
    assert total >= 2
    first = page.evaluate(CURRENT_HIT)
    assert first is not None
    assert page.evaluate("window.getSelection().toString()").lower() == "klaagsessie"
    finder.press("Enter")
    assert count.inner_text() == f"2 / {total}"
    second = page.evaluate(CURRENT_HIT)
    assert second > first
    page.locator(".rv-find-prev").click()
    assert count.inner_text() == f"1 / {total}"
    assert page.evaluate(CURRENT_HIT) == first
    page.locator(".rv-find-next").click()
    assert page.evaluate(CURRENT_HIT) == second
    finder.press("Escape")
    page.wait_for_function("() => !document.querySelector('.rv-find-count').textContent",
                           timeout=10_000, polling=100)


def option_label(select, prefix: str) -> str:
    """The label of the option of a <select> that starts with ``prefix`` (ipywidgets
    shows the spaces of an option as no-break spaces)."""
    for text in select.locator("option").all_text_contents():
        if text.replace("\xa0", " ").startswith(prefix):
            return text
    raise AssertionError(f"no option {prefix!r}")


def choose(select, text: str) -> None:
    """Choose the option shown as ``text`` in an ipywidgets dropdown."""
    label = option_label(select, text)
    assert label.replace("\xa0", " ") == text, label
    select.select_option(label=label)


def step_editor_and_retrieval(page, root: Path) -> None:
    """A new code in the editor (written with the comments kept, in the trees at once),
    a coding with it; retrieval on its parent with and without the codes below, in two
    contexts; counts that follow; rename and recolour; merge."""
    book_file = root / "coding" / "codebook.yaml"
    header = book_file.read_text(encoding="utf-8").splitlines()[0]
    editor = page.locator(".rv-editor")
    editor.scroll_into_view_if_needed()
    editor.locator(".rv-ed-name").fill("Wachten op de school")
    editor.locator(".rv-ed-parent").select_option(value=PARENT)
    editor.locator(".rv-ed-colour").fill("#1f6e8c")
    editor.locator(".rv-ed-definition").fill("Iedereen wacht tot de school de eerste stap zet.")
    editor.locator(".rv-ed-add").click()
    editor.locator(".rv-ed-status").filter(has_text="new code").wait_for(timeout=10_000)
    code = wait_until(lambda: next((c for c in Project(root).codebook
                                    if c.label_nl == "Wachten op de school"), None),
                      "the new code in coding/codebook.yaml")
    assert (code.parent, code.colour) == (PARENT, "#1f6e8c")
    assert code.definition == "Iedereen wacht tot de school de eerste stap zet."
    text = book_file.read_text(encoding="utf-8")
    assert text.splitlines()[0] == header and "# Ids" in text  # the comments are kept
    editor.locator(f'.rv-ed-row[data-code="{code.id}"]').wait_for(timeout=5_000)
    code_button(page, code.id).wait_for(timeout=10_000)  # the coding widget's palette at once

    # the counts before, in the retrieval view and the codebook browser
    retrieval = page.locator(".rv-retrieval")
    codes = retrieval.locator("select[multiple]")
    codes.scroll_into_view_if_needed()
    parent_before = option_label(codes, f"{PARENT_LABEL} (")
    browser_count = page.locator(f'.rv-codebook-browser details[data-code="{code.id}"] > summary .rv-n')
    assert browser_count.inner_text() == "0"

    # code a phrase of a turn of several sentences with the new (child) code
    page.locator(".rv-pane").scroll_into_view_if_needed()
    coded = code_drag(page, root, "andere kant van de tafel", code_id=code.id)
    assert coded["quote"] == "andere kant van de tafel"

    # the counts follow without running a cell again
    wait_until(lambda: option_label(codes, f"{PARENT_LABEL} (") != parent_before,
               "the retrieval view's count of the parent")
    n_before = int(re.search(r"\((\d+)\)$", parent_before).group(1))
    assert option_label(codes, f"{PARENT_LABEL} (").endswith(f"({n_before + 1})")
    wait_until(lambda: browser_count.inner_text() == "1", "the codebook browser's count")

    # retrieval on the parent, with the codes below: the new quote shows
    codes.scroll_into_view_if_needed()
    codes.select_option(label=option_label(codes, f"{PARENT_LABEL} ("))
    document = retrieval.locator(".widget-dropdown", has_text="Document").locator("select")
    choose(document, DOCUMENT)
    below = retrieval.locator(".widget-checkbox", has_text="include the codes below").locator("input")
    assert below.is_checked()
    retrieval.locator("button.widget-button", has_text="Show quotes").click()
    card = retrieval.locator(".rv-q").filter(has_text="Wachten op de school")
    card.first.wait_for(timeout=15_000)
    assert card.count() == 1
    sentence = card.inner_text()
    assert "Ik zit meestal aan de andere kant van de tafel." in sentence
    assert "Voor mij ook nieuw" not in sentence
    context = retrieval.locator(".widget-dropdown", has_text="Context").locator("select")
    choose(context, "the turn")
    wait_until(lambda: "Voor mij ook nieuw" in card.inner_text(), "the turn as context")
    assert "Met spreadsheets." in card.inner_text()
    choose(context, "the coded words")
    wait_until(lambda: "meestal" not in card.inner_text(), "the coded words as context")
    assert "andere kant van de tafel" in card.inner_text()
    choose(context, "the sentence")
    wait_until(lambda: "Voor mij ook nieuw" not in card.inner_text() and "meestal" in card.inner_text(),
               "the sentence as context again")
    shot(page, retrieval, "retrieval-view.png")
    # without the codes below, the parent alone holds no quote of the new code
    below.uncheck()
    card.first.wait_for(state="detached", timeout=15_000)
    below.check()
    card.first.wait_for(timeout=15_000)

    # rename and recolour
    editor.scroll_into_view_if_needed()
    editor.locator(f'.rv-ed-row[data-code="{code.id}"]').click()
    editor.locator(".rv-ed-name").wait_for(timeout=5_000)
    page.wait_for_function(
        "() => document.querySelector('.rv-editor .rv-ed-name').value === 'Wachten op de school'",
        timeout=10_000, polling=100)
    shot(page, editor, "codebook-editor.png")
    editor.locator(".rv-ed-name").fill("Wachten op elkaar")
    editor.locator(".rv-ed-colour").fill("#8c1f6e")
    editor.locator(".rv-ed-save").click()
    editor.locator(".rv-ed-status").filter(has_text="saved").wait_for(timeout=10_000)
    renamed = wait_until(lambda: (lambda c: c if c.label_nl == "Wachten op elkaar" else None)(
        Project(root).codebook[code.id]), "the new name in coding/codebook.yaml")
    assert renamed.colour == "#8c1f6e"
    editor.locator(f'.rv-ed-row[data-code="{code.id}"]').filter(has_text="Wachten op elkaar").wait_for(
        timeout=5_000)
    code_button(page, code.id).filter(has_text="Wachten op elkaar").wait_for(timeout=10_000)

    # move it under another group with the parent picker, and back
    for parent in (OTHER_PARENT, PARENT):
        editor.locator(".rv-ed-parent").select_option(value=parent)
        editor.locator(".rv-ed-save").click()
        wait_until(lambda parent=parent: Project(root).codebook[code.id].parent == parent,
                   f"the move under {parent} in coding/codebook.yaml")
    assert Project(root).codebook[code.id].label_nl == "Wachten op elkaar"

    # retire a second new code: two clicks; it leaves the trees, its status says why
    editor.locator(".rv-ed-fresh").click()
    editor.locator(".rv-ed-heading").filter(has_text="New code").wait_for(timeout=10_000)
    editor.locator(".rv-ed-name").fill("Tijdelijk")
    editor.locator(".rv-ed-parent").select_option(value=PARENT)
    editor.locator(".rv-ed-add").click()
    spare = wait_until(lambda: next((c for c in Project(root).codebook if c.label_nl == "Tijdelijk"), None),
                       "the second new code in coding/codebook.yaml")
    code_button(page, spare.id).wait_for(timeout=10_000)
    editor.locator(f'.rv-ed-row[data-code="{spare.id}"]').click()
    editor.locator(".rv-ed-retire").click()
    editor.locator(".rv-ed-retire").click()
    wait_until(lambda: Project(root).codebook[spare.id].status == "retired", "the retirement in codebook.yaml")
    code_button(page, spare.id).wait_for(state="detached", timeout=10_000)

    # merge into the wanted code: two clicks; the code leaves the trees
    editor.locator(f'.rv-ed-row[data-code="{code.id}"]').click()
    editor.locator(".rv-ed-into").select_option(value=WANTED_CODE)
    editor.locator(".rv-ed-merge").click()
    editor.locator(".rv-ed-merge").click()
    editor.locator(".rv-ed-status").filter(has_text="merged into").wait_for(timeout=10_000)
    merged = wait_until(lambda: (lambda c: c if c.status == "merged" else None)(
        Project(root).codebook[code.id]), "the merge in coding/codebook.yaml")
    assert merged.replaced_by == WANTED_CODE
    assert book_file.read_text(encoding="utf-8").splitlines()[0] == header
    code_button(page, code.id).wait_for(state="detached", timeout=10_000)
    editor.locator(f'.rv-ed-row[data-code="{code.id}"]').wait_for(state="detached", timeout=5_000)


def test_daily_coding_in_jupyterlab(lab, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    phrase = choose_phrase(lab.root)
    earlier = code_in_an_earlier_session(lab.root)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        run_notebook(page, lab, "02_coding.ipynb")
        page.locator(".rv-coder-choice").wait_for(timeout=60_000)
        step_coder_picker(page, lab.root)
        step_earlier_session(page, lab.root, earlier)
        step_code_margin_remove(page, lab.root, phrase)
        step_keyboard_and_turn(page, lab.root, phrase)
        step_snapping(page, lab.root)
        step_search(page)
        step_editor_and_retrieval(page, lab.root)
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "coding-widget-failure.png"))
        raise
    finally:
        page.close()
