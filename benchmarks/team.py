"""Benchmark of a team coding one project at once: append latency of four coders vs one.

Run from the repository root::

    .venv/bin/python benchmarks/team.py [--appends 200] [--coders 4] [--pause 50] [--rounds 2] [--dir DIR]

Target (issue 20, "A research team on one project"): with four simulated coders
appending at the same time to one project (separate processes, as four kernels on a
hub are), the median and the 99th percentile of one coder's append latency stay
within 2x of a single coder's, measured in the same run.

One append is what the coding widget does for a click on a code:
:meth:`raakvlak.coding.session.CodingSession.code` (check the span and the code, make
the event, lock the coder's log, write, fsync). Each coder process warms up, waits at
a barrier with the others, then appends ``--appends`` codings with a pause of about
``--pause`` ms between them (drawn uniformly from half to one and a half times it, so
the coders' appends fall together at random): 50 ms is 20 codings a second per coder,
far faster than a person codes, and four coders then really append at the same time.
The single coder and the team take turns (``--rounds`` times each) on the same
project, so disk and machine load fall on both alike.

The same run also measures both without any pause (every coder appending flat out),
and prints it as a stress figure, not against the target: four processes that never
wait on a machine of two cores get half a core each, and their fsyncs queue on one
file system journal, whatever raakvlak does. The project is made in a temporary folder
inside the repository (the disk a project is on) or in ``--dir``, and removed after.
The script prints a report and exits 0; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing as mp
import queue
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from raakvlak import Project
from raakvlak.coding.session import CodingSession
from raakvlak.corpus.canonical import canonicalise
from raakvlak.corpus.store import CorpusStore, DocumentRecord

ROOT = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0
WARM_UP = 5
CODES = ["barrier.regie", "barrier.wait", "barrier.privacy"]
CODEBOOK = "codes:\n" + "".join(f"  - id: {code}\n    label: {{nl: {code}, en: {code}}}\n" for code in CODES)
TURN = ("Docent {n}: De school belt het wijkteam, maar de beschikking duurt weken en niemand "
        "heeft de regie over het plan van het kind.")


def make_project(folder: Path, coders: int) -> Project:
    """A project with one transcript of 200 turns, three codes and ``coders`` coders."""
    project = Project.init(folder, name="Team benchmark", coders=[f"coder-{k}" for k in range(coders)])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    text = canonicalise("\n\n".join(TURN.format(n=n % 9 + 1) for n in range(200)) + "\n")
    CorpusStore(project.corpus_dir).add([DocumentRecord("sessie-1", text, title="Sessie 1", kind="transcript")])
    return project


def coder_process(root: str, coder: str, appends: int, pause: float, barrier, results) -> None:
    """One coder's kernel: warm up, wait for the others, then time every append (ms)."""
    rng = random.Random(coder)
    session = CodingSession(root, coder)
    text = session.text("sessie-1")
    # whole words of the turns (never a speaker label), from where this coder's log ends:
    # the same coding twice is refused, and the coders append again in every round
    spans = [(s + m.start(), s + m.end()) for s, e in session.turns("sessie-1")
             for m in re.finditer(r"[a-z]{4,}", text[s:e])]
    offset = len(Project(root).log(coder).read().events)

    def one(k: int) -> None:
        start, end = spans[(offset + k) % len(spans)]
        session.code("sessie-1", start, end, CODES[k % len(CODES)])

    for k in range(WARM_UP):
        one(k)
    barrier.wait(timeout=120)
    times = []
    for k in range(appends):
        if pause:
            time.sleep(rng.uniform(0.5, 1.5) * pause / 1000)
        began = time.perf_counter()
        one(WARM_UP + k)
        times.append((time.perf_counter() - began) * 1000)
    results.put((coder, times))


def run(root: Path, coders: list[str], appends: int, pause: float) -> list[float]:
    """Latencies (ms) of every append of ``coders`` appending at the same time."""
    context = mp.get_context("spawn")  # a fresh interpreter per coder, as a kernel is
    barrier, results = context.Barrier(len(coders)), context.Queue()
    workers = [context.Process(target=coder_process, args=(str(root), c, appends, pause, barrier, results))
               for c in coders]
    for worker in workers:
        worker.start()
    latencies, done = [], 0
    deadline = time.monotonic() + 600
    while done < len(workers):
        if any(w.exitcode not in (None, 0) for w in workers) or time.monotonic() > deadline:
            for worker in workers:
                worker.kill()
            raise SystemExit("a coder process failed or did not finish (see its traceback above)")
        with contextlib.suppress(queue.Empty):
            latencies.extend(results.get(timeout=1)[1])
            done += 1
    for worker in workers:
        worker.join(timeout=60)
        if worker.exitcode != 0:
            raise SystemExit(f"a coder process failed (exit {worker.exitcode})")
    return latencies


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def report(single: list[float], together: list[float], coders: int, pause: float) -> None:
    """Median and p99 of both, and their ratios (against the target when paced)."""
    print(f"{'paced, about ' + format(pause, '.0f') + ' ms between appends' if pause else 'flat out (stress, no target)'}:")
    for name, values in (("one coder", single), (f"{coders} coders", together)):
        print(f"  {name:>9}: median {statistics.median(values):6.2f} ms, p99 {p99(values):6.2f} ms, "
              f"max {max(values):6.2f} ms")
    for name, ratio in (("median", statistics.median(together) / statistics.median(single)),
                        ("p99", p99(together) / p99(single))):
        verdict = ("within" if ratio <= TARGET_RATIO else "OVER") + f" the target {TARGET_RATIO:.0f}x"
        print(f"  ratio {name} ({coders} coders / one): {ratio:.2f}" + (f"  ({verdict})" if pause else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--appends", type=int, default=200, help="timed appends per coder and round")
    parser.add_argument("--pause", type=float, default=50.0, help="mean ms between one coder's appends")
    parser.add_argument("--coders", type=int, default=4, help="coders appending at once")
    parser.add_argument("--rounds", type=int, default=2, help="turns of the single coder and the team")
    parser.add_argument("--dir", type=Path, default=ROOT, help="where the temporary project goes")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix=".bench-team-", dir=args.dir))
    try:
        project = make_project(folder / "project", args.coders)
        team = [f"coder-{k}" for k in range(args.coders)]
        measured = {}
        for pause in (args.pause, 0.0):
            single: list[float] = []
            together: list[float] = []
            for _ in range(args.rounds):
                single += run(project.root, team[:1], args.appends, pause)
                together += run(project.root, team, args.appends, pause)
            measured[pause] = (single, together)
        events = sum(len(project.log(c).read().events) for c in team)
        expected = 2 * args.rounds * (args.appends + WARM_UP) * (args.coders + 1)
        print(f"appends (CodingSession.code with fsync), {args.appends} per coder and round, "
              f"{args.rounds} rounds; {events} events in the logs (expected {expected})")
        for pause, (single, together) in measured.items():
            report(single, together, args.coders, pause)
        if events != expected:
            print("LOST EVENTS: the logs do not hold every append")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
