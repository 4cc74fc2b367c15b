"""Durability of the coding log under crashes (SIGKILL) and concurrent writers.

Child processes append through :class:`CodingLog` and report each event id only after
``append`` returned. The parent kills them at random moments; whatever was reported
must be in the log afterwards, and the log must always load.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from raakvlak.coding.events import code_event, complete, encode
from raakvlak.coding.log import TORN, CodingLog

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL") or "fork" not in multiprocessing.get_all_start_methods(),
    reason="needs POSIX signals and fork",
)
FORK = multiprocessing.get_context("fork") if hasattr(signal, "SIGKILL") else None
TEXT = "Mentor: de school belt het wijkteam, maar de beschikking duurt weken.\n" * 40


def _append_and_report(logs: str, coder: str, limit: int, report: int, go) -> None:
    """Child: append ``limit`` codings; write each id to ``report`` after append returned."""
    log = CodingLog.in_folder(logs, coder)
    go.wait()
    for k in range(limit):
        start = (7 * k) % 2000
        event = log.append(code_event("interview-01", TEXT, start, start + 25, f"code-{k % 7}"))
        os.write(report, (event["id"] + "\n").encode())


class Child:
    """A forked writer (no import time: it shares the parent's modules) and its report pipe."""

    def __init__(self, logs: Path, coder: str, limit: int, go):
        self.read_end, write_end = os.pipe()
        self.process = FORK.Process(
            target=_append_and_report, args=(str(logs), coder, limit, write_end, go)
        )
        self.process.start()
        os.close(write_end)

    def reported(self) -> list[str]:
        """The ids the child wrote completely (a line cut by the kill does not count)."""
        chunks = []
        while chunk := os.read(self.read_end, 1 << 16):
            chunks.append(chunk)
        os.close(self.read_end)
        lines = b"".join(chunks).decode().split("\n")
        return [line for line in lines[:-1] if line]


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
        go = FORK.Event()
        child = Child(logs, "anna", 1_000_000, go)
        go.set()
        time.sleep(rng.uniform(0.005, 0.25))
        os.kill(child.process.pid, signal.SIGKILL)
        child.process.join(timeout=30)
        assert child.process.exitcode == -signal.SIGKILL
        reported += child.reported()

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
    go = FORK.Event()
    children = [Child(logs, "anna", 300, go) for _ in range(2)]
    go.set()  # both start at once
    reported = [child.reported() for child in children]  # until each closes its pipe
    for child in children:
        child.process.join(timeout=60)
    assert [child.process.exitcode for child in children] == [0, 0]
    assert [len(r) for r in reported] == [300, 300]

    read = CodingLog.in_folder(logs, "anna").read()
    assert read.problems == []
    ids = [event["id"] for event in read.events]
    assert len(ids) == 600 and set(ids) == set(reported[0]) | set(reported[1])
    raw = (logs / "anna.jsonl").read_bytes()
    assert raw.count(b"\n") == 600 and raw.endswith(b"\n")
    where = {event_id: k for k, event_id in enumerate(ids)}
    for mine in reported:  # each writer's events keep their own order in the shared file
        positions = [where[event_id] for event_id in mine]
        assert positions == sorted(positions)
    # the writers really ran at the same time: their lines alternate somewhere
    first = set(reported[0])
    switches = sum((a in first) != (b in first) for a, b in zip(ids, ids[1:], strict=False))
    assert switches > 1
