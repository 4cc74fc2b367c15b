"""Benchmark of the coding pane: view model + HTML for a long, densely coded transcript.

Run from the repository root::

    .venv/bin/python benchmarks/widget.py [--words 50000] [--codings 2000] [--runs 7]

Target (issues 4 and 16): building the view model and the HTML of a 50,000-word
transcript with 2,000 codings, the margin with its code bars on (as the coding widget
shows it), takes under 300 ms (median), Python side.
The other number of that issue, from the click on a code to the highlight in the
browser, is printed by ``pytest -m e2e tests/e2e -s``.

The transcript is generated (Dutch-looking words, speaker turns with timestamps, an
emoji now and then so the UTF-16 conversion has work to do); the codings are random
spans of 1-40 words, many of them overlapping. The script prints a report and exits 0;
it asserts nothing about time (the machine may be busy).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import pandas as pd

from raakvlak.coding.codebook import Codebook
from raakvlak.corpus.canonical import canonicalise
from raakvlak.corpus.structure import blocks
from raakvlak.widgets.render import document_view, render_document

TARGET_MS = 300
SPEECH = ("de regie ligt bij de gemeente maar niemand pakt het op ik heb de ouders gebeld "
          "en de school wacht op een beschikking van het wijkteam dat duurt weken 😀 "
          "zorgplicht leerplicht thuiszitter jeugdhulp privacy AVG afspraken")
WORDS = tuple(SPEECH.split(" "))
SPEAKERS = ("Docent 1", "Hulpverlener 1", "IB'er 1", "Facilitator 1", "Gemeente 1")


def transcript(words: int, rng: random.Random) -> str:
    turns, written, seconds = [], 0, 0
    while written < words:
        length = rng.randint(5, 60)
        said = " ".join(rng.choice(WORDS) for _ in range(length))
        stamp = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        turns.append(f"[{stamp}] {rng.choice(SPEAKERS)}: {said[0].upper()}{said[1:]}.")
        written += length
        seconds += rng.randint(3, 40)
    return canonicalise("\n\n".join(turns))


def segments(text: str) -> pd.DataFrame:
    rows = [{"document_id": "bench", "segment_id": f"bench:{n}", "level": "turn",
             "start": b.start, "end": b.end, "speaker": b.speaker, "role": "",
             "timestamp": b.timestamp, "text": text[b.start:b.end]}
            for n, b in enumerate(blocks(text), start=1)]
    return pd.DataFrame(rows)


def codebook(codes: int = 30) -> Codebook:
    lines = ["codes:"]
    for group in range(3):
        lines += [f"  - id: g{group}", f"    label: {{nl: Groep {group}, en: Group {group}}}",
                  f'    colour: "#{(group * 0x3a5f17 + 0x204080) % 0xFFFFFF:06x}"', "    children:"]
        for k in range(codes // 3):
            lines += [f"      - id: g{group}.c{k}", f"        label: {{nl: Code {k}, en: Code {k}}}"]
    return Codebook.from_text("\n".join(lines) + "\n", path="bench.yaml")


def codings(text: str, count: int, book: Codebook, rng: random.Random) -> pd.DataFrame:
    starts = [i + 1 for i, ch in enumerate(text) if ch == " "]
    ids = [c.id for c in book if c.parent]
    rows = []
    for n in range(count):
        first = rng.randrange(len(starts) - 41)
        start = starts[first]
        end = starts[first + rng.randint(1, 40)] - 1
        rows.append({"event_id": f"e{n:05d}", "coder": "anna", "document_id": "bench",
                     "start": start, "end": end, "code_id": rng.choice(ids),
                     "quote": text[start:end], "memo": ""})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=50_000)
    parser.add_argument("--codings", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(4)
    text = transcript(args.words, rng)
    turns = segments(text)
    book = codebook()
    coded = codings(text, args.codings, book, rng)
    times, size = [], 0
    for _ in range(args.runs):
        started = time.perf_counter()
        view = document_view(text, turns, coded, book, document_id="bench", coder="anna")
        html = render_document(view, margin=True)
        times.append((time.perf_counter() - started) * 1000)
        size = len(html)
    median = statistics.median(times)
    print(f"transcript: {len(text.split()):,} words, {len(turns):,} turns, "
          f"{len(text):,} code points; {len(coded):,} codings; up to {view.lanes} lanes")
    print(f"view model + HTML with the margin: median {median:.0f} ms over {args.runs} runs "
          f"(min {min(times):.0f}, max {max(times):.0f}); HTML {size / 1e6:.2f} MB")
    print(f"target under {TARGET_MS} ms: {'met' if median < TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
