"""Commands for coding: ``codebook``, ``code``, ``uncode``, ``codings``, ``log``, ``verify``, ``reanchor``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from raakvlak.commands.registry import codebook_of, command, project_of
from raakvlak.errors import RaakvlakError

NEW_CODER_HELP = "add --coder to the project's coders in raakvlak.toml (else a coder not listed is refused)"


def _codebook_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["check", "md", "xlsx", "docx"], default="check")
    p.add_argument("--output", type=Path, metavar="FILE")
    p.add_argument("--language", choices=["nl", "en"])


@command("codebook", "check the codebook, or write the coders' handbook", _codebook_arguments)
def _codebook(args: argparse.Namespace) -> int:
    from raakvlak.coding.handbook import handbook_docx, handbook_markdown, handbook_xlsx

    project = project_of(args)
    codebook = codebook_of(project)
    problems = codebook.problems
    if args.format == "check":
        print(f"{len(codebook)} codes, {len(problems)} problem(s)")
        return 1 if problems else 0
    if args.format == "md":
        text = handbook_markdown(codebook, language=args.language or project.language)
        if args.output:
            args.output.write_text(text, encoding="utf-8")
        else:
            print(text, end="")
        return 0
    if not args.output:
        raise RaakvlakError(f"--format {args.format} writes a file: give --output FILE.{args.format}")
    (handbook_xlsx if args.format == "xlsx" else handbook_docx)(codebook, args.output)
    print(f"wrote {args.output}")
    return 0


def _code_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder", required=True)
    p.add_argument("--new-coder", action="store_true", help=NEW_CODER_HELP)
    p.add_argument("document")
    p.add_argument("start", type=int)
    p.add_argument("end", type=int)
    p.add_argument("code_id")
    p.add_argument("--memo")


@command("code", "apply a code to a span (offsets: code points, end-exclusive)", _code_arguments)
def _code(args: argparse.Namespace) -> int:
    from raakvlak.coding.session import CodingSession

    event = CodingSession(project_of(args), args.coder, new_coder=args.new_coder).code(
        args.document, args.start, args.end, args.code_id, memo=args.memo
    )
    print(f"{event['id']}  {event['code_id']}  {event['document_id']} {event['start']}-{event['end']}  "
          f"“{event['quote'][:60]}”")
    return 0


def _uncode_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder", required=True)
    p.add_argument("--new-coder", action="store_true", help=NEW_CODER_HELP)
    p.add_argument("event_id")


@command("uncode", "withdraw a coding (or memo) by its event id", _uncode_arguments)
def _uncode(args: argparse.Namespace) -> int:
    from raakvlak.coding.session import CodingSession

    event = CodingSession(project_of(args), args.coder, new_coder=args.new_coder).uncode(args.event_id)
    print(f"{event['id']}  withdrew {args.event_id}")
    return 0


def _codings_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder")
    p.add_argument("--format", choices=["csv", "json"], default="csv")


@command("codings", "print the current codings", _codings_arguments)
def _codings(args: argparse.Namespace) -> int:
    from raakvlak.analysis.data import anchored

    project = project_of(args)
    state, problems = project.coding_state()
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    codings = state.codings
    if args.coder:
        codings = codings[codings["coder"] == args.coder]
    codings = anchored(project, codings, orphans="mark")
    if codings["orphaned"].any():
        print(f"raakvlak: warning: {int(codings['orphaned'].sum())} coding(s) are orphaned (column "
              "orphaned): their quote is no longer at their offsets; run `raakvlak reanchor`",
              file=sys.stderr)
    columns = ["document_id", "start", "end", "code_id", "coder", "quote", "origin", "event_id", "orphaned"]
    if args.format == "json":
        print(codings[columns].to_json(orient="records", force_ascii=False, indent=1))
    else:
        sys.stdout.write(codings[columns].to_csv(index=False, lineterminator="\n"))
    return 0


def _log_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder")
    p.add_argument("--since", metavar="DATE", help="YYYY-MM-DD (UTC)")


@command("log", "the audit trail: who did what, when", _log_arguments)
def _log(args: argparse.Namespace) -> int:

    state, problems = project_of(args).coding_state()
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    history = state.history
    if args.coder:
        history = history[history["coder"] == args.coder]
    if args.since:
        history = history[history["time"] >= args.since]
    for row in history.itertuples():
        withdrawn = "  (withdrawn)" if row.withdrawn else ""
        print(f"{row.time}  {row.coder:<10} {row.kind:<8} {row.origin:<10} {row.summary}{withdrawn}")
    return 0


@command("verify", "list documents changed since import and the codings that need re-anchoring")
def _verify(args: argparse.Namespace) -> int:
    from raakvlak.coding.reanchor import stale_codings

    project = project_of(args)
    changed = project.corpus.verify()
    stale = stale_codings(project)
    for row in changed.itertuples():
        print(f"document {row.document_id}: {row.problem}")
    for row in stale.itertuples():
        print(f"coding {row.event_id} ({row.coder}, {row.code_id}) on {row.document_id}: {row.problem}")
    print(f"{len(changed)} changed document(s), {len(stale)} coding(s) to re-anchor"
          + ("; run `raakvlak reanchor`" if len(stale) else ""))
    return 1 if len(changed) or len(stale) else 0


def _reanchor_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true")


@command("reanchor", "move codings onto changed documents; report what cannot be placed", _reanchor_arguments)
def _reanchor(args: argparse.Namespace) -> int:
    from raakvlak.coding.reanchor import reanchor

    report = reanchor(project_of(args), write=not args.dry_run)
    for row in report.itertuples():
        where = f"-> {row.new_start}-{row.new_end} ({row.method})" if row.method != "orphaned" else f"ORPHANED: {row.reason}"
        print(f"{row.coder:<10} {row.document_id} {row.start}-{row.end} {where}")
    placed = int((report["method"] != "orphaned").sum())
    orphans = len(report) - placed
    verb = "would move" if args.dry_run else "moved"
    print(f"{verb} {placed} coding(s); {orphans} orphaned (kept as they were, listed above)")
    return 1 if orphans else 0
