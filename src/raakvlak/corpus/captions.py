"""Caption files (WebVTT and SubRip) as speaker turns.

Online meetings export their recording's transcript as WebVTT (Teams writes the
speaker as a voice tag ``<v Marieke de Vries>``, Zoom as a ``Marieke de Vries:``
prefix); video tools write SubRip (.srt). Cues are fragments of a few seconds: this
module parses them, finds the speaker of each and merges consecutive cues of one
speaker into one :class:`~raakvlak.corpus.transcript.Turn` that carries the time
of its first cue.

Broken timing or structure raises :class:`~raakvlak.errors.ImportProblem` naming
the line; a cue without any text is skipped and reported, since nothing is lost.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from raakvlak.corpus.transcript import NOT_SPEAKERS, Turn, speaker_key
from raakvlak.errors import ImportProblem

_VTT_TIME = r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})"
_SRT_TIME = r"(\d{1,3}):([0-5]?\d):([0-5]?\d),(\d{1,3})"
_VTT_TIMING = re.compile(rf"^\s*{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t].*)?$")
_SRT_TIMING = re.compile(rf"^\s*{_SRT_TIME}[ \t]*-->[ \t]*{_SRT_TIME}(?:[ \t].*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<\d[\d:.]*>|\{\\[^}]*\}")
_COLON_SPEAKER = re.compile(r"^\s*([^\W\d_][\w'’.\-]*(?:[ \t]+[\w'’.\-]+){0,3})[ \t]*:[ \t]+")


@dataclass(frozen=True)
class Cue:
    """One cue: its start (seconds), the line it starts on and its text lines (tags kept)."""

    start: float
    line: int
    lines: tuple[str, ...]


def read_captions(text: str, name: str, suffix: str) -> tuple[list[Turn], list[str]]:
    """Parse WebVTT (``suffix == ".vtt"``) or SubRip (``".srt"``) text into turns.

    Parameters
    ----------
    text : the decoded file.
    name : the file name, for messages and errors.
    suffix : ``".vtt"`` or ``".srt"``.

    Returns
    -------
    turns, messages
        One turn per run of cues of one speaker. A speaker comes from a voice tag
        (``<v Name>``, ``<v.loud Name>``) or a ``Name:`` prefix on the cue's first
        line (prefixes count only when at least two cues carry one); a cue with
        neither continues the previous speaker. When no cue names a speaker, every
        cue becomes a turn of its own with speaker ``""``. Tags, karaoke timestamps
        and entities are removed; a cue's lines are joined by a space.

    Raises
    ------
    ImportProblem
        On a missing WEBVTT header, text without a timing line, broken or
        doubled timing lines, or a file without cues; the message names the line.
    """
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if suffix == ".vtt":
        cues, skipped = _parse_vtt(lines, name)
    else:
        cues, skipped = _parse_srt(lines, name)
    messages = []
    if skipped:
        where = ", ".join(str(n) for n in skipped[:5]) + (" ..." if len(skipped) > 5 else "")
        messages.append(f"skipped {len(skipped)} cue(s) without text (line {where})")
    if not cues:
        raise ImportProblem(f"{name}: holds no captions (no cue with text); check the export")
    segments = _speaker_segments(cues)
    segments, repeated = _drop_rolling_repeats(segments)
    if repeated:
        messages.append(f"removed {repeated} caption line(s) repeated from the cue before (rolling captions)")
    if any(speaker for _, speaker, _ in segments):
        turns = _merge(segments)
    else:
        turns = [Turn("", " ".join(texts), _clock(start)) for start, _, texts in segments if texts]
        messages.append(
            "no speaker names in the captions (no <v Name> tags or 'Name:' prefixes); "
            "each cue is kept as a paragraph with its start time"
        )
    return turns, messages


def _blocks(lines: list[str], start: int) -> Iterator[tuple[int, list[str]]]:
    """The blocks of non-blank lines from line index ``start`` on, with the index of
    each block's first line."""
    i = start
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        first = i
        while i < len(lines) and lines[i].strip():
            i += 1
        yield first, lines[first:i]


# ---------------------------------------------------------------------- WebVTT
def _parse_vtt(lines: list[str], name: str) -> tuple[list[Cue], list[int]]:
    first = lines[0] if lines else ""
    if not re.match(r"WEBVTT(?:[ \t].*)?$", first):
        raise ImportProblem(
            f"{name}: line 1 must read 'WEBVTT' (the WebVTT header); add that line, "
            f"or save the file as .srt if it is SubRip"
        )
    i = 1
    # the header runs to the first blank line (a timing line also ends it)
    while i < len(lines) and lines[i].strip() and "-->" not in lines[i]:
        i += 1
    cues: list[Cue] = []
    skipped: list[int] = []
    for block_start, block in _blocks(lines, i):
        if re.match(r"(NOTE|STYLE|REGION)(?:[ \t]|$)", block[0]):
            continue
        if "-->" in block[0]:
            timing_at = 0
        elif len(block) > 1 and "-->" in block[1]:
            timing_at = 1  # the first line is the cue identifier
        else:
            raise ImportProblem(
                f"{name}: line {block_start + 1} has text without a cue timing "
                f"('00:00:01.000 --> 00:00:04.000') above it; add the timing or remove the text"
            )
        _cues_of_block(block[timing_at:], block_start + timing_at, name, _VTT_TIMING,
                       "hh:mm:ss.ttt --> hh:mm:ss.ttt", cues, skipped)
    return cues, skipped


# ---------------------------------------------------------------------- SubRip
def _parse_srt(lines: list[str], name: str) -> tuple[list[Cue], list[int]]:
    cues: list[Cue] = []
    skipped: list[int] = []
    for block_start, block in _blocks(lines, 0):
        timing_at = 1 if block[0].strip().isdigit() else 0
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            where = f"cue number {block[0].strip()} is not followed by a timing line" if timing_at \
                else "text without a cue number and timing line above it"
            raise ImportProblem(
                f"{name}: line {block_start + 1}: {where} ('00:00:01,000 --> 00:00:04,000'); "
                f"repair the cue or remove it"
            )
        _cues_of_block(block[timing_at:], block_start + timing_at, name, _SRT_TIMING,
                       "hh:mm:ss,mmm --> hh:mm:ss,mmm", cues, skipped)
    return cues, skipped


def _cues_of_block(
    block: list[str], first_line: int, name: str, timing: re.Pattern[str], shape: str,
    cues: list[Cue], skipped: list[int],
) -> None:
    """Read a block that starts with a timing line; a later timing line starts a new cue."""
    start: float | None = None
    line_no = 0
    texts: list[str] = []
    for offset, line in enumerate(block):
        if "-->" in line:
            match = timing.match(line)
            if not match:
                raise ImportProblem(
                    f"{name}: line {first_line + offset + 1}: broken cue timing {line.strip()!r}; "
                    f"expected {shape}"
                )
            if start is not None and not texts:
                raise ImportProblem(
                    f"{name}: line {first_line + offset + 1}: a second timing line right after the "
                    f"one on line {line_no}; remove one of them"
                )
            begin, end = _seconds(match.groups()[:4]), _seconds(match.groups()[4:])
            if end < begin:
                raise ImportProblem(
                    f"{name}: line {first_line + offset + 1}: the cue ends before it starts; "
                    f"correct its timing"
                )
            if start is not None:
                cues.append(Cue(start, line_no, tuple(texts)))
            start, line_no, texts = begin, first_line + offset + 1, []
        else:
            texts.append(line)
    if start is not None:
        if any(_clean(t) for t in texts):
            cues.append(Cue(start, line_no, tuple(texts)))
        else:
            skipped.append(line_no)


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, fraction = parts
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction) / 10 ** len(fraction)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


# ---------------------------------------------------------------------- speakers
def _clean(raw: str) -> str:
    """Cue text without tags, karaoke timestamps and entities, on one line."""
    return " ".join(html.unescape(_TAG.sub("", raw)).split())


def _speaker_segments(cues: list[Cue]) -> list[tuple[float, str, list[str]]]:
    """(start, speaker, cleaned lines) per voice; speaker ``None`` means 'the one before'."""
    segments: list[tuple[float, str | None, list[str]]] = []
    for cue in cues:
        raw = "\n".join(cue.lines)
        pieces = _VOICE.split(raw)  # text, name, text, name, text ...
        if pieces[0].strip() or len(pieces) == 1:
            segments.append((cue.start, None, _clean_lines(pieces[0])))
        for voice, body in zip(pieces[1::2], pieces[2::2], strict=True):
            segments.append((cue.start, " ".join(voice.split()), _clean_lines(body)))
    # a 'Name:' prefix names the speaker when at least two cues use one
    prefixed = [_colon_speaker(lines[0]) if lines and speaker is None else None
                for _, speaker, lines in segments]
    if sum(1 for m in prefixed if m) >= 2:
        for k, match in enumerate(prefixed):
            if match:
                start, _, lines = segments[k]
                rest = lines[0][match.end():].strip()
                segments[k] = (start, " ".join(match[1].split()), ([rest] if rest else []) + lines[1:])
    resolved: list[tuple[float, str, list[str]]] = []
    current = ""
    for start, speaker, lines in segments:
        current = current if speaker is None else speaker
        resolved.append((start, current, lines))
    return resolved


def _colon_speaker(line: str) -> re.Match[str] | None:
    match = _COLON_SPEAKER.match(line)
    if match and match[1][0].isupper() and speaker_key(match[1]) not in NOT_SPEAKERS:
        return match
    return None


def _clean_lines(raw: str) -> list[str]:
    return [text for line in raw.split("\n") if (text := _clean(line))]


def _drop_rolling_repeats(
    segments: list[tuple[float, str, list[str]]],
) -> tuple[list[tuple[float, str, list[str]]], int]:
    """Remove lines that repeat the end of the cue before, as rolling (live) captions do.

    Only done when more than a third of the cues start with such a repeat: one
    speaker saying 'ja' twice in a row must stay.
    """
    repeats = sum(
        1 for before, after in zip(segments, segments[1:], strict=False)
        if before[2] and after[2] and after[2][0] == before[2][-1]
    )
    if len(segments) < 2 or repeats * 3 <= len(segments) - 1:
        return segments, 0
    kept = [segments[0]]
    removed = 0
    for before, (start, speaker, lines) in zip(segments, segments[1:], strict=False):
        lines = list(lines)
        if lines and before[2] and lines[0] == before[2][-1]:
            lines.pop(0)
            removed += 1
        kept.append((start, speaker, lines))
    return kept, removed


def _merge(segments: list[tuple[float, str, list[str]]]) -> list[Turn]:
    turns: list[Turn] = []
    last_key = None
    for start, speaker, lines in segments:
        if not lines:
            continue
        text = " ".join(lines)
        key = speaker_key(speaker)
        if turns and key == last_key:
            turns[-1].text = f"{turns[-1].text} {text}"
        else:
            turns.append(Turn(speaker, text, _clock(start)))
            last_key = key
    return turns
