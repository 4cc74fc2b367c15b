"""Benchmark of how fast the command starts: ``raakvlak --help`` and ``raakvlak status``.

Run from the repository root (the example project)::

    .venv/bin/python benchmarks/startup.py [--runs 7]

Targets (issue "The test command passes on every fresh machine, every time, and the
commands start fast"): the wall time of ``raakvlak --help`` at most 1.0x, and of
``raakvlak status`` on the example project at most 2.0x, the wall time of
``python -c "import pandas"`` measured in the same run; both with and without
``PYTHONDONTWRITEBYTECODE=1`` (managed machines set it: then nothing is byte-compiled
unless the installer did it, which ``./run`` asks uv to do).

Each command runs ``--runs`` times in turn with the baseline (interleaved, so a busy
moment of the machine hits all three alike); the median is reported. ``status`` runs
once before timing, so its segments come from the cache as they do for a researcher
on every call but the first. The script prints a report and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TARGETS = {"raakvlak --help": 1.0, "raakvlak status": 2.0}
COMMANDS = {
    "import pandas": [sys.executable, "-c", "import pandas"],
    "raakvlak --help": [str(BIN / "raakvlak"), "--help"],
    "raakvlak status": [str(BIN / "raakvlak"), "status"],
}


def wall(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(runs: int, dont_write_bytecode: bool) -> dict[str, float]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if dont_write_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    for command in COMMANDS.values():  # warm: file cache, segment cache
        wall(command, env)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            times[name].append(wall(command, env))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"startup, median of {args.runs} interleaved runs (wall seconds)")
    for dont_write in (True, False):
        medians = measure(args.runs, dont_write)
        base = medians["import pandas"]
        setting = "PYTHONDONTWRITEBYTECODE=1" if dont_write else "bytecode written  "
        print(f"\n{setting}   baseline python -c 'import pandas': {base:.3f} s")
        for name, target in TARGETS.items():
            ratio = medians[name] / base
            verdict = "met" if ratio <= target else "NOT met"
            print(f"  {name:<16} {medians[name]:.3f} s  = {ratio:.2f}x  (target <= {target:.1f}x: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
