"""Which segments the themes are sought in: all, coded with some codes, or uncoded.

A scope is ``"all"``, ``"uncoded"`` (no coding of the chosen coders overlaps the
segment) or ``"coded:PATTERN"`` (a coding whose code the pattern picks overlaps it,
as in a query (:func:`raakvlak.ids.code_matcher`): ``coded:barrier.*`` is ``barrier``
and every code below it, ``coded:barrier.regie`` that code only). Document and speaker
variables filter further
(``where={"role": ["mentor"]}``, ``where={"speaker": "Docent 2"}``).

Themes are about what respondents say. Within any scope, what is not a respondent's talk
is left out unless asked for:

- turns of an interviewer, facilitator, moderator or similar role
  (:data:`INTERVIEWER_ROLES`, compared with the role in ``corpus/speakers.csv``
  without regard to case): their questions would otherwise become themes of their own;
  ``interviewers=True`` keeps them;
- headings: a Markdown heading (``# Interview 3``), and in a document with speaker
  turns, a block without a speaker (a title line or a note between the turns).

Examples
--------
>>> is_interviewer("Gespreksleider"), is_interviewer("intern begeleider")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from raakvlak.analysis.data import Filter, apply_filter, project_codings, segments_with_variables
from raakvlak.analysis.units import overlaps
from raakvlak.ids import code_matcher
from raakvlak.project import Project
from raakvlak.themes.features import ThemeError

# roles whose turns ask rather than answer (Dutch and English, lower case)
INTERVIEWER_ROLES = frozenset({
    "interviewer", "interviewster", "interviewer/onderzoeker", "onderzoeker", "researcher",
    "facilitator", "moderator", "gespreksleider", "gespreksbegeleider", "procesbegeleider",
    "host", "chair", "voorzitter",
})
_HEADING = re.compile(r"#{1,6}\s")


def is_interviewer(role: str) -> bool:
    """True when ``role`` names someone who asks the questions (see :data:`INTERVIEWER_ROLES`)."""
    return str(role).strip().lower() in INTERVIEWER_ROLES


def talk_mask(segments: pd.DataFrame, interviewers: bool = False) -> pd.Series:
    """True for the segments that are a respondent's talk (see the module's description).

    Parameters
    ----------
    segments : segments with ``document_id, speaker, role, text``.
    interviewers : also count the turns of interviewer-like roles as talk.

    Returns
    -------
    Series of bool, aligned with ``segments``.
    """
    text = segments["text"].fillna("").astype(str)
    speaker = segments.get("speaker", pd.Series("", index=segments.index)).fillna("").astype(str)
    role = segments.get("role", pd.Series("", index=segments.index)).fillna("").astype(str)
    keep = ~text.str.lstrip().str.match(_HEADING)
    has_turns = speaker.str.strip().ne("").groupby(segments["document_id"]).transform("any")
    keep &= ~(has_turns & speaker.str.strip().eq(""))
    if not interviewers:
        keep &= ~role.map(is_interviewer)
    return keep


def theme_segments(
    project: Project,
    scope: str = "all",
    where: Filter | None = None,
    level: str = "turn",
    coders: Sequence[str] | None = None,
    interviewers: bool = False,
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
    interviewers : keep the turns of interviewer-like roles (see :func:`talk_mask`);
        by default they are left out. Headings are always left out.

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
    segments = segments[talk_mask(segments, interviewers)]
    if scope == "all":
        return segments.reset_index(drop=True)
    codings = project_codings(project, coders)
    if scope.startswith("coded:"):
        pattern = scope.split(":", 1)[1]
        matches = code_matcher(pattern)
        codings = codings[codings["code_id"].map(matches).astype(bool)]
        if codings.empty:
            raise ThemeError(f"no codings with a code matching {pattern!r}; "
                             "see coding/codebook.yaml for the code ids")
    touched = set(overlaps(segments, codings)["unit"])
    keep = segments.index.isin(touched)
    return segments[keep if scope.startswith("coded:") else ~keep].reset_index(drop=True)
