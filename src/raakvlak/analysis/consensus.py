"""The consensus meeting: decide every disputed code, and keep the decisions as one more log.

After blind double coding, the coders meet and go through the disagreement list
(:func:`raakvlak.analysis.intercoder.disagreements`). Every decision is written to the
log of a coder named ``consensus`` (``coding/logs/consensus.jsonl``) through a
:class:`~raakvlak.coding.session.CodingSession`; the coders' own logs are never
touched, so the agreement figures of the blind round stay reproducible and the agreed
coding is simply the ``consensus`` coder's codings.

Decisions
---------
accept(unit, code, from_coder)
    Copies ``from_coder``'s codings of ``code`` that overlap the unit into the
    consensus log, span and all (origin ``manual``, ``detail`` = ``{"consensus_of":
    [coders], "from": coder, "source_event": id, "unit": unit}``).
reject(unit, code, reason)
    Writes nothing to any coder's log; the consensus log gets one memo per coding of
    ``code`` that overlaps the unit (``on="coding"``, the target the coder's event
    id) whose text starts with ``[consensus] rejected``. A later memo on the same
    coding replaces it, and :meth:`ConsensusSession.reopen` withdraws it.
adopt_agreed()
    Copies, in one write, the codings every coder who saw a segment agreed on (from
    the first of them), so the consensus log holds the complete agreed coding.

A disputed pair (unit, code) is *decided* when the consensus log holds a coding of the
code on the unit (accepted) or a rejection of a coding of the code on the unit.

Examples
--------
>>> session = ConsensusSession(project, ["anna", "bram"])  # doctest: +SKIP
>>> session.disputes().head()  # doctest: +SKIP
>>> session.accept("sessie-1:4", "barrier.regie", from_coder="anna")  # doctest: +SKIP
>>> print(session.progress())  # doctest: +SKIP
1 of 2 disputed units decided (1 of 2 disputed codes: 1 accepted, 0 rejected)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from raakvlak.analysis.intercoder import project_codings_for
from raakvlak.analysis.reliability import (
    Seen,
    check_coders,
    disagreement_list,
    overlap_pairs,
    segment_units,
)
from raakvlak.coding.events import code_event, memo_event
from raakvlak.coding.session import CodingSession
from raakvlak.errors import CodingError
from raakvlak.project import Project

CONSENSUS = "consensus"
"""The coder id of the consensus log."""

REJECTED = "[consensus] rejected"
"""How the text of a rejection memo starts."""


@dataclass(frozen=True)
class ConsensusProgress:
    """How far the consensus meeting is.

    Attributes
    ----------
    units : disputed segments.
    decided : disputed segments whose every disputed code is decided.
    codes : disputed (segment, code) pairs.
    accepted, rejected : decided pairs, by decision.
    """

    units: int
    decided: int
    codes: int
    accepted: int
    rejected: int

    @property
    def open(self) -> int:
        """Disputed segments still to decide."""
        return self.units - self.decided

    def __str__(self) -> str:
        return (f"{self.decided} of {self.units} disputed units decided ({self.accepted + self.rejected} "
                f"of {self.codes} disputed codes: {self.accepted} accepted, {self.rejected} rejected)")


class ConsensusSession:
    """The consensus meeting of two or more coders on one level of segments.

    Parameters
    ----------
    project : the project (or its folder).
    coders : the coders whose disagreements are decided (not ``consensus`` itself).
    level : ``"turn"`` or ``"sentence"``: the units of the disagreement list.
    seen : what each coder has seen (see :mod:`raakvlak.analysis.reliability`).
    """

    def __init__(self, project: Project | str | Path, coders: Sequence[str], level: str = "turn",
                 seen: Seen = "coded-documents"):
        self.project = project if isinstance(project, Project) else Project(project)
        self.coders = check_coders(coders)
        if CONSENSUS in self.coders:
            raise CodingError(f"{CONSENSUS!r} is the log of the decisions; name the coders who disagree")
        if level not in ("turn", "sentence"):
            raise CodingError(f"consensus works on segments: level 'turn' or 'sentence', not {level!r}")
        self.level = level
        self.seen = seen
        self.session = CodingSession(self.project, CONSENSUS)

    def __repr__(self) -> str:
        return f"ConsensusSession({self.project.name!r}, coders={list(self.coders)!r}, level={self.level!r})"

    # ------------------------------------------------------------------ reading
    def _segments(self) -> pd.DataFrame:
        return self.project.corpus.segments(level=self.level)

    def _codings(self) -> tuple[pd.DataFrame, Seen, list[str]]:
        read = project_codings_for(self.project, self.coders, self.seen)
        return read.codings, read.seen, read.order

    def _segment(self, unit: str) -> pd.Series:
        segments = self._segments()
        row = segments[segments["segment_id"] == unit]
        if row.empty:
            example = f" (e.g. {segments['segment_id'].iloc[0]!r})" if len(segments) else ""
            raise CodingError(f"unknown {self.level} {unit!r}; use a unit of the disagreement list{example}")
        return row.iloc[0]

    def codings(self) -> pd.DataFrame:
        """The consensus coder's live codings: the agreed coding so far."""
        return self.session.codings()

    def _rejections(self) -> dict[str, str]:
        """Coding event id -> id of the live rejection memo on it."""
        history = self.session.state.history
        withdrawn = set(history.loc[history["withdrawn"], "event_id"])
        latest: dict[str, dict[str, Any]] = {}
        for event in self.session.log.read().events:
            if event["kind"] == "memo" and event["on"] == "coding" and event["id"] not in withdrawn:
                latest[event["target"]] = event
        return {target: e["id"] for target, e in latest.items() if e["text"].startswith(REJECTED)}

    @staticmethod
    def _touching(codings: pd.DataFrame, segment: pd.Series, code_id: str) -> pd.DataFrame:
        return codings[(codings["code_id"] == code_id) & (codings["document_id"] == segment["document_id"])
                       & (codings["start"] < segment["end"]) & (codings["end"] > segment["start"])]

    def _decided(self, segments: pd.DataFrame, codings: pd.DataFrame) -> tuple[set, set]:
        """(segment position, code) pairs accepted and rejected so far."""
        def pairs(frame: pd.DataFrame) -> set[tuple[int, str]]:
            if frame.empty:
                return set()
            unit, coding = overlap_pairs(segments, frame.reset_index(drop=True))
            return set(zip(unit.tolist(), frame["code_id"].to_numpy()[coding].tolist(), strict=True))

        rejected = codings[codings["event_id"].isin(self._rejections())]
        return pairs(self.codings()), pairs(rejected)

    def disputes(self) -> pd.DataFrame:
        """The disagreement list with the decisions so far.

        Returns
        -------
        DataFrame
            The columns of :func:`~raakvlak.analysis.reliability.disagreement_list`
            plus ``accepted``, ``rejected`` and ``open`` (codes in dispute by decision,
            joined by ``", "``).
        """
        segments = self._segments().reset_index(drop=True)
        codings, seen, order = self._codings()
        table = disagreement_list(segments, codings, self.coders, seen, order)
        accepted, rejected = self._decided(segments, codings)
        position = dict(zip(segments["segment_id"], range(len(segments)), strict=True))
        columns: dict[str, list[str]] = {"accepted": [], "rejected": [], "open": []}
        for unit, disputed in zip(table["unit"], table["codes_in_dispute"], strict=True):
            at = position[unit]
            codes = disputed.split(", ")
            columns["accepted"].append(", ".join(c for c in codes if (at, c) in accepted))
            columns["rejected"].append(", ".join(c for c in codes if (at, c) in rejected))
            columns["open"].append(", ".join(c for c in codes if (at, c) not in accepted | rejected))
        return table.assign(**columns)

    def progress(self) -> ConsensusProgress:
        """How many disputed units (and codes) are decided."""
        segments = self._segments().reset_index(drop=True)
        codings, seen, _ = self._codings()
        units = segment_units(segments, codings, self.coders, seen)
        applied = units.applied & units.seen[None]
        count, n_seen = applied.sum(axis=1), units.seen.sum(axis=0)
        dispute = (count > 0) & (count < n_seen[None]) & (n_seen[None] >= 2)
        accepted, rejected = self._decided(segments, codings)
        code_rows, unit_cols = np.nonzero(dispute)
        disputed = [(int(u), units.codes[k]) for k, u in zip(code_rows, unit_cols, strict=True)]
        done = {pair for pair in disputed if pair in accepted or pair in rejected}
        open_units = {unit for unit, code in disputed if (unit, code) not in done}
        all_units = {unit for unit, _ in disputed}
        return ConsensusProgress(
            units=len(all_units), decided=len(all_units - open_units), codes=len(disputed),
            accepted=sum(1 for pair in done if pair in accepted),
            rejected=sum(1 for pair in done if pair not in accepted),
        )

    # ------------------------------------------------------------------ deciding
    def accept(self, unit: str, code_id: str, from_coder: str) -> list[dict[str, Any]]:
        """Adopt ``from_coder``'s coding of ``code_id`` on ``unit`` into the consensus log.

        Returns the events written: one per coding of ``from_coder`` with that code
        overlapping the unit (usually one); none when it was adopted before.

        Raises
        ------
        CodingError
            When ``from_coder`` is not one of the coders, did not apply the code there,
            or the code was rejected on the unit (call :meth:`reopen` first).
        """
        if from_coder not in self.coders:
            raise CodingError(f"{from_coder!r} is not one of the coders {', '.join(self.coders)}")
        segment = self._segment(unit)
        codings, _, _ = self._codings()
        sources = self._touching(codings[codings["coder"] == from_coder], segment, code_id)
        if sources.empty:
            raise CodingError(f"{from_coder} did not apply {code_id!r} to {unit}; "
                              "accept a code from a coder who applied it there")
        rejections = self._rejections()
        if self._touching(codings[codings["event_id"].isin(rejections)], segment, code_id).shape[0]:
            raise CodingError(f"{code_id!r} on {unit} was rejected; reopen({unit!r}, {code_id!r}) first")
        copied = {d.get("source_event") for d in self.codings()["detail"] if isinstance(d, dict)}
        written = []
        for source in sources.itertuples(index=False):
            if source.event_id in copied:
                continue
            detail = {"consensus_of": list(self.coders), "from": from_coder,
                      "source_event": source.event_id, "unit": unit}
            written.append(self.session.code(source.document_id, int(source.start), int(source.end),
                                             code_id, origin="manual", detail=detail))
        return written

    def reject(self, unit: str, code_id: str, reason: str = "") -> list[dict[str, Any]]:
        """Decide that ``code_id`` does not belong on ``unit``.

        Nothing is written to the coders' logs; the consensus log gets one memo per
        coding of the code on the unit, recording the decision (and ``reason``).

        Raises
        ------
        CodingError
            When no coder applied the code to the unit, or the consensus log already
            holds it there (call :meth:`reopen` first).
        """
        segment = self._segment(unit)
        codings, _, _ = self._codings()
        sources = self._touching(codings, segment, code_id)
        if sources.empty:
            raise CodingError(f"no coder applied {code_id!r} to {unit}; there is nothing to reject")
        if not self._touching(self.codings(), segment, code_id).empty:
            raise CodingError(f"{code_id!r} on {unit} was accepted; reopen({unit!r}, {code_id!r}) first")
        rejected = self._rejections()
        text = f"{REJECTED} {code_id} on {unit} (consensus of {', '.join(self.coders)})"
        if reason:
            text += f": {reason}"
        events = [memo_event("coding", event_id, text) for event_id in sources["event_id"]
                  if event_id not in rejected]
        return self.session.log.append_many(events)

    def reopen(self, unit: str, code_id: str) -> list[dict[str, Any]]:
        """Withdraw the decisions on ``code_id`` at ``unit`` (the events stay in the log)."""
        segment = self._segment(unit)
        codings, _, _ = self._codings()
        rejections = self._rejections()
        targets = list(self._touching(self.codings(), segment, code_id)["event_id"])
        targets += [rejections[e] for e in self._touching(codings, segment, code_id)["event_id"]
                    if e in rejections]
        return [self.session.uncode(target) for target in targets]

    def adopt_agreed(self) -> list[dict[str, Any]]:
        """Copy every coding the coders agreed on into the consensus log, in one write.

        A (segment, code) is agreed when every coder who saw the segment (two or more)
        applied the code there; the codings of the first such coder (in the order of
        ``coders``) are copied, each once, unless they were copied before.
        """
        segments = self._segments().reset_index(drop=True)
        codings, seen, _ = self._codings()
        units = segment_units(segments, codings, self.coders, seen)
        applied = units.applied & units.seen[None]
        n_seen = units.seen.sum(axis=0)
        agreed = (applied.sum(axis=1) == n_seen[None]) & (n_seen[None] >= 2)
        copied = {d.get("source_event") for d in self.codings()["detail"] if isinstance(d, dict)}
        unit_of, coding_of = overlap_pairs(segments, codings)
        code_index = {c: k for k, c in enumerate(units.codes)}
        coder_index = {c: i for i, c in enumerate(self.coders)}
        first_seen = np.argmax(units.seen, axis=0)
        events, texts = [], {}
        for u, c in zip(unit_of.tolist(), coding_of.tolist(), strict=True):
            row = codings.iloc[c]
            if (not agreed[code_index[row["code_id"]], u] or coder_index[row["coder"]] != first_seen[u]
                    or row["event_id"] in copied):
                continue
            copied.add(row["event_id"])
            if row["document_id"] not in texts:
                texts[row["document_id"]] = self.project.corpus.text(row["document_id"])
            detail = {"consensus_of": list(self.coders), "from": row["coder"],
                      "source_event": row["event_id"], "agreed": True}
            events.append(code_event(row["document_id"], texts[row["document_id"]], int(row["start"]),
                                     int(row["end"]), row["code_id"], origin="manual", detail=detail))
        return self.session.log.append_many(events)
