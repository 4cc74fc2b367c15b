"""The coders' handbook: table, Markdown, XLSX and DOCX, all reproducible."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import docx
import openpyxl
import pytest

from raakvlak.coding.codebook import Codebook
from raakvlak.coding.handbook import (
    FIXED_TIME,
    HANDBOOK_COLUMNS,
    handbook_docx,
    handbook_frame,
    handbook_markdown,
    handbook_xlsx,
)
from raakvlak.errors import CodebookError

EXAMPLE_CODEBOOK = Path(__file__).resolve().parents[1] / "coding" / "codebook.yaml"


@pytest.fixture(scope="module")
def book() -> Codebook:
    return Codebook.load(EXAMPLE_CODEBOOK)


def test_frame_has_one_row_per_code(book):
    frame = handbook_frame(book, language="en")
    assert list(frame.columns) == HANDBOOK_COLUMNS
    assert frame["code_id"].tolist() == book.ids
    row = frame.set_index("code_id").loc["barrier.privacy"]
    assert row.label == "Privacy and information sharing (GDPR)"
    assert row.other_label == "Privacy en informatiedeling (AVG)"
    assert row.depth == 1 and row.when_not_to_use.startswith("When the clash")
    nl = handbook_frame(book).set_index("code_id")
    assert nl.loc["barrier.privacy", "path"] == (
        "Knelpunten in de samenwerking > Privacy en informatiedeling (AVG)")


def test_markdown_holds_definitions_rules_and_examples(book):
    text = handbook_markdown(book, language="nl")
    for code in book:
        assert code.definition in text, code.id
        for example in code.examples:
            assert f"- \u201c{example}\u201d" in text
    assert "## Knelpunten in de samenwerking (`barrier`)" in text
    assert "### Te veel aanbieders (`barrier.providers`)" in text
    assert "#### Ruimtelijke nabijheid (`gerdes.proximity.spatial`)" in text
    assert "**Wanneer niet gebruiken.** When the problem is changing people" in text
    assert "**Samengevoegd in `barrier.beschikking` (Voor versus achter de beschikking).**" in text
    assert "> **Nog aan te vullen.** To complete: the names" in text
    assert text.count("> **Nog aan te vullen.**") == sum(c.to_complete for c in book)
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_markdown_in_english(book):
    text = handbook_markdown(book, language="en")
    assert text.startswith("# Codebook: ")
    assert "**When to use.**" in text and "Merged into `barrier.beschikking`" in text
    with pytest.raises(CodebookError, match="language"):
        handbook_markdown(book, language="de")


def test_markdown_is_deterministic(book):
    again = Codebook.load(EXAMPLE_CODEBOOK)
    assert handbook_markdown(book) == handbook_markdown(again)


def test_xlsx_is_reproducible_and_complete(book, tmp_path):
    first = handbook_xlsx(book, tmp_path / "a.xlsx")
    second = handbook_xlsx(Codebook.load(EXAMPLE_CODEBOOK), tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()
    workbook = openpyxl.load_workbook(first)
    assert workbook.properties.created == FIXED_TIME
    assert workbook.properties.modified == FIXED_TIME
    assert len(workbook.sheetnames) == 1
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Code-id", "Label", "Label (Engels)", "Kleur"]
    assert sheet[1][0].font.bold
    assert sheet.max_row == len(book) + 1
    assert sheet.freeze_panes == "B2"
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    definition = header.index("Definitie")
    for code in book:
        row = rows[code.id]
        assert row[definition].value == code.definition
        assert row[definition].alignment.wrap_text
        swatch = row[header.index("Kleur")]
        assert swatch.value == code.colour
        assert swatch.fill.fgColor.rgb == "FF" + code.colour[1:].upper()
    assert sheet.column_dimensions["H"].width == 50
    assert rows["gerdes.proximity.spatial"][1].alignment.indent == 2


def test_docx_is_reproducible_and_complete(book, tmp_path):
    first = handbook_docx(book, tmp_path / "a.docx", language="en")
    second = handbook_docx(Codebook.load(EXAMPLE_CODEBOOK), tmp_path / "b.docx", language="en")
    assert first.read_bytes() == second.read_bytes()
    document = docx.Document(first)
    fixed = FIXED_TIME.replace(tzinfo=UTC)
    assert document.core_properties.created == fixed
    assert document.core_properties.modified == fixed
    headings = [p for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert len(headings) == len(book)
    assert headings[0].text == "Gerdes: interdisciplinary collaboration  (gerdes)"
    assert headings[0].style.name == "Heading 1"
    spatial = next(p for p in headings if p.text.startswith("Spatial proximity"))
    assert spatial.style.name == "Heading 3"
    body = "\n".join(p.text for p in document.paragraphs)
    for code in book:
        assert code.definition in body, code.id
    assert "Merged into barrier.beschikking (Waiting list" not in body
    assert "Merged into barrier.beschikking (Before vs behind the beschikking)." in body
