"""What the corpus commands do and print: ``import``, ``remove``, ``replace``,
``pseudonymise`` and ``names``.

``raakvlak.cli`` declares their options and calls these functions with the parsed
arguments; each returns the exit status. The work is done by the library
(:mod:`raakvlak.corpus.importer`, :mod:`raakvlak.corpus.editing`,
:mod:`raakvlak.corpus.decisions`), under the project's lock; this module only says
what was done. Heavy libraries are imported when a command runs, not when
``raakvlak --help`` builds the parser.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from raakvlak.options import name_value

if TYPE_CHECKING:
    from raakvlak.corpus.editing import DocumentChange
    from raakvlak.project import Project

NOT_ALL_IMPORTED = 3  # the exit status of an import that took some of what it was given


def not_taken(lines: list[str]) -> int:
    """List what an import could not take (on stderr); its exit status: 3 when anything."""
    if lines:
        print(f"raakvlak: {len(lines)} thing(s) could not be imported:", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
    return NOT_ALL_IMPORTED if lines else 0


def run_import(project: Project, args: argparse.Namespace) -> int:
    """``raakvlak import FILE...``: the import's messages, its replacements and review list."""
    from raakvlak.corpus.detection import review_lines
    from raakvlak.corpus.importer import import_files

    variables = dict(name_value(item, "--var") for item in args.var or [])
    report = import_files(
        project, args.files, document_id=args.id, kind=args.kind, language=args.language,
        pseudonymise=False if args.no_pseudonymise else None,
        variables=variables, title=args.title, date=args.date or "", allow_duplicate=args.allow_duplicate,
    )
    for message in report.messages:
        print(message)
    if report.replacements:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(report.replacements.items()) if v)
        print(f"pseudonymised: {counts or 'nothing to replace'}")
    for line in review_lines(report.review, report.review_file, None if args.review else 12):
        print(line)
    for warning in report.warnings:
        print(f"warning: {warning}")
    print(f"imported {len(report.document_ids)} document(s)")
    return not_taken(report.not_imported)


def _print_codings(change: DocumentChange) -> None:
    """One line per coding a change could not carry (kept as it was)."""
    for row in change.orphaned.itertuples(index=False):
        print(f"  ORPHANED {row.coder} {row.event_id} {row.code_id} {row.start}-{row.end} "
              f"“{row.quote[:50]}”: {row.how.removeprefix('orphaned: ')}")


def _carried(change: DocumentChange) -> str:
    moved = len(change.codings) - len(change.orphaned)
    return f"{moved} coding(s) carried" + (f", {len(change.orphaned)} orphaned" if len(change.orphaned) else "")


def run_remove(project: Project, args: argparse.Namespace) -> int:
    """``raakvlak remove DOC [--force]``."""
    from raakvlak.corpus.editing import remove_document

    report = remove_document(project, args.document, force=args.force)
    for row in report.orphaned.itertuples(index=False):
        print(f"  ORPHANED {row.coder} {row.event_id} {row.code_id} {row.start}-{row.end} “{row.quote[:50]}”")
    print(f"removed {report.document_id!r} (its text and rows copied to "
          f"{report.copy.relative_to(project.root).as_posix()}); {len(report.orphaned)} coding(s) on it "
          "are kept in the logs as orphaned" + (" (listed above)" if len(report.orphaned) else ""))
    return 0


def run_replace(project: Project, args: argparse.Namespace) -> int:
    """``raakvlak replace DOC FILE``: the import of the new text, then where its codings went."""
    from raakvlak.corpus.detection import review_lines
    from raakvlak.corpus.editing import replace_document

    report = replace_document(project, args.document, args.file, kind=args.kind, language=args.language,
                              pseudonymise=False if args.no_pseudonymise else None)
    for message in report.imported.messages:
        print(message)
    for line in review_lines(report.imported.review, report.imported.review_file):
        print(line)
    _print_codings(report.change)
    print(f"replaced the text of {args.document!r}; {_carried(report.change)}"
          + (" (listed above, kept as they were)" if len(report.change.orphaned) else ""))
    return 1 if len(report.change.orphaned) else 0


def run_pseudonymise(project: Project, args: argparse.Namespace) -> int:
    """``raakvlak pseudonymise [DOC...]``: per document, what changed and where codings went."""
    from raakvlak.corpus.editing import pseudonymise_documents

    changes = pseudonymise_documents(project, args.documents or None)
    return _print_changes(changes, "pseudonymised")


def _print_changes(changes: list[DocumentChange], verb: str) -> int:
    changed = [c for c in changes if c.replacements or len(c.codings)]
    for change in changed:
        print(f"{change.document_id}: {change.replacements} replacement(s), {_carried(change)}")
        _print_codings(change)
    print(f"{verb} {len(changes)} document(s); {len(changed)} changed")
    return 1 if any(len(c.orphaned) for c in changes) else 0


def run_names(project: Project, args: argparse.Namespace) -> int:
    """``raakvlak names [keep|confirm WORD...]``: the names import found, or a decision on them."""
    from raakvlak.errors import RaakvlakError

    if args.action == "list":
        if args.words or args.pseudonym:
            raise RaakvlakError("names: words are given with 'names keep WORD...' or 'names confirm WORD...'")
        return _list_names(project)
    if not args.words:
        raise RaakvlakError(f"names {args.action}: give one or more words")
    if args.pseudonym and args.action != "confirm":
        raise RaakvlakError("names: --as goes with 'names confirm'")
    from raakvlak.corpus.decisions import confirm_names, keep_names

    report = (keep_names(project, args.words) if args.action == "keep"
              else confirm_names(project, args.words, args.pseudonym))
    for line in report.lines:
        print(line)
    return _print_changes(report.changes, "changed") if report.changes else 0


def _list_names(project: Project) -> int:
    from raakvlak.corpus.detection import REVIEW_FOLDER, review_lists
    from raakvlak.corpus.key import PseudonymKey

    key = PseudonymKey(project.private_dir / "pseudonyms.csv")
    found = [(o, p) for o, p, kind in key.entries if kind == "detected"]
    kept = key.originals("keep")
    print(f"names import found and replaced (key kind 'detected'): {len(found)}")
    for original, pseudonym in found:
        print(f"  {original} -> {pseudonym}")
    print(f"words kept as no name (key kind 'keep'): {len(kept)}")
    if kept:
        print(f"  {', '.join(kept)}")
    reviews = review_lists(project.private_dir)
    latest = f" (latest: {reviews[-1].name})" if reviews else ""
    print(f"review lists: {len(reviews)} in private/{REVIEW_FOLDER}/{latest}")
    return 0
