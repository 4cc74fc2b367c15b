"""The coding log: event schema, durable appends, and reading that never fails on a bad line."""

from __future__ import annotations

import copy
import json
import os
import random
import re
import stat
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from raakvlak.coding import events as ev
from raakvlak.coding import log as log_module
from raakvlak.coding.log import TORN, CodingLog, LogProblem, read_log, read_logs
from raakvlak.corpus.canonical import fingerprint
from raakvlak.errors import CodingError, LogError

TEXT = (
    "Mentor: De school belt het wijkteam, maar de beschikking duurt weken.\n"
    "Jeugdhulpverlener: Cliënt en ouders willen één plan 👍 en geen drie.\n"
)


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    return tmp_path / "coding" / "logs"


@pytest.fixture
def anna(logs: Path) -> CodingLog:
    return CodingLog.in_folder(logs, "anna")


def _span(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def _code(word: str = "wijkteam", code_id: str = "regie", **kwargs) -> dict:
    start, end = _span(word)
    return ev.code_event("interview-01", TEXT, start, end, code_id, **kwargs)


# ---------------------------------------------------------------------- building
def test_code_event_takes_quote_context_and_hash_from_the_text() -> None:
    start, end = _span("één plan 👍")
    event = ev.code_event("interview-01", TEXT, start, end, "kennisdeling")
    assert event["quote"] == "één plan 👍" == TEXT[start:end]
    assert event["end"] - event["start"] == 10  # code points: the emoji is one
    assert event["prefix"] == TEXT[start - 40:start] and len(event["prefix"]) == 40
    assert event["suffix"] == " en geen drie.\n"  # fewer than 40 left: up to the end
    assert event["sha256"] == fingerprint(TEXT)
    first = ev.code_event("interview-01", TEXT, 0, 6, "rol")
    assert first["prefix"] == "" and first["quote"] == "Mentor"


@pytest.mark.parametrize(("start", "end"), [(5, 5), (9, 3), (-1, 4), (0, len(TEXT) + 1)])
def test_code_event_refuses_a_span_outside_the_text(start: int, end: int) -> None:
    with pytest.raises(CodingError, match=r"interview-01.*not inside the text"):
        ev.code_event("interview-01", TEXT, start, end, "regie")


def test_append_completes_the_common_fields_and_does_not_touch_its_input(anna: CodingLog) -> None:
    event = _code()
    before = copy.deepcopy(event)
    written = anna.append(event)
    assert event == before
    assert list(written)[:6] == ["v", "id", "coder", "time", "kind", "origin"]
    assert written["v"] == 1 and written["coder"] == "anna" and written["origin"] == "manual"
    assert uuid.UUID(written["id"]).version == 4
    when = datetime.strptime(written["time"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - when) < timedelta(minutes=1)
    assert {k: written[k] for k in before} == before


def test_numpy_integers_are_written_as_plain_integers(anna: CodingLog) -> None:
    start, end = _span("wijkteam")
    event = {**_code(), "start": np.int64(start), "end": np.int32(end)}
    written = anna.append(event)
    assert type(written["start"]) is int and written["start"] == start
    assert anna.read().events == [written]


def test_every_kind_round_trips_byte_for_byte(anna: CodingLog) -> None:
    code = anna.append(_code(memo="Eerste indruk: regie ligt nergens.",
                             detail={"query": "wijkteam", "tool": "autocode"}, origin="autocode"))
    new_text = "Inleiding.\n" + TEXT
    start, end = _span("wijkteam")
    written = [
        code,
        anna.append(ev.uncode_event(code["id"])),
        anna.append(ev.memo_event("project", "", "Samenwerking school–jeugdhulp, ronde 1")),
        anna.append(ev.memo_event("document", "interview-01", "Slechte audio na 10 min.")),
        anna.append(ev.memo_event("code", "regie", "Wie houdt de regie?")),
        anna.append(ev.memo_event("coding", code["id"], "toch twijfel")),
        anna.append(ev.recode_event("merge", "regie", "casusregie")),
        anna.append(ev.recode_event("rename", "casusregie", "regie-casus")),
        anna.append(ev.reanchor_event(code["id"], new_text, start + 11, end + 11)),
    ]
    assert [e["kind"] for e in written] == [
        "code", "uncode", "memo", "memo", "memo", "memo", "recode", "recode", "reanchor"]
    read = anna.read()
    assert read.problems == []
    assert read.events == written
    raw = anna.path.read_bytes()
    assert raw.endswith(b"\n") and raw.count(b"\n") == len(written)
    assert "Cliënt".encode() not in raw  # no text of the document beyond the context...
    assert "één".encode() in raw or b"wijkteam" in raw
    assert "–".encode() in raw  # ...and text is UTF-8, not \\u-escaped
    for line, event in zip(raw.decode("utf-8").splitlines(), written, strict=True):
        assert line == json.dumps(event, ensure_ascii=False, separators=(",", ":"))
        assert list(json.loads(line)) == [k for k in ev.KEY_ORDER[event["kind"]] if k in event]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"start": 20, "end": 20}, "start must be before end"),
        ({"start": -3}, "offsets must be >= 0"),
        ({"start": True}, "'start' of a code event must be an integer"),
        ({"end": 12.0}, "'end' of a code event must be an integer"),
        ({"quote": "wijk"}, "the quote has 4 characters but the span"),
        ({"kind": "tag"}, "unknown kind 'tag'"),
        ({"origin": "magic"}, "unknown origin 'magic'"),
        ({"document_id": "Interview 1"}, "not a slug"),
        ({"code_id": ""}, "code_id is empty"),
        ({"sha256": "abc"}, "not a SHA-256"),
        ({"detail": "query"}, "'detail' of a code event must be an object"),
        ({"colour": "red"}, "unknown field(s) 'colour'"),
        ({"id": "12345"}, "not a UUID"),
        ({"time": "22-11-2026 14:50"}, "not a UTC time"),
    ],
)
def test_append_refuses_an_invalid_event_and_writes_nothing(
    anna: CodingLog, change: dict, message: str
) -> None:
    with pytest.raises(CodingError, match=re.escape(message)):
        anna.append({**_code(), **change})
    assert not anna.path.exists()


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ({"kind": "code", "document_id": "d"}, "code event without the field 'start'"),
        (ev.uncode_event("not-an-id"), "uncode target 'not-an-id' is not an event id"),
        (ev.memo_event("page", "x", "t"), "memo on 'page'"),
        (ev.memo_event("project", "x", "t"), "a project memo has target"),
        (ev.memo_event("coding", "regie", "t"), "is not a coding's event id"),
        (ev.recode_event("split", "a", "b"), "recode action 'split'"),
        (ev.recode_event("merge", "a", "a"), "a recode of 'a' onto itself"),
        ({"kind": "uncode", "target": str(uuid.uuid4()), "coder": "ben"}, "event of coder 'ben'"),
    ],
)
def test_append_refuses_invalid_events_of_each_kind(anna: CodingLog, event: dict, message: str) -> None:
    with pytest.raises(CodingError, match=re.escape(message)):
        anna.append(event)
    assert not anna.path.exists()


def test_an_unwritable_event_is_refused_before_anything_is_written(anna: CodingLog) -> None:
    with pytest.raises(CodingError, match="cannot be written as JSON"):
        anna.append(_code(detail={"score": float("nan")}))
    with pytest.raises(CodingError, match="cannot be written as JSON"):
        anna.append(_code(memo="half a surrogate \ud800"))
    assert not anna.path.exists()


def test_append_many_is_all_or_nothing(anna: CodingLog) -> None:
    anna.append(_code())
    batch = [_code("school"), _code("ouders"), {**_code("plan"), "start": 999}]
    with pytest.raises(CodingError):
        anna.append_many(batch)
    assert len(anna.read().events) == 1
    written = anna.append_many(batch[:2])
    assert [e["quote"] for e in anna.read().events] == ["wijkteam", "school", "ouders"]
    assert anna.append_many([]) == [] and len(written) == 2


def test_appends_are_fsynced_once_per_call_and_a_new_file_syncs_its_folder(
    anna: CodingLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[str] = []
    real_fsync = os.fsync

    def spy(fd: int) -> None:
        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(log_module.os, "fsync", spy)
    anna.append_many([_code(word) for word in ("school", "wijkteam", "ouders", "plan")])
    assert synced == ["file", "dir"]
    anna.append(_code())
    assert synced == ["file", "dir", "file"]


def test_coder_ids_must_be_slugs_and_name_the_file(logs: Path) -> None:
    for bad in ("Anna", "anna bakker", "", "../anna"):
        with pytest.raises(LogError, match="not a slug"):
            CodingLog.in_folder(logs, bad)
    with pytest.raises(LogError, match="must be named anna.jsonl"):
        CodingLog(logs / "ben.jsonl", "anna")


# ---------------------------------------------------------------------- reading
def _problems(read) -> list[tuple[int, str]]:
    return [(p.line_number, p.message) for p in read.problems]


def test_a_missing_or_empty_log_is_an_empty_log(anna: CodingLog) -> None:
    assert anna.read().events == [] and anna.read().problems == []
    anna.path.parent.mkdir(parents=True)
    anna.path.write_bytes(b"")
    assert anna.read().events == [] and anna.read().problems == []


def test_a_torn_last_line_is_reported_skipped_and_kept_as_it_is(anna: CodingLog) -> None:
    first, second = anna.append(_code("school")), anna.append(_code("ouders"))
    whole = ev.encode(ev.complete(_code("plan"), "anna"))
    torn = whole[: len(whole) // 2]  # a crash half-way through a write
    with anna.path.open("ab") as handle:
        handle.write(torn)
    read = anna.read()
    assert read.events == [first, second]
    assert _problems(read) == [(3, TORN)]
    assert str(read.problems[0]) == "coding/logs/anna.jsonl:3: torn line skipped (crash during a write?)"

    third = anna.append(_code("wijkteam"))
    raw = anna.path.read_bytes()
    assert torn + b"\n" + ev.encode(third) in raw  # torn bytes untouched, new event on a fresh line
    read = anna.read()
    assert read.events == [first, second, third]
    assert _problems(read) == [(3, TORN)]


def test_garbage_lines_are_reported_and_later_events_kept(anna: CodingLog) -> None:
    first = anna.append(_code("school"))
    with anna.path.open("ab") as handle:
        handle.write(b"<<<<<<< HEAD\n")
        handle.write(b"[1, 2, 3]\n")
        handle.write(b'{"v":1,"kind":"code"}\n')
        handle.write(b"\n")
        handle.write(b'{"v":1,"id":"0c3f\n')
    later = [anna.append(_code("ouders")), anna.append(ev.memo_event("project", "", "na de merge"))]
    read = anna.read()
    assert read.events == [first, *later]
    lines = _problems(read)
    assert [number for number, _ in lines] == [2, 3, 4, 6]
    assert lines[0][1].startswith("not valid JSON")
    assert lines[1][1] == "invalid event: an event must be a JSON object, not list; line skipped"
    assert lines[2][1].startswith("invalid event: code event without the field 'id'")
    assert lines[3][1] == TORN  # torn in the middle of the file


def test_bytes_that_are_not_utf8_are_reported_per_line(anna: CodingLog) -> None:
    first = anna.append(_code("school"))
    with anna.path.open("ab") as handle:
        handle.write('{"v":1,"note":"Cli\u00ebnt"}\n'.encode("latin-1"))
    last = anna.append(_code("ouders"))
    read = anna.read()
    assert read.events == [first, last]
    assert _problems(read) == [(2, "not UTF-8 (byte 0xeb at column 19); line skipped")]


def test_an_event_of_a_newer_schema_is_skipped_with_advice(anna: CodingLog) -> None:
    first = anna.append(_code())
    future = {**ev.complete(_code("ouders"), "anna"), "v": 2, "colour": "red"}
    with anna.path.open("ab") as handle:
        handle.write(json.dumps(future).encode() + b"\n")
    read = anna.read()
    assert read.events == [first]
    assert "schema version 2" in read.problems[0].message
    assert "update raakvlak" in read.problems[0].message


def test_events_of_another_coder_and_repeated_events_are_skipped(logs: Path, anna: CodingLog) -> None:
    first = anna.append(_code("school"))
    ben_event = ev.complete(_code("ouders"), "ben")
    with anna.path.open("ab") as handle:
        handle.write(ev.encode(ben_event))
        handle.write(ev.encode(first))  # a merge that kept both sides
    read = anna.read()
    assert read.events == [first]
    assert _problems(read) == [
        (2, "event of coder 'ben' in the log of 'anna'; skipped (move it to ben.jsonl)"),
        (3, f"event {first['id']} repeats line 1; the copy is skipped"),
    ]


def test_a_log_edited_on_windows_still_reads(anna: CodingLog) -> None:
    events = [anna.append(_code(word)) for word in ("school", "ouders")]
    anna.path.write_bytes(anna.path.read_bytes().replace(b"\n", b"\r\n"))
    read = anna.read()
    assert read.events == events and read.problems == []


def test_read_logs_reads_every_coder(logs: Path, anna: CodingLog) -> None:
    anna.append(_code())
    ben = CodingLog.in_folder(logs, "ben")
    ben.append(_code("school"))
    ben.append(_code("ouders"))
    (logs / "Kopie van anna.jsonl").write_bytes(anna.path.read_bytes())
    (logs / "notes.txt").write_text("not a log")
    reads = read_logs(logs)
    assert sorted(reads) == ["Kopie van anna", "anna", "ben"]
    assert [len(reads[c].events) for c in ("anna", "ben")] == [1, 2]
    assert "not named after a coder id" in reads["Kopie van anna"].problems[0].message
    assert read_logs(logs / "missing") == {}


def test_a_problem_outside_a_project_shows_the_path_as_given(tmp_path: Path) -> None:
    problem = LogProblem(tmp_path / "anna.jsonl", 4, TORN)
    assert str(problem) == f"{tmp_path / 'anna.jsonl'}:4: {TORN}"


def test_read_log_of_a_folder_raises_a_log_error(tmp_path: Path) -> None:
    (tmp_path / "anna.jsonl").mkdir()
    with pytest.raises(LogError, match="anna.jsonl"):
        read_log(tmp_path / "anna.jsonl")


# ---------------------------------------------------------------------- many at once
def _valid_events(rng: random.Random, n: int) -> list[dict]:
    code_ids: list[str] = []
    made = []
    for _ in range(n):
        draw = rng.random()
        if draw < 0.6 or not code_ids:
            words = ["school", "wijkteam", "ouders", "plan", "beschikking", "één plan 👍"]
            kwargs = {}
            if rng.random() < 0.2:
                kwargs["memo"] = "memo"
            if rng.random() < 0.2:
                kwargs["detail"] = {"query": "x"}
            event = _code(rng.choice(words), rng.choice(["regie", "vertrouwen"]), **kwargs)
        elif draw < 0.75:
            event = ev.uncode_event(rng.choice(code_ids))
        elif draw < 0.85:
            event = ev.memo_event(*rng.choice([("project", ""), ("document", "interview-01"),
                                               ("code", "regie"), ("coding", code_ids[0])]), "tekst")
        elif draw < 0.9:
            event = ev.recode_event("merge", "regie", "vertrouwen")
        else:
            start, end = _span("ouders")
            event = ev.reanchor_event(rng.choice(code_ids), TEXT, start, end)
        full = ev.complete(event, rng.choice(["anna", "ben"]))
        if full["kind"] == "code":
            code_ids.append(full["id"])
        made.append(full)
    return made


_MUTATIONS = [
    lambda e: e.pop("id"),
    lambda e: e.pop("sha256", None),
    lambda e: e.update(v=2),
    lambda e: e.update(v=True),
    lambda e: e.update(v=1.0),
    lambda e: e.update(kind="tag"),
    lambda e: e.update(kind=["code"]),
    lambda e: e.update(origin="magic"),
    lambda e: e.update(origin=None),
    lambda e: e.update(coder="Anna"),
    lambda e: e.update(coder=["anna"]),
    lambda e: e.update(id=e["id"].upper()),
    lambda e: e.update(time=e["time"][:-1]),
    lambda e: e.update(time=7),
    lambda e: e.update(start=-1) if "start" in e else e.update(target=""),
    lambda e: e.update(start=e.get("end", 1)) if "start" in e else e.update(target=None),
    lambda e: e.update(end=float(e["end"])) if "end" in e else e.update(target=1),
    lambda e: e.update(start=False) if "start" in e else e.pop("target", None),
    lambda e: e.update(quote=e["quote"] + "x") if "quote" in e else e.update(text=3),
    lambda e: e.update(quote={}) if "quote" in e else e.update(on="page"),
    lambda e: e.update(prefix=None) if "prefix" in e else e.update(action="split"),
    lambda e: e.update(suffix=5) if "suffix" in e else e.update(source=""),
    lambda e: e.update(memo=1) if e["kind"] == "code" else e.update(target="x"),
    lambda e: e.update(detail=[]) if e["kind"] == "code" else e.update(prefix=1),
    lambda e: e.update(document_id="A B") if e["kind"] == "code" else e.update(suffix=[]),
    lambda e: e.update(document_id=None) if e["kind"] == "code" else None,
    lambda e: e.update(code_id="") if e["kind"] == "code" else None,
    lambda e: e.update(code_id=3) if e["kind"] == "code" else None,
    lambda e: e.update(sha256=e["sha256"].upper()) if "sha256" in e else None,
    lambda e: e.update(extra="allowed when reading"),
]


@pytest.mark.parametrize("seed", range(12))
def test_checking_many_events_at_once_agrees_with_checking_one_by_one(seed: int) -> None:
    rng = random.Random(seed)
    events = _valid_events(rng, 400)
    mutations = 0 if seed == 0 else rng.choice([1, 3, 20])
    for _ in range(mutations):
        event = rng.choice(events)
        rng.choice(_MUTATIONS)(event)
    if seed % 4 == 3:
        events[rng.randrange(len(events))] = rng.choice([[1, 2], "text", 7, None])
    decoded = json.loads(json.dumps(events))  # as a reader sees them
    expected = {i: ev.problem(e) for i, e in enumerate(decoded) if ev.problem(e) is not None}
    assert ev.find_problems(decoded) == expected
    assert (expected == {}) == (seed == 0)  # the unmutated batch really is all valid


@pytest.mark.parametrize("mutation", range(len(_MUTATIONS)))
def test_every_mutation_alone_is_caught_in_a_big_valid_batch(mutation: int) -> None:
    rng = random.Random(mutation)
    events = json.loads(json.dumps(_valid_events(rng, 300)))
    kinds = ("code", "uncode", "reanchor", "memo", "recode")
    for kind in kinds:
        batch = copy.deepcopy(events)
        victims = [i for i, e in enumerate(batch) if e["kind"] == kind]
        index = victims[len(victims) // 2]
        _MUTATIONS[mutation](batch[index])
        expected = {i: ev.problem(e) for i, e in enumerate(batch) if ev.problem(e) is not None}
        assert ev.find_problems(batch) == expected


def test_an_append_waiting_while_the_log_is_replaced_goes_into_the_new_file(anna):
    """``git merge`` (raakvlak sync) writes a merged log as a new file while a kernel may
    wait for the lock of the old one: the append must land in the file that is read."""
    import threading

    first = anna.append(ev.memo_event("project", "", "voor de merge"))
    fd = log_module.open_locked(anna.path)  # the sync holds the log while git replaces it
    done: list[dict] = []
    waiting = threading.Thread(target=lambda: done.append(
        anna.append(ev.memo_event("project", "", "tijdens de merge"))))
    waiting.start()
    waiting.join(0.3)
    assert waiting.is_alive()  # it waits for the lock
    merged = anna.path.with_name("merged.tmp")
    merged.write_bytes(anna.path.read_bytes())
    os.replace(merged, anna.path)
    log_module.unlock_fd(fd)
    os.close(fd)
    waiting.join(10)
    assert [e["id"] for e in anna.read().events] == [first["id"], done[0]["id"]]


def test_a_new_log_follows_the_umask(anna):
    """A team's shared folder: with umask 002 a new log is writable for the group."""
    old = os.umask(0o002)
    try:
        anna.append(ev.memo_event("project", "", "groep"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(anna.path.stat().st_mode) == 0o664
