"""Which segments the themes are sought in: all, coded with some codes, or uncoded.

A scope is ``"all"``, ``"uncoded"`` (no coding of the chosen coders overlaps the
segment) or ``"coded:PATTERN"`` (a coding whose code id matches the shell-style
pattern overlaps it: ``coded:barrier.*`` is every barrier code; a pattern without a
wildcard also takes the code's sub-codes, so ``coded:barrier`` equals
``coded:barrier*``). Document and speaker variables filter further.

Examples
--------
>>> code_matcher("barrier")("barrier.regie"), code_matcher("barrier.*")("barriers")
(True, False)
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence

import pandas as pd

from raakvlak.analysis.data import Filter, apply_filter, project_codings, segments_with_variables
from raakvlak.analysis.units import overlaps
from raakvlak.project import Project
from raakvlak.themes.features import ThemeError


def code_matcher(pattern: str) -> Callable[[str], bool]:
    """A test for code ids: shell-style ``pattern``, or a code id and its sub-codes."""
    if any(c in pattern for c in "*?["):
        return lambda code_id: fnmatch.fnmatchcase(code_id, pattern)
    return lambda code_id: code_id == pattern or code_id.startswith(pattern + ".")


def theme_segments(
    project: Project,
    scope: str = "all",
    where: Filter | None = None,
    level: str = "turn",
    coders: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Segments of a project with lemmas and variables, narrowed to a scope.

    Parameters
    ----------
    project : the project.
    scope : ``"all"``, ``"uncoded"`` or ``"coded:PATTERN"``.
    where : document or speaker variables and their wanted values, e.g.
        ``{"site": "Noord", "role": ["leerkracht", "IB'er"]}``.
    level : ``"turn"`` or ``"sentence"``.
    coders : whose codings count for the scope (default: all coders).

    Returns
    -------
    DataFrame
        The columns of :func:`raakvlak.analysis.data.segments_with_variables`, plus
        ``lemmas`` and ``language``.

    Raises
    ------
    ThemeError
        For an unknown scope or a pattern no coding matches.
    """
    if scope not in ("all", "uncoded") and not scope.startswith("coded:"):
        raise ThemeError(f"scope must be all, uncoded or coded:PATTERN (e.g. coded:barrier.*), not {scope!r}")
    segments = segments_with_variables(project, level=level)
    lemmas = project.corpus.segments(level=level, lemmas=True)[["segment_id", "lemmas"]]
    segments = segments.merge(lemmas, on="segment_id", how="left")
    documents = project.corpus.documents
    language = dict(zip(documents["document_id"], documents["language"], strict=True))
    segments["language"] = [language.get(d) or project.language for d in segments["document_id"]]
    segments = apply_filter(segments, where)
    if scope == "all":
        return segments.reset_index(drop=True)
    codings = project_codings(project, coders)
    if scope.startswith("coded:"):
        pattern = scope.split(":", 1)[1]
        matches = code_matcher(pattern)
        codings = codings[codings["code_id"].map(matches)]
        if codings.empty:
            raise ThemeError(f"no codings with a code matching {pattern!r}; "
                             "see coding/codebook.yaml for the code ids")
    touched = set(overlaps(segments, codings)["unit"])
    keep = segments.index.isin(touched)
    return segments[keep if scope.startswith("coded:") else ~keep].reset_index(drop=True)
