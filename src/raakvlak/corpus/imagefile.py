"""Picture files at the byte level: which format, and a copy without metadata.

A photograph straight from a phone carries more than its pixels: the place where it
was taken (GPS), the camera and its serial number, the owner's name, the time, a
thumbnail, XMP and IPTC blocks. raakvlak stores a picture *without* them, but with
its pixels untouched: the compressed image data of the original are copied byte for
byte (no re-encoding, so no loss), only the metadata segments are left out.

* **JPEG**: the markers are walked from ``SOI`` to ``SOS``. Kept: ``APP0`` JFIF (pixel
  density), ``APP2`` ICC profile (colours), ``APP14`` Adobe (colour transform), the
  tables and frames; everything from ``SOS`` on is copied as it is. Left out: ``APP1``
  (EXIF, XMP), ``APP13`` (IPTC), ``COM`` and every other ``APPn``. When the EXIF
  orientation is not 1, a minimal EXIF block holding only the orientation is written
  back, so the stored picture still shows upright.
* **PNG**: the chunks are walked. Kept: the critical chunks and those that change how
  the pixels look (``tRNS gAMA cHRM sRGB iCCP sBIT pHYs bKGD`` and the APNG chunks).
  Left out: ``eXIf`` (replaced by an orientation-only one when needed), ``tEXt zTXt
  iTXt tIME`` and any other ancillary chunk.

:func:`strip_metadata` returns the copy and a list of what was left out, in words a
researcher can check. Nothing here decodes pixels; :mod:`raakvlak.corpus.pictures`
does that (and refuses damaged files and decompression bombs).

Examples
--------
>>> import io
>>> from PIL import Image
>>> exif = Image.Exif()
>>> exif[0x010F] = "Camera maker"
>>> buffer = io.BytesIO()
>>> Image.new("RGB", (8, 8), "red").save(buffer, "JPEG", exif=exif.tobytes(), comment=b"Jan")
>>> data = buffer.getvalue()
>>> sniff(data)
'jpeg'
>>> copy, stripped = strip_metadata(data)
>>> stripped
['EXIF block: Make', 'comment']
>>> b"Camera maker" in copy, b"Jan" in copy
(False, False)
"""

from __future__ import annotations

import contextlib
import io
import struct
import warnings
import zlib
from collections.abc import Iterator

from PIL import ExifTags, Image

ORIENTATION_TAG = 0x0112
EXIF_IFD = 0x8769
GPS_IFD = 0x8825
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_KEEP_APP = {0xE0: b"JFIF\x00", 0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
             b"sBIT", b"pHYs", b"bKGD", b"acTL", b"fcTL", b"fdAT"}
_APP_NAMES = {0xE1: "EXIF/XMP block", 0xED: "IPTC block (Photoshop)", 0xFE: "comment"}
_PNG_NAMES = {b"tEXt": "text chunk", b"zTXt": "compressed text chunk", b"iTXt": "international text chunk",
              b"tIME": "modification time", b"eXIf": "EXIF chunk"}
_STANDALONE = set(range(0xD0, 0xD8)) | {0x01}  # RSTn and TEM carry no length


class PictureFileError(ValueError):
    """The bytes are not a JPEG or PNG file raakvlak can take apart (damaged or truncated)."""


class PixelProblem(ValueError):
    """A picture whose pixels cannot be decoded: damaged, truncated, or a decompression bomb."""


@contextlib.contextmanager
def checked_image(data: bytes, max_pixels: int, kind: str = "picture") -> Iterator[Image.Image]:
    """The picture in ``data``, opened once its declared size is within ``max_pixels``.

    Whatever goes wrong while it is open (decoding in the ``with`` block included) is a
    :class:`PixelProblem` in words: more pixels than the limit or a decompression bomb
    (refused before decoding), or a damaged or truncated ``kind``.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise PixelProblem(
                        f"declares {width} x {height} pixels, more than the limit of {max_pixels} "
                        "([media] max_pixels): refused as a possible decompression bomb")
                yield image
    except PixelProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PixelProblem(f"refused as a decompression bomb ({exc})") from None
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, RuntimeError, MemoryError) as exc:
        raise PixelProblem(f"damaged or truncated {kind} ({str(exc).strip()})") from None


def sniff(data: bytes) -> str | None:
    """The picture format of ``data`` by its first bytes: ``jpeg``, ``png``, ``heic`` or None.

    Examples
    --------
    >>> sniff(PNG_SIGNATURE + b"rest"), sniff(b"GIF89a"), sniff(b"\\x00\\x00\\x00\\x18ftypheic")
    ('png', None, 'heic')
    """
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
        return "heic"
    return None


def exif_of(data: bytes) -> Image.Exif:
    """The EXIF of a picture (empty when it has none); the pixels are not decoded."""
    import io

    with Image.open(io.BytesIO(data)) as image:
        return image.getexif()


def describe_exif(exif: Image.Exif) -> list[str]:
    """What an EXIF block holds, in words: the GPS location and the tag names.

    Examples
    --------
    >>> exif = Image.Exif()
    >>> exif[0x0110] = "Phone X"
    >>> exif.get_ifd(GPS_IFD)[2] = (52.0, 5.0, 0.0)
    >>> describe_exif(exif)
    ['GPS location (GPSLatitude)', 'Model']
    """
    found = []
    gps = exif.get_ifd(GPS_IFD)
    if gps:
        names = sorted(ExifTags.GPSTAGS.get(tag, f"tag {tag}") for tag in gps)
        found.append(f"GPS location ({', '.join(names)})")
    names = set()
    for tag in exif:
        if tag not in (GPS_IFD, EXIF_IFD):
            names.add(ExifTags.TAGS.get(tag, f"tag 0x{tag:04x}"))
    for tag in exif.get_ifd(EXIF_IFD):
        names.add(ExifTags.TAGS.get(tag, f"tag 0x{tag:04x}"))
    return found + sorted(names)


def orientation_exif(orientation: int) -> bytes:
    """An EXIF block (with its ``Exif\\0\\0`` header) holding only the orientation."""
    exif = Image.Exif()
    exif[ORIENTATION_TAG] = orientation
    return exif.tobytes()


def strip_metadata(data: bytes, orientation: int = 1) -> tuple[bytes, list[str]]:
    """A copy of a JPEG or PNG without its metadata, and what was left out.

    Parameters
    ----------
    data : the bytes of the picture as given.
    orientation : the EXIF orientation (1-8) to keep in the copy; 1 keeps none.

    Returns
    -------
    copy : the picture without metadata; its compressed pixels are the original's.
    stripped : one line per kind of metadata left out (GPS first, then tag names).

    Raises
    ------
    PictureFileError
        When the structure of the file is damaged (a segment or chunk runs past the end).
    """
    kind = sniff(data)
    if kind == "jpeg":
        return _strip_jpeg(data, orientation)
    if kind == "png":
        return _strip_png(data, orientation)
    raise PictureFileError("not a JPEG or PNG file")


def _exif_words(payload: bytes, orientation: int = 1) -> list[str]:
    """The EXIF block of an APP1 segment or eXIf chunk described (its header dropped);
    the orientation is not listed when it is kept (not 1)."""
    try:
        exif = Image.Exif()
        exif.load(payload if payload.startswith(b"Exif\x00\x00") else b"Exif\x00\x00" + payload)
        words = [w for w in describe_exif(exif) if orientation == 1 or w != "Orientation"]
        return words or ["empty EXIF block"]
    except Exception:  # noqa: BLE001 - a damaged block is still left out, and said so
        return ["EXIF block (unreadable)"]


def _strip_jpeg(data: bytes, orientation: int) -> tuple[bytes, list[str]]:
    out = [b"\xff\xd8"]
    stripped: list[str] = []
    position = 2
    inserted = orientation == 1
    while True:
        if position + 4 > len(data) or data[position] != 0xFF:
            raise PictureFileError(f"damaged JPEG: no marker at byte {position}")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE:
            out.append(data[position:position + 2])
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise PictureFileError(f"damaged JPEG: segment 0x{marker:02X} at byte {position} runs past the end")
        segment = data[position:end]
        payload = data[position + 4:end]
        if marker == 0xDA:  # start of scan: the compressed pixels and everything after them
            if not inserted:
                out.append(_app1(orientation_exif(orientation)))
            out.append(data[position:])
            return b"".join(out), stripped
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            wanted = _KEEP_APP.get(marker)
            if wanted is not None and payload.startswith(wanted):
                out.append(segment)
            elif marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
                stripped += [f"EXIF block: {w}" for w in _exif_words(payload, orientation)]
            elif marker == 0xE1 and payload.startswith(b"http://ns.adobe.com/xap/"):
                stripped.append("XMP block")
            else:
                stripped.append(_APP_NAMES.get(marker, f"APP{marker - 0xE0} block"))
        else:
            if not inserted:
                out.append(_app1(orientation_exif(orientation)))
                inserted = True
            out.append(segment)
        position = end


def _app1(exif: bytes) -> bytes:
    return b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def _strip_png(data: bytes, orientation: int) -> tuple[bytes, list[str]]:
    out = [PNG_SIGNATURE]
    stripped: list[str] = []
    position = len(PNG_SIGNATURE)
    while position < len(data):
        if position + 12 > len(data):
            raise PictureFileError(f"damaged PNG: a chunk at byte {position} runs past the end")
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        end = position + 12 + length
        if end > len(data):
            raise PictureFileError(f"damaged PNG: chunk {kind!r} at byte {position} runs past the end")
        if kind in _PNG_KEEP:
            if kind == b"IDAT" and orientation != 1 and not any(part[4:8] == b"eXIf" for part in out):
                out.append(_chunk(b"eXIf", orientation_exif(orientation)[6:]))
            out.append(data[position:end])
        elif kind == b"eXIf":
            stripped += [f"EXIF chunk: {w}" for w in _exif_words(data[position + 8:position + 8 + length], orientation)]
        else:
            stripped.append(_PNG_NAMES.get(kind, f"chunk {kind.decode('latin-1')}"))
        position = end
        if kind == b"IEND":
            break
    return b"".join(out), sorted(set(stripped), key=stripped.index)
