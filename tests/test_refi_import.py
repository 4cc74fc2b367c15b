"""REFI-QDA import: other tools' quirks, hand-made here, and the round trip of the example."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from raakvlak import Project
from raakvlak.coding.codebook import Codebook
from raakvlak.coding.session import CodingSession
from raakvlak.coding.state import load_state
from raakvlak.corpus.importer import import_files
from raakvlak.exchange import export_qdc, export_qdpx, import_qdc, import_qdpx
from test_exchange_safety import snapshot

USER = "11111111-1111-1111-1111-111111111111"
CODE = "aaaaaaaa-0000-0000-0000-000000000001"
CHILD = "aaaaaaaa-0000-0000-0000-000000000002"
ODD = "aaaaaaaa-0000-0000-0000-000000000003"
SRC = "bbbbbbbb-0000-0000-0000-000000000001"
SRC2 = "bbbbbbbb-0000-0000-0000-000000000002"
VAR_SITE = "cccccccc-0000-0000-0000-000000000001"
VAR_ROLE = "cccccccc-0000-0000-0000-000000000002"
CODING_COLUMNS = ["coder", "document_id", "start", "end", "code_id"]


# ---------------------------------------------------------------------- hand-made files
def utf16(text: str, index: int) -> int:
    """Position of ``text[index]`` in UTF-16 code units (as NVivo counts, CRLF = two)."""
    return len(text[:index].encode("utf-16-le")) // 2


def crlf_once(text: str, index: int) -> int:
    """Position of ``text[index]`` counting a CRLF as one (as ATLAS.ti counts)."""
    return index - text[:index].count("\r\n")


def selection(guid: int, start: int, end: int, name: str | None = None, code: str = CODE,
              user: str = USER, extra: str = "") -> str:
    named = f' name="{name}"' if name is not None else ""
    return (f'<PlainTextSelection guid="dddddddd-0000-0000-0000-{guid:012d}"{named} startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{user}" creationDateTime="2024-03-01T10:00:00+01:00">'
            f'<Coding guid="eeeeeeee-0000-0000-0000-{guid:012d}" creatingUser="{user}"><CodeRef targetGUID="{code}"/>'
            f'</Coding>{extra}</PlainTextSelection>')


def project_xml(origin: str, sources: str, extra_codes: str = "", variables: str = "", cases: str = "",
                notes: str = "") -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="Andere studie" origin="{origin}">'
        f'<Users><User guid="{USER}" name="Anna de Vries"/></Users>'
        f'<CodeBook><Codes><Code guid="{CODE}" name="Samenwerking" isCodable="true" color="#3A5">'
        f'<Description>Samenwerken over de grens.</Description>'
        f'<Code guid="{CHILD}" name="Vertrouwen" isCodable="true" color="rgb(10, 20, 30)"/>'
        f'</Code>{extra_codes}</Codes></CodeBook>'
        f'{variables}{cases}<Sources>{sources}</Sources>{notes}</Project>')


def text_source(guid: str, name: str, selections: str, path: str | None = None, extra: str = "") -> str:
    path = path or f"internal://{guid}.txt"
    return f'<TextSource guid="{guid}" name="{name}" plainTextPath="{path}">{selections}{extra}</TextSource>'


def write_qdpx(path: Path, xml: str | bytes, files: dict[str, bytes], bom: bool = False) -> Path:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", (b"\xef\xbb\xbf" if bom else b"") + data)
        for name, content in files.items():
            archive.writestr(name, content)
    return path


@pytest.fixture
def empty(tmp_path):
    return Project.init(tmp_path / "leeg", name="Leeg", language="nl")


def codings_of(project: Project) -> pd.DataFrame:
    state, problems = load_state(project.logs_dir)
    assert problems == []
    return state.codings


def the_quote(project: Project) -> str:
    [quote] = codings_of(project)["quote"].tolist()
    return quote


# ---------------------------------------------------------------------- tool quirks
NVIVO_TEXT = "Interviewer: Hoe gaat het? 😀\r\n\r\nDocent: Goed 👍 hoor, de samenwerking met de jeugdhulp loopt.\r\n"
PHRASE = "samenwerking met de jeugdhulp"


@pytest.mark.parametrize("named", [True, False])
def test_nvivo_utf16_positions_crlf_as_two_bom_and_capital_sources(empty, tmp_path, named):
    raw = NVIVO_TEXT
    start = raw.index(PHRASE)
    sel = selection(1, utf16(raw, start), utf16(raw, start + len(PHRASE)), PHRASE if named else None)
    xml = project_xml("NVivo 14", text_source(SRC, "Interview 1", sel))
    path = write_qdpx(tmp_path / "nvivo.qdpx", xml,
                      {f"Sources/{SRC}.txt": b"\xef\xbb\xbf" + raw.encode("utf-8")}, bom=True)
    report = import_qdpx(empty, path, pseudonymise=False)
    assert the_quote(empty) == PHRASE
    assert report.codings == {"anna-de-vries": 1}
    [row] = report.units.to_dict("records")
    assert row["unit"] == "UTF-16 code units, line ends as written"
    assert (row["checked"], row["matched"]) == ((1, 1) if named else (0, 0))
    assert ("matched" in row["how"]) if named else ("habit of NVivo 14" in row["how"])
    text = empty.corpus.text("interview-1")
    assert "\r" not in text and text.endswith("loopt.\n")


@pytest.mark.parametrize("named", [True, False])
def test_atlas_counts_crlf_once(empty, tmp_path, named):
    raw = "Docent: Eerste regel 😀.\r\nTweede regel met regie erin.\r\n\r\nOuder: Ja.\r\n"
    start = raw.index("regie erin")
    sel = selection(1, crlf_once(raw, start), crlf_once(raw, start + 10), "regie erin" if named else None)
    path = write_qdpx(tmp_path / "atlas.qdpx", project_xml("ATLAS.ti 23", text_source(SRC, "Sessie", sel)),
                      {f"sources/{SRC}.txt": raw.encode("utf-8")})
    report = import_qdpx(empty, path, pseudonymise=False)
    assert the_quote(empty) == "regie erin"
    assert report.units["unit"].tolist() == ["code points, line ends crlf as one"]


def test_maxqda_crlf_in_text_files_counted_as_written(empty, tmp_path):
    raw = "Eerste alinea.\r\n\r\nTweede alinea over de wachtlijst.\r\n"
    start = raw.index("wachtlijst")
    sel = selection(1, start, start + 10, "wachtlijst")
    path = write_qdpx(tmp_path / "maxqda.qdpx", project_xml("MAXQDA 2022", text_source(SRC, "Notities", sel)),
                      {f"sources/{SRC}.txt": raw.encode("utf-8")})
    report = import_qdpx(empty, path, pseudonymise=False)
    assert the_quote(empty) == "wachtlijst"
    assert report.units["unit"].tolist() == ["code points, line ends as written"]


def test_recorded_text_wins_over_the_tool_habit(empty, tmp_path):
    """A file claiming to come from NVivo but counting code points is read in code points."""
    raw = "A 😀😀😀 b.\r\nDe leerplicht botst.\r\n"
    start = raw.index("leerplicht")
    sel = selection(1, start, start + 10, "leerplicht")
    path = write_qdpx(tmp_path / "odd.qdpx", project_xml("NVivo 12", text_source(SRC, "Odd", sel)),
                      {f"Sources/{SRC}.txt": raw.encode("utf-8")})
    report = import_qdpx(empty, path, pseudonymise=False)
    assert the_quote(empty) == "leerplicht"
    assert report.units["unit"].tolist() == ["code points, line ends as written"]


def test_utf16_text_file_with_bom(empty, tmp_path):
    raw = "Citaat met een emoji 🙂 en een cliënt.\n"
    start = raw.index("cliënt")
    sel = selection(1, start, start + 6, "cliënt")
    path = write_qdpx(tmp_path / "u16.qdpx", project_xml("QualCoder 3.5", text_source(SRC, "U16", sel)),
                      {f"sources/{SRC}.txt": raw.encode("utf-16")})
    import_qdpx(empty, path, pseudonymise=False)
    assert the_quote(empty) == "cliënt"


def test_text_inside_the_xml(empty, tmp_path):
    source = (f'<TextSource guid="{SRC}" name="Inline"><PlainTextContent>Regels en nog eens regels.'
              f'</PlainTextContent>{selection(1, 10, 18, "nog eens")}</TextSource>')
    path = write_qdpx(tmp_path / "inline.qdpx", project_xml("QualCoder 3.5", source), {})
    import_qdpx(empty, path, pseudonymise=False)
    assert the_quote(empty) == "nog eens"


def test_decomposed_text_is_composed_and_positions_follow(empty, tmp_path):
    raw = "De clie\u0308nt belt de school.\n"  # ë written as e + combining diaeresis
    start = raw.index("school")
    path = write_qdpx(tmp_path / "nfd.qdpx",
                      project_xml("QualCoder 3.5", text_source(SRC, "NFD", selection(1, start, start + 6, "school"))),
                      {f"sources/{SRC}.txt": raw.encode("utf-8")})
    import_qdpx(empty, path, pseudonymise=False)
    assert the_quote(empty) == "school"
    assert "cliënt" in empty.corpus.text("nfd")


def test_codes_join_with_new_ids_colours_and_guid_note(empty, tmp_path):
    odd = f'<Code guid="{ODD}" name="Rare kleur" isCodable="true" color="bluish"/>'
    path = write_qdpx(tmp_path / "codes.qdpx", project_xml("NVivo 14", text_source(SRC, "X", ""), odd),
                      {f"Sources/{SRC}.txt": b"Tekst.\r\n"})
    report = import_qdpx(empty, path, pseudonymise=False)
    book = Codebook.load(empty.codebook_path)
    assert book.ids == ["samenwerking", "samenwerking.vertrouwen", "rare_kleur"]
    assert book["samenwerking"].colour == "#33aa55"
    assert book["samenwerking.vertrouwen"].colour == "#0a141e"
    assert book["samenwerking"].definition == "Samenwerken over de grens."
    assert CODE in book["samenwerking"].note and "NVivo 14" in book["samenwerking"].note
    assert report.codes.set_index("guid")["code_id"].to_dict() == {
        CODE: "samenwerking", CHILD: "samenwerking.vertrouwen", ODD: "rare_kleur"}
    assert any("'bluish' not understood" in m for m in report.messages)


def test_codes_join_a_codebook_that_has_codes(example_project, tmp_path):
    path = write_qdpx(tmp_path / "codes.qdpx", project_xml("NVivo 14", text_source(SRC, "X", "")),
                      {f"Sources/{SRC}.txt": b"Tekst.\r\n"})
    before = Codebook.load(example_project.codebook_path)
    import_qdpx(example_project, path, pseudonymise=False)
    after = Codebook.load(example_project.codebook_path)
    assert after.ids == [*before.ids, "samenwerking", "samenwerking.vertrouwen"]
    assert after.text.startswith(before.text.split("codes:")[0])  # the comments stay


def test_what_cannot_be_placed_is_listed(empty, tmp_path):
    raw = "Eerste zin.\n\nTweede   zin.\n"
    sels = "".join([
        selection(1, 0, 6, "Eerste"),
        selection(2, 500, 510),                          # outside the text
        selection(3, 13, 19, code="ffffffff-0000-0000-0000-000000000000"),  # unknown code
        selection(4, 11, 13),                            # only white space
    ])
    sources = (text_source(SRC, "Goed", sels)
               + text_source(SRC2, "Zoek", selection(5, 0, 3), path="internal://missing.txt")
               + '<PictureSource guid="bbbbbbbb-0000-0000-0000-000000000003" name="Foto"/>')
    path = write_qdpx(tmp_path / "mixed.qdpx", project_xml("QualCoder 3.5", sources),
                      {f"sources/{SRC}.txt": raw.encode("utf-8")})
    report = import_qdpx(empty, path, pseudonymise=False)
    assert the_quote(empty) == "Eerste"
    reasons = report.unplaced.set_index("selection_guid")["reason"].to_dict()
    assert "not a span" in reasons["dddddddd-0000-0000-0000-000000000002"]
    assert "not in the file's codebook" in reasons["dddddddd-0000-0000-0000-000000000003"]
    assert "white space" in reasons["dddddddd-0000-0000-0000-000000000004"]
    assert set(report.unplaced["source"]) == {"Goed", "Zoek", "Foto"}
    assert "text not found" in report.unplaced.set_index("source").loc["Zoek", "reason"]
    assert len(report.unplaced) == 5
    lines = report.unplaced_lines()
    assert len(lines) == 5 and any(line.startswith("Goed: 500-510 (") for line in lines)


def test_the_command_lists_what_it_could_not_place_and_exits_3(empty, tmp_path, capsys):
    from raakvlak.cli import main

    sources = (text_source(SRC, "Goed", selection(1, 0, 6, "Eerste") + selection(2, 500, 510))
               + '<PictureSource guid="bbbbbbbb-0000-0000-0000-000000000003" name="Foto"/>')
    path = write_qdpx(tmp_path / "mixed.qdpx", project_xml("QualCoder 3.5", sources),
                      {f"sources/{SRC}.txt": b"Eerste zin.\n"})
    assert main(["import-qdpx", str(path), "--project", str(empty.root), "--no-pseudonymise"]) == 3
    err = capsys.readouterr().err
    assert "2 thing(s) could not be imported" in err
    assert "Goed: 500-510 (" in err and "Foto: (picture file not in the archive" in err


def test_variables_on_sources_and_on_cases(empty, tmp_path):
    variables = (f'<Variables><Variable guid="{VAR_SITE}" name="site" typeOfVariable="Text"/>'
                 f'<Variable guid="{VAR_ROLE}" name="role" typeOfVariable="Text"/></Variables>')

    def value(var: str, text: str) -> str:
        return f'<VariableValue><VariableRef targetGUID="{var}"/><TextValue>{text}</TextValue></VariableValue>'

    cases = ('<Cases>'
             f'<Case guid="99999999-0000-0000-0000-000000000001" name="Docent 1">{value(VAR_ROLE, "leerkracht")}'
             f'<SourceRef targetGUID="{SRC}"/></Case>'
             f'<Case guid="99999999-0000-0000-0000-000000000002" name="School Zuid">{value(VAR_SITE, "Zuid")}'
             f'<SourceRef targetGUID="{SRC2}"/></Case></Cases>')
    sources = (text_source(SRC, "Sessie A", "", extra=value(VAR_SITE, "Noord"))
               + text_source(SRC2, "Sessie B", ""))
    files = {f"sources/{SRC}.txt": b"Docent 1: Hallo.\n\nOuder 1: Dag.\n",
             f"sources/{SRC2}.txt": b"Aantekeningen zonder sprekers.\n"}
    path = write_qdpx(tmp_path / "vars.qdpx", project_xml("MAXQDA 2022", sources, variables=variables, cases=cases), files)
    import_qdpx(empty, path, pseudonymise=False)
    documents = empty.corpus.documents.set_index("document_id")
    assert documents.loc["sessie-a", "site"] == "Noord" and documents.loc["sessie-b", "site"] == "Zuid"
    assert documents.loc["sessie-a", "kind"] == "transcript" and documents.loc["sessie-b", "kind"] == "text"
    speakers = empty.corpus.speakers
    assert speakers[speakers["speaker"] == "Docent 1"]["role"].tolist() == ["leerkracht"]
    assert sorted(speakers["speaker"]) == ["Docent 1", "Ouder 1"]
    assert "role" not in documents.columns


def test_pseudonymisation_applies_and_positions_follow(empty, tmp_path):
    (empty.private_dir / "pseudonyms.csv").write_text(
        "original,pseudonym,kind\nMarieke,Docent 7,person\n", encoding="utf-8")
    raw = "Marieke: Ik bel morgen Marieke's collega op 06-12345678.\r\n\r\nPetra: Goed, doe maar.\r\n"
    spans = [("morgen", "morgen"), ("06-12345678", "[telefoon]"), ("Goed, doe maar", "Goed, doe maar"),
             ("Marieke's collega", "Docent 7's collega"), ("Petra", "Spreker 1")]
    sels = "".join(selection(i, raw.index(p), raw.index(p) + len(p), p) for i, (p, _) in enumerate(spans, 1))
    path = write_qdpx(tmp_path / "names.qdpx", project_xml("MAXQDA 2022", text_source(SRC, "Sessie Marieke", sels)),
                      {f"sources/{SRC}.txt": raw.encode("utf-8")})
    report = import_qdpx(empty, path)
    [document_id] = report.documents
    text = empty.corpus.text(document_id)
    assert "Marieke" not in text and "Petra" not in text and "12345678" not in text
    assert "marieke" not in document_id
    assert text.startswith("Docent 7: Ik bel morgen Docent 7's collega op [telefoon].")
    assert sorted(codings_of(empty)["quote"]) == sorted(q for _, q in spans)
    key = (empty.private_dir / "pseudonyms.csv").read_text(encoding="utf-8")
    assert "Petra" in key  # the new speaker joined the key, as in any import


def test_every_speaker_of_every_source_is_keyed_before_any_text_as_in_a_file_import(empty, tmp_path):
    """One rule for both imports (corpus.preparation): a source that names the speaker of a
    later source is pseudonymised too, and an earlier document that names them is pointed out."""
    notes = tmp_path / "notities.txt"
    notes.write_text("Volgende week belt joost de ouders.\n", encoding="utf-8")  # no name import finds
    import_files(empty, [notes], kind="notes")  # imported before Joost was in the key
    first = "Marieke: Heeft Joost al gebeld?\r\n\r\nPetra: Nog niet.\r\n"
    second = "Joost: Ik bel morgen.\r\n\r\nMarieke: Dank je.\r\n"
    sources = (text_source(SRC, "Sessie 1", selection(1, first.index("Heeft"), first.index("gebeld") + 6))
               + text_source(SRC2, "Sessie 2", selection(2, second.index("Ik bel"), second.index("morgen") + 6)))
    path = write_qdpx(tmp_path / "twee.qdpx", project_xml("MAXQDA 2022", sources),
                      {f"sources/{SRC}.txt": first.encode(), f"sources/{SRC2}.txt": second.encode()})
    report = import_qdpx(empty, path)
    texts = [empty.corpus.text(d) for d in report.documents]
    assert all("Joost" not in text and "Marieke" not in text for text in texts)
    joost = texts[1].split(":")[0]
    assert f"Heeft {joost} al gebeld?" in texts[0]
    assert any(m.startswith("warning: notities: still holds 'Joost' (1×") for m in report.messages)


def test_events_are_imports_with_tool_guid_and_time(empty, tmp_path):
    raw = "Een zin over regie.\n"
    start = raw.index("regie")
    note = ('<Notes><Note guid="12121212-0000-0000-0000-000000000001" creatingUser="' + USER + '">'
            '<PlainTextContent>Waarom regie?</PlainTextContent></Note></Notes>')
    sel = selection(1, start, start + 5, "regie", extra='<NoteRef targetGUID="12121212-0000-0000-0000-000000000001"/>')
    path = write_qdpx(tmp_path / "ev.qdpx", project_xml("QualCoder 3.5", text_source(SRC, "Z", sel), notes=note),
                      {f"sources/{SRC}.txt": raw.encode("utf-8")})
    import_qdpx(empty, path, pseudonymise=False)
    [line] = (empty.logs_dir / "anna-de-vries.jsonl").read_text(encoding="utf-8").splitlines()
    event = json.loads(line)
    assert event["origin"] == "import" and event["memo"] == "Waarom regie?"
    assert event["detail"] == {"tool": "QualCoder 3.5", "guid": "dddddddd-0000-0000-0000-000000000001",
                               "coding_guid": "eeeeeeee-0000-0000-0000-000000000001"}
    assert event["time"] == "2024-03-01T09:00:00.000000Z"
    assert event["code_id"] == "samenwerking"


def test_importing_twice_adds_nothing(empty, tmp_path):
    raw = NVIVO_TEXT
    start = raw.index(PHRASE)
    sel = selection(1, utf16(raw, start), utf16(raw, start + len(PHRASE)), PHRASE)
    path = write_qdpx(tmp_path / "twice.qdpx", project_xml("NVivo 14", text_source(SRC, "Interview 1", sel)),
                      {f"Sources/{SRC}.txt": raw.encode("utf-8")})
    import_qdpx(empty, path, pseudonymise=False)
    files = snapshot(empty)
    second = import_qdpx(empty, path, pseudonymise=False)
    assert second.documents == [] and second.reused_documents == ["interview-1"] and second.codings == {}
    assert snapshot(empty) == files


# ---------------------------------------------------------------------- round trips
@pytest.fixture
def example_coded(example_project):
    """The example project with coding logs (a few codings made here when it has none yet)."""
    if not list(example_project.logs_dir.glob("*.jsonl")):
        for coder, code in (("anna", "barrier.regie"), ("bram", "gerdes.trust")):
            session = CodingSession(example_project, coder)
            text = session.text("als-a-sessie-1")
            start = text.index("koffie")
            session.code("als-a-sessie-1", start, start + 6, code, memo=f"memo van {coder}")
            session.memo("document", "als-a-sessie-1", f"documentmemo van {coder}")
    return example_project


def test_round_trip_of_the_example_project(example_coded, empty, tmp_path):
    source = example_coded
    path = export_qdpx(source, tmp_path / "example.qdpx")
    report = import_qdpx(empty, path, pseudonymise=False)
    assert report.unplaced.empty
    # the same documents, to the byte
    before = source.corpus.documents.set_index("document_id")
    after = empty.corpus.documents.set_index("document_id")
    assert after["sha256"].to_dict() == before["sha256"].to_dict()
    pd.testing.assert_frame_equal(after.sort_index(), before[after.columns].sort_index())
    pd.testing.assert_frame_equal(
        empty.corpus.speakers.sort_values(["document_id", "speaker"]).reset_index(drop=True),
        source.corpus.speakers.sort_values(["document_id", "speaker"]).reset_index(drop=True))
    # the same codings per coder, the same memos
    resolve = Codebook.load(source.codebook_path).resolve
    old, _ = load_state(source.logs_dir, resolve=resolve)
    new = codings_of(empty)
    key = CODING_COLUMNS + ["quote", "memo"]
    pd.testing.assert_frame_equal(new[key].sort_values(key).reset_index(drop=True),
                                  old.codings[key].sort_values(key).reset_index(drop=True))
    assert set(new["origin"]) == {"import"}
    new_state, _ = load_state(empty.logs_dir)
    memo_key = ["coder", "on", "text"]
    assert sorted(map(tuple, new_state.memos[memo_key].values)) == sorted(map(tuple, old.memos[memo_key].values))
    # the same codebook, ids included
    frame = Codebook.load(empty.codebook_path).to_frame().drop(columns="line")
    pd.testing.assert_frame_equal(frame, Codebook.load(source.codebook_path).to_frame().drop(columns="line"))


def test_round_trip_back_into_the_same_project_changes_nothing(example_coded, tmp_path):
    path = export_qdpx(example_coded, tmp_path / "example.qdpx")
    files = snapshot(example_coded)
    report = import_qdpx(example_coded, path, pseudonymise=False)
    assert report.documents == [] and report.codings == {} and report.memos == 0
    assert not [m for m in report.messages if "recording(s)" in m or "picture(s)" in m]
    assert set(report.codes["action"]) == {"existing"}
    assert snapshot(example_coded) == files


def test_qdc_round_trip_and_foreign_qdc(example_project, empty, tmp_path):
    path = export_qdc(example_project, tmp_path / "book.qdc")
    report = import_qdc(empty, path)
    assert set(report.codes["action"]) == {"added"}
    frame = Codebook.load(empty.codebook_path).to_frame().drop(columns="line")
    pd.testing.assert_frame_equal(frame, Codebook.load(example_project.codebook_path).to_frame().drop(columns="line"))
    foreign = tmp_path / "foreign.qdc"
    foreign.write_bytes(b"\xef\xbb\xbf" + (
        '<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti 23">'
        f'<Codes><Code guid="{CODE}" name="Thuiszitters" isCodable="true" color="#ABC"/></Codes></CodeBook>'
    ).encode())
    import_qdc(empty, foreign)
    book = Codebook.load(empty.codebook_path)
    assert book["thuiszitters"].colour == "#aabbcc"
    again = import_qdc(empty, foreign)  # the same label at the same place: reused, not duplicated
    assert again.codes["action"].tolist() == ["existing"]
    assert Codebook.load(empty.codebook_path).ids == book.ids


# ---------------------------------------------------------------------- the position maps
PIECES = ["Ja", "nee", " ", "  ", "\t", "\r\n", "\n", "\r", "\n\n\n", "e\u0301", "\u00a0", "\x00", "😀",
          "\ufeff", " \r\n", "cliënt", "\u1100\u1161"]


@pytest.mark.parametrize("seed", range(5))
def test_canonical_map_follows_canonicalise(seed):
    import random
    import re

    from raakvlak.corpus.canonical import canonicalise
    from raakvlak.exchange.positions import canonical_with_map

    rng = random.Random(seed)
    for _ in range(300):
        raw = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 25)))
        text, mapping, exact = canonical_with_map(raw)
        assert exact and text == canonicalise(raw)
        assert len(mapping) == len(raw) + 1 and (mapping[1:] >= mapping[:-1]).all()
        # every run of plain letters (not followed by a combining mark, which composes with
        # its last letter) lands on the same letters in the canonical text
        for match in re.finditer(r"[A-Za-z]+(?![\u0300-\u036f])", raw):
            assert text[mapping[match.start()]:mapping[match.end()]] == match.group()


def test_edit_map_follows_replacements():
    from raakvlak.exchange.positions import edit_map

    before = "Marieke belt.\n\nDan Petra: ja, Marieke.\n"
    after = "Docent 7 belt.\n\nDan Spreker 1: ja, Docent 7.\n"
    mapping = edit_map(before, after)
    for word in ("belt.", "Dan", "ja,"):
        start = before.index(word)
        assert after[mapping[start]:mapping[start + len(word)]] == word
    start = before.index("Petra")
    assert after[mapping[start]:mapping[start + 5]] == "Spreker 1"


def test_a_coding_on_a_whole_source(empty, tmp_path):
    source = text_source(SRC, "Heel", "", extra=(
        f'<Coding guid="eeeeeeee-0000-0000-0000-000000000009" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CHILD}"/></Coding>'))
    path = write_qdpx(tmp_path / "whole.qdpx", project_xml("QualCoder 3.5", source),
                      {f"sources/{SRC}.txt": b"  Alles telt.\r\nOok dit.\r\n"})
    import_qdpx(empty, path, pseudonymise=False)
    [row] = codings_of(empty).to_dict("records")
    assert row["quote"] == "Alles telt.\nOok dit." and row["code_id"] == "samenwerking.vertrouwen"
