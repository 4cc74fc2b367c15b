"""Benchmark of the REFI-QDA exchange: export and import of a large generated project.

Run from the repository root::

    .venv/bin/python benchmarks/exchange.py [--documents 100] [--codings 50000] [--dir DIR]

Target (issue 7, "Exchange"): exporting a project with 100 documents and 50,000
codings to ``.qdpx`` takes under 10 s, and importing that file into an empty project
takes under 10 s.

The generated project (100 transcripts of 40 speaker turns, a codebook of 24 codes in
two levels, two coders with memos on some codings) goes to a temporary folder of the
system (or inside ``--dir``), never inside the repository; it is removed afterwards. The import runs with
pseudonymisation on (an empty key: only the fixed patterns apply), as a real import
would. The script prints a report and exits 0; it asserts nothing about time (the
machine may be busy).
"""

from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

from raakvlak.coding.codebook import Codebook
from raakvlak.coding.events import CONTEXT
from raakvlak.coding.log import CodingLog
from raakvlak.coding.state import load_state
from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.store import CorpusStore, DocumentRecord
from raakvlak.exchange import export_qdpx, import_qdpx
from raakvlak.project import Project

TARGET_S = 10.0
WORDS = ["de", "het", "een", "en", "van", "ik", "je", "dat", "is", "niet", "op", "te", "zijn", "school",
         "jeugdhulp", "zorg", "leerling", "ouders", "samenwerking", "wijkteam", "regie", "afspraak", "mentor",
         "zorgcoördinator", "gemeente", "beschikking", "plan", "cliënt", "één"]
SPEAKERS = [("Docent 1", "leerkracht"), ("Hulpverlener 1", "jeugdhulpverlener"), ("IB'er 1", "intern begeleider"),
            ("Facilitator 1", "facilitator")]


def _turn(rng: random.Random) -> str:
    speaker, _ = rng.choice(SPEAKERS)
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
    return f"{speaker}: {words[0].upper()}{words[1:]}."


def generate(root: Path, n_documents: int, n_codings: int, seed: int = 0) -> Project:
    """A project with ``n_documents`` transcripts and ``n_codings`` codings by two coders."""
    rng = random.Random(seed)
    project = Project.init(root, name="Benchmark exchange", coders=["anna", "bram"])
    records = []
    for k in range(n_documents):
        text = "\n\n".join(_turn(rng) for _ in range(40)) + "\n"
        records.append(DocumentRecord(
            document_id=f"sessie-{k:03d}", text=text, title=f"Sessie {k}", kind="transcript",
            date="2026-03-12", source=f"sessie-{k:03d}.txt", variables={"site": rng.choice(["PO", "VO", "VSO"])},
            speakers=[{"speaker": s, "role": r} for s, r in SPEAKERS]))
    CorpusStore(project.corpus_dir).add(records)
    book = Codebook.read(project.codebook_path)[0]
    codes = []
    for group in ("barrier", "pattern", "lever"):
        book = book.add_code(group.capitalize(), code_id=group, colour="#336699", status="a_priori",
                             definition=f"Group {group}.")
        for j in range(7):
            code_id = f"{group}.c{j}"
            book = book.add_code(f"{group} {j}", parent=group, code_id=code_id, definition=f"Code {j} of {group}.")
            codes.append(code_id)
    book.save(project.codebook_path)
    for coder in ("anna", "bram"):
        events = []
        for _ in range(n_codings // 2):
            record = rng.choice(records)
            text = record.text
            start = rng.randrange(0, len(text) - 200)
            while text[start].isspace():
                start += 1
            end = start + rng.randint(10, 180)
            while text[end - 1].isspace():
                end -= 1
            event = {"kind": "code", "origin": "manual", "document_id": record.document_id, "start": start,
                     "end": end, "code_id": rng.choice(codes), "quote": text[start:end],
                     "prefix": text[max(0, start - CONTEXT):start], "suffix": text[end:end + CONTEXT],
                     "sha256": fingerprint(text)}
            if rng.random() < 0.05:
                event["memo"] = "Memo bij deze codering."
            events.append(event)
        CodingLog.in_folder(project.logs_dir, coder).append_many(events)
    return project


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix=".bench-exchange-", dir=args.dir))
    try:
        started = time.perf_counter()
        project = generate(folder / "source", args.documents, args.codings)
        print(f"generated {args.documents} documents, {args.codings} codings in "
              f"{time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        path = export_qdpx(project, folder / "project.qdpx")
        export_s = time.perf_counter() - started
        print(f"export .qdpx: {export_s:.2f} s ({path.stat().st_size / 1e6:.1f} MB); target < {TARGET_S:.0f} s: "
              f"{'met' if export_s < TARGET_S else 'NOT met'}")
        empty = Project.init(folder / "target", name="Import")
        started = time.perf_counter()
        report = import_qdpx(empty, path)
        import_s = time.perf_counter() - started
        print(f"import .qdpx: {import_s:.2f} s; target < {TARGET_S:.0f} s: "
              f"{'met' if import_s < TARGET_S else 'NOT met'}")
        state, _ = load_state(empty.logs_dir)
        print(f"imported {len(report.documents)} documents, {len(state.codings)} codings "
              f"({', '.join(f'{c}: {n}' for c, n in sorted(report.codings.items()))}), "
              f"{len(report.unplaced)} unplaced")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
