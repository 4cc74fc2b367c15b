"""Segments: speaker turns (or paragraphs) and sentences, as one tidy DataFrame.

A *turn* is one block of the canonical text (see :mod:`raakvlak.corpus.structure`):
a speaker turn in a transcript or survey, a paragraph in notes and plain text. Only
transcripts and surveys read ``Speaker:`` labels; a ``Name: text`` line in notes
stays part of the paragraph. A turn's ``start:end`` is its content, after the label.
*Sentences* come from spaCy's sentencizer as if it ran on each turn separately, so a
sentence never crosses a turn; they are trimmed of surrounding white space.

Offsets are code points into the canonical text, so ``text == canonical[start:end]``
for every row. Segment ids are ``<document_id>:<n>`` for the n-th turn and
``<document_id>:<n>.<m>`` for its m-th sentence (both 1-based): the same text always
gives the same ids.

Derived data is derived. What spaCy found is cached in
``.raakvlak/segments/<sha256>-<key>.segments``: ``sha256`` is the fingerprint of the
text as read now (a changed text never meets an old cache), ``key`` a short hash of
the pipeline version, the cache layout, the language, the structure mode and the
source of :mod:`raakvlak.corpus.structure`. A cache file is one line of JSON
(speakers, timestamps; turn offsets, sentence counts and sentence offsets as
little-endian int64 in base64) followed by one line of lemmas per sentence, so a
reload without lemmas never parses them. Deleting the cache changes
nothing but speed; a corrupt or stale file is ignored and rebuilt; reading the segments
of the whole corpus deletes the files no document uses any more. Roles are not
cached: they are joined from ``corpus/speakers.csv`` at every call, so a role edited
in a spreadsheet shows up at once.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from raakvlak.corpus import structure
from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.language import LEMMATIZER, PIPELINE_VERSION, pipeline
from raakvlak.corpus.store import KINDS
from raakvlak.errors import CorpusError
from raakvlak.files import atomic_write_bytes
from raakvlak.ids import LANGUAGES

if TYPE_CHECKING:
    from raakvlak.corpus.corpus import Corpus

LEVELS = ("turn", "sentence")
_LEVEL_NAMES = np.array(["sentence", "turn"], dtype=object)  # by "is a turn"
COLUMNS = ["document_id", "segment_id", "level", "start", "end", "speaker", "role",
           "timestamp", "text"]
# kinds whose blocks open with a ``Speaker:`` label
SPEAKER_KINDS = frozenset({"transcript", "survey"})
# raise when the layout of a cache file, or what it holds for a text, changes
CACHE_FORMAT = 3  # 3: sentences trimmed of all Unicode white space
SUFFIX = ".segments"
# Turns are analysed many at a time: their contents, joined by a blank line, make one
# spaCy Doc of about this many characters (see analyse)
CHUNK_CHARS = 100_000
_BETWEEN = "\n\n"
# what analyse reads of each token (spaCy's attribute names)
_TOKEN_ATTRS = ["SENT_START", "IDX", "LEMMA"]


@dataclass(frozen=True, eq=False)
class Analysis:
    """The segments of one document, as cached.

    Attributes
    ----------
    turns : ``(n, 2)`` int64, start and end of each turn's content.
    speakers, timestamps : one per turn ("" when the turn has none).
    counts : ``(n,)`` int64, the number of sentences of each turn.
    sentences : ``(m, 2)`` int64, start and end of every sentence, in text order.
    lemmas : one space-separated string of lemmas per sentence, or None when not read.
    """

    turns: np.ndarray
    speakers: list[str]
    timestamps: list[str]
    counts: np.ndarray
    sentences: np.ndarray
    lemmas: list[str] | None


@functools.cache
def _structure_version() -> str:
    try:
        source = Path(structure.__file__).read_bytes()
    except (OSError, TypeError):
        source = f"{structure.TURN_LABEL.pattern}|{structure._BLOCK.pattern}".encode()
    return hashlib.sha256(source).hexdigest()


@functools.cache
def cache_key(language: str, speakers: bool) -> str:
    """A short hash of all that decides a document's segments besides its text.

    The pipeline version, the cache layout, the language, whether speaker labels are
    read, and the source of the structure module.
    """
    spec = (f"{PIPELINE_VERSION}|format={CACHE_FORMAT}|{language}|speakers={speakers}|"
            f"structure={_structure_version()}")
    return hashlib.sha256(spec.encode("utf-8")).hexdigest()[:12]


def analyse(text: str, language: str, speakers: bool) -> Analysis:
    """Turns, sentences and lemmas of one canonical text, in one spaCy pass.

    Each turn is analysed as if it were a text of its own (its first word opens a
    sentence; no sentence reaches into the next turn), but many turns share one spaCy
    Doc, joined by a blank line: a Doc costs as much as some twenty words. Only the
    sentencizer's memory of a full stop looks across that white space, which uses it
    up; so each turn's first token made a sentence start gives exactly what turns
    analysed one by one give (a property test checks this against spaCy).

    Parameters
    ----------
    text : the canonical text.
    language : ``"nl"`` or ``"en"``.
    speakers : read ``Speaker:`` labels (transcripts and surveys).

    Raises
    ------
    CorpusError
        When one turn or paragraph is longer than the pipeline reads at once.
    """
    turns = structure.blocks(text, speakers=speakers)
    nlp = pipeline(language)
    contents = [text[b.start:b.end] for b in turns]
    lengths = np.array([len(c) for c in contents], dtype=np.int64)
    if len(lengths) and lengths.max() > nlp.max_length:
        raise CorpusError(
            f"a turn or paragraph of {lengths.max():,} characters is longer than the language "
            f"pipeline reads at once ({nlp.max_length:,}); split it with blank lines"
        )
    # where each content starts in all contents joined by _BETWEEN; chunks are slices of that
    places = np.cumsum(lengths + len(_BETWEEN)) - (lengths + len(_BETWEEN))
    joined = _BETWEEN.join(contents)
    firsts = _chunk_starts(places, lengths, CHUNK_CHARS)
    bounds = [*firsts.tolist(), len(turns)]
    chunks = [joined[places[a]:places[b - 1] + lengths[b - 1]]
              for a, b in zip(bounds, bounds[1:], strict=False)]
    # One row per token, all chunks one after the other: sentence start, place, lemma.
    # (One chunk at a time: only one chunk's tokens are held by spaCy at once.)
    tables = [doc.to_array(_TOKEN_ATTRS) for doc in nlp.pipe(chunks, batch_size=1)]
    table = np.concatenate(tables) if tables else np.zeros((0, len(_TOKEN_ATTRS)), np.uint64)
    sizes = np.array([len(t) for t in tables], dtype=np.int64)
    place = table[:, 1].astype(np.int64) + np.repeat(places[firsts], sizes)  # in ``joined``
    owner = np.searchsorted(places, place, side="right") - 1  # the turn of each token
    # white space between turns belongs to no turn
    inside = place < places[owner] + lengths[owner]
    table, place, owner = table[inside], place[inside], owner[inside]
    offsets = place - places[owner] + np.array([b.start for b in turns], dtype=np.int64)[owner]
    opens = table[:, 0] == 1  # sentence starts, and each turn's first token
    opens[np.flatnonzero(np.diff(owner, prepend=-1))] = True
    first_tokens = np.flatnonzero(opens)
    sentence_turns = owner[first_tokens]
    begins = offsets[first_tokens]
    # a sentence runs to where the next one in its turn begins (its last token's
    # trailing space is stripped below), or to the end of its turn
    finishes = np.array([b.end for b in turns], dtype=np.int64)[sentence_turns]
    same_turn = np.flatnonzero(sentence_turns[1:] == sentence_turns[:-1])
    finishes[same_turn] = begins[same_turn + 1]
    # lemma hash -> text, as the lemmatizer made it; 0 (no lemma: punctuation, space) -> ""
    hashes = table[:, 2]
    has_lemma = hashes != 0
    # (each distinct lemma looked up once: a document has far fewer than words)
    codes, distinct_lemmas = pd.factorize(hashes[has_lemma])
    text_of = nlp.get_pipe(LEMMATIZER).text_of
    words = np.array([text_of[h] for h in distinct_lemmas.tolist()], dtype=object)[codes].tolist()
    # how many words with a lemma come before each sentence's first token (and the end)
    before = np.zeros(len(has_lemma) + 1, dtype=np.int64)
    np.cumsum(has_lemma, out=before[1:])
    lemma_bounds = before[np.append(first_tokens, len(table))].tolist()
    lemma_lines = [" ".join(words[a:b]) for a, b in zip(lemma_bounds, lemma_bounds[1:], strict=False)]
    sentence_starts, sentence_ends, sentence_turns, lemma_lines = _trimmed(
        text, begins, finishes, sentence_turns, lemma_lines)
    return Analysis(
        turns=np.array([(b.start, b.end) for b in turns], dtype=np.int64).reshape(-1, 2),
        speakers=[b.speaker for b in turns],
        timestamps=[b.timestamp for b in turns],
        counts=np.bincount(sentence_turns, minlength=len(turns)).astype(np.int64),
        sentences=np.column_stack([sentence_starts, sentence_ends]),
        lemmas=lemma_lines,
    )


def _trimmed(text: str, begins: np.ndarray, finishes: np.ndarray, turns: np.ndarray,
             lemma_lines: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """The sentences ``text[begins:finishes]`` trimmed of white space (a sentence of
    white space only is no sentence): starts, ends, their turns and their lemmas."""
    pieces = [text[b:f] for b, f in zip(begins.tolist(), finishes.tolist(), strict=True)]
    stripped = [piece.strip() for piece in pieces]
    # a sentence starts after its leading white space (rare: most start with a word)
    starts = [b + len(piece) - len(piece.lstrip()) if piece[:1].isspace() else b
              for b, piece in zip(begins.tolist(), pieces, strict=True)]
    keep = [bool(s) for s in stripped]
    if not all(keep):
        starts, stripped, lemma_lines = ([v for v, k in zip(column, keep, strict=True) if k]
                                         for column in (starts, stripped, lemma_lines))
        turns = turns[np.array(keep, dtype=bool)]
    sentence_starts = np.array(starts, dtype=np.int64)
    sentence_ends = sentence_starts + np.array([len(piece) for piece in stripped], dtype=np.int64)
    return sentence_starts, sentence_ends, turns, lemma_lines


def _chunk_starts(places: np.ndarray, lengths: np.ndarray, size: int) -> np.ndarray:
    """The first turn of each chunk: a chunk takes the turns that end within ``size``
    characters of its start (at least one), so no chunk is longer than ``size`` or
    its one turn."""
    ends = places + lengths
    firsts = []
    at = 0
    while at < len(places):
        firsts.append(at)
        at = max(at + 1, int(np.searchsorted(ends, places[at] + size, side="right")))
    return np.array(firsts, dtype=np.int64)


def _encode(sha256: str, analysis: Analysis) -> bytes:
    head = {
        "format": CACHE_FORMAT,
        "pipeline": PIPELINE_VERSION,
        "sha256": sha256,
        "speakers": analysis.speakers,
        "timestamps": analysis.timestamps,
        # offsets and counts as little-endian int64, base64: read back in one step
        **{name: base64.b64encode(np.ascontiguousarray(getattr(analysis, name), "<i8").tobytes()).decode("ascii")
           for name in ("turns", "counts", "sentences")},
    }
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":")), *analysis.lemmas]
    return "\n".join(lines).encode("utf-8")


def _ints(value: object, columns: int) -> np.ndarray:
    """The int64 array in a cache field (ValueError or TypeError when there is none)."""
    array = np.frombuffer(base64.b64decode(value, validate=True), dtype="<i8").astype(np.int64)
    return array.reshape(-1, columns) if columns > 1 else array


def _only(kind: type, *values: list) -> bool:
    """True when every item of ``values`` is exactly of type ``kind``."""
    return all(set(map(type, v)) <= {kind} for v in values)


def _within(bounds: np.ndarray, text_length: int) -> bool:
    """True when every ``(start, end)`` row satisfies ``0 <= start <= end <= text_length``."""
    return not len(bounds) or bool(
        bounds.min() >= 0 and bounds.max() <= text_length and (bounds[:, 0] <= bounds[:, 1]).all()
    )


def _decode(data: bytes, sha256: str, text_length: int, lemmas: bool) -> Analysis | None:
    """The analysis in a cache file's bytes, or None when they are not sound."""
    try:
        cut = data.find(b"\n")
        head = json.loads(data if cut < 0 else data[:cut])
        if not (head["format"] == CACHE_FORMAT and head["pipeline"] == PIPELINE_VERSION
                and head["sha256"] == sha256):
            return None
        analysis = Analysis(_ints(head["turns"], 2), head["speakers"], head["timestamps"],
                            _ints(head["counts"], 1), _ints(head["sentences"], 2), None)
        counts = analysis.counts
        sound = (
            len(analysis.turns) == len(counts) == len(analysis.speakers) == len(analysis.timestamps)
            and len(analysis.sentences) == counts.sum()
            and (counts >= 0).all()
            and _only(str, analysis.speakers, analysis.timestamps)
            and _within(analysis.turns, text_length)
            and _within(analysis.sentences, text_length)
        )
        if not sound:
            return None
        if lemmas:
            lines = data[cut + 1:].decode("utf-8").split("\n") if cut >= 0 else []
            if len(lines) != len(analysis.sentences):
                return None
            analysis = Analysis(analysis.turns, analysis.speakers, analysis.timestamps,
                                counts, analysis.sentences, lines)
    except (ValueError, KeyError, TypeError):
        return None
    return analysis


def cache_file(folder: Path, sha256: str, language: str, speakers: bool) -> Path:
    """Where the analysis of the text with fingerprint ``sha256`` is cached."""
    return folder / f"{sha256}-{cache_key(language, speakers)}{SUFFIX}"


def prune_cache(folder: Path, keep: set[str]) -> list[str]:
    """Delete the cached analyses whose file names are not in ``keep``.

    Called after the segments of the whole corpus were read: what is left belongs to
    texts that were edited or removed, or to an older pipeline, and would never be
    read again. Files that cannot be deleted stay (derived data only costs space).

    Returns
    -------
    list of str
        The names of the files deleted.
    """
    deleted = []
    with contextlib.suppress(OSError):
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            if path.name not in keep:
                with contextlib.suppress(OSError):
                    path.unlink()
                    deleted.append(path.name)
    return deleted


def document_analysis(
    text: str, sha256: str, language: str, speakers: bool, folder: Path, lemmas: bool = True
) -> Analysis:
    """The cached analysis of ``text``, computed and cached when missing or unsound.

    Parameters
    ----------
    text : the canonical text.
    sha256 : its fingerprint.
    language : ``"nl"`` or ``"en"``.
    speakers : read ``Speaker:`` labels.
    folder : the cache folder (``.raakvlak/segments``).
    lemmas : read the lemmas too (a fresh analysis always has them).
    """
    path = cache_file(folder, sha256, language, speakers)
    try:
        data = path.read_bytes()
    except OSError:
        data = None
    analysis = None if data is None else _decode(data, sha256, len(text), lemmas)
    if analysis is None:
        analysis = analyse(text, language, speakers)
        # derived data: a cache that cannot be written (read-only folder) only costs speed
        with contextlib.suppress(OSError):
            atomic_write_bytes(path, _encode(sha256, analysis), durable=False)
    return analysis


def _choose(corpus: Corpus, documents: list[str] | None) -> pd.DataFrame:
    table = corpus.documents
    if documents is None:
        return table
    if isinstance(documents, str):
        documents = [documents]
    known = set(table["document_id"])
    unknown = [d for d in documents if d not in known]
    if unknown:
        raise CorpusError(
            f"unknown document(s) {', '.join(map(repr, unknown))}; see corpus/documents.csv"
        )
    order = list(dict.fromkeys(documents))
    return table.set_index("document_id").loc[order].reset_index()


def _check_row(document_id: str, kind: str, language: str) -> None:
    if kind not in KINDS:
        raise CorpusError(
            f"corpus/documents.csv: document {document_id!r} has kind {kind!r}; "
            f"use one of {', '.join(KINDS)}"
        )
    if language not in LANGUAGES:
        raise CorpusError(
            f"corpus/documents.csv: document {document_id!r} has language {language!r}; "
            f"use one of {', '.join(LANGUAGES)}"
        )


def corpus_segments(
    corpus: Corpus,
    level: str | None = "turn",
    lemmas: bool = False,
    documents: list[str] | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Segments of the corpus as a tidy DataFrame (see :meth:`Corpus.segments`).

    Parameters
    ----------
    corpus : the corpus.
    level : ``"turn"``, ``"sentence"``, or ``None`` for both (each turn followed by
        its sentences).
    lemmas : add a ``lemmas`` column: the lower-case lemmas of the segment's words,
        separated by spaces (no punctuation).
    documents : only these document ids, in this order (default: all, in the order
        of ``documents.csv``).
    progress : show a progress bar over the documents.

    Returns
    -------
    DataFrame
        Columns ``document_id, segment_id, level, start, end, speaker, role,
        timestamp, text`` (and ``lemmas``), one row per segment, ordered by document
        and position; ``start``/``end`` are code points in the canonical text and
        ``text == canonical[start:end]``. ``role`` comes from ``corpus/speakers.csv``
        ("" when the speaker has no row there).

    Raises
    ------
    CorpusError
        For an unknown level or document, an unknown kind or language in
        ``documents.csv``, or a missing text.
    """
    if level is not None and level not in LEVELS:
        raise CorpusError(f"level must be 'turn', 'sentence' or None (both), not {level!r}")
    table = _choose(corpus, documents)
    speaker_table = corpus.speakers
    roles: dict[str, dict[str, str]] = {}
    for d, s, r in zip(speaker_table["document_id"], speaker_table["speaker"],
                       speaker_table["role"], strict=True):
        roles.setdefault(d, {}).setdefault(s.strip(), r.strip())
    folder = corpus.project.cache_dir / "segments"
    default_language = corpus.project.language
    names = [*COLUMNS, "lemmas"] if lemmas else list(COLUMNS)
    columns: dict[str, list[np.ndarray]] = {name: [] for name in names}
    used: set[str] = set()  # the cache files read or written
    rows = list(zip(table["document_id"], table["kind"], table["language"], strict=True))
    for document_id, kind, language in tqdm(rows, desc="segments", unit="doc",
                                             disable=not progress):
        language = language or default_language
        _check_row(document_id, kind, language)
        text = corpus.store.read_text(document_id)
        sha256 = fingerprint(text)
        try:
            found = document_analysis(text, sha256, language, kind in SPEAKER_KINDS, folder, lemmas)
        except CorpusError as exc:
            raise CorpusError(f"document {document_id!r}: {exc}") from exc
        used.add(cache_file(folder, sha256, language, kind in SPEAKER_KINDS).name)
        _add_rows(columns, document_id, text, found, roles.get(document_id, {}), level)
    if documents is None:  # every document's file is known: the rest is stale
        prune_cache(folder, used)
    return _frame(columns, names)


def _add_rows(
    columns: dict[str, list[np.ndarray]], document_id: str, text: str, found: Analysis,
    role_of: dict[str, str], level: str | None,
) -> None:
    """Append the rows of one document at ``level`` (each turn before its sentences) to
    ``columns``, an array per column; a ``lemmas`` column is filled when there is one."""
    counts = found.counts
    turn_ids = [f"{document_id}:{n}" for n in range(1, len(counts) + 1)]
    suffixes = [f".{m}" for m in range(1, int(counts.max(initial=0)) + 1)]
    sentence_ids = [turn + suffix for turn, c in zip(turn_ids, counts.tolist(), strict=True)
                    for suffix in suffixes[:c]]
    turn_lemmas = sentence_lemmas = None
    if "lemmas" in columns:
        sentence_lemmas = found.lemmas
        if level != "sentence":
            turn_lemmas = _turn_lemmas(sentence_lemmas, counts)
    if level == "turn":
        bounds, repeats, is_turn = found.turns, 1, np.ones(len(counts), dtype=bool)
    elif level == "sentence":
        bounds, repeats, is_turn = found.sentences, counts, np.zeros(len(sentence_ids), dtype=bool)
    else:
        # turn n comes after n turns and the sentences of the turns before it
        is_turn = np.zeros(len(counts) + len(sentence_ids), dtype=bool)
        is_turn[np.arange(len(counts)) + np.cumsum(counts) - counts] = True
        bounds = np.empty((len(is_turn), 2), dtype=np.int64)
        bounds[is_turn], bounds[~is_turn] = found.turns, found.sentences
        repeats = counts + 1

    def rows(turn_values: list[str] | None, sentence_values: list[str] | None) -> np.ndarray:
        column = np.empty(len(is_turn), dtype=object)
        if level != "sentence":
            column[is_turn] = turn_values
        if level != "turn":
            column[~is_turn] = sentence_values
        return column

    columns["document_id"].append(np.array([document_id], dtype=object).repeat(len(is_turn)))
    columns["segment_id"].append(rows(turn_ids, sentence_ids))
    columns["level"].append(_LEVEL_NAMES[is_turn.view(np.int8)])
    columns["start"].append(bounds[:, 0])
    columns["end"].append(bounds[:, 1])
    # a sentence shares its turn's speaker, role and time
    roles = [role_of.get(s, "") for s in found.speakers]
    for name, turn_values in (("speaker", found.speakers), ("role", roles), ("timestamp", found.timestamps)):
        columns[name].append(np.array(turn_values, dtype=object).repeat(repeats))
    starts, ends = bounds[:, 0].tolist(), bounds[:, 1].tolist()
    columns["text"].append(np.array([text[s:e] for s, e in zip(starts, ends, strict=True)], dtype=object))
    if "lemmas" in columns:
        columns["lemmas"].append(rows(turn_lemmas, sentence_lemmas))


def _turn_lemmas(sentence_lemmas: list[str], counts: np.ndarray) -> list[str]:
    """Each turn's lemmas: the lemma lines of its ``counts[n]`` sentences, joined (a
    sentence without words, such as "...", adds nothing)."""
    ends = np.cumsum(counts).tolist()
    pairs = list(zip(ends, counts.tolist(), strict=True))
    joined = [" ".join(sentence_lemmas[end - count:end]) for end, count in pairs]
    if not all(sentence_lemmas):  # rare: redo the turns that hold an empty line
        empty = np.flatnonzero([not line for line in sentence_lemmas])
        for turn in np.unique(np.searchsorted(ends, empty, side="right")).tolist():
            end, count = pairs[turn]
            joined[turn] = " ".join(filter(None, sentence_lemmas[end - count:end]))
    return joined


def _frame(columns: dict[str, list[np.ndarray]], names: list[str]) -> pd.DataFrame:
    """The columns ``names``, each given as arrays to join, as a DataFrame (offsets
    int64, the rest str)."""
    frame = {}
    for name in names:
        values = np.concatenate(columns[name]) if columns[name] else []
        frame[name] = pd.Series(values, dtype="int64" if name in ("start", "end") else str)
    return pd.DataFrame(frame, copy=False)


