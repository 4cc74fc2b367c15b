"""Re-run every notebook of a project and record what came out: ``raakvlak reproduce``.

``raakvlak reproduce [--project DIR] [--out DIR] [--notebooks 03,04] [-p NAME=VALUE]``
executes the notebooks in ``notebooks/`` in name order, headless (a ``python3``
kernel, working folder ``notebooks/``, cells tagged ``human`` left out), with
``project_path`` set to the project's folder in a cell inserted after the
``parameters`` cell (the papermill convention). Into the report folder (default
``reports/`` in the project) it writes

- ``notebooks/<name>.ipynb``: the executed copies, with their outputs (for reading;
  they hold timestamps and are not hashed);
- ``results/<name>/...``: the tables (CSV), texts, JSON and figures (PNG) each
  notebook handed to :func:`keep`;
- ``manifest.json``: the hashes of inputs and results and the versions of the tools
  (:mod:`raakvlak.manifest`).

``raakvlak reproduce --check reports/manifest.json`` runs the notebooks again, into a
temporary folder (or ``--out``), and lists every version, input and output that
differs, with the first differing lines of a table; it exits with 1 when the run does
not reproduce the manifest.

How a result leaves a notebook: the notebook calls ``keep(obj, "name")``. The
reproduce run points the environment variable ``RAAKVLAK_OUT`` of the kernel at the
notebook's results folder; without it (interactive use) :func:`keep` only returns
its argument. The kernel also gets ``PYTHONHASHSEED=0``, so the order of sets of
strings cannot change between runs.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from raakvlak.errors import RaakvlakError

# light imports only: `raakvlak --help` builds this module's parser

if TYPE_CHECKING:
    import pandas as pd

    from raakvlak.project import Project

OUT_VARIABLE = "RAAKVLAK_OUT"
REPORTS = "reports"
RESULTS = "results"
EXECUTED = "notebooks"
MANIFEST = "manifest.json"
FLOAT_FORMAT = "%.10g"
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")


class ReproduceError(RaakvlakError):
    """A notebook failed, a result cannot be kept, or the reproduction was asked wrongly."""


# --------------------------------------------------------------------------- keep
def table_csv(table: pd.DataFrame | pd.Series, sort: bool = True) -> str:
    """A table as CSV text that is the same for the same numbers on every run.

    A named or non-integer index becomes the first column(s); an unnamed integer index
    (row numbers) is dropped. Column levels are joined with `` / ``. With ``sort`` the
    rows are sorted by every column from left to right (numbers as numbers, anything
    else by its text), stably. Floats are written with 10 significant digits, lines
    end in ``\\n``.

    Examples
    --------
    >>> import pandas as pd
    >>> print(table_csv(pd.DataFrame({"code": ["b", "a"], "alpha": [0.5, 1 / 3]})), end="")
    code,alpha
    a,0.3333333333
    b,0.5
    """
    import pandas as pd

    frame = table.to_frame() if isinstance(table, pd.Series) else table
    if not isinstance(frame, pd.DataFrame):
        raise ReproduceError(f"table_csv needs a DataFrame or Series, not {type(table).__name__}")
    index = frame.index
    named = any(name is not None for name in index.names)
    if named or isinstance(index, pd.MultiIndex) or not pd.api.types.is_integer_dtype(index.dtype):
        clashes = [n for n in index.names if n is not None and n in frame.columns]
        frame = frame.reset_index(drop=bool(clashes))
    frame = frame.reset_index(drop=True)
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.set_axis([" / ".join(str(p) for p in c if str(p)) for c in frame.columns], axis=1)
    if sort and len(frame) > 1 and frame.shape[1]:
        frame = frame.take(_row_order(frame))
    return frame.to_csv(index=False, lineterminator="\n", float_format=FLOAT_FORMAT)


def _row_order(frame: pd.DataFrame) -> list[int]:
    import pandas as pd

    keys = {}
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        if pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_datetime64_any_dtype(column.dtype):
            keys[i] = column
        else:
            keys[i] = column.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))
    order = pd.DataFrame(keys).sort_values(list(keys), kind="mergesort", na_position="last")
    return list(order.index)


def _check_name(name: str) -> None:
    if (not isinstance(name, str) or not name or name[0] in "._-"
            or not set(name) <= _NAME_CHARS or len(name) > 100):
        raise ReproduceError(
            f"keep: {name!r} is not a usable result name; use letters, digits, '-', '_' and '.', "
            "e.g. keep(table, \"code-frequencies\")"
        )


def keep(obj: Any, name: str, sort: bool = True) -> Any:
    """Keep a result of a notebook for the reproduction report; returns ``obj`` unchanged.

    Inside ``raakvlak reproduce`` the result is written to the notebook's results
    folder (named by the environment variable ``RAAKVLAK_OUT``); anywhere else this
    does nothing, so a notebook runs the same interactively.

    Parameters
    ----------
    obj : what to keep:

        - a pandas DataFrame or Series: ``name.csv`` via :func:`table_csv`;
        - a matplotlib Figure: ``name.png`` (or ``.svg``/``.pdf`` when ``name`` ends so)
          via :func:`raakvlak.analysis.figures.save_figure`, byte-identical per figure;
        - a str: ``name.txt`` (or ``name.md`` when ``name`` ends so);
        - a dict or list: ``name.json`` (sorted keys).
    name : the file name, unique within the notebook: letters, digits, ``-``, ``_``, ``.``.
    sort : sort a table's rows (see :func:`table_csv`); ``False`` keeps their order,
        for tables whose order is the result (a ranking).

    Returns
    -------
    object
        ``obj`` itself, so ``keep(frequency_bars(...), "bars")`` still shows the figure.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"code_id": ["a"], "segments": [2]})
    >>> keep(table, "frequencies") is table   # outside a reproduce run: nothing written
    True
    """
    _check_name(name)
    folder = os.environ.get(OUT_VARIABLE)
    if not folder:
        return obj
    path = Path(folder) / name
    data, suffix = _serialise(obj, name, sort)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    if path.exists():
        raise ReproduceError(
            f"keep: the result {path.name!r} was already kept by this notebook; give each keep() "
            "its own name"
        )
    if data is None:  # a figure
        from raakvlak.analysis.figures import save_figure

        save_figure(obj, path)
    else:
        from raakvlak.files import atomic_write_bytes

        atomic_write_bytes(path, data)
    return obj


def _serialise(obj: Any, name: str, sort: bool) -> tuple[bytes | None, str]:
    import pandas as pd

    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return table_csv(obj, sort=sort).encode("utf-8"), ".csv"
    if type(obj).__module__.startswith("matplotlib") and hasattr(obj, "savefig"):
        suffix = Path(name).suffix.lower()
        return None, suffix if suffix in (".png", ".svg", ".pdf") else ".png"
    if isinstance(obj, str):
        suffix = Path(name).suffix.lower()
        text = obj if obj.endswith("\n") else obj + "\n"
        return text.encode("utf-8"), suffix if suffix in (".md", ".txt") else ".txt"
    if isinstance(obj, (dict, list, tuple)):
        text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        return (text + "\n").encode("utf-8"), ".json"
    raise ReproduceError(
        f"keep: cannot keep {name!r} (of type {type(obj).__name__}); keep a DataFrame or Series, a "
        "matplotlib Figure, a str, or a dict or list"
    )


# --------------------------------------------------------------------------- running
@dataclass(frozen=True)
class NotebookRun:
    """One executed notebook: its name, how long it took, and the results it kept."""

    name: str
    seconds: float
    outputs: tuple[str, ...]


@dataclass(frozen=True)
class Reproduction:
    """What :func:`reproduce` did.

    Attributes
    ----------
    out : the report folder.
    manifest : the manifest (also written to ``out/manifest.json``).
    runs : one :class:`NotebookRun` per notebook, in order.
    """

    out: Path
    manifest: dict[str, Any]
    runs: tuple[NotebookRun, ...] = field(default=())

    @property
    def manifest_path(self) -> Path:
        return self.out / MANIFEST


def select_notebooks(project: Project, names: Iterable[str] | None = None) -> list[Path]:
    """The project's notebooks in name order; ``names`` picks some by full name or prefix (``"03"``)."""
    every = sorted(project.notebooks_dir.glob("*.ipynb"))
    if not every:
        raise ReproduceError(f"{project.notebooks_dir}: no notebooks to run")
    if names is None:
        return every
    chosen: list[Path] = []
    for name in names:
        name = name.strip().removesuffix(".ipynb")
        if not name:
            continue
        matches = [p for p in every if p.stem == name] or [p for p in every if p.stem.startswith(name)]
        if len(matches) != 1:
            known = ", ".join(p.stem for p in every)
            what = "no notebook" if not matches else f"{len(matches)} notebooks"
            raise ReproduceError(f"--notebooks: {what} match {name!r}; the notebooks are {known}")
        if matches[0] not in chosen:
            chosen.append(matches[0])
    return sorted(chosen)


def parameter_names(source: str) -> set[str]:
    """The names a ``parameters`` cell assigns (``a = 1``, ``a: int = 1``)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def prepare_notebook(notebook: Any, path: Path, parameters: Mapping[str, Any]) -> Any:
    """A copy of ``notebook`` ready to run: no ``human`` cells, no old outputs, parameters injected.

    The injected cell follows the cell tagged ``parameters`` and sets ``project_path``
    and those of ``parameters`` the notebook's parameters cell names; it is tagged
    ``injected-parameters``, as papermill does.
    """
    import copy

    import nbformat

    prepared = copy.deepcopy(notebook)
    prepared.cells = [c for c in prepared.cells if "human" not in c.get("metadata", {}).get("tags", [])]
    for cell in prepared.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    position = next((i for i, c in enumerate(prepared.cells)
                     if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if position is None:
        raise ReproduceError(f"{path}: no cell is tagged 'parameters'; tag the cell that sets "
                             "project_path (View > Cell Toolbar > Tags in Jupyter)")
    declared = parameter_names(prepared.cells[position].source)
    lines = ["# Parameters injected by raakvlak reproduce"]
    for name, value in parameters.items():
        if name == "project_path" or name in declared:
            lines.append(f"{name} = {value!r}")
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    prepared.cells.insert(position + 1, cell)
    return prepared


def _error_of(notebook: Any) -> str:
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                return f"cell {index} ({first[:60]!r}) raised {output.get('ename')}: {output.get('evalue')}"
    return ""


def run_notebook(path: Path, project_root: Path, results: Path, executed: Path,
                 parameters: Mapping[str, Any] | None = None, timeout: int = 600) -> float:
    """Execute one notebook headless; returns the seconds it took.

    Results kept with :func:`keep` go to ``results``; the executed copy is written to
    ``executed`` (also when a cell fails, to read the traceback).
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from traitlets.config import Config

    from raakvlak.files import atomic_write_text

    try:
        notebook = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:
        raise ReproduceError(f"{path}: not a readable notebook ({exc})") from exc
    values = {"project_path": str(project_root), **dict(parameters or {})}
    prepared = prepare_notebook(notebook, path, values)
    if results.exists():
        shutil.rmtree(results)
    results.mkdir(parents=True)
    env = {**os.environ, OUT_VARIABLE: str(results), "PYTHONHASHSEED": "0"}
    started = time.perf_counter()
    # the kernel talks over local sockets in a private folder, not over TCP
    with tempfile.TemporaryDirectory() as sockets:
        config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(sockets) / "kernel")}})
        client = NotebookClient(prepared, timeout=timeout, kernel_name="python3", config=config,
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute(env=env)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
            atomic_write_text(executed, nbformat.writes(prepared))
            where = _error_of(prepared) or str(exc).strip().splitlines()[-1]
            raise ReproduceError(f"{path.name}: {where}; the executed copy is {executed}") from exc
    seconds = time.perf_counter() - started
    atomic_write_text(executed, nbformat.writes(prepared))
    return seconds


def reproduce(
    project: Project,
    out: str | Path | None = None,
    notebooks: Iterable[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    timeout: int = 600,
    progress: Callable[[str], None] | None = None,
) -> Reproduction:
    """Run the project's notebooks and write their results and a manifest into ``out``.

    Parameters
    ----------
    project : the project.
    out : the report folder (default ``reports/`` in the project).
    notebooks : names or prefixes of the notebooks to run (default all).
    parameters : notebook parameters to set, besides ``project_path``; each is set in
        the notebooks whose ``parameters`` cell names it. Recorded in the manifest.
    timeout : seconds one cell may take.
    progress : called with one line per notebook (e.g. ``print``).

    Returns
    -------
    Reproduction
    """
    from raakvlak.manifest import FORMAT, input_hashes, output_hashes, versions, write_manifest

    out = Path(out) if out is not None else project.root / REPORTS
    chosen = select_notebooks(project, notebooks)
    parameters = dict(parameters or {})
    if "project_path" in parameters:
        raise ReproduceError("project_path is set by --project; do not pass it as a parameter")
    _json_safe(parameters)
    inputs = input_hashes(project.root, chosen)
    runs = []
    for path in chosen:
        results = out / RESULTS / path.stem
        seconds = run_notebook(path, project.root, results, out / EXECUTED / path.name,
                               parameters, timeout)
        kept = tuple(sorted(p.name for p in results.iterdir() if p.is_file()))
        runs.append(NotebookRun(path.stem, seconds, kept))
        if progress:
            progress(f"{path.stem:<32} {seconds:6.1f} s  {len(kept)} result(s)")
    changed = _changed_inputs(inputs, input_hashes(project.root, chosen))
    if changed:
        raise ReproduceError(
            f"the notebooks changed their own inputs ({', '.join(changed)}); a reproduction must "
            "only read the project: tag the cells that code or edit as 'human'. No manifest was written."
        )
    manifest = {
        "manifest": FORMAT,
        "project": project.name,
        "notebooks": [path.stem for path in chosen],
        "parameters": parameters,
        "inputs": inputs,
        "outputs": output_hashes(out, [f"{RESULTS}/{path.stem}" for path in chosen]),
        "versions": versions(),
    }
    write_manifest(manifest, out / MANIFEST)
    return Reproduction(out, manifest, tuple(runs))


def _changed_inputs(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    changed = []
    for group, hashed in before.items():
        old, new = hashed["files"], after[group]["files"]
        changed.extend(name for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name))
    return changed


def _json_safe(parameters: Mapping[str, Any]) -> None:
    try:
        json.dumps(parameters)
    except TypeError as exc:
        raise ReproduceError(f"parameters must be plain values (text, numbers, lists): {exc}") from exc


@dataclass(frozen=True)
class Check:
    """The result of :func:`check`: the differences, and where the new run was written."""

    differences: tuple[Any, ...]
    reproduction: Reproduction
    outputs: int

    @property
    def ok(self) -> bool:
        """True when nothing that counts as a failure differs."""
        return not any(d.failure for d in self.differences)

    def report(self) -> str:
        """The differences as text (versions, inputs, outputs, then the verdict)."""
        from raakvlak.manifest import report_lines

        return "\n".join(report_lines(self.differences, self.outputs)) + "\n"


def check(
    project: Project,
    manifest_path: str | Path,
    out: str | Path,
    notebooks: Iterable[str] | None = None,
    timeout: int = 600,
    progress: Callable[[str], None] | None = None,
    rows: int = 5,
) -> Check:
    """Run the notebooks again into ``out`` and compare with the manifest at ``manifest_path``.

    The notebooks and parameters are those the manifest names (``notebooks`` narrows
    them down); the tables beside the manifest supply the first differing lines.
    ``out`` must not be the folder of the manifest.
    """
    from raakvlak.manifest import compare, read_manifest

    manifest_path = Path(manifest_path)
    expected = read_manifest(manifest_path)
    out = Path(out)
    if out.resolve() == manifest_path.parent.resolve():
        raise ReproduceError(f"{out}: --check would overwrite the results it checks against; "
                             "give another --out folder (or none: a temporary one)")
    names = list(notebooks) if notebooks is not None else list(expected.get("notebooks", [])) or None
    chosen = [p.stem for p in select_notebooks(project, names)]
    reproduction = reproduce(project, out, chosen, expected.get("parameters") or {}, timeout, progress)
    differences = compare(expected, reproduction.manifest, manifest_path.parent, out,
                          notebooks=chosen, rows=rows)
    counted = set(reproduction.manifest["outputs"]) | {
        name for name in expected["outputs"] if Path(name).parent.name in chosen}
    return Check(tuple(differences), reproduction, len(counted))


# --------------------------------------------------------------------------- command
def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``raakvlak reproduce`` to ``parser``."""
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="report folder (default: reports/ in the project; with --check: a "
                             "temporary folder, kept only when something differs)")
    parser.add_argument("--check", type=Path, metavar="MANIFEST",
                        help="run again and list what differs from this manifest (exit 1 if anything does)")
    parser.add_argument("--notebooks", metavar="LIST",
                        help="only these notebooks, comma-separated names or prefixes (e.g. 03,04)")
    parser.add_argument("-p", "--parameter", action="append", metavar="NAME=VALUE",
                        help="set a notebook parameter (a Python literal, else text); repeatable")
    parser.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                        help="seconds one cell may take (default 600)")


def parse_parameters(pairs: Iterable[str] | None) -> dict[str, Any]:
    """``["coders=['anna']", "level=turn"]`` -> ``{"coders": ["anna"], "level": "turn"}``.

    Examples
    --------
    >>> parse_parameters(["k=4", "level=turn", "coders=['anna', 'bram']"])
    {'k': 4, 'level': 'turn', 'coders': ['anna', 'bram']}
    """
    from raakvlak.options import name_value

    parameters: dict[str, Any] = {}
    for pair in pairs or []:
        name, text = name_value(pair, "-p", python_name=True)
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = text
        parameters[name] = list(value) if isinstance(value, tuple) else value
    return parameters


def run(args: argparse.Namespace) -> int:
    """Carry out ``raakvlak reproduce``; returns the exit status (1: not reproduced)."""
    from raakvlak.project import Project

    project = Project.find(args.project) if getattr(args, "project", None) else Project.find()
    names = args.notebooks.split(",") if args.notebooks else None
    started = time.perf_counter()
    if args.check is None:
        done = reproduce(project, args.out, names, parse_parameters(args.parameter), args.timeout,
                         progress=print)
        outputs = len(done.manifest["outputs"])
        print(f"{len(done.runs)} notebook(s), {outputs} result(s) in "
              f"{time.perf_counter() - started:.0f} s; manifest: {done.manifest_path}")
        return 0
    if args.parameter:
        raise ReproduceError("--check uses the parameters recorded in the manifest; leave out -p")
    temporary = args.out is None
    out = Path(tempfile.mkdtemp(prefix="raakvlak-check-")) if temporary else args.out
    result = check(project, args.check, out, names, args.timeout, progress=print)
    sys.stdout.write(result.report())
    if temporary and result.ok:
        shutil.rmtree(out, ignore_errors=True)
    elif not result.ok:
        print(f"the new results are in {out}")
    return 0 if result.ok else 1
