"""The codebook browser: the code tree with definitions, rules, examples and counts.

:func:`render_codebook` is a pure function (codebook and counts in, HTML out);
:class:`CodebookBrowser` adds a search box and a coder choice around it, and shows a
changed codebook and new counts as soon as another open widget of the project changes
the codebook or writes a coding (:mod:`raakvlak.widgets.updates`).
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from raakvlak.analysis.data import project_codings
from raakvlak.coding.codebook import Codebook
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project
from raakvlak.widgets.updates import listen

ALL_CODERS = "(all coders)"

_STYLE = """<style>
.rv-book{font-family:var(--jp-ui-font-family,sans-serif);color:var(--jp-ui-font-color1,#1e1e1e);
 background:var(--jp-layout-color0,#fff);max-height:70vh;overflow:auto;padding:4px 8px}
.rv-book details{margin-left:14px}.rv-book>details{margin-left:0}
.rv-book summary{cursor:pointer;padding:2px 0}
.rv-book .rv-sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px}
.rv-book .rv-n{color:var(--jp-ui-font-color2,#616161);margin-left:6px;font-size:var(--jp-ui-font-size0,11px)}
.rv-book .rv-id{font-family:var(--jp-code-font-family,monospace);color:var(--jp-ui-font-color2,#616161);
 font-size:var(--jp-ui-font-size0,11px);margin-left:6px}
.rv-book .rv-body{margin:2px 0 6px 16px;font-size:var(--jp-ui-font-size1,13px);
 border-left:2px solid var(--jp-border-color2,#e0e0e0);padding-left:8px}
.rv-book .rv-body p{margin:2px 0}.rv-book .rv-old{opacity:.6}
.rv-book .rv-tag{font-size:10px;border:1px solid var(--jp-border-color1,#bdbdbd);border-radius:3px;
 padding:0 3px;margin-left:6px;color:var(--jp-ui-font-color2,#616161)}
</style>"""


def _matches(code: Any, words: list[str]) -> bool:
    hay = " ".join([code.id, code.label_nl, code.label_en, code.definition,
                    code.when_to_use, *code.examples]).lower()
    return all(word in hay for word in words)


def render_codebook(
    codebook: Codebook,
    counts: Mapping[str, int] | None = None,
    language: str = "nl",
    search: str = "",
    retired: bool = False,
) -> str:
    """The codebook as a collapsible tree (HTML).

    Parameters
    ----------
    codebook : the codebook.
    counts : codings per code id (shown beside each code; a group also shows the
        codings of the codes below it).
    language : label language.
    search : only codes whose id, labels, definition, rule or examples hold every
        word (and their ancestors, to keep the tree).
    retired : also show merged and retired codes.

    Examples
    --------
    >>> book = Codebook.from_text("codes:\\n  - id: a\\n    label: {nl: A, en: A}\\n")
    >>> "data-code=\\"a\\"" in render_codebook(book, {"a": 3})
    True
    """
    counts = counts or {}
    words = search.lower().split()
    shown = {c.id for c in codebook if (retired or c.live) and _matches(c, words)}
    for code_id in list(shown):
        shown.update(a.id for a in codebook.ancestors(code_id))

    def total(code_id: str) -> int:
        return counts.get(code_id, 0) + sum(counts.get(d.id, 0) for d in codebook.descendants(code_id))

    def node(code: Any) -> str:
        own, below = counts.get(code.id, 0), total(code.id) - counts.get(code.id, 0)
        number = f"{own}" + (f" (+{below} below)" if below else "")
        tags = "".join(f'<span class="rv-tag">{escape(t)}</span>'
                       for t in (code.status.replace("_", " "), code.level, code.framework) if t)
        if code.to_complete:
            tags += '<span class="rv-tag">to complete</span>'
        body = []
        for name, value in (("Definition", code.definition), ("Full definition", code.full_definition),
                            ("Use when", code.when_to_use), ("Do not use when", code.when_not_to_use),
                            ("Note", code.note)):
            if value:
                body.append(f"<p><em>{name}:</em> {escape(value)}</p>")
        if code.replaced_by:
            body.append(f"<p><em>Replaced by:</em> <code>{escape(code.replaced_by)}</code></p>")
        body.extend(f"<p>“{escape(example)}”</p>" for example in code.examples)
        children = "".join(node(child) for child in codebook.children(code.id) if child.id in shown)
        old = "" if code.live else ' class="rv-old"'
        return (
            f'<details open data-code="{escape(code.id)}"{old}><summary>'
            f'<i class="rv-sw" style="background:{escape(code.colour)}"></i>'
            f"<b>{escape(code.label(language))}</b>"
            f'<span class="rv-id">{escape(code.id)}</span>{tags}'
            f'<span class="rv-n" title="codings">{number}</span></summary>'
            f'<div class="rv-body">{"".join(body)}</div>{children}</details>'
        )

    tree = "".join(node(code) for code in codebook.roots() if code.id in shown)
    if not tree:
        tree = "<p>No code matches.</p>" if words else "<p>The codebook is empty.</p>"
    title = f"<h4>{escape(codebook.title)}</h4>" if codebook.title else ""
    return f'{_STYLE}<div class="rv-book">{title}{tree}</div>'


class CodebookBrowser(widgets.VBox):
    """Browse the codebook of ``project``: tree, definitions, examples, counts.

    Parameters
    ----------
    project : the project (or its folder).
    language : label language (default: the project's).
    """

    def __init__(self, project: Project | str | Path, language: str | None = None):
        self.project = project if isinstance(project, Project) else Project(project)
        self.language = language or self.project.language
        self.search = widgets.Text(placeholder="Search codes, definitions, examples …",
                                   layout={"width": "360px"})
        self.coder = widgets.Dropdown(description="Counts of", options=[ALL_CODERS], value=ALL_CODERS)
        self.retired = widgets.Checkbox(description="show merged and retired codes", value=False)
        self.tree = widgets.HTML()
        for control in (self.search, self.coder, self.retired):
            control.observe(lambda _: self.refresh(), "value")
        super().__init__([widgets.HBox([self.search, self.coder, self.retired]), self.tree])
        self.add_class("rv-codebook-browser")
        self.refresh()
        listen(self.project, "codebook", self.refresh)
        listen(self.project, "codings", self.refresh)

    def refresh(self) -> None:
        """Re-read the codebook and the logs and show them."""
        codebook = self.project.codebook
        problems = codebook.problems
        try:
            codings = project_codings(self.project)
        except RaakvlakError:
            codings = None
        counts: dict[str, int] = {}
        if codings is not None and len(codings):
            coders = sorted(codings["coder"].unique())
            if list(self.coder.options[1:]) != coders:
                self.coder.options = [ALL_CODERS, *coders]
            if self.coder.value != ALL_CODERS:
                codings = codings[codings["coder"] == self.coder.value]
            counts = codings["code_id"].value_counts().to_dict()
        warning = ""
        if problems:
            listed = "".join(f"<li>{escape(str(p))}</li>" for p in problems[:10])
            warning = f"<p><b>The codebook has problems:</b></p><ul>{listed}</ul>"
        self.tree.value = warning + render_codebook(codebook, counts, self.language,
                                                    self.search.value, self.retired.value)
