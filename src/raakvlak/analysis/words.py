"""Word counts and keyword in context, over lemmas.

Words are counted as lemmas (``kinderen`` counts as ``kind``), lower case, as the
language pipeline of :mod:`raakvlak.corpus.language` makes them. Left out of the
counts: stop words of the language, spoken fillers (uh, nou, eigenlijk ...), the
project's own stop list (``[stopwords] extra`` in ``raakvlak.toml``) and lemmas
without a letter (numbers, symbols).

Keyword in context (:func:`kwic`) shows every occurrence of a word with the words
around it, inside its segment, with the keyword's offsets in the canonical text
(code points, 0-based, end-exclusive), so ``text[start:end]`` is the keyword as
written.

Examples
--------
>>> segments = pd.DataFrame({
...     "document_id": ["a", "a"], "segment_id": ["a:1", "a:2"], "speaker": ["Ans", "Bo"],
...     "start": [5, 40], "end": [30, 66],
...     "text": ["Uh, de school helpt nou.", "De scholen helpen de wijk."]})
>>> word_frequencies(segments, "nl")
    lemma  count  segments  documents
0  helpen      2         2          1
1  school      2         2          1
2    wijk      1         1          1
"""

from __future__ import annotations

import bisect
import fnmatch
from collections.abc import Iterable, Sequence

import pandas as pd

from raakvlak.analysis.data import Filter, apply_filter, segments_with_variables
from raakvlak.corpus.language import content_lemmas, lemmatise, pipeline, stop_words
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project

FREQUENCY_COLUMNS = ["lemma", "count", "segments", "documents"]
KWIC_COLUMNS = ["document_id", "segment_id", "speaker", "left", "keyword", "right", "start", "end"]


class WordsError(RaakvlakError):
    """Word counts or a keyword search cannot be made from what was given."""


def _require(table: pd.DataFrame, columns: Sequence[str]) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise WordsError(
            f"the segments table lacks column(s) {', '.join(missing)}; it has "
            f"{', '.join(map(str, table.columns)) or 'none'}"
        )


def segment_lemmas(segments: pd.DataFrame, language: str) -> pd.Series:
    """The lemmas of each segment as a list: from ``lemmas`` when present, else from ``text``.

    Parameters
    ----------
    segments : segments with ``lemmas`` (space-separated) or ``text``.
    language : ``"nl"`` or ``"en"``, used when the lemmas must be computed.

    Returns
    -------
    Series of lists of str, aligned with ``segments``.

    Examples
    --------
    >>> segment_lemmas(pd.DataFrame({"text": ["De kinderen praten."]}), "nl").tolist()
    [['de', 'kind', 'praten']]
    """
    if "lemmas" in segments.columns:
        return segments["lemmas"].fillna("").astype(str).str.split()
    _require(segments, ["text"])
    return pd.Series(lemmatise(segments["text"].fillna("").astype(str).tolist(), language),
                     index=segments.index, dtype=object)


def word_frequencies(
    segments: pd.DataFrame,
    language: str,
    extra_stopwords: Iterable[str] = (),
    by: str | None = None,
    top: int | None = None,
) -> pd.DataFrame:
    """How often each lemma occurs, stop words and fillers left out.

    Parameters
    ----------
    segments : segments of one level with ``document_id`` and ``lemmas``
        (space-separated, as ``Corpus.segments(lemmas=True)`` gives) or ``text``
        (lemmatised here), and any variables.
    language : ``"nl"`` or ``"en"``: whose stop words and fillers are left out.
    extra_stopwords : more words to leave out (the project's stop list); compared in
        lower case with the lemmas.
    by : a column of ``segments`` (role, site, document_id ...) to count per value of.
    top : keep the ``top`` most frequent lemmas (per value of ``by``).

    Returns
    -------
    DataFrame
        [``by``], ``lemma``, ``count`` (occurrences), ``segments`` and ``documents``
        (holding the lemma at least once); most frequent first, ties by lemma (and
        grouped by the sorted values of ``by``).

    Raises
    ------
    WordsError
        For a missing column or an unknown ``by`` variable.

    Examples
    --------
    >>> seg = pd.DataFrame({"document_id": ["a", "b"], "role": ["Docent", "Mentor"],
    ...                     "lemmas": ["nou ja school school", "school ouder"]})
    >>> word_frequencies(seg, "nl", by="role")
         role   lemma  count  segments  documents
    0  Docent  school      2         1          1
    1  Mentor   ouder      1         1          1
    2  Mentor  school      1         1          1
    """
    _require(segments, ["document_id"])
    if by is not None and by not in segments.columns:
        raise WordsError(f"unknown variable {by!r}; segments have {', '.join(map(str, segments.columns))}")
    if top is not None and (not isinstance(top, int) or top < 1):
        raise WordsError(f"top must be a positive whole number, not {top!r}")
    stops = stop_words(language, extra_stopwords)
    units = segments.reset_index(drop=True)
    lists = segment_lemmas(units, language)
    kept = content_lemmas((" ".join(lemmas) for lemmas in lists), stops)
    tokens = pd.Series(kept, index=units.index, dtype=object).explode().dropna()
    words = pd.DataFrame({
        "unit": tokens.index.to_numpy(),
        "lemma": tokens.astype(str).to_numpy(),
        "document_id": units["document_id"].to_numpy()[tokens.index.to_numpy()],
    })
    keys = ["lemma"]
    if by is not None:
        values = units[by]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            values = values.fillna("")
        words.insert(0, by, values.to_numpy()[tokens.index.to_numpy()])
        keys = [by, "lemma"]
    table = words.groupby(keys, sort=True).agg(
        count=("unit", "size"), segments=("unit", "nunique"), documents=("document_id", "nunique")
    ).reset_index()
    table = table.astype({"count": "int64", "segments": "int64", "documents": "int64"})
    sort_keys = ([by] if by else []) + ["count", "lemma"]
    ascending = ([True] if by else []) + [False, True]
    table = table.sort_values(sort_keys, ascending=ascending, kind="stable")
    if top is not None:
        table = table.groupby(by, sort=False).head(top) if by else table.head(top)
    return table[[*keys[:-1], *FREQUENCY_COLUMNS]].reset_index(drop=True)


def _matcher(part: str, lemma: bool):
    """A test on one token for one word of the search term."""
    wanted = part.lower()
    attribute = "lemma_" if lemma else "lower_"
    if any(c in wanted for c in "*?["):
        return lambda token: fnmatch.fnmatchcase(getattr(token, attribute), wanted)
    return lambda token: getattr(token, attribute) == wanted


def _candidate(lemmas: str, parts: list[str]) -> bool:
    """Could a segment with these lemmas hold the term (a fast test before spaCy)?"""
    present = set(lemmas.split())
    return all(
        fnmatch.filter(present, p) if any(c in p for c in "*?[") else p in present for p in parts
    )


def kwic(
    segments: pd.DataFrame,
    term: str,
    language: str = "nl",
    window: int = 6,
    lemma: bool = True,
) -> pd.DataFrame:
    """Every occurrence of a word (or a few words) with the words around it.

    Parameters
    ----------
    segments : segments with ``document_id, segment_id, start, end, text`` (``text``
        is ``canonical[start:end]``), optionally ``speaker``, ``lemmas`` (speeds up
        the search) and ``language`` (per segment; else ``language``).
    term : a word, or words separated by spaces that must follow each other; ``*``
        and ``?`` match any letters (``school*``). Case is ignored.
    language : ``"nl"`` or ``"en"``: the pipeline that tokenises the texts.
    window : words of context on each side, within the segment (punctuation in
        between is kept).
    lemma : match lemmas (``kind`` finds ``kinderen``); False matches the words as
        written.

    Returns
    -------
    DataFrame
        ``document_id, segment_id, speaker, left, keyword, right, start, end``, one
        row per occurrence in segment order; ``start``/``end`` are code points of the
        keyword in the canonical text of the document.

    Examples
    --------
    >>> text = "Mentor: De kinderen bellen. Het kind zwijgt.\\n"
    >>> seg = pd.DataFrame({"document_id": ["d"], "segment_id": ["d:1"], "speaker": ["Mentor"],
    ...                     "start": [8], "end": [44], "text": [text[8:44]]})
    >>> hits = kwic(seg, "kind", window=2)
    >>> hits[["left", "keyword", "right"]].values.tolist()
    [['De', 'kinderen', 'bellen. Het'], ['bellen. Het', 'kind', 'zwijgt.']]
    >>> [text[s:e] for s, e in zip(hits["start"], hits["end"])]
    ['kinderen', 'kind']
    """
    _require(segments, ["document_id", "segment_id", "start", "end", "text"])
    parts = term.split()
    if not parts:
        raise WordsError("the search term is empty; give a word, e.g. kwic(segments, 'regie')")
    if not isinstance(window, int) or window < 0:
        raise WordsError(f"window must be a whole number of words >= 0, not {window!r}")
    matchers = [_matcher(p, lemma) for p in parts]
    units = segments.reset_index(drop=True)
    texts = units["text"].fillna("").astype(str)
    if lemma and "lemmas" in units.columns:
        lowered = [p.lower() for p in parts]
        keep = units["lemmas"].fillna("").astype(str).map(lambda s: _candidate(s, lowered))
    elif not lemma and not any(c in term for c in "*?["):
        keep = texts.str.lower().str.contains(parts[0].lower(), regex=False)
    else:
        keep = pd.Series(True, index=units.index)
    languages = (units["language"].replace("", language).fillna(language)
                 if "language" in units.columns else pd.Series(language, index=units.index))
    rows = []
    chosen = units.index[keep.to_numpy(dtype=bool)]
    for lang in sorted(set(languages[chosen])):
        these = [i for i in chosen if languages[i] == lang]
        docs = pipeline(lang).pipe((texts[i] for i in these), disable=["sentencizer"])
        for i, doc in zip(these, docs, strict=True):
            rows.extend(_occurrences(units.loc[i], texts[i], doc, matchers, window, i))
    columns = [*KWIC_COLUMNS, "_unit"]
    found = pd.DataFrame(rows, columns=columns).astype({"start": "int64", "end": "int64"})
    found = found.sort_values(["_unit", "start"], kind="stable")
    return found[KWIC_COLUMNS].reset_index(drop=True)


def _occurrences(row: pd.Series, text: str, doc, matchers, window: int, unit: int) -> list[tuple]:
    words = [t for t in doc if not t.is_space]
    is_word = [any(c.isalnum() for c in t.text) for t in words]
    word_positions = [k for k, w in enumerate(is_word) if w]
    n = len(matchers)
    base = int(row["start"])
    speaker = row["speaker"] if "speaker" in row.index and isinstance(row["speaker"], str) else ""
    found = []
    for k in range(len(words) - n + 1):
        if not all(is_word[k + j] and match(words[k + j]) for j, match in enumerate(matchers)):
            continue
        first, last = words[k], words[k + n - 1]
        begin, finish = first.idx, last.idx + len(last.text)
        # window words before and after, counted among the word tokens only
        cut = bisect.bisect_left(word_positions, k)
        before = word_positions[max(0, cut - window):cut]
        cut = bisect.bisect_right(word_positions, k + n - 1)
        after = word_positions[cut:cut + window]
        left_from = words[before[0]].idx if before else begin
        right_to = (words[after[-1]].idx + len(words[after[-1]].text)) if after else finish
        # punctuation right after the last context word belongs to the context
        if after:
            nxt = after[-1] + 1
            while nxt < len(words) and not is_word[nxt] and words[nxt].idx == right_to:
                right_to += len(words[nxt].text)
                nxt += 1
        left = " ".join(text[left_from:begin].split())
        right = " ".join(text[finish:right_to].split())
        found.append((row["document_id"], row["segment_id"], speaker, left,
                      text[begin:finish], right, base + begin, base + finish, unit))
    return found


# ---------------------------------------------------------------------- projects
def project_segments_with_lemmas(
    project: Project, level: str = "turn", where: Filter | None = None
) -> pd.DataFrame:
    """Segments of a project with their variables, ``lemmas`` and ``language``, filtered.

    Parameters
    ----------
    project : the project.
    level : ``"turn"`` or ``"sentence"``.
    where : filters on segment, document and speaker variables.

    Returns
    -------
    DataFrame
        The columns of :func:`raakvlak.analysis.data.segments_with_variables` plus
        ``lemmas`` (space-separated) and ``language`` (the document's, else the
        project's).

    Examples
    --------
    >>> segments = project_segments_with_lemmas(Project.find(EXAMPLE), where={"kind": "transcript"})
    >>> set(segments["kind"]), {"lemmas", "language"} <= set(segments.columns)
    ({'transcript'}, True)
    """
    segments = segments_with_variables(project, level)
    with_lemmas = project.corpus.segments(level=level, lemmas=True)
    if not with_lemmas["segment_id"].reset_index(drop=True).equals(
            segments["segment_id"].reset_index(drop=True)):
        raise WordsError("the corpus changed while reading its segments; run the cell again")
    documents = project.corpus.documents
    language_of = dict(zip(documents["document_id"], documents["language"], strict=True))
    segments = segments.assign(
        lemmas=with_lemmas["lemmas"].to_numpy(),
        language=segments["document_id"].map(lambda d: language_of.get(d) or project.language),
    )
    return apply_filter(segments, where)


def _stop_list(project: Project, languages: Iterable[str]) -> list[str]:
    """The project's stop list plus the stop words of every other language in the corpus."""
    words = list(project.settings.stopwords)
    for other in sorted(set(languages) - {project.language}):
        words.extend(stop_words(other))
    return words


def project_word_frequencies(
    project: Project,
    by: str | None = None,
    top: int | None = 50,
    level: str = "turn",
    where: Filter | None = None,
    extra_stopwords: Iterable[str] = (),
) -> pd.DataFrame:
    """Word frequencies of a project (see :func:`word_frequencies`).

    Stop words are the project language's, the project's stop list from
    ``raakvlak.toml``, ``extra_stopwords``, and those of any other language in the
    corpus.

    Parameters
    ----------
    project : the project.
    by : a segment, document or speaker variable to count per value of.
    top : the most frequent lemmas to keep (per value of ``by``); None for all.
    level : ``"turn"`` or ``"sentence"``.
    where : filters on segment, document and speaker variables, e.g. ``{"role": "Docent"}``.
    extra_stopwords : more words to leave out.

    Examples
    --------
    >>> table = project_word_frequencies(Project.find(EXAMPLE), top=20)
    >>> len(table) <= 20 and not {"uh", "nou", "ja", "de"} & set(table["lemma"])
    True
    """
    segments = project_segments_with_lemmas(project, level, where)
    extra = [*_stop_list(project, segments["language"]), *extra_stopwords]
    return word_frequencies(segments, project.language, extra_stopwords=extra, by=by, top=top)


def project_kwic(
    project: Project,
    term: str,
    window: int = 6,
    lemma: bool = True,
    level: str = "turn",
    where: Filter | None = None,
) -> pd.DataFrame:
    """Keyword in context over a project's documents (see :func:`kwic`).

    Each document is tokenised with its own language (``documents.csv``).

    Examples
    --------
    >>> project = Project.find(EXAMPLE)
    >>> hits = project_kwic(project, "school", window=4)
    >>> all(project.corpus.text(d)[s:e] == k
    ...     for d, s, e, k in zip(hits.document_id, hits.start, hits.end, hits.keyword))
    True
    """
    segments = project_segments_with_lemmas(project, level, where)
    return kwic(segments, term, language=project.language, window=window, lemma=lemma)
