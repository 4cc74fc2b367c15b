"""``raakvlak sync``: a team without a hub shares one project through a git repository.

Each member works in a clone of their own. A sync commits what is the member's own to
commit (their coding log and pattern records, and the codebook), merges what the
others pushed and pushes the result, in one step and under the project lock:

* **Logs merge without conflicts.** Each coder appends only to their own log; git's
  ``union`` merge (set for ``coding/logs/*.jsonl`` and ``coding/patterns/*.jsonl`` in
  ``.gitattributes``, which the first sync writes) keeps the lines of both sides when
  the same log grew in two clones (one coder on two machines). Every line is a whole
  event with its own id, so the union of two append-only logs is again one: a repeated
  line is reported and skipped by the reader, never doubled in the state, and a torn
  last line is ended with a newline before it is committed (what the next append
  would do), so no event is glued to it.
* **A codebook conflict is explained, not left as markers.** When both sides changed
  the codebook in the same place, the merge is aborted (the work tree is as before the
  sync, the member's commit kept) and the message names the codes both changed.
* **``private/`` is never committed.** The sync refuses when git tracks ``private/`` or
  would not ignore it (:func:`raakvlak.private.private_warnings`), and it only ever
  adds the member's own files by name.
* **Nothing else is committed by surprise.** Changes to other tracked files (the
  corpus, the settings, another coder's log) are listed and the sync refuses: commit
  them yourself (or undo them) first.

While git merges, the sync holds every log's lock, so a kernel coding at that moment
waits and then appends to the merged log (see :func:`raakvlak.coding.log.open_locked`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from raakvlak.coding.log import SUFFIX, open_locked, read_logs
from raakvlak.errors import RaakvlakError
from raakvlak.locks import unlock_fd
from raakvlak.private import private_warnings
from raakvlak.project import Project

ATTRIBUTES = ("coding/logs/*.jsonl merge=union", "coding/patterns/*.jsonl merge=union")
ATTRIBUTES_NOTE = "# raakvlak: append-only logs of one coder each merge by keeping the lines of both sides"
CODEBOOK = "coding/codebook.yaml"
PUSH_TRIES = 3


class SyncError(RaakvlakError):
    """A sync was refused or could not finish; the message says what to do."""


@dataclass
class SyncReport:
    """What a sync did.

    Attributes
    ----------
    committed : the files committed (paths in the project), empty when nothing was new.
    pulled : the files the others' commits changed here.
    pushed : whether the remote has this clone's commits now.
    problems : lines of the merged logs that are reported and skipped (``path:line: why``).
    """

    committed: list[str] = field(default_factory=list)
    pulled: list[str] = field(default_factory=list)
    pushed: bool = False
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report for a person, one line each."""
        out = [f"committed {', '.join(self.committed)}" if self.committed else "nothing new to commit"]
        out.append(f"pulled {len(self.pulled)} changed file(s): {', '.join(self.pulled[:8])}"
                   f"{' ...' if len(self.pulled) > 8 else ''}" if self.pulled else "nothing new from the others")
        out.append("pushed" if self.pushed else "not pushed")
        out.extend(f"warning: {problem}" for problem in self.problems)
        return out


def sync(project: Project | str | Path, coder: str, remote: str | None = None) -> SyncReport:
    """Commit ``coder``'s log, pattern records and the codebook, merge the others' work, push.

    Parameters
    ----------
    project : the project (or its folder), inside a git work tree with a remote.
    coder : the member whose own files are committed (a coder of the project).
    remote : the remote to push to when the branch has no upstream yet (default: the
        branch's upstream, else ``origin``).

    Raises
    ------
    SyncError
        Refused (no git, ``private/`` at risk, other changes, a merge in progress) or
        stopped (a conflict, explained; a push refused three times): the repository
        is left without conflict markers and the message says what to do.
    """
    project = project if isinstance(project, Project) else Project(project)
    coder = project.check_coder(coder)
    git = Git(project.root)
    with project.lock("sync"):
        _preflight(git, project)
        report = SyncReport(committed=_commit_own(git, project, coder))
        upstream, push_to = _upstream(git, remote)
        for _ in range(PUSH_TRIES):
            if upstream:
                report.pulled += _merge(git, project, upstream)
            if git.run("push", *push_to, check=False).returncode == 0:
                report.pushed = True
                break
            upstream, push_to = _upstream(git, remote)  # someone pushed in between: again
        else:
            raise SyncError(f"{project.root}: the remote refused the push {PUSH_TRIES} times (others "
                            "pushed in between, or no permission); your commit is kept: run "
                            "raakvlak sync again, or see 'git push' for the reason")
        report.problems = [str(p) for read in read_logs(project.logs_dir).values() for p in read.problems]
    return report


class Git:
    """git in one work tree, with one-line errors."""

    def __init__(self, root: Path):
        if shutil.which("git") is None:
            raise SyncError("git is not installed: install it (e.g. apt-get install git) to sync")
        self.root = root
        top = self.run("rev-parse", "--show-toplevel", check=False)
        if top.returncode != 0:
            raise SyncError(f"{root}: not in a git repository; run 'git init' and add a remote "
                            "(git remote add origin URL), or clone the team's repository")
        self.top = Path(top.stdout.strip())

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``git args`` in the project; with ``check``, a failure is a :class:`SyncError`."""
        done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True,
                              timeout=300, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})
        if check and done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            if "user.email" in done.stderr or "auto-detect email" in done.stderr:
                raise SyncError(f"{self.root}: git does not know who you are: run git config "
                                "user.name 'Your Name' and git config user.email you@example.org")
            raise SyncError(f"{self.root}: git {args[0]} failed: {said[-1] if said else done.returncode}")
        return done

    def changed(self) -> list[str]:
        """Tracked files changed or staged, as paths relative to the project root."""
        status = self.run("status", "--porcelain=v1", "-z", "--untracked-files=no", "--", ".").stdout
        entries = [e for e in status.split("\0") if e]
        paths, skip = [], False
        for entry in entries:
            if skip:  # the source of a rename
                skip = False
                continue
            skip = entry[0] in "RC"
            paths.append(self.relative(entry[3:]))
        return paths

    def relative(self, path: str) -> str:
        """A path git gives (from the top of the work tree) relative to the project."""
        return (self.top / path).resolve().relative_to(self.root.resolve()).as_posix()


def _preflight(git: Git, project: Project) -> None:
    if (git.top / ".git" / "MERGE_HEAD").exists() or git.run(
            "rev-parse", "-q", "--verify", "MERGE_HEAD", check=False).returncode == 0:
        raise SyncError(f"{project.root}: a git merge is in progress; finish it (git commit) or "
                        "undo it (git merge --abort), then sync again")
    warnings = private_warnings(project.root)
    if warnings:
        raise SyncError(f"{project.root}: not synced, private/ is at risk: {warnings[0]}")


def _own_files(project: Project, coder: str) -> list[str]:
    return [f"coding/logs/{coder}{SUFFIX}", f"coding/patterns/{coder}{SUFFIX}", CODEBOOK, ".gitattributes"]


def _commit_own(git: Git, project: Project, coder: str) -> list[str]:
    """Commit the member's own files that changed; refuse when anything else changed."""
    own = _own_files(project, coder)
    others = [path for path in git.changed() if path not in own]
    if others:
        raise SyncError(f"{project.root}: changes raakvlak sync does not commit: {', '.join(others[:6])}"
                        f"{' ...' if len(others) > 6 else ''}; commit them yourself (git add, git "
                        "commit) or undo them (git restore), then sync again")
    _write_attributes(project.root)
    for log in own[:2]:
        _end_torn_line(project.root / log)
    present = [path for path in own if (project.root / path).exists()]
    git.run("add", "--", *present)
    staged = git.run("diff", "--cached", "--name-only", "-z", "--", *present).stdout
    committed = [git.relative(p) for p in staged.split("\0") if p]
    if committed:
        git.run("commit", "-q", "-m", f"raakvlak sync: {coder} ({', '.join(committed)})", "--", *present)
    return committed


def _write_attributes(root: Path) -> None:
    path = root / ".gitattributes"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    missing = [line for line in ATTRIBUTES if line not in text.splitlines()]
    if missing:
        text += ("" if not text or text.endswith("\n") else "\n") + "\n".join([ATTRIBUTES_NOTE, *missing]) + "\n"
        path.write_text(text, encoding="utf-8")


def _end_torn_line(path: Path) -> None:
    """End a last line torn by a crash with a newline (it stays, reported and skipped)."""
    if not path.exists() or not path.stat().st_size:
        return
    fd = open_locked(path)
    try:
        os.lseek(fd, -1, os.SEEK_END)
        if os.read(fd, 1) != b"\n":
            os.write(fd, b"\n")
            os.fsync(fd)
    finally:
        unlock_fd(fd)
        os.close(fd)


def _upstream(git: Git, remote: str | None) -> tuple[str | None, list[str]]:
    """The branch to merge from (None before the first push) and the push arguments."""
    branch = git.run("symbolic-ref", "--short", "-q", "HEAD", check=False).stdout.strip()
    if not branch:
        raise SyncError(f"{git.root}: no branch is checked out (detached HEAD); git switch to "
                        "your branch, then sync again")
    configured = git.run("rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}", check=False)
    name = remote or (configured.stdout.split("/", 1)[0] if configured.returncode == 0 else "origin")
    if name not in git.run("remote").stdout.split():
        raise SyncError(f"{git.root}: no git remote {name!r}; add the team's repository "
                        "(git remote add origin URL), then sync again")
    git.run("fetch", "-q", name)
    tracking = f"{name}/{branch}"
    exists = git.run("rev-parse", "-q", "--verify", f"refs/remotes/{tracking}", check=False).returncode == 0
    return (tracking if exists else None), ["-q", "-u", name, branch]


@contextlib.contextmanager
def _logs_held(project: Project) -> Iterator[None]:
    """Hold the lock of every log while git rewrites them (appends wait, then go to the new file)."""
    fds = []
    try:
        for folder in (project.logs_dir, project.coding_dir / "patterns"):
            for path in sorted(folder.glob(f"*{SUFFIX}")) if folder.is_dir() else []:
                fds.append(open_locked(path))
        yield
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                unlock_fd(fd)
            os.close(fd)


def _merge(git: Git, project: Project, upstream: str) -> list[str]:
    """Merge ``upstream``; the files it changed here. A conflict is explained and aborted."""
    before = git.run("rev-parse", "HEAD").stdout.strip()
    with _logs_held(project):
        merged = git.run("merge", "--no-edit", "-q", upstream, check=False)
    if merged.returncode != 0:
        conflicted = [git.relative(p) for p in git.run(
            "diff", "--name-only", "-z", "--diff-filter=U").stdout.split("\0") if p]
        explanation = _explain(git, conflicted) if conflicted else (merged.stderr or merged.stdout).strip()
        if conflicted:
            git.run("merge", "--abort", check=False)
        raise SyncError(f"{project.root}: not synced: {explanation}; your own commit is kept and "
                        "nothing was pushed")
    diff = git.run("diff", "--name-only", "-z", before, "HEAD").stdout
    return [git.relative(p) for p in diff.split("\0") if p]


def _explain(git: Git, conflicted: list[str]) -> str:
    if CODEBOOK not in conflicted:
        return (f"your changes and the others' touch the same lines of {', '.join(conflicted)}; "
                "merge them yourself (git merge, edit, git add, git commit), then sync again")
    path = (git.root / CODEBOOK).relative_to(git.top).as_posix()
    base, ours, theirs = (_codes(git.run("show", f":{stage}:{path}", check=False).stdout) for stage in (1, 2, 3))
    both = sorted(code for code in set(ours) | set(theirs)
                  if ours.get(code) != base.get(code) and theirs.get(code) != base.get(code)
                  and ours.get(code) != theirs.get(code))
    named = ", ".join(both) if both else "codes next to each other (the same lines)"
    rest = [p for p in conflicted if p != CODEBOOK]
    return (f"{CODEBOOK}: you and another member both changed {named}; agree on one version, then "
            "change it in one clone only, or merge by hand (git merge, edit the codebook, "
            f"raakvlak codebook to check it, git commit){'; also ' + ', '.join(rest) if rest else ''}")


def _codes(text: str) -> dict[str, Any]:
    """Every code of a codebook text by id (its fields, children left out); {} if unreadable."""
    try:
        data = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return {}
    found: dict[str, Any] = {}
    stack = list(data.get("codes") or []) if isinstance(data, dict) else []
    while stack:
        code = stack.pop()
        if isinstance(code, dict) and "id" in code:
            found[str(code["id"])] = {k: v for k, v in code.items() if k != "children"}
            stack.extend(code.get("children") or [])
    return found
