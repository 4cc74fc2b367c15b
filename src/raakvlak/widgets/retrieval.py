"""The retrieval view: pick codes and filters, read the coded quotes in their context.

A thin face over :func:`raakvlak.analysis.retrieval.retrieve`: the codes chosen (with
the codes below them, unless switched off: :mod:`raakvlak.analysis.code_tree`), the
quotes in the context chosen (the coded words, the sentence, a few sentences around it,
or the turn: :mod:`raakvlak.analysis.context`). The counts beside the codes, and the
quotes shown, follow every coding made in another open widget of the project. Each quote
can be opened at its place in a :class:`~raakvlak.widgets.coding.CodingWidget`.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from raakvlak.analysis.code_tree import code_counts, codes_query
from raakvlak.analysis.context import with_context
from raakvlak.analysis.data import project_codings
from raakvlak.analysis.retrieval import retrieve
from raakvlak.coding.codebook import DEFAULT_COLOUR
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project
from raakvlak.widgets.updates import listen

ALL = "(all)"
MAX_SHOWN = 200
CONTEXTS = [("the coded words", ("words", 0)), ("the sentence", ("sentence", 0)),
            ("± 1 sentence", ("sentence", 1)), ("± 2 sentences", ("sentence", 2)),
            ("± 3 sentences", ("sentence", 3)), ("the turn", ("turn", 0))]
"""The contexts a quote can be read in: (label, (context, sentences around))."""


def render_quote(row: Any, label: str, colour: str) -> str:
    """One retrieved coding as an HTML card: code, where, who, and the quote in its context.

    ``row`` has the columns of :func:`~raakvlak.analysis.retrieval.retrieve`.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> row = SimpleNamespace(document_id="d", speaker="Docent 1", role="Docent", timestamp="",
    ...     coder="anna", start=17, quote="regie", context="De regie? Ja, de regie hier.",
    ...     context_start=0, memo="")
    >>> "de <mark" in render_quote(row, "Regie", "#c0392b")   # the second "regie", at its offset
    True
    """
    context, quote = str(row.context), str(row.quote)
    at = int(row.start) - int(row.context_start)
    if at >= 0 and context[at:at + len(quote)] == quote:
        shown = (escape(context[:at]) + f'<mark style="background:{escape(colour)}40">'
                 + escape(quote) + "</mark>" + escape(context[at + len(quote):]))
    else:  # the quote runs past the segment it starts in
        shown = f'<mark style="background:{escape(colour)}40">{escape(quote)}</mark>'
    who = " · ".join(str(part) for part in (
        row.document_id, f"{row.speaker} ({row.role})" if row.role else row.speaker,
        row.timestamp, f"coder {row.coder}") if part)
    memo = f'<div class="rv-q-memo">Memo: {escape(str(row.memo))}</div>' if row.memo else ""
    return (
        '<div class="rv-q" style="border-left:4px solid '
        f'{escape(colour)};padding:2px 8px;margin:2px 0">'
        f'<div style="font-size:var(--jp-ui-font-size0,11px);color:var(--jp-ui-font-color2,#616161)">'
        f"<b style=\"color:{escape(colour)}\">{escape(label)}</b> · {escape(who)}</div>"
        f'<div style="white-space:pre-wrap">{shown}</div>{memo}</div>'
    )


class RetrievalView(widgets.VBox):
    """Read coded quotes: choose codes (or write a query), documents, speakers, coders.

    Parameters
    ----------
    project : the project (or its folder).
    coders : only codings of these coders (default: all coders; but while ``coding`` is
        blind, only its coder's).
    coding : a :class:`~raakvlak.widgets.coding.CodingWidget` (or the
        :class:`~raakvlak.widgets.coder.CoderChoice` that will show one); each quote then
        gets a button that opens the document at the quote.
    language : label language (default: the project's).
    below : include the codes below a chosen code (the switch; default on).
    context : how much text around a quote: a label of :data:`CONTEXTS`.
    """

    def __init__(self, project: Project | str | Path, coders: list[str] | None = None,
                 coding: Any = None, language: str | None = None, below: bool = True,
                 context: str = "the sentence"):
        self.project = project if isinstance(project, Project) else Project(project)
        self.coders = coders
        self.coding = coding
        self.language = language or self.project.language
        self.codes = widgets.SelectMultiple(rows=8, description="Codes", layout={"width": "520px"})
        self.below = widgets.Checkbox(value=below, description="include the codes below",
                                      indent=False, layout={"width": "200px"})
        self.query = widgets.Text(description="or query", placeholder="barrier.* AND NOT barrier.avg",
                                  layout={"width": "520px"})
        self.context = widgets.Dropdown(description="Context", options=[label for label, _ in CONTEXTS],
                                        value=context)
        documents = self.project.corpus.documents["document_id"].tolist()
        speakers = self.project.corpus.speakers
        self.document = widgets.Dropdown(description="Document", options=[ALL, *documents])
        self.role = widgets.Dropdown(description="Role",
                                     options=[ALL, *sorted(set(speakers["role"]) - {""})])
        self.speaker = widgets.Dropdown(description="Speaker",
                                        options=[ALL, *sorted(set(speakers["speaker"]) - {""})])
        self.run = widgets.Button(description="Show quotes", icon="search", button_style="primary")
        self.summary = widgets.HTML()
        self.results = widgets.VBox()
        self._shown = False
        self.run.on_click(lambda _: self.refresh())
        self.below.observe(lambda _: self.codings_changed(), "value")
        self.context.observe(lambda _: self._again(), "value")
        filters = widgets.VBox([self.document, self.role, self.speaker, self.context])
        super().__init__([widgets.HBox([widgets.VBox([self.codes, self.below, self.query]), filters]),
                          self.run, self.summary, self.results])
        self.add_class("rv-retrieval")
        self._list_codes()
        listen(self.project, "codebook", self.codings_changed)
        listen(self.project, "codings", self.codings_changed)

    @property
    def codebook(self):  # noqa: ANN201 - the project's codebook as it is now
        return self.project.codebook

    def _list_codes(self) -> None:
        """The live codes with their number of codings (with the codes below, when asked)."""
        try:
            codings = project_codings(self.project, self.shown_coders())
        except RaakvlakError:  # a coder without codings yet
            codings = None
        counts = code_counts(self.codebook, codings, below=self.below.value)
        book = self.codebook
        options = [(f"{book.path(c.id, self.language)} ({counts.get(c.id, 0)})", c.id)
                   for c in book if c.live]
        chosen = tuple(v for v in self.codes.value if v in {value for _, value in options})
        if list(self.codes.options) != options:
            self.codes.options = options
            self.codes.value = chosen

    def shown_coders(self) -> list[str] | None:
        """Whose codings are shown: ``coders``, else the coding widget's coder while it is
        blind, else everyone's (None). Nobody's while a :class:`CoderChoice` waits for
        its answer (:class:`~raakvlak.errors.RaakvlakError`)."""
        if self.coders is not None:
            return list(self.coders)
        if self.coding is None:
            return None
        coder = getattr(self.coding, "coder", "")
        if not coder:
            raise RaakvlakError("choose who is coding first (the question above the coding widget)")
        return [coder] if getattr(self.coding, "blind", True) else None

    def codings_changed(self) -> None:
        """New counts, and the quotes again when they are shown (a coding was made)."""
        self._list_codes()
        self._again()

    def _again(self) -> None:
        if self._shown:
            self.refresh()

    def quotes(self) -> pd.DataFrame:
        """The quotes the current choices select (see :func:`retrieve` for the columns),
        their ``context`` cut to the context chosen."""
        query = self.query.value.strip() or codes_query(self.codes.value, below=self.below.value)
        where = {name: control.value for name, control in
                 (("document_id", self.document), ("role", self.role), ("speaker", self.speaker))
                 if control.value != ALL}
        quotes = retrieve(self.project, query, coders=self.shown_coders(), where=where or None)
        context, around = dict(CONTEXTS)[self.context.value]
        return with_context(self.project, quotes, context, around)

    def refresh(self) -> None:
        """Run the retrieval and show the quotes."""
        self._shown = True
        try:
            quotes = self.quotes()
        except RaakvlakError as exc:
            self.summary.value = f"<b>Nothing to show:</b> {escape(str(exc))}"
            self.results.children = ()
            return
        shown = quotes.head(MAX_SHOWN)
        more = f" (the first {MAX_SHOWN} shown)" if len(quotes) > MAX_SHOWN else ""
        self.summary.value = (f"<b>{len(quotes)} quotes</b> in "
                              f"{quotes['document_id'].nunique()} documents{more}")
        rows = []
        known = {code.id: code for code in self.codebook}
        for row in shown.itertuples(index=False):
            code = known.get(row.code_id)
            label = code.label(self.language) if code else row.code_id
            card = widgets.HTML(render_quote(row, label, code.colour if code else DEFAULT_COLOUR),
                                layout={"width": "100%"})
            if self.coding is None:
                rows.append(card)
                continue
            jump = widgets.Button(description="open", icon="external-link",
                                  tooltip="open the document at this quote", layout={"width": "80px"})
            jump.on_click(lambda _, d=row.document_id, s=int(row.start): self.coding.show(d, at=s))
            rows.append(widgets.HBox([card, jump]))
        self.results.children = tuple(rows)
