"""Interaction patterns: friction moments of action-learning sessions, step by step.

:mod:`~raakvlak.patterns.records` holds the record model and its append-only storage,
:mod:`~raakvlak.patterns.session` the coder's actions, :mod:`~raakvlak.patterns.grouping`
recurring patterns (by hand and suggested), :mod:`~raakvlak.patterns.report` the
Markdown/DOCX report and the loop diagram.
"""

import importlib

# where each public name lives; imported on first use, so that `raakvlak --help`, which
# reads the patterns command's arguments, does not import pandas
_HOMES = {
    **dict.fromkeys(["STEPS", "Actor", "Agreement", "Link", "PatternError", "PatternRecord"], "records"),
    **dict.fromkeys(["PatternState", "load_records", "resolve_links"], "state"),
    "PatternSession": "session",
}
__all__ = sorted(_HOMES)


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'raakvlak.patterns' has no attribute {name!r}")
    return getattr(importlib.import_module(f"raakvlak.patterns.{_HOMES[name]}"), name)
