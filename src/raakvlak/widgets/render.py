"""Rendering the coding view: data -> view model -> HTML, with no widget in sight.

:func:`document_view` turns a document's text, its segments (speaker turns) and the
codings shown into a :class:`ViewModel`; :func:`render_document` turns the view model
into HTML. Both are pure functions, so the HTML is snapshot-tested and the widget only
puts it on the page.

How codings stay readable when they overlap
------------------------------------------
A turn's text is cut into *pieces* at every coding boundary; each piece knows which
codings cover it. Every coding gets a *lane* (the first free one when the codings are
laid out left to right), and each piece draws one underline per covering coding at the
height of its lane, so nested and overlapping codings show as stacked underlines that
keep their height along the whole coding. The background is tinted in the colour of
the innermost coding, and a stripe per turn lists the codes it holds.

The margin
----------
With ``margin=True`` the document also carries one *bar* per coding (code label,
colour, a memo marker when the coding has a memo), in document order. Where a bar goes
depends on where the browser breaks the lines, so the pane's script (``margin.js``)
puts each bar beside the lines its coding covers and stacks bars that would overlap.
The browser lays out only the turns near the screen (``content-visibility: auto``), so
the bars come hidden and ``margin.js`` shows those of the turns laid out.

A coded piece's look (tint and underlines) is a class named after its CSS; the
document carries one ``<style>`` with the rules of the looks it uses.

Offsets in the HTML (``data-o`` on pieces, ``data-o``/``data-e`` on turns) are UTF-16
units, because that is what the browser counts; they are made by
:func:`~raakvlak.widgets.offsets.codepoints_to_utf16`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from html import escape

import pandas as pd

from raakvlak.coding.codebook import DEFAULT_COLOUR, Codebook
from raakvlak.widgets.offsets import codepoints_to_utf16

MAX_LANES = 6
"""Underline lanes drawn; deeper overlaps share the last lane (the stripes still list them)."""
LANE_PX = 4
TINT = "2e"  # alpha of the background tint (hex), readable in light and dark themes


@dataclass(frozen=True)
class Mark:
    """One coding as shown: where, which code, whose, and its underline lane."""

    event_id: str
    code_id: str
    label: str
    colour: str
    coder: str
    start: int
    end: int
    lane: int
    memo: str = ""


@dataclass(frozen=True)
class Piece:
    """A stretch of a turn's text covered by the same codings.

    ``marks`` are indices into the view model's ``marks`` (or ``other_marks``), in lane
    order; ``utf16`` is the start offset in UTF-16 units.
    """

    start: int
    end: int
    utf16: int
    text: str
    marks: tuple[int, ...] = ()


@dataclass(frozen=True)
class Turn:
    """One segment (a speaker turn, or a paragraph) with its pieces."""

    segment_id: str
    number: int
    speaker: str
    role: str
    timestamp: str
    start: int
    end: int
    utf16_start: int
    utf16_end: int
    pieces: tuple[Piece, ...]
    other_pieces: tuple[Piece, ...] = ()
    codes: tuple[str, ...] = ()
    lanes: int = 0
    other_lanes: int = 0

    @property
    def coded(self) -> bool:
        """True when at least one of the shown coder's codings touches the turn."""
        return any(piece.marks for piece in self.pieces)


@dataclass(frozen=True)
class ViewModel:
    """Everything the document pane shows, in plain data."""

    document_id: str
    title: str
    turns: tuple[Turn, ...]
    marks: tuple[Mark, ...]
    other_marks: tuple[Mark, ...] = ()
    coder: str = ""
    other_coder: str = ""
    lanes: int = 0  # the most underline lanes of any turn
    colours: Mapping[str, tuple[str, str]] | None = None  # code_id -> (label, colour)

    @property
    def progress(self) -> tuple[int, int]:
        """(coded turns, turns) for the shown coder."""
        return sum(turn.coded for turn in self.turns), len(self.turns)


# ---------------------------------------------------------------------- view model
def _code_look(codebook: Codebook, code_id: str, language: str) -> tuple[str, str]:
    if code_id in codebook:
        code = codebook[code_id]
        return code.label(language), code.colour or DEFAULT_COLOUR
    return code_id, DEFAULT_COLOUR


def _marks(codings: pd.DataFrame | None, codebook: Codebook, language: str,
           looks: dict[str, tuple[str, str]]) -> tuple[Mark, ...]:
    """Codings as marks, ordered by start (longest first), each in the first free lane."""
    if codings is None or codings.empty:
        return ()
    table = codings.assign(_length=codings["end"] - codings["start"])
    table = table.sort_values(["start", "_length", "code_id", "event_id"],
                              ascending=[True, False, True, True], kind="stable")
    lane_ends: list[int] = []
    marks = []
    memos = table["memo"].fillna("") if "memo" in table else [""] * len(table)
    for event_id, code_id, coder, start, end, memo in zip(
        table["event_id"], table["code_id"], table["coder"], table["start"], table["end"], memos,
        strict=True,
    ):
        start, end = int(start), int(end)
        lane = next((k for k, free_from in enumerate(lane_ends) if free_from <= start), None)
        if lane is None:
            lane = len(lane_ends)
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        if code_id not in looks:
            looks[code_id] = _code_look(codebook, code_id, language)
        label, colour = looks[code_id]
        marks.append(Mark(str(event_id), str(code_id), label, colour, str(coder), start, end, lane,
                          str(memo)))
    return tuple(marks)


def _turn_pieces(text: str, start: int, end: int, marks: tuple[Mark, ...],
                 relevant: list[int]) -> tuple[Piece, ...]:
    """Cut ``text[start:end]`` at the boundaries of the relevant marks."""
    cuts = {start, end}
    for index in relevant:
        mark = marks[index]
        cuts.add(min(max(mark.start, start), end))
        cuts.add(min(max(mark.end, start), end))
    points = sorted(cuts)
    by_lane = sorted(relevant, key=lambda i: (marks[i].lane, i))
    pieces = []
    for a, b in zip(points, points[1:], strict=False):
        covering = [i for i in by_lane if marks[i].start <= a and marks[i].end >= b]
        pieces.append(Piece(a, b, codepoints_to_utf16(text, a), text[a:b], tuple(covering)))
    return tuple(pieces)


def _layout(text: str, spans: list[tuple[int, int]], marks: tuple[Mark, ...]) -> list[tuple[Piece, ...]]:
    """Pieces for every span (turn), sweeping the marks once in start order."""
    order = sorted(range(len(marks)), key=lambda i: marks[i].start)
    active: list[int] = []
    pointer = 0
    result = []
    for start, end in spans:
        while pointer < len(order) and marks[order[pointer]].start < end:
            active.append(order[pointer])
            pointer += 1
        active = [i for i in active if marks[i].end > start]
        relevant = [i for i in active if marks[i].start < end and marks[i].end > start]
        result.append(_turn_pieces(text, start, end, marks, relevant))
    return result


def document_view(
    text: str,
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    codebook: Codebook,
    *,
    document_id: str = "",
    title: str = "",
    language: str = "nl",
    coder: str = "",
    other: pd.DataFrame | None = None,
    other_coder: str = "",
) -> ViewModel:
    """Build the view model of one document.

    Parameters
    ----------
    text : the document's canonical text.
    segments : its segments of one level (``start, end, segment_id, speaker, role,
        timestamp``), e.g. ``project.corpus.segments(level="turn", documents=[id])``.
    codings : the codings to show (``event_id, coder, start, end, code_id``), offsets
        in code points on ``text``.
    codebook : gives each code its label and colour (unknown codes are grey).
    document_id, title : shown in the header.
    language : label language (``nl`` or ``en``).
    coder : whose codings ``codings`` are.
    other, other_coder : another coder's codings, shown side by side (after the blind phase).

    Returns
    -------
    ViewModel
    """
    looks: dict[str, tuple[str, str]] = {}
    marks = _marks(codings, codebook, language, looks)
    other_marks = _marks(other, codebook, language, looks) if other is not None else ()
    ordered = segments.sort_values("start", kind="stable")
    spans = [(int(s), int(e)) for s, e in zip(ordered["start"], ordered["end"], strict=True)]
    pieces = _layout(text, spans, marks)
    other_pieces = _layout(text, spans, other_marks) if other is not None else [()] * len(spans)
    turns = []
    columns = ["segment_id", "speaker", "role", "timestamp"]
    rows = ordered.reindex(columns=columns).fillna("").astype(str).itertuples(index=False)
    for number, (row, (start, end), own, theirs) in enumerate(
        zip(rows, spans, pieces, other_pieces, strict=True), start=1
    ):
        codes = []
        for piece in own:
            for index in piece.marks:
                if marks[index].code_id not in codes:
                    codes.append(marks[index].code_id)
        turns.append(Turn(
            segment_id=row.segment_id, number=number, speaker=row.speaker, role=row.role,
            timestamp=row.timestamp, start=start, end=end,
            utf16_start=codepoints_to_utf16(text, start), utf16_end=codepoints_to_utf16(text, end),
            pieces=own, other_pieces=tuple(theirs), codes=tuple(codes),
            lanes=_lanes(own, marks), other_lanes=_lanes(theirs, other_marks),
        ))
    lanes = max((max(t.lanes, t.other_lanes) for t in turns), default=0)
    return ViewModel(
        document_id=document_id, title=title or document_id, turns=tuple(turns), marks=marks,
        other_marks=other_marks, coder=coder, other_coder=other_coder, lanes=lanes, colours=looks,
    )


def _lanes(pieces: tuple[Piece, ...], marks: tuple[Mark, ...]) -> int:
    """Underline lanes a turn needs (its deepest lane + 1, at most MAX_LANES)."""
    deepest = max((marks[i].lane + 1 for piece in pieces for i in piece.marks), default=0)
    return min(deepest, MAX_LANES)


# ---------------------------------------------------------------------- HTML
def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _piece_html(piece: Piece, marks: tuple[Mark, ...], lanes: int, selectable: bool,
                looks: dict[str, str]) -> str:
    """A piece of a turn's text; a coded piece gets the class of its look, whose rule
    ``looks`` collects (class -> CSS) for the document's one ``<style>``."""
    offset = f' data-o="{piece.utf16}"' if selectable else ""
    body = escape(piece.text, quote=False)
    if not piece.marks:
        return f'<span class="rv-p"{offset}>{body}</span>'
    shown = [marks[i] for i in piece.marks]
    inner = min(shown, key=lambda m: (m.end - m.start, -m.lane))
    look, css = _piece_look(tuple((m.colour, m.lane) for m in shown), lanes, inner.colour)
    looks[look] = css
    ids = " ".join(m.event_id for m in shown)
    title = _piece_title(tuple(m.label for m in shown))
    return f'<span class="rv-p rv-c {look}"{offset} data-c="{_attr(ids)}" title="{title}">{body}</span>'


# a long document repeats the same few looks thousands of times: each is made once, and
# written once per document as a class (2,000 codings of 50,000 words: 3,519 coded pieces,
# 289 looks; inline, the styles were a quarter of the HTML the browser has to parse)
@lru_cache(maxsize=4096)
def _piece_look(looks: tuple[tuple[str, int], ...], lanes: int, inner: str) -> tuple[str, str]:
    """The class and CSS of a coded piece: the tint of the innermost coding, one
    underline per coding (colour, lane) at the height of its lane. The class is named
    after its CSS, so the same look has the same class in every document and widget."""
    images = ",".join(f"linear-gradient({colour},{colour})" for colour, _ in looks)
    positions = ",".join(f"0 calc(100% - {(lanes - 1 - min(lane, lanes - 1)) * LANE_PX}px)"
                         for _, lane in looks)
    css = (f"background-color:{inner}{TINT};background-image:{images};"
           f"background-position:{positions}").replace("<", "\\3c ")  # colours are #rrggbb
    return "rv-k" + hashlib.sha1(css.encode("utf-8")).hexdigest()[:10], css


@lru_cache(maxsize=4096)
def _piece_title(labels: tuple[str, ...]) -> str:
    """The escaped title of a coded piece: its codes' labels, each once."""
    return _attr("; ".join(dict.fromkeys(labels)))


def _stripes_html(turn: Turn, view: ViewModel) -> str:
    looks = view.colours or {}
    bars = []
    for code_id in turn.codes:
        label, colour = looks.get(code_id, (code_id, DEFAULT_COLOUR))
        bars.append(f'<i style="background:{_attr(colour)}" title="{_attr(label)}"></i>')
    return f'<div class="rv-stripes">{"".join(bars)}</div>'


def _turn_html(turn: Turn, view: ViewModel, looks: dict[str, str]) -> str:
    state = "rv-coded" if turn.coded else "rv-uncoded"
    gutter = []
    if turn.timestamp:
        gutter.append(f'<span class="rv-time">{escape(turn.timestamp)}</span>')
    if turn.speaker:
        gutter.append(f'<span class="rv-speaker">{escape(turn.speaker)}</span>')
    else:
        gutter.append(f'<span class="rv-number">¶ {turn.number}</span>')
    if turn.role:
        gutter.append(f'<span class="rv-role">{escape(turn.role)}</span>')
    gutter.append(
        f'<button class="rv-code-turn" data-s="{_attr(turn.segment_id)}" '
        'title="Select this whole turn, then pick a code">select turn</button>'
    )
    own = "".join(_piece_html(p, view.marks, turn.lanes, True, looks) for p in turn.pieces)
    parts = [
        f'<div class="rv-turn {state}" data-s="{_attr(turn.segment_id)}" '
        f'data-o="{turn.utf16_start}" data-e="{turn.utf16_end}">',
        f'<div class="rv-gutter">{"".join(gutter)}</div>',
        _stripes_html(turn, view),
        f'<div class="rv-text"{_pad(turn.lanes)}>{own}</div>',
    ]
    if view.other_coder:
        theirs = "".join(_piece_html(p, view.other_marks, turn.other_lanes, False, looks)
                         for p in turn.other_pieces)
        parts.append(f'<div class="rv-text rv-other"{_pad(turn.other_lanes)}>{theirs}</div>')
    parts.append("</div>")
    return "".join(parts)


def _pad(lanes: int) -> str:
    return f' style="--rv-pad:{lanes * LANE_PX}px"' if lanes else ""


def render_document(view: ViewModel, note: str | None = None, margin: bool = False) -> str:
    """The HTML of the document pane for ``view`` (deterministic: same view, same HTML).

    ``note`` replaces the coding progress in the header (the pattern widget says how
    many passages the record rests on); ``margin`` adds the margin's code bars."""
    coded, total = view.progress
    compare = " rv-compare" if view.other_coder else ""
    progress = (f'<span class="rv-progress" title="turns with at least one coding of {_attr(view.coder)}">'
                f"{coded} / {total} turns coded</span>" if note is None
                else f'<span class="rv-progress">{escape(note)}</span>')
    head = [
        f'<div class="rv-doc{compare}" data-doc="{_attr(view.document_id)}">',
        f'<div class="rv-doc-head"><span class="rv-title">{escape(view.title)}</span>{progress}</div>',
    ]
    if view.other_coder:
        head.append(
            '<div class="rv-columns"><span></span><span></span>'
            f'<span class="rv-colhead">{escape(view.coder)}</span>'
            f'<span class="rv-colhead">{escape(view.other_coder)}</span></div>'
        )
    looks: dict[str, str] = {}
    body = [_turn_html(turn, view, looks) for turn in view.turns]
    if not body:
        body.append('<p class="rv-empty">This document has no text to code.</p>')
    if margin:
        body.append(render_margin(view.marks))
    # always there, so the document keeps its children when its first coding comes or its
    # last goes: the pane then swaps only what changed and the reader's place stays put
    head.append(f'<style>{"".join(f".{look}{{{css}}}" for look, css in sorted(looks.items()))}</style>')
    return "".join(head) + "".join(body) + "</div>"


def render_margin(marks: tuple[Mark, ...]) -> str:
    """The margin's bars, one per coding in document order (placed by ``margin.js``).

    Each bar comes hidden: ``margin.js`` shows the bars it places, those of the codings
    in the turns laid out (a long document is laid out only near the screen).

    Examples
    --------
    >>> mark = Mark("e1", "barrier.regie", "Regie", "#a93226", "anna", 3, 9, 0, "twijfel")
    >>> render_margin((mark,))  # doctest: +NORMALIZE_WHITESPACE
    '<div class="rv-margin"><div class="rv-bar" hidden data-c="e1" data-code="barrier.regie"
    style="--rv-c:#a93226" title="Regie · memo: twijfel"><span class="rv-bar-label">Regie</span><i
    class="rv-memo-mark" title="memo: twijfel">✎</i></div></div>'
    """
    bars = []
    for mark in sorted(marks, key=lambda m: (m.start, -m.end, m.event_id)):
        memo = " ".join(mark.memo.split())
        title = mark.label + (f" · memo: {memo[:200]}" if memo else "")
        marker = (f'<i class="rv-memo-mark" title="{_attr("memo: " + memo[:200])}">✎</i>'
                  if memo else "")
        bars.append(
            f'<div class="rv-bar" hidden data-c="{_attr(mark.event_id)}" data-code="{_attr(mark.code_id)}" '
            f'style="--rv-c:{_attr(mark.colour)}" title="{_attr(title)}">'
            f'<span class="rv-bar-label">{escape(mark.label)}</span>{marker}</div>'
        )
    return f'<div class="rv-margin">{"".join(bars)}</div>'
