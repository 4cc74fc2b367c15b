"""Listening in a real JupyterLab: click a turn and the recording plays from its time.

Runs notebooks/08_media.ipynb in headless chromium on a copy of the example project
(a generated WAV is attached to a transcript with turn labels when the example has no
recording) and checks the ``<audio>`` element: playing, from the turn's time.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

import pytest

from raakvlak import Project
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.recordings import attach_recording, turn_times

from .browser import ARTIFACTS, run_notebook

pytestmark = pytest.mark.e2e
PLAYING_FROM = """(seconds) => { const a = document.querySelector('.rvr-audio');
  return a && !a.paused && a.currentTime >= seconds - 0.05 && a.currentTime < seconds + 5; }"""


def tone(path: Path, seconds: int = 40, rate: int = 8000) -> None:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
                                   for n in range(seconds * rate)))


def recorded(root: Path, tmp_path: Path) -> str:
    """The transcript whose recording the widget opens first (one attached when none is)."""
    project = Project(root)
    recordings = MediaStore(root).recordings()
    if recordings.empty or not (root / recordings["file"].iloc[0]).exists():
        tone(tmp_path / "overleg.wav")
        attach_recording(project, "online-overleg", tmp_path / "overleg.wav", replace=True)
        recordings = MediaStore(root).recordings()
    return recordings["document_id"].iloc[0]


def test_click_a_turn_to_hear_it_from_its_start(lab, browser, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    document = recorded(lab.root, tmp_path)
    timed = turn_times(Project(lab.root), document).dropna(subset=["time_ms"])
    turn = timed[timed["time_ms"] > 0].iloc[0]
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        run_notebook(page, lab, "08_media.ipynb")
        row = page.locator(f'.rvr-turn[data-turn="{int(turn["turn"])}"]')
        row.wait_for(timeout=60_000)
        page.wait_for_function("() => { const a = document.querySelector('.rvr-audio'); return a && a.readyState >= 1; }",
                               timeout=30_000, polling=200)
        assert row.get_attribute("data-time") == str(int(turn["time_ms"]))
        row.scroll_into_view_if_needed()
        row.locator(".rvr-text").click()
        seconds = int(turn["time_ms"]) / 1000
        page.wait_for_function(PLAYING_FROM, arg=seconds, timeout=10_000, polling=100)
        assert page.locator(".rvr-playing").get_attribute("data-turn") == str(int(turn["turn"]))
        page.locator(".rvr-root").screenshot(path=str(ARTIFACTS / "recording-widget.png"))
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "recording-widget-failure.png"))
        raise
    finally:
        page.close()
