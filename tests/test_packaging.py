"""The project as a user meets it: one dependency list, a conda mirror, a core without Jupyter."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name_and_spec(requirement: str) -> tuple[str, str]:
    match = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match[1]).lower(), match[2].replace(" ", "")


def test_environment_yml_mirrors_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = dict(_name_and_spec(r) for r in pyproject["project"]["dependencies"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    listed: dict[str, str] = {}
    pip_lines: list[str] = []
    for item in env["dependencies"]:
        if isinstance(item, dict):
            pip_lines = item["pip"]
            continue
        name, spec = _name_and_spec(item)
        listed[name] = spec
    assert listed.pop("python") == ">=" + pyproject["project"]["requires-python"].lstrip(">=")
    assert listed.pop("pip") == ""
    assert "-e ." in pip_lines
    listed.update(_name_and_spec(line) for line in pip_lines if not line.startswith("-"))
    assert listed == wanted


def test_core_imports_without_jupyter():
    """Every core module imports with ipywidgets, anywidget and IPython blocked."""
    core = [
        "raakvlak", "raakvlak.project", "raakvlak.cli", "raakvlak.status",
        "raakvlak.corpus", "raakvlak.corpus.importer", "raakvlak.corpus.segments",
        "raakvlak.coding", "raakvlak.analysis", "raakvlak.themes", "raakvlak.themes.model",
        "raakvlak.exchange", "raakvlak.reproduce",
    ]
    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'ipywidgets', 'anywidget', 'IPython'}:\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for module in {core!r}:\n"
        "    __import__(module)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_gitignore_keeps_private_data_out():
    lines = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "private/" in lines
    assert ".raakvlak/" in lines
