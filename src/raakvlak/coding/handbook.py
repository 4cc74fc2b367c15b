"""The coders' handbook: the codebook as a table, Markdown, Excel and Word.

Every export is deterministic: the same codebook gives the same bytes (no
timestamps; the zip containers of XLSX and DOCX are written with fixed dates), so a
handbook checked into a project only changes when the codebook does.

Examples
--------
>>> book = example_codebook()
>>> text = handbook_markdown(book, language="en")
>>> "#### Spatial proximity" in text
True
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from raakvlak.coding.codebook import Code, Codebook
from raakvlak.errors import CodebookError
from raakvlak.files import FIXED_TIME, atomic_write_bytes, reproducible_zip, save_docx

HANDBOOK_COLUMNS = ["code_id", "depth", "path", "label", "other_label", "colour", "status",
                    "framework", "level", "definition", "full_definition", "when_to_use",
                    "when_not_to_use", "examples", "replaced_by", "to_complete", "note"]

WORDS = {
    "nl": {
        "codebook": "Codeboek", "overview": "Overzicht", "code_id": "Code-id",
        "path": "Plaats", "label": "Label", "other_label": "Label (Engels)",
        "colour": "Kleur", "status": "Status", "framework": "Kader", "level": "Niveau",
        "definition": "Definitie", "full_definition": "Volledige definitie",
        "when_to_use": "Wanneer gebruiken", "when_not_to_use": "Wanneer niet gebruiken",
        "examples": "Voorbeelden", "replaced_by": "Vervangen door",
        "to_complete": "Nog aan te vullen", "note": "Notitie",
        "code": "code", "codes": "codes", "source": "bron", "yes": "ja",
        "merged_into": "Samengevoegd in", "retired_for": "Vervallen; verder als",
        "retired": "Vervallen",
        "a_priori": "a priori", "emergent": "emergent", "merged": "samengevoegd",
        "retired_status": "vervallen",
    },
    "en": {
        "codebook": "Codebook", "overview": "Overview", "code_id": "Code id",
        "path": "Path", "label": "Label", "other_label": "Label (Dutch)",
        "colour": "Colour", "status": "Status", "framework": "Framework", "level": "Level",
        "definition": "Definition", "full_definition": "Full definition",
        "when_to_use": "When to use", "when_not_to_use": "When not to use",
        "examples": "Examples", "replaced_by": "Replaced by",
        "to_complete": "To complete", "note": "Note",
        "code": "code", "codes": "codes", "source": "source", "yes": "yes",
        "merged_into": "Merged into", "retired_for": "Retired; continued as",
        "retired": "Retired",
        "a_priori": "a priori", "emergent": "emergent", "merged": "merged",
        "retired_status": "retired",
    },
}


def _words(language: str) -> dict[str, str]:
    if language not in WORDS:
        raise CodebookError(f"handbook language must be one of {', '.join(WORDS)}, "
                            f"not {language!r}")
    return WORDS[language]


def _count(codebook: Codebook, words: dict[str, str]) -> str:
    return f"{len(codebook)} {words['code'] if len(codebook) == 1 else words['codes']}"


def _status(code: Code, words: dict[str, str]) -> str:
    key = "retired_status" if code.status == "retired" else code.status
    return words.get(key, code.status)


def handbook_frame(codebook: Codebook, language: str = "nl") -> pd.DataFrame:
    """The codebook as the coders' table: one row per code, in file order.

    Parameters
    ----------
    codebook : the codebook.
    language : ``"nl"`` or ``"en"``: the language of ``label`` and ``path``
        (``other_label`` holds the other one).

    Returns
    -------
    DataFrame with columns ``code_id, depth, path, label, other_label, colour,
    status, framework, level, definition, full_definition, when_to_use,
    when_not_to_use, examples`` (newline-joined), ``replaced_by, to_complete, note``.

    Examples
    --------
    >>> book = example_codebook()
    >>> frame = handbook_frame(book, language="en")
    >>> frame.set_index("code_id").loc["barrier.regie", "label"]
    'Case coordination (regie) unclear'
    """
    _words(language)
    other = "en" if language == "nl" else "nl"
    rows = [{
        "code_id": code.id,
        "depth": codebook.depth(code.id),
        "path": codebook.path(code.id, language),
        "label": code.label(language),
        "other_label": code.label(other),
        "colour": code.colour,
        "status": code.status,
        "framework": code.framework,
        "level": code.level,
        "definition": code.definition,
        "full_definition": code.full_definition,
        "when_to_use": code.when_to_use,
        "when_not_to_use": code.when_not_to_use,
        "examples": "\n".join(code.examples),
        "replaced_by": code.replaced_by or "",
        "to_complete": code.to_complete,
        "note": code.note,
    } for code in codebook]
    frame = pd.DataFrame(rows, columns=HANDBOOK_COLUMNS)
    return frame.astype({"depth": "int64", "to_complete": "bool"})


def _history(codebook: Codebook, code: Code, words: dict[str, str], language: str) -> str:
    """One sentence on a merged or retired code, or ''."""
    if code.status not in ("merged", "retired"):
        return ""
    if code.replaced_by is None:
        return words["retired"] + "."
    target = code.replaced_by
    name = codebook.label(target, language) if target in codebook else "?"
    lead = words["merged_into"] if code.status == "merged" else words["retired_for"]
    return f"{lead} `{target}` ({name})."


def handbook_markdown(codebook: Codebook, language: str = "nl") -> str:
    """The handbook as Markdown: the hierarchy as headings, then per code its rules.

    Each code shows its id, the label in the other language, status, framework,
    level and colour, a warning when it is to be completed, the definitions, when
    to use and when not, the examples, and where a merged or retired code went.

    Examples
    --------
    >>> from raakvlak.coding.codebook import Codebook
    >>> book = Codebook.from_text('''
    ... codes:
    ...   - id: barrier
    ...     label: {nl: Knelpunten, en: Barriers}
    ...     definition: Obstacles to collaboration.
    ... ''', path="codebook.yaml")
    >>> print(handbook_markdown(book, language="en"))
    # Codebook
    <BLANKLINE>
    1 code; source: `codebook.yaml`.
    <BLANKLINE>
    ## Overview
    <BLANKLINE>
    - Barriers (`barrier`)
    <BLANKLINE>
    ## Barriers (`barrier`)
    <BLANKLINE>
    *Knelpunten* · Status: a priori · Colour: `#7f7f7f`
    <BLANKLINE>
    **Definition.** Obstacles to collaboration.
    <BLANKLINE>
    """
    words = _words(language)
    other = "en" if language == "nl" else "nl"
    title = words["codebook"] + (f": {codebook.title}" if codebook.title else "")
    lines = [f"# {title}", "",
             f"{_count(codebook, words)}; {words['source']}: `{codebook.file.name}`.", "",
             f"## {words['overview']}", ""]
    for code in codebook:
        indent = "  " * codebook.depth(code.id)
        lines.append(f"{indent}- {code.label(language)} (`{code.id}`)")
    lines.append("")
    for code in codebook:
        level = min(codebook.depth(code.id) + 2, 6)
        lines += [f"{'#' * level} {code.label(language)} (`{code.id}`)", ""]
        facts = [f"*{code.label(other)}*", f"{words['status']}: {_status(code, words)}"]
        if code.framework:
            facts.append(f"{words['framework']}: {code.framework}")
        if code.level:
            facts.append(f"{words['level']}: {code.level}")
        facts.append(f"{words['colour']}: `{code.colour}`")
        lines += [" · ".join(facts), ""]
        history = _history(codebook, code, words, language)
        if history:
            lines += [f"**{history}**", ""]
        if code.to_complete:
            lines += [f"> **{words['to_complete']}.** {code.note}".rstrip(), ""]
        for key in ("definition", "full_definition", "when_to_use", "when_not_to_use"):
            value = getattr(code, key)
            if value:
                lines += [f"**{words[key]}.** {value}", ""]
        if code.examples:
            lines += [f"**{words['examples']}.**", ""]
            lines += [f"- \u201c{example}\u201d" for example in code.examples]
            lines.append("")
        if code.note and not code.to_complete:
            lines += [f"*{words['note']}.* {code.note}", ""]
    return "\n".join(lines)


def _text_colour(hex_colour: str) -> str:
    """Black or white, whichever reads better on ``hex_colour`` (WCAG luminance)."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    return "000000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "FFFFFF"


def handbook_xlsx(codebook: Codebook, path: str | Path, language: str = "nl") -> Path:
    """Write the handbook as an Excel workbook with one sheet; returns the path.

    The sheet has one row per code (file order) with a styled, frozen header row,
    wrapped text, set column widths, labels indented by depth, and a colour swatch
    cell per code. The file is byte-identical for the same codebook.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import openpyxl
    >>> book = example_codebook()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     sheet = openpyxl.load_workbook(handbook_xlsx(book, Path(folder) / "h.xlsx")).active
    ...     sheet["A2"].value == book.codes[0].id
    True
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    words = _words(language)
    frame = handbook_frame(codebook, language)
    columns = [("code_id", 30), ("label", 34), ("other_label", 30), ("colour", 10),
               ("status", 13), ("framework", 22), ("level", 8), ("definition", 50),
               ("full_definition", 60), ("when_to_use", 45), ("when_not_to_use", 45),
               ("examples", 55), ("replaced_by", 24), ("to_complete", 12), ("note", 45),
               ("path", 50)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = words["codebook"]
    header_fill = PatternFill("solid", start_color="FF2F3B4C", end_color="FF2F3B4C")
    for index, (key, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=words[key])
        cell.font = Font(bold=True, color="FFFFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[cell.column_letter].width = width
    status_words = {code.id: _status(code, words) for code in codebook}
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        values = row._asdict()
        for index, (key, _) in enumerate(columns, start=1):
            value = values[key]
            if key == "to_complete":
                value = words["yes"] if value else ""
            elif key == "status":
                value = status_words[values["code_id"]]
            cell = sheet.cell(row=row_number, column=index, value=value)
            cell.alignment = Alignment(
                wrap_text=True, vertical="top",
                indent=int(values["depth"]) if key == "label" else 0)
            if key == "colour":
                rgb = "FF" + value[1:].upper()
                cell.fill = PatternFill("solid", start_color=rgb, end_color=rgb)
                cell.font = Font(color="FF" + _text_colour(value))
            elif key == "label" and values["depth"] == 0:
                cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=1, column=len(columns)).column_letter}{len(frame) + 1}"
    workbook.properties.creator = "raakvlak"
    workbook.properties.title = words["codebook"] + (f": {codebook.title}" if codebook.title else "")
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    target = Path(path)
    atomic_write_bytes(target, reproducible_zip(buffer.getvalue()))
    return target


def handbook_docx(codebook: Codebook, path: str | Path, language: str = "nl") -> Path:
    """Write the handbook as a Word document; returns the path.

    Headings follow the hierarchy; each code gets a colour swatch, its facts, the
    definitions, the rules and the examples. The file is byte-identical for the
    same codebook.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import docx
    >>> book = example_codebook()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     document = docx.Document(handbook_docx(book, Path(folder) / "h.docx", "en"))
    ...     any(p.text.startswith("Trust") for p in document.paragraphs)
    True
    """
    import docx
    from docx.shared import Pt, RGBColor

    words = _words(language)
    other = "en" if language == "nl" else "nl"
    document = docx.Document()
    title = words["codebook"] + (f": {codebook.title}" if codebook.title else "")
    document.add_heading(title, level=0)
    document.add_paragraph(
        f"{_count(codebook, words)}; {words['source']}: {codebook.file.name}.")
    for code in codebook:
        level = min(codebook.depth(code.id) + 1, 9)
        heading = document.add_heading(level=level)
        heading.add_run(code.label(language))
        heading.add_run(f"  ({code.id})").italic = True

        facts = document.add_paragraph()
        swatch = facts.add_run("\u25a0 ")
        swatch.font.color.rgb = RGBColor.from_string(code.colour[1:].upper())
        swatch.font.size = Pt(14)
        parts = [code.label(other), f"{words['status']}: {_status(code, words)}"]
        if code.framework:
            parts.append(f"{words['framework']}: {code.framework}")
        if code.level:
            parts.append(f"{words['level']}: {code.level}")
        parts.append(f"{words['colour']}: {code.colour}")
        facts.add_run(" · ".join(parts))

        history = _history(codebook, code, words, language)
        if history:
            document.add_paragraph().add_run(history.replace("`", "")).bold = True
        if code.to_complete:
            warning = document.add_paragraph()
            warning.add_run(f"{words['to_complete']}. ").bold = True
            warning.add_run(code.note)
        for key in ("definition", "full_definition", "when_to_use", "when_not_to_use"):
            value = getattr(code, key)
            if value:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{words[key]}. ").bold = True
                paragraph.add_run(value)
        if code.examples:
            document.add_paragraph().add_run(f"{words['examples']}.").bold = True
            for example in code.examples:
                document.add_paragraph(f"\u201c{example}\u201d", style="List Bullet")
        if code.note and not code.to_complete:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{words['note']}. ").italic = True
            paragraph.add_run(code.note)
    return save_docx(document, path, title)
