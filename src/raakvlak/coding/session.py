"""The coding session: the logic behind every face (widgets, CLI, notebooks).

A :class:`CodingSession` belongs to one coder. Every action it takes is one event
appended to that coder's log (``coding/logs/<coder>.jsonl``) before the call returns,
so what a researcher sees is always what is saved. Undo and redo are events too: an
undo withdraws the last action, a redo withdraws the undo. Both are read from the log
(:mod:`raakvlak.coding.history`), so they work across sessions, as do the recent codes.

A span never starts in a speaker label, white space around it is dropped, and with
``whole_words`` (a selection in the widget) it grows to whole words
(:mod:`raakvlak.coding.spans`). The same code on the same span twice is refused.

Examples
--------
>>> project = example_copy()          # a throw-away copy of the example project
>>> session = CodingSession(project, "demo", new_coder=True)  # a coder the project did not list
>>> text = session.text("als-a-sessie-1")
>>> start = text.index("op de wachtlijst")
>>> event = session.code("als-a-sessie-1", start, start + 16, "barrier.beschikking")
>>> event["quote"], event["origin"]
('op de wachtlijst', 'manual')
>>> len(session.codings())
1
>>> _ = session.undo()
>>> len(session.codings())
0
>>> _ = session.redo()
>>> session.codings()["quote"].tolist()
['op de wachtlijst']
>>> again = CodingSession(project, "demo")   # a new session: the log still knows what to undo
>>> _ = again.undo()
>>> len(again.codings())
0
>>> text[slice(*session.select("als-a-sessie-1", start + 1, start + 13))]   # "p de wachtli"
'op de wachtlijst'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from raakvlak.coding.codebook import Codebook
from raakvlak.coding.events import code_event, uncode_event
from raakvlak.coding.history import recent_codes, undo_stacks
from raakvlak.coding.spans import snap_span
from raakvlak.coding.state import CodingState, fold
from raakvlak.errors import CodebookError, CodingError
from raakvlak.project import Project


@dataclass(frozen=True)
class AutocodeHit:
    """One segment an autocode query found (shown before anything is written)."""

    document_id: str
    segment_id: str
    start: int
    end: int
    text: str


class CodingSession:
    """One coder's work on a project.

    Parameters
    ----------
    project : the project (or its folder).
    coder : the coder id, a slug such as ``"anna"``; the log is ``coding/logs/<coder>.jsonl``.
        When ``raakvlak.toml`` lists coders, it must be one of them.
    new_coder : add ``coder`` to the project's coders (on purpose, not by a typo).

    Raises
    ------
    CodingError
        When ``coder`` is not a slug, or not a coder of the project and not ``new_coder``.
    """

    def __init__(self, project: Project | str | Path, coder: str, new_coder: bool = False):
        self.project = project if isinstance(project, Project) else Project(project)
        self.coder = self.project.check_coder(coder, new=new_coder)
        self.log = self.project.log(self.coder)
        self._texts: dict[str, str] = {}
        self._turns: dict[str, list[tuple[int, int]]] = {}
        self._state: CodingState | None = None
        self._events: list[dict[str, Any]] = []
        self._state_stamp: tuple[int, int, object] | None = None

    def __repr__(self) -> str:
        return f"CodingSession({self.project.name!r}, coder={self.coder!r})"

    # ------------------------------------------------------------------ reading
    @property
    def codebook(self) -> Codebook:
        """The current codebook (re-read when the file changed). Problems are ignored here:
        a broken codebook never blocks coding with the codes that could be read."""
        return self.project.codebook

    def text(self, document_id: str) -> str:
        """The canonical text of a document."""
        if document_id not in self._texts:
            self._texts[document_id] = self.project.corpus.text(document_id)
        return self._texts[document_id]

    @property
    def state(self) -> CodingState:
        """This coder's current codings, memos and history (a fold over the log), read
        again when the log or the codebook (merges, renames) changed."""
        self._read()
        assert self._state is not None
        return self._state

    def _read(self) -> None:
        path = self.log.path
        try:
            stat = path.stat()
            sized: tuple[int, int] = (stat.st_size, stat.st_mtime_ns)
        except FileNotFoundError:
            sized = (0, 0)
        stamp = (*sized, self.codebook)
        old = self._state_stamp
        if self._state is None or old is None or old[:2] != sized or old[2] is not stamp[2]:
            self._events = self.log.read().events
            self._state = fold(self._events, resolve=self._resolve)
            self._state_stamp = stamp

    def undo_stacks(self) -> tuple[list[str], list[str]]:
        """Event ids an undo would withdraw and undo events a redo would withdraw, the
        next one last (see :func:`raakvlak.coding.history.undo_stacks`)."""
        self._read()
        return undo_stacks(self._events)

    def recent_codes(self, limit: int = 9) -> list[str]:
        """The live codes this coder applied last, most recent first (from the log);
        a code merged away is offered as the code it was merged into."""
        self._read()
        codebook = self.codebook

        def usable(code_id: str) -> str | None:
            if code_id not in codebook:
                return None
            try:
                resolved = codebook.resolve(code_id)
            except CodebookError:
                return None
            return resolved if codebook[resolved].live else None

        return recent_codes(self._events, usable, limit)

    def codings(self, document_id: str | None = None) -> pd.DataFrame:
        """This coder's live codings (all documents, or one)."""
        codings = self.state.codings
        if document_id is not None:
            codings = codings[codings["document_id"] == document_id]
        return codings.reset_index(drop=True)

    def _resolve(self, code_id: str) -> str:
        codebook = self.codebook
        return codebook.resolve(code_id) if code_id in codebook else code_id

    # ------------------------------------------------------------------ coding
    def select(self, document_id: str, start: int, end: int, exact: bool = False) -> tuple[int, int]:
        """The span a selection ``[start:end]`` of a document codes: out of speaker labels,
        white space dropped, grown to whole words unless ``exact`` (see
        :func:`raakvlak.coding.spans.snap_span`)."""
        text = self.text(document_id)
        _check_offsets(text, document_id, start, end)
        return snap_span(text, start, end, self.turns(document_id), exact=exact)

    def turns(self, document_id: str) -> list[tuple[int, int]]:
        """``(start, end)`` of the turns (paragraphs) of a document: where its words are."""
        if document_id not in self._turns:
            segments = self.project.corpus.segments(level="turn", documents=[document_id])
            self._turns[document_id] = sorted(zip(segments["start"].tolist(), segments["end"].tolist(),
                                                  strict=True))
        return self._turns[document_id]

    def code(
        self,
        document_id: str,
        start: int,
        end: int,
        code_id: str,
        memo: str | None = None,
        origin: str = "manual",
        detail: dict[str, Any] | None = None,
        whole_words: bool = False,
    ) -> dict[str, Any]:
        """Apply a code to ``text[start:end]`` and return the event written.

        The span is taken out of speaker labels and white space around it is dropped,
        so the quote starts and ends with a word; ``whole_words`` also grows it to
        whole words (what a selection in the widget gets). Offsets are code points on
        the canonical text.

        Raises
        ------
        CodingError
            For an empty or outside span, an unknown or retired code, or a coding this
            coder already made (same code, same span).
        """
        event = self._code_event(document_id, start, end, code_id, memo, origin, detail, whole_words)
        return self.log.append(event)

    def code_segment(self, segment_id: str, code_id: str, memo: str | None = None) -> dict[str, Any]:
        """Code a whole segment (a speaker turn, paragraph or sentence) by its id."""
        document_id = segment_id.split(":", 1)[0]
        segments = self.project.corpus.segments(level=None, documents=[document_id])
        row = segments[segments["segment_id"] == segment_id]
        if row.empty:
            raise CodingError(f"unknown segment {segment_id!r} in document {document_id!r}")
        return self.code(document_id, int(row["start"].iloc[0]), int(row["end"].iloc[0]), code_id, memo)

    def uncode(self, event_id: str) -> dict[str, Any]:
        """Withdraw one of this coder's codings or memos (the event stays in the log)."""
        known = set(self.state.history["event_id"])
        if event_id not in known:
            raise CodingError(f"no event {event_id!r} in the log of {self.coder!r}")
        return self.log.append(uncode_event(event_id, action="remove"))

    def memo(self, on: str, target: str, text: str) -> dict[str, Any]:
        """Write a memo on the ``project`` (target ``""``), a ``document``, a ``code`` or a ``coding``."""
        if on == "document":
            self.project.corpus.document(target)
        elif on == "code" and target not in self.codebook:
            raise CodingError(f"unknown code {target!r}; see {self.project.codebook_path.name}")
        elif on == "coding" and target not in set(self.state.codings["event_id"]):
            raise CodingError(f"no live coding {target!r} of coder {self.coder!r}")
        return self.log.append({"kind": "memo", "on": on, "target": target, "text": text})

    def in_vivo(self, document_id: str, start: int, end: int, parent: str | None = None,
                whole_words: bool = False) -> dict[str, Any]:
        """Make a new emergent code named after the selected words, and code the selection with it."""
        if whole_words:
            start, end = self.select(document_id, start, end)
        quote = self.text(document_id)[start:end].strip()
        label = re.sub(r"\s+", " ", quote)[:60]
        if not label:
            raise CodingError("select some words to make an in-vivo code")
        with self.project.lock("in-vivo code"):  # read, add and save as one change of the codebook
            codebook = self.project.codebook
            parent = parent or _inductive_group(codebook)
            code_id = codebook.new_id(label, parent)
            updated = codebook.add_code(code_id=code_id, label_nl=label, label_en=label, parent=parent,
                                        status="emergent", definition=f"In-vivo code from {document_id}: “{label}”.")
            updated.save(self.project.codebook_path)
        return self.code(document_id, start, end, code_id, detail={"in_vivo": True})

    # ------------------------------------------------------------------ undo
    def undo(self) -> dict[str, Any] | None:
        """Withdraw this coder's last action, also one of an earlier session; None when
        there is nothing to undo."""
        undo, _ = self.undo_stacks()
        if not undo:
            return None
        return self.log.append(uncode_event(undo[-1], action="undo"))

    def redo(self) -> dict[str, Any] | None:
        """Withdraw the last undo (restoring what it withdrew); None when there is nothing to redo."""
        _, redo = self.undo_stacks()
        if not redo:
            return None
        return self.log.append(uncode_event(redo[-1], action="redo"))

    # ------------------------------------------------------------------ helpers
    def _code_event(self, document_id, start, end, code_id, memo, origin, detail,
                    whole_words=False) -> dict[str, Any]:
        text = self.text(document_id)
        _check_offsets(text, document_id, start, end)
        start, end = snap_span(text, start, end, self.turns(document_id), exact=not whole_words)
        codebook = self.codebook
        if code_id not in codebook:
            raise CodingError(
                f"unknown code {code_id!r}; add it to {self.project.codebook_path.name} first "
                "(or use an in-vivo code)"
            )
        code = codebook[code_id]
        if not code.live:
            hint = f"; use {codebook.resolve(code_id)!r}" if code.replaced_by else ""
            raise CodingError(f"code {code_id!r} is {code.status}{hint}")
        if self._already_coded(document_id, start, end, code_id):
            raise CodingError(
                f"“{_short(text[start:end])}” already has the code {code.label(self.project.language)!r} "
                f"({code_id}) from {self.coder}; nothing was saved")
        return code_event(document_id, text, start, end, code_id, origin=origin,
                          memo=memo or None, detail=detail or None)

    def _already_coded(self, document_id: str, start: int, end: int, code_id: str) -> bool:
        codings = self.state.codings
        same = ((codings["document_id"] == document_id) & (codings["start"] == start)
                & (codings["end"] == end) & (codings["code_id"] == code_id))
        return bool(same.any())

    # ------------------------------------------------------------------ autocode
    def autocode_preview(
        self,
        query: str,
        how: str = "keyword",
        level: str = "sentence",
        documents: list[str] | None = None,
    ) -> pd.DataFrame:
        """Segments an autocode query would code, before anything is written.

        Parameters
        ----------
        query : words (``keyword``: any of them, whole words, case-insensitive),
            a regular expression (``regex``), or lemmas (``lemma``: any of them).
        how : ``keyword``, ``regex`` or ``lemma``.
        level : ``turn`` or ``sentence``: the unit that gets coded.
        documents : only these documents (default: all).

        Returns
        -------
        DataFrame with ``document_id, segment_id, start, end, text``.
        """
        segments = self.project.corpus.segments(level=level, lemmas=how == "lemma", documents=documents)
        if how == "keyword":
            words = [re.escape(w) for w in query.split() if w]
            if not words:
                raise CodingError("autocode needs at least one keyword")
            mask = segments["text"].str.contains(r"\b(?:" + "|".join(words) + r")\b", case=False, regex=True)
        elif how == "regex":
            try:
                pattern = re.compile(query)
            except re.error as exc:
                raise CodingError(f"autocode: {query!r} is not a valid regular expression ({exc})") from exc
            mask = segments["text"].map(lambda t: bool(pattern.search(t)))
        elif how == "lemma":
            wanted = {w.lower() for w in query.split()}
            if not wanted:
                raise CodingError("autocode needs at least one lemma")
            mask = segments["lemmas"].map(lambda lemmas: bool(wanted & set(lemmas.split())))
        else:
            raise CodingError(f"autocode: how must be keyword, regex or lemma, not {how!r}")
        columns = ["document_id", "segment_id", "start", "end", "text"]
        return segments.loc[mask, columns].reset_index(drop=True)

    def autocode(self, hits: pd.DataFrame, code_id: str, query: str, how: str = "keyword") -> list[dict[str, Any]]:
        """Code the previewed ``hits`` with ``code_id`` (origin ``autocode``, the query kept).

        Hits this coder already coded with ``code_id`` are left out (no duplicates)."""
        detail = {"query": query, "how": how}
        events = []
        for row in hits.itertuples():
            try:
                events.append(self._code_event(row.document_id, int(row.start), int(row.end), code_id,
                                               None, "autocode", detail))
            except CodingError:
                if not self._already_coded(row.document_id, int(row.start), int(row.end), code_id):
                    raise
        return self.log.append_many(events) if events else []

    # ------------------------------------------------------------------ navigation
    def progress(self, level: str = "turn") -> pd.DataFrame:
        """Per document: segments, coded segments (by this coder) and the share coded."""
        segments = self.project.corpus.segments(level=level)
        coded = _coded_mask(segments, self.codings())
        table = (
            segments.assign(coded=coded)
            .groupby("document_id", sort=False)["coded"]
            .agg(segments="size", coded="sum")
            .reset_index()
        )
        table["share"] = (table["coded"] / table["segments"]).round(3)
        return table

    def next_uncoded(
        self, document_id: str | None = None, after: int = -1, level: str = "turn", backwards: bool = False
    ) -> pd.Series | None:
        """The next (or previous) segment without any coding of this coder.

        Searches ``document_id`` from offset ``after`` on (or all documents in order);
        returns the segment row, or None when everything is coded.
        """
        documents = [document_id] if document_id else None
        segments = self.project.corpus.segments(level=level, documents=documents)
        uncoded = segments[~_coded_mask(segments, self.codings())]
        if document_id is not None:
            uncoded = uncoded[uncoded["start"] < after] if backwards else uncoded[uncoded["start"] > after]
        if uncoded.empty:
            return None
        return uncoded.iloc[-1] if backwards else uncoded.iloc[0]


def _coded_mask(segments: pd.DataFrame, codings: pd.DataFrame) -> pd.Series:
    """True for segments that overlap at least one coding."""
    mask = pd.Series(False, index=segments.index)
    for document_id, spans in codings.groupby("document_id"):
        rows = segments["document_id"] == document_id
        starts = segments.loc[rows, "start"].to_numpy()
        ends = segments.loc[rows, "end"].to_numpy()
        hit = pd.Series(False, index=segments.index[rows])
        for start, end in zip(spans["start"], spans["end"], strict=True):
            hit |= (starts < end) & (ends > start)
        mask.loc[rows] = hit.to_numpy()
    return mask


def _check_offsets(text: str, document_id: str, start: Any, end: Any) -> None:
    if isinstance(start, bool) or isinstance(end, bool) or not (
            isinstance(start, int) and isinstance(end, int)):
        raise CodingError(f"offsets must be whole numbers, got {start!r} and {end!r}")
    if not 0 <= start < end <= len(text):
        raise CodingError(
            f"span {start}-{end} lies outside document {document_id!r} "
            f"(0-{len(text)}) or is empty; offsets are code points, end-exclusive"
        )


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _inductive_group(codebook: Codebook) -> str | None:
    for code in codebook:
        if code.parent is None and "induct" in code.id:
            return code.id
    return None
