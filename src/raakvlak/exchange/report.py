"""A Word report per code or theme: definition, counts, and the quotes with their place.

For each code (in codebook order, headings following the hierarchy) the report gives
the label and id, the definition, the counts (codings, documents, speakers, coders)
and every quote with its document, speaker and role, the turn's timestamp where the
transcript has one, the position (code points on the canonical text) and the coder,
then its picture regions as thumbnails (:mod:`raakvlak.exchange.picture_report`).
Passing ``codes`` reports those codes and their sub-codes only (a theme and its parts).
The file is byte-identical for the same project.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from raakvlak.coding.codebook import Codebook
from raakvlak.errors import ExchangeError
from raakvlak.exchange.picture_report import add_regions, regions_for_report
from raakvlak.exchange.tables import quote_table
from raakvlak.files import save_docx
from raakvlak.project import Project

WORDS = {
    "nl": {"title": "Codes en citaten", "definition": "Definitie", "codings": "coderingen",
           "documents": "documenten", "speakers": "sprekers", "coders": "codeurs",
           "position": "positie", "none": "Geen citaten.", "by": "codeur",
           "summary": "{codings} coderingen door {coders} codeur(s) in {documents} document(en), {codes} codes."},
    "en": {"title": "Codes and quotes", "definition": "Definition", "codings": "codings",
           "documents": "documents", "speakers": "speakers", "coders": "coders",
           "position": "position", "none": "No quotes.", "by": "coder",
           "summary": "{codings} codings by {coders} coder(s) in {documents} document(s), {codes} codes."},
}


def _chosen(codebook: Codebook, codes: Sequence[str] | None) -> list[str]:
    if codes is None:
        return codebook.ids
    chosen: list[str] = []
    for code_id in codes:
        if code_id not in codebook:
            raise ExchangeError(f"no code {code_id!r} in the codebook; see coding/codebook.yaml")
        chosen += [code_id, *(c.id for c in codebook.descendants(code_id))]
    order = {c: i for i, c in enumerate(codebook.ids)}
    return sorted(dict.fromkeys(chosen), key=order.__getitem__)


def write_report(
    project: Project,
    path: str | Path,
    codes: Sequence[str] | None = None,
    coders: Sequence[str] | None = None,
    language: str | None = None,
    max_quotes: int | None = None,
    used_only: bool = True,
) -> Path:
    """Write the Word report (``.docx``); returns the path.

    Parameters
    ----------
    project : the project.
    path : the ``.docx`` file.
    codes : report these codes and their sub-codes (a theme); default all codes.
    coders : only these coders' codings (default all).
    language : ``nl`` or ``en`` for labels and headings (default: the project's).
    max_quotes : at most this many quotes per code (default: all).
    used_only : leave out codes without codings (their parents stay as headings).

    Raises
    ------
    ExchangeError
        For a path that does not end in ``.docx`` or an unknown code.
    """
    import docx

    target = Path(path)
    if target.suffix.lower() != ".docx":
        raise ExchangeError(f"{target.name}: the report is written as .docx")
    language = language or project.language
    words = WORDS.get(language, WORDS["en"])
    codebook = project.codebook
    chosen = _chosen(codebook, codes)
    quotes = quote_table(project, coders=coders, language=language)
    by_code = {code: group for code, group in quotes.groupby("code_id", sort=False)}
    regions, thumbnails = regions_for_report(project, coders, language)  # picture regions
    used = set(by_code) | set(regions)
    if used_only:
        keep = set()
        for code_id in chosen:
            if code_id in used:
                keep.add(code_id)
                keep.update(c.id for c in codebook.ancestors(code_id))
        chosen = [c for c in chosen if c in keep]

    document = docx.Document()
    title = f"{words['title']}: {project.name}"
    document.add_heading(title, level=0)
    in_scope = quotes[quotes["code_id"].isin(chosen)]
    document.add_paragraph(words["summary"].format(
        codings=len(in_scope), coders=in_scope["coder"].nunique(),
        documents=in_scope["document_id"].nunique(), codes=len(chosen)))
    for code_id in chosen:
        code = codebook[code_id]
        heading = document.add_heading(level=min(codebook.depth(code_id) + 1, 9))
        heading.add_run(code.label(language))
        heading.add_run(f"  ({code_id})").italic = True
        if code.definition:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{words['definition']}. ").bold = True
            paragraph.add_run(code.definition)
        group = by_code.get(code_id)
        if group is None:
            add_regions(document, regions.get(code_id), thumbnails, language)
            continue
        speakers = group[group["speaker"] != ""][["document_id", "speaker"]].drop_duplicates()
        document.add_paragraph(
            f"{len(group)} {words['codings']} · {group['document_id'].nunique()} {words['documents']} · "
            f"{len(speakers)} {words['speakers']} · {group['coder'].nunique()} {words['coders']}")
        for row in (group if max_quotes is None else group.head(max_quotes)).itertuples(index=False):
            _quote(document, row, words)
        add_regions(document, regions.get(code_id), thumbnails, language)
    return save_docx(document, target, title)


def _quote(document: Any, row: Any, words: dict[str, str]) -> None:
    """One quote of the report, with where it stands and who coded it (and its memo)."""
    document.add_paragraph(f"\u201c{' '.join(row.quote.split())}\u201d", style="Intense Quote")
    where = [f"{row.title} ({row.document_id})" if row.title else row.document_id]
    if row.speaker:
        where.append(f"{row.speaker}" + (f" ({row.role})" if row.role else ""))
    if row.timestamp:
        where.append(f"[{row.timestamp}]")
    where.append(f"{words['position']} {row.start}\u2013{row.end}")
    where.append(f"{words['by']} {row.coder}")
    source = document.add_paragraph("\u2014 " + ", ".join(where))
    source.runs[0].italic = True
    if row.memo:
        document.add_paragraph(f"Memo: {row.memo}")
