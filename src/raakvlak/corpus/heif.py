"""HEIC and HEIF pictures (phone photos): read with pillow-heif, stored as a lossless PNG.

A decision (ARCHITECTURE.md, fixed decision 4b): the stored copy of a HEIC picture,
``corpus/pictures/<id>.png``, is a **lossless PNG of the upright picture**, without
metadata; the HEIC file as given is kept, like every original, in
``private/originals/`` (git-ignored), its fingerprint in ``original_sha256``.

Why not strip the HEIC itself, as JPEG and PNG are stripped byte for byte
(:mod:`raakvlak.corpus.imagefile`)? A HEIF file is a tree of boxes whose item
locations (``iloc``) point at byte offsets: leaving out the EXIF and XMP items means
rewriting those offsets, and phones put more in it than one picture (thumbnails, depth
maps, HDR gain maps, sometimes the location in an XMP item), which a hand-made rewriter
would have to find all of. Re-encoding as HEIC again or as JPEG would lose detail.
Decoding once and writing PNG keeps every decoded pixel as it is (lossless from here
on), keeps nothing but the pixels and the colour profile, and gives a file that every
tool raakvlak hands pictures to (browsers, Word reports, REFI-QDA programs) can read
without a HEIC reader. The price is size: a 12-megapixel photo becomes a PNG of some
15-25 MB instead of 2-3 MB. The orientation (HEIF's own rotation and mirroring, and
the EXIF orientation the phone wrote) is applied to the pixels, so the PNG needs no
orientation tag; ``orientation`` in ``pictures.csv`` still says what the phone wrote.

Examples
--------
>>> import io
>>> from PIL import Image
>>> import pillow_heif
>>> exif = Image.Exif()
>>> exif[0x0112] = 6                      # taken with the phone on its side
>>> exif.get_ifd(0x8825)[2] = (52.0, 5.0, 0.0)   # and a GPS position
>>> pillow_heif.register_heif_opener()
>>> buffer = io.BytesIO()
>>> Image.new("RGB", (64, 48), "red").save(buffer, "HEIF", exif=exif.tobytes())
>>> read = read_heif(buffer.getvalue())
>>> read.size, read.orientation, read.stripped[:1]
((48, 64), 6, ['EXIF block: GPS location (GPSLatitude)'])
>>> Image.open(io.BytesIO(read.png)).getexif().get_ifd(0x8825)
{}
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from PIL import Image

from raakvlak.corpus.imagefile import ORIENTATION_TAG, checked_image, describe_exif, strip_metadata


@dataclass
class HeifRead:
    """A HEIC picture decoded: its stored copy (a PNG) and what the original said."""

    png: bytes
    size: tuple[int, int]
    orientation: int
    exif: Image.Exif
    stripped: list[str] = field(default_factory=list)


def _register() -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()


def read_heif(data: bytes, max_pixels: int = 100_000_000) -> HeifRead:
    """Decode a HEIC/HEIF picture upright and make its stored copy, a lossless PNG.

    Parameters
    ----------
    data : the bytes of the ``.heic`` file as given.
    max_pixels : a picture declaring more pixels is refused (a decompression bomb).

    Returns
    -------
    HeifRead
        ``png`` (the stored copy: upright pixels and the ICC colour profile, nothing
        else), ``size`` (upright), ``orientation`` (what the phone wrote, 1-8), ``exif``
        (the original's, for the date taken) and ``stripped`` (what was left out, in
        words: GPS first, then EXIF tag names, XMP, thumbnails, depth and other images).

    Raises
    ------
    PixelProblem
        When the file cannot be decoded or declares more than ``max_pixels`` pixels.
    """
    _register()
    with checked_image(data, max_pixels, "HEIC picture") as image:
        image.load()
        info = dict(image.info)
        exif = image.getexif()
        upright = image.copy()
    orientation = info.get("original_orientation") or exif.get(ORIENTATION_TAG, 1)
    if not isinstance(orientation, int) or not 1 <= orientation <= 8:
        orientation = 1
    stripped = _what_is_left_out(exif, info, orientation)
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA" if "A" in upright.getbands() else "RGB")
    buffer = io.BytesIO()
    extra = {"icc_profile": info["icc_profile"]} if info.get("icc_profile") else {}
    upright.save(buffer, "PNG", **extra)
    png, left = strip_metadata(buffer.getvalue())  # nothing should be there: made sure
    return HeifRead(png, upright.size, orientation, exif, stripped + left)


def _what_is_left_out(exif: Image.Exif, info: dict, orientation: int) -> list[str]:
    """What the original HEIC holds besides the pixels, in words."""
    words = [f"EXIF block: {w}" for w in describe_exif(exif) if w != "Orientation"]
    if orientation != 1:
        words.append("EXIF block: Orientation (applied to the pixels)")
    if info.get("xmp"):
        words.append("XMP block")
    for key, name in (("thumbnails", "thumbnail"), ("depth_images", "depth image"),
                      ("aux", "auxiliary image (e.g. HDR gain map)"), ("metadata", "other metadata block")):
        if info.get(key):
            words.append(name)
    if info.get("nclx_profile") and not info.get("icc_profile"):
        words.append("colour description (nclx; the PNG is in the decoded RGB values)")
    return words
