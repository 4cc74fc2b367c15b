"""Readers: every supported format read from a real file made in tmp_path."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from raakvlak.corpus.canonical import canonicalise
from raakvlak.corpus.readers import SUPPORTED_SUFFIXES, Source, Turn, read_sources
from raakvlak.errors import ImportProblem


def only(path: Path) -> Source:
    sources = read_sources(path)
    assert len(sources) == 1
    return sources[0]


def problem(path: Path, *fragments: str, **kwargs) -> str:
    """Read ``path`` expecting an ImportProblem; check its message and return it."""
    with pytest.raises(ImportProblem) as info:
        read_sources(path, **kwargs)
    message = str(info.value)
    assert message.startswith(f"{path.name}: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    return message


# ---------------------------------------------------------------------- plain text
def test_txt_utf8_is_returned_as_written(tmp_path):
    path = tmp_path / "sessie 1.txt"
    path.write_text("Marieke: Goedemorgen.\r\nJan: Hoi.\r\n", encoding="utf-8")
    source = only(path)
    assert source.title == "sessie 1"
    assert source.text == "Marieke: Goedemorgen.\r\nJan: Hoi.\r\n"
    assert source.turns is None and source.kind is None and source.id_suffix == ""
    assert source.messages == []


def test_txt_windows_1252_and_mojibake_are_reported(tmp_path):
    ansi = tmp_path / "ansi.txt"
    ansi.write_bytes("Gesprek met de cliënten over “regie”.".encode("cp1252"))
    source = only(ansi)
    assert source.text == "Gesprek met de cliënten over “regie”."
    assert any("Windows-1252" in m for m in source.messages)

    garbled = tmp_path / "garbled.md"
    garbled.write_text("# Verslag\n\nDe cliÃ«nten en Ã©Ã©n ouder.\n", encoding="utf-8")
    source = only(garbled)
    assert canonicalise(source.text) == "Verslag\n\nDe cliënten en één ouder.\n"
    assert "repaired double-encoded UTF-8 (3 places)" in source.messages


def test_markdown_is_read_as_structure_not_kept_as_text(tmp_path):
    path = tmp_path / "notes.md"
    text = ("# Workshop\n\n- **drempel**: 90 aanbieders\n- *1 kind – 1 plan*\n\n"
            "> Een citaat over [de regie](https://example.org/regie) met een harde breuk\\\n"
            "> die doorloopt. Variabele_naam_met_streepjes blijft.\n\nOnderwerp\n---------\n\nTekst.\n")
    path.write_text(text, encoding="utf-8")
    source = only(path)
    assert source.title == "Workshop" and source.headings == ["Workshop", "Onderwerp"]
    assert canonicalise(source.text) == (
        "Workshop\n\n- drempel: 90 aanbieders\n- 1 kind – 1 plan\n\n"
        "Een citaat over de regie (https://example.org/regie) met een harde breuk\n"
        "die doorloopt. Variabele_naam_met_streepjes blijft.\n\nOnderwerp\n\nTekst.\n")


# ---------------------------------------------------------------------- errors
def test_unknown_suffix_and_missing_file(tmp_path):
    sbv = tmp_path / "captions.sbv"
    sbv.write_text("0:00:00.000,0:00:01.000\nHoi\n", encoding="utf-8")
    problem(sbv, "unknown format '.sbv'", ".vtt")
    problem(tmp_path / "weg.txt", "no such file")


def test_empty_file(tmp_path):
    for name in ("leeg.txt", "leeg.docx", "leeg.csv", "leeg.pdf"):
        (tmp_path / name).write_bytes(b"")
        problem(tmp_path / name, "empty")


def test_whitespace_only_text_has_no_text(tmp_path):
    path = tmp_path / "spaties.txt"
    path.write_text(" \n\n\t\n", encoding="utf-8")
    problem(path, "holds no text")


def test_size_is_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "groot.txt"
    path.write_text("x" * 2000, encoding="utf-8")
    assert read_sources(path, max_bytes=2000)

    def refuse(*args, **kwargs):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    problem(path, "more than the limit", max_bytes=1000)
    monkeypatch.undo()
    assert only(path).text == "x" * 2000  # at the limit or under it, it is read


def test_binary_content_in_a_text_format(tmp_path):
    path = tmp_path / "foto.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    problem(path, "not a text file")


@pytest.mark.parametrize("suffix", [".docx", ".odt", ".xlsx"])
def test_damaged_and_password_protected_packages(tmp_path, suffix):
    broken = tmp_path / f"kapot{suffix}"
    broken.write_bytes(b"PK\x03\x04 this is not a complete zip archive")
    problem(broken, "damaged")
    # Office encrypts a protected .docx/.xlsx into an OLE compound file
    locked = tmp_path / f"beveiligd{suffix}"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    problem(locked, "password-protected")
    # a zip that is not the package the suffix promises
    other = tmp_path / f"anders{suffix}"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hallo")
    problem(other, "cannot be read as", suffix)


# ---------------------------------------------------------------------- .docx
def test_docx_paragraphs_headings_and_tables_in_reading_order(tmp_path):
    docx = pytest.importorskip("docx")
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading("Sessie 3: de casus van Sem", level=1)
    document.add_paragraph("Marieke: De school wil een plan.")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("Knelpunt", "Wie", "Afspraak"), ("regie", "wijkteam", "")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    paragraph = document.add_paragraph("Eerste regel")
    paragraph.add_run().add_break()
    paragraph.add_run("tweede regel\tna een tab")
    # a tracked insertion (w:ins) must be read; a tracked deletion must not
    tracked = document.add_paragraph("Jan: Wij ")
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    tracked._p.append(parse_xml(f'<w:ins {ns} w:id="1" w:author="a"><w:r><w:t>bellen</w:t></w:r></w:ins>'))
    tracked._p.append(parse_xml(f'<w:del {ns} w:id="2" w:author="a"><w:r><w:delText>mailen</w:delText></w:r></w:del>'))
    document.add_paragraph("")  # empty paragraphs leave no trace
    document.add_paragraph("Einde.")
    path = tmp_path / "verslag.docx"
    document.save(path)

    source = only(path)
    assert source.text == (
        "Sessie 3: de casus van Sem\n\n"
        "Marieke: De school wil een plan.\n\n"
        "Knelpunt | Wie | Afspraak\nregie | wijkteam\n\n"
        "Eerste regel\ntweede regel\tna een tab\n\n"
        "Jan: Wij bellen\n\n"
        "Einde."
    )
    assert source.kind is None and source.turns is None


def test_docx_without_text(tmp_path):
    docx = pytest.importorskip("docx")
    path = tmp_path / "leeg.docx"
    docx.Document().save(path)
    problem(path, "holds no text")


# ---------------------------------------------------------------------- .odt
def test_odt_headings_spans_spaces_lists_and_tables(tmp_path):
    pytest.importorskip("odf")
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, LineBreak, List, ListItem, P, S, Span, Tab

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Workshop LEGO Serious Play"))
    paragraph = P(text="Drie")
    paragraph.addElement(S(c=3))
    paragraph.addText("spaties en ")
    paragraph.addElement(Span(text="een span"))
    paragraph.addElement(Tab())
    paragraph.addText("tab")
    paragraph.addElement(LineBreak())
    paragraph.addText("nieuwe regel")
    document.text.addElement(paragraph)
    items = List()
    for text in ("90 aanbieders", "1 kind – 1 plan"):
        item = ListItem()
        item.addElement(P(text=text))
        items.addElement(item)
    document.text.addElement(items)
    table = Table()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for row_values in (("Drempel", "Richting"), ("regie", "")):
        row = TableRow()
        for value in row_values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    document.text.addElement(P(text="Slot."))
    path = tmp_path / "workshop.odt"
    document.save(str(path))

    assert only(path).text == (
        "Workshop LEGO Serious Play\n\n"
        "Drie   spaties en een span\ttab\nnieuwe regel\n\n"
        "90 aanbieders\n\n1 kind – 1 plan\n\n"
        "Drempel | Richting\nregie\n\n"
        "Slot."
    )


# ---------------------------------------------------------------------- .pdf
def write_pdf(path: Path, contents: list[bytes]) -> None:
    """A minimal valid PDF: one page per content stream, Helvetica in WinAnsi encoding."""
    n = len(contents)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode(),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for i, content in enumerate(contents):
        objects[4 + 2 * i] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>"
        ).encode()
        objects[5 + 2 * i] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[k] for k in sorted(objects))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def test_pdf_text_layer_page_by_page(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "rapport.pdf"
    write_pdf(path, [
        b"BT /F1 12 Tf 72 760 Td (Overleg school en jeugdhulp) Tj 0 -16 Td (met de cli\\353nten) Tj ET",
        b"BT /F1 12 Tf 72 760 Td (Tweede pagina) Tj ET",
    ])
    source = only(path)
    assert source.text.split("\n") == [
        "Overleg school en jeugdhulp", "met de cliënten", "", "Tweede pagina",
    ]
    assert any("2 page(s)" in m for m in source.messages)


def test_pdf_without_text_layer(tmp_path):
    pytest.importorskip("pypdf")
    path = tmp_path / "scan.pdf"
    write_pdf(path, [b"0 0 1 rg 72 72 200 200 re f"])
    problem(path, "has no text layer (scanned?); run OCR first")


def test_pdf_damaged_and_encrypted(tmp_path, caplog):
    pypdf = pytest.importorskip("pypdf")
    broken = tmp_path / "kapot.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    problem(broken, "cannot be read as PDF")

    # a wrong cross-reference pointer: pypdf repairs it, the user is told, nothing is printed
    shifted = tmp_path / "verschoven.pdf"
    write_pdf(shifted, [b"BT /F1 12 Tf 72 760 Td (Overleg) Tj ET"])
    data = shifted.read_bytes()
    at = data.rindex(b"startxref\n") + len(b"startxref\n")
    shifted.write_bytes(data[:at] + b"9" + data[at:])
    source = only(shifted)
    assert source.text == "Overleg"
    assert any("repaired" in m and "structural problem" in m for m in source.messages)
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]

    plain = tmp_path / "open.pdf"
    write_pdf(plain, [b"BT /F1 12 Tf 72 760 Td (Vertrouwelijk) Tj ET"])
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="geheim", owner_password="eigenaar", algorithm="RC4-128")
    locked = tmp_path / "beveiligd.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    problem(locked, "password-protected")

    # encrypted with an empty user password (only permissions restricted): readable
    writer = pypdf.PdfWriter(clone_from=str(plain))
    writer.encrypt(user_password="", owner_password="eigenaar", algorithm="RC4-128")
    restricted = tmp_path / "beperkt.pdf"
    with restricted.open("wb") as handle:
        writer.write(handle)
    assert only(restricted).text.strip() == "Vertrouwelijk"

    # AES-256, as Word and Acrobat write today: readable without a password, refused with one
    for user_password, name in (("", "aes-beperkt.pdf"), ("geheim", "aes-beveiligd.pdf")):
        writer = pypdf.PdfWriter(clone_from=str(plain))
        writer.encrypt(user_password=user_password, owner_password="eigenaar", algorithm="AES-256")
        with (tmp_path / name).open("wb") as handle:
            writer.write(handle)
    assert only(tmp_path / "aes-beperkt.pdf").text.strip() == "Vertrouwelijk"
    problem(tmp_path / "aes-beveiligd.pdf", "password-protected")


# ---------------------------------------------------------------------- surveys
SURVEY_ROWS = [
    ["Respondent", "Rol", "Schooltype", "Leeftijd", "Wat gaat goed in de samenwerking?",
     "Wat zou u willen veranderen?", "Tevreden"],
    ["101", "leerkracht", "PO", "25-34",
     "We hebben korte lijnen met de wijkcoach en overleggen elke maand.",
     "Minder wisselingen van hulpverleners.", "ja"],
    ["102", "jeugdhulp", "VO", "35-44", "",
     "Een vast aanspreekpunt op school zou veel schelen.", "nee"],
    ["103", "IB'er", "VSO", "45-54",
     "De lijntjes met de JGZ zijn kort, we kennen elkaar.\n\nDat helpt echt.",
     "Eén plan per kind dat ook blijft gelden als de hulp start.", "ja"],
]


def check_survey(sources: list[Source]) -> None:
    assert [s.title for s in sources] == [
        "Wat gaat goed in de samenwerking?", "Wat zou u willen veranderen?",
    ]
    assert [s.id_suffix for s in sources] == [
        "wat-gaat-goed-in-de-samenwerking", "wat-zou-u-willen-veranderen",
    ]
    assert all(s.kind == "survey" and s.text is None for s in sources)
    first, second = sources
    assert first.turns == [
        Turn("101", "We hebben korte lijnen met de wijkcoach en overleggen elke maand.",
             role="leerkracht"),
        Turn("103", "De lijntjes met de JGZ zijn kort, we kennen elkaar.\nDat helpt echt.",
             role="IB'er"),
    ]
    assert [t.speaker for t in second.turns] == ["101", "102", "103"]
    assert second.turns[2].text == "Eén plan per kind dat ook blijft gelden als de hulp start."
    assert first.speaker_variables == {
        "101": {"Schooltype": "PO", "Leeftijd": "25-34", "Tevreden": "ja"},
        "103": {"Schooltype": "VSO", "Leeftijd": "45-54", "Tevreden": "ja"},
    }
    assert set(second.speaker_variables) == {"101", "102", "103"}
    assert second.messages == []  # the file's messages come once, with the first question
    assert any("'Respondent'" in m for m in first.messages)


def write_csv(path: Path, rows: list[list[str]], delimiter: str, encoding: str) -> None:
    import csv
    import io

    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


@pytest.mark.parametrize(
    ("delimiter", "encoding", "label"),
    [(";", "cp1252", "semicolon"), (",", "utf-8-sig", "comma"), ("\t", "utf-16", "tab")],
)
def test_csv_survey_delimiters_and_encodings(tmp_path, delimiter, encoding, label):
    path = tmp_path / "enquete.csv"
    write_csv(path, SURVEY_ROWS, delimiter, encoding)
    sources = read_sources(path)
    check_survey(sources)
    assert f"columns separated by {label}" in sources[0].messages


def test_xlsx_survey(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Antwoorden"
    for row in SURVEY_ROWS:
        sheet.append([int(v) if v.isdigit() else v for v in row])
    workbook.create_sheet("Toelichting").append(["Gemaakt met een enquêtetool"])
    path = tmp_path / "enquete.xlsx"
    workbook.save(path)
    sources = read_sources(path)
    check_survey(sources)
    assert any("other sheets ignored: 'Toelichting'" in m for m in sources[0].messages)


def test_survey_without_id_column_numbers_respondents(tmp_path):
    path = tmp_path / "kort.csv"
    write_csv(path, [
        ["School", "Toelichting bij uw antwoord"],
        ["De Regenboog", "Het wijkteam reageert snel maar de wachtlijst blijft lang."],
        ["", ""],
        ["Het Kompas", "Er is geen vaste contactpersoon voor de jeugdhulp."],
    ], ",", "utf-8")
    (source,) = read_sources(path)
    assert [t.speaker for t in source.turns] == ["R001", "R002"]
    assert source.speaker_variables["R002"] == {"School": "Het Kompas"}
    assert source.id_suffix == "toelichting-bij-uw-antwoord"


def test_excel_delimiter_hint_and_identifying_columns(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "sep=;\nNaam;E-mail;Functie;Wat wilt u nog kwijt?\n"
        "Jan de Vries;jan@school.nl;mentor;Dat de jeugdhulp vaker op school komt, liefst wekelijks.\n"
        "Petra Jansen;petra@wijkteam.nl;wijkcoach;Meer tijd voor overleg met de mentoren, ook na schooltijd.\n",
        encoding="utf-8",
    )
    (source,) = read_sources(path)
    assert source.title == "Wat wilt u nog kwijt?"
    assert source.speaker_variables == {"R001": {"Functie": "mentor"}, "R002": {"Functie": "wijkcoach"}}
    assert ("left out columns that identify people: Naam, E-mail (their names are replaced "
            "wherever an answer mentions them)") in source.messages
    assert "columns separated by semicolon" in source.messages


def test_survey_without_open_question(tmp_path):
    path = tmp_path / "categorie.csv"
    write_csv(path, [["id", "rol", "schooltype", "ja/nee"], ["1", "leerkracht", "PO", "ja"],
                     ["2", "leerkracht", "VO", "nee"], ["3", "jeugdhulp", "PO", "ja"]], ";", "utf-8")
    problem(path, "no column with open text answers")


def test_broken_csv_quotes(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"id,antwoord\n1,\"Een antwoord met een NUL \x00 erin\"\n")
    problem(path)


def test_supported_suffixes_are_all_readable():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".docx", ".odt", ".pdf", ".vtt", ".srt", ".csv", ".xlsx")


def seed_files(folder: Path) -> dict[str, Path]:
    """One small valid file of every supported format."""
    docx = pytest.importorskip("docx")
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("odf")
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    seeds = {suffix: folder / f"seed{suffix}" for suffix in SUPPORTED_SUFFIXES}
    document = docx.Document()
    document.add_paragraph("Marieke: Wie belt de ouders?")
    document.add_table(rows=1, cols=2).cell(0, 0).text = "regie"
    document.save(seeds[".docx"])
    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "antwoord"])
    workbook.active.append([1, "Een vast aanspreekpunt bij de jeugdhulp zou helpen."])
    workbook.save(seeds[".xlsx"])
    odt = OpenDocumentText()
    odt.text.addElement(P(text="Verslag van de workshop"))
    odt.save(str(seeds[".odt"]))
    write_pdf(seeds[".pdf"], [b"BT /F1 12 Tf 72 760 Td (Overleg) Tj ET"])
    seeds[".vtt"].write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Jan>Hoi</v>\n", encoding="utf-8")
    seeds[".srt"].write_text("1\n00:00:01,000 --> 00:00:02,000\nJan: Hoi\n", encoding="utf-8")
    seeds[".csv"].write_text("id;antwoord\n1;Een vast aanspreekpunt zou echt helpen.\n", encoding="utf-8")
    seeds[".txt"].write_text("Jan: Hoi\nPiet: Hallo\n", encoding="utf-8")
    seeds[".md"].write_text("# Kop\n\nTekst.\n", encoding="utf-8")
    return seeds


def test_damaged_files_only_ever_give_an_import_problem(tmp_path):
    """Flip bytes in valid files of every format: a source or an ImportProblem, nothing else."""
    import random

    rng = random.Random(20260322)
    for suffix, seed in seed_files(tmp_path).items():
        assert read_sources(seed)  # the undamaged file reads
        original = seed.read_bytes()
        for attempt in range(25):
            data = bytearray(original)
            for _ in range(rng.randint(1, 8)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            if attempt % 5 == 0:
                data = data[: rng.randrange(1, len(data))]
            damaged = tmp_path / f"kapot-{attempt}{suffix}"
            damaged.write_bytes(bytes(data))
            try:
                read_sources(damaged)
            except ImportProblem as exc:
                assert str(exc).startswith(f"{damaged.name}: ") and "\n" not in str(exc)
