"""Pictures and recordings in REFI-QDA: export, and reading what other tools write.

Export (called by :func:`raakvlak.exchange.refi_export.project_xml`):

* a ``PictureSource`` per picture, ``name`` its id, ``path``
  ``internal://<guid>.jpg|png`` (the stored copy, metadata stripped, in ``sources/``),
  its title as ``Description``, one ``PictureSelection`` per live region coding with
  ``firstX, firstY`` (upper left corner) and ``secondX, secondY`` (lower right corner)
  in pixels of the upright picture, the corners of the rectangle as points: exactly
  raakvlak's ``left, top, right, bottom``; a ``Coding`` each, memos as ``NoteRef``;
  the picture variables as ``VariableValue``;
* an ``AudioSource`` (or ``VideoSource``) per recording, its file in ``sources/``
  unless the recording is private (then it has no ``path``: it never leaves the
  machine, and its ``Description`` says so), with a ``Transcript`` pointing at the
  transcript's text (the very file of its ``TextSource``) and a ``SyncPoint`` per known
  time: ``position`` in code points, ``timeStamp`` in milliseconds (sync points and
  ``[hh:mm:ss]`` labels alike).

GUIDs are uuid5 as everywhere (``picture``, ``recording``, ``transcript``,
``syncpoint:<doc>:<position>``, ``selection``/``coding`` of the region event), so an
unchanged project exports byte-identically.

Reading: :func:`read_media` takes the ``PictureSelection``\\ s and ``Transcript``\\ s
(with their ``SyncPoint``\\ s) of a source element as another tool wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd

from raakvlak.corpus.mediastore import MediaStore, picture_variables
from raakvlak.corpus.recordings import known_times
from raakvlak.project import Project

MEDIA_KINDS = ("PictureSource", "AudioSource", "VideoSource")
_SUFFIX = {"jpeg": "jpg", "png": "png"}


# ---------------------------------------------------------------------- export
def extra_variables(project: Project, document_variables: list[str]) -> list[str]:
    """Picture variables that are not document variables already (declared once each)."""
    pictures = MediaStore(project.root).pictures()
    return [name for name in picture_variables(pictures) if name not in document_variables]


def exported_targets(project: Project, regions: pd.DataFrame) -> set[tuple[str, str]]:
    """The memo targets this module exports notes on: pictures and region codings."""
    pictures = MediaStore(project.root).pictures()
    return ({("document", d) for d in pictures["document_id"]}
            | {("coding", e) for e in regions["event_id"]})


def media_sources(sources: ET.Element, project: Project, regions: pd.DataFrame, guid: Any,
                  user: dict[str, str], notes: dict[tuple[str, str], list[str]],
                  variable_guids: dict[str, str], include_private: bool = False) -> dict[str, bytes]:
    """Add the picture and recording sources to ``sources``; returns their files by archive path.

    ``guid(kind, key)`` makes the project's GUIDs; ``variable_guids`` maps a variable
    name to its GUID.
    """
    files: dict[str, bytes] = {}
    store = MediaStore(project.root)
    by_picture = {doc: group for doc, group in regions.groupby("document_id", sort=False)}
    for row in store.pictures().to_dict("records"):
        doc = row["document_id"]
        source_guid = guid("source", doc)
        name = f"{source_guid}.{_SUFFIX.get(row['format'], 'jpg')}"
        source = ET.SubElement(sources, "PictureSource", {"guid": source_guid, "name": doc,
                                                          "path": f"internal://{name}"})
        if row.get("title"):
            ET.SubElement(source, "Description").text = row["title"]
        if doc in by_picture:
            _picture_selections(source, by_picture[doc], guid, user, notes)
        for note in notes.get(("document", doc), []):
            ET.SubElement(source, "NoteRef", {"targetGUID": note})
        _values(source, {k: v for k, v in row.items() if k in variable_guids}, variable_guids)
        files[f"sources/{name}"] = (project.root / row["file"]).read_bytes()
    for row in store.recordings().to_dict("records"):
        files.update(_recording(sources, project, row, guid, include_private))
    return files


def _values(parent: ET.Element, values: dict[str, str], guids: dict[str, str]) -> None:
    for name, value in values.items():
        if value:
            element = ET.SubElement(parent, "VariableValue")
            ET.SubElement(element, "VariableRef", {"targetGUID": guids[name]})
            ET.SubElement(element, "TextValue").text = value


def _stamp(value: Any) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _picture_selections(source: ET.Element, group: pd.DataFrame, guid: Any, user: dict[str, str],
                        notes: dict[tuple[str, str], list[str]]) -> None:
    group = group.sort_values(["top", "left", "bottom", "right", "coder", "code_id", "event_id"])
    for row in group.itertuples(index=False):
        selection = ET.SubElement(source, "PictureSelection", {
            "guid": guid("selection", row.event_id), "name": row.code_id,
            "firstX": str(row.left), "firstY": str(row.top), "secondX": str(row.right),
            "secondY": str(row.bottom), "creatingUser": user[row.coder]})
        stamp = _stamp(row.time)
        if stamp:
            selection.set("creationDateTime", stamp)
        coding = ET.SubElement(selection, "Coding", {"guid": guid("coding", row.event_id),
                                                     "creatingUser": user[row.coder]})
        if stamp:
            coding.set("creationDateTime", stamp)
        ET.SubElement(coding, "CodeRef", {"targetGUID": guid("code", row.code_id)})
        for note in notes.get(("coding", row.event_id), []):
            ET.SubElement(selection, "NoteRef", {"targetGUID": note})


def _recording(sources: ET.Element, project: Project, row: dict[str, str], guid: Any,
               include_private: bool) -> dict[str, bytes]:
    """One ``AudioSource``/``VideoSource`` with its transcript and sync points."""
    doc = row["document_id"]
    element = "VideoSource" if row["kind"] == "video" else "AudioSource"
    recording_guid = guid("recording", doc)
    attributes = {"guid": recording_guid, "name": doc}
    files: dict[str, bytes] = {}
    path = project.root / row["file"]
    shared = (row["private"] != "yes" or include_private) and path.exists()
    if shared:
        name = f"{recording_guid}.{row['format']}"
        attributes["path"] = f"internal://{name}"
        files[f"sources/{name}"] = path.read_bytes()
    source = ET.SubElement(sources, element, attributes)
    if not shared:
        ET.SubElement(source, "Description").text = (
            "The recording is private to the project (kept in private/, never exported); "
            f"its fingerprint is sha256 {row['sha256']}.")
    transcript = ET.SubElement(source, "Transcript", {
        "guid": guid("transcript", doc), "name": doc,
        "plainTextPath": f"internal://{guid('source', doc)}.txt"})
    for position, time_ms in known_times(project, doc):
        ET.SubElement(transcript, "SyncPoint", {"guid": guid("syncpoint", f"{doc}:{position}"),
                                                "timeStamp": str(time_ms), "position": str(position)})
    return files


# ---------------------------------------------------------------------- reading
@dataclass
class RefiRegion:
    """A ``PictureSelection``: its corners as written and its codings (``RefiCoding``)."""

    guid: str
    box: tuple[int, int, int, int] | None
    user: str | None
    time: str | None
    codings: list[Any] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiTranscript:
    """A ``Transcript`` of an audio or video source, with its sync points as written."""

    guid: str
    name: str
    path: str
    content: str | None
    sync_points: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class RefiMedia:
    """What a picture, audio or video source holds beyond the common fields."""

    path: str = ""
    regions: list[RefiRegion] = field(default_factory=list)
    transcripts: list[RefiTranscript] = field(default_factory=list)


def read_media(element: ET.Element, parse: Any) -> RefiMedia:
    """The media part of a source element; ``parse`` gives the helpers of
    :mod:`raakvlak.exchange.refi_file` (``guid``, ``int``, ``codings``, ``refs``, ``children``, ``local_name``)."""
    media = RefiMedia(path=element.get("path") or element.get("currentPath") or "")
    for selection in parse.children(element, "PictureSelection"):
        corners = [parse.int(selection.get(k)) for k in ("firstX", "firstY", "secondX", "secondY")]
        box = None
        if None not in corners:
            x0, y0, x1, y1 = corners  # type: ignore[misc]
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        media.regions.append(RefiRegion(
            parse.guid(selection.get("guid")) or "", box, parse.guid(selection.get("creatingUser")),
            selection.get("creationDateTime"), parse.codings(parse.children(selection, "Coding")),
            parse.refs(selection, "NoteRef")))
    for transcript in parse.children(element, "Transcript"):
        contents = parse.children(transcript, "PlainTextContent")
        points = []
        for point in parse.children(transcript, "SyncPoint"):
            position, stamp = parse.int(point.get("position")), parse.int(point.get("timeStamp"))
            if position is not None and stamp is not None:
                points.append((position, stamp))
        media.transcripts.append(RefiTranscript(
            parse.guid(transcript.get("guid")) or "", (transcript.get("name") or "").strip(),
            transcript.get("plainTextPath") or "", (contents[0].text or "") if contents else None,
            sorted(points)))
    return media
