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
import csv
import io
import logging
import re
import statistics
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from raakvlak.corpus.captions import read_captions
from raakvlak.corpus.encoding import decode
from raakvlak.corpus.transcript import Turn
from raakvlak.errors import ImportProblem
from raakvlak.ids import free_name, slug

__all__ = ["SUPPORTED_SUFFIXES", "Source", "Turn", "read_sources"]

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt", ".md", ".docx", ".odt", ".pdf", ".vtt", ".srt", ".csv", ".xlsx",
)


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


# ---------------------------------------------------------------------- plain text
def _read_text(path: Path) -> list[Source]:
    text, messages = decode(_read_bytes(path), path.name)
    return [Source(title=path.stem, text=text, messages=messages)]


def _read_bytes(path: Path, count: int = -1) -> bytes:
    """The file's bytes (the first ``count`` only, when given)."""
    try:
        with path.open("rb") as handle:
            return handle.read(count)
    except OSError as exc:
        raise ImportProblem(f"{path.name}: cannot be read ({exc.strerror}); check its permissions") from None


def _read_captions(path: Path) -> list[Source]:
    text, messages = decode(_read_bytes(path), path.name)
    turns, more = read_captions(text, path.name, path.suffix.lower())
    kind = "transcript" if any(turn.speaker for turn in turns) else "notes"
    return [Source(title=path.stem, turns=turns, kind=kind, messages=messages + more)]


# ---------------------------------------------------------------------- packages
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_package(path: Path, what: str) -> None:
    """Refuse a .docx/.odt/.xlsx that is not a zip package, saying why."""
    head = _read_bytes(path, 8)
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


_PACKAGES = {".docx", ".odt", ".xlsx"}
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


def _damaged(path: Path, what: str, exc: Exception) -> ImportProblem:
    detail = " ".join(str(exc).split())[:120] or type(exc).__name__
    return ImportProblem(
        f"{path.name}: cannot be read as {path.suffix.lower()} ({detail}); it may be damaged or "
        f"password-protected: open it in {what} and save it again"
    )


# ---------------------------------------------------------------------- .docx
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# deleted text, field codes, and the second copy of a text box kept for old Word versions
_SKIP_IN_RUNS = {
    f"{_W}delText", f"{_W}instrText",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}


def _read_docx(path: Path) -> list[Source]:
    _check_package(path, "Word")
    try:
        import docx

        body = docx.Document(str(path)).element.body
        blocks = list(_docx_blocks(body))
    except ImportProblem:
        raise
    except Exception as exc:
        raise _damaged(path, "Word", exc) from None
    return [Source(title=path.stem, text="\n\n".join(blocks))]


def _docx_blocks(container) -> Iterator[str]:
    """Paragraphs and tables of a body (or content control) in reading order."""
    for child in container.iterchildren():
        if child.tag == f"{_W}p":
            text = _docx_paragraph(child).strip()
            if text:
                yield text
        elif child.tag == f"{_W}tbl":
            rows = [row for row in _docx_rows(child) if row]
            if rows:
                yield "\n".join(rows)
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"):
            yield from _docx_blocks(child)


def _docx_paragraph(p) -> str:
    """The text of one w:p: runs (also inserted and hyperlinked), tabs and breaks."""
    parts: list[str] = []

    def walk(node) -> None:
        for child in node.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_IN_RUNS:
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                parts.append("-")
            elif tag == f"{_W}p":  # a paragraph inside a text box
                parts.append("\n")
                walk(child)
            else:
                walk(child)

    walk(p)
    return "".join(parts)


def _docx_rows(tbl) -> Iterator[str]:
    """One line per table row, the non-empty cells joined by `` | ``."""
    for tr in tbl.iter(f"{_W}tr"):
        if tr.getparent() is not tbl:
            continue  # rows of nested tables are read with their cell
        cells = []
        for tc in tr.iterchildren(f"{_W}tc"):
            texts = [_docx_paragraph(p).strip() for p in tc.iter(f"{_W}p")]
            cell = " ".join(" ".join(t.split()) for t in texts if t)
            if cell:
                cells.append(cell)
        yield " | ".join(cells)


# ---------------------------------------------------------------------- .odt
_TEXTNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLENS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICENS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ODT_SKIP = {"note-citation", "note", "annotation", "tracked-changes", "sequence-decls",
             "table-of-content", "alphabetical-index", "illustration-index", "bibliography"}


def _read_odt(path: Path) -> list[Source]:
    _check_package(path, "LibreOffice Writer")
    try:
        from odf.opendocument import load

        document = load(str(path))
        blocks = list(_odt_blocks(document.text))
    except ImportProblem:
        raise
    except Exception as exc:
        raise _damaged(path, "LibreOffice Writer", exc) from None
    return [Source(title=path.stem, text="\n\n".join(blocks))]


def _qname(node) -> tuple[str, str] | None:
    return node.qname if node.nodeType == node.ELEMENT_NODE else None


def _odt_blocks(container) -> Iterator[str]:
    """Headings, paragraphs, list items and tables in reading order."""
    for node in container.childNodes:
        qname = _qname(node)
        if qname is None:
            continue
        ns, tag = qname
        if ns == _TEXTNS and tag in ("p", "h"):
            text = _odt_inline(node).strip(" ")
            if text.strip():
                yield text
        elif ns == _TABLENS and tag == "table":
            rows = [row for row in _odt_rows(node) if row]
            if rows:
                yield "\n".join(rows)
        elif tag not in _ODT_SKIP:  # lists, list items, sections, table parts ...
            yield from _odt_blocks(node)


def _odt_inline(node) -> str:
    """Paragraph text: spans and links, ``text:s`` spaces, tabs and line breaks."""
    parts: list[str] = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            parts.append(re.sub(r"[ \t\r\n]+", " ", child.data))
            continue
        qname = _qname(child)
        if qname is None:
            continue
        ns, tag = qname
        if ns == _TEXTNS and tag == "s":
            parts.append(" " * int(child.attributes.get((_TEXTNS, "c"), "1") or 1))
        elif ns == _TEXTNS and tag == "tab":
            parts.append("\t")
        elif ns == _TEXTNS and tag == "line-break":
            parts.append("\n")
        elif ns == _TEXTNS and tag in ("p", "h"):  # inside a frame or text box
            parts.append("\n" + _odt_inline(child))
        elif tag not in _ODT_SKIP:
            parts.append(_odt_inline(child))
    return "".join(parts)


def _odt_rows(table) -> Iterator[str]:
    for node in table.childNodes:
        qname = _qname(node)
        if qname is None:
            continue
        if qname == (_TABLENS, "table-row"):
            cells = []
            for cell in node.childNodes:
                if _qname(cell) == (_TABLENS, "table-cell"):
                    text = " ".join(" ".join(block.split()) for block in _odt_blocks(cell))
                    if text:
                        cells.append(text)
            yield " | ".join(cells)
        elif qname[0] == _TABLENS:  # header rows, row groups
            yield from _odt_rows(node)


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
_ID_COLUMNS = {
    "respondent", "respondent id", "respondentid", "respondent nr", "respondentnr",
    "respondentnummer", "respondent nummer", "id", "nr", "nummer", "deelnemer",
    "deelnemer id", "deelnemernummer", "deelnemer nr", "deelnemernr", "participant",
    "participant id", "response id", "responseid",
}
_ROLE_COLUMNS = {"rol", "role"}
# columns that hold a person's name: their values go into the pseudonym key, never the corpus
_NAME_COLUMNS = {
    "naam", "name", "voornaam", "achternaam", "volledige naam", "full name", "first name",
    "last name", "roepnaam", "surname", "given name",
}
# columns that identify people directly: never imported (the corpus holds pseudonymised data)
_IDENTIFYING_COLUMNS = _NAME_COLUMNS | {
    "e mail", "email", "e mailadres", "emailadres", "email address",
    "e mail address", "telefoon", "telefoonnummer", "phone", "phone number", "adres",
    "address", "postcode", "ip", "ip adres", "ip address", "ipaddress",
}


def _read_csv(path: Path) -> list[Source]:
    text, messages = decode(_read_bytes(path), path.name)
    hint = re.match(r"sep=(.)\r?\n", text)  # Excel's delimiter hint on the first line
    if hint:
        text = text[hint.end():]
    delimiter = hint[1] if hint and hint[1] in ",;\t" else _sniff_delimiter(text)
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [row for row in reader]
    except csv.Error as exc:
        raise ImportProblem(
            f"{path.name}: line {reader.line_num}: {exc}; check the quotes in that row"
        ) from None
    label = {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
    messages.append(f"columns separated by {label}")
    return _survey_sources(path, rows, messages)


def _sniff_delimiter(text: str) -> str:
    """The delimiter (``,`` ``;`` or tab) that splits the first rows into the most even columns."""
    best, best_score = ",", (0.0, 0)
    for delimiter in (";", "\t", ","):
        reader = csv.reader(io.StringIO(text[:200_000], newline=""), delimiter=delimiter)
        widths = []
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    widths.append(len(row))
                if len(widths) >= 30:
                    break
        except csv.Error:
            continue
        if not widths:
            continue
        common = statistics.mode(widths)
        if common < 2:
            continue
        score = (widths.count(common) / len(widths), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_xlsx(path: Path) -> list[Source]:
    _check_package(path, "Excel")
    messages: list[str] = []
    try:
        from openpyxl import load_workbook

        values = load_workbook(str(path), read_only=True, data_only=True)
        formulas = load_workbook(str(path), read_only=True, data_only=False)
        try:
            sheets = []
            for sheet, written in zip(values.worksheets, formulas.worksheets, strict=True):
                cells = list(sheet.iter_rows(values_only=True))
                missing = _unstored_formulas(cells, written.iter_rows(values_only=True))
                rows = [row for row in ([_cell_text(v) for v in row] for row in cells) if any(row)]
                if rows:
                    sheets.append((sheet.title, rows, missing))
        finally:
            values.close()
            formulas.close()
    except ImportProblem:
        raise
    except Exception as exc:
        raise _damaged(path, "Excel", exc) from None
    if not sheets:
        raise ImportProblem(f"{path.name}: all sheets are empty; check that you chose the right file")
    title, rows, missing = sheets[0]
    if len(sheets) > 1:
        others = ", ".join(repr(t) for t, _, _ in sheets[1:])
        messages.append(f"read sheet {title!r}; other sheets ignored: {others}")
    sources = _survey_sources(path, rows, messages)
    sources[0].skipped += [f"sheet {title!r}, cell {cell}: a formula ({formula}) without a stored "
                           "result was left empty; open the file in Excel and save it, then import "
                           "it again" for cell, formula in missing]
    return sources


def _unstored_formulas(values: list[tuple], formulas) -> list[tuple[str, str]]:
    """The cells (``B7``) that hold a formula but no stored result, with the formula."""
    from openpyxl.utils import get_column_letter

    missing = []
    for number, (row, written) in enumerate(zip(values, formulas, strict=False), start=1):
        for column, (value, formula) in enumerate(zip(row, written, strict=False), start=1):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                missing.append((f"{get_column_letter(column)}{number}", formula[:40]))
    return missing


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _normal_header(name: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", name.casefold()).replace("_", " ").split())


def _survey_sources(path: Path, rows: list[list[str]], messages: list[str]) -> list[Source]:
    """One source per open question: a turn per answer, other columns as respondent variables.

    The file's messages go with the first source only, so they are shown once.
    """
    rows = [[cell.strip() for cell in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if len(rows) < 2:
        raise ImportProblem(
            f"{path.name}: needs a header row and at least one row of answers; check the file"
        )
    width = max(len(row) for row in rows)
    header = _unique_headers(rows[0] + [""] * (width - len(rows[0])))
    data = [row + [""] * (width - len(row)) for row in rows[1:]]

    id_col = next((k for k, h in enumerate(header) if _normal_header(h) in _ID_COLUMNS), None)
    role_col = next((k for k, h in enumerate(header) if _normal_header(h) in _ROLE_COLUMNS), None)
    digits = max(3, len(str(len(data))))
    speakers = [
        (row[id_col] if id_col is not None and row[id_col] else f"R{n:0{digits}d}")
        for n, row in enumerate(data, start=1)
    ]
    identifying = [k for k in range(width) if _normal_header(header[k]) in _IDENTIFYING_COLUMNS]
    name_cols = [k for k in identifying if _normal_header(header[k]) in _NAME_COLUMNS]
    names: dict[str, list[str]] = {}
    for speaker, row in zip(speakers, data, strict=True):
        found = [row[k] for k in name_cols if row[k]]
        if found:
            names.setdefault(speaker, []).extend(found)
    others = [k for k in range(width) if k not in (id_col, role_col, *identifying)]
    open_cols = [k for k in others if _is_open([row[k] for row in data])]
    variable_cols = [k for k in others if k not in open_cols]
    if not open_cols:
        raise ImportProblem(
            f"{path.name}: has no column with open text answers (columns: "
            f"{', '.join(header)}); a column counts as open when its answers are long "
            f"or varied sentences: check the header row and the delimiter"
        )
    messages = messages + [
        f"respondents identified by column {header[id_col]!r}" if id_col is not None
        else "no respondent column found; respondents numbered by row (R001, R002, ...)",
        f"open questions: {', '.join(header[k] for k in open_cols)}",
    ]
    if variable_cols:
        messages.append(f"respondent variables: {', '.join(header[k] for k in variable_cols)}")
    if identifying:
        messages.append(
            f"left out columns that identify people: {', '.join(header[k] for k in identifying)}"
            + (" (their names are replaced wherever an answer mentions them)" if name_cols else "")
        )

    sources = []
    used: set[str] = set()
    for number, k in enumerate(open_cols, start=1):
        turns = []
        variables: dict[str, dict[str, str]] = {}
        for speaker, row in zip(speakers, data, strict=True):
            answer = "\n".join(line.strip() for line in row[k].splitlines() if line.strip())
            if not answer:
                continue
            role = row[role_col] if role_col is not None else ""
            turns.append(Turn(speaker=speaker, text=answer, role=role))
            variables[speaker] = {header[v]: row[v] for v in variable_cols}
        suffix = free_name(slug(header[k], at_word=True) or f"q{number}", used)
        used.add(suffix)
        sources.append(Source(
            title=header[k], turns=turns, kind="survey", id_suffix=suffix,
            speaker_variables=variables, speaker_names=names,
            messages=[] if sources else list(messages),
        ))
    return sources


def _unique_headers(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    result = []
    for k, name in enumerate(header, start=1):
        name = " ".join(name.split()) or f"column {k}"
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result


def _is_open(values: list[str]) -> bool:
    """An open question: answers that are long, or varied sentences of several words.

    Numbers, dates and short categories (role, school type, age band, ja/nee) are
    respondent variables instead.
    """
    answers = [v for v in values if v]
    worded = [v for v in answers if any(c.isalpha() for c in v)]
    if not answers or len(worded) < len(answers) / 2:
        return False
    mean_length = statistics.fmean(len(v) for v in worded)
    mean_words = statistics.fmean(len(v.split()) for v in worded)
    varied = len(set(worded)) > len(worded) / 2
    return mean_length > 25 or (varied and mean_words >= 3 and mean_length > 15)


_READERS: dict[str, Callable[[Path], list[Source]]] = {
    ".txt": _read_text,
    ".md": _read_text,
    ".docx": _read_docx,
    ".odt": _read_odt,
    ".pdf": _read_pdf,
    ".vtt": _read_captions,
    ".srt": _read_captions,
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
}
