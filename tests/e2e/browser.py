"""What the browser tests do in JupyterLab: run a notebook, find a phrase, drag over it."""

from __future__ import annotations

from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# prompts of the notebook in view only (other tabs stay in the page, hidden)
STARTED = """() => Array.from(document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt'))
    .some((p) => /\\[(\\*|\\d+)\\]/.test(p.textContent))"""

# where a phrase is on screen, from the DOM range of its characters, in the first
# uncoded piece of text under ``pane`` that holds it
PHRASE_BOX = """([pane, phrase]) => {
  for (const piece of document.querySelectorAll(`${pane} .rv-p[data-o]`)) {
    const node = piece.firstChild;
    if (!node || piece.classList.contains('rv-c')) continue;
    const at = node.textContent.indexOf(phrase);
    if (at < 0) continue;
    piece.scrollIntoView({block: 'center'});
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


def run_notebook(page, lab, name: str) -> None:
    """Open a notebook and run all cells; a Run All sent before the kernel is ready is
    dropped silently, so it is sent again until a cell shows it started."""
    page.goto(lab.notebook_url(f"notebooks/{name}"))
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=60_000)
    for _ in range(5):
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            page.wait_for_function(STARTED, timeout=10_000)
            return
        except Exception:  # noqa: BLE001 - not started yet: send it again
            continue
    raise AssertionError(f"{name} did not start running")


def phrase_box(page, pane: str, phrase: str) -> dict:
    """The screen box of ``phrase`` in the text under the CSS selector ``pane``."""
    box = page.evaluate(PHRASE_BOX, [pane, phrase])
    assert box, f"phrase {phrase!r} not found on the page"
    return box


def drag(page, box: dict) -> None:
    """Select text the way a person does: press, move, release."""
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move((box["x0"] + box["x1"]) / 2, box["y1"], steps=5)
    page.mouse.move(box["x1"], box["y1"], steps=5)
    page.mouse.up()
