"""The reproduction manifest: what went into an analysis, what came out, and with which tools.

``raakvlak reproduce`` writes ``manifest.json`` next to the result tables and figures
of the notebooks (see :mod:`raakvlak.reproduce`). It holds

``inputs``
    the SHA-256 of every input file, in groups: ``corpus`` (``documents.csv``,
    ``speakers.csv`` and every text), ``codebook`` (``coding/codebook.yaml``),
    ``logs`` (every other file in ``coding/``: the coders' logs, the consensus log,
    remembered rejections of suggestions), ``settings`` (``raakvlak.toml``) and
    ``notebooks``. A notebook's hash covers its
    code cells and their tags only, so editing its prose does not change it.
``outputs``
    the SHA-256 and size of every result file, by its path in the report folder
    (``results/<notebook>/<name>.csv`` ...).
``versions``
    Python, raakvlak, every dependency of raakvlak, and the FreeType library that
    draws the figures' text.
``parameters``
    the notebook parameters that were set, besides ``project_path``.

The manifest holds no dates, timings or machine paths, so two runs on the same
project with the same tools write the same bytes.

Comparing (:func:`compare`): an output or input that differs is a failure; a
version that differs is reported first but is not a failure by itself, and when
any version differs, differing *figures* are reported as expected (PNG rendering
depends on matplotlib, FreeType and friends) while differing *tables* still fail.

Examples
--------
>>> hash_group(EXAMPLE, "codebook")["files"].keys()
dict_keys(['coding/codebook.yaml'])
"""

from __future__ import annotations

import difflib
import hashlib
import importlib.metadata
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from raakvlak.errors import RaakvlakError
from raakvlak.files import atomic_write_text

FORMAT = 1
GROUPS = ("corpus", "codebook", "logs", "settings", "notebooks")
FIGURE_SUFFIXES = (".png", ".svg", ".pdf")
TABLE_SUFFIXES = (".csv", ".txt", ".md", ".json")


class ManifestError(RaakvlakError):
    """A manifest cannot be read or does not describe a reproduction."""


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def notebook_code_sha256(path: str | Path) -> str:
    """The SHA-256 of a notebook's code: the source and tags of its code cells, in order.

    Markdown, outputs and metadata other than tags are left out: they do not change
    what the notebook computes.
    """
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
        cells = [
            {"source": "".join(cell.get("source", "")),
             "tags": sorted(cell.get("metadata", {}).get("tags", []))}
            for cell in notebook["cells"] if cell.get("cell_type") == "code"
        ]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ManifestError(f"{path}: not a readable notebook ({exc})") from exc
    text = json.dumps(cells, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return sha256_bytes(text.encode("utf-8"))


def _visible_files(folder: Path, pattern: str = "*") -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(pattern)
                  if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def group_files(root: str | Path, group: str) -> list[Path]:
    """The input files of one group (see :data:`GROUPS`) in a project folder, sorted."""
    root = Path(root)
    if group == "corpus":
        return _visible_files(root / "corpus")
    if group == "codebook":
        path = root / "coding" / "codebook.yaml"
        return [path] if path.is_file() else []
    if group == "logs":
        codebook = root / "coding" / "codebook.yaml"
        return [p for p in _visible_files(root / "coding") if p != codebook]
    if group == "settings":
        path = root / "raakvlak.toml"
        return [path] if path.is_file() else []
    if group == "notebooks":
        return sorted((root / "notebooks").glob("*.ipynb"))
    raise ManifestError(f"unknown input group {group!r}; use one of {', '.join(GROUPS)}")


def hash_group(root: str | Path, group: str, files: Iterable[Path] | None = None) -> dict[str, Any]:
    """``{"sha256": ..., "files": {relative path: sha256}}`` for one input group.

    The group's own ``sha256`` is the hash of its sorted ``path  hash`` lines, so one
    value says whether anything in the group changed.
    """
    root = Path(root)
    chosen = group_files(root, group) if files is None else sorted(files)
    hashed = {}
    for path in chosen:
        name = path.relative_to(root).as_posix()
        hashed[name] = notebook_code_sha256(path) if group == "notebooks" else sha256_file(path)
    return {"sha256": _combined(hashed), "files": hashed}


def _combined(hashes: Mapping[str, str]) -> str:
    lines = "".join(f"{name}  {value}\n" for name, value in sorted(hashes.items()))
    return sha256_bytes(lines.encode("utf-8"))


def input_hashes(root: str | Path, notebooks: Iterable[Path] | None = None) -> dict[str, Any]:
    """The hashes of every input group of a project (``notebooks``: only these)."""
    return {group: hash_group(root, group, notebooks if group == "notebooks" else None)
            for group in GROUPS}


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*")


def dependency_names(distribution: str = "raakvlak") -> list[str]:
    """The packages ``distribution`` depends on (its extras left out), as installed metadata says."""
    try:
        requirements = importlib.metadata.requires(distribution) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in requirements:
        if "extra ==" in requirement.replace("extra==", "extra =="):
            continue
        match = _NAME.match(requirement.strip())
        if match:
            names.append(match.group(0))
    return sorted(set(names), key=str.lower)


def versions() -> dict[str, str]:
    """Python, raakvlak, its dependencies and FreeType, each with the version in use."""
    found = {"python": ".".join(map(str, sys.version_info[:3]))}
    for name in ["raakvlak", *dependency_names("raakvlak")]:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    try:
        from matplotlib import ft2font

        found["freetype"] = str(ft2font.__freetype_version__)
    except ImportError:  # pragma: no cover - matplotlib is a dependency
        pass
    return found


def output_hashes(out: str | Path, folders: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``{path: {"sha256", "bytes"}}`` for every file under ``out/<folder>`` (paths relative to ``out``)."""
    out = Path(out)
    hashed = {}
    for folder in folders:
        for path in _visible_files(out / folder):
            hashed[path.relative_to(out).as_posix()] = {"sha256": sha256_file(path),
                                                         "bytes": path.stat().st_size}
    return dict(sorted(hashed.items()))


def manifest_text(manifest: Mapping[str, Any]) -> str:
    """The manifest as JSON text: sorted keys, two-space indent, ``\\n`` line ends."""
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_manifest(manifest: Mapping[str, Any], path: str | Path) -> Path:
    """Write the manifest atomically; returns the path."""
    path = Path(path)
    atomic_write_text(path, manifest_text(manifest))
    return path


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read a manifest written by :func:`write_manifest`; errors name the file and the problem."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"{path}: no such manifest; make one with `raakvlak reproduce`") from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ManifestError(f"{path}: not a readable manifest ({exc})") from exc
    if not isinstance(data, dict) or data.get("manifest") != FORMAT:
        raise ManifestError(f"{path}: not a raakvlak manifest of format {FORMAT} "
                            "(no \"manifest\": 1 at the top); make one with `raakvlak reproduce`")
    for key in ("inputs", "outputs", "versions"):
        if not isinstance(data.get(key), dict):
            raise ManifestError(f"{path}: the manifest has no {key!r} section; "
                                "make a new one with `raakvlak reproduce`")
    return data


@dataclass(frozen=True)
class Difference:
    """One way a reproduction differs from its manifest.

    Attributes
    ----------
    kind : ``"version"``, ``"input"`` or ``"output"``.
    name : the package, or the file's path in the project or the report folder.
    expected, actual : the version or hash in the manifest and now (None: absent).
    failure : whether this difference makes the check fail.
    rows : for a table, its header and first differing lines, ready to print.
    note : a short explanation (e.g. why a figure difference is not a failure).
    """

    kind: str
    name: str
    expected: str | None
    actual: str | None
    failure: bool
    rows: tuple[str, ...] = ()
    note: str = ""

    def describe(self) -> list[str]:
        """The difference as lines of text for a terminal."""
        if self.kind == "version":
            return [f"  {self.name}: {self.expected or 'absent'} -> {self.actual or 'absent'}"]
        if self.expected is None:
            state = "new (not in the manifest)"
        elif self.actual is None:
            state = "missing (in the manifest, not produced)" if self.kind == "output" else "missing"
        else:
            state = "differs"
        lines = [f"  {self.name}: {state}" + (f" -- {self.note}" if self.note else "")]
        lines.extend(f"      {row}" for row in self.rows)
        return lines


def first_differing_rows(expected: str, actual: str, limit: int = 5) -> tuple[str, ...]:
    """The header and the first ``limit`` differing lines of two CSV (or text) files.

    Lines are numbered as in the file (the header is line 1). Each differing line is
    shown as ``line N expected: ...`` and/or ``line N now: ...``.

    Examples
    --------
    >>> first_differing_rows("code,n\\na,1\\nb,2\\n", "code,n\\na,1\\nb,3\\n")
    ('header: code,n', 'line 3 expected: b,2', 'line 3 now:      b,3')
    """
    old, new = expected.splitlines(), actual.splitlines()
    rows: list[str] = []
    if old and new and old[0] == new[0]:
        rows.append(f"header: {old[0]}")
    shown = 0
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            if shown >= limit:
                rows.append("...")
                return tuple(rows)
            if i1 + k < i2:
                rows.append(f"line {i1 + k + 1} expected: {_clip(old[i1 + k])}")
            if j1 + k < j2:
                rows.append(f"line {j1 + k + 1} now:      {_clip(new[j1 + k])}")
            shown += 1
    return tuple(rows)


def _clip(line: str, width: int = 160) -> str:
    return line if len(line) <= width else line[: width - 3] + "..."


def _read_text(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _notebook_of(output: str) -> str:
    parts = output.split("/")
    return parts[1] if len(parts) > 2 else ""


def compare(
    expected: Mapping[str, Any],
    actual: Mapping[str, Any],
    expected_dir: str | Path | None = None,
    actual_dir: str | Path | None = None,
    notebooks: Iterable[str] | None = None,
    rows: int = 5,
) -> list[Difference]:
    """Every difference between a manifest and a new run: versions, then inputs, then outputs.

    Parameters
    ----------
    expected : the manifest to check against (:func:`read_manifest`).
    actual : the manifest of the new run.
    expected_dir, actual_dir : the report folders the two manifests describe; when a
        table exists in both, its first differing lines are shown.
    notebooks : compare only the outputs and notebook hashes of these notebooks
        (names without ``.ipynb``); default all.
    rows : how many differing lines of a table to show.

    Returns
    -------
    list of Difference
        Empty when the run reproduces the manifest.
    """
    chosen = None if notebooks is None else set(notebooks)
    found: list[Difference] = []
    old_versions, new_versions = expected.get("versions", {}), actual.get("versions", {})
    for name in sorted(set(old_versions) | set(new_versions)):
        if old_versions.get(name) != new_versions.get(name):
            found.append(Difference("version", name, old_versions.get(name), new_versions.get(name),
                                    failure=False))
    versions_differ = bool(found)

    for group in GROUPS:
        old = expected.get("inputs", {}).get(group, {}).get("files", {})
        new = actual.get("inputs", {}).get(group, {}).get("files", {})
        for name in sorted(set(old) | set(new)):
            if group == "notebooks" and chosen is not None and Path(name).stem not in chosen:
                continue
            if old.get(name) != new.get(name):
                note = "its code cells changed" if group == "notebooks" and old.get(name) and new.get(name) else ""
                found.append(Difference("input", name, old.get(name), new.get(name), failure=True,
                                        note=note))

    old_out, new_out = expected.get("outputs", {}), actual.get("outputs", {})
    for name in sorted(set(old_out) | set(new_out)):
        if chosen is not None and _notebook_of(name) not in chosen:
            continue
        old_hash = old_out.get(name, {}).get("sha256")
        new_hash = new_out.get(name, {}).get("sha256")
        if old_hash == new_hash:
            continue
        figure = name.lower().endswith(FIGURE_SUFFIXES)
        failure, note, shown = True, "", ()
        if figure and versions_differ and old_hash and new_hash:
            failure, note = False, "a figure, drawn with other versions: not counted"
        elif old_hash and new_hash and name.lower().endswith(TABLE_SUFFIXES):
            old_text = _read_text(Path(expected_dir) / name if expected_dir else None)
            new_text = _read_text(Path(actual_dir) / name if actual_dir else None)
            if old_text is not None and new_text is not None:
                shown = first_differing_rows(old_text, new_text, rows)
            elif old_text is None:
                note = "the expected file is not beside the manifest; only its hash is known"
        found.append(Difference("output", name, old_hash, new_hash, failure=failure, rows=shown,
                                note=note))
    return found


def report_lines(differences: Iterable[Difference], outputs: int) -> list[str]:
    """A check's result as text: versions first, then inputs, then outputs, then a verdict."""
    differences = list(differences)
    lines: list[str] = []
    titles = {
        "version": "versions differ from the manifest (not a failure; figures may then differ too):",
        "input": "inputs differ from the manifest:",
        "output": "outputs differ from the manifest:",
    }
    for kind, title in titles.items():
        part = [d for d in differences if d.kind == kind]
        if part:
            lines.append(title)
            for difference in part:
                lines.extend(difference.describe())
    failures = [d for d in differences if d.failure]
    differing = sum(1 for d in differences if d.kind == "output")
    if failures:
        lines.append(f"NOT REPRODUCED: {len(failures)} difference(s) "
                     f"({differing} of {outputs} outputs differ)")
    else:
        lines.append(f"reproduced: all {outputs} outputs match the manifest"
                     + (" (figures drawn with other versions excepted)" if differing else ""))
    return lines
