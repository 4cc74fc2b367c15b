"""A project's vital signs: what ``raakvlak status`` prints."""

from __future__ import annotations

from typing import Any

from raakvlak.project import Project


def project_status(project: Project) -> dict[str, Any]:
    """Counts that tell a researcher where the project stands.

    Returns a dict with ``project, documents, words`` (in turns and paragraphs, speaker
    labels not counted), ``speakers, segments`` (turns and paragraphs), ``sentences,
    coders, codings, orphaned`` (codings whose quote is no longer at their offsets: run
    ``raakvlak reanchor``), and ``log_problems`` when a coding log has a broken line.

    Examples
    --------
    >>> status = project_status(Project.find(EXAMPLE))
    >>> status["documents"] >= 8 and status["words"] > 10_000
    True
    """
    corpus = project.corpus
    documents = corpus.documents
    speakers = corpus.speakers
    segments = corpus.segments(level=None)
    turns = segments[segments["level"] == "turn"]
    words = int(turns["text"].str.split().str.len().sum()) if len(turns) else 0
    status: dict[str, Any] = {
        "project": project.name,
        "documents": int(len(documents)),
        "words": int(words),
        "speakers": int(len(speakers[["document_id", "speaker"]].drop_duplicates())),
        "segments": int(len(turns)),
        "sentences": int((segments["level"] == "sentence").sum()),
    }
    status.update(_coding_status(project))
    return status


def _coding_status(project: Project) -> dict[str, Any]:
    from raakvlak.coding.reanchor import anchor_problems

    state, problems = project.coding_state()
    result: dict[str, Any] = {
        "coders": int(state.codings["coder"].nunique()) if len(state.codings) else 0,
        "codings": int(len(state.codings)),
        "orphaned": int((anchor_problems(project, state.codings) != "").sum()),
    }
    if problems:
        result["log_problems"] = [str(p) for p in problems]
    return result
