"""The pattern report (Markdown and Word) and the loop diagram of a pattern.

The report lists each recurring pattern (how often, in which sessions, between which
roles, its levers, its agreements and their follow-up) and then each record step by
step with its links. The same records give the same bytes: Markdown is plain text in
a fixed order, the Word file has fixed document times and zip dates (as the codebook
handbook), and the diagram is saved with :func:`raakvlak.analysis.figures.save_figure`.

Examples
--------
>>> fig = loop_diagram({"moment": "De mail blijft onbeantwoord."}, title="Op elkaar wachten")
>>> [t.get_text() for t in fig.axes[0].texts][:1]
['Moment\\nDe mail blijft onbeantwoord.']
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch

from raakvlak.files import atomic_write_bytes, atomic_write_text, docx_bytes
from raakvlak.ids import slug
from raakvlak.patterns.grouping import pattern_table
from raakvlak.patterns.records import STEP_LABELS, STEPS, PatternError, PatternRecord

WORDS = {
    "nl": {"title": "Interactiepatronen", "patterns": "Terugkerende patronen", "records": "Wrijvingsmomenten",
           "occurrences": "Aantal keer", "sessions": "Sessies", "roles": "Tussen rollen", "codes": "Codes",
           "levers": "Hefbomen", "agreements": "Afspraken", "follow_up": "Opvolging",
           "yes": "opgevolgd", "no": "niet opgevolgd", "unknown": "onbekend", "document": "Document",
           "setting": "Setting", "date": "Datum", "site": "Locatie", "actors": "Betrokkenen",
           "pattern": "Patroon", "none": "geen", "by": "door", "review": "evaluatie",
           "links": "Gekoppelde passages", "coder": "Codeur", "ungrouped": "(niet gegroepeerd)",
           "diagram": "Diagram"},
    "en": {"title": "Interaction patterns", "patterns": "Recurring patterns", "records": "Friction moments",
           "occurrences": "Occurrences", "sessions": "Sessions", "roles": "Between roles", "codes": "Codes",
           "levers": "Levers", "agreements": "Agreements", "follow_up": "Follow-up",
           "yes": "followed up", "no": "not followed up", "unknown": "unknown", "document": "Document",
           "setting": "Setting", "date": "Date", "site": "Site", "actors": "Actors",
           "pattern": "Pattern", "none": "none", "by": "by", "review": "review",
           "links": "Linked passages", "coder": "Coder", "ungrouped": "(not grouped)",
           "diagram": "Diagram"},
}


def _words(language: str) -> dict[str, str]:
    if language not in WORDS:
        raise PatternError(f"language must be one of {', '.join(WORDS)}, not {language!r}")
    return WORDS[language]


def _sorted(records: Iterable[PatternRecord]) -> list[PatternRecord]:
    return sorted((r for r in records if not r.withdrawn),
                  key=lambda r: (r.pattern == "", r.pattern, r.date, r.document_id, r.title, r.record_id))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _link_lines(links: pd.DataFrame | None, record_id: str, language: str) -> list[str]:
    if links is None or links.empty:
        return []
    mine = links[links["record_id"] == record_id]
    lines = []
    for row in mine.itertuples():
        step = STEP_LABELS[language].get(row.step, "—") if row.step else "—"
        where = f"{row.document_id} [{row.start}:{row.end}]" if pd.notna(row.start) else row.document_id
        code = f" `{row.code_id}`" if row.code_id else ""
        status = "" if row.status == "ok" else f" ({row.status})"
        lines.append(f"- {step}: {where}{code} “{_one_line(row.quote)}”{status}")
    return lines


def pattern_markdown(records: Iterable[PatternRecord], links: pd.DataFrame | None = None,
                     language: str = "nl", diagrams: Mapping[str, str] | None = None) -> str:
    """The report as Markdown: the patterns, then every record step by step.

    Parameters
    ----------
    records : the records (withdrawn ones are left out).
    links : the resolved links (:func:`~raakvlak.patterns.state.resolve_links`), shown
        under each record; None leaves them out.
    language : ``"nl"`` or ``"en"``.
    diagrams : pattern name -> image path to show under the pattern (relative to the report).
    """
    words = _words(language)
    records = _sorted(records)
    table = pattern_table(records, language=language)
    lines = [f"# {words['title']}", "", f"## {words['patterns']}", ""]
    for row in table.itertuples():
        lines += [f"### {row.pattern}", "",
                  f"- {words['occurrences']}: {row.occurrences} ({row.label})",
                  f"- {words['sessions']}: {', '.join(row.sessions)}",
                  f"- {words['roles']}: {', '.join(row.roles) or words['none']}",
                  f"- {words['codes']}: {', '.join(f'`{c}`' for c in row.codes) or words['none']}",
                  f"- {words['follow_up']}: {row.followed_up_yes} {words['yes']}, "
                  f"{row.followed_up_no} {words['no']}, {row.followed_up_unknown} {words['unknown']}", ""]
        if row.levers:
            lines += [f"**{words['levers']}.**", ""] + [f"- {_one_line(t)}" for t in row.levers] + [""]
        if row.agreements:
            lines += [f"**{words['agreements']}.**", ""] + [f"- {_one_line(t)}" for t in row.agreements] + [""]
        if diagrams and row.pattern in diagrams:
            lines += [f"![{words['diagram']}: {row.pattern}]({diagrams[row.pattern]})", ""]
    lines += [f"## {words['records']}", ""]
    for record in records:
        lines += [f"### {record.title or record.record_id}", ""]
        facts = [f"{words['pattern']}: {record.pattern or words['ungrouped']}",
                 f"{words['document']}: {record.document_id}", f"{words['date']}: {record.date or '—'}",
                 f"{words['setting']}: {record.setting or '—'}", f"{words['site']}: {record.site or '—'}",
                 f"{words['coder']}: {record.coder}"]
        lines += [" · ".join(facts), ""]
        if record.actors:
            actors = ", ".join(f"{a.speaker} ({a.role})" if a.role else a.speaker for a in record.actors)
            lines += [f"{words['actors']}: {actors}", ""]
        for step in STEPS:
            if record.steps[step]:
                lines += [f"**{STEP_LABELS[language][step]}.** {_one_line(record.steps[step])}", ""]
        if record.codes:
            lines += [f"{words['codes']}: {', '.join(f'`{c}`' for c in record.codes)}", ""]
        if record.follow_up:
            lines += [f"**{words['follow_up']}.**", ""]
            for a in record.follow_up:
                extra = [f"{words['by']} {a.by}" if a.by else "", f"{words['review']} {a.review_date}"
                         if a.review_date else "", words[a.followed_up]]
                note = f" — {_one_line(a.note)}" if a.note else ""
                lines.append(f"- {_one_line(a.agreement)} ({', '.join(e for e in extra if e)}){note}")
            lines.append("")
        link_lines = _link_lines(links, record.record_id, language)
        if link_lines:
            lines += [f"**{words['links']}.**", ""] + link_lines + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _representative(records: Sequence[PatternRecord]) -> dict[str, str]:
    """Per step, the first text written in the records (by date)."""
    texts = {}
    for step in STEPS:
        for record in sorted(records, key=lambda r: (r.date, r.document_id, r.record_id)):
            if record.steps[step]:
                texts[step] = record.steps[step]
                break
    return texts


def loop_diagram(texts: Mapping[str, str], title: str = "", language: str = "nl",
                 width: int = 28, max_chars: int = 150) -> Figure:
    """The sequence as a loop: the eight steps on a circle, arrows from each to the next.

    Parameters
    ----------
    texts : step -> text shown under the step's name (shortened to ``max_chars``).
    title : the pattern's name.
    language : of the step names.
    width : characters per line of the texts.

    Returns
    -------
    matplotlib Figure (no pyplot); save with :func:`raakvlak.analysis.figures.save_figure`.
    """
    labels = STEP_LABELS[language] if language in STEP_LABELS else STEP_LABELS["en"]
    fig = Figure(figsize=(11, 11))
    ax = fig.add_axes((0, 0, 1, 0.95))
    ax.set_xlim(-1.6, 1.6)
    ax.set_ylim(-1.6, 1.6)
    ax.set_aspect("equal")
    ax.axis("off")
    n = len(STEPS)
    radius = 1.2
    places = [(radius * math.sin(2 * math.pi * k / n), radius * math.cos(2 * math.pi * k / n))
              for k in range(n)]
    for k, step in enumerate(STEPS):
        x, y = places[k]
        text = _one_line(texts.get(step, ""))
        if len(text) > max_chars:
            text = text[: max_chars - 1].rstrip() + "…"
        body = textwrap.fill(text, width) if text else "—"
        ax.text(x, y, f"{labels[step]}\n{body}", ha="center", va="center", fontsize=9.5,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": "#fff4e0" if step == "recurring" else "#eef3fa",
                      "edgecolor": "#5b6f8a"})
    for k in range(n):
        # arrows on a slightly larger circle, between the boxes
        a1, a2 = 2 * math.pi * (k + 0.33) / n, 2 * math.pi * (k + 0.67) / n
        r = radius * 1.1
        start, end = (r * math.sin(a1), r * math.cos(a1)), (r * math.sin(a2), r * math.cos(a2))
        ax.add_patch(FancyArrowPatch(start, end, connectionstyle="arc3,rad=-0.25", arrowstyle="-|>",
                                     mutation_scale=18, color="#c0392b" if k == n - 1 else "#5b6f8a",
                                     linewidth=1.6))
    if title:
        fig.suptitle(title, fontsize=14, y=0.985)
    return fig


def pattern_diagram(records: Iterable[PatternRecord], pattern: str, language: str = "nl") -> Figure:
    """The loop diagram of one recurring pattern: per step the first text of its records."""
    members = [r for r in records if r.pattern == pattern and not r.withdrawn]
    if not members:
        raise PatternError(f"no live record is grouped into the pattern {pattern!r}")
    title = f"{pattern} ({len(members)}×)"
    return loop_diagram(_representative(members), title=title, language=language)


def _slug(name: str) -> str:
    return slug(name, 50) or "patroon"


def write_diagrams(records: Iterable[PatternRecord], folder: str | Path, language: str = "nl") -> dict[str, Path]:
    """A PNG loop diagram per pattern in ``folder`` (``<pattern-slug>.png``); pattern -> path."""
    from raakvlak.analysis.figures import save_figure

    records = list(records)
    folder = Path(folder)
    written = {}
    for name in pattern_table(records)["pattern"]:
        written[name] = save_figure(pattern_diagram(records, name, language), folder / f"{_slug(name)}.png")
    return written


def write_pattern_report(records: Iterable[PatternRecord], path: str | Path, links: pd.DataFrame | None = None,
                         language: str = "nl", diagrams: bool = True) -> Path:
    """Write the report as Markdown (``.md``) or Word (``.docx``); byte-identical for the same records.

    With ``diagrams`` the loop diagram of each pattern is written beside a Markdown
    report (``<report>-diagrams/<pattern>.png``) and linked, or embedded in the Word file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    records = list(records)
    if suffix == ".md":
        shown = None
        if diagrams:
            folder = path.with_name(path.stem + "-diagrams")
            shown = {name: f"{folder.name}/{p.name}" for name, p in write_diagrams(records, folder, language).items()}
        atomic_write_text(path, pattern_markdown(records, links, language, shown))
        return path
    if suffix == ".docx":
        atomic_write_bytes(path, pattern_docx_bytes(records, links, language, diagrams))
        return path
    raise PatternError(f"{path}: the pattern report is written as .md or .docx, not {suffix or 'no suffix'}")


def pattern_docx_bytes(records: Iterable[PatternRecord], links: pd.DataFrame | None = None,
                       language: str = "nl", diagrams: bool = True) -> bytes:
    """The Word report as bytes (fixed times and zip dates: the same records, the same bytes)."""
    import docx
    from docx.shared import Cm

    from raakvlak.analysis.figures import figure_bytes

    records = _sorted(records)
    words = _words(language)
    markdown = pattern_markdown(records, links, language)
    document = docx.Document()
    for line in markdown.split("\n"):
        if not line:
            continue
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            document.add_heading(line[level:].strip(), level=level - 1)
            name = line[level:].strip()
            if diagrams and level == 3 and any(r.pattern == name for r in records):
                picture = figure_bytes(pattern_diagram(records, name, language), "png", dpi=110)
                document.add_picture(io.BytesIO(picture), width=Cm(13))
        elif line.startswith("- "):
            document.add_paragraph(line[2:].replace("`", ""), style="List Bullet")
        elif line.startswith("**") and ".**" in line:
            head, _, rest = line[2:].partition(".**")
            paragraph = document.add_paragraph()
            paragraph.add_run(head + ". ").bold = True
            paragraph.add_run(rest.strip().replace("`", ""))
        else:
            document.add_paragraph(line.replace("`", ""))
    return docx_bytes(document, words["title"])
