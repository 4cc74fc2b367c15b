"""Interaction patterns: friction moments of action-learning sessions, step by step.

:mod:`~raakvlak.patterns.records` holds the record model and its append-only storage,
:mod:`~raakvlak.patterns.session` the coder's actions, :mod:`~raakvlak.patterns.grouping`
recurring patterns (by hand and suggested), :mod:`~raakvlak.patterns.report` the
Markdown/DOCX report and the loop diagram.
"""

from raakvlak.patterns.records import (
    STEPS,
    Actor,
    Agreement,
    Link,
    PatternError,
    PatternRecord,
    PatternState,
    load_records,
    resolve_links,
)
from raakvlak.patterns.session import PatternSession

__all__ = [
    "STEPS", "Actor", "Agreement", "Link", "PatternError", "PatternRecord", "PatternSession",
    "PatternState", "load_records", "resolve_links",
]
