"""The ``raakvlak`` command: one entry point, subcommands that call the library.

Every subcommand works from inside a project folder, or with ``--project DIR``.
Errors on bad input print one line, ``raakvlak: <message>``, and exit with status 1.
An import that could not take everything in its files lists what it left out and exits
with status 3.

Each subcommand is a handler in :mod:`raakvlak.commands` (one module per layer),
registered with :func:`~raakvlak.commands.registry.command` and its options declared by
the function beside it; :func:`build_parser` only walks the registry.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence

from raakvlak.commands import COMMANDS
from raakvlak.commands.registry import project_of
from raakvlak.errors import RaakvlakError, RaakvlakWarning


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``raakvlak`` and every registered subcommand."""
    parser = argparse.ArgumentParser(prog="raakvlak", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, spec in COMMANDS.items():
        p = sub.add_parser(name, help=spec.help, description=spec.help)
        if spec.project:
            p.add_argument("--project", metavar="DIR", help="the project folder (default: the one you are in)")
        if spec.arguments:
            spec.arguments(p)
    return parser


def _version() -> str:
    from raakvlak import __version__

    return f"raakvlak {__version__}"


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    """raakvlak's own warnings as one line on stderr; others as Python shows them."""
    if issubclass(category, RaakvlakWarning):
        print(f"raakvlak: warning: {message}", file=sys.stderr)
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _warn_private(args: argparse.Namespace) -> None:
    """Every command in a project says so when ``private/`` could end up in git."""
    if args.command == "init":
        return
    try:
        project = project_of(args)
    except RaakvlakError:
        return  # the command itself says what is wrong with the folder
    from raakvlak.private import private_warnings

    for warning in private_warnings(project.root):
        print(f"raakvlak: warning: {warning}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``raakvlak`` command; returns the exit status."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.jupyter_args = extra
    warnings.showwarning = _show_warning
    umask = _share_with_team(args)
    try:
        _warn_private(args)
        return COMMANDS[args.command].handler(args)
    except RaakvlakError as exc:
        print(f"raakvlak: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a read-only folder, a full disk: one line, not a traceback
        from raakvlak.errors import file_problem

        print(f"raakvlak: {file_problem(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("raakvlak: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    finally:
        if umask is not None:
            os.umask(umask)


def _share_with_team(args: argparse.Namespace) -> int | None:
    """In a team's shared folder, files the command makes stay writable for the team."""
    if args.command == "init":
        return None
    try:
        project = project_of(args)
    except RaakvlakError:
        return None
    from raakvlak.hub import share_with_team

    return share_with_team(project.root)


if __name__ == "__main__":
    sys.exit(main())
