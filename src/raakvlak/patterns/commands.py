"""The ``raakvlak patterns`` command: list the recurring patterns, suggest groupings, write the report.

``raakvlak patterns [--coder C] [--language nl|en] [--json]`` lists the patterns with
how often they occurred ("once is chance, twice is notable, three times is a
pattern"), their sessions, roles and follow-up, and any skipped log lines;
``raakvlak patterns records [--json]`` lists the records per site and document;
``raakvlak patterns suggest [--k N] [--json]`` prints a suggested grouping;
``raakvlak patterns report FILE.md|FILE.docx [--no-diagrams]`` writes the report (with
a loop diagram per pattern). :func:`add_arguments` fills the ``patterns`` parser,
:func:`run` carries out the command.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

# light imports only: `raakvlak --help` builds this parser; the work imports lazily


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options and subcommands of ``raakvlak patterns`` to ``parser``."""
    parser.add_argument("--coder", metavar="C", help="only this coder's records (default: all coders)")
    parser.add_argument("--language", choices=["nl", "en"], help="labels and report language "
                        "(default: the project's)")
    parser.add_argument("--json", action="store_true")
    sub = parser.add_subparsers(dest="patterns_command", metavar="records|suggest|report")
    records = sub.add_parser("records", help="list the pattern records per site and document")
    records.add_argument("--json", action="store_true")
    suggest = sub.add_parser("suggest", help="suggest a grouping of the records into patterns")
    suggest.add_argument("--k", type=int, metavar="N", help="number of patterns (default: by silhouette)")
    suggest.add_argument("--json", action="store_true")
    report = sub.add_parser("report", help="write the pattern report (.md or .docx)")
    report.add_argument("file", type=Path, metavar="FILE.md|FILE.docx")
    report.add_argument("--no-diagrams", action="store_true", help="leave out the loop diagrams")


def run(args: argparse.Namespace) -> int:
    """Carry out ``raakvlak patterns`` and its subcommands; returns the exit status."""
    import sys

    from raakvlak.patterns.grouping import (
        linked_codes,
        pattern_table,
        records_table,
        suggest_patterns,
    )
    from raakvlak.patterns.state import load_records, resolve_links
    from raakvlak.project import Project

    project = Project.find(args.project) if getattr(args, "project", None) else Project.find()
    language = getattr(args, "language", None) or project.language
    state = load_records(project)
    for problem in state.problems:
        print(f"warning: {problem}", file=sys.stderr)
    live = [r for r in state.live() if not args.coder or r.coder == args.coder]
    command = getattr(args, "patterns_command", None)
    if command == "report":
        from raakvlak.patterns.report import write_pattern_report

        written = write_pattern_report(live, args.file, resolve_links(project, live), language,
                                       diagrams=not args.no_diagrams)
        print(f"wrote {written} ({len(live)} records)")
        return 0
    if command == "records":
        table = records_table(live)
        if args.json:
            print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2))
        else:
            for site, group in table.groupby("site", sort=True):
                print(f"{site or '-'}:")
                for row in group.itertuples():
                    print(f"  {row.date} {row.document_id}: {row.title} [{row.pattern or 'no pattern'}] "
                          f"{row.steps_written}/8 steps, {row.links} links ({row.coder})")
        return 0
    if command == "suggest":
        table = suggest_patterns(live, n_patterns=args.k, language=language,
                                 linked_codes=linked_codes(resolve_links(project, live)))
        if args.json:
            print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2))
        else:
            for number, group in table.groupby("suggested", sort=True):
                name = group["suggested_name"].iloc[0] or "(no text or codes)"
                print(f"{number + 1 if number >= 0 else '-'}. {name}")
                for row in group.itertuples():
                    print(f"   {row.document_id}: {row.title} [{row.pattern or 'no pattern'}]")
        return 0
    table = pattern_table(live, language=language)
    if args.json:
        rows = table.to_dict(orient="records")
        for row in rows:
            for key, value in row.items():
                if isinstance(value, tuple):
                    row[key] = list(value)
                elif hasattr(value, "item"):
                    row[key] = value.item()
        print(json.dumps({"records": len(live), "patterns": rows}, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(table)} patterns in {len(live)} records")
    for row in table.itertuples():
        print(f"\n{row.pattern}\n   {row.occurrences}x ({row.label}): {', '.join(row.sessions)}")
        print(f"   roles: {', '.join(row.roles) or '-'}")
        print(f"   follow-up: {row.followed_up_yes} yes, {row.followed_up_no} no, "
              f"{row.followed_up_unknown} unknown")
    return 0
