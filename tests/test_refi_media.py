"""Pictures and recordings through REFI-QDA: schema-valid, byte-stable, and back in."""

from __future__ import annotations

import io
import shutil
import wave
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from PIL import Image

from raakvlak import Project
from raakvlak.coding.picture_session import PictureSession
from raakvlak.coding.state import load_state
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.pictures import import_pictures, media_setting
from raakvlak.corpus.recordings import attach_recording, set_sync_point, sync_points, turn_times
from raakvlak.exchange import export_qdpx, import_qdpx
from test_refi_import import CODE, USER, project_xml, write_qdpx

SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": "urn:QDA-XML:project:1.0"}


def wav(seconds: float = 3.0, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"\x01\x00" * int(seconds * rate))
    return buffer.getvalue()


def png(size=(300, 200), colour="orange") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def media_project(tmp_path_factory):
    """The example project with a picture coded by two coders and two recordings."""
    from conftest import copy_example

    folder = tmp_path_factory.mktemp("refi-media")
    project = Project(copy_example(folder / "example"))
    (folder / "toren.png").write_bytes(png())
    import_pictures(project, [folder / "toren.png"], variables={"site": "gemeente", "model": "toren"})
    PictureSession(project, "anna").code_region("toren", (10, 20, 110, 120), "barrier.regie", memo="hoog")
    PictureSession(project, "bram").code_region("toren", (12, 20, 110, 125), "barrier.providers")
    assert media_setting(project, "recordings", "private") == "corpus"  # as the example keeps them
    (folder / "sessie.wav").write_bytes(wav())
    attach_recording(project, "als-b-sessie-3", folder / "sessie.wav")
    starts = turn_times(project, "als-b-sessie-3")["start"].tolist()
    set_sync_point(project, "als-b-sessie-3", starts[0], 0)
    set_sync_point(project, "als-b-sessie-3", starts[2], 2_000)
    attach_recording(project, "online-overleg", folder / "sessie.wav")  # labels give its times
    return project


def test_media_export_is_schema_valid_and_byte_stable(media_project, tmp_path):
    first = export_qdpx(media_project, tmp_path / "a.qdpx").read_bytes()
    assert export_qdpx(media_project, tmp_path / "b.qdpx").read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        xml = archive.read("project.qde")
        names = archive.namelist()
    if SCHEMA.exists():
        xmlschema = pytest.importorskip("xmlschema")
        xmlschema.XMLSchema(str(SCHEMA)).validate(xml.decode("utf-8"))
    root = ET.fromstring(xml)
    pictures = {p.get("name"): p for p in root.findall(".//q:PictureSource", NS)}
    assert len(pictures) == 5  # the example's four and toren
    picture = pictures["toren"]
    assert picture.get("path").endswith(".png")
    corners = sorted((s.get("firstX"), s.get("firstY"), s.get("secondX"), s.get("secondY"))
                     for s in picture.findall("q:PictureSelection", NS))
    assert corners == [("10", "20", "110", "120"), ("12", "20", "110", "125")]
    assert f"sources/{picture.get('path').split('//')[1]}" in names
    audio = {a.get("name"): a for a in root.findall(".//q:AudioSource", NS)}
    transcript = audio["als-b-sessie-3"].find("q:Transcript", NS)
    text_source = [t for t in root.findall(".//q:TextSource", NS) if t.get("name") == "als-b-sessie-3"][0]
    assert transcript.get("plainTextPath") == text_source.get("plainTextPath")
    assert [p.get("timeStamp") for p in transcript.findall("q:SyncPoint", NS)] == ["0", "2000"]
    labelled = audio["online-overleg"].find("q:Transcript", NS).findall("q:SyncPoint", NS)
    assert len(labelled) > 10 and labelled[0].get("timeStamp") == "2000"


def test_a_private_recording_never_leaves_the_project(media_project, tmp_path):
    copy = tmp_path / "private-copy"
    shutil.copytree(media_project.root, copy)
    settings = copy / "raakvlak.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('recordings = "corpus"', ""), encoding="utf-8")
    project = Project(copy)
    attach_recording(project, "als-a-sessie-2", io_file(tmp_path, wav(1.0)))
    with zipfile.ZipFile(export_qdpx(project, tmp_path / "p.qdpx")) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        wavs = [n for n in archive.namelist() if n.endswith(".wav")]
    private = [a for a in root.findall(".//q:AudioSource", NS) if a.get("name") == "als-a-sessie-2"][0]
    assert private.get("path") is None and "private" in private.find("q:Description", NS).text
    assert len(wavs) == 3  # the three shared recordings only


def io_file(folder: Path, data: bytes) -> Path:
    path = folder / "extra.wav"
    path.write_bytes(data)
    return path


def test_round_trip_into_an_empty_project(media_project, tmp_path):
    qdpx = export_qdpx(media_project, tmp_path / "a.qdpx")
    empty = Project.init(tmp_path / "leeg", name="Leeg")
    report = import_qdpx(empty, qdpx, pseudonymise=False)
    assert "toren" in report.documents
    store = MediaStore(empty.root)
    original = MediaStore(media_project.root).picture("toren")
    imported = store.picture("toren")
    assert imported["sha256"] == original["sha256"] and imported["model"] == "toren"
    state, problems = load_state(empty.logs_dir)
    assert problems == []
    regions = state.regions[state.regions["document_id"] == "toren"].sort_values("coder")
    assert regions[["coder", "left", "top", "right", "bottom", "code_id"]].values.tolist() == [
        ["anna", 10, 20, 110, 120, "barrier.regie"], ["bram", 12, 20, 110, 125, "barrier.providers"]]
    assert regions["memo"].tolist() == ["hoog", ""]
    recordings = store.recordings().set_index("document_id")
    assert set(recordings.index) == {"als-a-sessie-1", "als-b-sessie-3", "online-overleg"}
    assert recordings.loc["als-b-sessie-3", "sha256"] == MediaStore(media_project.root).recordings().set_index(
        "document_id").loc["als-b-sessie-3", "sha256"]
    for document in ("als-a-sessie-1", "als-b-sessie-3"):
        assert sync_points(empty, document) == sync_points(media_project, document)
    assert sync_points(empty, "online-overleg") == []  # the labels say it already
    again = import_qdpx(empty, qdpx, pseudonymise=False)
    assert again.documents == [] and sum(again.codings.values()) == 0
    assert len(load_state(empty.logs_dir)[0].regions) == len(state.regions)


def test_shapes_other_tools_write(tmp_path):
    text = "Interviewer: Hoe gaat het?\r\n\r\nDocent: Goed, de samenwerking loopt.\r\n"
    sources = (
        '<PictureSource guid="bbbbbbbb-0000-0000-0000-00000000000a" name="Model A" path="relative://model a.png">'
        '<Description>Het model van groep A</Description>'
        f'<PictureSelection guid="dddddddd-0000-0000-0000-00000000000a" firstX="250" firstY="150" secondX="50" '
        f'secondY="40" creatingUser="{USER}"><Coding guid="eeeeeeee-0000-0000-0000-00000000000a" '
        f'creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding></PictureSelection>'
        f'<PictureSelection guid="dddddddd-0000-0000-0000-00000000000b" firstX="900" firstY="900" secondX="950" '
        f'secondY="950" creatingUser="{USER}"><Coding guid="eeeeeeee-0000-0000-0000-00000000000b" '
        f'creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/></Coding></PictureSelection></PictureSource>'
        '<PictureSource guid="bbbbbbbb-0000-0000-0000-00000000000b" name="Kapot" path="internal://kapot.jpg"/>'
        '<AudioSource guid="bbbbbbbb-0000-0000-0000-00000000000c" name="Interview" path="internal://int.wav">'
        '<Transcript guid="bbbbbbbb-0000-0000-0000-00000000000d" name="Interview transcript">'
        f'<PlainTextContent>{text}</PlainTextContent>'
        '<SyncPoint guid="ffffffff-0000-0000-0000-000000000001" timeStamp="0" position="0"/>'
        '<SyncPoint guid="ffffffff-0000-0000-0000-000000000002" timeStamp="4000" position="28"/>'
        '</Transcript></AudioSource>')
    path = write_qdpx(tmp_path / "other.qdpx", project_xml("MAXQDA 2022", sources),
                      {"sources/model a.png": png(), "sources/kapot.jpg": b"\xff\xd8\xff\xe0broken",
                       "sources/int.wav": wav()})
    empty = Project.init(tmp_path / "leeg", name="Leeg")
    report = import_qdpx(empty, path, pseudonymise=False)
    store = MediaStore(empty.root)
    [picture] = store.pictures()["document_id"].tolist()
    assert store.picture(picture)["title"] == "Het model van groep A"
    regions = load_state(empty.logs_dir)[0].regions
    assert regions[["left", "top", "right", "bottom"]].values.tolist() == [[50, 40, 250, 150]]
    reasons = report.unplaced.set_index("source")["reason"].to_dict()
    assert "holds no pixel" in report.unplaced.set_index("selection_guid")["reason"]["dddddddd-0000-0000-0000-00000000000b"]
    assert "kapot.jpg" in reasons["Kapot"] and "damaged" in reasons["Kapot"]
    transcript = [d for d in empty.corpus.ids][0]
    assert empty.corpus.document(transcript)["kind"] == "transcript"
    assert store.recordings()["document_id"].tolist() == [transcript]
    canonical = empty.corpus.text(transcript)
    points = sync_points(empty, transcript)
    assert points[0] == (0, 0) and points[1][1] == 4000
    assert canonical[points[1][0]:].startswith("Docent")  # XML reads the CRLF of content as LF
