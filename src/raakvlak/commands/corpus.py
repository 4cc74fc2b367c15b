"""Commands that change the corpus: ``import``, ``remove``, ``replace``, ``pseudonymise``, ``names``, ``speakers``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from raakvlak.commands.registry import command, project_of
from raakvlak.options import name_value


def _import_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--id", help="document id (one file only)")
    p.add_argument("--kind", choices=["transcript", "notes", "survey", "text"])
    p.add_argument("--language", choices=["nl", "en"], help="default: detected per document")
    p.add_argument("--title")
    p.add_argument("--date", help="date of the session or notes, YYYY-MM-DD")
    p.add_argument("--allow-duplicate", action="store_true",
                   help="import a text that is already in the corpus (refused otherwise)")
    p.add_argument("--var", action="append", metavar="NAME=VALUE", help="a document variable (repeatable)")
    p.add_argument("--review", action="store_true",
                   help="print the whole review list of names found (it is always written to private/reviews/)")
    p.add_argument("--no-pseudonymise", action="store_true", help="import the text as it is (not advised)")


@command("import", "import files into the corpus (names found and pseudonymised by default)", _import_arguments)
def _import(args: argparse.Namespace) -> int:
    from raakvlak.corpus.commands import run_import

    return run_import(project_of(args), args)


def _remove_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("--force", action="store_true",
                   help="remove it although it has codings (they stay in the logs, listed as orphaned)")


@command("remove", "take a document out of the corpus (refused while it has codings)", _remove_arguments)
def _remove(args: argparse.Namespace) -> int:
    from raakvlak.corpus.commands import run_remove

    return run_remove(project_of(args), args)


def _replace_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--kind", choices=["transcript", "notes", "survey", "text"], help="default: the document's")
    p.add_argument("--language", choices=["nl", "en"], help="default: the document's")
    p.add_argument("--no-pseudonymise", action="store_true", help="import the text as it is (not advised)")


@command("replace", "give a document a new text from a file; its codings re-anchored or reported",
         _replace_arguments)
def _replace(args: argparse.Namespace) -> int:
    from raakvlak.corpus.commands import run_replace

    return run_replace(project_of(args), args)


def _pseudonymise_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("documents", nargs="*", metavar="DOC", help="default: every document")


@command("pseudonymise", "apply the key as it is now to documents in the corpus; codings carried exactly",
         _pseudonymise_arguments)
def _pseudonymise(args: argparse.Namespace) -> int:
    from raakvlak.corpus.commands import run_pseudonymise

    return run_pseudonymise(project_of(args), args)


def _names_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", nargs="?", choices=["list", "keep", "confirm"], default="list",
                   help="list (default): the names import found; keep: no name, take it back; "
                        "confirm: a name, replace it everywhere")
    p.add_argument("words", nargs="*", metavar="WORD")
    p.add_argument("--as", dest="pseudonym", metavar="PSEUDONYM", help="confirm: the pseudonym to give it")


@command("names", "the names import found: list them, keep a word that is no name, confirm a name",
         _names_arguments)
def _names(args: argparse.Namespace) -> int:
    from raakvlak.corpus.commands import run_names

    return run_names(project_of(args), args)


def _speakers_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", metavar="SPEAKER=ROLE",
                   help='set a role, e.g. --set "Docent 1=leerkracht" (repeatable)')
    p.add_argument("--document", action="append", metavar="ID", help="only this document (repeatable)")


@command("speakers", "list speakers and their roles, or set a role (speakers.csv)", _speakers_arguments)
def _speakers(args: argparse.Namespace) -> int:
    project = project_of(args)
    if args.set:
        for item in args.set:
            speaker, role = name_value(item, "--set", "SPEAKER=ROLE")
            with project.lock("speakers --set"):
                changed = project.corpus.store.set_role(speaker, role, args.document)
            print(f"role of {speaker!r} set to {role!r} in {changed} document(s)")
        return 0
    speakers = project.corpus.speakers
    if args.document:
        speakers = speakers[speakers["document_id"].isin(args.document)]
    sys.stdout.write(speakers.to_csv(index=False, lineterminator="\n"))
    return 0
