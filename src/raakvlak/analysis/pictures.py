"""Picture regions in analysis: retrieval, the units tables count, and agreement.

Counting
--------
In code tables (:mod:`raakvlak.analysis.tables`) a picture is one segment of its own:
a region coding counts as a coding, its picture as the segment and the document it
touches; a picture has no speaker. Picture variables (``pictures.csv``) filter and
group pictures as document variables do texts; a filter on a variable a picture does
not have (``role``) leaves the pictures out.

Agreement
---------
A *unit* of region agreement is a group of rectangles drawn on one picture that
coincide: two rectangles belong to one unit when their intersection over union (IoU,
the Jaccard index of their pixel sets) is at least ``threshold`` (0.5 by default: the
matching criterion of the PASCAL Visual Object Classes challenge, Everingham et al.
2010, *International Journal of Computer Vision* 88(2), 303-338), and units are the
connected groups this relation forms (single linkage). For each unit and code a coder
scores 1 when one of his or her rectangles in the unit carries the code, 0 when the
coder coded that picture but not so, and is *missing* on a picture the coder did not
code (as for texts: not seen is not a disagreement). The per-code table then uses the
same coefficients as for texts (percent agreement, Cohen's kappa, Krippendorff's
alpha, Krippendorff 2004). A rectangle only one coder drew is a unit on which the
other coder scored 0: a disagreement about whether something is there.

Examples
--------
>>> regions = pd.DataFrame({"coder": ["anna", "bram", "bram"], "document_id": ["p"] * 3,
...     "left": [0, 5, 200], "top": [0, 0, 200], "right": [100, 100, 300], "bottom": [100, 100, 300],
...     "code_id": ["trust", "trust", "trust"]})
>>> region_units(regions)["unit"].tolist()
[0, 0, 1]
>>> region_agreement_table(regions, ["anna", "bram"])[["code_id", "units", "percent_agreement"]]
       code_id  units  percent_agreement
0        trust      2                0.5
1  (all codes)      2                0.5
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from raakvlak.analysis.query import codes_in, evaluate, parse
from raakvlak.analysis.reliability import ALL_CODES, finish_table
from raakvlak.analysis.reliability import _coefficients as coefficients
from raakvlak.coding.regions import BOX, box_of, iou
from raakvlak.corpus.mediastore import MediaStore, picture_variables
from raakvlak.errors import OrphanedCodings, RaakvlakError
from raakvlak.ids import code_matcher
from raakvlak.project import Project

IOU_THRESHOLD = 0.5
"""Rectangles of two coders with at least this IoU are one unit (Everingham et al. 2010)."""
REGION_RESULT_COLUMNS = ["document_id", "title", "coder", "code_id", "code_label", *BOX, "width",
                         "height", "memo", "origin", "event_id"]


def project_regions(project: Project, coders: Sequence[str] | None = None) -> pd.DataFrame:
    """Live region codings (merged codes resolved), of all coders or these.

    Regions on a picture whose stored file no longer has the fingerprint they recorded
    are left out with a warning (the picture was replaced: code it again).
    """
    state, _ = project.coding_state(merged=True)
    regions = state.regions
    if coders is not None:
        regions = regions[regions["coder"].isin(list(coders))]
    pictures = MediaStore(project.root).pictures()
    sha = dict(zip(pictures["document_id"], pictures["sha256"], strict=True))
    fits = np.asarray([sha.get(d) == s for d, s in zip(regions["document_id"], regions["sha256"], strict=True)],
                      dtype=bool)
    if not fits.all():
        warnings.warn(OrphanedCodings(
            f"{int((~fits).sum())} region coding(s) left out: their picture is missing or was replaced "
            "since they were coded"), stacklevel=2)
    return regions[fits].reset_index(drop=True)


def picture_units(project: Project, where: dict | None = None) -> pd.DataFrame:
    """One segment-like row per picture (``start`` 0, ``end`` 1), with its variables."""
    pictures = MediaStore(project.root).pictures()
    units = pd.DataFrame({
        "document_id": pictures["document_id"], "segment_id": pictures["document_id"] + ":picture",
        "start": np.zeros(len(pictures), dtype=np.int64), "end": np.ones(len(pictures), dtype=np.int64),
        "speaker": "", "role": "", "timestamp": "", "text": "", "title": pictures["title"],
        "kind": "picture", "date": pictures["date"],
        **{name: pictures[name] for name in picture_variables(pictures)},
    })
    for column, wanted in (where or {}).items():
        if column not in units.columns:
            return units.iloc[0:0]
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        units = units[units[column].astype(str).isin(values)]
    return units


def with_pictures(project: Project, segments: pd.DataFrame, codings: pd.DataFrame,
                  coders: Sequence[str] | None, where: dict | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``segments`` and ``codings`` with the pictures and their regions added (each picture
    one segment, each region one coding on it); unchanged when the project has no pictures."""
    if not MediaStore(project.root).path("pictures").exists():
        return segments, codings
    units = picture_units(project, where)
    regions = project_regions(project, coders)
    regions = regions[regions["document_id"].isin(set(units["document_id"]))]
    if units.empty:
        return segments, codings
    level = segments["level"].iloc[0] if "level" in segments.columns and len(segments) else "turn"
    units = units.assign(level=level)
    as_codings = regions.drop(columns=BOX).assign(start=0, end=1, quote="", prefix="", suffix="")
    joined = pd.concat([segments, units], ignore_index=True)
    text_columns = [c for c in joined.columns if c not in ("start", "end")]
    joined[text_columns] = joined[text_columns].fillna("")
    both = pd.concat([codings, as_codings[[c for c in as_codings.columns if c in codings.columns]]],
                     ignore_index=True)
    return joined, both


def region_table(project: Project, query: str | None = None, coders: Sequence[str] | None = None,
                 where: dict | None = None, language: str | None = None) -> pd.DataFrame:
    """Retrieval on pictures: the region codings a code query finds.

    The query (see :mod:`raakvlak.analysis.query`) is evaluated per picture (the codes
    any of its regions carry); the rows are the regions whose code the query names.

    Returns
    -------
    DataFrame with ``document_id, title, coder, code_id, code_label, left, top, right,
    bottom, width, height, memo, origin, event_id`` and the picture variables,
    ordered by picture, top, left, code, coder.
    """
    language = language or project.language
    units = picture_units(project, where).reset_index(drop=True)
    regions = project_regions(project, coders)
    regions = regions[regions["document_id"].isin(set(units["document_id"]))].reset_index(drop=True)
    if query is not None:
        tree = parse(query)
        codes = regions.groupby("document_id")["code_id"].agg(frozenset)
        per_unit = pd.Series([codes.get(d, frozenset()) for d in units["document_id"]], index=units.index)
        chosen = set(units.loc[evaluate(tree, units, per_unit), "document_id"])
        named = np.zeros(len(regions), dtype=bool)
        for pattern in codes_in(tree):
            named |= regions["code_id"].map(code_matcher(pattern)).astype(bool).to_numpy()
        regions = regions[named & regions["document_id"].isin(chosen).to_numpy()]
    codebook = project.codebook
    table = regions.assign(
        code_label=[codebook.label(c, language) if c in codebook else c for c in regions["code_id"]],
        width=regions["right"] - regions["left"], height=regions["bottom"] - regions["top"])
    variables = units.drop(columns=["segment_id", "start", "end", "speaker", "role", "timestamp", "text",
                                    "kind", "date"])
    table = table.merge(variables, on="document_id", how="left")
    extra = [c for c in variables.columns if c not in REGION_RESULT_COLUMNS]
    table = table[REGION_RESULT_COLUMNS + extra]
    return table.sort_values(["document_id", "top", "left", "code_id", "coder"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------- agreement
def region_units(regions: pd.DataFrame, threshold: float = IOU_THRESHOLD) -> pd.DataFrame:
    """``regions`` with a column ``unit``: rectangles of one picture with IoU >= ``threshold``
    share a unit (connected groups, numbered in order of first rectangle)."""
    if not 0 < threshold <= 1:
        raise RaakvlakError(f"the IoU threshold must be above 0 and at most 1, not {threshold}")
    regions = regions.reset_index(drop=True)
    parent = list(range(len(regions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, group in regions.groupby("document_id", sort=False):
        index = group.index.tolist()
        boxes = [box_of(row) for row in group.itertuples(index=False)]
        for a in range(len(index)):
            for b in range(a + 1, len(index)):
                if iou(boxes[a], boxes[b]) >= threshold:
                    parent[root(index[a])] = root(index[b])
    roots = [root(i) for i in range(len(regions))]
    numbers = {r: n for n, r in enumerate(dict.fromkeys(roots))}
    return regions.assign(unit=[numbers[r] for r in roots])


def region_agreement_table(regions: pd.DataFrame, coders: Sequence[str], codes: Sequence[str] | None = None,
                           threshold: float = IOU_THRESHOLD, reliable: float = 0.800,
                           tentative: float = 0.667) -> pd.DataFrame:
    """Per-code agreement of ``coders`` on picture regions (see the module's rules).

    Returns the columns of :func:`raakvlak.analysis.reliability.code_agreement`; units are
    region units seen by two or more coders.
    """
    coders = list(coders)
    if len(coders) < 2:
        raise RaakvlakError("agreement needs two or more coders")
    regions = regions[regions["coder"].isin(coders)]
    units = region_units(regions, threshold)
    seen = {c: set(units.loc[units["coder"] == c, "document_id"]) for c in coders}
    picture_of = units.groupby("unit")["document_id"].first().sort_index()
    mask = np.array([[d in seen[c] for d in picture_of] for c in coders], dtype=bool).reshape(len(coders), -1)
    pairable = mask.sum(axis=0) >= 2
    used = sorted(set(units["code_id"]))
    order = list(dict.fromkeys([*(codes or []), *used]))
    rows, pooled = [], []
    for code in order:
        values = np.where(mask, 0.0, np.nan)
        for coder, unit in units.loc[units["code_id"] == code, ["coder", "unit"]].itertuples(index=False):
            values[coders.index(coder), unit] = 1.0
        values = values[:, pairable]
        if code in used:
            pooled.append(values)
        row = coefficients(values, False, 0, 0)
        rows.append(dict(code_id=code, label=code, coded_by_any=int(np.nansum(values, axis=0).astype(bool).sum()),
                         **row))
    stacked = np.concatenate(pooled, axis=1) if pooled else np.zeros((len(coders), 0))
    row = coefficients(stacked, False, 0, 0)
    row["units"] = int(pairable.sum())
    rows.append(dict(code_id=ALL_CODES, label=ALL_CODES,
                     coded_by_any=int(np.nansum(stacked, axis=0).astype(bool).sum()), **row))
    return finish_table(rows, reliable, tentative)


def region_agreement(project: Project, coders: Sequence[str], threshold: float = IOU_THRESHOLD,
                     language: str | None = None) -> pd.DataFrame:
    """Agreement of ``coders`` on the project's picture regions, per code, with labels."""
    table = region_agreement_table(project_regions(project, coders), coders, threshold=threshold,
                                   reliable=project.settings.reliable, tentative=project.settings.tentative)
    codebook = project.codebook
    language = language or project.language
    table["label"] = [codebook.label(c, language) if c in codebook else c for c in table["code_id"]]
    return table
