"""Commands for the project itself: ``init``, ``status``, ``lab``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from raakvlak.commands.registry import command, print_json, project_of
from raakvlak.project import Project


def _init_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("directory", type=Path)
    p.add_argument("--name", help="project name (default: the folder name)")
    p.add_argument("--language", default="nl", choices=["nl", "en"])
    p.add_argument("--coders", help="coder ids, comma-separated (e.g. anna,bram); asked when not given")


@command("init", "make a new project folder with the numbered notebooks", _init_arguments, project=False)
def _init(args: argparse.Namespace) -> int:
    coders = args.coders if args.coders is not None else _ask_coders()
    project = Project.init(args.directory, name=args.name, language=args.language,
                           coders=[c.strip() for c in coders.split(",") if c.strip()] or None)
    listed = ", ".join(project.settings.coders) or "none yet (add them with --new-coder)"
    print(f"created project {project.name!r} in {args.directory}; coders: {listed}")
    print(f"notebooks: {', '.join(p.stem for p in sorted(project.notebooks_dir.glob('*.ipynb')))}")
    print(f"next: raakvlak import FILE... --project {args.directory}  (or notebook 01_corpus), "
          f"then raakvlak lab --project {args.directory}")
    return 0


def _ask_coders() -> str:
    """The coders, asked on a terminal (nothing asked when no one can answer)."""
    if not sys.stdin.isatty():
        return ""
    try:
        return input("Who will code in this project? Coder ids, comma-separated "
                     "(e.g. anna,bram; Enter: none yet): ")
    except EOFError:
        return ""


def _status_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")


@command("status", "documents, words, speakers, segments, coders and codings", _status_arguments)
def _status(args: argparse.Namespace) -> int:
    from raakvlak.status import project_status

    status = project_status(project_of(args))
    if args.json:
        print_json(status)
    else:
        width = max(len(k) for k in status)
        for key, value in status.items():
            print(f"{key:<{width}}  {value}")
    return 0


@command("lab", "open JupyterLab on the project's notebooks (other options go to jupyter lab)")
def _lab(args: argparse.Namespace) -> int:
    project = project_of(args)
    start = project.notebooks_dir / "00_tour.ipynb"
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={project.root}"]
    if start.exists():
        cmd.append(str(start.relative_to(project.root)))
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    cmd.extend(args.jupyter_args)
    return subprocess.call(cmd, cwd=project.root)
