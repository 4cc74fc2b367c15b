"""Surveys (.csv, .xlsx): one source per open question, one turn per answer.

The respondent column (``respondent``, ``id``, ``nr`` ...) names the speaker of each
answer (its values are identifiers: see :meth:`raakvlak.corpus.pseudonymise.Pseudonymiser.respondent`);
a role column gives their role; columns that identify people (name, e-mail, phone,
address) are left out, their names kept for the key; the other closed columns become
respondent variables. A column counts as an open question when its answers are long
or varied sentences.
"""

from __future__ import annotations

import re
import statistics
from datetime import date, datetime, time
from pathlib import Path

from raakvlak.corpus.delimited import read_delimited
from raakvlak.corpus.source import Source, check_package, damaged
from raakvlak.corpus.transcript import Turn
from raakvlak.errors import ImportProblem
from raakvlak.ids import free_name, slug

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


def read_csv(path: Path) -> list[Source]:
    rows, messages = read_delimited(path)
    return _survey_sources(path, rows, messages)


def read_xlsx(path: Path) -> list[Source]:
    check_package(path, "Excel")
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
        raise damaged(path, "Excel", exc) from None
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
