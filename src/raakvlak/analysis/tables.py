"""Code tables: frequencies, code x document matrices, crosstabs and co-occurrence.

Every table starts from the same join (:func:`raakvlak.analysis.units.overlaps`): a
coding *touches* a segment when they share at least one character. Codings that
touch none of the segments given (a filtered selection, or a speaker label outside
every turn) are not counted, so a table always describes the segments it was given.
Codings of every coder given are pooled: to compare coders, pass one coder's codings
(or use ``coders=`` of the project functions).

Counting units
--------------
``codings``
    codings of the code touching the segments (a coding spanning two groups of ``by``
    counts once in each group);
``segments``
    segments touched by at least one coding of the code;
``documents``
    documents holding such a segment;
``speakers``
    speakers holding such a segment, a speaker counted per ``(document_id, speaker)``
    (the same pseudonym in two documents is two speakers); segments without a speaker
    (notes, plain text) count for no speaker.

Roll-ups
--------
With ``parents`` (a mapping code -> parent code or None, e.g. from the codebook), a
code counts its own codings and those of all its descendants. Units are counted as
sets, never summed: a segment coded with two children counts once for the parent.

Order
-----
Codes are sorted by id, or follow ``order`` (e.g. the codebook's order) when given:
then every code of ``order`` gets a row, with zeros when it was never applied, and
codes missing from ``order`` follow, sorted. Variable values are sorted; documents
follow their first appearance in the segments (the order of ``documents.csv``).

The ``project_*`` functions read a project's segments (with document and speaker
variables) and codings, filter them and call the functions on DataFrames, in
codebook order.

Examples
--------
>>> segments = pd.DataFrame({
...     "document_id": ["a", "a", "b"], "segment_id": ["a:1", "a:2", "b:1"],
...     "start": [0, 10, 0], "end": [9, 19, 9], "speaker": ["Ans", "Bo", "Ans"]})
>>> codings = pd.DataFrame({
...     "document_id": ["a", "a", "b"], "start": [2, 5, 1], "end": [4, 15, 3],
...     "code_id": ["trust", "regie", "trust"]})
>>> code_frequencies(segments, codings)
  code_id  codings  segments  documents  speakers
0   regie        1         2          1         2
1   trust        2         2          2         2
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from raakvlak.analysis.data import Filter, apply_filter, project_codings, segments_with_variables
from raakvlak.analysis.units import overlaps
from raakvlak.coding.codebook import Codebook
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project

Parents = Mapping[str, str | None]
MEASURES = ("codings", "segments", "documents", "speakers")
FREQUENCY_COLUMNS = ["code_id", *MEASURES]
_SEGMENT_COLUMNS = ("document_id", "start", "end")
_CODING_COLUMNS = ("document_id", "start", "end", "code_id")


class TableError(RaakvlakError):
    """A table cannot be made from what was given (missing column, unknown variable)."""


# ---------------------------------------------------------------------- helpers
def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise TableError(
            f"the {what} table lacks column(s) {', '.join(missing)}; it has "
            f"{', '.join(map(str, table.columns)) or 'none'}"
        )


def _variable(segments: pd.DataFrame, name: str) -> None:
    if name not in segments.columns:
        raise TableError(
            f"unknown variable {name!r}; segments have {', '.join(map(str, segments.columns))}"
        )


def lineage(code_id: str, parents: Parents) -> list[str]:
    """The code and its ancestors, nearest first.

    Parameters
    ----------
    code_id : a code id.
    parents : code -> parent code (None or ``""`` for a top-level code).

    Returns
    -------
    list of str
        ``[code_id, parent, grandparent, ...]``.

    Raises
    ------
    TableError
        When the parents form a cycle.

    Examples
    --------
    >>> lineage("barrier.avg", {"barrier.avg": "barrier", "barrier": None})
    ['barrier.avg', 'barrier']
    """
    chain = [code_id]
    parent = parents.get(code_id)
    while parent:
        if parent in chain:
            raise TableError(
                f"code {code_id!r}: its parents form a cycle ({' -> '.join([*chain, parent])}); "
                "fix the parent codes in the codebook"
            )
        chain.append(parent)
        parent = parents.get(parent)
    return chain


def coded_units(
    segments: pd.DataFrame, codings: pd.DataFrame, parents: Parents | None = None
) -> pd.DataFrame:
    """One row per (segment, coding, code) where the coding touches the segment.

    Parameters
    ----------
    segments : segments of one level with ``document_id, start, end`` (non-overlapping
        within a document) and any variables.
    codings : codings with ``document_id, start, end, code_id``.
    parents : code -> parent code; when given, each pair is repeated for every
        ancestor of the coding's code (roll-up).

    Returns
    -------
    DataFrame
        ``unit`` (position of the segment in ``segments``), ``coding`` (position of
        the coding in ``codings``), ``code_id``, ``document_id``, in document order.

    Examples
    --------
    >>> seg = pd.DataFrame({"document_id": ["d", "d"], "start": [0, 10], "end": [9, 19]})
    >>> cod = pd.DataFrame({"document_id": ["d"], "start": [5], "end": [12], "code_id": ["x.y"]})
    >>> coded_units(seg, cod, parents={"x.y": "x"})[["unit", "code_id"]].values.tolist()
    [[0, 'x.y'], [0, 'x'], [1, 'x.y'], [1, 'x']]
    """
    _require(segments, _SEGMENT_COLUMNS, "segments")
    _require(codings, _CODING_COLUMNS, "codings")
    if "level" in segments.columns and segments["level"].nunique() > 1:
        raise TableError(
            "the segments mix levels (" + ", ".join(sorted(map(str, segments["level"].unique())))
            + "); count on one level: corpus.segments(level='turn') or level='sentence'"
        )
    units = segments[list(_SEGMENT_COLUMNS)].reset_index(drop=True)
    coded = codings[list(_CODING_COLUMNS)].reset_index(drop=True)
    pairs = overlaps(units, coded)
    pairs = pairs.assign(
        unit=pairs["unit"].astype("int64"),
        coding=pairs["coding"].astype("int64"),
        code_id=coded["code_id"].to_numpy()[pairs["coding"].to_numpy(dtype="int64")],
        document_id=units["document_id"].to_numpy()[pairs["unit"].to_numpy(dtype="int64")],
    )
    if parents:
        chains = {code: lineage(code, parents) for code in pairs["code_id"].unique()}
        pairs = pairs.assign(code_id=pairs["code_id"].map(chains)).explode("code_id")
        pairs = pairs.drop_duplicates(["unit", "coding", "code_id"]).reset_index(drop=True)
    return pairs.astype({"code_id": str})


def _code_order(found: Sequence[str], order: Sequence[str] | None) -> list[str]:
    if order is None:
        return sorted(set(found))
    listed = list(dict.fromkeys(order))
    return listed + sorted(set(found) - set(listed))


def _values(column: pd.Series) -> pd.Series:
    """A variable as grouping keys: missing values become ``""``."""
    return column.fillna("") if column.dtype == object or pd.api.types.is_string_dtype(column) else column


def _sorted_values(values: pd.Series) -> list:
    return pd.Index(values.unique()).sort_values().tolist()


# ---------------------------------------------------------------------- tables
def code_frequencies(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    by: str | None = None,
    parents: Parents | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """How often each code was applied: codings, segments, documents and speakers.

    Parameters
    ----------
    segments : segments of one level: ``document_id, start, end``, optionally
        ``speaker`` and variables (role, site ...).
    codings : codings: ``document_id, start, end, code_id``.
    by : a column of ``segments`` (a segment, document or speaker variable) to count
        per value of; a coding spanning segments with two values counts in both.
    parents : code -> parent code (None at the top): a parent counts its own codings
        and all its descendants', each unit once.
    order : codes in the order wanted (e.g. the codebook's); every one gets a row.

    Returns
    -------
    DataFrame
        One row per code (per value of ``by``: every code with every value found in
        the segments, zeros included): ``code_id``, [``by``], ``codings``,
        ``segments``, ``documents``, ``speakers`` (int; see the module text for
        what each counts).

    Raises
    ------
    TableError
        For a missing column or an unknown ``by`` variable.

    Examples
    --------
    >>> seg = pd.DataFrame({"document_id": ["d", "d", "d"], "start": [0, 10, 20],
    ...                     "end": [9, 19, 29], "speaker": ["Ans", "Bo", "Ans"],
    ...                     "role": ["Docent", "Mentor", "Docent"]})
    >>> cod = pd.DataFrame({"document_id": ["d", "d"], "start": [1, 21], "end": [12, 25],
    ...                     "code_id": ["barrier.avg", "barrier.regie"]})
    >>> code_frequencies(seg, cod, by="role", parents={"barrier.avg": "barrier",
    ...                  "barrier.regie": "barrier"}, order=["barrier"])
             code_id    role  codings  segments  documents  speakers
    0        barrier  Docent        2         2          1         1
    1        barrier  Mentor        1         1          1         1
    2    barrier.avg  Docent        1         1          1         1
    3    barrier.avg  Mentor        1         1          1         1
    4  barrier.regie  Docent        1         1          1         1
    5  barrier.regie  Mentor        0         0          0         0
    """
    if by is not None:
        _variable(segments, by)
    pairs = coded_units(segments, codings, parents)
    units = segments.reset_index(drop=True)
    unit_index = pairs["unit"].to_numpy()
    pairs = pairs.assign(speaker_key=_speaker_keys(units).to_numpy()[unit_index])
    keys = ["code_id"]
    if by is not None:
        group_values = _values(units[by])
        pairs = pairs.assign(**{by: group_values.to_numpy()[unit_index]})
        keys.append(by)
    counted = pairs.groupby(keys, sort=False).agg(
        codings=("coding", "nunique"),
        segments=("unit", "nunique"),
        documents=("document_id", "nunique"),
        speakers=("speaker_key", "nunique"),
    )
    codes = _code_order(pairs["code_id"].tolist(), order)
    if by is None:
        index = pd.Index(codes, name="code_id")
    else:
        index = pd.MultiIndex.from_product(
            [codes, _sorted_values(group_values)], names=["code_id", by]
        )
    table = counted.reindex(index, fill_value=0).astype("int64").reset_index()
    return table[[*keys, *MEASURES]]


def _speaker_keys(units: pd.DataFrame) -> pd.Series:
    """Per unit, its document and speaker as one key (NaN without a speaker)."""
    if "speaker" not in units.columns:
        return pd.Series(np.nan, index=units.index, dtype=object)
    speaker = units["speaker"].fillna("").astype(str)
    key = units["document_id"].astype(str) + "\x1f" + speaker
    return key.where(speaker.str.strip() != "")


def code_document_matrix(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    measure: str = "codings",
    parents: Parents | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Codes x documents: how often each code occurs in each document (a case x code matrix).

    Parameters
    ----------
    segments, codings, parents, order : as for :func:`code_frequencies`.
    measure : ``"codings"`` (codings touching the document's segments) or
        ``"segments"`` (segments touched by the code).

    Returns
    -------
    DataFrame
        Index ``code_id``, one int column per document of ``segments`` (in order of
        first appearance), zeros where a code does not occur.

    Examples
    --------
    >>> seg = pd.DataFrame({"document_id": ["a", "a", "b"], "start": [0, 10, 0], "end": [9, 19, 9]})
    >>> cod = pd.DataFrame({"document_id": ["a", "a"], "start": [2, 3], "end": [12, 4],
    ...                     "code_id": ["trust", "trust"]})
    >>> code_document_matrix(seg, cod, measure="segments")  # doctest: +NORMALIZE_WHITESPACE
    document_id  a  b
    code_id
    trust        2  0
    """
    if measure not in ("codings", "segments"):
        raise TableError(f"measure must be 'codings' or 'segments', not {measure!r}")
    table = code_frequencies(segments, codings, by="document_id", parents=parents, order=order)
    matrix = table.pivot(index="code_id", columns="document_id", values=measure)
    codes = list(dict.fromkeys(table["code_id"]))
    documents = list(dict.fromkeys(_values(segments["document_id"])))
    matrix = matrix.reindex(index=codes, columns=documents, fill_value=0).astype("int64")
    matrix.index.name, matrix.columns.name = "code_id", "document_id"
    return matrix


def crosstab(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    variable: str,
    normalize: str | None = None,
    parents: Parents | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Codes x the values of a variable, counted as coded segments.

    Parameters
    ----------
    segments, codings, parents, order : as for :func:`code_frequencies`.
    variable : a column of ``segments`` (role, site, speaker ...).
    normalize : None for counts; ``"index"`` for each code's shares over the values
        (rows sum to 1); ``"columns"`` for each value's shares over the codes (columns
        sum to 1). Shares are rounded to 4 decimals; a row or column without any
        coded segment holds NaN.

    Returns
    -------
    DataFrame
        Index ``code_id``, one column per value of ``variable`` (sorted); ints for
        counts, floats for shares.

    Examples
    --------
    >>> seg = pd.DataFrame({"document_id": ["d"] * 3, "start": [0, 10, 20], "end": [9, 19, 29],
    ...                     "role": ["Docent", "Mentor", "Docent"]})
    >>> cod = pd.DataFrame({"document_id": ["d", "d"], "start": [1, 11], "end": [25, 12],
    ...                     "code_id": ["trust", "regie"]})
    >>> crosstab(seg, cod, "role")  # doctest: +NORMALIZE_WHITESPACE
    role     Docent  Mentor
    code_id
    regie         0       1
    trust         2       1
    >>> crosstab(seg, cod, "role", normalize="index")  # doctest: +NORMALIZE_WHITESPACE
    role     Docent  Mentor
    code_id
    regie    0.0000  1.0000
    trust    0.6667  0.3333
    """
    if normalize not in (None, "index", "columns"):
        raise TableError(f"normalize must be None, 'index' or 'columns', not {normalize!r}")
    _variable(segments, variable)
    table = code_frequencies(segments, codings, by=variable, parents=parents, order=order)
    counts = table.pivot(index="code_id", columns=variable, values="segments")
    counts = counts.reindex(index=list(dict.fromkeys(table["code_id"])),
                            columns=_sorted_values(_values(segments[variable])), fill_value=0)
    counts = counts.astype("int64")
    counts.index.name, counts.columns.name = "code_id", variable
    if normalize is None:
        return counts
    totals = counts.sum(axis=1 if normalize == "index" else 0).replace(0, np.nan)
    shares = counts.div(totals, axis=0 if normalize == "index" else 1)
    return shares.astype("float64").round(4)


def cooccurrence(
    segments: pd.DataFrame,
    codings: pd.DataFrame,
    parents: Parents | None = None,
    order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Code x code: in how many segments both codes occur.

    Parameters
    ----------
    segments, codings, parents, order : as for :func:`code_frequencies`. With
        ``parents`` a parent co-occurs with each of its coded children.

    Returns
    -------
    DataFrame
        Square and symmetric, index and columns ``code_id`` in the same order; the
        diagonal holds the number of segments with the code.

    Examples
    --------
    >>> seg = pd.DataFrame({"document_id": ["d"] * 3, "start": [0, 10, 20], "end": [9, 19, 29]})
    >>> cod = pd.DataFrame({"document_id": ["d"] * 3, "start": [1, 2, 11], "end": [5, 15, 12],
    ...                     "code_id": ["trust", "regie", "trust"]})
    >>> cooccurrence(seg, cod)  # doctest: +NORMALIZE_WHITESPACE
    code_id  regie  trust
    code_id
    regie        2      2
    trust        2      2
    """
    pairs = coded_units(segments, codings, parents).drop_duplicates(["unit", "code_id"])
    codes = _code_order(pairs["code_id"].tolist(), order)
    position = {code: i for i, code in enumerate(codes)}
    units = pairs["unit"].unique()
    row = {unit: i for i, unit in enumerate(units)}
    presence = np.zeros((len(units), len(codes)), dtype=np.int64)
    presence[pairs["unit"].map(row).to_numpy(dtype=np.int64),
             pairs["code_id"].map(position).to_numpy(dtype=np.int64)] = 1
    counts = presence.T @ presence
    index = pd.Index(codes, name="code_id")
    return pd.DataFrame(counts, index=index, columns=index.copy())


# ---------------------------------------------------------------------- projects
def codebook_hierarchy(codebook: Codebook) -> tuple[list[str], dict[str, str | None]]:
    """The live codes of a codebook in file order, and each code's parent.

    Returns
    -------
    order : list of str
        Live code ids (a priori and emergent) in codebook order.
    parents : dict
        Every code id -> its parent id (None at the top).

    Examples
    --------
    >>> book = Codebook.from_text("codes: [{id: a, label: {nl: A, en: A},"
    ...                           " children: [{id: a.b, label: {nl: B, en: B}}]}]")
    >>> codebook_hierarchy(book)
    (['a', 'a.b'], {'a': None, 'a.b': 'a'})
    """
    order = [code.id for code in codebook if code.live]
    parents = {code.id: code.parent for code in codebook}
    return order, parents


class _Selection:
    """What every project table starts from: filtered segments, codings, codebook order."""

    def __init__(self, project: Project, level: str, coders: Sequence[str] | None,
                 where: Filter | None, rollup: bool, used_only: bool):
        from raakvlak.analysis.pictures import with_pictures

        self.segments, self.codings = with_pictures(  # a picture counts as a segment of its own
            project, apply_filter(segments_with_variables(project, level), where),
            project_codings(project, coders), coders, dict(where or {}))
        self.codebook = project.codebook
        order, parents = codebook_hierarchy(self.codebook)
        self.parents = parents if rollup else None
        if used_only:
            used = set(coded_units(self.segments, self.codings, self.parents)["code_id"])
            order = [code for code in order if code in used]
        self.order = order


def project_frequencies(
    project: Project,
    by: str | None = None,
    rollup: bool = False,
    used_only: bool = True,
    level: str = "turn",
    coders: Sequence[str] | None = None,
    where: Filter | None = None,
) -> pd.DataFrame:
    """Code frequencies of a project (see :func:`code_frequencies`), in codebook order.

    Parameters
    ----------
    project : the project.
    by : a segment, document or speaker variable (role, site, document_id ...).
    rollup : a parent code counts its descendants' codings (each unit once).
    used_only : only codes applied in the segments selected (the default); False lists
        every live code of the codebook, with zeros for codes never applied.
    level : ``"turn"`` or ``"sentence"``: the segments counted.
    coders : only these coders' codings (default: all, pooled).
    where : filters on segment, document and speaker variables, e.g. ``{"site": "Noord"}``.

    Returns
    -------
    DataFrame
        ``code_id, label`` (in the project's language; the id for a code missing from
        the codebook), [``by``], ``codings, segments, documents, speakers``.

    Examples
    --------
    >>> table = project_frequencies(Project.find(EXAMPLE), by="role")
    >>> table.columns[:3].tolist()
    ['code_id', 'label', 'role']
    """
    chosen = _Selection(project, level, coders, where, rollup, used_only)
    table = code_frequencies(chosen.segments, chosen.codings, by=by, parents=chosen.parents,
                             order=chosen.order)
    labels = {code.id: code.label(project.language) for code in chosen.codebook}
    table.insert(1, "label", table["code_id"].map(lambda c: labels.get(c, c)))
    return table


def project_document_matrix(
    project: Project,
    measure: str = "codings",
    rollup: bool = False,
    used_only: bool = True,
    level: str = "turn",
    coders: Sequence[str] | None = None,
    where: Filter | None = None,
) -> pd.DataFrame:
    """The code x document matrix of a project (see :func:`code_document_matrix`).

    Parameters
    ----------
    project : the project.
    measure : ``"codings"`` or ``"segments"``.
    rollup, used_only, level, coders, where : as for :func:`project_frequencies`.

    Examples
    --------
    >>> project = Project.find(EXAMPLE)
    >>> set(project.corpus.ids) <= set(project_document_matrix(project).columns)
    True
    """
    chosen = _Selection(project, level, coders, where, rollup, used_only)
    return code_document_matrix(chosen.segments, chosen.codings, measure=measure,
                                parents=chosen.parents, order=chosen.order)


def project_crosstab(
    project: Project,
    variable: str,
    normalize: str | None = None,
    rollup: bool = False,
    used_only: bool = True,
    level: str = "turn",
    coders: Sequence[str] | None = None,
    where: Filter | None = None,
) -> pd.DataFrame:
    """A code x variable crosstab of a project (see :func:`crosstab`).

    Parameters
    ----------
    project : the project.
    variable : a segment, document or speaker variable (role, site ...).
    normalize : None, ``"index"`` (rows sum to 1) or ``"columns"`` (columns sum to 1).
    rollup, used_only, level, coders, where : as for :func:`project_frequencies`.

    Examples
    --------
    >>> shares = project_crosstab(Project.find(EXAMPLE), "site", normalize="index")
    >>> bool(((shares.sum(axis=1) - 1).abs() < 1e-3).all())
    True
    """
    chosen = _Selection(project, level, coders, where, rollup, used_only)
    return crosstab(chosen.segments, chosen.codings, variable, normalize=normalize,
                    parents=chosen.parents, order=chosen.order)


def project_cooccurrence(
    project: Project,
    rollup: bool = False,
    used_only: bool = True,
    level: str = "turn",
    coders: Sequence[str] | None = None,
    where: Filter | None = None,
) -> pd.DataFrame:
    """The code co-occurrence matrix of a project (see :func:`cooccurrence`).

    Parameters
    ----------
    project : the project.
    rollup, used_only, level, coders, where : as for :func:`project_frequencies`.

    Examples
    --------
    >>> matrix = project_cooccurrence(Project.find(EXAMPLE), rollup=True)
    >>> bool((matrix.to_numpy() == matrix.to_numpy().T).all())
    True
    """
    chosen = _Selection(project, level, coders, where, rollup, used_only)
    return cooccurrence(chosen.segments, chosen.codings, parents=chosen.parents,
                        order=chosen.order)
