"""Keeping ``private/`` out of git: the pseudonym key and the raw originals live there.

A project is usually a git repository that a research group shares; ``private/`` holds
what must never be shared. :func:`ignore_private` makes sure the project's
``.gitignore`` names it (``raakvlak init`` calls it, also on a folder that already has a
``.gitignore``), and :func:`private_warnings` says when it is tracked or not ignored
(every ``raakvlak`` command prints these warnings).

Examples
--------
>>> import tempfile
>>> root = Path(tempfile.mkdtemp())
>>> _ = (root / ".gitignore").write_text("*.log\\n", encoding="utf-8")
>>> private_warnings(root)[0].startswith("private/ is not in .gitignore")
True
>>> ignore_private(root)
True
>>> private_warnings(root)
[]
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from raakvlak.files import atomic_write_text

PRIVATE = "private"
ENTRY = "private/"
_ENTRIES = {"private", "private/", "/private", "/private/", "private/*", "/private/*", "private/**"}


def _listed(gitignore: Path) -> bool:
    """Whether ``.gitignore`` has a line that ignores the project's ``private/``."""
    try:
        lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return any(line.strip() in _ENTRIES for line in lines)


def ignore_private(root: str | Path) -> bool:
    """Add ``private/`` to the project's ``.gitignore`` when it is not there.

    Returns True when the file was changed (or made).
    """
    gitignore = Path(root) / ".gitignore"
    if _listed(gitignore):
        return False
    text = gitignore.read_text(encoding="utf-8", errors="replace") if gitignore.exists() else ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += "# raw originals and the pseudonym key stay on this machine (raakvlak)\n" + ENTRY + "\n"
    atomic_write_text(gitignore, text)
    return True


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    """Run git in ``root``; None when git is absent or ``root`` is not in a work tree."""
    if shutil.which("git") is None:
        return None
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return None if "not a git repository" in done.stderr else done


def private_warnings(root: str | Path) -> list[str]:
    """What puts ``private/`` at risk of being shared through git, one line each.

    In a git work tree git itself is asked (files of ``private/`` it tracks; whether it
    would ignore a new file there); outside one, the project's ``.gitignore`` is read.
    """
    root = Path(root)
    tracked = _git(root, "ls-files", "-z", "--", PRIVATE)
    if tracked is None or tracked.returncode != 0:
        if _listed(root / ".gitignore"):
            return []
        return [f"{ENTRY} is not in .gitignore: the pseudonym key could be committed; "
                f"add a line '{ENTRY}' to {root / '.gitignore'}"]
    warnings = []
    files = [f for f in tracked.stdout.split("\0") if f]
    if files:
        warnings.append(f"git tracks {len(files)} file(s) in {ENTRY} ({', '.join(files[:3])}): "
                        f"the pseudonym key may be shared; run 'git rm -r --cached {PRIVATE}' "
                        "and commit (and remove it from the history if it was pushed)")
    ignored = _git(root, "check-ignore", "-q", "--no-index", f"{PRIVATE}/pseudonyms.csv")
    if ignored is not None and ignored.returncode == 1:
        warnings.append(f"git does not ignore {ENTRY}: the pseudonym key could be committed; "
                        f"add a line '{ENTRY}' to {root / '.gitignore'}")
    return warnings
