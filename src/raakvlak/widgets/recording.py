"""The recording widget: a transcript beside its recording; click a turn to hear it.

:class:`RecordingWidget` is a thin shell over :mod:`raakvlak.corpus.recordings`. The
browser pane (:class:`RecordingView`, an anywidget) plays the recording in an
``<audio>`` (or ``<video>``) element and lists the turns with the time each is heard
at (:func:`~raakvlak.corpus.recordings.turn_times`). Clicking a turn with a known time
plays the recording from there. A turn without a time has a *sync* button: it records
a sync point at that turn for the player's current position, and the times of the
turns around it follow. Coding stays on the text, in the coding widget.

Messages the pane sends
-----------------------
``sync`` (turn, time_ms) · ``unsync`` (turn).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.recordings import (
    MEDIA_TYPES,
    recording_bytes,
    recording_of,
    remove_sync_point,
    set_sync_point,
    turn_times,
)
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project
from raakvlak.widgets.pane import STATIC, widget_module

SHOWN = 400
"""Characters of a turn shown in the list (the whole turn is in the coding widget)."""


def clock(ms: int | None) -> str:
    """``hh:mm:ss`` of a time in milliseconds (``""`` when unknown).

    Examples
    --------
    >>> clock(3723400), clock(None)
    ('01:02:03', '')
    """
    if ms is None:
        return ""
    seconds = int(ms) // 1000
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class RecordingView(anywidget.AnyWidget):
    """The player and the turns in the browser (no logic of its own)."""

    _esm = widget_module("recording.js")
    _css = STATIC / "recording.css"

    media = traitlets.Bytes(b"").tag(sync=True)
    media_type = traitlets.Unicode("").tag(sync=True)
    kind = traitlets.Unicode("audio").tag(sync=True)
    document_id = traitlets.Unicode("").tag(sync=True)
    turns = traitlets.List(traitlets.Dict()).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    error = traitlets.Unicode("").tag(sync=True)


class RecordingWidget(widgets.VBox):
    """Listen to the transcripts of ``project`` that have a recording.

    Parameters
    ----------
    project : the project (or its folder).
    document : the transcript to open first (default: the first with a recording).
    """

    def __init__(self, project: Project | str | Path, document: str | None = None):
        self.project = project if isinstance(project, Project) else Project(project)
        ids = MediaStore(self.project.root).recordings()["document_id"].tolist()
        self.chooser = widgets.Dropdown(options=ids, value=document or (ids[0] if ids else None),
                                        description="Transcript")
        self.view = RecordingView()
        self.view.on_msg(lambda _, content, __: self.handle(content))
        self.chooser.observe(lambda change: self.show_document(change["new"]), names="value")
        super().__init__([self.chooser, self.view])
        if self.chooser.value:
            self.show_document(self.chooser.value)
        else:
            self.view.error = ("No transcript has a recording yet: attach one with "
                               "`raakvlak media attach DOCUMENT FILE`.")

    def show_document(self, document_id: str) -> None:
        """Load a transcript's recording and its turns into the pane."""
        row = recording_of(self.project, document_id) or {}
        self.view.document_id = document_id
        try:
            self.view.media = recording_bytes(self.project, document_id)
            self.view.media_type = MEDIA_TYPES.get(row.get("format", ""), "")
            self.view.kind = row.get("kind", "audio")
            self.view.error = ""
        except RaakvlakError as exc:
            self.view.media = b""
            self.view.error = str(exc)
        self.refresh()

    def refresh(self, status: str = "") -> None:
        """Send the turns with their times to the pane."""
        document_id = self.view.document_id
        text = self.project.corpus.text(document_id)
        turns = []
        for row in turn_times(self.project, document_id).itertuples(index=False):
            time = None if row.time_ms is None or str(row.time_ms) == "<NA>" else int(row.time_ms)
            said = text[row.text_start:row.end]
            turns.append({"turn": int(row.turn), "position": int(row.start), "speaker": row.speaker,
                          "text": said if len(said) <= SHOWN else said[:SHOWN - 1] + "…",
                          "time_ms": time, "clock": clock(time), "source": row.source})
        self.view.turns = turns
        self.view.status = status

    def handle(self, message: dict[str, Any]) -> None:
        """Carry out one message from the pane; a refusal is shown, never raised."""
        self.view.error = ""
        turns = {t["turn"]: t for t in self.view.turns}
        try:
            turn = turns[int(message["turn"])]
            if message.get("type") == "sync":
                set_sync_point(self.project, self.view.document_id, turn["position"], int(message["time_ms"]))
                self.refresh(f"sync point set: turn {turn['turn']} at {clock(int(message['time_ms']))}")
            elif message.get("type") == "unsync":
                remove_sync_point(self.project, self.view.document_id, turn["position"])
                self.refresh(f"sync point of turn {turn['turn']} removed")
        except (RaakvlakError, KeyError, TypeError, ValueError) as exc:
            with contextlib.suppress(Exception):
                self.view.error = str(exc)
