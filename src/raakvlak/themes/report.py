"""The theme report: per theme its label, spread and quotes with their sources.

Markdown (:func:`theme_report_markdown`) and Word (:func:`write_theme_report` with a
``.docx`` path). Both are deterministic: the same model gives the same bytes (the
DOCX container is written with fixed dates).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from raakvlak.files import atomic_write_text
from raakvlak.themes.features import ThemeError

WORDS = {
    "nl": {
        "title": "Thema's", "theme": "Thema", "segments": "segmenten", "documents": "documenten",
        "speakers": "sprekers", "roles": "rollen", "sites": "locaties", "terms": "Kenmerkende termen",
        "spread": "Spreiding", "stability": "Stabiliteit", "stable": "stabiel", "unstable": "instabiel",
        "single": "komt in één document of van één spreker: geen terugkerend thema",
        "quotes": "Citaten", "codes": "Toegepaste codes", "unassigned": "Terzijde gelegd (te weinig inhoud)",
        "intro": "Voorstellen van de machine; de onderzoeker beslist.", "model": "Model",
    },
    "en": {
        "title": "Themes", "theme": "Theme", "segments": "segments", "documents": "documents",
        "speakers": "speakers", "roles": "roles", "sites": "sites", "terms": "Characteristic terms",
        "spread": "Spread", "stability": "Stability", "stable": "stable", "unstable": "unstable",
        "single": "found in one document or voiced by one speaker: not a recurring theme",
        "quotes": "Quotes", "codes": "Codes applied", "unassigned": "Set aside (too little content)",
        "intro": "Suggestions of the machine; the researcher decides.", "model": "Model",
    },
}


def _words(language: str) -> dict[str, str]:
    if language not in WORDS:
        raise ThemeError(f"report language must be nl or en, not {language!r}")
    return WORDS[language]


def _source(quote: pd.Series) -> str:
    who = " ".join(p for p in (str(quote["speaker"] or ""), f"({quote['role']})" if quote["role"] else "") if p)
    place = f"{quote['document_id']} {quote['start']}-{quote['end']}"
    return f"{who}, {place}" if who else place


def _sections(model, language: str, codes: pd.DataFrame | None):
    """The report as plain data: one dict per theme (shared by Markdown and DOCX)."""
    words = _words(language)
    sections = []
    for theme in model.themes_.itertuples():
        spread = (f"{theme.size} {words['segments']}, {theme.documents} {words['documents']}, "
                  f"{theme.speakers} {words['speakers']}, {theme.roles} {words['roles']}, "
                  f"{theme.sites} {words['sites']}")
        notes = []
        if pd.notna(theme.stability):
            state = words["stable"] if theme.stable else words["unstable"]
            notes.append(f"{words['stability']}: {theme.stability:.2f} ({state})")
        if not theme.recurring:
            notes.append(words["single"])
        quotes = model.quotes_[model.quotes_["theme"] == theme.theme]
        applied = []
        if codes is not None:
            rows = codes[codes["theme"] == theme.theme]
            applied = [f"{r.code_id} ({r.segments})" for r in rows.itertuples()]
        sections.append({
            "heading": f"{words['theme']} {theme.theme + 1}: {theme.label}",
            "terms": ", ".join(theme.terms),
            "spread": spread,
            "notes": notes,
            "quotes": [(" ".join(str(q["text"]).split()), _source(q)) for _, q in quotes.iterrows()],
            "codes": ", ".join(applied),
        })
    return sections


def theme_report_markdown(model, title: str | None = None, language: str = "nl",
                          codes: pd.DataFrame | None = None) -> str:
    """The theme report as Markdown.

    Parameters
    ----------
    model : a fitted :class:`~raakvlak.themes.model.ThemeModel`.
    title : the report's title (default: "Thema's" / "Themes").
    language : ``"nl"`` or ``"en"`` (the report's own words).
    codes : optional :func:`~raakvlak.themes.suggest.theme_codes` table.

    Returns
    -------
    str
    """
    words = _words(language)
    unassigned = int((model.labels_ < 0).sum())
    lines = [f"# {title or words['title']}", "", f"*{words['intro']}*", "",
             f"{words['model']}: {model.method} ({model.features_used_}), k = {model.n_themes_}, "
             f"random_state = {model.random_state}; {words['unassigned']}: {unassigned}; "
             f"fingerprint `{model.fingerprint_[:12]}`", ""]
    for section in _sections(model, language, codes):
        lines += [f"## {section['heading']}", "",
                  f"**{words['terms']}:** {section['terms']}", "",
                  f"**{words['spread']}:** {section['spread']}", ""]
        lines += [f"*{note}*" for note in section["notes"]]
        if section["notes"]:
            lines.append("")
        if section["codes"]:
            lines += [f"**{words['codes']}:** {section['codes']}", ""]
        lines += [f"**{words['quotes']}**", ""]
        for text, source in section["quotes"]:
            lines += [f"> {text}", ">", f"> — {source}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def write_theme_report(model, path: str | Path, title: str | None = None, language: str = "nl",
                       codes: pd.DataFrame | None = None) -> Path:
    """Write the theme report to ``path``: Markdown for ``.md``, Word for ``.docx``.

    Returns
    -------
    Path
        The file written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix == ".md":
        atomic_write_text(target, theme_report_markdown(model, title, language, codes))
        return target
    if suffix != ".docx":
        raise ThemeError(f"{target}: the theme report is written as .md or .docx")
    import docx

    from raakvlak.files import save_docx

    words = _words(language)
    document = docx.Document()
    document.add_heading(title or words["title"], level=0)
    document.add_paragraph(words["intro"]).runs[0].italic = True
    document.add_paragraph(f"{words['model']}: {model.method} ({model.features_used_}), k = {model.n_themes_}, "
                           f"random_state = {model.random_state}; fingerprint {model.fingerprint_[:12]}")
    for section in _sections(model, language, codes):
        document.add_heading(section["heading"], level=1)
        for key in ("terms", "spread", "codes"):
            if section[key]:
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{words[key]}: ").bold = True
                paragraph.add_run(section[key])
        for note in section["notes"]:
            document.add_paragraph(note).runs[0].italic = True
        for text, source in section["quotes"]:
            paragraph = document.add_paragraph(style="Quote")
            paragraph.add_run(f"\u201c{text}\u201d")
            document.add_paragraph(f"\u2014 {source}")
    return save_docx(document, target, title or words["title"])
