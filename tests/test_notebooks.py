"""Every notebook runs, top to bottom, on a copy of the example project.

Cells tagged ``human`` wait for a person (a click, a choice) and are skipped here.
Notebooks are stored without outputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from conftest import copy_example
from nbclient import NotebookClient

pytestmark = pytest.mark.example_vectors  # notebook 05 fits themes on the example

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory):
    return copy_example(tmp_path_factory.mktemp("notebooks") / "example")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_on_the_example_project(path, example_copy):
    notebook = nbformat.read(example_copy / "notebooks" / path.name, as_version=4)
    notebook.cells = [c for c in notebook.cells if "human" not in c.metadata.get("tags", [])]
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3",
        resources={"metadata": {"path": str(example_copy / "notebooks")}},
    )
    client.execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.output_type == "error"]
    assert not errors


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_stored_clean_and_thin(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = notebook["cells"]
    assert cells[0]["cell_type"] == "markdown", "starts with a purpose cell"
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and "project_path" in "".join(tagged[0]["source"])
    for cell in cells:
        if cell["cell_type"] == "code":
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None
            source = "".join(cell["source"])
            assert "\ndef " not in "\n" + source and "\nclass " not in "\n" + source
