"""The codings and notes of a REFI-QDA project as coding-log events.

Each selection's codings become ``code`` events with origin ``import`` and detail
``{"tool": ..., "guid": <selection guid>, "coding_guid": ...}``, in one log per user
(coder id = slug of the user's name; selections without a user go to the slug of the
tool's name). Notes become memos (on the project, a document, a code, or the coding's
``memo``); a note on nothing that was placed becomes a project memo, and several
notes of one coder on one object are joined. A coding the coder already has (same
document, span and code) is skipped, so importing twice adds nothing; what cannot be
placed is listed with the reason.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from raakvlak.coding import events as ev
from raakvlak.coding.codebook import Codebook
from raakvlak.exchange.positions import to_raw_many
from raakvlak.exchange.refi_file import RefiCoding, RefiProject, RefiSelection, RefiSource
from raakvlak.exchange.refi_sources import Placed, span_on
from raakvlak.ids import slug


def coder_slug(name: str) -> str:
    """A coder id from a user's name: lower-case ASCII, ``a-z0-9``, ``_`` and ``-``.

    Examples
    --------
    >>> coder_slug("Anna de Vries"), coder_slug("bram_2"), coder_slug("ÉÉN")
    ('anna-de-vries', 'bram_2', 'een')
    """
    return slug(name, 64, keep="_") or "coder"


def _utc(value: str | None) -> str | None:
    """A REFI dateTime as an event time (``...Z``), or None when absent or unreadable."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class EventBuilder:
    """Turns the placed sources' selections and the file's notes into coding-log events."""

    def __init__(self, model: RefiProject, tool: str, code_map: dict[str, str], codebook: Codebook,
                 state: Any, unplaced: list[dict[str, Any]], messages: list[str]):
        self.model = model
        self.tool = tool
        self.code_map = code_map
        self.codebook = codebook
        self.unplaced = unplaced
        self.messages = messages
        self.fallback = coder_slug(tool.split()[0]) if tool.strip() else "import"
        self.users = {guid: coder_slug(name) for guid, name in model.users.items() if name}
        codings = state.codings
        self.seen = set(zip(codings["coder"], codings["document_id"], codings["start"], codings["end"],
                            codings["code_id"], strict=True))
        self.used_notes: set[str] = set()
        self.events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.memos = 0

    def coder_of(self, *guids: str | None) -> str:
        """The coder id of the first known user among ``guids``, else the tool's slug."""
        for guid in guids:
            if guid and guid in self.users:
                return self.users[guid]
        return self.fallback

    def note_text(self, guids: list[str]) -> str:
        notes = self.model.notes
        return "\n\n".join(notes[g].text.strip() for g in guids if g in notes and notes[g].text.strip())

    def resolve(self, code_id: str) -> str:
        return self.codebook.resolve(code_id) if code_id in self.codebook else code_id

    def lost(self, source: RefiSource, selection: RefiSelection, reason: str, code: str = "", coder: str = "") -> None:
        self.unplaced.append({"source": source.name, "selection_guid": selection.guid, "start": selection.start,
                              "end": selection.end, "code": code, "coder": coder, "reason": reason})

    def source_events(self, item: Placed) -> None:
        """A ``code`` event per coding of each selection of one source (and whole-source codings)."""
        source = item.source
        starts = to_raw_many(item.counted, item.raw_index,
                             [s.start if s.start is not None else -1 for s in source.selections]).tolist()
        ends = to_raw_many(item.counted, item.raw_index,
                           [s.end if s.end is not None else -1 for s in source.selections]).tolist()
        spans: list[tuple[RefiSelection, tuple[int, int] | None]] = []
        for selection, raw_start, raw_end in zip(source.selections, starts, ends, strict=True):
            if selection.start is None or selection.end is None:
                self.lost(source, selection, "no startPosition/endPosition")
            elif raw_start < 0 or raw_end < 0 or raw_start >= raw_end:
                self.lost(source, selection, f"positions {selection.start}-{selection.end} are not a span of "
                                             f"the text in the unit used ({item.counted[-1]} positions)")
            else:
                spans.append((selection, span_on(item, raw_start, raw_end)))
        if source.codings:  # codings on the source itself: the whole text
            whole = RefiSelection(source.guid, "", None, None, source.user, None, source.codings)
            spans.append((whole, span_on(item, 0, len(item.to_final) - 1)))
        for selection, span in spans:
            if span is None:
                self.lost(source, selection, "the selection holds only white space or text removed by canonicalisation")
            elif not selection.codings:
                self.lost(source, selection, "a selection without a coding")
            else:
                for coding in selection.codings:
                    self._code(item, selection, coding, *span)

    def _code(self, item: Placed, selection: RefiSelection, coding: RefiCoding, start: int, end: int) -> None:
        source = item.source
        coder = self.coder_of(coding.user, selection.user, source.user)
        if coding.code not in self.code_map:
            self.lost(source, selection, f"code guid {coding.code or '(none)'} is not in the file's codebook",
                      coding.code, coder)
            return
        code_id = self.code_map[coding.code]
        notes = [*selection.notes, *coding.notes]
        self.used_notes.update(notes)
        keys = {(coder, item.document_id, start, end, code_id),
                (coder, item.document_id, start, end, self.resolve(code_id))}
        if keys & self.seen:
            self.messages.append(f"{source.name}: {coder} already has code {code_id!r} on {start}-{end}; "
                                 "not added again")
            return
        self.seen |= keys
        text = item.text
        event: dict[str, Any] = {
            "kind": "code", "origin": "import", "document_id": item.document_id, "start": start, "end": end,
            "code_id": code_id, "quote": text[start:end], "prefix": text[max(0, start - ev.CONTEXT):start],
            "suffix": text[end:end + ev.CONTEXT], "sha256": item.sha256,
        }
        memo = self.note_text(notes)
        if memo:
            event["memo"] = memo
        event["detail"] = {"tool": self.tool, "guid": selection.guid, "coding_guid": coding.guid}
        stamp = _utc(coding.time) or _utc(selection.time)
        if stamp:
            event["time"] = stamp
        self.events[coder].append(event)

    def memo_events(self, prepared: list[Any], state: Any) -> None:
        """``memo`` events for the notes on documents (texts and pictures: anything with ``document_id``
        and ``source``), codes and the project, and for notes on nothing placed."""
        memos: dict[tuple[str, str, str], list[str]] = defaultdict(list)

        def add(on: str, target: str, guids: list[str]) -> None:
            for guid in guids:
                note = self.model.notes.get(guid)
                self.used_notes.add(guid)
                if note is not None and note.text.strip():
                    memos[(self.coder_of(note.user), on, target)].append(note.text.strip())

        for item in prepared:
            add("document", item.document_id, item.source.notes)
        for code in self.model.codes:
            if code.guid in self.code_map:
                add("code", self.code_map[code.guid], code.notes)
        add("project", "", self.model.project_notes)
        add("project", "", sorted(set(self.model.notes) - self.used_notes))
        current = {(m.coder, m.on, m.target): m.text for m in state.memos.itertuples(index=False)}
        for (coder, on, target), texts in sorted(memos.items()):
            text = "\n\n".join(texts)
            if current.get((coder, on, target)) == text:
                continue  # the coder already has this memo: importing twice adds nothing
            self.events[coder].append({"kind": "memo", "origin": "import", "on": on, "target": target,
                                       "text": text})
            self.memos += 1
