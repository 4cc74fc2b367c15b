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

Derived data is derived: sentence offsets and lemmas are cached in
``.raakvlak/segments/<sha256>-<key>.json``, where ``sha256`` is the fingerprint of the
text as read now and ``key`` a short hash of the pipeline version, the language and
the structure mode. Deleting the cache changes nothing but speed; a corrupt or
stale cache file is ignored and rebuilt. Roles are not cached: they are joined from
``corpus/speakers.csv`` at every call, so a role edited in a spreadsheet shows up
at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from spacy.attrs import LEMMA
from tqdm.auto import tqdm

from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.language import PIPELINE_VERSION, pipeline
from raakvlak.corpus.store import KINDS
from raakvlak.corpus.structure import Block, blocks
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
# raise when the layout of a cache file changes
CACHE_FORMAT = 1
BATCH_SIZE = 128
_WHITESPACE = " \t\n\r\f\v\u00a0\u2009\u202f\u3000"


@dataclass(frozen=True)
class Analysis:
    """What spaCy found in one document, the part worth caching.

    Attributes
    ----------
    turns : flat ``[start0, end0, start1, end1, ...]`` of the turns analysed.
    counts : the number of sentences of each turn.
    sentences : flat ``[start0, end0, ...]`` of every sentence, in text order.
    lemmas : one space-separated string of lemmas per sentence.
    """

    turns: list[int]
    counts: list[int]
    sentences: list[int]
    lemmas: list[str]


def cache_key(language: str, speakers: bool) -> str:
    """A short hash naming the pipeline, the cache layout, the language and structure mode."""
    spec = f"{PIPELINE_VERSION}|format={CACHE_FORMAT}|{language}|speakers={speakers}"
    return hashlib.sha256(spec.encode("utf-8")).hexdigest()[:12]


def analyse(text: str, turns: list[Block], language: str) -> Analysis:
    """Sentences and lemmas of the turns of one canonical text: one spaCy pass.

    Parameters
    ----------
    text : the canonical text.
    turns : its blocks (:func:`raakvlak.corpus.structure.blocks`).
    language : ``"nl"`` or ``"en"``.
    """
    nlp = pipeline(language)
    strings = nlp.vocab.strings
    lemma_text: dict[int, str] = {}
    counts: list[int] = []
    sentences: list[int] = []
    lemmas: list[str] = []
    contents = [text[b.start:b.end] for b in turns]
    for block, content, doc in zip(
        turns, contents, nlp.pipe(contents, batch_size=BATCH_SIZE), strict=True
    ):
        hashes = doc.to_array(LEMMA).tolist()
        offset = block.start
        found = 0
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            piece = content[start:end]
            stripped = piece.strip(_WHITESPACE)
            if not stripped:
                continue
            start += len(piece) - len(piece.lstrip(_WHITESPACE))
            end = start + len(stripped)
            words = []
            for h in hashes[sent.start:sent.end]:
                if h:
                    word = lemma_text.get(h)
                    if word is None:
                        word = lemma_text[h] = strings[h]
                    words.append(word)
            sentences += (offset + start, offset + end)
            lemmas.append(" ".join(words))
            found += 1
        counts.append(found)
    flat = [v for b in turns for v in (b.start, b.end)]
    return Analysis(flat, counts, sentences, lemmas)


def _load(path, sha256: str, turns: list[int]) -> Analysis | None:
    """The cached analysis at ``path`` if it is sound and matches the text, else None."""
    try:
        data = json.loads(path.read_bytes())
        analysis = Analysis(data["turns"], data["counts"], data["sentences"], data["lemmas"])
        sound = (
            data["format"] == CACHE_FORMAT
            and data["pipeline"] == PIPELINE_VERSION
            and data["sha256"] == sha256
            and analysis.turns == turns
            and len(analysis.counts) * 2 == len(turns)
            and sum(analysis.counts) == len(analysis.lemmas)
            and len(analysis.sentences) == 2 * len(analysis.lemmas)
            and all(isinstance(v, int) for v in analysis.sentences)
            and all(isinstance(v, str) for v in analysis.lemmas)
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return analysis if sound else None


def _save(path, sha256: str, analysis: Analysis) -> None:
    data = {
        "format": CACHE_FORMAT,
        "pipeline": PIPELINE_VERSION,
        "sha256": sha256,
        "turns": analysis.turns,
        "counts": analysis.counts,
        "sentences": analysis.sentences,
        "lemmas": analysis.lemmas,
    }
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # derived data: a cache that cannot be written (read-only folder) only costs speed
    with contextlib.suppress(OSError):
        atomic_write_bytes(path, payload)


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
        timestamp, text`` (and ``lemmas``); ``start``/``end`` are code points in the
        canonical text and ``text == canonical[start:end]``. ``role`` comes from
        ``corpus/speakers.csv`` ("" when the speaker has no row there).

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
    speakers = corpus.speakers
    roles = {
        (d, s.strip()): r.strip()
        for d, s, r in zip(speakers["document_id"], speakers["speaker"], speakers["role"],
                           strict=True)
    }
    folder = corpus.project.cache_dir / "segments"
    default_language = corpus.project.language
    columns: dict[str, list] = {name: [] for name in [*COLUMNS, "lemmas"]}
    (doc_col, id_col, level_col, start_col, end_col, speaker_col, role_col, time_col, text_col,
     lemma_col) = columns.values()
    rows = zip(table["document_id"], table["kind"], table["language"], strict=True)
    for document_id, kind, language in tqdm(
        list(rows), desc="segments", unit="doc", disable=not progress
    ):
        if kind not in KINDS:
            raise CorpusError(
                f"corpus/documents.csv: document {document_id!r} has kind {kind!r}; "
                f"use one of {', '.join(KINDS)}"
            )
        language = language or default_language
        if language not in LANGUAGES:
            raise CorpusError(
                f"corpus/documents.csv: document {document_id!r} has language {language!r}; "
                f"use one of {', '.join(LANGUAGES)}"
            )
        text = corpus.store.read_text(document_id)
        with_speakers = kind in SPEAKER_KINDS
        turns = blocks(text, speakers=with_speakers)
        sha256 = fingerprint(text)
        path = folder / f"{sha256}-{cache_key(language, with_speakers)}.json"
        flat = [v for b in turns for v in (b.start, b.end)]
        analysis = _load(path, sha256, flat)
        if analysis is None:
            analysis = analyse(text, turns, language)
            _save(path, sha256, analysis)
        sentence_lemmas = analysis.lemmas
        sentences = analysis.sentences
        role_of = {}
        first = 0
        for n, (block, count) in enumerate(zip(turns, analysis.counts, strict=True), start=1):
            last = first + count
            speaker = block.speaker
            role = role_of.get(speaker)
            if role is None:
                role = role_of[speaker] = roles.get((document_id, speaker), "")
            if want_turns:
                doc_col.append(document_id)
                id_col.append(f"{document_id}:{n}")
                level_col.append("turn")
                start_col.append(block.start)
                end_col.append(block.end)
                speaker_col.append(speaker)
                role_col.append(role)
                time_col.append(block.timestamp)
                text_col.append(text[block.start:block.end])
                if lemmas:
                    lemma_col.append(" ".join(w for w in sentence_lemmas[first:last] if w))
            if want_sentences and count:
                starts = sentences[2 * first:2 * last:2]
                ends = sentences[2 * first + 1:2 * last:2]
                doc_col += [document_id] * count
                id_col += [f"{document_id}:{n}.{m}" for m in range(1, count + 1)]
                level_col += ["sentence"] * count
                start_col += starts
                end_col += ends
                speaker_col += [speaker] * count
                role_col += [role] * count
                time_col += [block.timestamp] * count
                text_col += [text[s:e] for s, e in zip(starts, ends, strict=True)]
                if lemmas:
                    lemma_col += sentence_lemmas[first:last]
            first = last
    if not lemmas:
        del columns["lemmas"]
    frame = pd.DataFrame(
        {name: pd.Series(values, dtype="int64" if name in ("start", "end") else str)
         for name, values in columns.items()}
    )
    return frame
