"""Tables for analysis and writing: the quote table (CSV, XLSX) and code matrices (XLSX).

Every file is deterministic: the same project gives the same bytes (fixed document
properties and zip dates in XLSX, fixed row and column order everywhere).
"""

from __future__ import annotations

import bisect
import io
import re
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from raakvlak.analysis.data import project_codings
from raakvlak.corpus.store import document_variables, speaker_variables
from raakvlak.corpus.structure import blocks
from raakvlak.errors import ExchangeError
from raakvlak.files import FIXED_TIME, atomic_write_bytes, reproducible_zip
from raakvlak.ids import free_name
from raakvlak.project import Project

_SPEAKER_KINDS = ("transcript", "survey")
QUOTE_COLUMNS_START = ["coder", "document_id", "title"]
QUOTE_COLUMNS_END = ["code_id", "code_label", "start", "end", "timestamp", "quote", "context",
                     "memo", "origin", "event_id"]


def _speakers_of(text: str, codings: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Speaker and timestamp of the turn holding each coding's start ("" outside turns)."""
    found = blocks(text)
    starts = [b.label_start for b in found]
    speakers, stamps = [], []
    for start in codings["start"]:
        index = bisect.bisect_right(starts, start) - 1
        block = found[index] if index >= 0 else None
        if block is not None and start < block.end:
            speakers.append(block.speaker)
            stamps.append(block.timestamp)
        else:
            speakers.append("")
            stamps.append("")
    return speakers, stamps


def _context(text: str, start: int, end: int, width: int) -> str:
    before = " ".join(text[max(0, start - width):start].split())
    after = " ".join(text[end:end + width].split())
    quote = " ".join(text[start:end].split())
    lead = "\u2026" if start > width else ""
    tail = "\u2026" if end + width < len(text) else ""
    return f"{lead}{before} \u00ab{quote}\u00bb {after}{tail}".strip()


def quote_table(
    project: Project,
    coders: Sequence[str] | None = None,
    language: str | None = None,
    context: int = 80,
) -> pd.DataFrame:
    """One row per live coding, with everything needed to read and sort the quotes.

    Parameters
    ----------
    project : the project.
    coders : only these coders (default: all).
    language : label language (default: the project's).
    context : characters of context on each side of the quote.

    Returns
    -------
    DataFrame
        Columns ``coder, document_id, title``, the document variables (as in
        ``documents.csv``), ``speaker, role`` and the speaker variables (a speaker
        variable named like a document variable gets ``speaker_``), ``code_id,
        code_label``, ``level_1 ... level_n`` (the code's path, top-level code first),
        ``start, end`` (code points on the canonical text), ``timestamp`` (of the
        turn, when the transcript has one), ``quote``, ``context`` (the quote between
        « » with its surroundings), ``memo``, ``origin``, ``event_id``. Rows are
        ordered by document (corpus order), start, end, coder, code.
    """
    language = language or project.language
    codebook = project.codebook
    codings = project_codings(project, coders)
    documents = project.corpus.documents
    speakers = project.corpus.speakers
    extra_document, extra_speaker = document_variables(documents), speaker_variables(speakers)
    renamed = {c: f"speaker_{c}" if c in extra_document or c in {"title", "date"} else c
               for c in extra_speaker}
    order = {doc: i for i, doc in enumerate(documents["document_id"])}
    kinds = dict(zip(documents["document_id"], documents["kind"], strict=True))
    parts = []
    for document_id, group in codings.groupby("document_id", sort=False):
        text = project.corpus.text(document_id)
        group = group.sort_values(["start", "end", "coder", "code_id", "event_id"]).copy()
        if kinds.get(document_id) in _SPEAKER_KINDS:
            group["speaker"], group["timestamp"] = _speakers_of(text, group)
        else:
            group["speaker"], group["timestamp"] = "", ""
        group["context"] = [_context(text, s, e, context) for s, e in zip(group["start"], group["end"], strict=True)]
        parts.append(group)
    columns_path: list[str] = []
    if parts:
        table = pd.concat(parts, ignore_index=True)
        table["_order"] = table["document_id"].map(order).fillna(len(order))
        table = table.sort_values(["_order", "start", "end", "coder", "code_id", "event_id"], kind="stable")
        paths = [codebook.path_labels(c, language) if c in codebook else (c,) for c in table["code_id"]]
        depth = max(len(p) for p in paths)
        columns_path = [f"level_{i}" for i in range(1, depth + 1)]
        for i, name in enumerate(columns_path):
            table[name] = [p[i] if i < len(p) else "" for p in paths]
        table["code_label"] = [codebook.label(c, language) if c in codebook else c for c in table["code_id"]]
    else:
        table = pd.DataFrame(columns=[*codings.columns, "speaker", "timestamp", "context", "code_label"])
    table = table.merge(documents.drop(columns=["kind", "language", "date", "source", "sha256"], errors="ignore"),
                        on="document_id", how="left")
    speaker_table = speakers.rename(columns=renamed)
    table = table.merge(speaker_table, on=["document_id", "speaker"], how="left")
    columns = (QUOTE_COLUMNS_START + extra_document + ["speaker", "role"]
               + [renamed[c] for c in extra_speaker] + QUOTE_COLUMNS_END[:2] + columns_path
               + QUOTE_COLUMNS_END[2:])
    table = table.reindex(columns=columns)
    text_columns = [c for c in columns if c not in ("start", "end")]
    table[text_columns] = table[text_columns].fillna("").astype(str)
    return table.reset_index(drop=True)


def _xlsx_bytes(sheets: dict[str, pd.DataFrame], title: str, index: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in sheets.items():
        sheet = workbook.create_sheet(_sheet_name(name, workbook.sheetnames))
        data = frame.reset_index() if index else frame
        sheet.append([str(c) for c in data.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in data.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        for number, column in enumerate(data.columns, start=1):
            values = [str(column), *(str(v) for v in data[column].head(200))]
            width = min(max(len(v) for v in values) + 2, 80)
            sheet.column_dimensions[get_column_letter(number)].width = width
            if width == 80:
                for cell in sheet[get_column_letter(number)][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"
        if len(data.columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(data.columns))}{len(data) + 1}"
    workbook.properties.creator = "raakvlak"
    workbook.properties.title = title
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible_zip(buffer.getvalue())


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never let a quote become a spreadsheet formula
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    return value


def _sheet_name(name: str, taken: list[str]) -> str:
    clean = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "sheet"
    return free_name(clean, taken, joiner=" ", length=31)


def write_quotes(
    project: Project,
    path: str | Path,
    coders: Sequence[str] | None = None,
    language: str | None = None,
    context: int = 80,
) -> Path:
    """Write the quote table (:func:`quote_table`) as CSV or XLSX, chosen by the suffix.

    CSV is UTF-8 with a byte order mark (so Excel shows ë and ’ right) and ``\\n``
    line ends; XLSX has one sheet with a bold, frozen header and filters. A project with
    pictures gets its region codings too: a sheet ``regions`` with a thumbnail per row
    (XLSX), or ``<name>-regions.csv`` beside the CSV.

    Raises
    ------
    ExchangeError
        For a suffix other than ``.csv`` or ``.xlsx``.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ExchangeError(f"{target.name}: the quote table is written as .csv or .xlsx, not {suffix or 'no suffix'!r}")
    from raakvlak.exchange.picture_report import embed_thumbnails, regions_sheet

    table = quote_table(project, coders=coders, language=language, context=context)
    regions = regions_sheet(project, coders, language)  # picture regions, when there are pictures
    if suffix == ".csv":
        data = table.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
        if regions is not None:
            atomic_write_bytes(target.with_name(f"{target.stem}-regions.csv"),
                               regions.to_csv(index=False, lineterminator="\n").encode("utf-8-sig"))
    else:
        sheets = {"quotes": table} if regions is None else {"quotes": table, "regions": regions}
        data = _xlsx_bytes(sheets, f"Quotes: {project.name}")
        if regions is not None and len(regions):
            data = embed_thumbnails(data, project, regions)
    atomic_write_bytes(target, data)
    return target


def write_matrices(
    project: Project,
    path: str | Path,
    variables: Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
    rollup: bool = False,
    measure: str = "codings",
    language: str | None = None,
) -> Path:
    """Write the code x document matrix and code x variable crosstabs to one XLSX.

    Parameters
    ----------
    project : the project.
    path : the ``.xlsx`` file.
    variables : segment, document or speaker variables for the crosstabs (one sheet
        each, counts of coded segments); default ``role`` and the document variables
        of ``documents.csv``.
    coders : only these coders' codings (default: all, pooled).
    rollup : a code also counts the codings of its sub-codes.
    measure : ``codings`` or ``segments`` for the code x document sheet.
    language : label language (default: the project's).

    Returns
    -------
    Path of the file written. Sheet ``code x document`` first, then ``code x <variable>``;
    every sheet starts with the columns ``code_id`` and ``label``.
    """
    from raakvlak.analysis.tables import project_crosstab, project_document_matrix

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ExchangeError(f"{target.name}: matrices are written as .xlsx")
    language = language or project.language
    codebook = project.codebook
    if variables is None:
        variables = ["role", *document_variables(project.corpus.documents)]

    def labelled(matrix: pd.DataFrame) -> pd.DataFrame:
        frame = matrix.copy()
        frame.columns = [str(c) for c in frame.columns]
        frame.insert(0, "label", [codebook.label(c, language) if c in codebook else c for c in frame.index])
        frame.index.name = "code_id"
        return frame

    sheets = {"code x document": labelled(project_document_matrix(project, measure=measure, rollup=rollup,
                                                                  coders=coders))}
    for variable in variables:
        sheets[f"code x {variable}"] = labelled(project_crosstab(project, variable, rollup=rollup, coders=coders))
    atomic_write_bytes(target, _xlsx_bytes(sheets, f"Matrices: {project.name}", index=True))
    return target
