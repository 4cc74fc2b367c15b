"""What the browser tests do in JupyterLab: run a notebook, find a phrase, drag over it."""

from __future__ import annotations

import json
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# prompts of the notebook in view only (other tabs stay in the page, hidden)
STARTED = """() => Array.from(document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt'))
    .some((p) => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""

# where a phrase is on screen, from the DOM range of its characters, in the first
# uncoded piece of text under ``pane`` that holds it; ``scroll`` brings it into view first
PHRASE_BOX = """([pane, phrase, scroll]) => {
  for (const piece of document.querySelectorAll(`${pane} .rv-p[data-o]`)) {
    const node = piece.firstChild;
    if (!node || piece.classList.contains('rv-c')) continue;
    const at = node.textContent.indexOf(phrase);
    if (at < 0) continue;
    if (scroll) piece.scrollIntoView({block: 'center'});
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + phrase.length);
    const rects = Array.from(range.getClientRects()).filter((r) => r.width > 0);
    const first = rects[0], last = rects[rects.length - 1];
    return {x0: first.left + 1, y0: first.top + first.height / 2,
            x1: last.right - 1, y1: last.top + last.height / 2};
  }
  return null;
}"""


# the notebook at ``path`` is in view and its own kernel is connected and idle: only
# then does a Run All reach the kernel (sent earlier, JupyterLab may drop it or open a
# kernel dialog that waits for a person)
KERNEL_READY = """(path) => {
  const app = window.jupyterapp;
  const panel = app && app.shell.currentWidget;
  if (!panel || !panel.context || panel.context.path !== path) return false;
  const session = panel.sessionContext;
  const kernel = session && session.session && session.session.kernel;
  return Boolean(session.isReady && kernel && kernel.connectionStatus === 'connected'
                 && kernel.status === 'idle');
}"""

# Run All without waiting for it: the command's promise settles only when every cell
# has run (or never, if a dialog waits for a person), and ``page.evaluate`` has no time
# limit. What became of it is kept in ``window.__rvRunAll`` for the error message.
RUN_ALL = """() => {
  window.__rvRunAll = 'sent';
  window.jupyterapp.commands.execute('notebook:run-all-cells').then(
    () => { window.__rvRunAll = 'finished'; },
    (error) => { window.__rvRunAll = 'failed: ' + error; });
}"""

# what the page shows that may explain a wait that ran out
STATE = """() => ({runAll: window.__rvRunAll || 'not sent',
  dialogs: Array.from(document.querySelectorAll('.jp-Dialog')).map((d) => d.innerText),
  kernel: (document.querySelector('.jp-StatusBar-Widget [title*="ernel"], .jp-StatusBar')
           || {innerText: ''}).innerText})"""


def run_notebook(page, lab, name: str) -> None:
    """Open a notebook in a fresh workspace, wait until its kernel is ready, run all cells
    and return once a cell shows it started. Every wait is bounded; a wait that runs out
    fails with what the page showed."""
    path = f"notebooks/{name}"
    # ``reset``: no tabs restored from an earlier page, so the notebook in view is this one
    page.goto(lab.notebook_url(path) + "&reset")
    wait_or_explain(page, KERNEL_READY, path, 90_000, f"{name}: kernel not ready")
    page.evaluate(RUN_ALL)
    wait_or_explain(page, STARTED, None, 30_000, f"{name}: Run All sent, no cell started")


def wait_or_explain(page, predicate: str, arg, timeout_ms: int, what: str) -> None:
    """``page.wait_for_function`` bounded by ``timeout_ms``; on time-out an AssertionError
    with the page's dialogs, kernel status and the fate of the last Run All."""
    try:
        page.wait_for_function(predicate, arg=arg, timeout=timeout_ms, polling=200)
    except Exception as exc:  # noqa: BLE001 - Playwright's TimeoutError, reported with context
        raise AssertionError(f"{what} after {timeout_ms / 1000:.0f} s: {page.evaluate(STATE)}") from exc


def phrase_box(page, pane: str, phrase: str) -> dict:
    """The screen box of ``phrase`` in the text under the CSS selector ``pane``, once the
    page has stopped moving (a scroll, or a pane re-rendered by the kernel, moves it)."""
    box = page.evaluate(PHRASE_BOX, [pane, phrase, True])
    for _ in range(20):  # bounded: a page that keeps moving fails below
        assert box, f"phrase {phrase!r} not found on the page"
        page.wait_for_timeout(50)
        again = page.evaluate(PHRASE_BOX, [pane, phrase, False])
        if again == box:
            return box
        box = again
    raise AssertionError(f"phrase {phrase!r} kept moving on the page")


def drag(page, box: dict) -> None:
    """Select text the way a person does: press, move, release."""
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move((box["x0"] + box["x1"]) / 2, box["y1"], steps=5)
    page.mouse.move(box["x1"], box["y1"], steps=5)
    page.mouse.up()


def log_lines(path: Path) -> list[dict]:
    """The complete lines of a JSON Lines log (a line still being written is not one yet)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines() if line.strip()]
