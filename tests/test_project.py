"""A project folder: init, find, settings."""

from __future__ import annotations

import pytest

from raakvlak import Project
from raakvlak.errors import ProjectError


def test_init_makes_the_layout(tmp_path):
    project = Project.init(tmp_path / "studie", name="Mijn studie", language="en", coders=["anna"])
    root = tmp_path / "studie"
    for folder in ("corpus", "coding/logs", "notebooks", "private"):
        assert (root / folder).is_dir()
    assert "private/" in (root / ".gitignore").read_text().splitlines()
    assert project.name == "Mijn studie"
    assert project.language == "en"
    assert project.settings.coders == ("anna",)
    assert len(project.corpus) == 0


def test_init_refuses_an_existing_project(tmp_path):
    Project.init(tmp_path / "p", name="Een")
    settings = (tmp_path / "p" / "raakvlak.toml").read_text()
    with pytest.raises(ProjectError, match="already a raakvlak project"):
        Project.init(tmp_path / "p", name="Twee")
    assert (tmp_path / "p" / "raakvlak.toml").read_text() == settings


def test_find_walks_up(tmp_path):
    Project.init(tmp_path / "p", name="P")
    deep = tmp_path / "p" / "notebooks" / "sub"
    deep.mkdir(parents=True)
    assert Project.find(deep).root == (tmp_path / "p").resolve()
    with pytest.raises(ProjectError, match="no raakvlak project"):
        Project.find(tmp_path)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[project\nname='x'", "not valid TOML"),
        ("[project]\nlanguage='nl'\n", "needs a name"),
        ("[project]\nname='x'\nlanguage='de'\n", "language must be one of"),
        ("[project]\nname='x'\ncoders=['Anna B']\n", "coders must be slugs"),
        ("[project]\nname='x'\n[agreement]\nreliable=0.5\ntentative=0.7\n", "tentative <= reliable"),
    ],
)
def test_bad_settings_name_the_file(tmp_path, toml, message):
    (tmp_path / "raakvlak.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ProjectError, match=message) as info:
        Project(tmp_path)
    assert "raakvlak.toml" in str(info.value)


def test_the_repository_is_the_example_project():
    project = Project.find(__file__)
    assert project.settings.coders == ("anna", "bram")
    assert "fictief" in project.name


def test_init_gives_the_numbered_notebooks_and_checks_coders(tmp_path):
    project = Project.init(tmp_path / "p", name="P", coders=["anna", "bram"])
    names = sorted(p.name for p in project.notebooks_dir.glob("*.ipynb"))
    assert names == ["00_start.ipynb", "01_corpus.ipynb", "02_coding.ipynb",
                     "03_retrieval_and_tables.ipynb", "04_agreement.ipynb", "05_themes.ipynb",
                     "06_patterns.ipynb", "07_export.ipynb"]
    with pytest.raises(ProjectError, match="coder ids must be slugs"):
        Project.init(tmp_path / "q", coders=["Anna B"])
    assert not (tmp_path / "q").exists()
    assert list(Project.init(tmp_path / "r", notebooks=False).notebooks_dir.iterdir()) == []
