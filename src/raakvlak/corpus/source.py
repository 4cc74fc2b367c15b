"""What a reader makes of a file (:class:`Source`), and the checks every reader shares:
reading bytes, refusing a package that is no zip or unpacks to too much, and the
message for a damaged file.

Every problem with a file is an :class:`~raakvlak.errors.ImportProblem` whose one-line
message starts with the file name and says what to do.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from raakvlak.corpus.transcript import Turn
from raakvlak.errors import ImportProblem


@dataclass
class Source:
    """What a reader returns; one file may give several (one per survey question).

    Attributes
    ----------
    title : the file stem, or the question text for surveys.
    text : free text (notes, or a transcript still to be structured), or None.
    turns : speaker turns already structured (captions, surveys), or None.
    kind : suggested kind (``transcript``, ``notes``, ``survey``, ``text``) or None
        when the importer should decide (free text: transcript if it has turns).
    id_suffix : slug of the survey question; ``""`` for single-document files.
    speaker_variables : speaker -> {variable: value} (survey respondent columns).
    speaker_names : speaker -> the names in a survey's name columns (naam, voornaam,
        full name ...): never imported as text, but put in the pseudonym key so that
        the respondent's name is replaced where an answer mentions it.
    messages : what the import should tell the user (encoding used, repairs, choices).
    skipped : what is in the file but could not be read (a formula without its result),
        one line each: the import lists it and says so in its exit status.
    headings : the headings of a Markdown file (lines of ``text`` of their own): kept as
        paragraphs of notes, left out of a transcript (a heading is no turn).
    """

    title: str
    text: str | None = None
    turns: list[Turn] | None = None
    kind: str | None = None
    id_suffix: str = ""
    speaker_variables: dict[str, dict[str, str]] = field(default_factory=dict)
    speaker_names: dict[str, list[str]] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)


def read_bytes(path: Path, count: int = -1) -> bytes:
    """The file's bytes (the first ``count`` only, when given)."""
    try:
        with path.open("rb") as handle:
            return handle.read(count)
    except OSError as exc:
        raise ImportProblem(f"{path.name}: cannot be read ({exc.strerror}); check its permissions") from None


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def check_package(path: Path, what: str) -> None:
    """Refuse a .docx/.odt/.xlsx that is not a zip package, saying why."""
    head = read_bytes(path, 8)
    if head == _OLE_MAGIC:
        raise ImportProblem(
            f"{path.name}: is password-protected or an old binary Office file; open it in "
            f"{what}, remove the password and save it again as {path.suffix.lower()}"
        )
    if not zipfile.is_zipfile(path):
        raise ImportProblem(
            f"{path.name}: is damaged or not a {path.suffix.lower()} file (not a zip package); "
            f"open it in {what} and save it again"
        )


def size_text(size: int) -> str:
    """A number of bytes as a person reads it.

    Examples
    --------
    >>> size_text(400), size_text(52_300), size_text(50_000_000), size_text(1_073_741_824)
    ('400 bytes', '52.3 kB', '50 MB', '1,074 MB')
    """
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1e6:,.1f} MB".replace(".0 MB", " MB") if size < 10_000_000 else f"{size / 1e6:,.0f} MB"


# how much more than the file's size limit a package may hold unpacked (its pictures
# are already compressed; its text is XML, which packs about ten to one)
UNPACKED_FACTOR = 4


def check_unpacked(path: Path, max_bytes: int) -> None:
    """Refuse a zip package (.docx .odt .xlsx) that unpacks to more than is safe to read.

    Each member may hold at most ``max_bytes`` and all together ``UNPACKED_FACTOR`` times
    that, as the archive declares them; a member cannot hold more than it declares (the
    zip reader stops there and its checksum then fails), so a "zip bomb" is refused
    before one byte of it is unpacked.

    Raises
    ------
    ImportProblem
        Naming the member and the limit.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception:  # noqa: BLE001 - not a readable package: its reader says so in its own words
        return
    largest = max(members, key=lambda m: m.file_size, default=None)
    total = sum(m.file_size for m in members)
    if (largest is not None and largest.file_size > max_bytes) or total > UNPACKED_FACTOR * max_bytes:
        what = (f"its part {largest.filename!r} unpacks to {size_text(largest.file_size)}"
                if largest.file_size > max_bytes else f"it unpacks to {size_text(total)}")
        raise ImportProblem(
            f"{path.name}: {what}, more than the limit of {size_text(max_bytes)} per part and "
            f"{size_text(UNPACKED_FACTOR * max_bytes)} in all; it may be damaged or built to "
            "exhaust memory. Nothing was read; split the document, or raise [import] max_bytes "
            "in raakvlak.toml"
        )


def damaged(path: Path, what: str, exc: Exception) -> ImportProblem:
    detail = " ".join(str(exc).split())[:120] or type(exc).__name__
    return ImportProblem(
        f"{path.name}: cannot be read as {path.suffix.lower()} ({detail}); it may be damaged or "
        f"password-protected: open it in {what} and save it again"
    )
