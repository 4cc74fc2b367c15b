"""Pictures as documents: import (JPEG, PNG, HEIC), the stored copy, previews and thumbnails.

:func:`import_pictures` reads each file, refuses what is not a sound picture (damaged
or truncated, a decompression bomb, too large, another format) with one message naming
the file, reads the EXIF orientation and date, strips location and every other piece of
metadata from the copy it stores (:func:`raakvlak.corpus.imagefile.strip_metadata`),
and writes ``corpus/pictures/<id>.<ext>`` and a row of ``corpus/pictures.csv`` under
the project lock. One bad file means nothing is imported. The original file is kept
as given in ``private/originals/`` (git-ignored), its fingerprint in the table.

A HEIC (HEIF) photo is read with pillow-heif and stored as a lossless PNG of the
upright picture without metadata (:mod:`raakvlak.corpus.heif` says why): its row has
``format`` ``png`` (the stored copy's), ``source`` the ``.heic`` file name and
``orientation`` what the phone wrote, already applied to the stored pixels.

Coordinates of regions are pixels of the *upright* picture: the stored copy with its
EXIF orientation applied (:func:`open_picture`), whatever size a widget shows it at.

Examples
--------
>>> import io, tempfile, pathlib
>>> from PIL import Image
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> project = Project.init(folder / "studie", name="Studie")
>>> exif = Image.Exif()
>>> exif[0x0112] = 6                      # taken with the phone on its side
>>> exif.get_ifd(0x8825)[2] = (52.0, 5.0, 0.0)   # and a GPS position
>>> Image.new("RGB", (60, 40), "blue").save(folder / "model 1.jpg", exif=exif.tobytes())
>>> report = import_pictures(project, [folder / "model 1.jpg"], variables={"group": "A"})
>>> report.document_ids
['model-1']
>>> row = MediaStore(project.root).picture("model-1")
>>> row["width"], row["height"], row["orientation"], row["group"]
('40', '60', '6', 'A')
>>> "GPS location" in row["stripped"], open_picture(project, "model-1").size
(True, (40, 60))
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageOps

from raakvlak.corpus.imagefile import (
    ORIENTATION_TAG,
    PictureFileError,
    PixelProblem,
    checked_image,
    sniff,
    strip_metadata,
)
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.errors import ImportProblem
from raakvlak.files import atomic_write_bytes
from raakvlak.ids import free_name, slug
from raakvlak.project import Project

PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".heic", ".heif")
DEFAULT_MAX_PIXELS = 100_000_000
"""Pictures declaring more pixels are refused as possible decompression bombs
(``[media] max_pixels`` in ``raakvlak.toml``); a 12-megapixel photo is far below."""
_EXTENSIONS = {"jpeg": ".jpg", "png": ".png"}
_EXIF_DATE = re.compile(r"(\d{4}):(\d\d):(\d\d)[ T](\d\d):(\d\d):(\d\d)")


def is_picture(path: str | Path) -> bool:
    """True for a file name a picture import takes (by its suffix).

    Examples
    --------
    >>> is_picture("model.JPG"), is_picture("notes.txt")
    (True, False)
    """
    return Path(path).suffix.lower() in PICTURE_SUFFIXES


def media_setting(project: Project, key: str, default: object) -> object:
    """A value of the ``[media]`` table of ``raakvlak.toml`` (``default`` when absent)."""
    media = project.settings.extra.get("media", {})
    return media.get(key, default) if isinstance(media, dict) else default


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of bytes, as hex: the fingerprint of a stored picture or recording."""
    import hashlib

    return hashlib.sha256(data).hexdigest()


@dataclass
class PictureRead:
    """One picture file read and checked, its stored copy made (nothing written yet)."""

    path: Path
    format: str
    stored: bytes
    original_sha256: str
    width: int
    height: int
    orientation: int
    taken: str
    stripped: list[str] = field(default_factory=list)
    original: bytes = b""
    note: str = ""  # said in the import report (a HEIC stored as PNG)


def read_picture(path: Path, max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS) -> PictureRead:
    """Read and check one picture file and make its stored copy.

    Raises
    ------
    ImportProblem
        Naming the file: too large, empty, not a JPEG, PNG or HEIC, damaged or
        truncated, or more pixels than ``max_pixels`` (a decompression bomb).
    """
    name = path.name
    try:
        size = path.stat().st_size
    except OSError:
        raise ImportProblem(f"{name}: no such file") from None
    if size > max_bytes:
        raise ImportProblem(f"{name}: {size} bytes, more than the limit of {max_bytes} "
                            "([import] max_bytes in raakvlak.toml)")
    return picture_from_bytes(path, path.read_bytes(), max_pixels)


def picture_from_bytes(path: Path, data: bytes, max_pixels: int = DEFAULT_MAX_PIXELS) -> PictureRead:
    """:func:`read_picture` of bytes already read (``path`` names them in messages)."""
    name = path.name
    if not data:
        raise ImportProblem(f"{name}: empty file (0 bytes)")
    kind = sniff(data)
    if kind == "heic":
        return _heic(path, data, max_pixels)
    if kind is None:
        what = "HEIC" if path.suffix.lower() in (".heic", ".heif") else "JPEG, PNG or HEIC"
        raise ImportProblem(f"{name}: not a {what} picture (its first bytes say otherwise); "
                            "raakvlak imports .jpg, .jpeg, .png, .heic and .heif")
    orientation, taken, width, height = _check_pixels(name, data, max_pixels)
    try:
        stored, stripped = strip_metadata(data, orientation)
    except PictureFileError as exc:
        raise ImportProblem(f"{name}: damaged picture ({exc}); nothing was imported") from None
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return PictureRead(path, kind, stored, sha256_bytes(data), width, height, orientation, taken, stripped, data)


def _heic(path: Path, data: bytes, max_pixels: int) -> PictureRead:
    """A HEIC picture read: its stored copy is a lossless PNG of the upright picture."""
    from raakvlak.corpus.heif import read_heif

    try:
        read = read_heif(data, max_pixels)
    except PixelProblem as exc:
        raise ImportProblem(f"{path.name}: {exc}") from None
    width, height = read.size
    return PictureRead(path, "png", read.png, sha256_bytes(data), width, height, read.orientation,
                       _taken(read.exif), read.stripped, data,
                       note="HEIC stored as a lossless PNG of the upright picture")


def _check_pixels(name: str, data: bytes, max_pixels: int) -> tuple[int, str, int, int]:
    """Orientation, date taken and size of a picture whose pixels all decode."""
    try:
        with checked_image(data, max_pixels) as image:
            width, height = image.size
            exif = image.getexif()
            image.load()
    except PixelProblem as exc:
        raise ImportProblem(f"{name}: {exc}") from None
    orientation = exif.get(ORIENTATION_TAG, 1)
    if not isinstance(orientation, int) or not 1 <= orientation <= 8:
        orientation = 1
    return orientation, _taken(exif), width, height


def _taken(exif: Image.Exif) -> str:
    """``DateTimeOriginal`` (else ``DateTime``) as ISO 8601 without zone, or ``""``."""
    value = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132) or ""
    match = _EXIF_DATE.match(str(value).strip())
    if not match:
        return ""
    try:
        return datetime.datetime(*map(int, match.groups())).isoformat()
    except ValueError:
        return ""


@dataclass
class PictureImportReport:
    """What a picture import did: new ids, and one line per remark (file name first)."""

    document_ids: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    stripped: dict[str, list[str]] = field(default_factory=dict)
    not_imported: list[str] = field(default_factory=list)
    replacements: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    review_file: Path | None = None  # the text import's fields: no names are read from pixels

    @property
    def review(self):  # noqa: ANN201 - the text import's field, empty here
        import pandas as pd

        from raakvlak.corpus.detection import REVIEW_COLUMNS

        return pd.DataFrame(columns=REVIEW_COLUMNS)


def import_pictures(
    project: Project,
    paths: Iterable[str | Path],
    document_id: str | None = None,
    title: str | None = None,
    date: str = "",
    variables: dict[str, str] | None = None,
    pseudonymise: bool | None = None,
    links: Iterable[str] = (),
) -> PictureImportReport:
    """Import pictures as documents of the project.

    Parameters
    ----------
    project : the project.
    paths : JPEG, PNG or HEIC (HEIF) files.
    document_id : the id of the new picture (one file only); default from the file name.
    title : the title (default: the file name); pseudonymised like a text's title.
    date : the date of the workshop or session, ``YYYY-MM-DD``.
    variables : picture variables (workshop, group, model, builder_role ...).
    pseudonymise : replace names in the title and file name with the project's key
        (default from ``raakvlak.toml``).
    links : ids of text documents about these pictures (the story, the reflection).

    Returns
    -------
    PictureImportReport

    Raises
    ------
    ImportProblem
        When any file cannot be imported; then nothing is written.
    """
    from raakvlak.corpus.importer import check_request

    paths = [Path(p) for p in paths]
    check_request(paths, document_id, date)
    max_pixels = int(media_setting(project, "max_pixels", DEFAULT_MAX_PIXELS))  # type: ignore[arg-type]
    problems, read = [], []
    for path in paths:
        try:
            read.append(read_picture(path, project.settings.max_import_bytes, max_pixels))
        except ImportProblem as exc:
            problems.append(str(exc))
    if problems:
        raise ImportProblem("; ".join(problems) + " (nothing was imported)")
    with project.lock("import pictures"):
        return write_pictures(project, read, document_id, title, date, dict(variables or {}),
                      project.settings.pseudonymise if pseudonymise is None else pseudonymise, list(links))


def write_pictures(project: Project, read: list[PictureRead], document_id: str | None, title: str | None,
           date: str, variables: dict[str, str], pseudonymise: bool, links: list[str]) -> PictureImportReport:
    """Write the stored copies, the originals and the table rows (under the lock)."""
    store = MediaStore(project.root)
    taken_ids = store.document_ids()
    unknown = [d for d in links if d not in taken_ids]
    if unknown:
        raise ImportProblem(f"--link {', '.join(unknown)}: no such document in the corpus (nothing was imported)")
    known_sha = dict(zip(store.pictures()["sha256"], store.pictures()["document_id"], strict=True))
    name = _namer(project, pseudonymise)
    report, rows, link_rows, files = PictureImportReport(), [], [], {}
    for picture in read:
        sha = sha256_bytes(picture.stored)
        if sha in known_sha:
            raise ImportProblem(f"{picture.path.name}: this picture is already in the corpus as "
                                f"{known_sha[sha]!r} (nothing was imported)")
        new_id = free_name(document_id or slug(name(picture.path.stem), 48) or "picture", taken_ids)
        taken_ids.add(new_id)
        known_sha[sha] = new_id
        stored = f"corpus/pictures/{new_id}{_EXTENSIONS[picture.format]}"
        files[stored] = picture.stored
        files[f"private/originals/{new_id}{picture.path.suffix.lower()}"] = picture.original
        rows.append({
            "document_id": new_id, "title": name(title or picture.path.stem), "file": stored,
            "format": picture.format, "width": str(picture.width), "height": str(picture.height),
            "orientation": str(picture.orientation), "taken": picture.taken, "date": date,
            "source": name(picture.path.name), "sha256": sha, "original_sha256": picture.original_sha256,
            "stripped": "; ".join(picture.stripped), **variables})
        link_rows += [{"document_id": new_id, "linked_id": other, "relation": ""} for other in links]
        report.document_ids.append(new_id)
        report.stripped[new_id] = picture.stripped
        what = "; ".join(picture.stripped) if picture.stripped else "no metadata found"
        note = f"; {picture.note}" if picture.note else ""
        report.messages.append(f"{picture.path.name}: imported as {new_id!r} (picture, {picture.width} x "
                               f"{picture.height} upright, orientation {picture.orientation}{note}); "
                               f"stripped: {what}")
    written: list[Path] = []
    try:
        for relative, data in files.items():
            atomic_write_bytes(project.root / relative, data)
            written.append(project.root / relative)
        if link_rows:
            store.append("links", link_rows)
        store.append("pictures", rows)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return report


def _namer(project: Project, pseudonymise: bool):  # noqa: ANN202
    """A function replacing names in a title or file name with the project's key."""
    if not pseudonymise:
        return lambda value: value
    from raakvlak.corpus.pseudonymise import Pseudonymiser

    key = Pseudonymiser(project.private_dir / "pseudonyms.csv", language=project.language)
    return lambda value: key.text(value)[0] if value else value


# ---------------------------------------------------------------------- reading back
def picture_path(project: Project, document_id: str) -> Path:
    """The stored copy of a picture document."""
    return project.root / MediaStore(project.root).picture(document_id)["file"]


def open_picture(project: Project, document_id: str, fit: tuple[int, int] | None = None) -> Image.Image:
    """The picture upright (EXIF orientation applied): the space of region coordinates.

    ``fit``: the upright size needed at least; a JPEG is then decoded at 1/2, 1/4 or
    1/8 of its size when that still covers it (much faster for a preview).
    """
    from raakvlak.errors import CorpusError

    path = picture_path(project, document_id)
    try:
        with Image.open(path) as image:
            orientation = image.getexif().get(ORIENTATION_TAG, 1)
            if fit is not None:
                image.draft("RGB", fit[::-1] if orientation in (5, 6, 7, 8) else fit)
            if orientation == 1:
                image.load()
                return image
            return ImageOps.exif_transpose(image)
    except FileNotFoundError:
        raise CorpusError(f"{path.name}: the stored picture of {document_id!r} is missing") from None
    except OSError as exc:
        raise CorpusError(f"{path.name}: cannot read the stored picture ({exc})") from None


def preview(project: Project, document_id: str, max_side: int = 1600) -> tuple[bytes, float]:
    """A JPEG of the upright picture at most ``max_side`` pixels wide or high, and its scale.

    ``scale`` is preview pixels per picture pixel (at most 1), so a widget maps a
    rectangle drawn on the preview back to the picture with one division.
    """
    row = MediaStore(project.root).picture(document_id)
    width, height = int(row["width"]), int(row["height"])
    scale = min(1.0, max_side / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = open_picture(project, document_id, fit=size)
    if image.size != size:
        image = image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue(), scale


def crop(project: Project, document_id: str, box: tuple[int, int, int, int], max_side: int = 240,
         image: Image.Image | None = None) -> bytes:
    """A PNG thumbnail of one region (``left, top, right, bottom`` in picture pixels)."""
    image = image if image is not None else open_picture(project, document_id)
    part = image.crop(box).convert("RGB")
    part.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    part.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
