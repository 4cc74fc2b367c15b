"""Readers for the files researchers bring: text, documents, PDFs, captions and surveys.

:func:`read_sources` turns one file into one or more :class:`Source` objects: raw
text or raw speaker turns with what the import should tell the user. Readers do
not canonicalise, detect speakers in free text or pseudonymise: the importer does
that next (:func:`raakvlak.corpus.transcript.detect_turns` for free text).

Every problem with a file is an :class:`~raakvlak.errors.ImportProblem` whose one-line
message starts with the file name and says what to do; no library exception escapes.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

from raakvlak.corpus.captions import read_captions
from raakvlak.corpus.encoding import decode
from raakvlak.corpus.markdown import plain_text
from raakvlak.corpus.office import read_docx, read_odt
from raakvlak.corpus.source import Source, check_unpacked, read_bytes, size_text
from raakvlak.corpus.surveys import read_csv, read_xlsx
from raakvlak.corpus.transcript import Turn
from raakvlak.errors import ImportProblem

__all__ = ["SUPPORTED_SUFFIXES", "Source", "Turn", "read_sources"]

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt", ".md", ".docx", ".odt", ".pdf", ".vtt", ".srt", ".csv", ".xlsx",
)


def read_sources(path: Path, max_bytes: int = 50_000_000) -> list[Source]:
    """Read one file into sources, choosing the reader by its suffix.

    Parameters
    ----------
    path : the file (suffixes: see ``SUPPORTED_SUFFIXES``, case does not matter).
    max_bytes : files larger than this are refused before they are read.

    Returns
    -------
    list of Source
        One source, or one per open question for ``.csv`` and ``.xlsx``.

    Raises
    ------
    ImportProblem
        When the file is missing, empty, too large, of an unknown or binary format,
        damaged or password-protected, a PDF without a text layer, a caption file
        with broken cues, or a survey without a column of open answers.
    """
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportProblem(
            f"{name}: unknown format {suffix or '(no suffix)'!r}; raakvlak reads "
            f"{', '.join(SUPPORTED_SUFFIXES)}: save the file in one of these formats"
        )
    if not path.is_file():
        raise ImportProblem(f"{name}: no such file; check the path")
    size = path.stat().st_size
    if size == 0:
        raise ImportProblem(f"{name}: the file is empty; choose the file with the text")
    if size > max_bytes:
        raise ImportProblem(
            f"{name}: {size_text(size)} is more than the limit of {size_text(max_bytes)}; "
            f"split the file, or raise the limit: [import] max_bytes in raakvlak.toml"
        )
    if suffix in _PACKAGES:
        check_unpacked(path, max_bytes)
    sources = _READERS[suffix](path)
    for source in sources:
        if not source.turns and not (source.text or "").strip():
            raise ImportProblem(f"{name}: holds no text; check that you chose the right file")
    return sources


# ---------------------------------------------------------------------- plain text and Markdown
def _read_text(path: Path) -> list[Source]:
    text, messages = decode(read_bytes(path), path.name)
    return [Source(title=path.stem, text=text, messages=messages)]


def _read_markdown(path: Path) -> list[Source]:
    """Markdown as structure (:mod:`raakvlak.corpus.markdown`); the first heading names it."""
    text, messages = decode(read_bytes(path), path.name)
    plain, headings = plain_text(text)
    if headings:
        messages.append(f"read as Markdown: {len(headings)} heading(s), markup taken away")
    return [Source(title=headings[0] if headings else path.stem, text=plain, headings=headings,
                   messages=messages)]


def _read_captions(path: Path) -> list[Source]:
    text, messages = decode(read_bytes(path), path.name)
    turns, more = read_captions(text, path.name, path.suffix.lower())
    kind = "transcript" if any(turn.speaker for turn in turns) else "notes"
    return [Source(title=path.stem, turns=turns, kind=kind, messages=messages + more)]


# ---------------------------------------------------------------------- packages


_PACKAGES = {".docx", ".odt", ".xlsx"}


# ---------------------------------------------------------------------- .docx


# ---------------------------------------------------------------------- .odt


# ---------------------------------------------------------------------- .pdf
@contextlib.contextmanager
def _pypdf_warnings() -> Iterator[list[logging.LogRecord]]:
    """Collect what pypdf logs about a damaged PDF instead of printing it."""
    logger = logging.getLogger("pypdf")
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _read_pdf(path: Path) -> list[Source]:
    with _pypdf_warnings() as warnings:
        sources = _read_pdf_pages(path)
    if warnings:
        sources[0].messages.append(
            f"the PDF reader repaired {len(warnings)} structural problem(s) in the file; "
            f"check the imported text"
        )
    return sources


def _read_pdf_pages(path: Path) -> list[Source]:
    from pypdf import PdfReader

    messages: list[str] = []
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ImportProblem(
                f"{path.name}: is password-protected; save an unprotected copy of the PDF and import that"
            )
        pages = []
        failed = []
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append(page.extract_text() or "")
            except Exception:
                failed.append(number)
    except ImportProblem:
        raise
    except Exception as exc:
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        if "password" in detail.lower() or "decrypt" in detail.lower():
            raise ImportProblem(
                f"{path.name}: is password-protected ({detail}); save an unprotected copy and import that"
            ) from None
        raise ImportProblem(
            f"{path.name}: cannot be read as PDF ({detail}); open it and export it again as PDF"
        ) from None
    if failed:
        messages.append(f"the text of page(s) {', '.join(map(str, failed))} could not be read")
    if not any(page.strip() for page in pages):
        raise ImportProblem(
            f"{path.name}: has no text layer (scanned?); run OCR first (e.g. in your PDF "
            f"reader) and import the result"
        )
    messages.append(f"read the text layer of {len(pages)} page(s); check line breaks and page headers")
    text = "\n\n".join(page.strip("\n") for page in pages if page.strip())
    return [Source(title=path.stem, text=text, messages=messages)]


# ---------------------------------------------------------------------- surveys


_READERS: dict[str, Callable[[Path], list[Source]]] = {
    ".txt": _read_text,
    ".md": _read_markdown,
    ".docx": read_docx,
    ".odt": read_odt,
    ".pdf": _read_pdf,
    ".vtt": _read_captions,
    ".srt": _read_captions,
    ".csv": read_csv,
    ".xlsx": read_xlsx,
}
