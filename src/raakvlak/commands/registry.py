"""The registry of ``raakvlak``'s subcommands: each registered with :func:`command`, beside
the function that declares its options."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass

from raakvlak.project import Project

Handler = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    """One subcommand: what it does (its help), its options and its handler."""

    help: str
    arguments: Arguments | None
    handler: Handler
    project: bool = True


COMMANDS: dict[str, Command] = {}
"""The subcommands in the order ``raakvlak --help`` lists them."""


def command(name: str, help: str, arguments: Arguments | None = None,  # noqa: A002
            project: bool = True) -> Callable[[Handler], Handler]:
    """Register ``name`` as a subcommand: its help line, its options and (decorated) its handler."""
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(help, arguments, handler, project)
        return handler

    return register


def project_of(args: argparse.Namespace) -> Project:
    """The project of a command: ``--project DIR``, else the folder the command runs in."""
    return Project.find(args.project) if args.project else Project.find()


def codebook_of(project: Project):  # noqa: ANN201
    """The project's codebook; what could not be read in it listed on stderr."""
    codebook = project.codebook
    for problem in codebook.problems:
        print(f"problem: {problem}", file=sys.stderr)
    return codebook


def print_json(data: object) -> None:
    """``data`` as indented JSON on stdout, non-ASCII kept."""
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


