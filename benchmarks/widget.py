"""Benchmark of the coding pane: a long, densely coded transcript, and a click on a code.

Run from the repository root::

    .venv/bin/python benchmarks/widget.py [--words 50000] [--codings 2000] [--runs 7]
        [--clicks 5] [--no-browser]

Targets (issues 4 and 16), each median reported in milliseconds and as a ratio to a
baseline measured in the same run (interleaved with it, so a busy moment of the machine
hits both alike):

* **render**: a 50,000-word transcript with 2,000 codings, the margin with its code bars
  on, under 300 ms. Measured in two places: in Python (view model + HTML) against the
  same transcript without codings and margin; and in headless chromium (the pane's own
  script on a plain page: parse, draw, lay out the text and place the margin's bars),
  against drawing the bare transcript. The page also times the redraw after one more
  coding (what a click costs the browser in such a document).
* **click to highlight**: in JupyterLab on the example project (notebook 02), from the
  click on a code to its highlight on the page, under 150 ms; the baseline is a click
  on a highlight until its card shows (the same round trip to the kernel, nothing
  written and nothing drawn again).

The transcript is generated (Dutch-looking words, speaker turns with timestamps, an
emoji now and then so the UTF-16 conversion has work to do); the codings are random
spans of 1-40 words, many of them overlapping. The browser parts need /usr/bin/chromium
and Playwright (skipped without them, or with ``--no-browser``). The script prints a
report and exits 0; it asserts nothing about time (the machine may be busy).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from raakvlak.coding.codebook import Codebook
from raakvlak.corpus.canonical import canonicalise
from raakvlak.corpus.structure import blocks
from raakvlak.widgets.pane import STATIC, pane_module
from raakvlak.widgets.render import document_view, render_document

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300
CLICK_TARGET_MS = 150
CHROMIUM = Path("/usr/bin/chromium")
SPEECH = ("de regie ligt bij de gemeente maar niemand pakt het op ik heb de ouders gebeld "
          "en de school wacht op een beschikking van het wijkteam dat duurt weken 😀 "
          "zorgplicht leerplicht thuiszitter jeugdhulp privacy AVG afspraken")
WORDS = tuple(SPEECH.split(" "))
SPEAKERS = ("Docent 1", "Hulpverlener 1", "IB'er 1", "Facilitator 1", "Gemeente 1")


def transcript(words: int, rng: random.Random) -> str:
    turns, written, seconds = [], 0, 0
    while written < words:
        length = rng.randint(5, 60)
        said = " ".join(rng.choice(WORDS) for _ in range(length))
        stamp = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        turns.append(f"[{stamp}] {rng.choice(SPEAKERS)}: {said[0].upper()}{said[1:]}.")
        written += length
        seconds += rng.randint(3, 40)
    return canonicalise("\n\n".join(turns))


def segments(text: str) -> pd.DataFrame:
    rows = [{"document_id": "bench", "segment_id": f"bench:{n}", "level": "turn",
             "start": b.start, "end": b.end, "speaker": b.speaker, "role": "",
             "timestamp": b.timestamp, "text": text[b.start:b.end]}
            for n, b in enumerate(blocks(text), start=1)]
    return pd.DataFrame(rows)


def codebook(codes: int = 30) -> Codebook:
    lines = ["codes:"]
    for group in range(3):
        lines += [f"  - id: g{group}", f"    label: {{nl: Groep {group}, en: Group {group}}}",
                  f'    colour: "#{(group * 0x3a5f17 + 0x204080) % 0xFFFFFF:06x}"', "    children:"]
        for k in range(codes // 3):
            lines += [f"      - id: g{group}.c{k}", f"        label: {{nl: Code {k}, en: Code {k}}}"]
    return Codebook.from_text("\n".join(lines) + "\n", path="bench.yaml")


def codings(text: str, count: int, book: Codebook, rng: random.Random) -> pd.DataFrame:
    starts = [i + 1 for i, ch in enumerate(text) if ch == " "]
    ids = [c.id for c in book if c.parent]
    rows = []
    for n in range(count):
        first = rng.randrange(len(starts) - 41)
        start = starts[first]
        end = starts[first + rng.randint(1, 40)] - 1
        rows.append({"event_id": f"e{n:05d}", "coder": "anna", "document_id": "bench",
                     "start": start, "end": end, "code_id": rng.choice(ids),
                     "quote": text[start:end], "memo": ""})
    return pd.DataFrame(rows)


def interleaved(measure: Callable[[], float], baseline: Callable[[], float], runs: int) -> dict:
    """``runs`` timings of ``measure`` and of ``baseline`` in turn: medians and their ratio."""
    times, bases = [], []
    for _ in range(runs):
        bases.append(baseline())
        times.append(measure())
    median, base = statistics.median(times), statistics.median(bases)
    return {"ms": median, "base_ms": base, "ratio": median / base if base else float("nan"),
            "min": min(times), "max": max(times)}


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def report(what: str, result: dict, baseline: str, target: float | None = None) -> None:
    verdict = "" if target is None else f"; target under {target:.0f} ms: " + (
        "met" if result["ms"] < target else "NOT met")
    print(f"{what}: median {result['ms']:.0f} ms (min {result['min']:.0f}, max {result['max']:.0f}) "
          f"= {result['ratio']:.2f} x {baseline} ({result['base_ms']:.0f} ms){verdict}")


# ---------------------------------------------------------------------- the pane alone
# the pane's module on a plain page, with a model that only keeps its values
FAKE_MODEL = """(state) => {
  const handlers = {};
  const model = {
    get: (key) => state[key],
    set: (key, value) => { state[key] = value; for (const f of handlers['change:' + key] || []) f(); },
    on: (event, f) => { (handlers[event] = handlers[event] || []).push(f); },
    send: () => {},
    save_changes: () => {},
  };
  window.__rvModel = model;
  const host = document.getElementById('host');
  host.replaceChildren();
  const el = document.createElement('div');
  host.appendChild(el);
  const started = performance.now();
  window.__rvRender({ model, el });
  void document.body.offsetHeight;  // style and layout of the whole pane
  return performance.now() - started;
}"""

REDRAW = """(html) => {
  const started = performance.now();
  window.__rvModel.set('html', html);
  void document.body.offsetHeight;
  return performance.now() - started;
}"""


def pane_page(browser):  # noqa: ANN001, ANN201 - a Playwright browser and page
    """A page with the coding pane's script and style, and nothing else."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_content('<!doctype html><html><body><div id="host" style="width:1100px"></div></body></html>')
    page.add_style_tag(content=(STATIC / "coding.css").read_text(encoding="utf-8"))
    module = pane_module("margin.js", "finder.js", "coding.js").replace(
        "export default { render };", "window.__rvRender = render;")
    page.add_script_tag(content=module, type="module")
    page.wait_for_function("() => typeof window.__rvRender === 'function'", timeout=10_000)
    return page


def browser_render(browser, coded_html: str, plain_html: str, more_html: str, runs: int) -> None:  # noqa: ANN001
    """The pane's first draw with and without codings and margin; the redraw after one more
    coding against redrawing the document unchanged."""
    page = pane_page(browser)
    try:
        def state(html: str, margin: bool) -> dict:
            return {"html": html, "palette": "", "recent": [], "inspected": [], "status": "",
                    "error": "", "focus": {}, "selection": {}, "found": {}, "margin": margin}

        margins: list[float] = []  # the part of each first draw margin.js took

        def draw(html: str, margin: bool) -> Callable[[], float]:
            def run() -> float:
                ms = page.evaluate(FAKE_MODEL, state(html, margin))
                if margin:
                    margins.append(float(page.evaluate(
                        "() => document.querySelector('.rv-root').dataset.marginMs")))
                return ms
            return run

        first = interleaved(draw(coded_html, True), draw(plain_html, False), runs)
        report("browser: first draw with the margin", first, "the bare transcript", TARGET_MS)
        lanes = page.evaluate("() => document.querySelector('.rv-margin').dataset.lanes")
        print(f"  of which placing the margin's bars (margin.js): median {statistics.median(margins):.0f} ms, "
              f"up to {lanes} lanes")

        def redraw(html: str) -> Callable[[], float]:
            def run() -> float:
                page.evaluate(REDRAW, coded_html)  # back to the document as it was
                return page.evaluate(REDRAW, html)
            return run

        again = interleaved(redraw(more_html), redraw(coded_html), runs)
        report("browser: redraw after one more coding", again, "a redraw with nothing changed")
    finally:
        page.close()


# ---------------------------------------------------------------------- JupyterLab
def lab_clicks(browser, clicks: int) -> None:  # noqa: ANN001
    """Click-to-highlight in JupyterLab on the example project, against click-to-card."""
    sys.path.insert(0, str(ROOT))
    from tests.e2e.browser import drag, phrase_box, run_notebook
    from tests.e2e.conftest import copy_project, serve_lab
    from tests.e2e.test_coding_browser import ARM_TIMER, BOUNDED, WANTED_CODE, code_button, read_log

    # the card of a clicked highlight: from the mousedown to the card shown
    arm_card = """(id) => {
      const mark = document.querySelector(`.rv-c[data-c~="${id}"]`);
      const pop = document.querySelector('.rv-pop');
      window.__rvCardMs = new Promise((resolve) => {
        let clicked = null;
        mark.addEventListener('mousedown', () => { clicked = performance.now(); }, {capture: true, once: true});
        const observer = new MutationObserver(() => {
          if (clicked !== null && !pop.hidden) { observer.disconnect(); resolve(performance.now() - clicked); }
        });
        observer.observe(pop, {attributes: true, childList: true});
      });
    }"""
    phrases = ["Heeft iedereen koffie", "Ik neem er gewoon twee", "Pak maar, er zijn",
               "Hoe komen die daar", "Er was een jarige", "Zullen we beginnen",
               "ik heb wel eens intervisie", "Voor mij ook nieuw"]
    with tempfile.TemporaryDirectory(prefix="raakvlak-bench-") as scratch:
        root = copy_project(Path(scratch) / "project")
        with serve_lab(root, Path(scratch)) as lab:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            try:
                run_notebook(page, lab, "02_coding.ipynb")
                page.locator("button.widget-button", has_text="Start coding").click(timeout=60_000)
                page.locator(".rv-pane .rv-turn").first.wait_for(timeout=60_000)
                highlight, card = [], []
                for phrase in phrases[:clicks]:
                    count = len(read_log(root))
                    drag(page, phrase_box(page, ".rv-pane", phrase))
                    page.locator(".rv-selected q").wait_for(timeout=5_000)
                    page.wait_for_timeout(300)  # the snapped selection is back
                    page.evaluate(ARM_TIMER, [WANTED_CODE, phrase])
                    code_button(page, WANTED_CODE).click()
                    page.locator(".rv-status").filter(has_text="saved").wait_for(timeout=10_000)
                    highlight.append(page.evaluate(BOUNDED.format(name="__rvHighlightMs")))
                    events = read_log(root)
                    assert len(events) == count + 1, "the coding was not written"
                    event_id = events[-1]["id"]
                    page.mouse.move(5, 5)
                    page.evaluate(arm_card, event_id)
                    page.locator(f'.rv-c[data-c~="{event_id}"]').first.click()
                    card.append(page.evaluate(BOUNDED.format(name="__rvCardMs")))
                    page.locator(".rv-pop .rv-close").click()
            finally:
                page.close()
    highlight = [ms for ms in highlight if ms >= 0]
    card = [ms for ms in card if ms >= 0]
    if not highlight or not card:
        print("JupyterLab: no click was timed")
        return
    result = {"ms": statistics.median(highlight), "base_ms": statistics.median(card),
              "min": min(highlight), "max": max(highlight)}
    result["ratio"] = result["ms"] / result["base_ms"]
    report(f"JupyterLab: click on a code -> highlight ({len(highlight)} clicks)", result,
           "click on a highlight -> its card", CLICK_TARGET_MS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--codings", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--clicks", type=int, default=5, help="clicks timed in JupyterLab (0: none)")
    parser.add_argument("--no-browser", action="store_true", help="only the Python part")
    args = parser.parse_args()
    rng = random.Random(4)
    text = transcript(args.words, rng)
    turns = segments(text)
    book = codebook()
    coded = codings(text, args.codings, book, rng)
    none = coded.iloc[0:0]
    more = pd.concat([coded, codings(text, 1, book, random.Random(5)).assign(event_id="e-more")])
    html: dict[str, str] = {}

    def python(name: str, table: pd.DataFrame, margin: bool) -> Callable[[], float]:
        def run() -> float:
            def work() -> None:
                view = document_view(text, turns, table, book, document_id="bench", coder="anna")
                html[name] = render_document(view, margin=margin)
            return timed(work)
        return run

    result = interleaved(python("coded", coded, True), python("plain", none, False), args.runs)
    view = document_view(text, turns, coded, book, document_id="bench", coder="anna")
    print(f"transcript: {len(text.split()):,} words, {len(turns):,} turns, "
          f"{len(text):,} code points; {len(coded):,} codings; up to {view.lanes} lanes; "
          f"HTML {len(html['coded']) / 1e6:.2f} MB")
    report("Python: view model + HTML with the margin", result, "the bare transcript", TARGET_MS)
    if args.no_browser:
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser parts skipped: Playwright is not installed")
        return
    if not CHROMIUM.exists():
        print(f"browser parts skipped: no {CHROMIUM}")
        return
    python("more", more, True)()
    sys.path.insert(0, str(ROOT))
    from tests.e2e.conftest import BROWSER_ARGS

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            browser_render(browser, html["coded"], html["plain"], html["more"], args.runs)
            if args.clicks:
                lab_clicks(browser, args.clicks)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
