"""Benchmark of the picture widget: opening a 12-megapixel photo.

Run from the repository root::

    .venv/bin/python benchmarks/picture.py [--runs 7]

Target (issue 19): a 12-megapixel picture opens in the widget in under 1 s. The widget
sends a downscaled JPEG (at most 1600 pixels on the longer side, decoded at a reduced
DCT scale) and keeps every coordinate in full resolution. Measured, Python side, the
median over ``--runs`` of :meth:`PictureWidget.show_picture` (read the table, decode,
scale, encode the preview, send the regions), with ten regions on the picture. The
baseline, measured in the same run on the same file, is what the widget would do
without downscaling: decode the whole picture and encode it at full size.

The photo is generated (4000 x 3000, a gradient with seeded noise, so it compresses
like a photograph rather than a flat colour) and imported into a throw-away project.
The script prints a report and exits 0; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

from raakvlak import Project
from raakvlak.coding.picture_session import PictureSession
from raakvlak.corpus.pictures import import_pictures, open_picture
from raakvlak.widgets.picture import PictureWidget

TARGET_MS = 1000
CODEBOOK = "codes:\n  - id: model\n    label: {nl: Model, en: Model}\n"


def photo(path: Path, size: tuple[int, int] = (4000, 3000)) -> None:
    rng = np.random.default_rng(19)
    width, height = size
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None]
    zero = np.zeros((height, width), dtype=np.float32)
    base = np.stack([zero + 200 * x + 30 * y, zero + 120 + 80 * y * x, zero + 220 - 150 * x], axis=-1)
    noise = rng.normal(0, 18, (height, width, 3)).astype(np.float32)
    pixels = np.clip(base + noise, 0, 255).astype(np.uint8)
    Image.fromarray(pixels, "RGB").save(path, "JPEG", quality=90)


def timed(action, runs: int) -> list[float]:  # noqa: ANN001
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        project = Project.init(root / "bench", name="Bench", coders=["anna"])
        project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
        photo(root / "foto.jpg")
        [picture] = import_pictures(project, [root / "foto.jpg"]).document_ids
        session = PictureSession(project, "anna")
        for k in range(10):
            session.code_region(picture, (100 + 300 * k, 200, 400 + 300 * k, 900), "model")
        widget = PictureWidget(project, "anna")

        def full_size() -> bytes:
            buffer = io.BytesIO()
            open_picture(project, picture).convert("RGB").save(buffer, "JPEG", quality=85)
            return buffer.getvalue()

        opened = timed(lambda: widget.show_picture(picture), args.runs)
        baseline = timed(full_size, args.runs)
        size = (root / "foto.jpg").stat().st_size
        sent, full = len(widget.view.image), len(full_size())
    median, base = statistics.median(opened), statistics.median(baseline)
    print(f"picture: 4000 x 3000 (12.0 megapixels), {size / 1e6:.1f} MB JPEG, 10 regions")
    print(f"open in the widget (preview {widget.view.preview_size[0]} x {widget.view.preview_size[1]}, "
          f"{sent / 1e3:.0f} kB sent): median {median:.0f} ms over {args.runs} runs "
          f"(min {min(opened):.0f}, max {max(opened):.0f})")
    print(f"baseline, whole picture decoded and encoded ({full / 1e6:.1f} MB): median {base:.0f} ms; "
          f"the widget takes {median / base:.2f} of that time and sends {sent / full:.2f} of the bytes")
    print(f"target under {TARGET_MS} ms: {'met' if median < TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
