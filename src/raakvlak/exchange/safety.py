"""Reading exchange files that may be broken or hostile: zip archives and XML.

A ``.qdpx`` file is a zip archive from another machine. It is read into memory under
limits, never extracted: the number of entries and the uncompressed size are checked
twice, once from the sizes the archive declares and again while the bytes are read
(a lying header cannot get past the count), and every entry name must be a plain
relative path (no ``..``, no absolute path, no drive letter), so nothing can ever be
written outside the project (zip-slip). XML is parsed with ``defusedxml`` with DTDs
forbidden: no external entity is fetched and no entity is expanded (the "billion
laughs"). Every refusal is an :class:`~raakvlak.errors.ExchangeError` naming the file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from raakvlak.errors import ExchangeError


@dataclass(frozen=True)
class Limits:
    """Limits on an exchange archive.

    Attributes
    ----------
    max_entries : entries in the archive.
    max_total_bytes : uncompressed bytes of all entries together.
    max_entry_bytes : uncompressed bytes of one entry.
    """

    max_entries: int = 20_000
    max_total_bytes: int = 1_000_000_000
    max_entry_bytes: int = 200_000_000


DEFAULT_LIMITS = Limits()
_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")


def safe_name(name: str) -> bool:
    """True for an entry name that stays inside the folder it would be extracted to.

    Examples
    --------
    >>> safe_name("sources/ab.txt"), safe_name("../evil.txt"), safe_name("/etc/passwd")
    (True, False, False)
    """
    if not name or "\x00" in name:
        return False
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        return False
    return ".." not in PurePosixPath(unified).parts


def read_archive(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, wanted: Callable[[str], bool] | None = None
) -> dict[str, bytes]:
    """The files of a zip archive, by entry name, read under ``limits``.

    Every entry name is checked; only the entries ``wanted`` says yes to (all, when it
    is None) are read and count against the limits, so a picture or a recording the
    reader does not need cannot make the archive too large.

    Raises
    ------
    ExchangeError
        When the file is not a zip archive, has too many entries, declares or holds
        more bytes than allowed, names a path outside its folder, is encrypted or
        damaged.
    """
    path = Path(path)
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError as exc:
        raise ExchangeError(f"{name}: no such file") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise ExchangeError(f"{name}: not a readable zip archive ({exc}); export it again from the other tool") from exc
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        for info in entries:
            if not safe_name(info.filename):
                raise ExchangeError(
                    f"{name}: entry {info.filename!r} points outside the archive's folder "
                    "(zip-slip); the file is refused and nothing was imported")
        if wanted is not None:
            entries = [info for info in entries if wanted(info.filename)]
        if len(archive.infolist()) > limits.max_entries:
            raise ExchangeError(
                f"{name}: {len(archive.infolist())} entries, more than the limit of "
                f"{limits.max_entries}; nothing was imported")
        declared = 0
        for info in entries:
            if info.flag_bits & 0x1:
                raise ExchangeError(f"{name}: entry {info.filename!r} is encrypted; export without a password")
            if info.file_size > limits.max_entry_bytes:
                raise ExchangeError(
                    f"{name}: entry {info.filename!r} declares {info.file_size} bytes, more than the "
                    f"limit of {limits.max_entry_bytes}; nothing was imported")
            declared += info.file_size
        if declared > limits.max_total_bytes:
            raise ExchangeError(
                f"{name}: the archive declares {declared} bytes uncompressed, more than the limit "
                f"of {limits.max_total_bytes}; nothing was imported")
        files: dict[str, bytes] = {}
        total = 0
        for info in entries:
            chunks = []
            size = 0
            try:
                with archive.open(info) as handle:
                    while chunk := handle.read(_CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if size > limits.max_entry_bytes or total > limits.max_total_bytes:
                            raise ExchangeError(
                                f"{name}: entry {info.filename!r} holds more bytes than its header "
                                "says or than the limits allow; nothing was imported")
                        chunks.append(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                raise ExchangeError(f"{name}: entry {info.filename!r} is damaged ({exc})") from exc
            files[info.filename] = b"".join(chunks)
        return files


def parse_xml(data: bytes, what: str) -> Element:
    """Parse XML bytes safely (no DTD, no entities, no external resources).

    A byte order mark (UTF-8 or UTF-16) is accepted.

    Raises
    ------
    ExchangeError
        When the XML is not well-formed or uses a DTD or entities; ``what`` names the
        file in the message.
    """
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ExchangeError(
            f"{what}: uses a DTD or entity declarations ({type(exc).__name__}), which raakvlak "
            "never resolves; the file is refused and nothing was imported") from exc
    except ParseError as exc:
        raise ExchangeError(f"{what}: not well-formed XML ({exc}); nothing was imported") from exc
