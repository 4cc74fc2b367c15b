"""Commands for a team: ``coders``, ``sync``."""

from __future__ import annotations

import argparse

from raakvlak.commands.registry import command, project_of


def _coders_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--add", action="append", metavar="NAME", help="a new coder id (repeatable)")


@command("coders", "list the project's coders, or add team members (--add NAME)", _coders_arguments)
def _coders(args: argparse.Namespace) -> int:
    project = project_of(args)
    for coder in args.add or []:
        project.add_coder(coder)
    print("\n".join(project.settings.coders))
    return 0


def _sync_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder", required=True, help="you: your own log is committed")
    p.add_argument("--remote", help="the remote for the first push (default: the upstream, else origin)")


@command("sync", "git: commit your log and the codebook, merge the others' work, push", _sync_arguments)
def _sync(args: argparse.Namespace) -> int:
    from raakvlak.sync import sync

    report = sync(project_of(args), args.coder, remote=args.remote)
    print("\n".join(report.lines()))
    return 0
