"""A team on one JupyterHub: coder ids from hub user names, the team list, each member's workspace.

A research team shares one project folder on the hub's server; every member logs in to
the hub and gets a Jupyter server of their own. Three rules connect the hub to raakvlak:

* **A hub user codes as the coder with the same name.** The single-user server of
  ``anna`` has ``JUPYTERHUB_USER=anna`` in its environment; :func:`hub_coder` reads it,
  and :class:`~raakvlak.widgets.CodingWidget` uses it when no coder is given. Hub user
  names that are no slugs (``a.jansen@uni.nl``) must be mapped by the hub
  (``c.Authenticator.username_map``), never guessed here.
* **The project's ``raakvlak.toml`` is the team list.** The hub lets in exactly the
  coders listed there (:func:`team_authenticator`, read again at every login), so the
  senior researcher adds a member with ``raakvlak coders --add NAME`` and nothing else.
* **Notebooks are per person, the project is shared.** Two people saving one notebook
  would overwrite each other's outputs; :func:`prepare_workspace` gives each member
  copies of the project's notebooks in their own folder, their parameters pointing at
  the shared project and at the member's coder id. Copies a member already has are
  kept as they are.

:func:`singleuser` is what the hub starts for each member (``python -m raakvlak.hub``):
it sets a umask that keeps new shared files writable for the team's group, prepares
the workspace and then becomes ``jupyterhub-singleuser``.

Examples
--------
>>> hub_coder({"JUPYTERHUB_USER": "anna"})
'anna'
>>> hub_coder({"JUPYTERHUB_USER": "A.Jansen@uni.nl"})
Traceback (most recent call last):
...
raakvlak.errors.CodingError: hub user name 'A.Jansen@uni.nl' is no coder id (a slug: a-z, 0-9, - and _); let the hub map user names (c.Authenticator.username_map) or pass coder='...'
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from raakvlak.errors import CodingError, ProjectError
from raakvlak.ids import CONSENSUS_CODER, is_slug
from raakvlak.project import SETTINGS_FILE, Project, Settings

HUB_USER = "JUPYTERHUB_USER"
"""The variable in which JupyterHub gives each single-user server its user's name."""

PROJECT_VARIABLE = "RAAKVLAK_PROJECT"
"""The variable that names the team's shared project folder on the hub."""

TEAM_UMASK = 0o002
"""New files and folders writable by the owner's group: the team shares one folder."""

CODING_NOTEBOOK = "02_coding.ipynb"
KERNEL = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
"""The kernel of a notebook raakvlak makes (without it JupyterLab asks which one)."""


def hub_coder(environ: Mapping[str, str] | None = None) -> str:
    """The coder id of the hub user whose server this is.

    Parameters
    ----------
    environ : the environment to read (default: this process's).

    Raises
    ------
    CodingError
        Outside a hub (no ``JUPYTERHUB_USER``), or when the user name is no slug.
    """
    user = (os.environ if environ is None else environ).get(HUB_USER, "")
    if not user:
        raise CodingError(f"no coder given and this is no JupyterHub server ({HUB_USER} is not "
                          "set): pass your coder id, e.g. coder='anna'")
    if not is_slug(user):
        raise CodingError(f"hub user name {user!r} is no coder id (a slug: a-z, 0-9, - and _); let "
                          "the hub map user names (c.Authenticator.username_map) or pass coder='...'")
    return user


def team_members(root: str | Path) -> frozenset[str]:
    """The coders ``raakvlak.toml`` of the project at ``root`` lists now (and ``consensus``).

    Read from the file at every call, so a member added while the hub runs can log in
    at once. A project without a readable settings file has no members.
    """
    try:
        settings = Settings.read(Path(root) / SETTINGS_FILE)
    except ProjectError:
        return frozenset()
    return frozenset(settings.coders) | {CONSENSUS_CODER}


def team_authenticator(base: type, root: str | Path) -> type:
    """A subclass of the hub's authenticator class ``base`` that lets in the project's coders.

    Whoever ``base`` authenticates (the institution's single sign-on, PAM, a shared
    password in a test) is let in only when :func:`team_members` lists the user name,
    or the hub names the user an admin. Everything else is ``base``'s.
    """
    project_root = Path(root)

    class TeamAuthenticator(base):  # type: ignore[misc, valid-type]
        """Lets in the coders listed in the team project's raakvlak.toml."""

        def check_allow_config(self) -> None:
            """The team list is the allow configuration; nothing to warn about."""

        def check_allowed(self, username: str, authentication: Any = None) -> bool:
            if username in self.admin_users:
                return True
            allowed = username in team_members(project_root)
            if not allowed:
                self.log.warning("%s is no coder of %s (%s); add them with 'raakvlak coders --add %s'",
                                 username, project_root, SETTINGS_FILE, username)
            return allowed

    TeamAuthenticator.__name__ = f"Team{base.__name__}"
    return TeamAuthenticator


def prepare_workspace(project: Project | str | Path, folder: str | Path, coder: str) -> Path:
    """Copies of the project's notebooks for one member, in ``folder/<project folder name>``.

    Each copy's ``parameters`` cell points at the shared project (``project_path``) and
    at ``coder`` (``coder``). A notebook the member already has is left as it is (it
    holds their work); a project without notebooks gets a coding notebook. Returns the
    workspace folder.
    """
    import nbformat

    project = project if isinstance(project, Project) else Project(project)
    coder = project.check_coder(coder)
    workspace = Path(folder) / project.root.name
    workspace.mkdir(parents=True, exist_ok=True)
    sources = sorted(project.notebooks_dir.glob("*.ipynb")) if project.notebooks_dir.is_dir() else []
    made = {path.name: nbformat.read(path, as_version=4) for path in sources}
    if not made:
        made[CODING_NOTEBOOK] = _coding_notebook()
    for name, notebook in made.items():
        target = workspace / name
        if target.exists():
            continue
        for cell in notebook.cells:
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                cell.source = _set_parameters(cell.source, project.root, coder)
        nbformat.write(notebook, str(target))
    return workspace


def _set_parameters(source: str, root: Path, coder: str) -> str:
    lines = []
    for line in source.splitlines():
        name = line.split("=", 1)[0].strip() if "=" in line else ""
        if name == "project_path":
            line = f"project_path = {str(root)!r}  # the team's shared project"
        elif name == "coder":
            line = f"coder = {coder!r}  # your hub user name"
        lines.append(line)
    return "\n".join(lines)


def _coding_notebook() -> Any:
    import nbformat

    parameters = nbformat.v4.new_code_cell('project_path = ".."\ncoder = None')
    parameters.metadata["tags"] = ["parameters"]
    return nbformat.v4.new_notebook(metadata={"kernelspec": KERNEL}, cells=[
        nbformat.v4.new_markdown_cell("# Coding\n\nSelect words and click a code; the codes and "
                                      "documents of your team appear with *Refresh*."),
        parameters,
        nbformat.v4.new_code_cell("from raakvlak import Project\nfrom raakvlak.widgets import "
                                  "CodingWidget\n\nCodingWidget(Project(project_path), coder)"),
    ])


def share_with_team(root: str | Path) -> int | None:
    """In a team's folder, make what this process writes writable for the team's group.

    A team folder is group-owned with the setgid bit (``install.sh`` makes it so). There,
    the group bits of the umask are cleared, so the lock file, a new log or a cache file
    that an admin's ``raakvlak`` command makes (as root, umask 022) stays writable for the
    members. Returns the umask before (to restore), or None when ``root`` is no team
    folder and nothing changed.
    """
    try:
        mode = Path(root).stat().st_mode
    except OSError:
        return None
    if not mode & stat.S_ISGID:
        return None
    old = os.umask(0)
    os.umask(old & ~0o070)
    return old


def singleuser(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> None:
    """Start a member's Jupyter server on the hub (what ``python -m raakvlak.hub`` runs).

    Sets the team umask, prepares the member's workspace in the current folder (their
    home) from the project named by ``RAAKVLAK_PROJECT``, and replaces this process by
    ``jupyterhub-singleuser`` with ``argv``. Raises :class:`ProjectError` when the
    project variable is missing.
    """
    environ = os.environ if environ is None else environ
    root = environ.get(PROJECT_VARIABLE, "")
    if not root:
        raise ProjectError(f"{PROJECT_VARIABLE} is not set: the hub's configuration must name the "
                           "team's project folder (see deploy/jupyterhub/README.md)")
    os.umask(TEAM_UMASK)
    prepare_workspace(root, Path.cwd(), hub_coder(environ))
    program = Path(sys.executable).with_name("jupyterhub-singleuser")
    executable = str(program) if program.exists() else shutil.which("jupyterhub-singleuser")
    if executable is None:
        raise ProjectError("jupyterhub-singleuser not found: install raakvlak with its hub extra "
                           "(pip install 'raakvlak[hub]') in the hub's environment")
    os.execv(executable, [executable, *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":  # pragma: no cover - run by the hub for each member
    from raakvlak.errors import RaakvlakError

    try:
        singleuser()
    except RaakvlakError as exc:
        print(f"raakvlak: {exc}", file=sys.stderr)
        sys.exit(1)
