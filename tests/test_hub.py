"""The hub side of a team without a hub running: coder ids, the team list, each member's notebooks.

The hub itself (JupyterHub, its proxy, two browsers) is tested end to end in
``tests/e2e/test_hub_browser.py``; here the decisions raakvlak makes for it.
"""

from __future__ import annotations

import logging

import nbformat
import pytest

from raakvlak import Project
from raakvlak.errors import CodingError, ProjectError
from raakvlak.hub import (
    CODING_NOTEBOOK,
    hub_coder,
    prepare_workspace,
    singleuser,
    team_authenticator,
    team_members,
)
from raakvlak.project import SETTINGS_FILE


class FakeAuthenticator:
    """What a JupyterHub authenticator offers the team subclass: admins and a log."""

    admin_users = {"admin"}
    log = logging.getLogger("test-hub")


def test_the_coder_is_the_hub_user_name_when_it_is_a_slug():
    assert hub_coder({"JUPYTERHUB_USER": "bram"}) == "bram"
    with pytest.raises(CodingError, match="username_map"):
        hub_coder({"JUPYTERHUB_USER": "Bram Jansen"})
    with pytest.raises(CodingError, match="pass your coder id"):
        hub_coder({})


def test_the_team_list_is_the_projects_coders_read_at_every_login(example_project):
    team = team_authenticator(FakeAuthenticator, example_project.root)()
    assert team_members(example_project.root) == {"anna", "bram", "consensus"}
    assert team.check_allowed("anna") and team.check_allowed("admin")
    assert not team.check_allowed("carla")
    example_project.check_coder("carla", new=True)  # raakvlak coders --add carla, hub running
    assert team.check_allowed("carla")
    (example_project.root / SETTINGS_FILE).write_text("not toml [", encoding="utf-8")
    assert not team.check_allowed("anna")  # a broken settings file lets nobody in but admins
    assert team.check_allowed("admin")


def test_each_member_gets_notebooks_pointing_at_the_shared_project(example_project, tmp_path):
    home = tmp_path / "home-anna"
    workspace = prepare_workspace(example_project, home, "anna")
    assert workspace == home / example_project.root.name
    names = sorted(p.name for p in workspace.glob("*.ipynb"))
    assert names == sorted(p.name for p in example_project.notebooks_dir.glob("*.ipynb"))
    coding = nbformat.read(workspace / CODING_NOTEBOOK, as_version=4)
    parameters = next(c for c in coding.cells if "parameters" in c.metadata.get("tags", []))
    assert f"project_path = {str(example_project.root)!r}" in parameters.source
    assert "coder = 'anna'" in parameters.source
    # the member's own work is never overwritten at the next start
    (workspace / CODING_NOTEBOOK).write_text("mine", encoding="utf-8")
    prepare_workspace(example_project, home, "anna")
    assert (workspace / CODING_NOTEBOOK).read_text(encoding="utf-8") == "mine"
    with pytest.raises(CodingError, match="'carla' is not a coder of this project"):
        prepare_workspace(example_project, tmp_path / "home-carla", "carla")


def test_a_project_without_notebooks_gets_a_coding_notebook(tmp_path, monkeypatch):
    project = Project.init(tmp_path / "study", coders=["anna"])
    workspace = prepare_workspace(project, tmp_path / "home", "anna")
    notebook = nbformat.read(workspace / CODING_NOTEBOOK, as_version=4)
    source = "\n".join(cell.source for cell in notebook.cells)
    assert "coder = 'anna'" in source and "CodingWidget(Project(project_path), coder)" in source
    assert notebook.metadata["kernelspec"]["name"] == "python3"  # JupyterLab starts it unasked


def test_the_members_server_needs_the_project_folder(monkeypatch):
    with pytest.raises(ProjectError, match="RAAKVLAK_PROJECT is not set"):
        singleuser([], environ={"JUPYTERHUB_USER": "anna"})


def test_an_admin_command_in_a_team_folder_leaves_files_the_team_can_write(example_project):
    """install.sh makes the project folder group-owned with the setgid bit; an admin's
    command (umask 022) must still leave the project lock writable for the members."""
    import os
    import stat

    from raakvlak.cli import main

    root = example_project.root
    os.chmod(root, os.stat(root).st_mode | stat.S_ISGID | 0o070)
    old = os.umask(0o022)
    try:
        assert main(["coders", "--add", "carla", "--project", str(root)]) == 0
        assert os.umask(0o022) == 0o022  # the command gave the umask back
    finally:
        os.umask(old)
    lock = root / ".raakvlak" / "project.lock"
    assert stat.S_IMODE(lock.stat().st_mode) & 0o060 == 0o060
    assert stat.S_IMODE((root / ".raakvlak").stat().st_mode) & 0o070 == 0o070


def test_the_first_member_added_closes_an_open_project(tmp_path):
    """A new project lists no coders (anyone may code); the hub lets in only listed ones."""
    from raakvlak.cli import main

    project = Project.init(tmp_path / "study")
    assert team_members(project.root) == {"consensus"}
    assert main(["coders", "--add", "anna", "--add", "bram", "--project", str(project.root)]) == 0
    assert team_members(project.root) == {"anna", "bram", "consensus"}
    with pytest.raises(CodingError, match="'carla' is not a coder"):
        Project(project.root).check_coder("carla")
