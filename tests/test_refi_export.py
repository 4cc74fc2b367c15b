"""REFI-QDA export: valid against the published schema, complete, and byte-identical."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from raakvlak.coding.session import CodingSession
from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.exchange import export_qdc, export_qdpx
from raakvlak.exchange.refi import (
    code_description,
    parse_colour,
    project_namespace,
    read_description,
)
from raakvlak.exchange.refi_export import project_xml

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}
DOC = "als-a-sessie-1"


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    """A copy of the example project with its own small set of codings and memos by two
    coders (shared by the tests of this file: they only read it)."""
    from raakvlak import Project

    example = Path(__file__).resolve().parents[1]
    target = tmp_path_factory.mktemp("refi-export") / "example"
    shutil.copytree(example / "corpus", target / "corpus")
    shutil.copytree(example / "coding", target / "coding", ignore=shutil.ignore_patterns("*.jsonl"))
    shutil.copy(example / "raakvlak.toml", target / "raakvlak.toml")
    example_project = Project(target)
    anna = CodingSession(example_project, "anna")
    bram = CodingSession(example_project, "bram")
    text = anna.text(DOC)
    start = text.index("koffie")
    anna.code(DOC, start, start + 6, "barrier.regie", memo="eerste indruk")
    bram.code(DOC, start - 3, start + 6, "gerdes.trust")
    anna.memo("document", DOC, "Sessie begint informeel.")
    anna.memo("project", "", "Eerste ronde.")
    bram.memo("code", "gerdes.trust", "Vertrouwen breed opvatten.")
    return example_project


def _xml(project):
    xml, sources = project_xml(project)
    return ET.fromstring(xml), xml, sources


def test_export_is_byte_identical_when_nothing_changed(coded, tmp_path):
    first = export_qdpx(coded, tmp_path / "a.qdpx").read_bytes()
    second = export_qdpx(coded, tmp_path / "b.qdpx").read_bytes()
    assert first == second
    assert export_qdc(coded, tmp_path / "a.qdc").read_bytes() == export_qdc(coded, tmp_path / "b.qdc").read_bytes()


def test_export_changes_when_a_coding_is_added(coded, tmp_path):
    from raakvlak import Project

    copy = Project(shutil.copytree(coded.root, tmp_path / "copy"))
    before = export_qdpx(copy, tmp_path / "a.qdpx").read_bytes()
    CodingSession(copy, "anna").code(DOC, 0, 5, "barrier.regie")
    assert export_qdpx(copy, tmp_path / "b.qdpx").read_bytes() != before


def test_project_qde_validates_against_the_refi_schema(coded):
    if not SCHEMA.exists():
        pytest.skip("REFI-QDA schema not available beside the repository")
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMA))
    _, xml, _ = _xml(coded)
    schema.validate(xml.decode("utf-8"))


def test_schema_rejects_a_broken_export(coded):
    """The validator is real: removing a required attribute makes the same file invalid."""
    if not SCHEMA.exists():
        pytest.skip("REFI-QDA schema not available beside the repository")
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(SCHEMA))
    _, xml, _ = _xml(coded)
    broken = xml.decode("utf-8").replace(' isCodable="true"', "", 1)
    assert not schema.is_valid(broken)


def test_archive_holds_project_and_canonical_sources(coded, tmp_path):
    path = export_qdpx(coded, tmp_path / "p.qdpx")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names[0] == "project.qde"
        root = ET.fromstring(archive.read("project.qde"))
        for source in root.iterfind("q:Sources/q:TextSource", NS):
            guid = source.get("guid")
            assert source.get("plainTextPath") == f"internal://{guid}.txt"
            text = archive.read(f"sources/{guid}.txt").decode("utf-8")
            assert fingerprint(text) == fingerprint(coded.corpus.text(source.get("name")))
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    media = MediaStore(coded.root)
    shared = media.recordings()["private"].eq("no").sum()
    assert len(names) == 1 + len(coded.corpus) + len(media.pictures()) + shared  # texts, pictures, recordings


def test_selections_are_code_points_on_the_canonical_text(coded):
    root, _, _ = _xml(coded)
    text = coded.corpus.text(DOC)
    source = root.find(f"q:Sources/q:TextSource[@name='{DOC}']", NS)
    selections = source.findall("q:PlainTextSelection", NS)
    assert len(selections) == 2
    for selection in selections:
        start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
        assert text[start:end] == selection.get("name")
    quotes = sorted(s.get("name") for s in selections)
    assert quotes == ["en koffie", "koffie"]


def test_users_codes_memos_and_variables_are_exported(coded):
    root, _, _ = _xml(coded)
    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    assert {"anna", "bram"} <= set(users)
    codes = {read_description(c.findtext("q:Description", namespaces=NS)).raakvlak_id: c
             for c in root.iter(f"{{{NS['q']}}}Code")}
    trust = codes["gerdes.trust"]
    assert trust.get("name") == "Vertrouwen" and trust.get("isCodable") == "true"
    assert re.fullmatch(r"#[0-9a-f]{6}", trust.get("color"))
    # the hierarchy: trust sits inside the Gerdes group
    assert trust in list(codes["gerdes"])
    # memos: notes with the coder as creating user, referenced from what they are about
    notes = {n.findtext("q:PlainTextContent", namespaces=NS): n for n in root.iterfind("q:Notes/q:Note", NS)}
    assert set(notes) == {"eerste indruk", "Sessie begint informeel.", "Eerste ronde.", "Vertrouwen breed opvatten."}
    assert notes["Vertrouwen breed opvatten."].get("creatingUser") == users["bram"]
    refs_of_trust = {r.get("targetGUID") for r in trust.findall("q:NoteRef", NS)}
    assert notes["Vertrouwen breed opvatten."].get("guid") in refs_of_trust
    project_refs = {r.get("targetGUID") for r in root.findall("q:NoteRef", NS)}
    assert notes["Eerste ronde."].get("guid") in project_refs
    # variables: document variables on the source, speaker variables on one case per speaker
    names = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    source = root.find(f"q:Sources/q:TextSource[@name='{DOC}']", NS)
    values = {names[v.find("q:VariableRef", NS).get("targetGUID")]: v.findtext("q:TextValue", namespaces=NS)
              for v in source.findall("q:VariableValue", NS)}
    row = coded.corpus.document(DOC)
    assert values["title"] == row["title"] and values["site"] == row["site"] and values["kind"] == "transcript"
    cases = [c for c in root.iterfind("q:Cases/q:Case", NS)
             if c.find("q:SourceRef", NS).get("targetGUID") == source.get("guid")]
    speakers = coded.corpus.speakers
    assert sorted(c.get("name") for c in cases) == sorted(speakers[speakers["document_id"] == DOC]["speaker"])


def test_codings_carry_their_coder(coded):
    root, _, _ = _xml(coded)
    users = {u.get("guid"): u.get("name") for u in root.iterfind("q:Users/q:User", NS)}
    codings = root.findall(".//q:PlainTextSelection/q:Coding", NS)
    assert sorted(users[c.get("creatingUser")] for c in codings) == ["anna", "bram"]


def test_guids_are_uuid5_of_the_project_namespace(coded):
    import uuid

    root, _, _ = _xml(coded)
    namespace = project_namespace(coded.name)
    source = root.find(f"q:Sources/q:TextSource[@name='{DOC}']", NS)
    assert source.get("guid") == str(uuid.uuid5(namespace, f"source:{DOC}"))
    assert uuid.UUID(source.get("guid")).version == 5


def test_qdc_holds_the_code_tree(coded, tmp_path):
    root = ET.fromstring(export_qdc(coded, tmp_path / "c.qdc").read_bytes())
    assert root.tag == "{urn:QDA-XML:codebook:1.0}CodeBook"
    ids = [read_description(c.findtext("{urn:QDA-XML:codebook:1.0}Description")).raakvlak_id
           for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")]
    from raakvlak.coding.codebook import Codebook

    assert ids == Codebook.load(coded.codebook_path).ids


def test_description_round_trips_the_code_fields():
    fields = {"label_nl": "Vertrouwen", "label_en": "Trust", "examples": "Ik bel haar gewoon.\nZij weet het.",
              "status": "a_priori", "id": "gerdes.trust", "when_to_use": "Line one\n\nafter a blank"}
    text = code_description(fields, "Trust across the boundary.\n\nSecond paragraph.")
    parsed = read_description(text)
    assert parsed.definition == "Trust across the boundary.\n\nSecond paragraph."
    assert parsed.fields == fields


def test_description_of_another_tool_is_all_definition():
    parsed = read_description("Just a description.\n\nWith: a colon line")
    assert parsed.definition == "Just a description.\n\nWith: a colon line" and parsed.fields == {}


@pytest.mark.parametrize(("value", "expected"), [
    ("#C0392B", "#c0392b"), ("#c39", "#cc3399"), ("c0392b", "#c0392b"), ("#FFC0392B", "#c0392b"),
    ("rgb(192,57,43)", "#c0392b"), ("rgba(192, 57, 43, 0.5)", "#c0392b"), ("Teal", "#008080"),
    ("12597547", "#c0392b"), ("rgb(300,0,0)", None), ("not a colour", None), ("", None),
])
def test_colours_in_several_notations(value, expected):
    assert parse_colour(value) == expected


def test_control_characters_never_break_the_xml(coded, tmp_path):
    from raakvlak import Project

    copy = Project(shutil.copytree(coded.root, tmp_path / "copy"))
    CodingSession(copy, "anna").memo("project", "", "Piep\x07 en\x0b door")
    root, _, _ = _xml(copy)
    texts = [n.findtext("q:PlainTextContent", namespaces=NS) for n in root.iterfind("q:Notes/q:Note", NS)]
    assert "Piep en door" in texts
