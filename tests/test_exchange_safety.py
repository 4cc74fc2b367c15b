"""Hostile and broken exchange files are refused with a clear error; the project stays as it was."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest

from raakvlak import Project
from raakvlak.errors import ExchangeError
from raakvlak.exchange import import_qdc, import_qdpx
from raakvlak.exchange.safety import Limits, parse_xml, read_archive, safe_name

SRC = "bbbbbbbb-0000-0000-0000-000000000001"
GOOD_XML = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="X" origin="QualCoder 3.5">'
    f'<Sources><TextSource guid="{SRC}" name="Doc" plainTextPath="internal://{SRC}.txt"/></Sources></Project>'
)
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY a "hahahahahahahahahaha">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
    '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="&e;"/>'
)
EXTERNAL = (
    '<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
    '<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>'
)
DTD_ONLY = '<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://example.invalid/x.dtd"><Project name="x"/>'


@pytest.fixture
def project(tmp_path):
    return Project.init(tmp_path / "studie", name="Studie")


def snapshot(project: Project) -> dict[Path, bytes]:
    """The project's files and their bytes (not the derived .raakvlak/, which holds the lock)."""
    return {p: p.read_bytes() for p in project.root.rglob("*") if p.is_file() and ".raakvlak" not in p.parts}


def archive(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    return path


def refused(project: Project, path: Path, match: str) -> None:
    before = snapshot(project)
    with pytest.raises(ExchangeError, match=match):
        import_qdpx(project, path)
    assert snapshot(project) == before


@pytest.mark.parametrize("name", ["../evil.txt", "sources/../../evil.txt", "/etc/evil", "C:/evil.txt",
                                  "..\\evil.txt", "sources/a\x00b.txt"])
def test_zip_slip_names_are_unsafe(name):
    assert not safe_name(name)


@pytest.mark.parametrize("name", ["project.qde", "sources/ab.txt", "Sources/x..y.txt"])
def test_plain_names_are_safe(name):
    assert safe_name(name)


def test_zip_slip_archive_is_refused(project, tmp_path):
    path = archive(tmp_path / "slip.qdpx", {"project.qde": GOOD_XML.encode(), f"sources/{SRC}.txt": b"Tekst.\n",
                                           "../../outside.txt": b"gotcha"})
    refused(project, path, "zip-slip")
    assert not (tmp_path / "outside.txt").exists() and not (project.root.parent / "outside.txt").exists()


def _declare_size(data: bytes, size: int) -> bytes:
    """Rewrite the uncompressed size in every central-directory header of a zip."""
    out = bytearray(data)
    at = out.find(b"PK\x01\x02")
    while at != -1:
        out[at + 24:at + 28] = struct.pack("<I", size)
        at = out.find(b"PK\x01\x02", at + 4)
    return bytes(out)


def test_huge_declared_size_is_refused_before_reading(project, tmp_path):
    path = archive(tmp_path / "bomb.qdpx", {"project.qde": GOOD_XML.encode(), f"sources/{SRC}.txt": b"x" * 1000})
    path.write_bytes(_declare_size(path.read_bytes(), 0xFFFFFFF0))
    refused(project, path, "declares")


def test_entry_larger_than_its_header_says_is_refused(tmp_path):
    path = archive(tmp_path / "liar.qdpx", {"big.txt": b"x" * 5000})
    path.write_bytes(_declare_size(path.read_bytes(), 10))
    with pytest.raises(ExchangeError):
        read_archive(path, Limits(max_entry_bytes=100))


def test_total_size_limit_is_exact(tmp_path):
    path = archive(tmp_path / "many.qdpx", {f"f{i}.txt": b"y" * 400 for i in range(5)})
    assert len(read_archive(path, Limits(max_total_bytes=2000))) == 5
    with pytest.raises(ExchangeError, match="2000 bytes uncompressed"):
        read_archive(path, Limits(max_total_bytes=1999))


def test_too_many_entries_are_refused(project, tmp_path):
    entries = {"project.qde": GOOD_XML.encode(), **{f"sources/{i}.txt": b"a" for i in range(30)}}
    path = archive(tmp_path / "many.qdpx", entries)
    before = snapshot(project)
    with pytest.raises(ExchangeError, match="entries"):
        import_qdpx(project, path, limits=Limits(max_entries=10))
    assert snapshot(project) == before


@pytest.mark.parametrize(("xml", "match"), [(LAUGHS, "DTD"), (EXTERNAL, "DTD"), (DTD_ONLY, "DTD"),
                                            ("<Project name='x'><Sources>", "well-formed")])
def test_hostile_or_broken_xml_is_refused(project, tmp_path, xml, match):
    path = archive(tmp_path / "x.qdpx", {"project.qde": xml.encode(), f"sources/{SRC}.txt": b"Tekst.\n"})
    refused(project, path, match)


def test_entity_expansion_in_a_codebook_is_refused(project, tmp_path):
    path = tmp_path / "laughs.qdc"
    path.write_text(LAUGHS.replace("Project", "CodeBook"), encoding="utf-8")
    before = snapshot(project)
    with pytest.raises(ExchangeError, match="DTD"):
        import_qdc(project, path)
    assert snapshot(project) == before


def test_not_a_zip_and_no_project_are_clear_errors(project, tmp_path):
    text = tmp_path / "plain.qdpx"
    text.write_text("not a zip", encoding="utf-8")
    refused(project, text, "not a readable zip")
    empty = archive(tmp_path / "empty.qdpx", {"readme.txt": b"hi"})
    refused(project, empty, "expected one project.qde")
    wrong_root = archive(tmp_path / "wrong.qdpx", {"project.qde": b"<Other/>"})
    refused(project, wrong_root, "not a REFI-QDA project")


def test_a_sound_file_with_an_odd_colour_goes_in(project, tmp_path):
    """The checks refuse what is hostile, not what is merely unusual."""
    xml = GOOD_XML.replace("</Project>", "").replace(
        f'plainTextPath="internal://{SRC}.txt"/>',
        f'plainTextPath="internal://{SRC}.txt"><PlainTextSelection guid="dddddddd-0000-0000-0000-000000000001" '
        'startPosition="0" endPosition="5"><Coding guid="eeeeeeee-0000-0000-0000-000000000001">'
        '<CodeRef targetGUID="aaaaaaaa-0000-0000-0000-000000000001"/></Coding></PlainTextSelection></TextSource>'
    ) + "</Project>"
    xml = xml.replace("<Sources>", '<CodeBook><Codes><Code guid="aaaaaaaa-0000-0000-0000-000000000001" '
                      'name="A" isCodable="true" color="#zzzzzz"/></Codes></CodeBook><Sources>')
    path = archive(tmp_path / "ok.qdpx", {"project.qde": xml.encode(), f"sources/{SRC}.txt": b"Tekst hier.\n"})
    report = import_qdpx(project, path)  # a sound file goes in (the odd colour is reported)
    assert report.codings == {"qualcoder": 1} and any("#zzzzzz" in m for m in report.messages)


def test_parse_xml_accepts_a_bom_and_utf16():
    assert parse_xml(b"\xef\xbb\xbf<a/>", "x").tag == "a"
    assert parse_xml('<?xml version="1.0" encoding="utf-16"?><a/>'.encode("utf-16"), "x").tag == "a"
