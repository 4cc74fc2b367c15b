"""A JupyterLab server on a copy of the example project, for the browser tests.

The browser tests need Debian's chromium (``/usr/bin/chromium``) and Playwright for
Python; without them they are skipped. The server runs headless on a free local port
with a random token, on a copy of the repository (the example project), so the tests
never touch the real coding logs. JupyterLab's settings live in a temporary folder
that turns off the "news" notification, which would otherwise cover the page.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
NOT_COPIED = (".venv", ".git", ".raakvlak", "test-artifacts", "__pycache__", ".pytest_cache",
              ".ruff_cache", ".hypothesis", ".ipynb_checkpoints", "private", "*.egg-info")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


@dataclass
class Lab:
    """A running JupyterLab: where it serves, its token and the project copy it serves."""

    url: str
    token: str
    root: Path
    log: Path

    def notebook_url(self, path: str) -> str:
        return f"{self.url}lab/tree/{path}?token={self.token}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _settings_dir(folder: Path) -> Path:
    plugin = folder / "@jupyterlab" / "apputils-extension"
    plugin.mkdir(parents=True)
    (plugin / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    return folder


@pytest.fixture
def browser():
    """Headless Debian chromium driven by Playwright (skips when either is absent).

    A new browser for every test: pages left by one scenario cannot hold up the next."""
    if not CHROMIUM.exists():
        pytest.skip("the browser tests need /usr/bin/chromium (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def serve_lab(root: Path, scratch: Path) -> Iterator[Lab]:
    """JupyterLab serving the project at ``root`` (its settings, workspaces, runtime files
    and log in ``scratch``) until the ``with`` block ends; also used by benchmarks/.

    Raises
    ------
    RuntimeError
        When JupyterLab does not answer within 30 s.
    """
    token, port = secrets.token_hex(16), _free_port()
    env = {**os.environ,
           "JUPYTERLAB_SETTINGS_DIR": str(_settings_dir(scratch / "lab-settings")),
           "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "lab-workspaces"),
           "JUPYTER_RUNTIME_DIR": str(scratch / "runtime")}
    log = scratch / "jupyterlab.log"
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root",
               f"--ServerApp.token={token}", f"--ServerApp.port={port}",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={root}",
               "--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}api/status?token={token}", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start:\n"
                                       + log.read_text(errors="replace")[-3000:]) from None
                time.sleep(0.3)
        yield Lab(url=url, token=token, root=root, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def copy_project(folder: Path) -> Path:
    """A copy of the repository (the example project) in ``folder``, without the
    virtual environment, git and caches."""
    shutil.copytree(ROOT, folder, ignore=shutil.ignore_patterns(*NOT_COPIED))
    return folder


@pytest.fixture
def lab(tmp_path, browser):
    """JupyterLab serving a copy of the example project (started after the browser check)."""
    with serve_lab(copy_project(tmp_path / "project"), tmp_path) as served:
        yield served
