"""The document pane in the browser: an anywidget that shows HTML and reports actions.

The pane holds no logic of its own. Python sends it the document and palette HTML,
the state of the coding card, the snapped selection, search results and messages;
the pane sends back what the researcher does, with offsets in UTF-16 units as the
browser counts them (see :class:`~raakvlak.widgets.coding.CodingWidget` for the
messages).

Its script is made of parts in ``static/``: ``selection.js`` (where a selection lies,
shared with the passage pane of the pattern widget), ``margin.js`` (code bars beside
the lines), ``finder.js`` (search in the document) and ``coding.js`` (the pane).
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

STATIC = Path(__file__).parent / "static"


def widget_module(*names: str) -> str:
    """The ES module of a widget: the shared ``dom.js``, then the parts ``names``.

    anywidget takes the module as text (a string of several lines is read as code, not
    as a file name), so each part lives in its own file in ``static/``.
    """
    return "\n".join((STATIC / part).read_text(encoding="utf-8") for part in ("dom.js", *names))


def pane_module(*names: str) -> str:
    """The ES module of a pane of text: ``widget_module`` with the shared ``selection.js``."""
    return widget_module("selection.js", *names)


class DocumentView(anywidget.AnyWidget):
    """The document pane and code palette in the browser (no logic of its own).

    Traits
    ------
    html, palette : the document and the palette, as HTML.
    recent : the code ids keys 1-9 apply.
    inspected : the codings on the card (a highlight or bar was clicked).
    status, error : the line in the toolbar; a refusal to show (cleared by the next action).
    focus : scroll to a turn or offset (``n`` makes a repeat a change).
    selection : the selection as it will be coded (snapped), ``{start, end, text, n}``.
    found : search results, ``{query, hits: [[start, end], ...], n}``.
    margin : show the margin with code bars.
    """

    _esm = pane_module("margin.js", "finder.js", "coding.js")
    _css = STATIC / "coding.css"

    html = traitlets.Unicode("").tag(sync=True)
    palette = traitlets.Unicode("").tag(sync=True)
    recent = traitlets.List(traitlets.Unicode()).tag(sync=True)
    inspected = traitlets.List(traitlets.Dict()).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)
    focus = traitlets.Dict().tag(sync=True)
    selection = traitlets.Dict().tag(sync=True)
    found = traitlets.Dict().tag(sync=True)
    margin = traitlets.Bool(True).tag(sync=True)
