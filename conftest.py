"""Shared by the tests and the docstring examples: where the example project lives."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent


def pytest_configure(config):
    """One embedding cache for the whole run (notebooks, kernels and commands inherit it).

    Each test works on a fresh copy of the example project, whose ``.raakvlak/`` is
    empty: without a shared cache every copy would embed the corpus again. The first
    test that needs the vectors still computes them, as a fresh clone does.
    """
    if "RAAKVLAK_EMBEDDING_CACHE" not in os.environ:
        folder = tempfile.mkdtemp(prefix="raakvlak-embeddings-")
        os.environ["RAAKVLAK_EMBEDDING_CACHE"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_finish(session):
    """Embed the example corpus once, before any test, when a collected test needs it.

    Tests marked ``example_vectors`` fit themes or suggestions on the example project (in
    the process, in a notebook kernel or in JupyterLab). The first of them would otherwise
    embed the whole corpus inside its own time limit, which a loaded machine can exceed;
    here it is done outside any test, into the shared cache, through the same themes path.
    """
    if not any(item.get_closest_marker("example_vectors") for item in session.items):
        return
    from raakvlak import Project
    from raakvlak.themes.embeddings import project_embedder
    from raakvlak.themes.model import ThemeModel
    from raakvlak.themes.scope import theme_segments

    with tempfile.TemporaryDirectory() as folder:
        project = Project(copy_example(Path(folder) / "example"))
        embedder = project_embedder(project, progress=False)
        if embedder is not None:  # without the model the themes fall back to TF-IDF anyway
            ThemeModel(n_themes=2, features="embeddings", embedder=embedder, language=project.language,
                       stop_words=project.settings.stopwords, stability_runs=0).fit(
                theme_segments(project, interviewers=True))


def copy_example(target: Path) -> Path:
    """A copy of the example project (corpus, codebook, logs, notebooks) to change freely."""
    ignore = shutil.ignore_patterns(".venv", ".git", ".raakvlak", "__pycache__", "*.egg-info",
                                    "test-artifacts", ".hypothesis", ".pytest_cache", "src", "tests")
    shutil.copytree(EXAMPLE, target, ignore=ignore)
    return target


@pytest.fixture
def example_project(tmp_path):
    """A throw-away copy of the example project, as a Project."""
    from raakvlak import Project

    return Project(copy_example(tmp_path / "example"))


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace, tmp_path_factory):
    from raakvlak import Project

    doctest_namespace["EXAMPLE"] = EXAMPLE
    doctest_namespace["Project"] = Project
    doctest_namespace["example_codebook"] = lambda: Project(EXAMPLE).codebook
    doctest_namespace["example_copy"] = lambda: Project(
        copy_example(tmp_path_factory.mktemp("doctest") / "example")
    )
