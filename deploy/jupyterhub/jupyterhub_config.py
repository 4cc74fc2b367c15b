"""JupyterHub for a raakvlak team: one server, one shared project, a Jupyter server per member.

Start it with ``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` in the folder
where the hub may keep its state (its database and cookie secret), with these
variables set (see README.md beside this file):

RAAKVLAK_PROJECT       the team's project folder (required); its raakvlak.toml lists
                       who may log in (the coders; `raakvlak coders --add NAME`)
RAAKVLAK_HUB_MODE      `server` (default): members are the server's own users (PAM,
                       or the institution's authenticator), each server runs as that
                       user; `local`: a test on one machine, every member a folder of
                       RAAKVLAK_HUB_HOMES and one shared password, servers run as the
                       user who starts the hub (never for real data)
RAAKVLAK_HUB_AUTHENTICATOR   server mode: the authenticator's entry-point name, e.g.
                       `generic-oauth` from the oauthenticator package (default `pam`)
RAAKVLAK_HUB_PASSWORD  local mode: the shared password (8 characters or more)
RAAKVLAK_HUB_HOMES     local mode: the folder that holds a folder per member
RAAKVLAK_HUB_IP, RAAKVLAK_HUB_PORT   where the hub listens (default 127.0.0.1:8000;
                       put a TLS-terminating web server in front of it)
RAAKVLAK_HUB_API_PORT, RAAKVLAK_HUB_PROXY_API_PORT   the hub's and the proxy's own
                       ports on 127.0.0.1 (default 8081 and 8001)

The configuration is read by JupyterHub, which provides ``get_config``.
"""

import os
import sys
from importlib.metadata import entry_points
from pathlib import Path

from raakvlak.hub import CODING_NOTEBOOK, PROJECT_VARIABLE, team_authenticator
from raakvlak.project import Project

c = get_config()  # noqa: F821 - provided by JupyterHub when it reads this file


def _setting(name, default=None):
    value = os.environ.get(name, default)
    if value is None:
        sys.exit(f"raakvlak hub: set {name} (see deploy/jupyterhub/README.md)")
    return value


project = Project(_setting(PROJECT_VARIABLE))  # refuses a folder that is no raakvlak project
mode = _setting("RAAKVLAK_HUB_MODE", "server")
state = Path.cwd()

c.JupyterHub.bind_url = (f"http://{_setting('RAAKVLAK_HUB_IP', '127.0.0.1')}:"
                         f"{int(_setting('RAAKVLAK_HUB_PORT', '8000'))}")
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_setting("RAAKVLAK_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(_setting('RAAKVLAK_HUB_PROXY_API_PORT', '8001'))}"
c.ConfigurableHTTPProxy.pid_file = str(state / "jupyterhub-proxy.pid")
# the proxy from the npm registry, installed next to the hub's Python (`./run setup` or
# install.sh); else the one on PATH
proxy = Path(sys.prefix) / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(proxy) if proxy.exists() else "configurable-http-proxy"]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")

# every member's server: the team umask, a workspace with their own notebooks, then
# jupyterhub-singleuser (raakvlak.hub.singleuser); it opens their coding notebook
c.Spawner.cmd = [sys.executable, "-m", "raakvlak.hub"]
c.Spawner.environment = {PROJECT_VARIABLE: str(project.root)}
c.Spawner.default_url = f"/lab/tree/{project.root.name}/{CODING_NOTEBOOK}"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

if mode == "local":
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator

    c.JupyterHub.authenticator_class = team_authenticator(SharedPasswordAuthenticator, project.root)
    c.SharedPasswordAuthenticator.user_password = _setting("RAAKVLAK_HUB_PASSWORD")
    c.JupyterHub.spawner_class = "simple"  # servers as this OS user, one home folder per member
    c.SimpleLocalProcessSpawner.home_dir_template = str(Path(_setting("RAAKVLAK_HUB_HOMES")).resolve() / "{username}")
    for name in ("JUPYTERLAB_SETTINGS_DIR", "JUPYTERLAB_WORKSPACES_DIR"):
        if name in os.environ:
            c.Spawner.environment[name] = os.environ[name]
    if os.geteuid() == 0:  # a test machine or CI running as root
        c.Spawner.args = ["--allow-root"]
elif mode == "server":
    name = _setting("RAAKVLAK_HUB_AUTHENTICATOR", "pam")
    found = entry_points(group="jupyterhub.authenticators", name=name)
    if not found:
        sys.exit(f"raakvlak hub: no authenticator {name!r} is installed (RAAKVLAK_HUB_AUTHENTICATOR); "
                 "install its package in the hub's environment")
    base = next(iter(found)).load()
    c.JupyterHub.authenticator_class = team_authenticator(base, project.root)
    c.JupyterHub.spawner_class = "localprocess"  # each server runs as its member's own OS user
else:
    sys.exit(f"raakvlak hub: RAAKVLAK_HUB_MODE must be 'server' or 'local', not {mode!r}")
