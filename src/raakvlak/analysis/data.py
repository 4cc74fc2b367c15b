"""The tidy tables every analysis starts from: codings and segments with their variables."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import pandas as pd

from raakvlak.corpus.store import DESCRIPTIVE_COLUMNS, document_variables, speaker_variables
from raakvlak.errors import OrphanedCodings, RaakvlakError
from raakvlak.project import Project

Filter = Mapping[str, str | Sequence[str]]


def project_codings(project: Project, coders: Sequence[str] | None = None, orphans: str = "skip") -> pd.DataFrame:
    """Live codings of the project (all coders, or these), merged codes resolved.

    Parameters
    ----------
    project : the project.
    coders : only these coders (default: all).
    orphans : what to do with codings whose quote is no longer at their offsets (see
        :func:`raakvlak.coding.reanchor.anchor_problems`): ``"skip"`` leaves them out
        and warns (:class:`~raakvlak.errors.OrphanedCodings`) how many and what to do;
        ``"mark"`` keeps them, with the columns ``orphaned`` (bool) and ``problem``.

    Returns
    -------
    DataFrame with the columns :func:`raakvlak.coding.state.fold` documents (``event_id,
    coder, document_id, start, end, code_id, original_code_id, quote, ...``).
    """
    state, _ = project.coding_state(merged=True)
    codings = state.codings
    if coders is not None:
        unknown = sorted(set(coders) - set(codings["coder"]))
        if unknown:
            known = ", ".join(sorted(codings["coder"].unique())) or "none yet"
            raise RaakvlakError(f"no codings by coder(s) {', '.join(unknown)}; coders with codings: {known}")
        codings = codings[codings["coder"].isin(coders)]
    return anchored(project, codings.reset_index(drop=True), orphans)


def anchored(project: Project, codings: pd.DataFrame, orphans: str = "skip") -> pd.DataFrame:
    """``codings`` without the orphaned ones (with a warning), or with them marked
    (``orphans="mark"``: columns ``orphaned`` and ``problem``); see :func:`project_codings`."""
    from raakvlak.coding.reanchor import anchor_problems

    if orphans not in ("skip", "mark"):
        raise ValueError(f"orphans must be 'skip' or 'mark', not {orphans!r}")
    problems = anchor_problems(project, codings)
    if orphans == "mark":
        return codings.assign(orphaned=problems != "", problem=problems)
    lost = int((problems != "").sum())
    if lost:
        warnings.warn(OrphanedCodings(
            f"{lost} orphaned coding(s) left out: their quote is no longer at their offsets "
            "(a document was edited); run `raakvlak reanchor` to place them"), stacklevel=3)
    return codings[(problems == "").to_numpy()].reset_index(drop=True)


def segments_with_variables(project: Project, level: str = "turn") -> pd.DataFrame:
    """Segments of one level with the document variables joined (prefixed by nothing;
    a speaker variable that shares a document variable's name gets ``speaker_``)."""
    segments = project.corpus.segments(level=level)
    documents = project.corpus.documents
    documents = documents[["document_id", *DESCRIPTIVE_COLUMNS, *document_variables(documents)]]
    speakers = project.corpus.speakers.drop(columns=["role"], errors="ignore")
    merged = segments.merge(documents, on="document_id", how="left", suffixes=("", "_document"))
    extra = speaker_variables(project.corpus.speakers)
    if extra:
        renamed = {c: f"speaker_{c}" if c in merged.columns else c for c in extra}
        merged = merged.merge(speakers.rename(columns=renamed), on=["document_id", "speaker"], how="left")
    merged.index = segments.index
    return merged


def apply_filter(table: pd.DataFrame, where: Filter | None) -> pd.DataFrame:
    """Rows whose columns hold the wanted values (a value, or any of a list).

    Examples
    --------
    >>> t = pd.DataFrame({"site": ["Noord", "Zuid", "Noord"], "role": ["Docent", "Mentor", "Mentor"]})
    >>> len(apply_filter(t, {"site": "Noord", "role": ["Mentor", "IB'er"]}))
    1
    """
    if not where:
        return table
    mask = pd.Series(True, index=table.index)
    for column, wanted in where.items():
        if column not in table.columns:
            raise RaakvlakError(
                f"unknown variable {column!r}; known: {', '.join(map(str, table.columns))}"
            )
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        mask &= table[column].astype(str).isin(values)
    return table[mask]
