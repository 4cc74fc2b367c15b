"""The text sources of a REFI-QDA project, placed in the corpus the way every import does.

Three steps over *all* sources, as :class:`~raakvlak.corpus.preparation.Preparation`
orders them for any import:

1. :func:`read_sources`: each source's text from the archive (or the project file),
   canonical, with the map of the tool's characters onto it, its speakers and kind;
2. :func:`register_speakers`: every speaker of every source gets its pseudonym;
3. :func:`place`: each text pseudonymised (so a name is replaced also in a source read
   before the one where its owner speaks), with the map carried through, and its
   document: an existing one with the same text, or a new one with a free id.

The text is not re-flowed (unlike a file import), so every selection can be mapped.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import numpy as np

from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.importer import document_slug
from raakvlak.corpus.preparation import Preparation
from raakvlak.corpus.store import KINDS, DocumentRecord
from raakvlak.corpus.structure import blocks
from raakvlak.exchange.positions import UNITS, canonical_with_map, edit_map, unit_map
from raakvlak.exchange.refi_file import RefiCase, RefiProject, RefiSource, decode_text
from raakvlak.exchange.refi_media import MEDIA_KINDS
from raakvlak.ids import LANGUAGES, is_slug

SPEAKER_PREFIX = "speaker_"  # a case variable for speakers, as raakvlak exports them


@dataclass
class ReadSource:
    """A text source read and canonicalised, not yet pseudonymised."""

    source: RefiSource
    raw: str
    canonical: str
    to_canon: np.ndarray
    exact: bool
    kind: str
    variables: dict[str, str]
    speakers: dict[str, dict[str, str]]  # label -> the variables of its case (role ...)
    pseudonyms: dict[str, str] | None = None  # label -> label in the corpus (step 2)


@dataclass
class Placed:
    """One source placed: its document (new or existing), final text and position map."""

    source: RefiSource
    document_id: str
    text: str
    sha256: str
    counted: np.ndarray
    raw_index: np.ndarray
    to_final: np.ndarray
    record: DocumentRecord | None


def not_placed(source: RefiSource, reason: str) -> dict[str, Any]:
    """A row of the report's ``unplaced`` table for a whole source."""
    return {"source": source.name, "selection_guid": "", "start": None, "end": None,
            "code": "", "coder": "", "reason": reason}


def read_sources(model: RefiProject, files: dict[str, bytes], what: str, messages: list[str],
                 unplaced: list[dict[str, Any]]) -> list[ReadSource]:
    """Step 1: every text source of ``model`` read and canonicalised (in file order).

    Sources that are not text, or whose text is missing or empty, go to ``unplaced``."""
    cases_of = _cases_by_source(model, messages)
    index = _source_files(files)
    read = []
    for source in model.sources:
        if source.kind in MEDIA_KINDS:  # placed by raakvlak.exchange.refi_media_import
            continue
        if source.kind != "TextSource":
            unplaced.append(not_placed(source, f"{source.kind} is not text; raakvlak imports text sources only"))
            continue
        data = _source_bytes(source, files, index)
        if data is not None:
            raw = decode_text(data, f"{what}: {source.path}", messages).lstrip("\ufeff")
        elif source.content is not None:
            raw = source.content.lstrip("\ufeff")
        else:
            unplaced.append(not_placed(source, f"text not found in the archive (plainTextPath "
                                               f"{source.path!r}); {len(source.selections)} selection(s) not placed"))
            continue
        canonical, to_canon, exact = canonical_with_map(raw)
        if not canonical:
            unplaced.append(not_placed(source, "the text is empty after canonicalisation"))
            continue
        read.append(_structure(source, raw, canonical, to_canon, exact, cases_of.get(source.guid, [])))
    return read


def _structure(source: RefiSource, raw: str, canonical: str, to_canon: np.ndarray, exact: bool,
               cases: list[RefiCase]) -> ReadSource:
    """The kind of a source, its speakers (with their cases' variables) and its variables."""
    labelled = [b.speaker for b in blocks(canonical) if b.speaker]
    speakers = {case.name: case.variables for case in cases if case.name in labelled}
    variables: dict[str, str] = {}
    for case in cases:  # some tools put document variables on a case per document
        if case.name not in speakers:
            variables.update(case.variables)
    variables.update(source.variables)
    kind = variables.pop("kind", "")
    if kind not in KINDS:
        all_blocks = blocks(canonical, speakers=False)
        kind = "transcript" if len(labelled) >= 2 and 2 * len(labelled) >= len(all_blocks) else "text"
    if kind in ("transcript", "survey"):
        for label in labelled:
            speakers.setdefault(label, {})
    else:
        speakers = {}
    return ReadSource(source, raw, canonical, to_canon, exact, kind, variables, speakers)


def register_speakers(sources: list[ReadSource], preparation: Preparation) -> None:
    """Step 2: the speakers of every source get their pseudonyms (added to the key)."""
    for read in sources:
        read.pseudonyms = {label: preparation.speaker(label, values.get("role", ""), document=read.source.guid)
                           for label, values in read.speakers.items()}


def place(read: ReadSource, preparation: Preparation, existing: dict[str, str],
          language: str) -> tuple[Placed, list[str]]:
    """Step 3: the source's text pseudonymised, its map carried through, its document.

    ``existing`` maps the fingerprint of every document (in the corpus or placed before)
    to its id: a source with the same final text attaches to that document.

    Returns the placed source and the names of variables that were corpus columns
    (``document_id``, ``sha256``) and so not imported.
    """
    final, to_final = read.canonical, read.to_canon
    replaced = preparation.texts([read.canonical])[0]
    if replaced != read.canonical:
        after, to_after, _ = canonical_with_map(replaced)
        to_final = to_after[edit_map(read.canonical, replaced)[read.to_canon]]
        final = after
    variables = dict(read.variables)
    title = variables.pop("title", "") or read.source.description.strip() or read.source.name
    language = variables.pop("language", "") or language
    date = variables.pop("date", "")
    name = read.source.name or read.source.guid
    original = variables.pop("source", "") or name
    dropped = [fixed for fixed in ("document_id", "sha256") if variables.pop(fixed, None) is not None]
    sha = fingerprint(final)
    if sha in existing:
        document_id, record = existing[sha], None
    else:
        name = preparation.name(name)
        document_id = preparation.document_id(name if is_slug(name) else document_slug(name))
        record = DocumentRecord(
            document_id=document_id, text=final, title=preparation.name(title), kind=read.kind,
            language=language if language in LANGUAGES else preparation.project.language, date=date,
            source=preparation.name(original), variables=variables, speakers=_speaker_rows(read, variables))
        existing[sha] = document_id
    placed = Placed(read.source, document_id, final, sha, *unit_map(read.raw, UNITS[0]), to_final, record)
    return placed, dropped


def _speaker_rows(read: ReadSource, variables: dict[str, str]) -> list[dict[str, str]]:
    """``speakers.csv`` rows: pseudonym, role and the other variables of each speaker's case."""
    rows: dict[str, dict[str, str]] = {}
    for label, pseudonym in (read.pseudonyms or {}).items():
        values = read.speakers.get(label, {})
        row = {"speaker": pseudonym, "role": values.get("role", "")}
        for name, value in values.items():
            if name != "role" and name not in variables:
                row[name[len(SPEAKER_PREFIX):] if name.startswith(SPEAKER_PREFIX) else name] = value
        rows.setdefault(pseudonym, row)
    return list(rows.values())


def span_on(placed: Placed, raw_start: int, raw_end: int) -> tuple[int, int] | None:
    """A selection's span on the final text, trimmed of white space; None when empty."""
    start, end = int(placed.to_final[raw_start]), int(placed.to_final[raw_end])
    text = placed.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _cases_by_source(model: RefiProject, messages: list[str]) -> dict[str, list[RefiCase]]:
    """The cases of each source (speakers or documents); cases that fit nowhere are said."""
    by_source: dict[str, list[RefiCase]] = defaultdict(list)
    for case in model.cases:
        if not case.sources and case.variables:
            messages.append(f"case {case.name!r} refers to no source; its variables were not imported")
        for source in case.sources:
            by_source[source].append(case)
    return by_source


def _source_files(files: dict[str, bytes]) -> dict[str, str]:
    """Lower-cased entry names and base names -> entry names (``sources/`` or ``Sources/``)."""
    index: dict[str, str] = {}
    for name in files:
        lowered = name.replace("\\", "/").lower()
        index.setdefault(lowered, name)
        index.setdefault(PurePosixPath(lowered).name, name)
    return index


def _source_bytes(source: RefiSource, files: dict[str, bytes], index: dict[str, str]) -> bytes | None:
    path = source.path.strip()
    if not path:
        return None
    for prefix in ("internal://", "relative://", "absolute://", "file://"):
        if path.lower().startswith(prefix):
            path = path[len(prefix):]
            break
    lowered = path.replace("\\", "/").lower().lstrip("/")
    for key in (lowered, f"sources/{lowered}", PurePosixPath(lowered).name):
        if key in index:
            return files[index[key]]
    return None
