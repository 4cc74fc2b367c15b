"""The retrieval view: pick codes and filters, read the coded quotes in their context.

A thin face over :func:`raakvlak.analysis.retrieval.retrieve`. Each quote can be
opened at its place in a :class:`~raakvlak.widgets.coding.CodingWidget`.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from raakvlak.analysis.retrieval import retrieve
from raakvlak.coding.codebook import DEFAULT_COLOUR
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project

ALL = "(all)"
MAX_SHOWN = 200


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
    coders : only codings of these coders (default: all coders).
    coding : a :class:`~raakvlak.widgets.coding.CodingWidget`; each quote then gets a
        button that opens the document at the quote.
    language : label language (default: the project's).
    """

    def __init__(self, project: Project | str | Path, coders: list[str] | None = None,
                 coding: Any = None, language: str | None = None):
        self.project = project if isinstance(project, Project) else Project(project)
        self.coders = coders
        self.coding = coding
        self.language = language or self.project.language
        self.codebook = self.project.codebook
        options = [(self.codebook.path(c.id, self.language), c.id) for c in self.codebook if c.live]
        self.codes = widgets.SelectMultiple(options=options, rows=8, description="Codes",
                                            layout={"width": "520px"})
        self.query = widgets.Text(description="or query", placeholder="barrier.* AND NOT barrier.avg",
                                  layout={"width": "520px"})
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
        self.run.on_click(lambda _: self.refresh())
        filters = widgets.VBox([self.document, self.role, self.speaker])
        super().__init__([widgets.HBox([widgets.VBox([self.codes, self.query]), filters]),
                          self.run, self.summary, self.results])

    def quotes(self) -> pd.DataFrame:
        """The quotes the current choices select (see :func:`retrieve` for the columns)."""
        query = self.query.value.strip() or " OR ".join(self.codes.value) or None
        where = {name: control.value for name, control in
                 (("document_id", self.document), ("role", self.role), ("speaker", self.speaker))
                 if control.value != ALL}
        return retrieve(self.project, query, coders=self.coders, where=where or None)

    def refresh(self) -> None:
        """Run the retrieval and show the quotes."""
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
