"""Coding pictures: one coder's region codings, memos and undo, in that coder's own log.

A :class:`PictureSession` decides everything the picture widget offers: it checks a
rectangle against the picture's size, the code against the codebook, and appends one
``region`` event per code (several codes on one rectangle are several events, as on
text). Withdrawing, memos and undo/redo are ``uncode`` and ``memo`` events, exactly as
for text codings.

Examples
--------
>>> import io, tempfile, pathlib
>>> from PIL import Image
>>> from raakvlak.corpus.pictures import import_pictures
>>> project = example_copy()
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> Image.new("RGB", (300, 200), "yellow").save(folder / "toren.png")
>>> _ = import_pictures(project, [folder / "toren.png"])
>>> session = PictureSession(project, "anna")
>>> event = session.code_region("toren", (10, 20, 110, 120), "barrier.regie", memo="de toren")
>>> session.regions("toren")[["left", "top", "right", "bottom", "code_id", "memo"]].values.tolist()
[[10, 20, 110, 120, 'barrier.regie', 'de toren']]
>>> _ = session.undo()
>>> len(session.regions("toren"))
0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from raakvlak.coding.events import region_event
from raakvlak.coding.regions import Box
from raakvlak.coding.state import CodingState, fold
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.errors import CodingError
from raakvlak.project import Project


class PictureSession:
    """One coder's work on the project's pictures.

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder id; the log is ``coding/logs/<coder>.jsonl`` (shared with text coding).
    new_coder : add ``coder`` to the project's coders on purpose.
    """

    def __init__(self, project: Project | str | Path, coder: str, new_coder: bool = False):
        self.project = project if isinstance(project, Project) else Project(project)
        self.coder = self.project.check_coder(coder, new=new_coder)
        self.log = self.project.log(self.coder)
        self.store = MediaStore(self.project.root)
        self._undo: list[str] = []
        self._redo: list[str] = []
        self._state: tuple[tuple[int, int], CodingState] | None = None

    def __repr__(self) -> str:
        return f"PictureSession({self.project.name!r}, coder={self.coder!r})"

    # ------------------------------------------------------------------ reading
    @property
    def state(self) -> CodingState:
        """This coder's state (a fold over the log, read again when the log changed)."""
        path = self.log.path
        stamp = (path.stat().st_size, path.stat().st_mtime_ns) if path.exists() else (0, 0)
        if self._state is None or self._state[0] != stamp:
            codebook = self.project.codebook
            self._state = (stamp, fold(self.log.read().events,
                                       resolve=lambda c: codebook.resolve(c) if c in codebook else c))
        return self._state[1]

    def pictures(self) -> pd.DataFrame:
        """The picture documents (``corpus/pictures.csv``)."""
        return self.store.pictures()

    def regions(self, document_id: str | None = None) -> pd.DataFrame:
        """This coder's live region codings (all pictures, or one)."""
        regions = self.state.regions
        if document_id is not None:
            regions = regions[regions["document_id"] == document_id]
        return regions.reset_index(drop=True)

    # ------------------------------------------------------------------ coding
    def code_region(self, document_id: str, box: Box, code_id: str, memo: str | None = None,
                    origin: str = "manual") -> dict[str, Any]:
        """Code the rectangle ``box`` = ``(left, top, right, bottom)`` of a picture.

        Pixels of the upright picture, right and bottom exclusive. A rectangle that
        reaches past the picture's edge is clipped to it; one with no pixels inside is
        refused.

        Raises
        ------
        CodingError
            For an unknown picture or code, a retired code, or an empty rectangle.
        """
        row = self.store.picture(document_id)
        width, height = int(row["width"]), int(row["height"])
        try:
            left, top, right, bottom = (int(v) for v in box)
        except (TypeError, ValueError):
            raise CodingError(f"a region is four whole numbers (left, top, right, bottom), not {box!r}") from None
        left, right = sorted((left, right))  # drawn from any corner
        top, bottom = sorted((top, bottom))
        left, top, right, bottom = max(0, left), max(0, top), min(width, right), min(height, bottom)
        if left >= right or top >= bottom:
            raise CodingError(f"region {tuple(box)} holds no pixel of picture {document_id!r} "
                              f"({width} x {height}); draw a rectangle on the picture")
        self._check_code(code_id)
        event = region_event(document_id, (left, top, right, bottom), code_id, row["sha256"],
                             origin=origin, memo=memo or None)
        written = self.log.append(event)
        self._done(written["id"])
        return written

    def _check_code(self, code_id: str) -> None:
        codebook = self.project.codebook
        if code_id not in codebook:
            raise CodingError(f"unknown code {code_id!r}; add it to {self.project.codebook_path.name} first")
        code = codebook[code_id]
        if not code.live:
            hint = f"; use {codebook.resolve(code_id)!r}" if code.replaced_by else ""
            raise CodingError(f"code {code_id!r} is {code.status}{hint}")

    def uncode(self, event_id: str) -> dict[str, Any]:
        """Withdraw one of this coder's region codings (the event stays in the log)."""
        if event_id not in set(self.state.regions["event_id"]):
            raise CodingError(f"no live region coding {event_id!r} of coder {self.coder!r}")
        written = self.log.append({"kind": "uncode", "target": event_id})
        self._done(written["id"])
        return written

    def memo(self, event_id: str, text: str) -> dict[str, Any]:
        """Write (or with ``""`` clear) the memo on one of this coder's region codings."""
        if event_id not in set(self.state.regions["event_id"]):
            raise CodingError(f"no live region coding {event_id!r} of coder {self.coder!r}")
        written = self.log.append({"kind": "memo", "on": "coding", "target": event_id, "text": text})
        self._done(written["id"])
        return written

    def memo_picture(self, document_id: str, text: str) -> dict[str, Any]:
        """Write the memo on a picture document."""
        self.store.picture(document_id)
        written = self.log.append({"kind": "memo", "on": "document", "target": document_id, "text": text})
        self._done(written["id"])
        return written

    # ------------------------------------------------------------------ undo
    def undo(self) -> dict[str, Any] | None:
        """Withdraw this session's last action; None when there is nothing to undo."""
        if not self._undo:
            return None
        written = self.log.append({"kind": "uncode", "target": self._undo.pop()})
        self._redo.append(written["id"])
        return written

    def redo(self) -> dict[str, Any] | None:
        """Withdraw the last undo; None when there is nothing to redo."""
        if not self._redo:
            return None
        written = self.log.append({"kind": "uncode", "target": self._redo.pop()})
        self._undo.append(written["id"])
        return written

    def _done(self, event_id: str) -> None:
        self._undo.append(event_id)
        self._redo.clear()
