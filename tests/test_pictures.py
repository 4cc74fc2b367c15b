"""Pictures as documents: import, metadata stripped and reported, bad files refused whole."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from raakvlak import Project
from raakvlak.corpus.imagefile import PNG_SIGNATURE, exif_of, sniff, strip_metadata
from raakvlak.corpus.importer import import_files
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.pictures import open_picture, preview, sha256_bytes
from raakvlak.errors import ImportProblem


@pytest.fixture
def project(tmp_path):
    project = Project.init(tmp_path / "studie", name="Studie")
    (project.private_dir / "pseudonyms.csv").write_text(
        "original,pseudonym,kind\nJoris,Deelnemer A,person\n", encoding="utf-8")
    return project


def phone_picture(form: str, size=(64, 48), orientation=6, **save) -> bytes:
    """A picture as a phone writes it: orientation, date, camera and GPS position in its
    EXIF, a red block top left (to check orientation)."""
    image = Image.new("RGB", size, "white")
    image.paste((200, 30, 30), (0, 0, 16, 16))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 12"
    exif.get_ifd(0x8769)[0x9003] = "2026:03:04 10:15:30"
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, form, exif=exif.tobytes(), **save)
    return buffer.getvalue()


def phone_jpeg(size=(64, 48), orientation=6) -> bytes:
    """A phone's JPEG, with a comment as well."""
    return phone_picture("JPEG", size, orientation, comment=b"Joris bouwde dit")


def phone_heic(size=(64, 48), orientation=6) -> bytes:
    """A phone's HEIC (made here with pillow-heif, lossless)."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    return phone_picture("HEIF", size, orientation, quality=-1)


def test_heic_import_stores_an_upright_png_without_location(project, tmp_path):
    data = phone_heic()
    assert sniff(data) == "heic"
    (tmp_path / "model.heic").write_bytes(data)
    report = import_files(project, [tmp_path / "model.heic"], variables={"workshop": "LSP-1"})
    [picture_id] = report.document_ids
    row = MediaStore(project.root).picture(picture_id)
    # the stored copy: a PNG of the upright picture (orientation 6 applied), no metadata
    assert row["file"] == f"corpus/pictures/{picture_id}.png" and row["format"] == "png"
    assert (row["width"], row["height"], row["orientation"]) == ("48", "64", "6")
    assert row["taken"] == "2026-03-04T10:15:30" and row["source"] == "model.heic"
    assert row["original_sha256"] == sha256_bytes(data)
    assert "GPS location" in row["stripped"] and "Model" in row["stripped"]
    assert "Orientation (applied to the pixels)" in row["stripped"]
    assert any("lossless PNG" in m and "GPS" in m for m in report.messages)
    stored = (project.root / row["file"]).read_bytes()
    assert stored.startswith(PNG_SIGNATURE) and row["sha256"] == sha256_bytes(stored)
    for secret in (b"PhoneMaker", b"Phone 12", b"2026:03:04", b"eXIf", b"Exif"):
        assert secret not in stored
    assert not exif_of(stored).get_ifd(0x8825) and 0x0112 not in exif_of(stored)
    assert strip_metadata(stored)[1] == []  # nothing left to strip
    upright = open_picture(project, picture_id)
    assert upright.size == (48, 64)
    red = upright.getpixel((upright.width - 4, 4))  # orientation 6: top left went top right
    assert red[0] > 150 and red[1] < 100
    white = upright.getpixel((4, 4))
    assert min(white) > 200
    # the HEIC as given is kept whole, in private/ (outside git)
    assert (project.private_dir / "originals" / f"{picture_id}.heic").read_bytes() == data
    # the same photo again is the same stored copy: refused as already there
    (tmp_path / "again.heic").write_bytes(data)
    with pytest.raises(ImportProblem, match=f"already in the corpus as '{picture_id}'"):
        import_files(project, [tmp_path / "again.heic"])


def test_jpeg_import_strips_location_and_keeps_pixels(project, tmp_path):
    data = phone_jpeg()
    (tmp_path / "model Joris.jpg").write_bytes(data)
    report = import_files(project, [tmp_path / "model Joris.jpg"], variables={"workshop": "LSP-1"})
    [picture_id] = report.document_ids
    assert "joris" not in picture_id  # the file name is pseudonymised like a title
    row = MediaStore(project.root).picture(picture_id)
    assert (row["width"], row["height"], row["orientation"]) == ("48", "64", "6")
    assert row["taken"] == "2026-03-04T10:15:30"
    assert row["workshop"] == "LSP-1" and row["original_sha256"] == sha256_bytes(data)
    assert "GPS location" in row["stripped"] and "Model" in row["stripped"] and "comment" in row["stripped"]
    assert any("stripped: " in m and "GPS" in m for m in report.messages)
    stored = (project.root / row["file"]).read_bytes()
    assert row["sha256"] == sha256_bytes(stored)
    for secret in (b"PhoneMaker", b"Phone 12", b"Joris", b"2026:03:04"):
        assert secret not in stored
    exif = exif_of(stored)
    assert dict(exif) == {0x0112: 6} and not exif.get_ifd(0x8825)
    # the compressed pixels are the original's: both decode to the same image
    assert Image.open(io.BytesIO(stored)).tobytes() == Image.open(io.BytesIO(data)).tobytes()
    upright = open_picture(project, picture_id)
    assert upright.size == (48, 64)
    red = upright.getpixel((upright.width - 4, 4))  # orientation 6: top left went top right
    assert red[0] > 150 and red[1] < 100
    # the original is kept whole, in private/ (outside git)
    assert (project.private_dir / "originals" / f"{picture_id}.jpg").read_bytes() == data


def test_png_text_and_exif_chunks_are_stripped(project, tmp_path):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Joris")
    info.add_itxt("Comment", "Locatie: Dorpsstraat 1")
    exif = Image.Exif()
    exif.get_ifd(0x8825)[2] = (52.0, 5.0, 0.0)
    buffer = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 0, 255, 128)).save(buffer, "PNG", pnginfo=info, exif=exif.tobytes())
    data = buffer.getvalue()
    copy, stripped = strip_metadata(data)
    assert b"Joris" not in copy and b"Dorpsstraat" not in copy and b"eXIf" not in copy
    assert any("GPS" in s for s in stripped) and "text chunk" in stripped
    assert Image.open(io.BytesIO(copy)).tobytes() == Image.open(io.BytesIO(data)).tobytes()


def test_picture_preview_is_downscaled_with_its_scale(project, tmp_path):
    Image.new("RGB", (4000, 3000), "green").save(tmp_path / "groot.jpg", quality=80)
    [picture_id] = import_files(project, [tmp_path / "groot.jpg"]).document_ids
    data, scale = preview(project, picture_id, max_side=1000)
    assert scale == 0.25
    assert Image.open(io.BytesIO(data)).size == (1000, 750)


def _bomb_png(width=30000, height=30000) -> bytes:
    """A tiny PNG whose header declares a huge picture (a decompression bomb)."""
    buffer = io.BytesIO()
    Image.new("1", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    start = len(PNG_SIGNATURE)
    ihdr = bytearray(data[start + 8:start + 8 + 13])
    ihdr[0:8] = struct.pack(">II", width, height)
    data[start + 8:start + 8 + 13] = ihdr
    data[start + 21:start + 25] = struct.pack(">I", zlib.crc32(b"IHDR" + bytes(ihdr)))
    return bytes(data)


@pytest.mark.parametrize("name, content, expected", [
    ("kapot.jpg", phone_jpeg()[:400], "damaged"),
    ("bom.png", _bomb_png(), "decompression bomb"),
    ("plaatje.jpg", b"GIF89a" + b"\x00" * 40, "not a JPEG, PNG or HEIC"),
    ("foto.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "damaged or truncated HEIC"),
    ("leeg.heic", b"", "empty file"),
    ("half.heic", None, "damaged or truncated HEIC"),  # a phone HEIC cut in half
    ("geen.heic", b"GIF89a" + b"\x00" * 40, "not a HEIC picture"),
])
def test_bad_pictures_are_refused_whole_naming_the_file(project, tmp_path, name, content, expected):
    good = tmp_path / "goed.jpg"
    good.write_bytes(phone_jpeg())
    if content is None:
        whole = phone_heic()
        content = whole[:len(whole) // 2]
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ImportProblem) as raised:
        import_files(project, [good, tmp_path / name])
    assert name in str(raised.value) and expected in str(raised.value)
    assert "nothing was imported" in str(raised.value)
    assert not (project.corpus_dir / "pictures.csv").exists()
    assert not (project.corpus_dir / "pictures").exists()


def test_too_large_a_picture_is_refused(project, tmp_path):
    settings = project.root / "raakvlak.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("max_bytes = 50000000", "max_bytes = 1000"),
                        encoding="utf-8")
    (tmp_path / "groot.jpg").write_bytes(phone_jpeg((400, 400)))
    with pytest.raises(ImportProblem, match="groot.jpg: .* more than the limit of 1000"):
        import_files(Project(project.root), [tmp_path / "groot.jpg"])


def test_same_picture_twice_and_mixed_imports_are_refused(project, tmp_path):
    (tmp_path / "a.jpg").write_bytes(phone_jpeg())
    import_files(project, [tmp_path / "a.jpg"])
    with pytest.raises(ImportProblem, match="already in the corpus as 'a'"):
        import_files(project, [tmp_path / "a.jpg"])
    (tmp_path / "notes.txt").write_text("Iets.\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match="separate commands"):
        import_files(project, [tmp_path / "a.jpg", tmp_path / "notes.txt"])


def test_a_text_never_takes_a_pictures_id(project, tmp_path):
    (tmp_path / "model.jpg").write_bytes(phone_jpeg())
    import_files(project, [tmp_path / "model.jpg"])
    (tmp_path / "model.txt").write_text("Het verhaal bij het model.\n", encoding="utf-8")
    with pytest.raises(Exception, match="'model' is already in the corpus"):
        import_files(project, [tmp_path / "model.txt"])


def test_sniff_tells_formats_by_their_bytes():
    assert sniff(phone_jpeg()) == "jpeg"
    assert sniff(b"%PDF-1.4") is None


# ---------------------------------------------------------------------- raakvlak media link
def test_media_link_records_shows_refuses_unknown_and_never_duplicates(project, tmp_path, capsys):
    from raakvlak.cli import main

    (tmp_path / "toren.jpg").write_bytes(phone_jpeg())
    (tmp_path / "verhaal.txt").write_text("Dit is de toren die wij bouwden.\n", encoding="utf-8")
    import_files(project, [tmp_path / "toren.jpg"])
    import_files(project, [tmp_path / "verhaal.txt"])
    root = str(project.root)
    capsys.readouterr()

    def media(*argv: str) -> tuple[int, str, str]:
        code = main(["media", "--project", root, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = media("link", "toren", "verhaal", "--relation", "verhaal")
    assert code == 0 and out.strip() == "linked toren to verhaal (verhaal)"
    links = MediaStore(project.root).links()
    assert links.to_dict("records") == [{"document_id": "toren", "linked_id": "verhaal", "relation": "verhaal"}]
    code, out, _ = media()  # the listing shows the link
    assert code == 0 and "1 link(s)" in out
    assert "picture toren: 48 x 64, corpus/pictures/toren.jpg; linked to verhaal (verhaal)" in out

    code, out, err = media("link", "toren", "verhal")  # a typo: refused, naming it
    assert code == 1 and out == ""
    assert "unknown text document 'verhal'" in err and "verhaal" in err
    code, _, err = media("link", "torentje", "verhaal")
    assert code == 1 and "unknown picture 'torentje'" in err
    code, _, err = media("link", "toren", "toren")
    assert code == 1 and "'toren' is a picture, not a text document" in err

    code, out, _ = media("link", "toren", "verhaal")  # twice: kept once, said so
    assert code == 0 and "already linked" in out
    code, _, err = media("link", "toren", "verhaal", "--relation", "reflectie")
    assert code == 1 and "already linked to 'verhaal' as 'verhaal'" in err
    assert len(MediaStore(project.root).links()) == 1
