"""Segments: speaker turns (or paragraphs) and sentences, as one tidy DataFrame.

A *turn* is one block of the canonical text (see :mod:`raakvlak.corpus.structure`):
a speaker turn in a transcript or survey, a paragraph in notes and plain text. Only
transcripts and surveys read ``Speaker:`` labels; a ``Name: text`` line in notes
stays part of the paragraph. A turn's ``start:end`` is its content, after the label.
*Sentences* come from spaCy's sentencizer run on each turn separately, so a sentence
never crosses a turn; they are trimmed of surrounding white space.

Offsets are code points into the canonical text, so ``text == canonical[start:end]``
for every row. Segment ids are ``<document_id>:<n>`` for the n-th turn and
``<document_id>:<n>.<m>`` for its m-th sentence (both 1-based): the same text always
gives the same ids.

Derived data is derived. What spaCy found is cached in
``.raakvlak/segments/<sha256>-<key>.segments``: ``sha256`` is the fingerprint of the
text as read now (a changed text never meets an old cache), ``key`` a short hash of
the pipeline version, the cache layout, the language, the structure mode and the
source of :mod:`raakvlak.corpus.structure`. A cache file is one line of JSON (turn
offsets, speakers, timestamps, sentence offsets) followed by one line of lemmas per
sentence, so a reload without lemmas never parses them. Deleting the cache changes
nothing but speed; a corrupt or stale file is ignored and rebuilt; reading the segments
of the whole corpus deletes the files no document uses any more. Roles are not
cached: they are joined from ``corpus/speakers.csv`` at every call, so a role edited
in a spreadsheet shows up at once.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from spacy.attrs import IDX, LEMMA, SENT_START
from tqdm.auto import tqdm

from raakvlak.corpus import structure
from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.language import LEMMATIZER, PIPELINE_VERSION, pipeline
from raakvlak.corpus.store import KINDS
from raakvlak.errors import CorpusError
from raakvlak.files import atomic_write_bytes
from raakvlak.project import LANGUAGES

if TYPE_CHECKING:
    from raakvlak.corpus.corpus import Corpus

LEVELS = ("turn", "sentence")
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
# what analyse reads of each token
_TOKEN_ATTRS = [SENT_START, IDX, LEMMA]


@dataclass(frozen=True)
class Analysis:
    """The segments of one document, as cached.

    Attributes
    ----------
    turns : flat ``[start0, end0, start1, end1, ...]`` of the turns' content.
    speakers, timestamps : one per turn ("" when the turn has none).
    counts : the number of sentences of each turn.
    sentences : flat ``[start0, end0, ...]`` of every sentence, in text order.
    lemmas : one space-separated string of lemmas per sentence, or None when not read.
    """

    turns: list[int]
    speakers: list[str]
    timestamps: list[str]
    counts: list[int]
    sentences: list[int]
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

    Each turn is analysed as if it were a text of its own: its first word opens a
    sentence, and no sentence reaches into the next turn. For speed, many turns share
    one spaCy Doc (setting up a Doc costs as much as analysing some twenty words, and
    transcripts have many short turns): their contents are joined by a blank line. No
    step of the pipeline looks across that white space but the sentencizer's memory
    of a full stop, which the white space uses up; so making each turn's first token a
    sentence start gives exactly the sentences, tokens and lemmas of turns analysed one
    by one (a property test checks this against spaCy run on each turn).

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
    chunks = [joined[places[a]:places[b - 1] + lengths[b - 1]] for a, b in zip(bounds, bounds[1:], strict=False)]
    # One row per token, all chunks one after the other: sentence start, place, lemma.
    tables = [doc.to_array(_TOKEN_ATTRS).astype(np.int64) for doc in nlp.pipe(chunks, batch_size=1)]
    table = np.concatenate(tables) if tables else np.zeros((0, len(_TOKEN_ATTRS)), np.int64)
    sizes = np.array([len(t) for t in tables], dtype=np.int64)
    place = table[:, 1] + np.repeat(places[firsts], sizes)  # in ``joined``
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
    hashes = table[:, 2].astype(np.uint64)
    has_lemma = hashes != 0
    # (each distinct lemma looked up once: a document has far fewer than words)
    codes, distinct_lemmas = pd.factorize(hashes[has_lemma])
    text_of = nlp.get_pipe(LEMMATIZER).text_of
    words = np.array([text_of[h] for h in distinct_lemmas.tolist()], dtype=object)[codes].tolist()
    # how many words with a lemma come before each sentence's first token (and the end)
    before = np.zeros(len(has_lemma) + 1, dtype=np.int64)
    np.cumsum(has_lemma, out=before[1:])
    lemma_bounds = before[np.append(first_tokens, len(table))].tolist()
    pieces = [text[b:f] for b, f in zip(begins.tolist(), finishes.tolist(), strict=True)]
    stripped = [piece.strip() for piece in pieces]
    # a sentence starts after its leading white space (rare: most start with a word)
    starts = [b + len(piece) - len(piece.lstrip()) if piece[:1].isspace() else b
              for b, piece in zip(begins.tolist(), pieces, strict=True)]
    lemma_lines = [" ".join(words[a:b]) for a, b in zip(lemma_bounds, lemma_bounds[1:], strict=False)]
    keep = [bool(s) for s in stripped]  # a sentence of white space only is no sentence
    if not all(keep):
        starts, stripped, lemma_lines = ([v for v, k in zip(column, keep, strict=True) if k]
                                         for column in (starts, stripped, lemma_lines))
        sentence_turns = sentence_turns[np.array(keep, dtype=bool)]
    sentences = [v for start, piece in zip(starts, stripped, strict=True) for v in (start, start + len(piece))]
    counts = np.bincount(sentence_turns, minlength=len(turns)).tolist()
    return Analysis(
        turns=[v for b in turns for v in (b.start, b.end)],
        speakers=[b.speaker for b in turns],
        timestamps=[b.timestamp for b in turns],
        counts=counts,
        sentences=sentences,
        lemmas=lemma_lines,
    )


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
        "turns": analysis.turns,
        "speakers": analysis.speakers,
        "timestamps": analysis.timestamps,
        "counts": analysis.counts,
        "sentences": analysis.sentences,
    }
    lines = [json.dumps(head, ensure_ascii=False, separators=(",", ":")), *analysis.lemmas]
    return "\n".join(lines).encode("utf-8")


def _only(kind: type, *values: list) -> bool:
    """True when every item of ``values`` is exactly of type ``kind`` (bool is no int)."""
    return all(set(map(type, v)) <= {kind} for v in values)


def _decode(data: bytes, sha256: str, text_length: int, lemmas: bool) -> Analysis | None:
    """The analysis in a cache file's bytes, or None when they are not sound."""
    try:
        cut = data.find(b"\n")
        head = json.loads(data if cut < 0 else data[:cut])
        analysis = Analysis(head["turns"], head["speakers"], head["timestamps"],
                            head["counts"], head["sentences"], None)
        turns, sentences = analysis.turns, analysis.sentences
        sound = (
            head["format"] == CACHE_FORMAT
            and head["pipeline"] == PIPELINE_VERSION
            and head["sha256"] == sha256
            and len(turns) == 2 * len(analysis.counts) == 2 * len(analysis.speakers)
            and len(analysis.timestamps) == len(analysis.counts)
            and len(sentences) == 2 * sum(analysis.counts)
            and (not analysis.counts or min(analysis.counts) >= 0)
            and _only(int, turns, sentences, analysis.counts)
            and _only(str, analysis.speakers, analysis.timestamps)
            and (not turns or min(turns) >= 0 and max(turns) <= text_length)
            and (not sentences or min(sentences) >= 0 and max(sentences) <= text_length)
        )
        if not sound:
            return None
        if lemmas:
            lines = data[cut + 1:].decode("utf-8").split("\n") if cut >= 0 else []
            if len(lines) != len(sentences) // 2:
                return None
            analysis = Analysis(turns, analysis.speakers, analysis.timestamps,
                                analysis.counts, sentences, lines)
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
    want_turns = level in (None, "turn")
    want_sentences = level in (None, "sentence")
    table = _choose(corpus, documents)
    speaker_table = corpus.speakers
    roles: dict[str, dict[str, str]] = {}
    for d, s, r in zip(speaker_table["document_id"], speaker_table["speaker"],
                       speaker_table["role"], strict=True):
        roles.setdefault(d, {}).setdefault(s.strip(), r.strip())
    folder = corpus.project.cache_dir / "segments"
    default_language = corpus.project.language
    # the turns of all documents, column by column; the sentences' own columns
    turn_columns: dict[str, list] = {name: [] for name in COLUMNS if name != "level"}
    sentence_columns: dict[str, list] = {"segment_id": [], "start": [], "end": [], "text": []}
    turn_lemmas: list[str] = []
    sentence_lemmas: list[str] = []
    counts: list[int] = []  # sentences per turn
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
        role_of = roles.get(document_id, {})
        turn_ids = [f"{document_id}:{n}" for n in range(1, len(found.counts) + 1)]
        starts, ends = found.turns[0::2], found.turns[1::2]
        turn_columns["document_id"] += [document_id] * len(turn_ids)
        turn_columns["segment_id"] += turn_ids
        turn_columns["start"] += starts
        turn_columns["end"] += ends
        turn_columns["speaker"] += found.speakers
        turn_columns["role"] += [role_of.get(s, "") for s in found.speakers]
        turn_columns["timestamp"] += found.timestamps
        turn_columns["text"] += [text[s:e] for s, e in zip(starts, ends, strict=True)]
        counts += found.counts
        if lemmas and want_turns:
            bounds = np.concatenate(([0], np.cumsum(found.counts, dtype=np.int64))).tolist()
            turn_lemmas += [" ".join(filter(None, found.lemmas[a:b]))
                            for a, b in zip(bounds, bounds[1:], strict=False)]
        if want_sentences:
            suffixes = [f".{m}" for m in range(1, max(found.counts, default=0) + 1)]
            sentence_columns["segment_id"] += [turn + suffix for turn, c in zip(turn_ids, found.counts, strict=True)
                                               for suffix in suffixes[:c]]
            starts, ends = found.sentences[0::2], found.sentences[1::2]
            sentence_columns["start"] += starts
            sentence_columns["end"] += ends
            sentence_columns["text"] += [text[s:e] for s, e in zip(starts, ends, strict=True)]
            if lemmas:
                sentence_lemmas += found.lemmas
    if documents is None:  # every document's file is known: the rest is stale
        prune_cache(folder, used)
    names = [*COLUMNS, "lemmas"] if lemmas else list(COLUMNS)
    turn_columns |= {"level": ["turn"] * len(counts), "lemmas": turn_lemmas}
    if not want_sentences:
        return _frame(turn_columns, names)
    # a sentence shares its turn's document, speaker, role and time
    owner = np.repeat(np.arange(len(counts)), counts)
    for name in ("document_id", "speaker", "role", "timestamp"):
        sentence_columns[name] = np.array(turn_columns[name], dtype=object)[owner]
    sentence_columns |= {"level": ["sentence"] * len(owner), "lemmas": sentence_lemmas}
    if not want_turns:
        return _frame(sentence_columns, names)
    # each turn followed by its sentences: turn n comes after n turns and the sentences
    # of the turns before it
    sizes = np.asarray(counts, dtype=np.int64)
    is_turn = np.zeros(len(sizes) + len(owner), dtype=bool)
    is_turn[np.arange(len(sizes)) + np.cumsum(sizes) - sizes] = True
    both = {}
    for name in names:
        column = np.empty(len(is_turn), dtype=np.int64 if name in ("start", "end") else object)
        column[is_turn] = turn_columns[name]
        column[~is_turn] = sentence_columns[name]
        both[name] = column
    return _frame(both, names)


def _frame(columns: dict[str, list | np.ndarray], names: list[str]) -> pd.DataFrame:
    """The columns ``names`` as a DataFrame (offsets int64, the rest str)."""
    return pd.DataFrame({
        name: pd.Series(columns[name], dtype="int64" if name in ("start", "end") else str)
        for name in names
    })
