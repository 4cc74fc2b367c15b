"""Picture regions in the quote table and the Word report: rows and thumbnails.

A region coding is shown as what was coded: a thumbnail of the rectangle (at most
240 pixels wide or high, cut from the upright picture) with its picture, rectangle,
code and coder. The quote table's XLSX gets a sheet ``regions`` with a thumbnail per
row; its CSV gets a companion file ``<name>-regions.csv`` (CSV holds no pictures); the
Word report shows each code's regions after its text quotes. Thumbnails are PNG made
with fixed settings, so the files stay byte-identical for the same project.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pandas as pd

from raakvlak.analysis.pictures import region_table
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.pictures import crop, open_picture
from raakvlak.project import Project

THUMBNAIL = 240
WORDS = {
    "nl": {"region": "gebied", "picture": "foto", "by": "codeur"},
    "en": {"region": "region", "picture": "picture", "by": "coder"},
}


def has_regions(project: Project) -> bool:
    """True when the project has pictures (and so possibly region codings)."""
    return MediaStore(project.root).path("pictures").exists()


def thumbnails(project: Project, regions: pd.DataFrame, size: int = THUMBNAIL) -> dict[str, bytes]:
    """A PNG thumbnail per region coding, by event id (each picture opened once)."""
    found: dict[str, bytes] = {}
    for document_id, group in regions.groupby("document_id", sort=False):
        image = open_picture(project, document_id)
        for row in group.itertuples(index=False):
            box = (int(row.left), int(row.top), int(row.right), int(row.bottom))
            found[row.event_id] = crop(project, document_id, box, size, image=image)
    return found


def regions_for_report(project: Project, coders: Sequence[str] | None,
                       language: str) -> tuple[dict[str, pd.DataFrame], dict[str, bytes]]:
    """The region codings per code (empty when the project has no pictures) and their thumbnails."""
    if not has_regions(project):
        return {}, {}
    table = region_table(project, coders=coders, language=language)
    return ({code: group for code, group in table.groupby("code_id", sort=False)},
            thumbnails(project, table))


def add_regions(document: Any, group: pd.DataFrame | None, images: dict[str, bytes], language: str) -> None:
    """The regions of one code in a Word report: thumbnail, then picture, rectangle, coder, memo."""
    if group is None:
        return
    from docx.shared import Cm

    words = WORDS.get(language, WORDS["en"])
    for row in group.itertuples(index=False):
        document.add_picture(io.BytesIO(images[row.event_id]), width=Cm(4))
        where = (f"\u2014 {words['picture']} {row.title} ({row.document_id}), {words['region']} "
                 f"({row.left}, {row.top})\u2013({row.right}, {row.bottom}), {words['by']} {row.coder}")
        document.add_paragraph(where).runs[0].italic = True
        if row.memo:
            document.add_paragraph(f"Memo: {row.memo}")


def regions_sheet(project: Project, coders: Sequence[str] | None, language: str | None) -> pd.DataFrame | None:
    """The ``regions`` sheet of the quote table (None when the project has no pictures)."""
    if not has_regions(project):
        return None
    return region_table(project, coders=coders, language=language)


def embed_thumbnails(xlsx: bytes, project: Project, table: pd.DataFrame, sheet: str = "regions") -> bytes:
    """The workbook ``xlsx`` with a thumbnail in a column ``thumbnail`` of ``sheet``, per row."""
    from openpyxl import load_workbook
    from openpyxl.drawing.image import Image as SheetImage
    from openpyxl.utils import get_column_letter

    from raakvlak.files import FIXED_TIME, reproducible_zip

    workbook = load_workbook(io.BytesIO(xlsx))
    target = workbook[sheet]
    column = get_column_letter(len(table.columns) + 1)
    target[f"{column}1"] = "thumbnail"
    target.column_dimensions[column].width = 20
    images = thumbnails(project, table, size=120)
    for number, event_id in enumerate(table["event_id"], start=2):
        picture = SheetImage(io.BytesIO(images[event_id]))
        target.add_image(picture, f"{column}{number}")
        target.row_dimensions[number].height = 95
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible_zip(buffer.getvalue())
