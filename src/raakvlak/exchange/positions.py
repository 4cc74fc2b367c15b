"""Positions in other tools' texts, mapped onto raakvlak's canonical text.

A REFI-QDA selection gives ``startPosition`` and ``endPosition`` in the text file the
tool wrote. Tools count differently (facts from real exports): NVivo counts UTF-16
code units with a CRLF as two, ATLAS.ti counts a CRLF as one, the standard says
characters. raakvlak stores code points, 0-based, end-exclusive, on the canonical text
(a fixed decision), so an imported position goes through three maps:

1. the tool's unit on the tool's text -> code point in the raw text
   (:class:`PositionUnit`, :func:`unit_map`);
2. raw text -> canonical text (:func:`canonical_with_map`: CRLF -> LF, control
   characters removed, tabs, NFC, trailing spaces, blank-line runs, outer blank lines);
3. canonical text -> pseudonymised canonical text (:func:`edit_map`, found by a
   line-then-character diff of the two texts).

Every map is an integer array ``m`` of length ``len(source) + 1``: the boundary ``i``
of the source (before character ``i``) becomes the boundary ``m[i]`` of the target.
A boundary inside removed or replaced text goes to the nearest place in the
replacement, so a span never grows past what its text became.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from raakvlak.corpus.canonical import AFTER_NFC, BEFORE_NFC, canonicalise

if TYPE_CHECKING:
    from raakvlak.exchange.refi_file import RefiSelection

_TOKEN = re.compile(r"\w+|\s+|.", re.DOTALL)


def _apply(text: str, mapping: np.ndarray, edits: list[tuple[int, int, str]]) -> tuple[str, np.ndarray]:
    """Apply sorted, non-overlapping ``(start, end, replacement)`` edits to ``text``.

    ``mapping`` maps some earlier text onto ``text``; the result maps it onto the
    edited text.
    """
    if not edits:
        return text, mapping
    step = np.empty(len(text) + 1, dtype=np.int64)
    parts: list[str] = []
    previous, shift = 0, 0
    for start, end, replacement in edits:
        step[previous:start + 1] = np.arange(previous, start + 1) + shift
        parts.append(text[previous:start])
        new_start = start + shift
        if end > start + 1:
            inside = np.arange(1, end - start)
            step[start + 1:end] = new_start + np.minimum(inside, len(replacement))
        parts.append(replacement)
        shift += len(replacement) - (end - start)
        previous = end
    step[previous:] = np.arange(previous, len(text) + 1) + shift
    parts.append(text[previous:])
    return "".join(parts), step[mapping]


def _regex_edits(pattern: re.Pattern[str], text: str, replacement: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), replacement) for m in pattern.finditer(text)]


def _nfc_edits(text: str) -> list[tuple[int, int, str]]:
    """Edits turning ``text`` into NFC, one per run that changes."""
    if unicodedata.is_normalized("NFC", text):
        return []
    edits = []
    run_start = 0
    # a run starts at a starter (combining class 0); Hangul vowel and trailing jamo
    # compose with the syllable before them, so they never start a run
    for index in range(1, len(text) + 1):
        if index < len(text):
            char = text[index]
            if unicodedata.combining(char) or "\u1160" <= char <= "\u11ff":
                continue
        run = text[run_start:index]
        normal = unicodedata.normalize("NFC", run)
        if normal != run:
            edits.append((run_start, index, normal))
        run_start = index
    return edits


def canonical_with_map(raw: str) -> tuple[str, np.ndarray, bool]:
    """Canonical text of ``raw`` and the map of raw boundaries onto it.

    Returns
    -------
    text : str
        ``canonicalise(raw)``, always.
    mapping : numpy.ndarray
        ``len(raw) + 1`` boundaries of ``raw`` -> boundaries of ``text``.
    exact : bool
        False when the step-by-step result differed from :func:`canonicalise` (a text
        this function does not foresee); then the map is only approximate and callers
        should check each quote.

    Examples
    --------
    >>> raw = "Ja.\\r\\nNee.  \\r\\n"
    >>> text, mapping, exact = canonical_with_map(raw)
    >>> text, exact
    ('Ja.\\nNee.\\n', True)
    >>> start, end = raw.index("Nee"), raw.index("Nee") + 4
    >>> text[mapping[start]:mapping[end]]
    'Nee.'
    """
    mapping = np.arange(len(raw) + 1, dtype=np.int64)
    text = raw
    for pattern, replacement in BEFORE_NFC:  # the steps of canonicalise, each with its map
        text, mapping = _apply(text, mapping, _regex_edits(pattern, text, replacement))
    text, mapping = _apply(text, mapping, _nfc_edits(text))
    for pattern, replacement in AFTER_NFC:
        text, mapping = _apply(text, mapping, _regex_edits(pattern, text, replacement))
    stripped = text.strip("\n")
    edits = []
    lead = len(text) - len(text.lstrip("\n"))
    appended = False
    if stripped.strip():
        if lead:
            edits.append((0, lead, ""))
        tail = len(text) - len(text.rstrip("\n"))
        edits.append((len(text) - tail, len(text), "\n"))
        appended = tail == 0
    elif text:
        edits.append((0, len(text), ""))
    text, mapping = _apply(text, mapping, edits)
    expected = canonicalise(raw)
    # the final line end added to a text without one belongs to no span of the raw text
    limit = len(expected) - 1 if appended else len(expected)
    return expected, np.minimum(mapping, max(limit, 0)), text == expected


def edit_map(before: str, after: str) -> np.ndarray:
    """The map of ``before``'s boundaries onto ``after`` (e.g. after pseudonymisation).

    Lines are matched first, then words (runs of letters and digits, runs of white
    space, single other characters) inside the lines that differ, so the diff stays
    fast on long documents with few changes and a replaced name maps as a whole: a
    span ending after ``Jan`` ends after its pseudonym ``Docent 1``.

    Examples
    --------
    >>> mapping = edit_map("Jan belt.\\n", "Docent 1 belt.\\n")
    >>> int(mapping[0]), int(mapping[3]), int(mapping[4])
    (0, 8, 9)
    """
    mapping = np.arange(len(before) + 1, dtype=np.int64)
    if before == after:
        return mapping
    edits: list[tuple[int, int, str]] = []
    a_lines = before.splitlines(keepends=True)
    b_lines = after.splitlines(keepends=True)
    a_starts = np.concatenate([[0], np.cumsum([len(line) for line in a_lines])]).astype(int)
    b_starts = np.concatenate([[0], np.cumsum([len(line) for line in b_lines])]).astype(int)
    lines = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        if tag == "equal":
            continue
        a_from, a_to = int(a_starts[i1]), int(a_starts[i2])
        b_from, b_to = int(b_starts[j1]), int(b_starts[j2])
        a_tokens = _TOKEN.findall(before[a_from:a_to])
        b_tokens = _TOKEN.findall(after[b_from:b_to])
        a_at = np.concatenate([[0], np.cumsum([len(t) for t in a_tokens])]).astype(int) + a_from
        b_at = np.concatenate([[0], np.cumsum([len(t) for t in b_tokens])]).astype(int) + b_from
        tokens = difflib.SequenceMatcher(None, a_tokens, b_tokens, autojunk=False)
        for ttag, t1, t2, u1, u2 in tokens.get_opcodes():
            if ttag != "equal":
                edits.append((int(a_at[t1]), int(a_at[t2]), after[int(b_at[u1]):int(b_at[u2])]))
    result, mapping = _apply(before, mapping, edits)
    if result != after:  # pragma: no cover - difflib's opcodes always rebuild ``after``
        raise ValueError("edit_map: the diff did not rebuild the text")
    return mapping


@dataclass(frozen=True)
class PositionUnit:
    """How a tool counted positions in its text.

    Attributes
    ----------
    utf16 : positions count UTF-16 code units (a character beyond U+FFFF counts two),
        else Unicode code points.
    line_ends : ``"as written"`` (every character of the file counts, so a CRLF in
        the file counts two), ``"crlf as one"`` (the file has CRLF, the tool counted
        one) or ``"lf as crlf"`` (the file has LF, the tool counted each as two).
    """

    utf16: bool = False
    line_ends: str = "as written"

    def __str__(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "code points"
        return f"{unit}, line ends {self.line_ends}"


UNITS = (
    PositionUnit(False, "as written"),
    PositionUnit(False, "crlf as one"),
    PositionUnit(True, "as written"),
    PositionUnit(True, "crlf as one"),
    PositionUnit(False, "lf as crlf"),
    PositionUnit(True, "lf as crlf"),
)
"""The units tried, in order of preference when the evidence ties (REFI says characters)."""


def unit_map(raw: str, unit: PositionUnit) -> tuple[np.ndarray, np.ndarray]:
    """Tool positions in ``unit`` -> boundaries of ``raw`` (code points).

    Returns
    -------
    counted : numpy.ndarray
        Sorted tool positions of the boundaries of the text the tool counted.
    raw_index : numpy.ndarray
        For each entry of ``counted``, the boundary in ``raw``.

    A tool position ``p`` is valid when it is in ``counted``; it then maps to
    ``raw_index[searchsorted(counted, p)]``.
    """
    size = len(raw)
    widths = np.ones(size, dtype=np.int64)
    if unit.utf16 and size:
        points = np.frombuffer(raw.encode("utf-32-le"), dtype=np.uint32)
        widths[points > 0xFFFF] = 2
    if unit.line_ends == "crlf as one" and "\r\n" in raw:
        for match in re.finditer("\r\n", raw):
            widths[match.start()] = 0  # the CR does not count; its boundary equals the LF's
    elif unit.line_ends == "lf as crlf" and "\n" in raw:
        for match in re.finditer(r"(?<!\r)\n", raw):
            widths[match.start()] += 1
    counted = np.concatenate([[0], np.cumsum(widths)])
    raw_index = np.arange(size + 1, dtype=np.int64)
    if unit.line_ends == "crlf as one":
        keep = np.ones(size + 1, dtype=bool)
        keep[1:][widths == 0] = False  # the boundary between CR and LF is not countable
        counted, raw_index = counted[keep], raw_index[keep]
    return counted, raw_index


def to_raw(counted: np.ndarray, raw_index: np.ndarray, position: int) -> int | None:
    """The raw boundary of tool ``position``, or None when no boundary has it."""
    at = int(np.searchsorted(counted, position))
    if at < len(counted) and counted[at] == position:
        return int(raw_index[at])
    return None


def to_raw_many(counted: np.ndarray, raw_index: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """:func:`to_raw` for many positions at once; -1 where a position has no boundary."""
    positions = np.asarray(positions, dtype=np.int64)
    at = np.searchsorted(counted, positions)
    inside = at < len(counted)
    found = np.full(len(positions), -1, dtype=np.int64)
    hit = inside.copy()
    hit[inside] = counted[at[inside]] == positions[inside]
    found[hit] = raw_index[at[hit]]
    return found


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def unit_applies(raw: str, unit: PositionUnit) -> bool:
    """False for units that cannot differ from another on this text (no CRLF, no LF ...)."""
    if unit.utf16 and not _ASTRAL.search(raw):
        return False
    if unit.line_ends == "crlf as one":
        return "\r\n" in raw
    if unit.line_ends == "lf as crlf":
        return bool(re.search(r"(?<!\r)\n", raw))
    return True


def comparable(text: str) -> str:
    """Text reduced for comparing a quote with a tool's record of it (NFC, spaces folded)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _matches(quote: str, wanted: str) -> bool:
    """True when ``quote`` is the recorded text ``wanted`` (already :func:`comparable`)."""
    if not wanted:
        return False
    found = comparable(quote)
    if found == wanted:
        return True
    if wanted.endswith(("...", "\u2026")):
        head = wanted.rstrip(".\u2026").rstrip()
        return len(head) >= 3 and found.startswith(head)
    return False


def _tool_default(tool: str, raw: str) -> PositionUnit:
    folded = tool.lower()
    if "nvivo" in folded:
        line_ends = "as written" if "\r\n" in raw or "\n" not in raw else "lf as crlf"
        return PositionUnit(True, line_ends)
    if "atlas" in folded and "\r\n" in raw:
        return PositionUnit(False, "crlf as one")
    return PositionUnit(False, "as written")


def detect_unit(raw: str, selections: list[RefiSelection], tool: str) -> tuple[PositionUnit, int, int, str]:
    """The position unit of one source, checked against the selections' recorded text.

    Parameters
    ----------
    raw : the source text as the tool wrote it (BOM removed).
    selections : its selections; those whose ``name`` holds text are the evidence.
    tool : the exporting tool (the project's ``origin``), for the fallback.

    Returns
    -------
    unit, checked, matched, how : the unit used, how many selections could be checked,
        how many matched in that unit, and a sentence saying why this unit.

    Examples
    --------
    >>> raw = "Hoi 😀 daar\\r\\nja"
    >>> from raakvlak.exchange.refi_file import RefiSelection
    >>> sel = RefiSelection("g", "daar", 7, 11, None, None)   # UTF-16 units
    >>> unit, checked, matched, how = detect_unit(raw, [sel], "some tool")
    >>> str(unit), checked, matched
    ('UTF-16 code units, line ends as written', 1, 1)
    """
    default = _tool_default(tool, raw)
    if not unit_applies(raw, default):
        default = UNITS[0]
    evidence = [(s, wanted) for s in selections
                if s.start is not None and s.end is not None and (wanted := comparable(s.name))]
    if not evidence:
        return default, 0, 0, f"no selection records its text; assumed the habit of {tool or 'the tool'}"
    scores = []
    starts = np.array([s.start for s, _ in evidence], dtype=np.int64)
    ends = np.array([s.end for s, _ in evidence], dtype=np.int64)
    for unit in (u for u in UNITS if unit_applies(raw, u)):
        counted, raw_index = unit_map(raw, unit)
        raw_starts = to_raw_many(counted, raw_index, starts).tolist()
        raw_ends = to_raw_many(counted, raw_index, ends).tolist()
        matched = sum(
            1 for (_, wanted), start, end in zip(evidence, raw_starts, raw_ends, strict=True)
            if 0 <= start < end and _matches(raw[start:end], wanted))
        scores.append((matched, unit))
    best = max(score for score, _ in scores)
    if best == 0:
        return default, len(evidence), 0, (
            f"no selection's recorded text matched in any unit; assumed the habit of {tool or 'the tool'}")
    tied = [unit for score, unit in scores if score == best]
    unit = default if default in tied else tied[0]
    how = f"{best} of {len(evidence)} selections matched their recorded text"
    if len(tied) > 1:
        how += " (units tied on this text)"
    return unit, len(evidence), best, how
