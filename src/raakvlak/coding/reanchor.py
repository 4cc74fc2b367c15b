"""Re-anchoring: moving codings onto a document whose text has changed.

Offsets never drift silently: a coding records the document's sha256, its quote and a
little context on both sides. When the text changes, :func:`place` finds where the quote
went, first by mapping the offsets through a diff of the old and new text (when the old
text is known: from git, or rebuilt from the codings' own quotes), then by searching the
quote with its context. A coding is only moved when the new place holds exactly its
quote and the evidence is unambiguous; otherwise it is reported as orphaned and kept as
it is. Nothing is ever deleted.
"""

from __future__ import annotations

import difflib
import subprocess
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from raakvlak.corpus.canonical import fingerprint
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project


@dataclass(frozen=True)
class Placement:
    """Where a coding goes in the new text, and why (or why not).

    ``start``/``end`` are ``None`` for an orphan; ``method`` says how it was placed:
    ``diff`` (offsets mapped through the diff and the quote confirmed), ``context``
    (the only place where prefix + quote + suffix occur), ``quote`` (the only place the
    quote occurs, with the characters next to it on one side as recorded), or
    ``orphaned``. ``reason`` explains an orphan.
    """

    start: int | None
    end: int | None
    method: str
    reason: str = ""

    @property
    def placed(self) -> bool:
        return self.start is not None


class OffsetMap:
    """Maps code-point offsets of an old text onto a new text through their diff.

    The diff runs on lines first and on characters only inside changed line blocks,
    so a long transcript with a few edits maps in milliseconds.
    """

    def __init__(self, old: str, new: str):
        self._anchors: list[tuple[int, int, int]] = []  # (old_start, new_start, length) of equal runs
        old_lines = old.splitlines(keepends=True)
        new_lines = new.splitlines(keepends=True)
        old_pos = _positions(old_lines)
        new_pos = _positions(new_lines)
        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                self._anchors.append((old_pos[i1], new_pos[j1], old_pos[i2] - old_pos[i1]))
            elif tag == "replace":
                a, b = old[old_pos[i1]:old_pos[i2]], new[new_pos[j1]:new_pos[j2]]
                chars = difflib.SequenceMatcher(None, a, b, autojunk=False)
                for block in chars.get_matching_blocks():
                    if block.size:
                        self._anchors.append((old_pos[i1] + block.a, new_pos[j1] + block.b, block.size))
        self._anchors.sort()
        self._starts = [a[0] for a in self._anchors]

    def __call__(self, offset: int) -> int | None:
        """The new offset of the character at old ``offset``; None if it was deleted."""
        index = bisect_right(self._starts, offset) - 1
        if index < 0:
            return None
        old_start, new_start, length = self._anchors[index]
        return new_start + offset - old_start if offset < old_start + length else None


def _positions(lines: list[str]) -> list[int]:
    positions = [0]
    for line in lines:
        positions.append(positions[-1] + len(line))
    return positions


def _context_agrees(text: str, start: int, end: int, prefix: str, suffix: str, near: int = 8) -> bool:
    """True when the characters right next to the span are those recorded beside the quote."""
    before = prefix[-near:]
    after = suffix[:near]
    return (bool(before) and text[max(0, start - len(before)):start] == before) or (
        bool(after) and text[end:end + len(after)] == after
    ) or (not before and not after)


def _occurrences(text: str, needle: str) -> list[int]:
    found, index = [], text.find(needle)
    while index != -1:
        found.append(index)
        index = text.find(needle, index + 1)
    return found


def place(
    new_text: str,
    start: int,
    end: int,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    offsets: OffsetMap | None = None,
) -> Placement:
    """Find the place of one coding in ``new_text``.

    Parameters
    ----------
    new_text : the document's current canonical text.
    start, end, quote, prefix, suffix : the coding as recorded on the old text.
    offsets : an :class:`OffsetMap` from the old text to ``new_text``, when known.

    Returns
    -------
    Placement
        Placed only when ``new_text[start:end] == quote`` and the place is certain.

    Examples
    --------
    >>> old = "Ja. Wie heeft de regie? Niemand."
    >>> new = "Ja, goed. Wie heeft de regie? Niemand."
    >>> p = place(new, 4, 23, "Wie heeft de regie?", "Ja. ", " Niemand.", OffsetMap(old, new))
    >>> new[p.start:p.end], p.method
    ('Wie heeft de regie?', 'diff')
    """
    if not quote:
        return Placement(None, None, "orphaned", "the coding has no quote to confirm a place")
    if offsets is not None:
        new_start = offsets(start)
        new_last = offsets(end - 1)
        if new_start is not None and new_last is not None:
            a, b = new_start, new_last + 1
            if new_text[a:b] == quote and (
                _context_agrees(new_text, a, b, prefix, suffix) or new_text.count(quote) == 1
            ):
                return Placement(a, b, "diff")
    hits = _occurrences(new_text, quote)
    if not hits:
        return Placement(None, None, "orphaned", "the quote no longer occurs in the text")
    in_context = [
        h for h in hits
        if new_text[max(0, h - len(prefix)):h] == prefix
        and new_text[h + len(quote):h + len(quote) + len(suffix)] == suffix
    ]
    if len(in_context) == 1:
        return Placement(in_context[0], in_context[0] + len(quote), "context")
    # the only occurrence, with the characters next to it on one side as recorded: a
    # quote that now only occurs elsewhere ("de regie" in another turn) is no evidence
    if len(hits) == 1 and offsets is None and _context_agrees(new_text, hits[0], hits[0] + len(quote),
                                                             prefix, suffix):
        return Placement(hits[0], hits[0] + len(quote), "quote")
    if len(hits) == 1:
        return Placement(None, None, "orphaned",
                         "the quote occurs once, but not between the words that stood next to it")
    return Placement(
        None, None, "orphaned",
        f"the quote occurs {len(hits)} times and its context does not single one out",
    )


def old_text_from_git(root: Path, relative_path: str, sha256: str, max_revisions: int = 200) -> str | None:
    """The version of a file whose fingerprint is ``sha256``, found in git history.

    Returns None when the folder is not a git repository, git is absent, or no
    committed version matches.
    """
    try:
        revisions = subprocess.run(
            ["git", "log", f"-n{max_revisions}", "--format=%H", "--", relative_path],
            cwd=root, capture_output=True, text=True, check=True,
        ).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return None
    for revision in revisions:
        shown = subprocess.run(
            ["git", "show", f"{revision}:{relative_path}"], cwd=root, capture_output=True
        )
        if shown.returncode != 0:
            continue
        try:
            text = shown.stdout.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if fingerprint(text) == sha256:
            return text
    return None


MISSING = "document missing from the corpus"
MOVED = "its quote is no longer at its offsets (orphaned)"
CHANGED = "document text changed"


def anchor_problems(project: Project, codings: pd.DataFrame) -> pd.Series:
    """Why each coding is not where it says it is, or ``""`` when it is.

    A coding is anchored when its document exists and ``text[start:end]`` is its quote
    (fixed decision 2), whatever its recorded fingerprint: a text edited elsewhere
    leaves it anchored; offsets that no longer hold its quote make it an orphan, which
    every analysis leaves out (and says so) until ``raakvlak reanchor`` places it.

    Returns
    -------
    Series of str, aligned with ``codings``: ``""``, :data:`MISSING` or :data:`MOVED`.
    """
    texts: dict[str, str | None] = {}
    problems = []
    for document_id, start, end, quote in zip(codings["document_id"], codings["start"], codings["end"],
                                               codings["quote"], strict=True):
        if document_id not in texts:
            try:
                texts[document_id] = project.corpus.text(document_id)
            except RaakvlakError:
                texts[document_id] = None
        text = texts[document_id]
        problems.append(MISSING if text is None else "" if text[int(start):int(end)] == quote else MOVED)
    return pd.Series(problems, index=codings.index, dtype=object)


def stale_codings(project: Project) -> pd.DataFrame:
    """Codings to re-anchor (``raakvlak verify``): their document's text changed since
    they were made, their quote is no longer at their offsets, or their document is gone.

    Returns the live codings (all coders) concerned, with a ``problem`` column (the
    reason of :func:`anchor_problems`, else :data:`CHANGED`).
    """

    state, _ = project.coding_state()
    codings = state.codings
    problems = anchor_problems(project, codings)
    current = {}
    for document_id in codings["document_id"].unique():
        try:
            current[document_id] = fingerprint(project.corpus.text(document_id))
        except RaakvlakError:
            current[document_id] = None
    changed = codings["document_id"].map(current) != codings["sha256"]
    stale = codings[changed | (problems != "")].copy()
    stale["problem"] = problems[stale.index].replace("", CHANGED)
    return stale.reset_index(drop=True)


def reanchor(project: Project, write: bool = True) -> pd.DataFrame:
    """Move every stale coding onto its document's current text (``raakvlak reanchor``).

    For each changed document the old text is taken from git when the project is a
    repository holding that version; otherwise the codings' quotes and contexts are
    the evidence. Placed codings get a ``reanchor`` event in their coder's log (when
    ``write``); the rest are reported as orphaned and left exactly as they were. The
    edited documents' new fingerprints are then recorded in ``documents.csv``.

    Returns
    -------
    DataFrame with ``coder, event_id, document_id, start, end, new_start, new_end,
    method, reason`` (one row per stale coding).
    """
    if not write:
        return _reanchor(project, write)
    with project.lock("reanchor"):  # documents.csv gets the new fingerprints
        return _reanchor(project, write)


def _reanchor(project: Project, write: bool) -> pd.DataFrame:

    stale = stale_codings(project)
    rows, events = [], {}
    for (document_id, sha256), group in stale.groupby(["document_id", "sha256"], sort=True):
        if (group["problem"] == MISSING).any():
            for row in group.itertuples():
                rows.append((row.coder, row.event_id, document_id, row.start, row.end, None, None,
                             "orphaned", row.problem))
            continue
        new_text = project.corpus.text(document_id)
        old_text = old_text_from_git(project.root, f"corpus/{document_id}.txt", sha256)
        offsets = OffsetMap(old_text, new_text) if old_text is not None else None
        for row in group.itertuples():
            placement = place(new_text, int(row.start), int(row.end), row.quote, row.prefix,
                              row.suffix, offsets)
            rows.append((row.coder, row.event_id, document_id, row.start, row.end, placement.start,
                         placement.end, placement.method, placement.reason))
            if placement.placed:
                events.setdefault(row.coder, []).append({
                    "kind": "reanchor", "origin": "reanchor", "target": row.event_id,
                    "start": placement.start, "end": placement.end,
                    "sha256": fingerprint(new_text), "quote": row.quote,
                })
    if write:
        for coder, coder_events in sorted(events.items()):
            project.log(coder).append_many(coder_events)
        changed = project.corpus.verify()
        edited = changed.loc[changed["actual"] != "", "document_id"].tolist()
        if edited:
            project.corpus.store.record_fingerprints(edited)
    columns = ["coder", "event_id", "document_id", "start", "end", "new_start", "new_end", "method", "reason"]
    table = pd.DataFrame(rows, columns=columns)
    return table.astype({c: "Int64" for c in ("start", "end", "new_start", "new_end")})
