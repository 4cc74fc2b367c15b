"""Importing the pictures and recordings of a REFI-QDA project.

Three steps, called by :func:`raakvlak.exchange.refi_import.import_qdpx`:

1. :func:`add_transcripts` (before the text sources are read): the ``Transcript`` of an
   ``AudioSource``/``VideoSource`` is a text. When it points at the file of a
   ``TextSource`` (raakvlak's own export does) it *is* that source; otherwise it
   becomes a text source of its own, read, pseudonymised and placed as any other.
2. :meth:`MediaPlan.prepare` (after the texts are placed, before anything is written):
   every ``PictureSource``'s file is read from the archive and checked like an imported
   picture (format, damage, decompression bombs, metadata stripped); its
   ``PictureSelection`` codings become ``region`` events (corners ``firstX, firstY,
   secondX, secondY`` as ``left, top, right, bottom``, clipped to the picture; a
   coding on the whole ``PictureSource`` is the whole picture). A picture whose stored
   copy is already in the corpus is not imported again: its codings attach to it. Each
   recording in the archive is checked by its bytes; its ``SyncPoint`` positions are
   mapped onto the transcript's canonical text as selections are, and those that only
   repeat a turn's ``[hh:mm:ss]`` label are not stored twice.
3. :meth:`MediaPlan.write` (at the commit, before the coding logs): pictures, links,
   recordings and sync points.

What cannot be placed (a missing or damaged file, an unknown code, an empty
rectangle, a transcript without text) is listed in the report's ``unplaced`` table.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import Any

from raakvlak.coding.events import region_event
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.pictures import (
    DEFAULT_MAX_PIXELS,
    PictureRead,
    media_setting,
    picture_from_bytes,
    sha256_bytes,
    write_pictures,
)
from raakvlak.corpus.recordings import (
    DEFAULT_MAX_RECORDING_BYTES,
    _duration,
    attach_recording_bytes,
    known_times,
    set_sync_point,
    sniff_recording,
)
from raakvlak.errors import ExchangeError, RaakvlakError
from raakvlak.exchange.positions import to_raw_many
from raakvlak.exchange.refi_file import RefiProject, RefiSource
from raakvlak.exchange.refi_sources import Placed, not_placed
from raakvlak.exchange.safety import Limits, read_archive
from raakvlak.ids import slug
from raakvlak.project import Project

_PREFIXES = ("internal://", "relative://", "absolute://", "file://")
_FIXED = ("document_id", "title", "file", "format", "width", "height", "orientation", "taken", "date",
          "source", "sha256", "original_sha256", "stripped")


def _key(path: str) -> str:
    """A source path without its scheme, lower case, base name only (how files are matched)."""
    path = path.strip()
    for prefix in _PREFIXES:
        if path.lower().startswith(prefix):
            path = path[len(prefix):]
    return PurePosixPath(path.replace("\\", "/")).name.lower()


def add_transcripts(model: RefiProject) -> dict[str, str]:
    """Step 1: make each transcript a text source (or find the one it is); returns the
    GUID of the text source of each audio or video source."""
    by_path = {_key(s.path): s.guid for s in model.sources if s.kind == "TextSource" and s.path}
    text_of: dict[str, str] = {}
    for source in list(model.sources):
        if source.kind not in ("AudioSource", "VideoSource") or source.media is None:
            continue
        for transcript in source.media.transcripts[:1]:  # raakvlak keeps one transcript per recording
            known = by_path.get(_key(transcript.path)) if transcript.path else None
            if known is None:
                model.sources.append(RefiSource(
                    guid=transcript.guid or source.guid, name=transcript.name or source.name, kind="TextSource",
                    description=source.description, content=transcript.content, path=transcript.path,
                    user=source.user, variables={"kind": "transcript", **source.variables}))
                known = transcript.guid or source.guid
            text_of[source.guid] = known
    return text_of


def _entry(archive: Path, path: str, limit: int) -> bytes | None:
    """The bytes of the archive entry a source path names (None when it has none)."""
    wanted = _key(path)
    if not wanted:
        return None
    try:
        with zipfile.ZipFile(archive) as handle:
            names = [n for n in handle.namelist() if PurePosixPath(n.replace("\\", "/")).name.lower() == wanted]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExchangeError(f"{archive.name}: not a readable zip archive ({exc})") from exc
    if not names:
        return None
    files = read_archive(archive, Limits(max_entry_bytes=limit, max_total_bytes=limit), wanted=names[0].__eq__)
    return files[names[0]]


@dataclass
class _Picture:
    """A picture source: new (``read`` holds its stored copy) or already in the corpus."""

    source: RefiSource
    read: PictureRead | None
    document_id: str
    sha256: str
    size: tuple[int, int]
    title: str = ""
    variables: dict[str, str] = field(default_factory=dict)


@dataclass
class MediaPlan:
    """What the import will write for pictures and recordings (nothing written yet)."""

    project: Project
    archive: Path
    pictures: list[_Picture] = field(default_factory=list)
    placed: list[_Picture] = field(default_factory=list)  # new and already-present pictures alike
    recordings: list[tuple[str, str, bytes]] = field(default_factory=list)  # document, name, bytes
    sync: list[tuple[str, int, int]] = field(default_factory=list)
    regions: int = 0

    # ------------------------------------------------------------------ step 2
    def prepare(self, model: RefiProject, placed: list[Placed], text_of: dict[str, str], builder: Any,
                state: Any, preparation: Any, unplaced: list[dict[str, Any]]) -> None:
        """Read and check every picture and recording; region events into ``builder``."""
        by_guid = {item.source.guid: item for item in placed}
        store = MediaStore(self.project.root)
        existing = dict(zip(store.pictures()["sha256"], store.pictures()["document_id"], strict=True))
        taken = store.document_ids() | {item.document_id for item in placed}
        seen = set(zip(state.regions["coder"], state.regions["document_id"], state.regions["left"],
                       state.regions["top"], state.regions["right"], state.regions["bottom"],
                       state.regions["code_id"], strict=True))
        for source in model.sources:
            try:
                if source.kind == "PictureSource" and source.media is not None:
                    picture = self._picture(source, existing, taken, preparation, unplaced)
                    if picture is not None:
                        self.placed.append(picture)  # its notes become the picture's memos
                        self._regions(picture, builder, seen)
                elif source.kind in ("AudioSource", "VideoSource") and source.media is not None:
                    self._recording(source, by_guid.get(text_of.get(source.guid, "")), unplaced)
            except RaakvlakError as exc:
                unplaced.append(not_placed(source, str(exc)))

    def _picture(self, source: RefiSource, existing: dict[str, str], taken: set[str], preparation: Any,
                 unplaced: list[dict[str, Any]]) -> _Picture | None:
        limit = self.project.settings.max_import_bytes
        data = _entry(self.archive, source.media.path, limit)
        if data is None:
            unplaced.append(not_placed(source, f"picture file not in the archive (path {source.media.path!r}); "
                                               f"{len(source.media.regions)} region(s) not placed"))
            return None
        max_pixels = int(media_setting(self.project, "max_pixels", DEFAULT_MAX_PIXELS))  # type: ignore[arg-type]
        read = picture_from_bytes(Path(_key(source.media.path) or "picture.jpg"), data, max_pixels)
        sha = sha256_bytes(read.stored)
        if sha in existing:
            row = MediaStore(self.project.root).picture(existing[sha])
            return _Picture(source, None, existing[sha], sha, (int(row["width"]), int(row["height"])))
        base = slug(preparation.name(source.name or source.guid), 48) or "picture"
        document_id = base
        number = 1
        while document_id in taken:
            number += 1
            document_id = f"{base}-{number}"
        taken.add(document_id)
        existing[sha] = document_id
        variables = {k: v for k, v in source.variables.items() if k not in _FIXED}
        picture = _Picture(source, read, document_id, sha, (read.width, read.height),
                           preparation.name(source.description.strip() or source.name), variables)
        self.pictures.append(picture)
        return picture

    def _regions(self, picture: _Picture, builder: Any, seen: set) -> None:
        """``region`` events for the selections (and whole-picture codings) of one picture."""
        source, media = picture.source, picture.source.media
        (width, height), sha = picture.size, picture.sha256
        selections = list(media.regions)
        if source.codings:
            selections.append(SimpleNamespace(guid=source.guid, box=(0, 0, width, height), user=source.user,
                                              time=None, codings=source.codings, notes=[]))
        for selection in selections:
            lost = SimpleNamespace(guid=selection.guid, start=None, end=None)
            box = selection.box and (max(0, selection.box[0]), max(0, selection.box[1]),
                                     min(width, selection.box[2]), min(height, selection.box[3]))
            if not box or box[0] >= box[2] or box[1] >= box[3]:
                builder.lost(source, lost, f"the rectangle {selection.box} holds no pixel of the picture "
                                           f"({width} x {height})")
                continue
            for coding in selection.codings:
                self._region(picture, selection, coding, box, sha, builder, seen, lost)

    def _region(self, picture: _Picture, selection: Any, coding: Any, box: tuple[int, int, int, int],
                sha: str, builder: Any, seen: set, lost: Any) -> None:
        coder = builder.coder_of(coding.user, selection.user, picture.source.user)
        if coding.code not in builder.code_map:
            builder.lost(picture.source, lost, f"code guid {coding.code or '(none)'} is not in the file's codebook",
                         coding.code, coder)
            return
        code_id = builder.code_map[coding.code]
        key = (coder, picture.document_id, *box, builder.resolve(code_id))
        notes = [*selection.notes, *coding.notes]
        builder.used_notes.update(notes)
        if key in seen:
            return
        seen.add(key)
        event = region_event(picture.document_id, box, code_id, sha, origin="import",
                             memo=builder.note_text(notes) or None,
                             detail={"tool": builder.tool, "guid": selection.guid, "coding_guid": coding.guid})
        from raakvlak.exchange.refi_events import _utc

        stamp = _utc(coding.time) or _utc(selection.time)
        if stamp:
            event["time"] = stamp
        builder.events[coder].append(event)
        self.regions += 1

    def _recording(self, source: RefiSource, text: Placed | None, unplaced: list[dict[str, Any]]) -> None:
        if text is None:
            unplaced.append(not_placed(source, "its transcript has no text that could be placed; "
                                               "its recording and sync points were not imported"))
            return
        media = source.media
        limit = int(media_setting(self.project, "max_recording_bytes", DEFAULT_MAX_RECORDING_BYTES))  # type: ignore[arg-type]
        data = _entry(self.archive, media.path, limit) if media.path else None
        if data is None:
            unplaced.append(not_placed(source, "the recording is not in the archive (private, or kept "
                                               "elsewhere): attach it with `raakvlak media attach`"))
        else:
            name = _key(media.path)
            found = sniff_recording(data[:64], Path(name).suffix)
            if found is None:
                raise RaakvlakError(f"{name}: not a recording raakvlak can play (WAV, MP3, M4A or MP4)")
            _duration(name, data, found[0])
            present = MediaStore(self.project.root).recordings().set_index("document_id")["sha256"]
            if present.get(text.document_id) != sha256_bytes(data):  # the same recording stays as it is
                self.recordings.append((text.document_id, name, data))
        points = [p for t in media.transcripts[:1] for p in t.sync_points]
        if points:
            raw = to_raw_many(text.counted, text.raw_index, [p for p, _ in points]).tolist()
            labels = set(known_times(self.project, text.document_id, text.text))  # labels and points kept
            for (_, time_ms), position in zip(points, raw, strict=True):
                final = int(text.to_final[position]) if position >= 0 else -1
                if final < 0 or final >= len(text.text):
                    unplaced.append(not_placed(source, f"sync point at {time_ms} ms lies outside the transcript"))
                elif (final, time_ms) not in labels:
                    self.sync.append((text.document_id, final, time_ms))

    # ------------------------------------------------------------------ step 3
    def write(self, written: list[str]) -> None:
        """Write pictures, recordings and sync points (under the import's lock)."""
        for picture in self.pictures:
            write_pictures(self.project, [picture.read], picture.document_id, picture.title, "",
                           picture.variables, False, [])
        if self.pictures:
            written.append(f"{len(self.pictures)} picture(s)")
        for document_id, name, data in self.recordings:
            attach_recording_bytes(self.project, document_id, name, data, replace=True)
        if self.recordings:
            written.append(f"{len(self.recordings)} recording(s)")
        for document_id, position, time_ms in self.sync:
            if (position, time_ms) in set(known_times(self.project, document_id)):
                continue
            try:
                set_sync_point(self.project, document_id, position, time_ms)
            except RaakvlakError:
                continue  # a point that would make time run backwards is not kept
        if self.sync:
            written.append(f"{len(self.sync)} sync point(s)")

    def summary(self) -> list[str]:
        """Lines for the import report."""
        lines = []
        if self.pictures or self.regions:
            lines.append(f"{len(self.pictures)} new picture(s), {self.regions} region coding(s)")
        if self.recordings or self.sync:
            lines.append(f"{len(self.recordings)} recording(s), {len(self.sync)} sync point(s)")
        return lines
