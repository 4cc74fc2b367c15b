"""Code the example pictures as the fictional coders ``anna`` and ``bram`` (EXAMPLE DATA).

Appends ``region`` events to ``coding/logs/anna.jsonl`` and ``bram.jsonl`` through
:class:`raakvlak.coding.picture_session.PictureSession`, as a coder drawing in the
picture widget would. The rectangles are the screen boxes of the bricks that make each
part of a model (computed with the renderer of ``make_media.py``), widened a little as
a person drawing by hand does; bram draws a bit more loosely than anna, so their
rectangles overlap without being equal, and they disagree on one part: agreement
counts that (``raakvlak.analysis.pictures``).

Usage (from the repository root, after ``python examples/code_example.py --force``,
which writes the logs anew)::

    python examples/code_media.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_media import MODELS, UNIT, screen  # noqa: E402

from raakvlak import Project  # noqa: E402
from raakvlak.coding.picture_session import PictureSession  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# (picture, which bricks (indices into the model), anna's code, bram's code or None, anna's memo)
PARTS = [
    ("model-eilanden-brug", [42, 43], "boundary.object", "boundary.object",
     "De halve brug: het arrangement met één aanbieder; de rest 'ligt nog in de doos'."),
    ("model-eilanden-brug", [44, 45], "barrier.providers", "barrier.providers", "Bordje: onbekend adres."),
    ("model-eilanden-brug", list(range(36, 42)), "boundary.identification.coexistence",
     "gerdes.proximity.organisational", ""),
    ("model-vergadertafel", [0, 1], "barrier.providers", "barrier.providers",
     "Twaalf stoelen voor negentig aanbieders."),
    ("model-vergadertafel", [12], "barrier.providers", None, "Het briefje voor de rest."),
    ("model-kasteel", list(range(0, 32)), "barrier.privacy", "barrier.privacy", "De gracht is de privacy."),
    ("model-kasteel", list(range(50, 62)), "barrier.beschikking", "barrier.follow_up",
     "De rij voor de poort: de wachtlijst achter de beschikking."),
    ("model-kruispunt", [25, 26, 27, 28], "barrier.laws", "barrier.laws", "De agent tussen de wetten."),
    ("model-kruispunt", [32, 33, 34], "damour.shared_goals.client_centred", "barrier.laws", ""),
]


def box_of(picture: str, indices: list[int], margin: int) -> tuple[int, int, int, int]:
    """The screen box of some bricks of a rendered model (as make_media draws them)."""
    bricks, plate, _ = MODELS[picture]
    origin = (1600 // 2 + (plate[1] - plate[0]) * UNIT // 2, 190)
    points = []
    for index in indices:
        x, y, z, w, d, h, _ = bricks[index]
        for cx in (x, x + w):
            for cy in (y, y + d):
                for cz in (z, z + h + 1):
                    points.append(screen(cx, cy, cz, origin))
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (int(min(xs)) - margin, int(min(ys)) - margin, int(max(xs)) + margin, int(max(ys)) + margin)


def main() -> int:
    project = Project(ROOT)
    anna, bram = PictureSession(project, "anna"), PictureSession(project, "bram")
    if len(anna.state.regions) or len(bram.state.regions):
        print("the logs already hold region codings; run examples/code_example.py --force first")
        return 1
    for picture, indices, anna_code, bram_code, memo in PARTS:
        anna.code_region(picture, box_of(picture, indices, 6), anna_code, memo=memo or None)
        if bram_code is not None:
            left, top, right, bottom = box_of(picture, indices, 18)
            bram.code_region(picture, (left - 9, top + 5, right + 4, bottom + 12), bram_code)
    bram.memo_picture("model-kasteel", "Voorbeelddata: fictieve codeur. Kasteel staat gekanteld opgeslagen.")
    print(f"anna: {len(anna.regions())} regions, bram: {len(bram.regions())} regions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
