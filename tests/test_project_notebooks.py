"""The notebooks ``raakvlak init`` gives a project run on that project, empty or coded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from raakvlak import Project
from raakvlak.coding.session import CodingSession
from raakvlak.project import notebook_templates

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [Path(str(t)) for t in notebook_templates()]
RAW = ROOT / "examples" / "raw"


def run_all(project: Project, name: str, parameters: str = "") -> list:
    notebook = nbformat.read(project.notebooks_dir / name, as_version=4)
    notebook.cells = [c for c in notebook.cells if "human" not in c.metadata.get("tags", [])]
    if parameters:
        cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
        cell.source += "\n" + parameters
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(project.notebooks_dir)}}).execute()
    return [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
            if o.output_type == "error"]


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    return Project.init(tmp_path_factory.mktemp("empty") / "studie", name="Leeg", coders=["anna", "bram"])


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    project = Project.init(tmp_path_factory.mktemp("coded") / "studie", name="Studie",
                           coders=["anna", "bram"])
    shutil.copy(RAW / "pseudonyms.csv", project.private_dir / "pseudonyms.csv")
    errors = run_all(project, "01_corpus.ipynb", f"files = [{str(RAW / 'als-a-sessie-2.txt')!r}]\n"
                                                  'kind = "transcript"')
    assert not errors, errors
    project.codebook_path.write_text(
        "codes:\n  - id: barrier\n    label: {nl: Knelpunten, en: Barriers}\n    children:\n"
        "      - id: barrier.regie\n        label: {nl: Regie, en: Coordination}\n", encoding="utf-8")
    segments = project.corpus.segments(level="turn")
    for coder, step in (("anna", 2), ("bram", 3)):
        session = CodingSession(project, coder)
        for row in segments.iloc[1::step].itertuples():
            session.code(row.document_id, int(row.start), int(row.end), "barrier.regie")
    return project


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_a_new_projects_notebook_runs_on_it_empty(path, empty):
    assert not run_all(empty, path.name)


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_a_new_projects_notebook_runs_on_it_with_documents_and_codings(path, coded):
    assert len(coded.corpus) == 1
    assert not run_all(coded, path.name)


@pytest.mark.parametrize("path", TEMPLATES, ids=[p.stem for p in TEMPLATES])
def test_a_new_projects_notebook_is_thin_clean_and_on_its_project(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"  # JupyterLab starts it unasked
    assert cells[0]["cell_type"] == "markdown"
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and 'project_path = ".."' in "".join(tagged[0]["source"])
    for cell in cells:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            code = "\n".join(line.split("#")[0] for line in source.split("\n"))
            assert "examples" not in code and "anna" not in code  # nothing of the example project
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None
            assert "\ndef " not in "\n" + source and "\nclass " not in "\n" + source


def test_the_coding_notebook_is_the_example_projects():
    assert (ROOT / "notebooks" / "02_coding.ipynb").read_bytes() == (
        ROOT / "src" / "raakvlak" / "project_notebooks" / "02_coding.ipynb").read_bytes()
