"""The coding pane's HTML: a pure function of the view model, snapshot-tested.

Update the snapshots after an intended change with
``RAAKVLAK_UPDATE_SNAPSHOTS=1 pytest tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from raakvlak.coding.codebook import Codebook
from raakvlak.widgets.offsets import codepoints_to_utf16
from raakvlak.widgets.palette import render_palette
from raakvlak.widgets.render import document_view, render_document

SNAPSHOTS = Path(__file__).parent / "data" / "snapshots"

CODEBOOK = Codebook.from_text('''
codes:
  - id: barrier
    label: {nl: Knelpunten, en: Barriers}
    colour: "#c0392b"
    children:
      - id: barrier.regie
        label: {nl: Regie onduidelijk, en: Unclear coordination}
        colour: "#a93226"
        definition: Nobody clearly coordinates the case.
        when_to_use: A speaker says nobody (or everybody) is in charge.
        when_not_to_use: Conflicts about content; use barrier.job.
        examples: ["Wie heeft hier nou de regie?"]
      - id: barrier.job
        label: {nl: Wiens taak, en: Whose job}
        colour: "#d35400"
  - id: gerdes
    label: {nl: Gerdes, en: Gerdes}
    colour: "#0871c1"
    children:
      - id: gerdes.trust
        label: {nl: Vertrouwen, en: Trust}
      - id: gerdes.old
        label: {nl: Oud, en: Old}
        status: retired
''', path="codebook.yaml")

TEXT = (
    "[00:00:05] Docent 1: Wie heeft de regie 😀 bij café Zorg?\n\n"
    "Hulpverlener 1: Ik vertrouw jullie, maar de regie ligt bij de gemeente.\n"
)


def segments(text: str = TEXT) -> pd.DataFrame:
    rows = []
    for number, match in enumerate(re.finditer(r"^(?:\[(.+?)\] )?([^:\n]+): (.+)$", text, re.M), 1):
        rows.append({"document_id": "d", "segment_id": f"d:{number}", "level": "turn",
                     "start": match.start(3), "end": match.end(3), "speaker": match[2],
                     "role": "Docent" if match[2].startswith("Docent") else "Jeugdhulp",
                     "timestamp": match[1] or "", "text": match[3]})
    return pd.DataFrame(rows)


def coding(event_id: str, phrase: str, code_id: str, coder: str = "anna", occurrence: int = 0,
           text: str = TEXT) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(phrase, start + 1)
    return {"event_id": event_id, "coder": coder, "document_id": "d", "start": start,
            "end": start + len(phrase), "code_id": code_id, "quote": phrase, "memo": ""}


def codings(*rows: dict) -> pd.DataFrame:
    columns = ["event_id", "coder", "document_id", "start", "end", "code_id", "quote", "memo"]
    return pd.DataFrame(list(rows), columns=columns)


OVERLAPPING = codings(
    coding("e1", "Wie heeft de regie 😀 bij café Zorg?", "barrier.regie"),
    coding("e2", "de regie", "barrier.job"),
    coding("e3", "café Zorg", "gerdes.trust"),
    coding("e4", "Ik vertrouw jullie", "gerdes.trust"),
)


def check_snapshot(name: str, html: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("RAAKVLAK_UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html + "\n", encoding="utf-8")
        if not os.environ.get("RAAKVLAK_UPDATE_SNAPSHOTS"):
            pytest.fail(f"snapshot {name} was missing and has been written; review it and rerun")
    assert html + "\n" == path.read_text(encoding="utf-8"), (
        f"HTML differs from {path.name}; if intended, rerun with RAAKVLAK_UPDATE_SNAPSHOTS=1")


class Pieces(HTMLParser):
    """Collects the selectable pieces (data-o, text, data-c) and checks tags are balanced."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.pieces: list[dict] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        attrs = dict(attrs)
        if tag == "span" and "data-o" in attrs:
            self.pieces.append({"o": int(attrs["data-o"]), "c": attrs.get("data-c", ""),
                                "class": attrs.get("class", ""), "text": ""})
            self.current = self.pieces[-1]
        else:
            self.current = None

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag
        self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current["text"] += data


def parse(html: str) -> Pieces:
    parser = Pieces()
    parser.feed(html)
    parser.close()
    assert parser.stack == []
    return parser


def test_snapshot_of_an_overlapping_document():
    view = document_view(TEXT, segments(), OVERLAPPING, CODEBOOK, document_id="d",
                         title="Sessie 1", coder="anna")
    check_snapshot("document_overlapping.html", render_document(view))


def test_snapshot_of_the_palette():
    check_snapshot("palette.html", render_palette(CODEBOOK, "nl", recent=("gerdes.trust", "missing")))


def test_pieces_cover_each_turn_exactly_with_utf16_offsets():
    view = document_view(TEXT, segments(), OVERLAPPING, CODEBOOK, document_id="d")
    pieces = parse(render_document(view)).pieces
    for turn in view.turns:
        inside = [p for p in pieces if turn.utf16_start <= p["o"] < turn.utf16_end]
        assert "".join(p["text"] for p in inside) == TEXT[turn.start:turn.end]
    for piece in pieces:  # data-o is where the browser finds the piece's text
        start16 = piece["o"]
        assert TEXT.encode("utf-16-le")[2 * start16:].decode("utf-16-le").startswith(piece["text"])


def test_overlapping_codings_get_stacked_lanes():
    view = document_view(TEXT, segments(), OVERLAPPING, CODEBOOK, document_id="d")
    lanes = {m.event_id: m.lane for m in view.marks}
    assert lanes["e1"] == 0 and lanes["e2"] == 1 and lanes["e3"] == 1 and lanes["e4"] == 0
    assert view.lanes == 2
    assert [turn.lanes for turn in view.turns] == [2, 1]  # space below lines only where needed
    html = render_document(view)
    pieces = parse(html).pieces
    regie = next(p for p in pieces if p["text"] == "de regie" and "e2" in p["c"])
    # both codings covering "de regie" are drawn: two underlines at two heights, tint of
    # the inner one, in the rule of the piece's look (one <style> in the document)
    assert regie["c"] == "e1 e2"
    look = regie["class"].split()[-1]
    styles = re.findall(r"<style>(.*?)</style>", html)
    assert len(styles) == 1 and "style=" not in html.split("rv-stripes")[0]
    style = re.search(rf"\.{look}\{{([^}}]*)\}}", styles[0]).group(1)
    assert style.count("linear-gradient") == 2
    assert "calc(100% - 4px)" in style and "calc(100% - 0px)" in style
    assert style.startswith("background-color:#d354002e")
    # the margin stripe of turn 1 lists the three codes once each
    assert view.turns[0].codes == ("barrier.regie", "barrier.job", "gerdes.trust")
    assert view.progress == (2, 2)


def test_coding_across_two_turns_is_drawn_in_both():
    across = codings({"event_id": "x", "coder": "anna", "document_id": "d",
                      "start": TEXT.index("Zorg"), "end": TEXT.index("vertrouw"),
                      "code_id": "barrier.regie", "quote": "", "memo": ""})
    view = document_view(TEXT, segments(), across, CODEBOOK)
    marked = [p.text for t in view.turns for p in t.pieces if p.marks]
    assert marked == ["Zorg?", "Ik "]


def test_other_coder_side_by_side_and_unknown_codes_grey():
    theirs = codings(coding("b1", "de gemeente", "inductive.unknown", coder="bert"))
    view = document_view(TEXT, segments(), OVERLAPPING, CODEBOOK, coder="anna",
                         other=theirs, other_coder="bert")
    html = render_document(view)
    assert 'class="rv-doc rv-compare"' in html and ">bert</span>" in html
    assert 'class="rv-text rv-other"' in html
    other = view.turns[1].other_pieces
    assert [p.text for p in other if p.marks] == ["de gemeente"]
    assert view.other_marks[0].colour == "#7f7f7f"
    # the other coder's pieces are not selectable (no data-o), so selections map to one text
    assert len(parse(html).pieces) == sum(len(t.pieces) for t in view.turns)


def test_no_codings_and_escaping():
    text = "Docent 1: <b>vet</b> & \"zo\"\n"
    view = document_view(text, segments(text), codings(), CODEBOOK, title="<script>")
    html = render_document(view)
    assert "<b>" not in html and "&lt;b&gt;vet&lt;/b&gt; &amp;" in html
    assert "<script>" not in html
    assert view.progress == (0, 1)
    assert "rv-uncoded" in html


def test_utf16_offsets_in_html_follow_the_conversion():
    view = document_view(TEXT, segments(), OVERLAPPING, CODEBOOK)
    after_emoji = next(p for t in view.turns for p in t.pieces if p.text.startswith("café"))
    assert after_emoji.utf16 == codepoints_to_utf16(TEXT, after_emoji.start) == after_emoji.start + 1


def test_palette_lists_live_codes_with_rules_and_recent_keys():
    html = render_palette(CODEBOOK, "en", recent=("barrier.job",))
    assert '<kbd>1</kbd>' in html and "Whose job" in html
    assert 'data-code="gerdes.old"' not in html  # retired codes cannot be applied
    assert "Nobody clearly coordinates the case." in html
    assert "Conflicts about content; use barrier.job." in html
    assert "Barriers &gt; Unclear coordination" in html


def test_a_document_has_its_style_with_or_without_codings():
    """The pane swaps only the children that changed when their number stays the same; the
    first coding of a document must not add one (the whole document would be drawn anew
    and the reader's place lost)."""
    coded = render_document(document_view(TEXT, segments(), OVERLAPPING, CODEBOOK, document_id="d"))
    bare = render_document(document_view(TEXT, segments(), OVERLAPPING.iloc[0:0], CODEBOOK, document_id="d"))
    assert coded.count("<style>") == bare.count("<style>") == 1
    assert "<style></style>" in bare
