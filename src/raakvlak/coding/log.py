"""The coding log: one append-only JSON Lines file per coder (a fixed decision).

``coding/logs/<coder_id>.jsonl`` holds one event per line (see
:mod:`raakvlak.coding.events`). The file is only ever appended to:

- an append takes an exclusive lock on the file (two Jupyter kernels of one coder
  cannot interleave their lines), writes whole lines, flushes and fsyncs before it
  returns, so an event whose append returned survives a crash of the process or the
  machine;
- a torn last line left by a crash during a write is kept as it is: the next append
  first ends it with ``\\n``, so it becomes a broken line of its own that every read
  reports and skips. Nothing is rewritten, truncated or removed, ever;
- reading never fails on a bad line: lines that are not JSON, not a valid event,
  from a newer schema, of another coder or repeated are reported as
  :class:`LogProblem` and skipped.

Examples
--------
>>> import tempfile
>>> from raakvlak.coding.events import memo_event
>>> tmp = tempfile.TemporaryDirectory()
>>> logs = Path(tmp.name) / "coding" / "logs"
>>> log = CodingLog.in_folder(logs, "anna")
>>> event = log.append(memo_event("project", "", "Eerste ronde open coderen."))
>>> read = log.read()
>>> [e["id"] for e in read.events] == [event["id"]], read.problems
(True, [])
>>> tmp.cleanup()
"""

from __future__ import annotations

import gc
import json
import json.scanner
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import Any

from raakvlak.coding import events as ev
from raakvlak.errors import LogError
from raakvlak.ids import is_slug
from raakvlak.locks import lock_fd, unlock_fd


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are built.

    Reading a log makes hundreds of thousands of dicts and no reference cycles; the
    collector would walk them again and again for nothing. Nested use is fine.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


SUFFIX = ".jsonl"
_SCAN = json.scanner.make_scanner(json.JSONDecoder())
TORN = "torn line skipped (crash during a write?)"


def _display(path: Path) -> str:
    """``coding/logs/anna.jsonl`` (or ``coding/patterns/anna.jsonl``) for a log inside a
    project, else the path as given."""
    path = Path(path)
    if path.parent.parent.name == "coding":
        return f"coding/{path.parent.name}/{path.name}"
    return str(path)


@dataclass(frozen=True)
class LogProblem:
    """A line of a coding log that was skipped, and why.

    ``str()`` reads like a compiler message:
    ``coding/logs/anna.jsonl:17: torn line skipped (crash during a write?)``.
    """

    path: Path
    line_number: int
    message: str

    def __str__(self) -> str:
        return f"{_display(self.path)}:{self.line_number}: {self.message}"


@dataclass(frozen=True)
class LogRead:
    """What reading a log gave: the valid events in file order and the skipped lines."""

    events: list[dict[str, Any]] = field(default_factory=list)
    problems: list[LogProblem] = field(default_factory=list)


class CodingLog:
    """The append-only log of one coder.

    Parameters
    ----------
    path : the log file, ``coding/logs/<coder>.jsonl``; its folder is created on the
        first append.
    coder : the coder id (a slug); it must be the file's name.
    """

    def __init__(self, path: str | Path, coder: str):
        if not isinstance(coder, str) or not is_slug(coder):
            raise LogError(f"coder id {coder!r} is not a slug (a-z, 0-9, - and _); choose another")
        path = Path(path)
        if path.name != coder + SUFFIX:
            raise LogError(
                f"{_display(path)}: the log of coder {coder!r} must be named {coder}{SUFFIX}"
            )
        self.path = path
        self.coder = coder

    @classmethod
    def in_folder(cls, logs_dir: str | Path, coder: str) -> CodingLog:
        """The log of ``coder`` in ``logs_dir`` (``coding/logs`` of a project)."""
        if not isinstance(coder, str) or not is_slug(coder):
            raise LogError(f"coder id {coder!r} is not a slug (a-z, 0-9, - and _); choose another")
        return cls(Path(logs_dir) / f"{coder}{SUFFIX}", coder)

    def __repr__(self) -> str:
        return f"CodingLog({_display(self.path)!r}, coder={self.coder!r})"

    # ------------------------------------------------------------------ writing
    def append(self, event: Mapping[str, Any]) -> dict[str, Any]:
        """Complete, check and durably append one event; return the full event.

        The common fields are filled in (``v``, ``id``, ``coder``, ``time``; ``origin``
        defaults to ``manual``). When this returns, the line is on disk (fsync).

        Raises
        ------
        CodingError
            When the event is invalid; nothing is written.
        LogError
            When the file cannot be written.
        """
        return self.append_many([event])[0]

    def append_many(self, events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """Append several events under one lock and one fsync (autocoding, imports).

        All events are checked first: one invalid event means none is written.
        """
        full = [ev.validate(ev.complete(event, self.coder)) for event in events]
        if not full:
            return []
        self._write(b"".join(ev.encode(event) for event in full))
        return full

    def _write(self, data: bytes) -> None:
        created = not self.path.exists()
        fd = open_locked(self.path)
        try:
            try:
                size = os.fstat(fd).st_size
                if size:
                    os.lseek(fd, size - 1, os.SEEK_SET)  # writes still go to the end (append mode)
                    if os.read(fd, 1) != b"\n":
                        data = b"\n" + data  # end a torn line; it stays in the file as it is
                view = memoryview(data)
                while view:
                    written = os.write(fd, view)
                    view = view[written:]
                os.fsync(fd)
            finally:
                unlock_fd(fd)
        except OSError as exc:
            raise LogError(
                f"{_display(self.path)}: writing the coding log failed ({exc}); the last line "
                "may be incomplete and will be reported and skipped when the log is read"
            ) from exc
        finally:
            os.close(fd)
        if created:
            _fsync_folder(self.path.parent)

    # ------------------------------------------------------------------ reading
    def read(self) -> LogRead:
        """All valid events of the log in file order, and the lines that were skipped.

        A missing file is an empty log. Never raises on the content of the file;
        raises :class:`LogError` only when the file exists but cannot be opened.
        """
        return read_log(self.path, self.coder)


def open_locked(path: Path) -> int:
    """Open (or create) an append-only log and take its exclusive lock; return the descriptor.

    The lock is taken on the file that is at ``path`` when it is granted: a file that
    was replaced while this process waited (``git merge`` writes a merged log as a new
    file) is let go and the new one opened, so no append goes into a file nobody reads.
    New files get the mode the umask allows (a team's shared folder: group-writable).
    """
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o666)
        except OSError as exc:
            raise LogError(f"{_display(path)}: cannot open the coding log ({exc}); nothing was written") from exc
        try:
            lock_fd(fd, exclusive=True)
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:  # removed while this process waited
                same = False
        except OSError as exc:
            os.close(fd)
            raise LogError(f"{_display(path)}: cannot lock the coding log ({exc}); nothing was written") from exc
        if same:
            return fd
        unlock_fd(fd)
        os.close(fd)
    raise LogError(f"{_display(path)}: the coding log keeps being replaced; nothing was written: "
                   "try again when the sync or merge is done")


def _fsync_folder(folder: Path) -> None:
    """Make a new directory entry durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems that refuse fsync on folders
        pass
    finally:
        os.close(fd)


def read_locked(path: Path) -> bytes | None:
    """The file's bytes under a shared lock (so no half-written append is seen).

    Shared by every append-only log of a project (coding logs, pattern records);
    None when the file does not exist.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise LogError(f"{_display(path)}: cannot open the coding log ({exc})") from exc
    try:
        lock_fd(fd, exclusive=False)
        try:
            chunks = []
            while chunk := os.read(fd, 1 << 24):
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            unlock_fd(fd)
    except OSError as exc:
        raise LogError(f"{_display(path)}: cannot read the coding log ({exc})") from exc
    finally:
        os.close(fd)


def split_lines(path: Path, data: bytes, problems: list[LogProblem]) -> list[str | None]:
    """The text lines of ``data``; None for a line that is not UTF-8 (reported)."""
    try:
        return data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        pass
    lines: list[str | None] = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            problems.append(LogProblem(
                path, number,
                f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); line skipped",
            ))
            lines.append(None)
    return lines


Validator = Callable[[list[Any]], dict[int, str]]
"""Checks a log's parsed lines: index -> what is wrong, for the lines to skip."""


def read_log(path: str | Path, coder: str | None = None, validate: Validator = ev.find_problems) -> LogRead:
    """Read one append-only log: valid events in file order plus the problems of skipped lines.

    One reader for every log of a project: the coding logs and, with their own
    ``validate``, the pattern records (:mod:`raakvlak.patterns.records`). A line that is
    not UTF-8 or not JSON, torn by a crash, invalid, of a newer schema, of another coder
    or a repeat of an earlier event is reported and skipped, never fatal.

    Parameters
    ----------
    path : the ``.jsonl`` file; a missing file is an empty log.
    coder : the coder whose log this is (default: the file's stem); events of another
        coder are reported and skipped.
    validate : the check of the events (default: coding events).
    """
    path = Path(path)
    coder = path.stem if coder is None else coder
    with gc_paused():
        return _parse(path, coder, read_locked(path), validate)


def _parse(path: Path, coder: str, data: bytes | None, validate: Validator) -> LogRead:
    if not data:
        return LogRead([], [])
    problems: list[LogProblem] = []
    lines = split_lines(path, data, problems)
    ended = data.endswith(b"\n")
    if ended:
        lines.pop()  # the empty string after the final newline
    objects, numbers = _scan_all(lines) if not problems else (None, None)
    if objects is None:
        objects, numbers = _scan_each(path, lines, ended, problems)
    skip = validate(objects)
    for index, wrong in skip.items():
        event = objects[index]
        version = event.get("v") if type(event) is dict else None
        if type(version) is int and version > ev.SCHEMA_VERSION:
            wrong = (f"event of schema version {version} (this raakvlak reads version "
                     f"{ev.SCHEMA_VERSION}); skipped: update raakvlak to read it")
        else:
            wrong = f"invalid event: {wrong}; line skipped"
        problems.append(LogProblem(path, numbers[index], wrong))
    if skip:
        numbers = [n for i, n in enumerate(numbers) if i not in skip]
        objects = [e for i, e in enumerate(objects) if i not in skip]
    if set(map(_CODER, objects)) - {coder} or len(set(map(_ID, objects))) != len(objects):
        objects = _own_and_unique(path, coder, objects, numbers, problems)
    problems.sort(key=lambda p: p.line_number)
    return LogRead(objects, problems)


def _scan_all(lines: list[str | None]) -> tuple[list[Any] | None, list[int] | None]:
    """Every line as one JSON value, in one C-level loop; (None, None) if any line is unusual."""
    try:
        parsed = list(map(_SCAN, lines, repeat(0)))
    except (StopIteration, ValueError, RecursionError, TypeError):
        return None, None
    if not parsed:
        return [], []
    values, stops = zip(*parsed, strict=True)
    if list(stops) != list(map(len, lines)):  # something after the value on a line
        return None, None
    return list(values), list(range(1, len(values) + 1))


def _scan_each(
    path: Path, lines: list[str | None], ended: bool, problems: list[LogProblem]
) -> tuple[list[Any], list[int]]:
    """Line by line: the JSON values and their line numbers; bad lines reported."""
    last = len(lines)
    scan, loads = _SCAN, json.loads
    objects: list[Any] = []
    numbers: list[int] = []
    for number, line in enumerate(lines, start=1):
        if not line:
            continue  # not UTF-8 (already reported) or a blank line (harmless)
        try:  # the JSON scanner itself: json.loads minus two regexes and two calls per line
            value, stop = scan(line, 0)
            if stop != len(line):
                raise ValueError("extra data")
        except (StopIteration, ValueError, RecursionError):
            try:  # anything unusual goes through json.loads, for its verdict and message
                value = loads(line)
            except (ValueError, RecursionError) as exc:
                torn = (number == last and not ended) or line.startswith('{"v":')
                message = TORN if torn else f"not valid JSON ({exc}); line skipped"
                problems.append(LogProblem(path, number, message))
                continue
        objects.append(value)
        numbers.append(number)
    return objects, numbers


_CODER = itemgetter("coder")
_ID = itemgetter("id")


def _own_and_unique(
    path: Path, coder: str, objects: list[dict[str, Any]], numbers: list[int], problems: list[LogProblem]
) -> list[dict[str, Any]]:
    """The events of ``coder`` without repeated ids; the others reported."""
    kept = []
    seen: dict[str, int] = {}
    for number, event in zip(numbers, objects, strict=True):
        if event["coder"] != coder:
            problems.append(LogProblem(
                path, number,
                f"event of coder {event['coder']!r} in the log of {coder!r}; skipped "
                f"(move it to {event['coder']}{SUFFIX})",
            ))
            continue
        first = seen.setdefault(event["id"], number)
        if first != number:
            problems.append(LogProblem(
                path, number, f"event {event['id']} repeats line {first}; the copy is skipped"
            ))
            continue
        kept.append(event)
    return kept


def read_logs(logs_dir: str | Path, validate: Validator = ev.find_problems) -> dict[str, LogRead]:
    """Read every ``*.jsonl`` log in ``logs_dir``, keyed by coder id (the file stem), sorted.

    A missing folder holds no logs. A file whose name is not a slug is reported as a
    problem of that file and not read. ``validate`` as for :func:`read_log`.
    """
    folder = Path(logs_dir)
    if not folder.is_dir():
        return {}
    result: dict[str, LogRead] = {}
    for path in sorted(folder.glob(f"*{SUFFIX}")):
        coder = path.stem
        if not is_slug(coder):
            result[coder] = LogRead([], [LogProblem(
                path, 0, f"{path.name} is not named after a coder id (a slug); file not read"
            )])
            continue
        result[coder] = read_log(path, coder, validate)
    return result
