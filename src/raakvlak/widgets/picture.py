"""The picture widget: draw rectangles on a picture and code them.

:class:`PictureWidget` is a thin shell over
:class:`~raakvlak.coding.picture_session.PictureSession`. The browser pane
(:class:`PictureView`, an anywidget) shows a downscaled JPEG of the upright picture
(:func:`raakvlak.corpus.pictures.preview`: a 12-megapixel photo is not sent whole) and
the coded regions over it, and sends what the researcher does as small messages.
Rectangles travel in *preview* pixels; :func:`to_picture` and :func:`to_preview`, the
one pair of conversions, turn them into pixels of the full-size upright picture (the
coordinates every event holds) and back.

The pane and its logic are :class:`PicturePane`, one implementation shown in two
places: the coding widget (:class:`~raakvlak.widgets.coding.CodingWidget`) swaps its
text pane for it when the chosen document is a picture, with the same coder, log and
code tree; :class:`PictureWidget` shows it under a chooser of pictures only.

Messages the pane sends
-----------------------
``code`` (box: left, top, right, bottom in preview pixels; code_id) · ``uncode``
(event_id) · ``memo`` (event_id, text) · ``undo`` · ``redo``.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from raakvlak.coding.codebook import Codebook
from raakvlak.coding.picture_session import PictureSession
from raakvlak.corpus.pictures import preview
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project
from raakvlak.widgets.pane import STATIC, widget_module

PREVIEW_SIDE = 1600
"""The longer side of the picture sent to the browser, in pixels."""


def to_picture(box: list[float], scale: float, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A rectangle in preview pixels as pixels of the full picture (clipped to ``size``).

    The rectangle grows outwards to whole pixels, so a drawn edge is never lost.

    Examples
    --------
    >>> to_picture([10, 20.5, 110, 60], 0.25, (4000, 3000))
    (40, 82, 440, 240)
    >>> to_picture([-5, 0, 2000, 10], 0.5, (1000, 800))
    (0, 0, 1000, 20)
    """
    left, top, right, bottom = (float(v) / scale for v in box)
    left, right = sorted((left, right))
    top, bottom = sorted((top, bottom))
    width, height = size
    return (max(0, math.floor(left + 1e-9)), max(0, math.floor(top + 1e-9)),
            min(width, math.ceil(right - 1e-9)), min(height, math.ceil(bottom - 1e-9)))


def to_preview(box: tuple[int, int, int, int], scale: float) -> list[float]:
    """A rectangle of the full picture in preview pixels (for drawing it).

    Examples
    --------
    >>> to_preview((40, 80, 440, 240), 0.25)
    [10.0, 20.0, 110.0, 60.0]
    """
    return [round(v * scale, 3) for v in box]


class PictureView(anywidget.AnyWidget):
    """The picture pane in the browser (no logic of its own)."""

    _esm = widget_module("picture.js")
    _css = STATIC / "picture.css"

    image = traitlets.Bytes(b"").tag(sync=True)
    document_id = traitlets.Unicode("").tag(sync=True)
    preview_size = traitlets.List(traitlets.Int(), [0, 0]).tag(sync=True)
    regions = traitlets.List(traitlets.Dict()).tag(sync=True)
    codes = traitlets.List(traitlets.Dict()).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)


def picture_codes(codebook: Codebook, language: str) -> list[dict[str, Any]]:
    """The live codes as the picture pane lists them: the code tree in order, with depth.

    The same tree as the coding widget's palette (parents before their children).

    Examples
    --------
    >>> codes = picture_codes(example_codebook(), "en")
    >>> sorted(codes[0]), codes[0]["depth"]
    (['colour', 'depth', 'id', 'label', 'path'], 0)
    """
    return [{"id": code.id, "label": code.label(language), "colour": code.colour,
             "depth": codebook.depth(code.id), "path": codebook.path(code.id, language)}
            for code in codebook if code.live]


class PicturePane:
    """One coder's picture pane: a :class:`PictureView` and the :class:`PictureSession` behind it.

    The one implementation of coding pictures in the browser, shown by the coding widget
    (:class:`~raakvlak.widgets.coding.CodingWidget`, when the chosen document is a
    picture) and by :class:`PictureWidget`.

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder id; region codings go to ``coding/logs/<coder>.jsonl``.
    language : label language of the codes (default: the project's).
    new_coder : add ``coder`` to the project's coders on purpose.
    on_change : called after every action that wrote to the log (to update other views).
    """

    def __init__(self, project: Project | str | Path, coder: str, language: str | None = None,
                 new_coder: bool = False, on_change: Callable[[], None] | None = None):
        self.session = PictureSession(project, coder, new_coder=new_coder)
        self.project = self.session.project
        self.language = language or self.project.language
        self.on_change = on_change
        self.view = PictureView()
        self.view.on_msg(lambda _, content, __: self.handle(content))
        self.scale = 1.0
        self.size = (0, 0)
        self.set_codes(self.project.codebook)

    def set_codes(self, codebook: Codebook) -> None:
        """List the live codes of ``codebook`` (after a change of the codebook)."""
        codes = picture_codes(codebook, self.language)
        if codes != self.view.codes:
            self.view.codes = codes
            if self.view.document_id:
                self.refresh(self.view.status)

    def show_picture(self, document_id: str) -> None:
        """Show one picture (downscaled) and this coder's regions on it."""
        row = self.session.store.picture(document_id)
        self.size = (int(row["width"]), int(row["height"]))
        image, self.scale = preview(self.project, document_id, PREVIEW_SIDE)
        self.view.image = image
        self.view.preview_size = [max(1, round(self.size[0] * self.scale)),
                                  max(1, round(self.size[1] * self.scale))]
        self.view.document_id = document_id
        self.view.error = ""
        self.refresh()

    def refresh(self, status: str = "") -> None:
        """Send the regions of the open picture (in preview pixels) to the pane."""
        document_id = self.view.document_id
        labels = {c["id"]: c for c in self.view.codes}
        shown = []
        for row in self.session.regions(document_id).itertuples(index=False):
            code = labels.get(row.code_id, {"label": row.code_id, "colour": "#888888"})
            shown.append({"id": row.event_id, "code_id": row.code_id, "label": code["label"],
                          "colour": code["colour"], "memo": row.memo,
                          "box": to_preview((row.left, row.top, row.right, row.bottom), self.scale),
                          "full": [int(row.left), int(row.top), int(row.right), int(row.bottom)]})
        self.view.regions = shown
        self.view.status = status

    def handle(self, message: dict[str, Any]) -> None:
        """Carry out one message from the pane; a refusal is shown, never raised."""
        kind = message.get("type")
        self.view.error = ""
        wrote = False
        try:
            if kind == "code":
                box = to_picture(message["box"], self.scale, self.size)
                self.session.code_region(self.view.document_id, box, message["code_id"])
                wrote, status = True, "saved"
            elif kind == "uncode":
                self.session.uncode(message["event_id"])
                wrote, status = True, "removed"
            elif kind == "memo":
                self.session.memo(message["event_id"], message.get("text", ""))
                wrote, status = True, "memo saved"
            elif kind in ("undo", "redo"):
                wrote = getattr(self.session, kind)() is not None
                status = f"{kind} done" if wrote else f"nothing to {kind}"
            else:
                raise RaakvlakError(f"unknown action {kind!r} from the picture pane")
            self.refresh(status)
        except (RaakvlakError, KeyError, TypeError, ValueError) as exc:
            with contextlib.suppress(Exception):
                self.view.error = str(exc)
            return
        if wrote and self.on_change is not None:
            self.on_change()


class PictureWidget(widgets.VBox):
    """Code the pictures of ``project`` as ``coder`` in JupyterLab: a picture chooser over
    a :class:`PicturePane` (the coding widget shows the same pane for a picture document).

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder id; region codings go to ``coding/logs/<coder>.jsonl``.
    document : the picture to open first (default: the first of ``pictures.csv``).
    language : label language of the codes (default: the project's).
    new_coder : add ``coder`` to the project's coders on purpose.
    """

    def __init__(self, project: Project | str | Path, coder: str, document: str | None = None,
                 language: str | None = None, new_coder: bool = False):
        self.pane = PicturePane(project, coder, language, new_coder=new_coder)
        self.session = self.pane.session
        self.project = self.pane.project
        self.language = self.pane.language
        self.view = self.pane.view
        ids = self.session.pictures()["document_id"].tolist()
        self.chooser = widgets.Dropdown(options=ids, value=document or (ids[0] if ids else None),
                                        description="Picture")
        self.chooser.observe(lambda change: self.show_picture(change["new"]), names="value")
        super().__init__([self.chooser, self.view])
        if self.chooser.value:
            self.show_picture(self.chooser.value)
        else:
            self.view.error = "This project has no pictures yet: import some with `raakvlak import photo.jpg`."

    @property
    def scale(self) -> float:
        """Preview pixels per picture pixel of the open picture."""
        return self.pane.scale

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the open picture (upright, full resolution)."""
        return self.pane.size

    def show_picture(self, document_id: str) -> None:
        """Show one picture (downscaled) and this coder's regions on it."""
        self.pane.show_picture(document_id)

    def refresh(self, status: str = "") -> None:
        """Send the regions of the open picture (in preview pixels) to the pane."""
        self.pane.refresh(status)

    def handle(self, message: dict[str, Any]) -> None:
        """Carry out one message from the pane; a refusal is shown, never raised."""
        self.pane.handle(message)
