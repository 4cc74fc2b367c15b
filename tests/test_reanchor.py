"""Re-anchoring: a coding lands on exactly its quote, or is reported orphaned."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from raakvlak.coding.reanchor import OffsetMap, place

WORDS = ["ja", "nee", "de", "school", "jeugdhulp", "regie", "wie", "belt", "ouders", "plan", "😀", "cliënt",
         "e\u0301", "wachtlijst", "Docent 1:", "\n", "\n\n", ".", ","]


@st.composite
def edited_document(draw):
    words = draw(st.lists(st.sampled_from(WORDS), min_size=20, max_size=120))
    old = " ".join(words)
    spans = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(old) - 2))
        end = draw(st.integers(start + 1, min(len(old), start + 30)))
        spans.append((start, end))
    # random insertions and deletions, applied right to left so positions stay valid
    edits = []
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(old)))
        if draw(st.booleans()):
            edits.append((at, at, " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)))))
        else:
            edits.append((at, min(len(old), at + draw(st.integers(1, 15))), ""))
    return old, spans, edits


def apply(old, spans, edits):
    """The new text, and for each span its true new position (None when an edit touched it)."""
    new = old
    positions = list(spans)
    for start, end, insert in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        if end > len(new):
            continue
        new = new[:start] + insert + new[end:]
        shift = len(insert) - (end - start)
        moved = []
        for pos in positions:
            if pos is None:
                moved.append(None)
            elif pos[1] <= start and not (end == start and pos[1] == start):
                moved.append(pos)
            elif pos[0] >= end and not (end == start and pos[0] == start):
                moved.append((pos[0] + shift, pos[1] + shift))
            else:
                moved.append(None)
        positions = moved
    return new, positions


def occurrences(text, needle):
    return sum(text.startswith(needle, i) for i in range(len(text)))


@settings(max_examples=300, deadline=None)
@given(edited_document(), st.booleans())
def test_every_coding_lands_on_its_quote_or_is_orphaned(case, with_old_text):
    old, spans, edits = case
    new, truth = apply(old, spans, edits)
    offsets = OffsetMap(old, new) if with_old_text else None
    for (start, end), true in zip(spans, truth, strict=True):
        quote, prefix, suffix = old[start:end], old[max(0, start - 40):start], old[end:end + 40]
        placement = place(new, start, end, quote, prefix, suffix, offsets)
        if placement.placed:
            assert new[placement.start:placement.end] == quote
        else:
            assert placement.method == "orphaned" and placement.reason
        if true is not None and occurrences(new, prefix + quote + suffix) == 1:
            # untouched and unmistakable: it must come back exactly where it went
            assert (placement.start, placement.end) == true


def test_unchanged_text_maps_identically():
    text = "Docent 1: Wie heeft de regie?\n\nHulpverlener 1: Niemand, denk ik. 😀\n"
    offsets = OffsetMap(text, text)
    assert [offsets(i) for i in range(len(text))] == list(range(len(text)))


def test_ambiguous_quote_without_context_is_orphaned_not_guessed():
    new = "ja ja ja"
    placement = place(new, 0, 2, "ja", "", "")
    assert not placement.placed
    assert "3 times" in placement.reason


def test_edited_quote_is_orphaned():
    old = "Wie heeft de regie over het plan?"
    new = "Wie voert de regie over het plan?"
    placement = place(new, 0, 18, old[:18], "", old[18:], OffsetMap(old, new))
    assert not placement.placed
