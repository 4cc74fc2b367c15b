"""Documents already in the corpus changed on purpose, their codings carried along.

Three changes, each under the project's lock, none of which deletes a line of a log:

* :func:`pseudonymise_documents` (``raakvlak pseudonymise [DOC...]``) applies the key as it
  is now to stored texts, and carries every coding through the exact replacements: the
  edit list says where each character went, so no search is needed. A coding that held
  a name now holds its pseudonym; a boundary inside a replaced name moves to the edge of
  its pseudonym (a start to its start, an end to its end).
* :func:`replace_document` (``raakvlak replace DOC FILE``) imports a file as the new text
  of a document (title, date and variables kept) and re-anchors its codings with
  :mod:`raakvlak.coding.reanchor`; a coding that cannot be placed is reported, kept as
  it was, and counts as orphaned.
* :func:`remove_document` (``raakvlak remove DOC``) takes a document out: refused while
  it has codings unless forced, and then its codings stay in the logs, listed as
  orphaned; its text and rows are copied to ``private/removed/`` first.

A moved coding gets a ``reanchor`` event in its coder's log (new offsets, quote, context
and fingerprint); codings whose quote was not at its offsets before the change are left
exactly as they were and reported.

Examples
--------
>>> edits = [(4, 11, "Docent 1")]  # "Marieke" -> "Docent 1"
>>> apply_edits("Bel Marieke nu.", edits)
'Bel Docent 1 nu.'
>>> moved = boundary_map(edits)
>>> moved(12, "start"), moved(4, "start"), moved(6, "end"), moved(11, "end")
(13, 4, 12, 12)
"""

from __future__ import annotations

import shutil
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from raakvlak.coding.events import reanchor_event
from raakvlak.coding.reanchor import OffsetMap, place
from raakvlak.corpus.canonical import canonicalise
from raakvlak.corpus.pseudonymise import Pseudonymiser
from raakvlak.errors import CorpusError
from raakvlak.files import atomic_write_text
from raakvlak.project import Project

if TYPE_CHECKING:
    from raakvlak.corpus.importer import ImportReport

MOVED_COLUMNS = ["coder", "event_id", "code_id", "start", "end", "new_start", "new_end", "quote",
                 "new_quote", "how"]
"""One row per coding a change concerned: where it was and went (``new_start`` and
``new_end`` empty when it could not be placed) and ``how``: ``edits`` (carried through
the replacements), a :class:`~raakvlak.coding.reanchor.Placement` method, or
``orphaned: <why>`` (kept as it was)."""
REMOVED_FOLDER = "removed"
Edit = tuple[int, int, str]


@dataclass
class DocumentChange:
    """What a change did to one document and its codings.

    Attributes
    ----------
    document_id : the document.
    replacements : how many places of its text changed.
    codings : :data:`MOVED_COLUMNS`, one row per coding on it.
    """

    document_id: str
    replacements: int = 0
    codings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=MOVED_COLUMNS))

    @property
    def orphaned(self) -> pd.DataFrame:
        """The codings it could not carry (kept as they were)."""
        return self.codings[self.codings["how"].str.startswith("orphaned")]


def apply_edits(text: str, edits: list[Edit]) -> str:
    """``text`` with each ``(start, end, replacement)`` of ``edits`` (in text order, not
    overlapping) made."""
    pieces, last = [], 0
    for start, end, replacement in edits:
        pieces += (text[last:start], replacement)
        last = end
    return "".join(pieces) + text[last:]


def boundary_map(edits: list[Edit]) -> Callable[[int, str], int]:
    """Where a boundary of the old text goes in the text :func:`apply_edits` makes.

    A boundary outside the edits shifts by what the edits before it added or took away;
    one inside a replaced span goes to the start of its replacement when it starts a
    span (``side="start"``) and to its end when it ends one (``side="end"``), so a span
    never loses part of a replacement it touched.
    """
    starts = [start for start, _, _ in edits]
    before = [0]  # what the edits before edit i added
    for start, end, replacement in edits:
        before.append(before[-1] + len(replacement) - (end - start))

    def moved(offset: int, side: str) -> int:
        i = bisect_right(starts, offset) - 1
        if i < 0:
            return offset
        start, end, replacement = edits[i]
        if offset >= end:
            return offset + before[i + 1]
        if offset == start or side == "start":
            return start + before[i]
        return start + before[i] + len(replacement)

    return moved


def _live_codings(project: Project, document_id: str) -> pd.DataFrame:
    state, _ = project.coding_state()
    return state.codings[state.codings["document_id"] == document_id]


def _row(coding, new_start: int | None, new_end: int | None, new_quote: str, how: str) -> dict:
    return {"coder": coding.coder, "event_id": coding.event_id, "code_id": coding.code_id,
            "start": int(coding.start), "end": int(coding.end), "new_start": new_start,
            "new_end": new_end, "quote": coding.quote, "new_quote": new_quote, "how": how}


def _carry(project: Project, codings: pd.DataFrame, old: str, new: str,
           locate: Callable[[object], tuple[int | None, int | None, str]]) -> pd.DataFrame:
    """Move ``codings`` from ``old`` onto ``new`` (``locate``: a coding's new start, end and
    how, or None, None and why not) and append a ``reanchor`` event for each one placed."""
    rows, events = [], {}
    for coding in codings.itertuples(index=False):
        start, end = int(coding.start), int(coding.end)
        if old[start:end] != coding.quote:
            rows.append(_row(coding, None, None, "", "orphaned: its quote was not at its offsets "
                             "before this change (left as it was; see raakvlak reanchor)"))
            continue
        new_start, new_end, how = locate(coding)
        if new_start is None or new_end is None or new_end <= new_start:
            rows.append(_row(coding, None, None, "", f"orphaned: {how}"))
            continue
        events.setdefault(coding.coder, []).append(reanchor_event(coding.event_id, new, new_start, new_end))
        rows.append(_row(coding, new_start, new_end, new[new_start:new_end], how))
    for coder, coder_events in sorted(events.items()):
        project.log(coder).append_many(coder_events)
    return pd.DataFrame(rows, columns=MOVED_COLUMNS).astype({"new_start": "Int64", "new_end": "Int64"})


def rewrite_document(project: Project, document_id: str, edits: list[Edit],
                     speakers: dict[str, str] | None = None,
                     fields: dict[str, str] | None = None) -> DocumentChange:
    """Make ``edits`` in a stored text and carry its codings through them exactly; rename
    speakers (``{old: new}``) and set ``title``/``source`` on the way. The caller holds
    the project's lock. Nothing is written when nothing changes."""
    store = project.corpus.store
    old = store.read_text(document_id)
    new = apply_edits(old, edits)
    if new != canonicalise(new):
        raise CorpusError(f"{store.text_path(document_id)}: the replacements would leave text that is "
                          "not canonical; nothing was changed")
    speakers = {old_label: label for old_label, label in (speakers or {}).items() if old_label != label}
    if new == old and not speakers and not fields:
        return DocumentChange(document_id)
    codings = _live_codings(project, document_id)
    store.rewrite(document_id, new, speakers, fields)
    moved = boundary_map(edits)
    carried = _carry(project, codings, old, new,
                     lambda c: (moved(int(c.start), "start"), moved(int(c.end), "end"), "edits"))
    return DocumentChange(document_id, len(edits), carried)


# ---------------------------------------------------------------------- pseudonymise
def pseudonymise_documents(project: Project, document_ids: Iterable[str] | None = None,
                           pseudonymiser: Pseudonymiser | None = None) -> list[DocumentChange]:
    """Apply the key as it is now to documents already in the corpus (default: all),
    with their speaker labels, titles and sources, carrying every coding exactly.

    Returns
    -------
    list of DocumentChange
        One per document, in corpus order.

    Raises
    ------
    CorpusError
        When a document is not in the corpus (nothing is changed then).
    """
    with project.lock("pseudonymise"):
        documents = project.corpus.store.documents()
        known = list(documents["document_id"])
        wanted = known if document_ids is None else list(dict.fromkeys(document_ids))
        missing = [d for d in wanted if d not in set(known)]
        if missing:
            raise CorpusError(f"no document {', '.join(map(repr, missing))} in the corpus; "
                              f"see {project.corpus.store.documents_path}")
        if pseudonymiser is None:
            pseudonymiser = Pseudonymiser(project.private_dir / "pseudonyms.csv", project.language)
        speakers = project.corpus.store.speakers()
        changes = []
        for row in documents[documents["document_id"].isin(wanted)].itertuples(index=False):
            language = row.language if row.language in ("nl", "en") else project.language
            text = project.corpus.store.read_text(row.document_id)
            labels = speakers.loc[speakers["document_id"] == row.document_id, "speaker"]
            renamed = {label: pseudonymiser.text(label, language)[0] for label in labels}
            fields = {column: new for column in ("title", "source")
                      if (new := pseudonymiser.text(getattr(row, column), language)[0]) != getattr(row, column)}
            changes.append(rewrite_document(project, row.document_id, pseudonymiser.edits(text, language),
                                            renamed, fields))
        return changes


# ---------------------------------------------------------------------- remove
@dataclass
class RemoveReport:
    """What ``raakvlak remove`` did: the document, where its copy went, and its codings
    (now orphaned: their document is gone; they stay in the logs)."""

    document_id: str
    copy: Path
    orphaned: pd.DataFrame


def remove_document(project: Project, document_id: str, force: bool = False) -> RemoveReport:
    """Take a document out of the corpus (``raakvlak remove DOC``).

    Refused while the document has codings, unless ``force``: then its codings stay in
    the logs (nothing is deleted from a log) and count as orphaned. Its text and its rows
    of ``documents.csv`` and ``speakers.csv`` are copied to ``private/removed/`` first.

    Raises
    ------
    CorpusError
        When the document is not in the corpus, or has codings and ``force`` is not set.
    """
    with project.lock("remove"):
        store = project.corpus.store
        documents = store.documents()
        if document_id not in set(documents["document_id"]):
            raise CorpusError(f"no document {document_id!r} in the corpus; see {store.documents_path}")
        codings = _live_codings(project, document_id)
        if len(codings) and not force:
            per_coder = ", ".join(f"{coder} {n}" for coder, n in codings["coder"].value_counts().sort_index().items())
            raise CorpusError(f"document {document_id!r} has {len(codings)} coding(s) ({per_coder}); removing "
                              "it would orphan them. Use --force to remove it anyway (the codings stay in "
                              "the logs and are listed as orphaned), or 'raakvlak replace' to give it a new text")
        copy = _keep_copy(project, document_id, documents, store.speakers())
        store.remove(document_id)
        orphaned = codings[["coder", "event_id", "code_id", "start", "end", "quote"]].reset_index(drop=True)
        return RemoveReport(document_id, copy, orphaned)


def _keep_copy(project: Project, document_id: str, documents: pd.DataFrame, speakers: pd.DataFrame) -> Path:
    """Copy a document's text and rows to ``private/removed/<id>-<UTC time>.*``; the text's path."""
    folder = project.private_dir / REMOVED_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{document_id}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}"
    text = folder / f"{stem}.txt"
    shutil.copyfile(project.corpus.store.text_path(document_id), text)
    rows = documents[documents["document_id"] == document_id]
    atomic_write_text(folder / f"{stem}.documents.csv", rows.to_csv(index=False, lineterminator="\n"))
    rows = speakers[speakers["document_id"] == document_id]
    atomic_write_text(folder / f"{stem}.speakers.csv", rows.to_csv(index=False, lineterminator="\n"))
    return text


# ---------------------------------------------------------------------- replace
@dataclass
class ReplaceReport:
    """What ``raakvlak replace`` did: the import of the new text (messages, review list)
    and where each coding of the document went (:class:`DocumentChange`)."""

    imported: ImportReport
    change: DocumentChange


def replace_document(project: Project, document_id: str, path: str | Path, kind: str | None = None,
                     language: str | None = None, pseudonymise: bool | None = None) -> ReplaceReport:
    """Give a document a new text from a file (``raakvlak replace DOC FILE``).

    The file is imported as any import reads it (speakers, names found, the key), under
    the document's id, title, date and variables (its kind and language too, unless
    given). Its codings are then re-anchored on the new text
    (:func:`raakvlak.coding.reanchor.place`, through the diff of the old and new text,
    then by quote and context); one that cannot be placed is reported and kept as it
    was (orphaned), never dropped.

    Raises
    ------
    ImportProblem, CorpusError
        When the document is not in the corpus or the file cannot be imported (nothing is
        changed then).
    """
    from raakvlak.corpus.importer import reimport_file

    with project.lock("replace"):
        store = project.corpus.store
        old = store.read_text(document_id) if document_id in set(store.documents()["document_id"]) else None
        if old is None:
            raise CorpusError(f"no document {document_id!r} in the corpus; see {store.documents_path}")
        codings = _live_codings(project, document_id)
        report = reimport_file(project, Path(path), document_id, kind=kind, language=language,
                               pseudonymise=pseudonymise)
        new = store.read_text(document_id)
        offsets = OffsetMap(old, new)

        def locate(coding) -> tuple[int | None, int | None, str]:  # noqa: ANN001
            placement = place(new, int(coding.start), int(coding.end), coding.quote, coding.prefix,
                              coding.suffix, offsets)
            return placement.start, placement.end, placement.method if placement.placed else placement.reason

        carried = _carry(project, codings, old, new, locate)
        return ReplaceReport(report, DocumentChange(document_id, int(new != old), carried))
