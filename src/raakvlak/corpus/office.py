"""Word (.docx) and OpenDocument (.odt) files: their paragraphs and tables as text.

Paragraphs become lines with a blank line between them; a table row becomes a line
with its cells separated by `` | ``; deleted text, field codes, notes, annotations and
tracked changes are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from raakvlak.corpus.source import Source, check_package, damaged
from raakvlak.errors import ImportProblem

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# deleted text, field codes, and the second copy of a text box kept for old Word versions
_SKIP_IN_RUNS = {
    f"{_W}delText", f"{_W}instrText",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}


def read_docx(path: Path) -> list[Source]:
    check_package(path, "Word")
    try:
        import docx

        body = docx.Document(str(path)).element.body
        blocks = list(_docx_blocks(body))
    except ImportProblem:
        raise
    except Exception as exc:
        raise damaged(path, "Word", exc) from None
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


_TEXTNS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


_TABLENS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


_OFFICENS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


_ODT_SKIP = {"note-citation", "note", "annotation", "tracked-changes", "sequence-decls",
             "table-of-content", "alphabetical-index", "illustration-index", "bibliography"}


def read_odt(path: Path) -> list[Source]:
    check_package(path, "LibreOffice Writer")
    try:
        from odf.opendocument import load

        document = load(str(path))
        blocks = list(_odt_blocks(document.text))
    except ImportProblem:
        raise
    except Exception as exc:
        raise damaged(path, "LibreOffice Writer", exc) from None
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
