"""Recordings beside transcripts: attach one, set sync points, know when each turn is heard.

A transcript can name its recording (WAV, MP3, M4A, MP4). :func:`attach_recording`
checks the file by its bytes (not its name), copies it into the project (to
``private/recordings/`` unless ``[media] recordings = "corpus"`` in ``raakvlak.toml``:
voices identify people, so private is the default) and records it in
``corpus/recordings.csv`` with its fingerprint. Coding stays on the text.

When a turn is heard comes from, in this order: its ``[hh:mm:ss]`` label (WebVTT and
SRT imports keep the first cue's time), and the transcript's sync points
(``corpus/syncpoints.csv``: this code point is heard at that millisecond). Between two
known points time runs linearly with the position in the text; after the last one at
the rate of the last two, up to the end of the recording (when its length is known);
before the first one, or with one point only, it is unknown (:func:`turn_times`). Sync points must keep time going forward through the text.

Examples
--------
>>> import tempfile, pathlib, wave
>>> from raakvlak.corpus.importer import import_files
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> project = Project.init(folder / "studie", name="Studie")
>>> _ = (folder / "s.txt").write_text("Docent 1: Wie belt?\\n\\nHulpverlener 1: Ik.\\n\\nDocent 1: Goed.\\n")
>>> _ = import_files(project, [folder / "s.txt"], pseudonymise=False)
>>> with wave.open(str(folder / "s.wav"), "wb") as w:
...     w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000); w.writeframes(b"\\0\\0" * 24000)
>>> attach_recording(project, "s", folder / "s.wav")["duration"]
'3.000'
>>> set_sync_point(project, "s", 0, 0); set_sync_point(project, "s", 21, 1000)
>>> turn_times(project, "s")["time_ms"].tolist()
[0, 1000, 2000]
"""

from __future__ import annotations

import re
import wave
from pathlib import Path

import pandas as pd

from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.pictures import media_setting, sha256_bytes
from raakvlak.corpus.structure import blocks
from raakvlak.errors import CorpusError, ImportProblem
from raakvlak.files import atomic_write_bytes
from raakvlak.project import Project

RECORDING_SUFFIXES = (".wav", ".mp3", ".m4a", ".mp4")
MEDIA_TYPES = {"wav": "audio/wav", "mp3": "audio/mpeg", "m4a": "audio/mp4", "mp4": "video/mp4"}
DEFAULT_MAX_RECORDING_BYTES = 4_000_000_000
TURN_COLUMNS = ["turn", "start", "text_start", "end", "speaker", "time_ms", "source"]
_STAMP = re.compile(r"(\d+):(\d\d):(\d\d)(?:[.,](\d{1,3}))?")


def sniff_recording(data: bytes, suffix: str = "") -> tuple[str, str] | None:
    """``(format, kind)`` of a recording by its first bytes (kind ``audio`` or ``video``),
    or None when it is none of WAV, MP3, M4A, MP4.

    Examples
    --------
    >>> sniff_recording(b"RIFF\\x00\\x00\\x00\\x00WAVEfmt "), sniff_recording(b"ID3\\x04\\x00")
    (('wav', 'audio'), ('mp3', 'audio'))
    >>> sniff_recording(b"\\x00\\x00\\x00\\x20ftypM4A \\x00"), sniff_recording(b"OggS\\x00")
    (('m4a', 'audio'), None)
    """
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav", "audio"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3", "audio"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"M4A ", b"M4B ", b"M4P ") or suffix == ".m4a":
            return "m4a", "audio"
        return "mp4", "video"
    return None


def _duration(name: str, data: bytes, format_: str) -> str:
    """Seconds (three decimals) of a WAV file; ``""`` for other formats."""
    if format_ != "wav":
        return ""
    import io

    try:
        with wave.open(io.BytesIO(data), "rb") as audio:
            return f"{audio.getnframes() / audio.getframerate():.3f}"
    except (wave.Error, EOFError, ZeroDivisionError) as exc:
        raise ImportProblem(f"{name}: a damaged WAV file ({exc}); nothing was attached") from None


def attach_recording(project: Project, document_id: str, path: str | Path, replace: bool = False) -> dict[str, str]:
    """Name the recording of a transcript: check it, copy it in, record it; returns its row.

    Raises
    ------
    ImportProblem
        Naming the file: missing, too large, not a WAV/MP3/M4A/MP4 file, or damaged.
    CorpusError
        When the document is unknown or already has a recording (and not ``replace``).
    """
    path = Path(path)
    if not path.is_file():
        raise ImportProblem(f"{path.name}: no such file")
    limit = int(media_setting(project, "max_recording_bytes", DEFAULT_MAX_RECORDING_BYTES))  # type: ignore[arg-type]
    size = path.stat().st_size
    if size > limit:
        raise ImportProblem(f"{path.name}: {size} bytes, more than the limit of {limit} ([media] max_recording_bytes)")
    return attach_recording_bytes(project, document_id, path.name, path.read_bytes(), replace)


def attach_recording_bytes(project: Project, document_id: str, name: str, data: bytes,
                           replace: bool = False) -> dict[str, str]:
    """:func:`attach_recording` of bytes already read (``name`` names them in messages)."""
    found = sniff_recording(data[:64], Path(name).suffix.lower())
    if found is None:
        raise ImportProblem(f"{name}: not a recording raakvlak can play (WAV, MP3, M4A or MP4, told by "
                            "its first bytes, not its name); convert it, e.g. to MP3 or M4A")
    format_, kind = found
    duration = _duration(name, data, format_)
    private = str(media_setting(project, "recordings", "private")) != "corpus"
    with project.lock("attach a recording"):
        project.corpus.document(document_id)
        store = MediaStore(project.root)
        table = store.recordings()
        if document_id in set(table["document_id"]) and not replace:
            raise CorpusError(f"{document_id!r} already has a recording ({table.loc[table['document_id'] == document_id, 'file'].iloc[0]}); "
                              "pass replace=True (--replace) to attach another")
        relative = f"{'private' if private else 'corpus'}/recordings/{document_id}.{format_}"
        atomic_write_bytes(project.root / relative, data)
        row = {"document_id": document_id, "file": relative, "kind": kind, "format": format_,
               "sha256": sha256_bytes(data), "bytes": str(len(data)), "private": "yes" if private else "no",
               "duration": duration, "source": name}
        store.write("recordings", pd.concat([table[table["document_id"] != document_id],
                                             pd.DataFrame([row], dtype=str)], ignore_index=True))
    return row


def recording_of(project: Project, document_id: str) -> dict[str, str] | None:
    """The ``recordings.csv`` row of a transcript's recording, or None."""
    table = MediaStore(project.root).recordings()
    rows = table[table["document_id"] == document_id]
    return None if rows.empty else rows.iloc[0].to_dict()


def recording_bytes(project: Project, document_id: str) -> bytes:
    """The bytes of a transcript's recording.

    Raises
    ------
    CorpusError
        When it has none, or the file is missing (a private recording on another machine).
    """
    row = recording_of(project, document_id)
    if row is None:
        raise CorpusError(f"{document_id!r} has no recording; attach one with `raakvlak media attach`")
    try:
        return (project.root / row["file"]).read_bytes()
    except FileNotFoundError:
        raise CorpusError(f"{row['file']}: the recording of {document_id!r} is not on this machine "
                          "(private recordings stay where they were attached)") from None


# ---------------------------------------------------------------------- time
def stamp_ms(stamp: str) -> int | None:
    """Milliseconds of a ``hh:mm:ss`` (or ``hh:mm:ss.mmm``) label; None when it is not one.

    Examples
    --------
    >>> stamp_ms("00:01:02"), stamp_ms("01:00:00.5"), stamp_ms("")
    (62000, 3600500, None)
    """
    match = _STAMP.fullmatch(stamp.strip())
    if not match:
        return None
    hours, minutes, seconds, fraction = match.groups()
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int((fraction or "0").ljust(3, "0"))


def sync_points(project: Project, document_id: str) -> list[tuple[int, int]]:
    """The explicit sync points of a transcript: ``(position, time_ms)``, by position."""
    table = MediaStore(project.root).syncpoints()
    rows = table[table["document_id"] == document_id]
    return sorted((int(p), int(t)) for p, t in zip(rows["position"], rows["time_ms"], strict=True))


def known_times(project: Project, document_id: str, text: str | None = None) -> list[tuple[int, int]]:
    """Every point whose time is known: turn labels and sync points, by position."""
    text = text if text is not None else project.corpus.text(document_id)
    points = {b.label_start: ms for b in blocks(text) if (ms := stamp_ms(b.timestamp)) is not None}
    points.update(dict(sync_points(project, document_id)))
    return sorted(points.items())


def time_at(position: int, points: list[tuple[int, int]]) -> int | None:
    """The time (ms) of a position from known points (see the module's rules).

    Examples
    --------
    >>> points = [(0, 0), (100, 5000)]
    >>> time_at(50, points), time_at(200, points), time_at(10, [(20, 1000)])
    (2500, 10000, None)
    """
    if not points or position < points[0][0]:
        return None
    for (p0, t0), (p1, t1) in zip(points, points[1:], strict=False):
        if p0 <= position <= p1:
            return t0 if p1 == p0 else round(t0 + (position - p0) * (t1 - t0) / (p1 - p0))
    last_p, last_t = points[-1]
    if position == last_p:
        return last_t
    if len(points) < 2:
        return None
    (p0, t0), (p1, t1) = points[-2], points[-1]
    return round(t1 + (position - p1) * (t1 - t0) / (p1 - p0)) if p1 > p0 else None


def turn_times(project: Project, document_id: str) -> pd.DataFrame:
    """When each turn of a transcript is heard.

    Returns
    -------
    DataFrame with ``turn`` (1, 2, ... as in segment ids ``<doc>:<turn>``), ``start``
    (code point where the block begins, label included: where a sync point of the turn
    sits), ``text_start`` (after the label), ``end``, ``speaker``, ``time_ms`` (None
    when unknown) and ``source`` (``label``, ``sync point`` or ``interpolated``).
    """
    text = project.corpus.text(document_id)
    points = known_times(project, document_id, text)
    explicit = dict(sync_points(project, document_id))
    recording = recording_of(project, document_id) or {}
    length = float(recording["duration"]) * 1000 if recording.get("duration") else None
    rows = []
    for number, block in enumerate(blocks(text), start=1):
        labelled = stamp_ms(block.timestamp)
        if block.label_start in explicit:
            time, source = explicit[block.label_start], "sync point"
        elif labelled is not None:
            time, source = labelled, "label"
        else:
            time = time_at(block.label_start, points)
            if time is not None and length is not None and time >= length:
                time = None  # past the end of the recording
            source = "interpolated" if time is not None else ""
        rows.append((number, block.label_start, block.start, block.end, block.speaker, time, source))
    table = pd.DataFrame(rows, columns=TURN_COLUMNS)
    table["time_ms"] = table["time_ms"].astype("Int64")
    return table


def set_sync_point(project: Project, document_id: str, position: int, time_ms: int) -> None:
    """Record that code point ``position`` of a transcript is heard at ``time_ms``.

    Raises
    ------
    CorpusError
        When the position is outside the text, the time negative, or time would run
        backwards against another known point.
    """
    position, time_ms = int(position), int(time_ms)
    with project.lock("set a sync point"):
        text = project.corpus.text(document_id)
        if not 0 <= position < len(text) or time_ms < 0:
            raise CorpusError(f"sync point {position} at {time_ms} ms: the position must lie in {document_id!r} "
                              f"(0-{len(text) - 1}) and the time must not be negative")
        points = dict(known_times(project, document_id, text))
        points[position] = time_ms
        ordered = sorted(points.items())
        if any(t1 < t0 for (_, t0), (_, t1) in zip(ordered, ordered[1:], strict=False)):
            raise CorpusError(f"sync point {position} at {time_ms} ms of {document_id!r} would make time run "
                              "backwards against another sync point or turn label; remove that one first")
        store = MediaStore(project.root)
        table = store.syncpoints()
        keep = table[~((table["document_id"] == document_id) & (table["position"] == str(position)))]
        row = pd.DataFrame([{"document_id": document_id, "position": str(position), "time_ms": str(time_ms)}])
        table = pd.concat([keep, row], ignore_index=True)
        order = table.assign(_p=table["position"].astype(int)).sort_values(["document_id", "_p"], kind="stable")
        store.write("syncpoints", order.drop(columns="_p"))


def remove_sync_point(project: Project, document_id: str, position: int) -> bool:
    """Remove a sync point; True when there was one."""
    with project.lock("remove a sync point"):
        store = MediaStore(project.root)
        table = store.syncpoints()
        hit = (table["document_id"] == document_id) & (table["position"] == str(int(position)))
        if hit.any():
            store.write("syncpoints", table[~hit])
        return bool(hit.any())
