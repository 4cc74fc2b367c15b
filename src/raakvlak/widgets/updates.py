"""Open widgets of one project keep each other up to date.

A notebook shows several widgets of one project at once: the coding widget, the
codebook editor, the codebook browser, the retrieval view. When one of them changes
the codebook or writes a coding, the others show it at once, without re-running a
cell: a widget *announces* what changed (``codebook`` or ``codings``) and every other
widget that *listens* to that topic for the same project folder refreshes itself.

Widgets are held weakly (a widget that was closed and dropped is forgotten), and a
listener that fails is reported as a warning, never stopping the action that
announced.

Examples
--------
>>> class Counter:
...     def __init__(self): self.seen = 0
...     def changed(self): self.seen += 1
>>> counter = Counter()
>>> listen("a-project", "codings", counter.changed)
>>> announce("a-project", "codings"), counter.seen
(1, 1)
>>> announce("a-project", "codings", source=counter), counter.seen   # not back to its source
(0, 1)
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Callable
from pathlib import Path

from raakvlak.project import Project

TOPICS = ("codebook", "codings")

_listeners: dict[tuple[Path, str], list[weakref.WeakMethod]] = {}


def _key(project: Project | str | Path, topic: str) -> tuple[Path, str]:
    if topic not in TOPICS:
        raise ValueError(f"topic must be one of {', '.join(TOPICS)}, not {topic!r}")
    root = project.root if isinstance(project, Project) else Path(project).resolve()
    return root, topic


def listen(project: Project | str | Path, topic: str, method: Callable[[], object]) -> None:
    """Call the bound ``method`` (no arguments) whenever ``topic`` changes in ``project``."""
    entries = _listeners.setdefault(_key(project, topic), [])
    entries[:] = [ref for ref in entries if ref() is not None]
    entries.append(weakref.WeakMethod(method))  # type: ignore[arg-type]


def announce(project: Project | str | Path, topic: str, source: object = None) -> int:
    """Tell every listener of ``topic`` in ``project`` but ``source`` that it changed.

    Returns how many listeners were called.
    """
    called = 0
    for ref in list(_listeners.get(_key(project, topic), [])):
        method = ref()
        if method is None or getattr(method, "__self__", None) is source:
            continue
        try:
            method()
        except Exception as exc:  # noqa: BLE001 - one stale widget must not stop the others
            warnings.warn(f"a widget could not show the new {topic}: {exc}", stacklevel=2)
        called += 1
    return called
