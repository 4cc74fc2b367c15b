"""Import REFI-QDA files (``.qdpx`` projects, ``.qdc`` codebooks) from other tools.

An import is prepared completely in memory and written only at the end (pseudonym
key, corpus, codebook, coding logs), so a broken or hostile file raises
:class:`~raakvlak.errors.ExchangeError` and leaves the project as it was.

* **Sources** become corpus documents through the same canonicalisation and
  pseudonymisation as any import (:func:`raakvlak.corpus.canonical.canonicalise`,
  :class:`raakvlak.corpus.pseudonymise.Pseudonymiser`); speaker labels of a
  transcript-like text are registered in the pseudonym key first, as the main
  importer does. The text is not re-flowed, so every selection can be mapped.
  A source whose canonical, pseudonymised text equals a document already in the corpus
  (same SHA-256) is not imported again: its codings attach to that document.
* **Codes** join the codebook: a code exported by raakvlak keeps its id when that id
  is free (or already holds the same code); a code of another tool gets a new id
  (:meth:`raakvlak.coding.codebook.Codebook.new_id`) and a note with its REFI GUID.
  A code with the same label under the same parent is reused, so importing twice
  does not duplicate the codebook.
* **Selections** become ``code`` events with origin ``import`` and detail
  ``{"tool": ..., "guid": <selection guid>, "coding_guid": ...}``, in one log per user
  (coder id = slug of the user's name; selections without a user go to the slug of
  the tool's name). Notes become memos (on the project, a document, a code, or the
  coding's ``memo``); a note on nothing that was placed becomes a project memo, and
  several notes of one coder on one object are joined (a later memo replaces an
  earlier one in raakvlak). A coding the coder already has (same document, span and code)
  is skipped, so importing twice adds nothing.
* **Positions.** The unit is detected per source (:func:`detect_unit`): for every
  candidate unit (code points or UTF-16 code units; line ends as written, CRLF counted
  once, or LF counted as CRLF) the selections whose ``name`` holds text are checked
  against the text at their positions, and the unit with most matches wins; on a tie
  or without evidence the tool's known habit decides (NVivo: UTF-16 with CRLF as two;
  ATLAS.ti: CRLF as one; others: code points as written). Each source's report row
  says which unit was used and on what evidence. Selections are trimmed of white space
  at their ends, as when coding by hand.
* **Nothing is dropped silently.** What cannot be placed (a position that is no
  character boundary in the unit, outside the text, a span of nothing but white
  space, an unknown code, a source without text, a picture or recording file missing from
  the archive) is listed in :attr:`RefiImportReport.unplaced` with the reason.
* **Pictures and recordings** (:mod:`raakvlak.exchange.refi_media_import`): picture
  sources become picture documents with their region codings; a recording's transcript
  is a text source, the recording and its sync points are attached to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from raakvlak.coding import events as ev
from raakvlak.coding.codebook import Codebook
from raakvlak.corpus.detection import REVIEW_COLUMNS, review_lines, write_review
from raakvlak.corpus.preparation import Preparation
from raakvlak.corpus.source import UNPACKED_FACTOR
from raakvlak.corpus.store import DocumentRecord
from raakvlak.errors import ExchangeError, RaakvlakError, file_problem
from raakvlak.exchange.positions import detect_unit, unit_map
from raakvlak.exchange.refi_codes import join_codes
from raakvlak.exchange.refi_events import EventBuilder
from raakvlak.exchange.refi_file import (
    RefiProject,
    local_name,
    read_project,
    read_qdpx,
    read_qdpx_files,
)
from raakvlak.exchange.refi_media_import import MediaPlan, add_transcripts
from raakvlak.exchange.refi_sources import (
    Placed,
    ReadSource,
    place,
    read_sources,
    register_speakers,
)
from raakvlak.exchange.safety import DEFAULT_LIMITS, Limits, parse_xml
from raakvlak.ids import LANGUAGES, is_slug
from raakvlak.project import Project

__all__ = ["RefiImportReport", "detect_unit", "import_qdc", "import_qdpx", "read_qdpx"]

UNPLACED_COLUMNS = ["source", "selection_guid", "start", "end", "code", "coder", "reason"]
UNIT_COLUMNS = ["document_id", "source", "unit", "checked", "matched", "how"]
CODE_COLUMNS = ["guid", "name", "code_id", "action"]


# ---------------------------------------------------------------------- the report
@dataclass
class RefiImportReport:
    """What a REFI-QDA import did.

    Attributes
    ----------
    tool : the exporting tool (the file's ``origin``).
    documents : ids of the new documents, in file order.
    reused_documents : ids of documents already in the corpus with the same text.
    codes : one row per REFI code: ``guid, name, code_id, action`` (added or existing).
    codings : the number of new codings per coder.
    memos : the number of memos written.
    replacements : pseudonymisation replacements per kind (as for any import).
    review : the names the import found by itself, replaced or near misses
        (:data:`~raakvlak.corpus.detection.REVIEW_COLUMNS`, as for any import).
    review_file : where that list was written (``private/reviews/``), or None.
    units : one row per source: ``document_id, source, unit, checked, matched, how``.
    unplaced : what could not be placed: ``source, selection_guid, start, end, code,
        coder, reason`` (never dropped silently).
    messages : further remarks, one line each.
    """

    tool: str = ""
    documents: list[str] = field(default_factory=list)
    reused_documents: list[str] = field(default_factory=list)
    codes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CODE_COLUMNS))
    codings: dict[str, int] = field(default_factory=dict)
    memos: int = 0
    replacements: dict[str, int] = field(default_factory=dict)
    review: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVIEW_COLUMNS))
    review_file: Path | None = None
    units: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNIT_COLUMNS))
    unplaced: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNPLACED_COLUMNS))
    messages: list[str] = field(default_factory=list)

    def unplaced_lines(self) -> list[str]:
        """What could not be placed, one readable line each: source, code, span, why."""
        lines = []
        for row in self.unplaced.itertuples(index=False):
            span = "" if pd.isna(row.start) else f" {int(row.start)}-{int(row.end)}"
            code = f" {row.code}" if row.code else ""
            lines.append(f"{row.source}:{code}{span} ({row.reason})")
        return lines

    def summary(self) -> list[str]:
        """Readable lines for the CLI and notebooks."""
        added = int((self.codes["action"] == "added").sum()) if len(self.codes) else 0
        lines = [f"from {self.tool or 'an unknown tool'}: {len(self.documents)} new document(s), "
                 f"{len(self.reused_documents)} already in the corpus, {added} new code(s), "
                 f"{sum(self.codings.values())} coding(s), {self.memos} memo(s)"]
        lines += [f"coder {coder}: {count} coding(s)" for coder, count in sorted(self.codings.items())]
        lines += [f"{row.document_id}: positions read as {row.unit} ({row.how})"
                  for row in self.units.itertuples(index=False)]
        if len(self.unplaced):
            lines.append(f"{len(self.unplaced)} selection(s) or source(s) could not be placed (listed in "
                         "report.unplaced; the command lists them)")
        return lines + review_lines(self.review, self.review_file) + self.messages


# ---------------------------------------------------------------------- sources


def _pseudonymise_texts(model: RefiProject, preparation: Preparation) -> None:
    """Replace names and identifiers in what becomes memos and codebook entries (the notes,
    the codes' names and descriptions), with the key as the sources left it."""
    for note in model.notes.values():
        note.text, note.name = preparation.texts([note.text, note.name])
    for code in model.codes:
        code.name, code.description = preparation.texts([code.name, code.description])


# ---------------------------------------------------------------------- import
def import_qdpx(
    project: Project,
    path: str | Path,
    pseudonymise: bool | None = None,
    limits: Limits | None = None,
) -> RefiImportReport:
    """Import a REFI-QDA project (``.qdpx``) into ``project``.

    Parameters
    ----------
    project : the project to import into (it may be empty).
    path : the ``.qdpx`` file.
    pseudonymise : apply the project's pseudonym key; default from ``raakvlak.toml``.
    limits : limits on the archive (entries, uncompressed bytes); default: each text at
        most ``[import] max_bytes`` of ``raakvlak.toml``, all of them four times that.

    Returns
    -------
    RefiImportReport

    Raises
    ------
    ExchangeError
        When the file is broken or hostile (see :mod:`raakvlak.exchange.safety`) or
        an imported code or event would be invalid; then the project is unchanged.
        What merely cannot be placed is listed in the report instead.
    """
    path = Path(path)
    if limits is None:  # each text as large as an imported file may be (raakvlak.toml)
        size = project.settings.max_import_bytes
        limits = Limits(max_entry_bytes=size, max_total_bytes=UNPACKED_FACTOR * size)
    with project.lock("import-qdpx"):
        return _import_qdpx(project, path, pseudonymise, limits)


def _import_qdpx(project: Project, path: Path, pseudonymise: bool | None, limits: Limits) -> RefiImportReport:
    """The import itself, under the project's lock (see :func:`import_qdpx`)."""
    model, files = read_qdpx_files(path, limits)
    tool = model.origin.strip() or "unknown tool"
    report = RefiImportReport(tool=tool)
    preparation = Preparation.start(project, project.language,
                                    project.settings.pseudonymise if pseudonymise is None else pseudonymise)
    unplaced: list[dict[str, Any]] = []
    text_of = add_transcripts(model)  # a recording's transcript is a text source
    read = read_sources(model, files, path.name, report.messages, unplaced)
    register_speakers(read, preparation)  # every speaker of every source, before any text
    for item in read:  # then the names in every source, before any text is replaced
        language = item.variables.get("language", "")
        preparation.detect(item.source.guid, [item.canonical], language if language in LANGUAGES else None)
    placed = _place_all(read, preparation, tool, report)
    _pseudonymise_texts(model, preparation)  # memos, notes and codes reach tracked files too
    report.replacements = dict(preparation.replacements)

    codebook = project.codebook
    original_codebook_text = codebook.text
    codebook, code_map, code_rows, messages = join_codes(codebook, model.codes, tool, path.name, project.language)
    report.messages += messages
    report.codes = pd.DataFrame(code_rows, columns=CODE_COLUMNS)
    state, _ = project.coding_state()
    builder = EventBuilder(model, tool, code_map, codebook, state, unplaced, report.messages)
    for item in placed:
        builder.source_events(item)
    media = MediaPlan(project, path)
    media.prepare(model, placed, text_of, builder, state, preparation, unplaced)
    builder.memo_events([*placed, *media.placed], state)  # notes on a picture are its memos
    report.memos = builder.memos
    checked = _checked_events(builder.events, path.name)
    report.codings = {c: n for c, items in checked.items() if (n := sum(e["kind"] == "code" for e in items))}
    report.unplaced = pd.DataFrame(unplaced, columns=UNPLACED_COLUMNS)
    records = [item.record for item in placed if item.record is not None]
    report.documents = [r.document_id for r in records]
    report.reused_documents = sorted({item.document_id for item in placed if item.record is None})
    report.messages += media.summary()
    if not records and not checked and codebook.text == original_codebook_text and not media.pictures \
            and not media.recordings and not media.sync:
        if len(report.unplaced) or not model.sources:
            report.messages.append("nothing in the file could be imported")
        return report
    guid = {item.record.document_id: item.source.guid for item in placed if item.record is not None}
    report.review = preparation.review([(guid[r.document_id], r.document_id, r.text) for r in records])
    _commit(project, path, preparation, records, codebook, original_codebook_text, checked, report, media)
    report.documents += [picture.document_id for picture in media.pictures]
    return report


def _place_all(read: list[ReadSource], preparation: Preparation, tool: str,
               report: RefiImportReport) -> list[Placed]:
    """Every read source placed (step 3 of :mod:`raakvlak.exchange.refi_sources`), with the
    position unit its selections count in, and a row of ``report.units`` each."""
    documents = preparation.store.documents()
    existing = dict(zip(documents["sha256"], documents["document_id"], strict=True))
    placed, unit_rows = [], []
    for item in read:
        source = item.source
        result, dropped = place(item, preparation, existing, preparation.project.language)
        unit, checked, matched, how = detect_unit(item.raw, source.selections, tool)
        result.counted, result.raw_index = unit_map(item.raw, unit)
        if not item.exact:
            report.messages.append(f"{source.name}: canonicalisation could not be followed step by step; "
                                   "check the imported codings of this document")
        report.messages += [f"{source.name}: variable {name!r} is a corpus column and was not imported"
                            for name in dropped]
        unit_rows.append({"document_id": result.document_id, "source": source.name, "unit": str(unit),
                          "checked": checked, "matched": matched, "how": how})
        placed.append(result)
    report.units = pd.DataFrame(unit_rows, columns=UNIT_COLUMNS)
    return placed


def _checked_events(events: dict[str, list[dict[str, Any]]], what: str) -> dict[str, list[dict[str, Any]]]:
    """Every coder's events completed and checked; one invalid event refuses the file."""
    checked: dict[str, list[dict[str, Any]]] = {}
    for coder, items in sorted(events.items()):
        if not is_slug(coder):
            raise ExchangeError(f"{what}: user name gives coder id {coder!r}, which is not a slug")
        completed = [ev.complete(e, coder) for e in items]
        problems = ev.find_problems(completed)
        if problems:
            _, problem = min(problems.items())
            raise ExchangeError(f"{what}: an imported event of coder {coder!r} is invalid ({problem}); "
                                "nothing was imported")
        checked[coder] = completed
    return checked


def _commit(project: Project, path: Path, preparation: Preparation, records: list[DocumentRecord],
            codebook: Codebook, original_codebook_text: str, checked: dict[str, list[dict[str, Any]]],
            report: RefiImportReport, media: MediaPlan | None = None) -> None:
    """Write the key, the documents, the codebook and the logs, in that order; each step
    is whole or not at all, and a failure says which steps were done."""
    written: list[str] = []
    try:
        warnings = preparation.finish()
        report.messages += [f"warning: {warning}" for warning in warnings]
        if records:
            preparation.store.add(records)
            written.append(f"{len(records)} document(s)")
            if preparation.pseudonymiser is not None:
                report.review_file = write_review(project.private_dir, report.review)
                written.append(f"the review list {report.review_file.name}")
        if codebook.text != original_codebook_text:
            codebook.save(project.codebook_path)
            written.append("the codebook")
        if media is not None:  # pictures before the logs whose region events name them
            media.write(written)
        for coder, items in checked.items():
            project.log(coder).append_many(items)
            written.append(f"the log of {coder}")
    except (OSError, RaakvlakError) as exc:
        reason = file_problem(exc) if isinstance(exc, OSError) else str(exc)
        raise ExchangeError(
            f"{path.name}: writing the import failed ({reason}); written before the failure: "
            f"{', '.join(written) or 'nothing'}. Fix the cause and import the file again: what is "
            "already there is not added twice") from exc


def import_qdc(project: Project, path: str | Path, max_bytes: int = DEFAULT_LIMITS.max_entry_bytes) -> RefiImportReport:
    """Add the codes of a REFI-QDA codebook (``.qdc``) to the project's codebook.

    Raises
    ------
    ExchangeError
        When the file is missing, too large, not well-formed, hostile or not a REFI
        codebook; then the codebook is unchanged.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExchangeError(f"{path.name}: cannot read the file ({exc})") from exc
    if size > max_bytes:
        raise ExchangeError(f"{path.name}: {size} bytes, more than the limit of {max_bytes}")
    root = parse_xml(path.read_bytes(), path.name)
    if local_name(root.tag) not in ("CodeBook", "Project"):
        raise ExchangeError(f"{path.name}: not a REFI-QDA codebook (root <{local_name(root.tag)}>)")
    model = read_project(root, path.name)
    tool = (root.get("origin") or "").strip() or "unknown tool"
    with project.lock("import-qdc"):
        codebook = project.codebook
        updated, _, rows, messages = join_codes(codebook, model.codes, tool, path.name, project.language)
        report = RefiImportReport(tool=tool, codes=pd.DataFrame(rows, columns=CODE_COLUMNS), messages=messages)
        if updated.text != codebook.text:
            updated.save(project.codebook_path)
    return report
