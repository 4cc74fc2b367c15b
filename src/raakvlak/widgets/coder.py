"""Who is coding? The question a coding notebook asks before it shows the coding widget.

A notebook cannot wait for an answer, so :class:`CoderChoice` is the widget that asks:
it lists the project's coders, takes a new coder only when the researcher ticks that
the coder is added on purpose (a typo must not start a new coder's log), and then
shows the :class:`~raakvlak.widgets.coding.CodingWidget` in its own place. Given a
coder (a notebook parameter, e.g. in ``raakvlak reproduce``), it starts at once.

Other widgets of the notebook may be given the choice instead of a coding widget: the
retrieval view opens quotes in it and, during blind coding, shows only that coder's
quotes; the codebook editor names the coder in its history notes.
"""

from __future__ import annotations

import os
from html import escape
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from raakvlak.errors import RaakvlakError
from raakvlak.ids import is_slug
from raakvlak.project import Project
from raakvlak.widgets.coding import CodingWidget
from raakvlak.widgets.updates import announce

NEW = "(a new coder)"


class CoderChoice(widgets.VBox):
    """Ask who is coding in ``project``, then show the coding widget for that coder.

    Parameters
    ----------
    project : the project (or its folder).
    coder : start at once as this coder (refused, with the reason shown, when the
        project does not list it and ``new_coder`` is not given).
    new_coder : add ``coder`` to the project's coders on purpose.
    **options : passed to :class:`~raakvlak.widgets.coding.CodingWidget` (``blind``,
        ``level``, ``language``, ``document``, ``margin``).

    Attributes
    ----------
    coding : the coding widget once a coder is chosen, else None.

    Examples
    --------
    >>> choice = CoderChoice(example_copy())
    >>> choice.who.options[:2], choice.coding
    (('anna', 'bram'), None)
    >>> choice.start("anan")   # a typo is refused
    >>> choice.message.value.startswith("'anan' is not a coder of this project")
    True
    >>> choice.start("anna")
    >>> choice.coder, choice.coding.coder
    ('anna', 'anna')
    """

    def __init__(self, project: Project | str | Path, coder: str | None = None,
                 new_coder: bool = False, **options: Any):
        self.project = project if isinstance(project, Project) else Project(project)
        self.options = options
        self.coding: CodingWidget | None = None
        coders = list(self.project.settings.coders)
        hub = os.environ.get("JUPYTERHUB_USER", "")
        self.who = widgets.Dropdown(options=[*coders, NEW], description="Who is coding?",
                                    value=hub if hub in coders else (coders[0] if coders else NEW),
                                    style={"description_width": "initial"})
        self.new_name = widgets.Text(placeholder="new coder id, e.g. carla",
                                     layout={"width": "220px"})
        self.on_purpose = widgets.Checkbox(value=False, indent=False,
                                           description="add this coder to the project on purpose")
        self.go = widgets.Button(description="Start coding", icon="pencil", button_style="primary")
        self.message = widgets.HTML()
        self.go.on_click(lambda _: self.start())
        self.who.observe(lambda _: self._show_new(), "value")
        self.question = widgets.HBox([self.who, self.new_name, self.on_purpose, self.go])
        super().__init__([self.question, self.message])
        self.add_class("rv-coder-choice")
        self._show_new()
        if coder:
            self.start(coder, new_coder)

    def __repr__(self) -> str:
        return f"CoderChoice({self.project.name!r}, coder={self.coder!r})"

    @property
    def coder(self) -> str:
        """The coder chosen ("" before)."""
        return self.coding.coder if self.coding is not None else ""

    @property
    def blind(self) -> bool:
        """Whether the coding widget shows only its coder's codings (True before a choice)."""
        return self.coding.blind if self.coding is not None else True

    def _show_new(self) -> None:
        shown = "" if self.who.value == NEW else "none"
        self.new_name.layout.display = shown
        self.on_purpose.layout.display = shown

    def start(self, coder: str | None = None, new_coder: bool | None = None) -> None:
        """Start coding as ``coder`` (default: the one chosen); a refusal is shown, not raised."""
        if coder is None:
            coder = self.new_name.value.strip() if self.who.value == NEW else self.who.value
        new = self.on_purpose.value if new_coder is None else new_coder
        if not coder:
            self.message.value = "<b>Who is coding?</b> Choose a coder, or type a new coder id."
            return
        if not is_slug(coder):
            self.message.value = (f"<b>Not started:</b> {coder!r} is not a coder id (a-z, 0-9, - "
                                  "and _, e.g. 'anna')")
            return
        try:
            self.coding = CodingWidget(self.project, coder, new_coder=new, **self.options)
        except RaakvlakError as exc:
            hint = "" if new else " Tick “add this coder on purpose” to add a new coder."
            self.message.value = f"{_escape(str(exc))}.{hint}"
            return
        self.message.value = f"Coding as <b>{_escape(coder)}</b>: your codings go to coding/logs/{coder}.jsonl."
        self.children = (self.message, self.coding)
        announce(self.project, "codings", source=self)  # the retrieval view counts for this coder

    def show(self, document_id: str, at: int | None = None) -> None:
        """Open a document in the coding widget (see :meth:`CodingWidget.show`)."""
        if self.coding is None:
            raise RaakvlakError("choose who is coding first (the question above the coding widget)")
        self.coding.show(document_id, at=at)


def _escape(text: str) -> str:
    return escape(text, quote=False)
