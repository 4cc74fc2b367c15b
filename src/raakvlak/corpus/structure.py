"""The structure of canonical text: blocks, speaker turns and timestamps.

Canonical documents are made of blocks separated by one blank line. In a transcript
(or a survey) every block is one speaker turn and reads ``Speaker: text`` or
``[hh:mm:ss] Speaker: text``; a turn may run over several lines. In notes and plain
text a block is a paragraph. This module reads that structure back; it never changes
the text, so the offsets it returns index the canonical text directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# a turn label: optional [hh:mm:ss] then a speaker name of at most 60 characters
TURN_LABEL = re.compile(
    r"(?:\[(?P<timestamp>\d{1,2}:\d{2}:\d{2}(?:\.\d{1,3})?)\] )?"
    r"(?P<speaker>[^\s:\[\]][^:\n\[\]]{0,59}): "
)
# a block: lines that are not empty, up to a blank line or the end
_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")


@dataclass(frozen=True)
class Block:
    """One block of canonical text.

    ``start:end`` spans the block's content (after the speaker label when there is
    one); ``label_start`` is where the block begins, label included.
    """

    label_start: int
    start: int
    end: int
    speaker: str = ""
    timestamp: str = ""


def blocks(text: str, speakers: bool = True) -> list[Block]:
    """Split canonical ``text`` into blocks; with ``speakers``, read turn labels.

    Examples
    --------
    >>> [b.speaker for b in blocks("[00:00:05] Docent 1: Goedemorgen.\\n\\nHulpverlener 1: Hoi.\\n")]
    ['Docent 1', 'Hulpverlener 1']
    >>> text = "Docent 1: Goedemorgen.\\n"
    >>> b = blocks(text)[0]
    >>> text[b.start:b.end]
    'Goedemorgen.'
    """
    found = []
    for match in _BLOCK.finditer(text):
        start, end = match.start(), match.end()
        label = TURN_LABEL.match(text, start, end) if speakers else None
        if label:
            found.append(
                Block(start, label.end(), end, label["speaker"].strip(), label["timestamp"] or "")
            )
        else:
            found.append(Block(start, start, end))
    return found


def format_turn(speaker: str, text: str, timestamp: str = "") -> str:
    """One turn in canonical notation (without the trailing blank line)."""
    prefix = f"[{timestamp}] " if timestamp else ""
    return f"{prefix}{speaker}: {text}" if speaker else f"{prefix}{text}"
