"""Exports for analysis and writing: quote table, matrices and the Word report."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from raakvlak import Project
from raakvlak.analysis.tables import project_crosstab, project_document_matrix
from raakvlak.coding.session import CodingSession
from raakvlak.errors import ExchangeError
from raakvlak.exchange import quote_table, write_matrices, write_quotes, write_report

DOC = "als-a-sessie-1"
PHRASE = "Appelflappen. Van de bakker op de hoek"


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """A copy of the example project with three codings of its own (read-only for the tests)."""
    example = Path(__file__).resolve().parents[1]
    target = tmp_path_factory.mktemp("exports") / "example"
    shutil.copytree(example / "corpus", target / "corpus")
    shutil.copytree(example / "coding", target / "coding", ignore=shutil.ignore_patterns("*.jsonl"))
    shutil.copy(example / "raakvlak.toml", target / "raakvlak.toml")
    project = Project(target)
    anna, bram = CodingSession(project, "anna"), CodingSession(project, "bram")
    text = anna.text(DOC)
    start = text.index(PHRASE)
    anna.code(DOC, start, start + len(PHRASE), "gerdes.proximity.spatial", memo="letterlijk dichtbij")
    bram.code(DOC, start, start + 13, "barrier.regie")
    anna.code("als-a-sessie-2", 0, 15, "barrier.regie")
    return project


def test_quote_table_has_one_row_per_coding_with_variables_and_path(coded):
    table = quote_table(coded)
    assert len(table) == 3
    row = table[(table["coder"] == "anna") & (table["document_id"] == DOC)].iloc[0]
    assert row["quote"] == PHRASE
    assert row["speaker"] == "IB'er 1" and row["role"] == "intern begeleider"
    assert row["site"] == coded.corpus.document(DOC)["site"]
    assert (row["level_1"], row["level_2"], row["level_3"]) == (
        "Gerdes: interdisciplinaire samenwerking", "Nabijheid", "Ruimtelijke nabijheid")
    assert row["code_label"] == "Ruimtelijke nabijheid"
    assert f"\u00ab{PHRASE}\u00bb" in row["context"] and row["memo"] == "letterlijk dichtbij"
    text = coded.corpus.text(DOC)
    assert text[row["start"]:row["end"]] == PHRASE
    # a code two levels deep leaves level_3 empty
    regie = table[table["code_id"] == "barrier.regie"]
    assert set(regie["level_3"]) == {""} and set(regie["level_1"]) == {"Knelpunten in de samenwerking"}
    # ordered by document (corpus order), then position
    assert table["document_id"].tolist() == [DOC, DOC, "als-a-sessie-2"]


def test_quote_table_for_some_coders(coded):
    assert set(quote_table(coded, coders=["bram"])["coder"]) == {"bram"}


def test_quotes_csv_and_xlsx_are_readable_and_deterministic(coded, tmp_path):
    table = quote_table(coded)
    csv_path = write_quotes(coded, tmp_path / "q.csv")
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data
    back = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert back["quote"].tolist() == table["quote"].tolist()
    assert write_quotes(coded, tmp_path / "q2.csv").read_bytes() == data
    xlsx = write_quotes(coded, tmp_path / "q.xlsx")
    sheet = openpyxl.load_workbook(xlsx).active
    header = [c.value for c in sheet[1]]
    assert header == table.columns.tolist()
    assert sheet.cell(row=2, column=header.index("quote") + 1).value == table["quote"].iloc[0]
    assert write_quotes(coded, tmp_path / "q2.xlsx").read_bytes() == xlsx.read_bytes()


def test_bad_suffixes_are_refused(coded, tmp_path):
    with pytest.raises(ExchangeError, match=".csv or .xlsx"):
        write_quotes(coded, tmp_path / "q.txt")
    with pytest.raises(ExchangeError, match=".xlsx"):
        write_matrices(coded, tmp_path / "m.csv")
    with pytest.raises(ExchangeError, match=".docx"):
        write_report(coded, tmp_path / "r.pdf")


def test_matrices_match_the_analysis_tables(coded, tmp_path):
    path = write_matrices(coded, tmp_path / "m.xlsx", variables=["role"])
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["code x document", "code x role"]
    expected = project_document_matrix(coded)
    rows = list(workbook["code x document"].values)
    assert rows[0][:2] == ("code_id", "label") and list(rows[0][2:]) == [str(c) for c in expected.columns]
    got = {r[0]: list(r[2:]) for r in rows[1:]}
    assert got == {code: expected.loc[code].tolist() for code in expected.index}
    roles = project_crosstab(coded, "role")
    role_rows = list(workbook["code x role"].values)
    assert {r[0]: list(r[2:]) for r in role_rows[1:]} == {c: roles.loc[c].tolist() for c in roles.index}
    assert write_matrices(coded, tmp_path / "m2.xlsx", variables=["role"]).read_bytes() == path.read_bytes()


def test_report_per_code_with_quotes_and_their_place(coded, tmp_path):
    path = write_report(coded, tmp_path / "r.docx", language="en")
    paragraphs = [p.text for p in docx.Document(path).paragraphs]
    assert paragraphs[0].startswith("Codes and quotes")
    assert "Spatial proximity  (gerdes.proximity.spatial)" in paragraphs
    at = paragraphs.index("Spatial proximity  (gerdes.proximity.spatial)")
    block = paragraphs[at:at + 6]
    assert any(p.startswith("Definition.") for p in block)
    assert "1 codings · 1 documents · 1 speakers · 1 coders" in block
    assert f"\u201c{PHRASE}\u201d" in block
    source = next(p for p in block if p.startswith("\u2014 "))
    text = coded.corpus.text(DOC)
    start = text.index(PHRASE)
    assert "IB'er 1 (intern begeleider)" in source and f"position {start}\u2013{start + len(PHRASE)}" in source
    assert "coder anna" in source
    # codes without codings are left out, their parents stay as headings
    assert not any("(gerdes.trust)" in p for p in paragraphs)
    assert write_report(coded, tmp_path / "r2.docx", language="en").read_bytes() == path.read_bytes()


def test_report_for_one_theme(coded, tmp_path):
    paragraphs = [p.text for p in docx.Document(write_report(coded, tmp_path / "t.docx", codes=["barrier"])).paragraphs]
    headings = [p for p in paragraphs if p.endswith(")") and "(" in p and "  (" in p]
    assert [h.rsplit("(", 1)[1].rstrip(")") for h in headings] == ["barrier", "barrier.regie"]
    with pytest.raises(ExchangeError, match="no code 'nope'"):
        write_report(coded, tmp_path / "x.docx", codes=["nope"])
