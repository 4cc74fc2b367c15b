"""Recordings beside transcripts: attach, where they are kept, when each turn is heard."""

from __future__ import annotations

import io
import wave

import pytest

from raakvlak import Project
from raakvlak.cli import main
from raakvlak.corpus.mediastore import MediaStore
from raakvlak.corpus.recordings import (
    attach_recording,
    set_sync_point,
    stamp_ms,
    sync_points,
    turn_times,
)
from raakvlak.errors import CorpusError, ImportProblem


def wav_bytes(seconds: float = 2.0, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


@pytest.fixture
def private_project(example_project):
    """The example project as a real study keeps it: no [media] setting, recordings private."""
    settings = example_project.root / "raakvlak.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text[:text.index("[media]")], encoding="utf-8")
    return Project(example_project.root)


@pytest.fixture
def recording(tmp_path):
    path = tmp_path / "overleg.wav"
    path.write_bytes(wav_bytes())
    return path


def test_a_recording_is_private_by_default(private_project, recording):
    row = attach_recording(private_project, "online-overleg", recording)
    assert row["file"] == "private/recordings/online-overleg.wav" and row["private"] == "yes"
    assert (private_project.root / row["file"]).read_bytes() == recording.read_bytes()
    assert row["duration"] == "2.000" and row["kind"] == "audio"
    store = MediaStore(private_project.root)
    assert sorted(store.recordings()["document_id"]) == ["als-a-sessie-1", "online-overleg"]
    with pytest.raises(CorpusError, match="already has a recording"):
        attach_recording(private_project, "online-overleg", recording)
    assert attach_recording(private_project, "online-overleg", recording, replace=True)["sha256"] == row["sha256"]
    assert len(MediaStore(private_project.root).recordings()) == 2


def test_a_project_may_keep_recordings_in_the_corpus(private_project, recording):
    settings = private_project.root / "raakvlak.toml"
    settings.write_text(settings.read_text(encoding="utf-8") + '\n[media]\nrecordings = "corpus"\n', encoding="utf-8")
    row = attach_recording(Project(private_project.root), "online-overleg", recording)
    assert row["file"] == "corpus/recordings/online-overleg.wav" and row["private"] == "no"


@pytest.mark.parametrize("name, data, expected", [
    ("overleg.ogg", b"OggS" + b"\x00" * 60, "not a recording raakvlak can play"),
    ("overleg.wav", b"RIFF\x00\x00\x00\x00WAVEjunk" + b"\x00" * 20, "damaged WAV"),
])
def test_unknown_or_damaged_audio_is_refused_naming_the_file(example_project, tmp_path, name, data, expected):
    (tmp_path / name).write_bytes(data)
    before = MediaStore(example_project.root).recordings()
    with pytest.raises(ImportProblem, match=f"{name}: .*{expected}"):
        attach_recording(example_project, "online-overleg", tmp_path / name)
    assert MediaStore(example_project.root).recordings().equals(before)
    assert not (example_project.root / "corpus" / "recordings" / "online-overleg.wav").exists()


def test_turn_times_come_from_labels(example_project):
    times = turn_times(example_project, "online-overleg")
    text = example_project.corpus.text("online-overleg")
    first = times.iloc[0]
    label = text[first["start"]:first["end"]].split("]")[0].strip("[")
    assert first["time_ms"] == stamp_ms(label) and first["source"] == "label"
    assert times["time_ms"].is_monotonic_increasing


def test_sync_points_give_times_where_the_text_has_none(example_project):
    times = turn_times(example_project, "als-b-sessie-3")
    assert times["time_ms"].isna().all()
    starts = times["start"].tolist()
    set_sync_point(example_project, "als-b-sessie-3", starts[1], 4_000)
    set_sync_point(example_project, "als-b-sessie-3", starts[3], 10_000)
    times = turn_times(example_project, "als-b-sessie-3")
    assert times.loc[1, ["time_ms", "source"]].tolist() == [4_000, "sync point"]
    assert times.loc[2, "source"] == "interpolated" and 4_000 < times.loc[2, "time_ms"] < 10_000
    assert times.loc[4, "time_ms"] > 10_000  # after the last point, at the last rate
    assert times.loc[0, "time_ms"] is pd_na()  # before the first point: unknown
    with pytest.raises(CorpusError, match="backwards"):
        set_sync_point(example_project, "als-b-sessie-3", starts[2], 12_000)
    assert sync_points(example_project, "als-b-sessie-3") == [(starts[1], 4_000), (starts[3], 10_000)]


def pd_na():
    import pandas as pd

    return pd.NA


def test_media_command(example_project, recording, capsys):
    root = str(example_project.root)
    assert main(["media", "--project", root, "attach", "online-overleg", str(recording)]) == 0
    assert main(["media", "--project", root, "sync", "als-b-sessie-3", "0", "00:00:02.5"]) == 0
    assert sync_points(example_project, "als-b-sessie-3") == [(0, 2_500)]
    assert main(["media", "--project", root, "times", "als-b-sessie-3"]) == 0
    assert main(["media", "--project", root]) == 0
    out = capsys.readouterr().out
    assert "attached to online-overleg" in out and "2 recording(s), 8 sync point(s)" in out
    assert main(["media", "--project", root, "sync", "als-b-sessie-3", "0", "soon"]) == 1


def test_recording_widget_sets_a_sync_point_for_a_turn(example_project, recording):
    pytest.importorskip("anywidget")
    from raakvlak.widgets.recording import RecordingWidget

    attach_recording(example_project, "als-b-sessie-3", recording)
    widget = RecordingWidget(example_project, "als-b-sessie-3")
    assert widget.view.media == recording.read_bytes() and widget.view.media_type == "audio/wav"
    third = widget.view.turns[2]
    assert third["time_ms"] is None and not third["text"].startswith(third["speaker"])
    widget.view._handle_msg({"content": {"data": {"method": "custom", "content": {
        "type": "sync", "turn": 3, "time_ms": 1500}}}, "buffers": []})
    assert widget.view.turns[2]["time_ms"] == 1500 and widget.view.turns[2]["source"] == "sync point"
    assert sync_points(example_project, "als-b-sessie-3") == [(third["position"], 1500)]
    widget.view._handle_msg({"content": {"data": {"method": "custom", "content": {
        "type": "sync", "turn": 2, "time_ms": 9000}}}, "buffers": []})
    assert "backwards" in widget.view.error
