"""Commands that analyse: ``retrieve``, ``agreement``, ``themes``, ``suggest``, ``patterns``, ``reproduce``."""

from __future__ import annotations

import argparse
import sys

from raakvlak.commands.registry import command, project_of
from raakvlak.options import where_filter


def _retrieve_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("query", nargs="?", help="AND, OR, NOT, NEAR/n, (), and * for a code with its children")
    p.add_argument("--coders", help="only these coders, comma-separated")
    p.add_argument("--level", choices=["turn", "sentence"], default="turn")
    p.add_argument("--where", action="append", metavar="VARIABLE=VALUE[,VALUE]",
                   help="filter on a document, segment or speaker variable (repeatable)")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text")


@command("retrieve", 'coded quotes for a code query, e.g. "barrier.* AND NOT barrier.privacy"', _retrieve_arguments)
def _retrieve(args: argparse.Namespace) -> int:
    from raakvlak.analysis.retrieval import retrieve

    coders = args.coders.split(",") if args.coders else None
    quotes = retrieve(project_of(args), args.query, level=args.level, coders=coders, where=where_filter(args.where))
    if args.format == "csv":
        sys.stdout.write(quotes.to_csv(index=False, lineterminator="\n"))
    elif args.format == "json":
        print(quotes.to_json(orient="records", force_ascii=False, indent=1))
    else:
        for row in quotes.itertuples():
            who = f"{row.speaker} ({row.role})" if row.role else row.speaker
            print(f"{row.document_id} {row.start}-{row.end}  {row.code_id}  [{row.coder}]  {who}")
            print(f"    “{row.quote}”")
        print(f"{len(quotes)} quote(s)")
    return 0


def _agreement_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coders", required=True, help="two or more coder ids, comma-separated")
    p.add_argument("--level", choices=["turn", "sentence", "character"], default="turn")
    p.add_argument("--seen", choices=["coded-documents", "all"], default="coded-documents",
                   help="which documents count as seen by a coder (others are missing, not disagreement)")
    p.add_argument("--ci", action="store_true", help="bootstrap 95%% confidence interval for alpha")
    p.add_argument("--json", action="store_true")


@command("agreement", "intercoder agreement per code, marked against the project's thresholds", _agreement_arguments)
def _agreement(args: argparse.Namespace) -> int:
    from raakvlak.analysis.intercoder import agreement_report

    coders = [c.strip() for c in args.coders.split(",") if c.strip()]
    print(agreement_report(project_of(args), coders, level=args.level, as_json=args.json,
                           seen=args.seen, ci=args.ci), end="")
    return 0


def _themes_arguments(p: argparse.ArgumentParser) -> None:
    from raakvlak.themes.commands import add_arguments

    add_arguments(p)


@command("themes",
         "suggest recurring themes; `themes evaluate FILE.csv` scores them against labels",
         _themes_arguments)
def _themes(args: argparse.Namespace) -> int:
    from raakvlak.themes.commands import run

    return run(args)


def _suggest_arguments(p: argparse.ArgumentParser) -> None:
    from raakvlak.themes.commands import add_suggest_arguments

    add_suggest_arguments(p)


@command("suggest",
         "code suggestions learned from a coder's codings; `suggest evaluate FILE.csv` scores them",
         _suggest_arguments)
def _suggest(args: argparse.Namespace) -> int:
    from raakvlak.themes.commands import run_suggest

    return run_suggest(args)


def _patterns_arguments(p: argparse.ArgumentParser) -> None:
    from raakvlak.patterns.commands import add_arguments

    add_arguments(p)


@command("patterns",
         "recurring interaction patterns; `patterns records|suggest|report FILE`",
         _patterns_arguments)
def _patterns(args: argparse.Namespace) -> int:
    from raakvlak.patterns.commands import run

    return run(args)


def _reproduce_arguments(p: argparse.ArgumentParser) -> None:
    from raakvlak.reproduce import add_arguments

    add_arguments(p)


@command("reproduce",
         "run every notebook headless; write result tables, figures and a manifest, or --check one",
         _reproduce_arguments)
def _reproduce(args: argparse.Namespace) -> int:
    from raakvlak.reproduce import run

    return run(args)
