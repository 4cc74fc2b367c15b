"""Make the example project's media (EXAMPLE DATA): four pictures of brick models and a recording.

The pictures are *rendered*, not photographed: isometric brick models drawn with Pillow
after four models described in the fictional workshop notes (``workshop-verhalen``):
two islands with a half-built bridge, a meeting table with too few chairs, a castle
behind a moat with a queue, a crossroads with a traffic agent. No people, no faces. To
show what an import strips, each JPEG carries the EXIF a phone would write (camera,
time taken, an invented GPS position); one is stored on its side with EXIF orientation 6.

The recording is the start of ``als-a-sessie-1`` (the pseudonymised canonical text,
so only pseudonyms are spoken), synthesised turn by turn with Debian's ``espeak-ng``
(voice ``nl``) and joined with short pauses; the start of every turn is written to a
sync point table. It needs ``espeak-ng`` and ``sox``; tests never run this script, they
use the committed files.

Everything this script makes is released under the MIT licence of raakvlak.

Usage (from the repository root)::

    python examples/make_media.py            # pictures and, with espeak-ng, the recording
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "examples" / "raw" / "media"
SIZE = (1600, 1200)
UNIT, HEIGHT = 58, 40  # screen size of one stud (half-width), one brick height
COLOURS = {"red": (196, 40, 28), "blue": (13, 105, 172), "yellow": (245, 205, 47), "green": (40, 127, 70),
           "white": (242, 243, 242), "grey": (160, 165, 169), "dark": (99, 95, 97), "tan": (215, 197, 153),
           "water": (110, 153, 201), "orange": (218, 133, 64), "brown": (105, 64, 39)}
Brick = tuple[int, int, int, int, int, int, str]  # x, y, z (studs, plates of 1/3), width, depth, height, colour


def shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)  # type: ignore[return-value]


def screen(x: float, y: float, z: float, origin: tuple[int, int]) -> tuple[float, float]:
    return origin[0] + (x - y) * UNIT, origin[1] + (x + y) * UNIT / 2 - z * HEIGHT / 3


def draw_brick(draw: ImageDraw.ImageDraw, brick: Brick, origin: tuple[int, int]) -> None:
    x, y, z, w, d, h, name = brick
    colour = COLOURS[name]
    top = [screen(x, y, z + h, origin), screen(x + w, y, z + h, origin),
           screen(x + w, y + d, z + h, origin), screen(x, y + d, z + h, origin)]
    left = [screen(x, y + d, z + h, origin), screen(x + w, y + d, z + h, origin),
            screen(x + w, y + d, z, origin), screen(x, y + d, z, origin)]
    right = [screen(x + w, y, z + h, origin), screen(x + w, y + d, z + h, origin),
             screen(x + w, y + d, z, origin), screen(x + w, y, z, origin)]
    draw.polygon(left, fill=shade(colour, 0.78), outline=shade(colour, 0.55))
    draw.polygon(right, fill=shade(colour, 0.62), outline=shade(colour, 0.45))
    draw.polygon(top, fill=colour, outline=shade(colour, 0.7))
    for i in range(w):
        for j in range(d):
            cx, cy = screen(x + i + 0.5, y + j + 0.5, z + h, origin)
            rx, ry = UNIT * 0.34, UNIT * 0.17
            draw.rectangle([cx - rx, cy - ry - 7, cx + rx, cy], fill=shade(colour, 0.8))
            draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=shade(colour, 0.8))
            draw.ellipse([cx - rx, cy - ry - 7, cx + rx, cy + ry - 7], fill=shade(colour, 1.12),
                         outline=shade(colour, 0.7))


def render(bricks: list[Brick], plate: tuple[int, int], background: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    for row in range(SIZE[1]):  # a table top: light falls from above
        draw.line([(0, row), (SIZE[0], row)], fill=shade(background, 1.08 - 0.25 * row / SIZE[1]))
    origin = (SIZE[0] // 2 + (plate[1] - plate[0]) * UNIT // 2, 190)
    shadow = Image.new("L", SIZE, 0)
    moved = (origin[0] + 25, origin[1] + 40)
    corners = [(0, 0), (plate[0], 0), plate, (0, plate[1])]
    ImageDraw.Draw(shadow).polygon([screen(x, y, 0, moved) for x, y in corners], fill=110)
    image.paste((40, 40, 40), mask=shadow.filter(ImageFilter.GaussianBlur(18)))
    draw = ImageDraw.Draw(image)
    draw_brick(draw, (0, 0, -1, plate[0], plate[1], 1, "green"), origin)
    for brick in sorted(bricks, key=lambda b: (b[2] > 0 or b[5] > 1, b[0] + b[1] + b[3] + b[4], b[2])):
        draw_brick(draw, brick, origin)
    return image


def tower(x: int, y: int, floors: int, colour: str, w: int = 2, d: int = 2) -> list[Brick]:
    return [(x, y, 3 * k, w, d, 3, colour) for k in range(floors)]


def figure(x: int, y: int, colour: str) -> list[Brick]:
    """A figure of bricks: legs, body, a round-less head block (no face)."""
    return [(x, y, 0, 1, 1, 3, "dark"), (x, y, 3, 1, 1, 3, colour), (x, y, 6, 1, 1, 2, "yellow")]


MODELS: dict[str, tuple[list[Brick], tuple[int, int], str]] = {
    "model-eilanden-brug": ([
        *[(x, y, 0, 1, 1, 1, "water") for x in range(5, 8) for y in range(0, 12)],
        *tower(1, 2, 3, "red", 3, 3), *tower(9, 6, 2, "blue", 3, 3), (9, 6, 6, 3, 3, 1, "white"),
        (4, 4, 3, 2, 2, 1, "grey"), (5, 4, 3, 2, 2, 1, "grey"),  # the half of the bridge that is there
        (10, 1, 0, 1, 1, 6, "brown"), (10, 0, 6, 1, 3, 3, "white"),  # the sign: 'address unknown'
    ], (13, 12), "tan"),
    "model-vergadertafel": ([
        (4, 4, 0, 5, 4, 3, "brown"), (4, 4, 3, 5, 4, 1, "tan"),
        *[(x, 2, 0, 1, 1, 2, "blue") for x in (4, 6, 8)], *[(x, 9, 0, 1, 1, 2, "blue") for x in (4, 6, 8)],
        *[(2, y, 0, 1, 1, 2, "blue") for y in (4, 6)], *[(10, y, 0, 1, 1, 2, "blue") for y in (4, 6)],
        (6, 5, 4, 2, 2, 1, "white"),  # the note for the other seventy-eight
        *figure(0, 0, "orange"),
    ], (12, 11), "tan"),
    "model-kasteel": ([
        *[(x, y, 0, 1, 1, 1, "water") for x in range(2, 11) for y in (2, 10)],
        *[(x, y, 0, 1, 1, 1, "water") for x in (2, 10) for y in range(3, 10)],
        *tower(4, 4, 4, "grey"), *tower(8, 4, 4, "grey"), *tower(4, 8, 3, "grey"), *tower(8, 8, 3, "grey"),
        (5, 5, 0, 4, 4, 6, "grey"), (6, 6, 6, 2, 2, 6, "dark"), (6, 6, 12, 2, 2, 1, "red"),
        (11, 6, 0, 1, 2, 1, "brown"),  # the drawbridge, up
        *[b for k in range(4) for b in figure(12, 1 + 2 * k, "white")],  # the waiting list
    ], (14, 12), "tan"),
    "model-kruispunt": ([
        *[(x, 5, 0, 1, 2, 1, "dark") for x in range(0, 13)], *[(6, y, 0, 2, 1, 1, "dark") for y in range(0, 12)],
        (6, 5, 0, 2, 2, 1, "white"), *figure(6, 5, "blue"),
        (1, 1, 0, 2, 2, 6, "red"), (10, 1, 0, 2, 2, 6, "yellow"), (1, 9, 0, 2, 2, 6, "white"),
        *figure(11, 8, "green"),  # the child at the side, waiting for green
    ], (13, 12), "tan"),
}
TAKEN = {"model-eilanden-brug": "2026:03:04 15:02:11", "model-vergadertafel": "2026:03:04 15:05:40",
         "model-kasteel": "2026:03:04 15:09:03", "model-kruispunt": "2026:03:04 15:14:27"}


def phone_exif(name: str, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Voorbeeldtelefoon"
    exif[0x0110] = "VT-12 (fictief)"
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = TAKEN[name]
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 5.0, 30.0), 3: "E", 4: (5.0, 7.0, 12.0)})  # invented
    return exif.tobytes()


def make_pictures() -> None:
    RAW.mkdir(parents=True, exist_ok=True)
    for name, (bricks, plate, background) in MODELS.items():
        image = render(bricks, plate, COLOURS[background])
        orientation = 1
        if name == "model-kasteel":  # stored on its side, as a phone held upright writes it
            image, orientation = image.transpose(Image.Transpose.ROTATE_90), 6
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=88, exif=phone_exif(name, orientation))
        (RAW / f"{name}.jpg").write_bytes(buffer.getvalue())
        print(f"wrote {RAW / name}.jpg")


RECORDED_TURNS = 7
PAUSE = 0.6


def make_recording() -> None:
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        print("espeak-ng and sox are needed for the recording (apt-get install espeak-ng sox); skipped")
        return
    text = (ROOT / "corpus" / "als-a-sessie-1.txt").read_text(encoding="utf-8")
    sys.path.insert(0, str(ROOT / "src"))
    from raakvlak.corpus.structure import blocks

    turns = [b for b in blocks(text) if b.speaker][:RECORDED_TURNS]
    rows, parts, elapsed = [], [], 0.0
    with tempfile.TemporaryDirectory() as folder:
        for number, turn in enumerate(turns):
            part = Path(folder) / f"{number:02d}.wav"
            subprocess.run(["espeak-ng", "-v", "nl", "-s", "165", "-w", str(part), text[turn.start:turn.end]],
                           check=True)
            resampled = Path(folder) / f"{number:02d}-16k.wav"
            subprocess.run(["sox", str(part), "-r", "16000", "-c", "1", "-b", "16", str(resampled),
                            "pad", "0", str(PAUSE)], check=True)
            rows.append({"position": turn.label_start, "time_ms": round(elapsed * 1000)})
            with wave.open(str(resampled)) as audio:
                elapsed += audio.getnframes() / audio.getframerate()
            parts.append(str(resampled))
        subprocess.run(["sox", *parts, str(RAW / "als-a-sessie-1-begin.wav")], check=True)
    with (RAW / "als-a-sessie-1-begin.sync.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["position", "time_ms"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {RAW / 'als-a-sessie-1-begin.wav'} ({elapsed:.1f} s, {len(rows)} sync points)")


if __name__ == "__main__":
    make_pictures()
    make_recording()
