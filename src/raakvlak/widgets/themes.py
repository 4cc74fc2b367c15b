"""The theme explorer: themes with labels, quotes and spread, a map, and code suggestions.

A thin face over :mod:`raakvlak.themes`: :class:`~raakvlak.themes.ThemeModel` finds
the themes, :class:`~raakvlak.themes.SuggestionSession` makes the suggestions and
writes what the coder accepts. Nothing enters a coder's log without a click on
*Accept*; *Reject* is remembered so the suggestion does not come back.
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

import ipywidgets as widgets
import pandas as pd

from raakvlak.errors import RaakvlakError
from raakvlak.project import Project
from raakvlak.themes import SuggestionSession, ThemeModel, write_theme_report
from raakvlak.themes.commands import themes_of_project
from raakvlak.themes.describe import theme_map_figure

SHOWN_SUGGESTIONS = 12


def render_themes(model: ThemeModel) -> str:
    """The themes as HTML cards: label terms, spread, stability and quotes with sources."""
    cards = []
    for row in model.themes_.itertuples():
        flags = []
        if not row.recurring:
            flags.append("not recurring: one document or one speaker")
        if not pd.isna(row.stable) and not row.stable:
            flags.append(f"unstable ({row.stability:.2f})")
        elif not pd.isna(row.stability):
            flags.append(f"stable ({row.stability:.2f})")
        quotes = model.quotes_[model.quotes_["theme"] == row.theme]
        items = "".join(
            f'<li>“{escape(" ".join(str(q.text).split()))}” '
            f'<span style="color:var(--jp-ui-font-color2,#616161)">'
            f"({escape(str(q.speaker) + ', ' if q.speaker else '')}{escape(q.document_id)} "
            f"{q.start}-{q.end})</span></li>"
            for q in quotes.itertuples()
        )
        cards.append(
            '<div class="rv-theme" style="margin:6px 0;padding:4px 8px;border-left:4px solid #0871c1">'
            f"<b>{row.theme + 1}. {escape(', '.join(row.terms))}</b><br>"
            f"{row.size} segments · {row.documents} documents · {row.speakers} speakers · "
            f"{row.roles} roles · {row.sites} sites"
            f"{' · ' + escape('; '.join(flags)) if flags else ''}<ul>{items}</ul></div>"
        )
    unassigned = int((model.labels_ < 0).sum())
    head = (f"<p>{model.n_themes_} themes in {len(model.labels_)} segments; {unassigned} set "
            "aside (too little content). Suggestions of the machine: you decide.</p>")
    return head + "".join(cards)


class ThemeExplorer(widgets.VBox):
    """Find themes in a scope, read them, map them; review code suggestions.

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder whose codings train the suggestions and whose log receives
        accepted ones (None: no suggestions panel).
    scope : ``all``, ``uncoded`` or ``coded:PATTERN``.
    k : number of themes (None: chosen automatically).
    level : ``turn`` or ``sentence``.
    """

    def __init__(self, project: Project | str | Path, coder: str | None = None, scope: str = "all",
                 k: int | None = None, level: str = "turn"):
        self.project = project if isinstance(project, Project) else Project(project)
        self.coder = coder
        self.level = level
        self.model: ThemeModel | None = None
        self.suggestions: SuggestionSession | None = None
        self.scope = widgets.Text(value=scope, description="Scope",
                                  placeholder="all, uncoded, coded:barrier.*")
        self.k = widgets.BoundedIntText(value=k or 0, min=0, max=50, description="Themes",
                                        tooltip="0: choose automatically")
        self.method = widgets.Dropdown(options=["kmeans", "agglomerative", "nmf"], value="kmeans",
                                       description="Method")
        self.find = widgets.Button(description="Find themes", button_style="primary")
        self.find.on_click(lambda _: self.fit())
        self.report_path = widgets.Text(value="themes.docx", description="Report")
        self.export = widgets.Button(description="Write report")
        self.export.on_click(lambda _: self.write_report())
        self.message = widgets.HTML()
        self.themes = widgets.HTML()
        self.map = widgets.Image(format="png", layout={"max_width": "820px"})
        self.suggest = widgets.Button(description="Suggest codes", disabled=coder is None,
                                      tooltip="learn from your own codings")
        self.suggest.on_click(lambda _: self.fit_suggestions())
        self.suggestion_box = widgets.VBox()
        super().__init__([
            widgets.HBox([self.scope, self.k, self.method, self.find]),
            self.message, self.themes, self.map,
            widgets.HBox([self.report_path, self.export]),
            widgets.HBox([self.suggest]), self.suggestion_box,
        ])

    # ------------------------------------------------------------------ themes
    def fit(self) -> ThemeModel | None:
        """Find the themes of the current scope and show them."""
        try:
            self.model = themes_of_project(self.project, scope=self.scope.value.strip() or "all",
                                           k=self.k.value or None, method=self.method.value,
                                           level=self.level)
        except RaakvlakError as exc:
            self.message.value = f'<span style="color:#b00020">{escape(str(exc))}</span>'
            return None
        self.message.value = ""
        self.themes.value = render_themes(self.model)
        import matplotlib.pyplot as plt

        figure = theme_map_figure(self.model)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
        plt.close(figure)
        self.map.value = buffer.getvalue()
        return self.model

    def write_report(self) -> Path | None:
        """Write the theme report (``.md`` or ``.docx``) next to the project's files."""
        if self.model is None:
            self.message.value = "Find themes first."
            return None
        try:
            path = write_theme_report(self.model, self.project.root / self.report_path.value,
                                      language=self.project.language)
        except RaakvlakError as exc:
            self.message.value = f'<span style="color:#b00020">{escape(str(exc))}</span>'
            return None
        self.message.value = f"Report written: {escape(str(path.relative_to(self.project.root)))}"
        return path

    # ------------------------------------------------------------------ suggestions
    def fit_suggestions(self) -> pd.DataFrame | None:
        """Learn from the coder's codings and list the open suggestions."""
        if self.coder is None:
            return None
        try:
            self.suggestions = SuggestionSession(self.project, self.coder, level=self.level)
            table = self.suggestions.fit()
        except RaakvlakError as exc:
            self.message.value = f'<span style="color:#b00020">{escape(str(exc))}</span>'
            return None
        self._show(table)
        return table

    def accept(self, suggestion_id: str) -> dict:
        """Accept one suggestion: one event in the coder's log (origin ``suggestion``)."""
        event = self.suggestions.accept(suggestion_id)
        self._show(self.suggestions.suggestions())
        self.message.value = f"Accepted {escape(event['code_id'])} for {escape(event['quote'][:60])}"
        return event

    def reject(self, suggestion_id: str) -> dict:
        """Reject one suggestion: remembered, never proposed again; the log is not touched."""
        record = self.suggestions.reject(suggestion_id)
        self._show(self.suggestions.suggestions())
        self.message.value = f"Rejected {escape(record['code_id'])}; it will not be suggested again"
        return record

    def _decide(self, decide, suggestion_id: str, buttons: list[widgets.Button]) -> None:
        """A click on Accept or Reject: the row's buttons are disabled at once, so a second
        click (or one on a row about to be replaced) cannot decide twice."""
        for button in buttons:
            button.disabled = True
        try:
            decide(suggestion_id)
        except RaakvlakError as exc:
            self.message.value = f'<span style="color:#b00020">{escape(str(exc))}</span>'

    def _show(self, table: pd.DataFrame) -> None:
        rows = []
        for row in table.head(SHOWN_SUGGESTIONS).itertuples():
            text = " ".join(str(row.text).split())
            text = text if len(text) <= 200 else text[:197] + "..."
            label = widgets.HTML(
                f"<b>{escape(row.code_id)}</b> {row.probability:.2f} · {escape(row.segment_id)}"
                f"<br>{escape(text)}<br><i>why: {escape(row.why or '(no term speaks for it)')}</i>",
                layout={"width": "640px"})
            yes = widgets.Button(description="Accept", button_style="success", layout={"width": "80px"})
            no = widgets.Button(description="Reject", layout={"width": "80px"})
            yes.on_click(lambda _, s=row.suggestion_id, b=(yes, no): self._decide(self.accept, s, b))
            no.on_click(lambda _, s=row.suggestion_id, b=(yes, no): self._decide(self.reject, s, b))
            rows.append(widgets.HBox([label, yes, no]))
        self.suggestion_box.children = rows
