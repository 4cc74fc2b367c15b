"""Import: raw files -> canonical, pseudonymised documents in ``corpus/``.

The importer reads each file with the reader for its format, finds its structure
(speaker turns, timestamps, survey answers), finds the person names in it
(:mod:`raakvlak.corpus.detection`), pseudonymises it with the project's key in
``private/pseudonyms.csv``, renders canonical text and writes everything in one step;
what it replaced by itself and its near misses go to a review list in
``private/reviews/``, a new file per import.
Every file is prepared before anything is written: one bad file means nothing is
imported and the corpus is exactly as it was.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> project = Project.init(folder / "studie", name="Studie")
>>> raw = folder / "sessie.txt"
>>> _ = raw.write_text("Marieke (leerkracht): Wie belt de ouders?\\nPetra: Ik doe dat.\\n", encoding="utf-8")
>>> report = import_files(project, [raw])
>>> report.document_ids
['sessie']
>>> print(project.corpus.text("sessie"), end="")
Docent 1: Wie belt de ouders?
<BLANKLINE>
Spreker 1: Ik doe dat.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from raakvlak.corpus.canonical import canonicalise, canonicalise_all
from raakvlak.corpus.detection import REVIEW_COLUMNS, write_review
from raakvlak.corpus.language import detect_language
from raakvlak.corpus.preparation import Preparation
from raakvlak.corpus.readers import Source, Turn, read_sources
from raakvlak.corpus.store import KINDS, DocumentRecord, document_variables
from raakvlak.corpus.structure import format_turn
from raakvlak.corpus.transcript import detect_turns
from raakvlak.errors import ImportProblem, RaakvlakError
from raakvlak.ids import LANGUAGES, is_slug, slug
from raakvlak.project import Project


@dataclass
class ImportReport:
    """What an import did.

    Attributes
    ----------
    document_ids : the new documents, in the order they were written.
    messages : one line per remark, each starting with the file name
        (encoding used, repairs, structure found, replacements made).
    replacements : counts per kind of pseudonymisation replacement (``detected``: names
        the import found by itself).
    review : the names the import found by itself, replaced or near misses, one row per
        name and document (:data:`~raakvlak.corpus.detection.REVIEW_COLUMNS`).
    review_file : where that list was written (``private/reviews/import-<UTC time>.csv``),
        or None when the import did not pseudonymise.
    warnings : documents already in the corpus that hold the name of a speaker this
        import added to the key (they were imported before the key knew the name).
    not_imported : what the files hold but the import could not take, one line each,
        starting with the file name (the command then exits with status 3).
    """

    document_ids: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    replacements: dict[str, int] = field(default_factory=dict)
    review: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVIEW_COLUMNS))
    review_file: Path | None = None
    warnings: list[str] = field(default_factory=list)
    not_imported: list[str] = field(default_factory=list)


def document_slug(value: str) -> str:
    """A document id from a file name or a title: lower case, a-z0-9 and ``-``.

    Examples
    --------
    >>> document_slug("Sessie 3 – Het Baken (def).docx")
    'sessie-3-het-baken-def-docx'
    """
    return slug(value, 48) or "document"


def _speaker_label(name: str) -> str:
    # a label must stay one readable line without a colon, or turns would be misread
    return re.sub(r"\s+", " ", name.replace(":", " ")).strip()


_BLANK_LINES = re.compile(r"\n\s*\n+")


def _turn_text(text: str) -> str:
    # a turn is one block: no blank lines inside it
    text = text.strip()
    return _BLANK_LINES.sub("\n", text) if text.count("\n") > 1 else text


@dataclass
class _Piece:
    """One source of one file: read, its kind decided and its turns found."""

    path: Path
    source: Source
    kind: str
    turns: list[Turn] | None
    language: str = ""
    how: str = ""  # how the language was decided, for the report
    _texts: list[str] | None = None

    @property
    def label(self) -> str:
        """The source, for the review list (a file can hold several)."""
        return f"{self.path}:{self.source.id_suffix}"

    def texts(self) -> list[str]:
        """The canonical texts to pseudonymise: its turns' texts, or its one text."""
        if self._texts is None:
            if self.turns is None:
                self._texts = [canonicalise(self.source.text or "")]
            else:
                self._texts = canonicalise_all([turn.text for turn in self.turns])
        return self._texts


def _structure(path: Path, source: Source, kind: str | None) -> _Piece:
    """Decide the kind of a source (unless given) and find its speaker turns, once."""
    kind = kind or source.kind
    turns = source.turns
    said = _without_headings(source)  # a heading is no turn
    if kind is None:
        if turns is None:
            turns = detect_turns(said)
        notes = path.suffix.lower() in {".md", ".docx", ".odt"}
        kind = "transcript" if turns is not None else "notes" if notes else "text"
    elif turns is None and kind in {"transcript", "survey"}:
        turns = detect_turns(said, lenient=True)
        if turns is None:
            raise ImportProblem(
                f"{path.name}: no speaker turns found (expected lines like 'Name: text'); "
                "import it with --kind notes, or mark the speakers"
            )
    return _Piece(path, source, kind, turns)


def _without_headings(source: Source) -> str:
    """The source's text without the lines that are its headings."""
    text = source.text or ""
    if not source.headings:
        return text
    headings = set(source.headings)
    return "\n".join(line for line in text.split("\n") if line.strip() not in headings)


def _speakers(piece: _Piece, preparation: Preparation) -> dict[str, str]:
    """The label of each speaker of ``piece`` as written in the corpus (its pseudonym,
    added to the key here: phase 1 of :class:`~raakvlak.corpus.preparation.Preparation`)."""
    turns = piece.turns or []
    roles: dict[str, str] = {}
    for turn in turns:
        if turn.role and not roles.get(turn.speaker):
            roles[turn.speaker] = turn.role
    labels = {}
    for original in dict.fromkeys(t.speaker for t in turns):
        label = _speaker_label(original)
        if label:
            label = _speaker_label(preparation.speaker(label, roles.get(original, ""),
                                                       survey=piece.kind == "survey", language=piece.language,
                                                       document=piece.label))
            for name in piece.source.speaker_names.get(original, []):
                preparation.alias(name, label)
        labels[original] = label
    return labels


def _render(piece: _Piece, labels: dict[str, str], preparation: Preparation) -> tuple[str, list[dict[str, str]]]:
    """Canonical text and speaker rows of one source (phase 2: its text pseudonymised)."""
    def clean(texts: list[str]) -> list[str]:
        return preparation.texts(texts, piece.language)

    source, turns = piece.source, piece.turns
    if turns is None:
        return canonicalise(clean(piece.texts())[0]), []
    speakers: dict[str, dict[str, str]] = {}
    blocks = []
    texts = clean(piece.texts())
    for turn, turn_text in zip(turns, texts, strict=True):
        speaker = labels[turn.speaker]
        if speaker and speaker not in speakers:
            variables = source.speaker_variables.get(turn.speaker, {})
            speakers[speaker] = {"speaker": speaker, "role": turn.role, **variables}
        elif speaker and turn.role and not speakers[speaker]["role"]:
            speakers[speaker]["role"] = turn.role
        text = _turn_text(turn_text)
        if text:
            blocks.append(format_turn(speaker, text, turn.timestamp))
    return canonicalise("\n\n".join(blocks)), list(speakers.values())


@dataclass(frozen=True)
class ImportOptions:
    """What the researcher said about the files of one import (see :func:`import_files`)."""

    document_id: str | None = None
    kind: str | None = None
    language: str | None = None
    variables: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    date: str = ""
    allow_duplicate: bool = False


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# how sure language detection must be to overrule the project's language
SURE_LANGUAGE = 0.8


def import_files(
    project: Project,
    paths: Iterable[str | Path],
    document_id: str | None = None,
    kind: str | None = None,
    language: str | None = None,
    pseudonymise: bool | None = None,
    variables: dict[str, str] | None = None,
    title: str | None = None,
    date: str = "",
    allow_duplicate: bool = False,
) -> ImportReport:
    """Import files into the project's corpus.

    Every file is read and its structure found first; then the speakers of all files
    get their pseudonyms; then the person names in all files are found (sure ones into
    the key); then the texts are pseudonymised and rendered. So a name is replaced
    wherever it occurs in the files of one import, also in a file read before the one
    where its owner speaks or where it was found.

    Parameters
    ----------
    project : the project to import into.
    paths : files (.txt .md .docx .odt .pdf .vtt .srt .csv .xlsx; pictures .jpg .jpeg .png .heic .heif
        go to :func:`raakvlak.corpus.pictures.import_pictures`).
    document_id : the id of the new document (one file only; a survey with several
        open questions gets ``ID-<question>``). Default: from the file name.
    kind : ``transcript``, ``notes``, ``survey`` or ``text``; default: detected.
    language : ``nl`` or ``en``; default: detected per document (the project's when
        the text does not say clearly).
    pseudonymise : find names and apply the project's pseudonym key; default from
        ``raakvlak.toml`` (on). The review list is then written to ``private/reviews/``.
    variables : document variables for every imported document (site, session ...).
    title : stored in ``documents.csv``.
    date : the date of the session or notes, ``YYYY-MM-DD`` (ISO 8601).
    allow_duplicate : import a text that is already in the corpus (refused otherwise).

    Returns
    -------
    ImportReport

    Raises
    ------
    ImportProblem
        When any file cannot be imported; then nothing is written.
    """
    paths = [Path(p) for p in paths]
    check_request(paths, document_id, date)
    from raakvlak.corpus.pictures import import_pictures, is_picture

    if any(map(is_picture, paths)):  # pictures are documents of their own (corpus/pictures.py)
        if not all(map(is_picture, paths)):
            raise ImportProblem("import pictures and texts in separate commands (nothing was imported)")
        return import_pictures(project, paths, document_id=document_id, title=title, date=date,  # type: ignore[return-value]
                               variables=variables, pseudonymise=pseudonymise)
    if kind is not None and kind not in KINDS:
        raise ImportProblem(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if language is not None and language not in LANGUAGES:
        raise ImportProblem(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    if pseudonymise is None:
        pseudonymise = project.settings.pseudonymise
    options = ImportOptions(document_id, kind, language, dict(variables or {}), title, date,
                            allow_duplicate)
    # one change of the corpus and the key at a time: the key and the tables are read,
    # decided on and written back under the project's lock
    with project.lock("import"):
        return _import(project, paths, options, pseudonymise)


def reimport_file(project: Project, path: Path, document_id: str, kind: str | None = None,
                  language: str | None = None, pseudonymise: bool | None = None) -> ImportReport:
    """Import ``path`` as the new text of ``document_id``, which keeps its title, date and
    variables (and its kind and language, unless given): ``raakvlak replace``, see
    :func:`raakvlak.corpus.editing.replace_document`, which re-anchors the codings.

    Raises
    ------
    ImportProblem
        When the file cannot be imported, or gives more than one document.
    """
    if kind is not None and kind not in KINDS:
        raise ImportProblem(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if language is not None and language not in LANGUAGES:
        raise ImportProblem(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    documents = project.corpus.store.documents()
    row = documents[documents["document_id"] == document_id].iloc[0]
    variables = {c: row[c] for c in document_variables(documents) if row[c] != ""}
    options = ImportOptions(document_id, kind or row["kind"], language or row["language"] or None, variables,
                            row["title"] or None, row["date"])
    with project.lock("replace"):
        return _import(project, [Path(path)], options,
                       project.settings.pseudonymise if pseudonymise is None else pseudonymise, replacing=True)


def check_request(paths: Sequence[Path], document_id: str | None, date: str) -> None:
    """Raise :class:`ImportProblem` for what no import of ``paths`` can do: no files, one
    ``--id`` for several files or one that is no slug, a date that is not ``YYYY-MM-DD``.

    >>> check_request([Path("a.txt"), Path("b.txt")], "sessie-1", "")
    Traceback (most recent call last):
    ...
    raakvlak.errors.ImportProblem: --id names one document: import one file at a time with --id
    """
    if not paths:
        raise ImportProblem("no files to import")
    if document_id is not None and len(paths) > 1:
        raise ImportProblem("--id names one document: import one file at a time with --id")
    if document_id is not None and not is_slug(document_id):
        raise ImportProblem(f"document id {document_id!r} is not a slug (a-z, 0-9, - and _)")
    if not date:
        return
    try:
        if not _ISO_DATE.fullmatch(date):
            raise ValueError
        datetime.date.fromisoformat(date)
    except ValueError:
        raise ImportProblem(f"--date {date!r} is not a date in ISO 8601 (YYYY-MM-DD), "
                            "e.g. 2018-11-19 for 19 November 2018") from None


def _import(project: Project, paths: list[Path], options: ImportOptions, pseudonymise: bool,
            replacing: bool = False) -> ImportReport:
    """The import itself, under the project's lock (see :func:`import_files`); ``replacing``:
    the one document the file gives takes the place of ``options.document_id``."""
    preparation = Preparation.start(project, options.language or project.language, pseudonymise)
    if replacing:
        preparation.free(options.document_id)
    problems: list[str] = []
    pieces: list[list[_Piece]] = []  # per file, its sources
    for path in paths:
        try:
            if not path.is_file():
                raise ImportProblem(f"{path.name}: no such file")
            sources = read_sources(path, max_bytes=project.settings.max_import_bytes)
            found = [_structure(path, source, options.kind) for source in sources]
            for piece in found:
                piece.language, piece.how = _language(_said(piece), options.language, project.language)
            pieces.append(found)
        except RaakvlakError as exc:
            problems.append(str(exc))
    # phase 1: every speaker of every file gets a pseudonym before any text is pseudonymised
    labelled = [[(piece, _speakers(piece, preparation)) for piece in found] for found in pieces]
    # phase 2: the names in every file, sure ones into the key, before any text is replaced
    for piece, _labels in (pair for found in labelled for pair in found):
        preparation.detect(piece.label, piece.texts(), piece.language)
    report = ImportReport()
    records: list[tuple[str, DocumentRecord]] = []
    known_roles = preparation.store.known_roles()
    for found in labelled:
        try:
            records.extend((piece.label, _record(piece, labels, preparation, report, known_roles, options))
                           for piece, labels in found)
        except RaakvlakError as exc:
            problems.append(str(exc))
    problems += _repeated([r for _, r in records], preparation, options.allow_duplicate)
    if replacing and not problems and [r.document_id for _, r in records] != [options.document_id]:
        problems.append(f"{paths[0].name}: gives {len(records)} documents; a document is replaced by a "
                        "file that gives one")
    if problems:
        raise ImportProblem("; ".join(problems) + " (nothing was imported)")
    report.replacements = dict(preparation.replacements)
    report.warnings = preparation.finish()
    preparation.store.add([r for _, r in records], replace=replacing)
    report.document_ids = [r.document_id for _, r in records]
    if preparation.pseudonymiser is not None:
        report.review = preparation.review([(label, r.document_id, r.text) for label, r in records])
        report.review_file = write_review(project.private_dir, report.review)
    return report


def _repeated(records: list[DocumentRecord], preparation: Preparation, allow_duplicate: bool) -> list[str]:
    """Ids the corpus or this import already uses, and texts already in the corpus."""
    ids = [r.document_id for r in records]
    problems = [f"document {repeated!r} is already in the corpus; choose another id with --id"
                for repeated in sorted({i for i in ids if i in preparation.existing or ids.count(i) > 1})]
    if allow_duplicate:
        return problems
    documents = preparation.store.documents()
    known = dict(zip(documents["sha256"], documents["document_id"], strict=True))
    for record in records:
        same = known.setdefault(record.sha256, record.document_id)
        if same != record.document_id:
            problems.append(f"{record.source}: its text is already in the corpus as {same!r} (the same "
                            "after import, to the character); import it with --allow-duplicate to keep both")
    return problems


def _record(
    piece: _Piece, labels: dict[str, str], preparation: Preparation, report: ImportReport,
    known_roles: dict[str, str], options: ImportOptions,
) -> DocumentRecord:
    """The document one source becomes (and what the report says about it)."""
    path, source = piece.path, piece.source
    text, speakers = _render(piece, labels, preparation)
    for speaker in speakers:
        # the same pseudonym is the same person: a role known from another document holds here too
        speaker["role"] = speaker["role"] or known_roles.get(speaker["speaker"], "")
    if not text:
        raise ImportProblem(f"{path.name}: no text left after import (empty document)")
    base = options.document_id or document_slug(path.stem)
    new_id = f"{base}-{source.id_suffix}" if source.id_suffix else base
    for message in source.messages:
        report.messages.append(f"{path.name}: {message}")
    report.not_imported += [f"{path.name}: {line}" for line in source.skipped]
    structure = f"{len(speakers)} speakers" if speakers else "no speakers"
    report.messages.append(f"{path.name}: imported as {new_id!r} ({piece.kind}, {structure}, {piece.how})")
    return DocumentRecord(
        document_id=new_id, text=text, title=preparation.name(options.title or source.title or path.stem),
        kind=piece.kind, language=piece.language, date=options.date, source=preparation.name(path.name),
        variables=dict(options.variables), speakers=speakers,
    )


def _said(piece: _Piece) -> str:
    """What the speakers of a source say (or its text): what its language is told by."""
    if piece.turns is not None:
        return "\n".join(turn.text for turn in piece.turns)
    return piece.source.text or ""


def _language(text: str, given: str | None, default: str) -> tuple[str, str]:
    """The language of a document and how it was decided, in words for the report."""
    if given:
        return given, f"language {given}, as given"
    detected, share = detect_language(text)
    if detected is not None and share >= SURE_LANGUAGE:
        return detected, f"language {detected}, detected: {share:.0%} of its function words"
    if detected is None:
        return default, f"language {default} (the project's; too little text to tell)"
    return default, f"language {default} (the project's; the text is unclear: {share:.0%} {detected})"
