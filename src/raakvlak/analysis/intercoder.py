"""Intercoder agreement of a project: the table a methods section reports, coder pairs,
disagreements, a figure and a report.

These functions read the compared coders' codings from the project's logs (merged codes
resolved, orphaned codings left out with a warning), decide what each coder has seen,
and pass the units to :mod:`raakvlak.analysis.reliability` (turns, sentences) or
:mod:`raakvlak.analysis.characters`. How units, seen documents and the ``(all codes)``
row are defined, with references: ``docs/agreement.md``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from raakvlak.analysis.characters import character_agreement, character_data
from raakvlak.analysis.ratings import AgreementError
from raakvlak.analysis.reliability import (
    ALL_CODES,
    VERDICTS,
    Seen,
    check_coders,
    check_level,
    check_seen,
    code_agreement,
    coder_pairs,
    disagreement_list,
    reliability_data,
    require_columns,
)
from raakvlak.analysis.tables import codebook_hierarchy
from raakvlak.project import Project


@dataclass(frozen=True)
class ProjectCodings:
    """What the project-level functions read once: codings, document memos, codebook order."""

    codings: pd.DataFrame
    seen: Seen
    order: list[str]
    labels: dict[str, str]
    parents: dict[str, str | None]


def project_codings_for(project: Project, coders: Sequence[str], seen: Seen = "coded-documents") -> ProjectCodings:
    """The compared coders' live codings (merged codes resolved) and what each has seen.

    With ``seen="coded-documents"`` the documents a coder coded in or wrote a memo on.
    """
    from raakvlak.analysis.data import anchored

    coders = check_coders(coders)
    check_seen(seen)
    codebook = project.codebook
    state, _ = project.coding_state(merged=True)
    codings = anchored(project, state.codings[state.codings["coder"].isin(coders)].reset_index(drop=True))
    memos = state.memos
    document_memos = memos[(memos["on"] == "document") & memos["coder"].isin(coders)]
    silent = sorted(set(coders) - set(codings["coder"]) - set(document_memos["coder"]))
    if silent:
        known = ", ".join(sorted(state.codings["coder"].unique())) or "none yet"
        raise AgreementError(
            f"coder(s) {', '.join(silent)} have no codings in coding/logs; coders with "
            f"codings: {known}"
        )
    if seen == "coded-documents":
        coded = codings.groupby("coder")["document_id"].unique()
        noted = document_memos.groupby("coder")["target"].unique()
        seen = {c: set(coded.get(c, [])) | set(noted.get(c, [])) for c in coders}
    order, parents = codebook_hierarchy(codebook)
    labels = {code.id: code.label(project.language) for code in codebook}
    return ProjectCodings(codings, seen, order, labels, parents)


def _segments(project: Project, level: str) -> pd.DataFrame:
    return project.corpus.segments(level=level)


def _lengths(project: Project) -> dict[str, int]:
    return {d: len(project.corpus.text(d)) for d in project.corpus.ids}


def agreement_data(
    source: Project | tuple[pd.DataFrame, pd.DataFrame],
    coders: Sequence[str],
    code: str | None = None,
    level: str = "turn",
    seen: Seen = "coded-documents",
    overall: str = "pairs",
    rollup: bool = False,
) -> pd.DataFrame:
    """The coders x units table of a project (or of ``(segments, codings)`` frames).

    Parameters
    ----------
    source : a :class:`~raakvlak.Project`, or a pair ``(segments, codings)`` of frames
        (for ``level="character"``: ``(lengths, codings)`` with ``lengths`` a mapping
        document id -> text length).
    coders : the coders compared.
    code : a code id, or None for all codes (``overall``; not at character level).
    level : ``"turn"``, ``"sentence"`` or ``"character"``.
    seen : ``"coded-documents"`` (coded in, or a document memo), ``"all"``, or a mapping.
    overall : ``"pairs"`` or ``"sets"`` (see :func:`reliability_data`).
    rollup : a parent code counts its descendants' codings (projects only).

    Returns
    -------
    DataFrame
        Coders x units: 1.0, 0.0, NaN for a unit the coder did not see.

    Examples
    --------
    >>> from raakvlak.analysis import krippendorff_alpha
    >>> data = agreement_data(project, ["anna", "bram"], code="barrier.regie")  # doctest: +SKIP
    >>> krippendorff_alpha(data)  # doctest: +SKIP
    """
    check_level(level)
    coders = check_coders(coders)
    if isinstance(source, Project):
        read = project_codings_for(source, coders, seen)
        codings, seen = read.codings, read.seen
        parents = read.parents if rollup else None
        base = _lengths(source) if level == "character" else _segments(source, level)
    else:
        base, codings = source
        parents = None
    if level == "character":
        if code is None:
            raise AgreementError("at character level name one code (code='...'); the table of "
                                 "all codes together would hold characters x codes cells")
        return character_data(base, codings, coders, code, seen, parents)
    return reliability_data(base, codings, coders, code, seen, overall, parents)


def agreement_table(
    project: Project,
    coders: Sequence[str],
    level: str = "turn",
    seen: Seen = "coded-documents",
    ci: bool = False,
    rollup: bool = False,
    n_boot: int = 1000,
    random_state: int = 0,
) -> pd.DataFrame:
    """The per-code agreement table of a project, in codebook order, with verdicts.

    One row per live code of the codebook (and per code used but not in it), then
    ``(all codes)``; columns as :func:`code_agreement` (``character_agreement`` at
    character level). Verdicts use ``[agreement] reliable`` and ``tentative`` of
    ``raakvlak.toml``.

    Parameters
    ----------
    project : the project.
    coders : the coders compared (two or more).
    level : ``"turn"``, ``"sentence"`` or ``"character"``.
    seen : what a coder has seen (module docstring).
    ci : add the bootstrap interval of alpha (``n_boot`` samples, seed ``random_state``).
    rollup : a parent code counts its descendants' codings.
    """
    check_level(level)
    read = project_codings_for(project, coders, seen)
    settings = project.settings
    common = dict(seen=read.seen, codes=read.order, labels=read.labels,
                  parents=read.parents if rollup else None, reliable=settings.reliable,
                  tentative=settings.tentative, ci=ci, n_boot=n_boot, random_state=random_state)
    if level == "character":
        for unused in ("ci", "n_boot", "random_state"):
            common.pop(unused)
        return character_agreement(_lengths(project), read.codings, coders, **common)
    return code_agreement(_segments(project, level), read.codings, coders, **common)


def pairwise_kappa(
    project: Project,
    coders: Sequence[str],
    code: str | None = None,
    level: str = "turn",
    seen: Seen = "coded-documents",
    rollup: bool = False,
) -> pd.DataFrame:
    """Cohen's kappa (and percent agreement, alpha) for every pair of coders of a project.

    See :func:`coder_pairs`; ``code=None`` pools all codes ((segment, code) units).
    """
    check_level(level)
    if level == "character":
        raise AgreementError("pairwise kappa is computed on segments: use level 'turn' or 'sentence'")
    read = project_codings_for(project, coders, seen)
    return coder_pairs(_segments(project, level), read.codings, coders, code, read.seen,
                       read.parents if rollup else None)


def disagreements(
    project: Project,
    coders: Sequence[str],
    level: str = "turn",
    seen: Seen = "coded-documents",
    rollup: bool = False,
) -> pd.DataFrame:
    """The disagreement list of a project for the consensus meeting.

    See :func:`disagreement_list`: one row per segment where the coders who saw it
    differ, with the quote, each coder's codes (codebook order) and the codes in dispute.
    """
    check_level(level)
    if level == "character":
        raise AgreementError("the disagreement list is per segment: use level 'turn' or 'sentence'")
    read = project_codings_for(project, coders, seen)
    return disagreement_list(_segments(project, level), read.codings, coders, read.seen,
                             read.order, read.parents if rollup else None)


# ---------------------------------------------------------------------- figure
VERDICT_COLOURS = {"reliable": "#1b7837", "tentative": "#e08214", "unreliable": "#b2182b",
                   "undefined": "#bababa"}


def alpha_figure(table: pd.DataFrame, reliable: float = 0.800, tentative: float = 0.667,
                 title: str = "", labels: bool = True):
    """Alpha per code as horizontal bars, coloured by verdict, the thresholds as lines.

    Parameters
    ----------
    table : a table of :func:`agreement_table` (``code_id, label, alpha, verdict``).
    reliable, tentative : where the threshold lines go (the project's settings).
    title : the figure's title.
    labels : show the codes' labels (True) or their ids.

    Returns
    -------
    matplotlib.figure.Figure
        Codes top to bottom in table order; an undefined alpha has no bar and says
        "undefined". Made with the object interface (no pyplot): Jupyter shows it;
        save it with :func:`raakvlak.analysis.figures.save_figure`.

    Examples
    --------
    >>> table = pd.DataFrame({"code_id": ["a", "b", ALL_CODES], "label": ["A", "B", ALL_CODES],
    ...                       "alpha": [0.9, float("nan"), 0.7], "verdict": ["reliable", "undefined", "tentative"]})
    >>> fig = alpha_figure(table)
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['A', 'B', '(all codes)']
    """
    from matplotlib.figure import Figure

    require_columns(table, ["code_id", "alpha", "verdict"], "agreement")
    names = table["label" if labels and "label" in table.columns else "code_id"].astype(str).tolist()
    alphas = table["alpha"].to_numpy(dtype=float)
    height = 1.2 + 0.28 * len(table)
    fig = Figure(figsize=(7.5, height), layout="constrained")
    ax = fig.add_subplot()
    positions = np.arange(len(table))
    colours = [VERDICT_COLOURS.get(v, "#bababa") for v in table["verdict"]]
    ax.barh(positions, np.nan_to_num(alphas, nan=0.0), color=colours, height=0.7)
    for position, alpha in zip(positions, alphas, strict=True):
        if math.isnan(alpha):
            ax.text(0.01, position, "undefined", va="center", fontsize=8, color="#555555")
    ax.axvline(reliable, color="#1b7837", linestyle="--", linewidth=1, label=f"reliable ({reliable:.3f})")
    ax.axvline(tentative, color="#e08214", linestyle=":", linewidth=1.2, label=f"tentative ({tentative:.3f})")
    ax.axvline(0, color="#333333", linewidth=0.6)
    ax.set_yticks(positions, names)
    ax.invert_yaxis()
    low = min(0.0, float(np.nanmin(alphas)) if np.isfinite(alphas).any() else 0.0)
    ax.set_xlim(low - 0.05, 1.05)
    ax.set_xlabel("Krippendorff's alpha")
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    return fig


# ---------------------------------------------------------------------- report
def _number(value: float, digits: int = 3) -> str:
    return "-" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.{digits}f}"


MARKS = {"reliable": "", "tentative": "?", "unreliable": "!", "undefined": "-"}


def agreement_report(
    project: Project,
    coders: Sequence[str],
    level: str = "turn",
    as_json: bool = False,
    seen: Seen = "coded-documents",
    ci: bool = False,
) -> str:
    """The text ``raakvlak agreement`` prints: the per-code table and the overall figures.

    Codes below the thresholds are marked: ``?`` tentative (below ``reliable``), ``!``
    unreliable (below ``tentative``), ``-`` undefined. With ``as_json`` the same
    content as JSON (NaN as null): ``project, coders, level, seen, thresholds, codes,
    overall, pairs``.
    """
    coders = check_coders(coders)
    table = agreement_table(project, coders, level=level, seen=seen, ci=ci)
    pairs = pairwise_kappa(project, coders, level=level, seen=seen) if level != "character" else None
    settings = project.settings
    codes, overall = table[table["code_id"] != ALL_CODES], table[table["code_id"] == ALL_CODES]
    if as_json:
        def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
            return [{k: (None if isinstance(v, float) and math.isnan(v) else v)
                     for k, v in row.items()} for row in frame.to_dict("records")]

        payload = {
            "project": project.name, "coders": list(coders), "level": level,
            "seen": seen if isinstance(seen, str) else "given",
            "thresholds": {"reliable": settings.reliable, "tentative": settings.tentative},
            "codes": records(codes), "overall": records(overall)[0],
            "pairs": records(pairs) if pairs is not None else [],
        }
        return json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default)
    width = max([len("code"), *(len(str(c)) for c in table["code_id"])])
    if level == "character":  # per character: percent agreement and binary alpha; alpha is |cu-alpha
        numbers = [("%agree", "percent_agreement", 7), ("bin-alpha", "binary_alpha", 9),
                   ("|cu-alpha", "alpha", 9)]
    else:
        numbers = [("%agree", "percent_agreement", 7), ("kappa", "cohen_kappa", 7),
                   ("fleiss", "fleiss_kappa", 7), ("BP", "brennan_prediger", 7), ("alpha", "alpha", 7)]
    header = " ".join(f"{name:>{size}}" for name, _, size in numbers)
    lines = [
        f"Intercoder agreement: {project.name}",
        f"coders {', '.join(coders)}; units: {level}; seen: "
        f"{seen if isinstance(seen, str) else 'given'}; thresholds reliable >= "
        f"{settings.reliable:.3f}, tentative >= {settings.tentative:.3f}",
        "",
        f"  {'code':<{width}} {'units':>7} {'coded':>7} {header}  verdict",
    ]
    for row in table.to_dict("records"):
        if row["code_id"] == ALL_CODES:
            lines.append("")
        interval = f" [{_number(row['alpha_low'])}, {_number(row['alpha_high'])}]" if ci else ""
        values = " ".join(f"{_number(row[column]):>{size}}" for _, column, size in numbers)
        lines.append(f"{MARKS[row['verdict']]:1} {row['code_id']:<{width}} {row['units']:>7} "
                     f"{row['coded_by_any']:>7} {values}  {row['verdict']}{interval}")
    counts = codes["verdict"].value_counts()
    lines += ["", "codes: " + ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS),
              "marks: ? below reliable, ! below tentative, - undefined (no variation or too few units)"]
    if pairs is not None and len(pairs):
        lines += ["", "coder pairs (all codes pooled): units both saw, % agreement, Cohen's kappa, alpha"]
        for row in pairs.itertuples(index=False):
            lines.append(f"  {row.coder_a} - {row.coder_b}: {row.units}, {_number(row.percent_agreement)}, "
                         f"{_number(row.cohen_kappa)}, {_number(row.alpha)}")
    return "\n".join(lines) + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
