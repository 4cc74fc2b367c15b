"""Locks: one writer at a time, for a coder's log and for a project's shared files.

Two kinds of lock, on one pair of operating-system primitives (``flock`` on POSIX,
byte-range locking on Windows):

* :func:`lock_fd` / :func:`unlock_fd` lock an open file. Every append to a coding log
  holds its file's exclusive lock (two kernels of one coder cannot interleave lines).
* :class:`ProjectLock` guards what several people may change: the texts and tables of
  ``corpus/``, the pseudonym key in ``private/``, the codebook and the settings. It is
  held for a whole change (read, decide, write), so two imports at the same time cannot
  both read ``documents.csv`` and each write it back without the other's rows. A second
  writer waits (up to ``wait`` seconds) and is then refused with a message that names
  the owner, what it is doing and for how long.

The lock file ``.raakvlak/project.lock`` records its owner (user, host, process, what,
since when). The operating system releases the lock when its process ends, however it
ends, so a lock is never left behind; a record found without a lock is *stale*: the
change it names was interrupted (its writes are atomic, so nothing is half-written),
and :attr:`ProjectLock.stale` says so to the next writer. The lock is re-entrant within
one process: a change may call another change (an import inside an exchange import).

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> with ProjectLock(root, "import"):
...     ProjectLock.holder(root)["action"]
'import'
>>> ProjectLock.holder(root) is None
True
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from raakvlak.errors import RaakvlakError, RaakvlakWarning

try:  # POSIX
    import fcntl

    def lock_fd(fd: int, exclusive: bool, block: bool = True) -> bool:
        """Lock an open file; with ``block=False`` return False at once when it is taken."""
        flags = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | (0 if block else fcntl.LOCK_NB)
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            return False
        return True

    def unlock_fd(fd: int) -> None:
        """Release the lock :func:`lock_fd` took."""
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows: lock the first byte
    import msvcrt

    def lock_fd(fd: int, exclusive: bool, block: bool = True) -> bool:
        """Lock an open file (Windows has exclusive locks only; blocking waits ~10 s)."""
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK if block else msvcrt.LK_NBLCK, 1)
        except OSError:
            if block:
                raise
            return False
        return True

    def unlock_fd(fd: int) -> None:
        """Release the lock :func:`lock_fd` took."""
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


LOCK_FILE = Path(".raakvlak") / "project.lock"
DEFAULT_WAIT = 60.0


class ProjectBusy(RaakvlakError):
    """Another process is changing the project and did not finish in time."""


class StaleLock(RaakvlakWarning):
    """The record of an earlier change was found without its lock: it was interrupted."""


# locks held by this process: lock file -> [file descriptor, depth]
_held: dict[Path, list[int]] = {}
_held_guard = threading.RLock()


class ProjectLock:
    """Hold the project's write lock for the duration of a ``with`` block.

    Parameters
    ----------
    root : the project folder.
    action : what the holder does, for the message another writer gets ("import").
    wait : seconds to wait for another holder before :class:`ProjectBusy` is raised.

    Attributes
    ----------
    stale : the record of an earlier holder whose change was interrupted, or None.
    """

    def __init__(self, root: str | Path, action: str, wait: float = DEFAULT_WAIT):
        self.path = Path(root) / LOCK_FILE
        self.action = action
        self.wait = wait
        self.stale: dict[str, Any] | None = None

    def __enter__(self) -> ProjectLock:
        with _held_guard:
            if self.path in _held:
                _held[self.path][1] += 1
                return self
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
        except OSError as exc:
            raise ProjectBusy(f"{self.path}: cannot open the project lock ({exc.strerror}); "
                              "check that the project folder is writable") from None
        try:
            self._take(fd)
        except BaseException:
            os.close(fd)
            raise
        with _held_guard:
            _held[self.path] = [fd, 1]
        return self

    def _take(self, fd: int) -> None:
        deadline = time.monotonic() + self.wait
        while not lock_fd(fd, exclusive=True, block=False):
            if time.monotonic() >= deadline:
                raise ProjectBusy(f"{self.path.parent.parent}: {_describe(_record(fd))}; nothing was "
                                  f"changed: try again when it is done")
            time.sleep(0.05)
        self.stale = _record(fd)
        if self.stale:
            warnings.warn(StaleLock(
                f"{self.path.parent.parent}: an earlier change was interrupted: "
                f"{_describe(self.stale, 'ran')}; its files are "
                "whole (every write is atomic): check that its change is there and run it again "
                "if not"), stacklevel=3)
        record = {"action": self.action, "user": _user(), "host": socket.gethostname(),
                  "pid": os.getpid(), "since": time.time()}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(record).encode("utf-8"))

    def __exit__(self, *exc: object) -> None:
        with _held_guard:
            entry = _held[self.path]
            entry[1] -= 1
            if entry[1]:
                return
            del _held[self.path]
        fd = entry[0]
        try:
            os.ftruncate(fd, 0)  # no record left: the next holder finds no stale one
        finally:
            with contextlib.suppress(OSError):
                unlock_fd(fd)
            os.close(fd)

    @staticmethod
    def holder(root: str | Path) -> dict[str, Any] | None:
        """The record of whoever holds the lock of the project at ``root`` now, or None."""
        path = Path(root) / LOCK_FILE
        try:
            fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        except OSError:
            return None
        try:
            with _held_guard:
                if path in _held:  # this process: its own lock would be granted again
                    return _record(_held[path][0])
            if lock_fd(fd, exclusive=True, block=False):
                unlock_fd(fd)
                return None
            return _record(fd)
        finally:
            os.close(fd)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no user name in the environment
        return "unknown"


def _record(fd: int) -> dict[str, Any] | None:
    """The owner record in the lock file (None when empty or unreadable)."""
    with contextlib.suppress(OSError, ValueError):
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        record = json.loads(data.decode("utf-8")) if data.strip() else None
        return record if isinstance(record, dict) else None
    return None


def _describe(record: dict[str, Any] | None, verb: str = "is running") -> str:
    """Who holds (``is running``) or held (``ran``) the lock, doing what, for how long."""
    if not record:
        return "another process is changing the project"
    age = max(0, int(time.time() - float(record.get("since", time.time()))))
    if verb == "ran":
        return (f"{record.get('user', '?')} ran '{record.get('action', '?')}' on this project "
                f"(process {record.get('pid', '?')} on {record.get('host', '?')}, {age} s ago)")
    return (f"{record.get('user', '?')} {verb} '{record.get('action', '?')}' on this project "
            f"(process {record.get('pid', '?')} on {record.get('host', '?')}, for {age} s)")
