"""Durability of the coding log under crashes (SIGKILL) and concurrent writers.

Child processes append through :class:`CodingLog` and report each event id only after
``append`` returned. The parent kills them at random moments; whatever was reported
must be in the log afterwards, and the log must always load.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import raakvlak
from raakvlak.coding.events import complete, encode
from raakvlak.coding.log import TORN, CodingLog

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

CHILD = r"""
import sys
from raakvlak.coding.log import CodingLog
from raakvlak.coding.events import code_event

logs, coder, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = "Mentor: de school belt het wijkteam, maar de beschikking duurt weken.\n" * 40
log = CodingLog.in_folder(logs, coder)
print("ready", flush=True)
if sys.stdin.readline().strip() != "go":
    sys.exit(1)
for k in range(limit):
    start = (7 * k) % 2000
    event = log.append(code_event("interview-01", text, start, start + 25, f"code-{k % 7}"))
    print(event["id"], flush=True)
"""


def _spawn(logs: Path, coder: str, limit: int) -> subprocess.Popen:
    src = str(Path(raakvlak.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(logs), coder, str(limit)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    return child


def _reported(output: str) -> list[str]:
    """The ids a child printed completely (a line cut by the kill does not count)."""
    lines = output.split("\n")
    return [line for line in lines[:-1] if line]  # the last piece has no newline yet


def _check_problems(problems: list, torn_lines: list[int], kills: int) -> None:
    """Only torn lines: the ones made on purpose, plus at most one per kill."""
    assert all(p.message == TORN for p in problems), [str(p) for p in problems]
    numbers = [p.line_number for p in problems]
    assert set(torn_lines) <= set(numbers)
    assert len(numbers) - len(torn_lines) <= kills


def test_every_returned_append_survives_sigkill_and_the_log_always_loads(tmp_path: Path) -> None:
    rng = random.Random(20261122)
    logs = tmp_path / "coding" / "logs"
    log = CodingLog.in_folder(logs, "anna")
    reported: list[str] = []
    torn_lines: list[int] = []  # line numbers of the torn lines we made on purpose
    kills = 30
    began = time.monotonic()
    for round_ in range(kills):
        child = _spawn(logs, "anna", limit=100_000)
        child.stdin.write("go\n")
        child.stdin.flush()
        time.sleep(rng.uniform(0.0, 0.08))
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate(timeout=30)
        assert child.returncode == -signal.SIGKILL
        reported += _reported(output)

        read = log.read()  # loads after every kill; a kill may tear at most one line
        _check_problems(read.problems, torn_lines, round_ + 1)
        if round_ % 5 == 4:  # a power cut mid-write: only part of a line reached the disk
            line = encode(complete({"kind": "uncode", "target": reported[-1]}, "anna"))
            with log.path.open("ab") as handle:
                handle.write(line[: rng.randrange(1, len(line) - 1)])
            torn_lines.append(log.path.read_bytes().count(b"\n") + 1)
    elapsed = time.monotonic() - began

    read = log.read()
    ids = [event["id"] for event in read.events]
    assert len(reported) > kills  # the children really got to append
    assert set(reported) <= set(ids)
    assert len(ids) == len(set(ids))
    assert len(ids) - len(reported) <= kills  # at most one unreported append per kill
    _check_problems(read.problems, torn_lines, kills)
    print(f"{kills} kills, {len(reported)} reported appends, {len(ids)} events, {elapsed:.1f} s")


def test_two_writers_as_one_coder_lose_and_interleave_nothing(tmp_path: Path) -> None:
    logs = tmp_path / "coding" / "logs"
    children = [_spawn(logs, "anna", limit=300) for _ in range(2)]
    for child in children:  # start both at once, after their imports
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0, 0], [err for _, err in outputs]
    reported = [_reported(out) for out, _ in outputs]
    assert [len(r) for r in reported] == [300, 300]

    read = CodingLog.in_folder(logs, "anna").read()
    assert read.problems == []
    ids = [event["id"] for event in read.events]
    assert len(ids) == 600 and set(ids) == set(reported[0]) | set(reported[1])
    raw = (logs / "anna.jsonl").read_bytes()
    assert raw.count(b"\n") == 600 and raw.endswith(b"\n")
    # each writer's events keep their own order in the shared file
    for mine in reported:
        positions = [ids.index(event_id) for event_id in mine]
        assert positions == sorted(positions)
