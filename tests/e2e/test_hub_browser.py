"""Two coders on one JupyterHub at the same time: nothing lost, each sees the other's work.

Starts a real JupyterHub with its proxy (configurable-http-proxy from the npm registry,
installed by ``./run setup``) on free local ports, with the team configuration of
``deploy/jupyterhub/`` in its local mode: the shared password authenticator lets in the
project's coders, each member's server runs in a home folder of its own. Two browser
contexts log in as ``anna`` and ``bram``; both code the same document, 20 codings each,
interleaved, in a widget opened without blind mode beside the other coder. Both logs
must hold every coding, and after *Refresh* each widget must show all of the other's.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from raakvlak import Project
from raakvlak.coding.log import read_log

from .browser import ARTIFACTS, KERNEL_READY, RUN_ALL, STARTED, drag, phrase_box, wait_or_explain
from .conftest import NOT_COPIED, ROOT, _free_port, _settings_dir

pytestmark = [pytest.mark.e2e, pytest.mark.hub, pytest.mark.timeout(240)]

CONFIG = ROOT / "deploy" / "jupyterhub" / "jupyterhub_config.py"
PROXY = Path(sys.prefix) / "node_modules" / ".bin" / "configurable-http-proxy"
DOCUMENT = "workshop-verhalen"
CODES = {"anna": "barrier.regie", "bram": "barrier.beschikking"}
ROUNDS = 20
PASSWORD = secrets.token_hex(8)

# the event ids shown in the compared coder's column
OTHER_IDS = """() => Array.from(document.querySelectorAll('.rv-other .rv-c'))
    .flatMap((el) => el.dataset.c.split(' '))"""


def _wait_for_hub(url: str, process: subprocess.Popen, log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}hub/api/", timeout=2):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("JupyterHub did not start:\n" + log.read_text(errors="replace")[-4000:])
            time.sleep(0.3)


@pytest.fixture
def hub(tmp_path, browser):
    """A JupyterHub (and its proxy) serving a copy of the example project to anna and bram."""
    if not PROXY.exists():
        pytest.fail(f"no {PROXY.name} in the environment: run ./run setup (it installs the proxy "
                    "pinned in deploy/jupyterhub/package-lock.json with npm)")
    project = tmp_path / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(*NOT_COPIED, "src", "tests", "deploy"))
    state, homes = tmp_path / "hub", tmp_path / "homes"
    state.mkdir()
    # only for the test: JupyterLab's app object in the page (for the bounded waits), and
    # the team notebook opened after login instead of the project's coding notebook
    (state / "test_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"load_subconfig({str(CONFIG)!r})  # noqa: F821\n"
        "c.Spawner.args.extend(['--LabApp.expose_app_in_browser=True', '--LabApp.news_url=None'])\n"
        "c.Spawner.default_url = '/lab/tree/team.ipynb'\n",
        encoding="utf-8")
    port = _free_port()
    env = {**os.environ, "RAAKVLAK_PROJECT": str(project), "RAAKVLAK_HUB_MODE": "local",
           "RAAKVLAK_HUB_PASSWORD": PASSWORD, "RAAKVLAK_HUB_HOMES": str(homes),
           "RAAKVLAK_HUB_PORT": str(port), "RAAKVLAK_HUB_API_PORT": str(_free_port()),
           "RAAKVLAK_HUB_PROXY_API_PORT": str(_free_port()),
           "JUPYTERLAB_SETTINGS_DIR": str(_settings_dir(tmp_path / "lab-settings")),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces")}
    log = tmp_path / "jupyterhub.log"
    with log.open("wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", "test_config.py"],
                                   cwd=state, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_hub(url, process, log, 60)
        yield url, Project(project), homes, log
    finally:
        process.send_signal(signal.SIGTERM)  # the hub stops the members' servers and the proxy
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(ProcessLookupError):  # what is left of its group (a proxy ...)
            os.killpg(process.pid, signal.SIGKILL)


def choose_phrases(project: Project, count: int) -> list[str]:
    """Three-word phrases from different lines of the document, each found once in its
    text and outside every coding the example coders already made there."""
    text = project.corpus.text(DOCUMENT)
    state, _ = project.coding_state()
    codings = state.codings[state.codings["document_id"] == DOCUMENT]
    taken = [(int(s), int(e)) for s, e in zip(codings["start"], codings["end"], strict=True)]
    phrases = []
    for line in text.splitlines():
        words = line.partition(": ")[2].split() or line.split()
        for at in range(2, len(words) - 3, 4):
            phrase = " ".join(words[at:at + 3])
            start = text.find(phrase)
            if (text.count(phrase) == 1 and phrase.isprintable() and len(phrase) >= 10
                    and not any(s < start + len(phrase) and start < e for s, e in taken)):
                phrases.append(phrase)
                break
    assert len(phrases) >= count, f"only {len(phrases)} usable phrases in {DOCUMENT}"
    return phrases[:count]


def team_notebook(home: Path, project: Project, other: str) -> None:
    """The notebook a member opens: the coding widget beside ``other``'s codings, the coder
    left to the hub (JUPYTERHUB_USER)."""
    source = ("from raakvlak import Project\nfrom raakvlak.widgets import CodingWidget\n\n"
              f"coding = CodingWidget(Project({str(project.root)!r}), blind=False, document={DOCUMENT!r})\n"
              f"coding.compare_with({other!r})\ncoding")
    home.mkdir(parents=True, exist_ok=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                       "language": "python"}
    nbformat.write(notebook, str(home / "team.ipynb"))


def log_in(browser, url: str, user: str):
    """A browser context of its own (its own cookies) logged in to the hub as ``user``, on
    the way to the team notebook (the hub starts the member's server first)."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}hub/login", timeout=30_000)
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login_submit")
    return page


def open_team_notebook(page, user: str) -> None:
    # the hub started the member's server and sent the page on to it
    page.wait_for_url(re.compile(rf"^http://[^/]+/user/{user}/lab/tree/team\.ipynb"), timeout=90_000)
    wait_or_explain(page, KERNEL_READY, "team.ipynb", 90_000, f"{user}: kernel not ready")
    page.evaluate(RUN_ALL)
    wait_or_explain(page, STARTED, None, 30_000, f"{user}: Run All sent, no cell started")
    page.locator(".rv-pane .rv-turn").first.wait_for(timeout=60_000)


def code(page, phrase: str, code_id: str) -> None:
    drag(page, phrase_box(page, ".rv-pane", phrase))
    page.locator(".rv-selected q").wait_for(timeout=5_000)
    page.locator(f'.rv-tree .rv-code[data-code="{code_id}"]').click()
    # the kernel answers with the pane re-rendered: the next phrase is found after that
    page.locator(".rv-pane .rv-c").filter(has_text=phrase).first.wait_for(timeout=10_000)


def codings_in_log(project: Project, coder: str, before: int) -> list[dict]:
    read = read_log(project.logs_dir / f"{coder}.jsonl", coder)
    assert not read.problems, [str(p) for p in read.problems]  # no torn or mixed lines
    return read.events[before:]


def wait_for_codings(project: Project, before: dict[str, int], count: int) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if all(len(codings_in_log(project, c, before[c])) >= count for c in CODES):
            return
        time.sleep(0.1)
    found = {c: len(codings_in_log(project, c, before[c])) for c in CODES}
    raise AssertionError(f"after 20 s the logs hold {found} new codings, not {count} each")


def test_two_coders_on_one_hub_code_one_document_at_once(hub, browser):
    url, project, homes, log = hub
    ARTIFACTS.mkdir(exist_ok=True)
    phrases = choose_phrases(project, ROUNDS)
    before = {c: len(project.log(c).read().events) for c in CODES}
    for user, other in (("anna", "bram"), ("bram", "anna")):
        team_notebook(homes / user, project, other)
    pages = {}
    started = time.monotonic()
    try:
        for user in CODES:
            pages[user] = log_in(browser, url, user)
        for user, page in pages.items():
            open_team_notebook(page, user)
            # the hub prepared the member's own notebooks, pointing at the shared project
            copy = nbformat.read(homes / user / project.root.name / "02_coding.ipynb", as_version=4)
            assert f"coder = {user!r}" in copy.cells[1].source

        ready = time.monotonic()
        for number, phrase in enumerate(phrases, start=1):
            for user, page in pages.items():  # one each, without waiting for the other
                code(page, phrase, CODES[user])
            wait_for_codings(project, before, number)

        coded = time.monotonic()
        for user, other in (("anna", "bram"), ("bram", "anna")):
            events = codings_in_log(project, user, before[user])
            assert [e["quote"] for e in events] == phrases
            assert {(e["kind"], e["code_id"], e["coder"]) for e in events} == {("code", CODES[user], user)}
            theirs = {e["id"] for e in codings_in_log(project, other, before[other])}
            page = pages[user]
            page.get_by_role("button", name="↻ Refresh").click()
            page.wait_for_function(f"() => {OTHER_IDS}().length > 0", timeout=10_000)
            page.wait_for_function(f"(ids) => {{ const shown = new Set(({OTHER_IDS})()); "
                                   "return ids.every((id) => shown.has(id)); }",
                                   arg=sorted(theirs), timeout=10_000)
        pages["anna"].locator(".rv-root").screenshot(path=str(ARTIFACTS / "hub-two-coders.png"))
        print(f"\nlog in, start servers and widgets: {ready - started:.1f} s; {2 * ROUNDS} codings: "
              f"{coded - ready:.1f} s; refresh and check: {time.monotonic() - coded:.1f} s")
    except Exception:
        for user, page in pages.items():
            page.screenshot(path=str(ARTIFACTS / f"hub-{user}-failure.png"))
        print(log.read_text(errors="replace")[-3000:])
        raise
    finally:
        for page in pages.values():
            page.context.close()
