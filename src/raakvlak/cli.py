"""The ``raakvlak`` command: one entry point, subcommands that call the library.

Every subcommand works from inside a project folder, or with ``--project DIR``.
Errors on bad input print one line, ``raakvlak: <message>``, and exit with status 1.
An import that could not take everything in its files lists what it left out and exits
with status 3.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

from raakvlak.errors import RaakvlakError, RaakvlakWarning
from raakvlak.project import Project

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
# the exit status of an import that took some of what it was given, not all (listed on stderr)
NOT_ALL_IMPORTED = 3
NEW_CODER_HELP = "add --coder to the project's coders in raakvlak.toml (else a coder not listed is refused)"


def command(name: str) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    def register(function: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = function
        return function

    return register


def _project(args: argparse.Namespace) -> Project:
    return Project.find(args.project) if args.project else Project.find()


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


# ---------------------------------------------------------------------- project
@command("init")
def _init(args: argparse.Namespace) -> int:
    project = Project.init(args.directory, name=args.name, language=args.language,
                           coders=args.coders.split(",") if args.coders else None)
    print(f"created project {project.name!r} in {args.directory}")
    print("next: raakvlak import FILE... --project " + str(args.directory))
    return 0


@command("status")
def _status(args: argparse.Namespace) -> int:
    from raakvlak.status import project_status

    status = project_status(_project(args))
    if args.json:
        _print_json(status)
    else:
        width = max(len(k) for k in status)
        for key, value in status.items():
            print(f"{key:<{width}}  {value}")
    return 0


@command("lab")
def _lab(args: argparse.Namespace) -> int:
    project = _project(args)
    start = project.notebooks_dir / "00_tour.ipynb"
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={project.root}"]
    if start.exists():
        cmd.append(str(start.relative_to(project.root)))
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    cmd.extend(args.jupyter_args)
    return subprocess.call(cmd, cwd=project.root)


# ---------------------------------------------------------------------- corpus
@command("import")
def _import(args: argparse.Namespace) -> int:
    from raakvlak.corpus.importer import import_files

    variables = {}
    for item in args.var or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise RaakvlakError(f"--var takes NAME=VALUE, not {item!r}")
        variables[key.strip()] = value.strip()
    report = import_files(
        _project(args), args.files, document_id=args.id, kind=args.kind, language=args.language,
        pseudonymise=False if args.no_pseudonymise else None, review=args.review,
        variables=variables, title=args.title, date=args.date or "",
    )
    for message in report.messages:
        print(message)
    if report.replacements:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(report.replacements.items()))
        print(f"pseudonymised: {counts}")
    if len(report.candidates):
        shown = ", ".join(report.candidates["word"].head(12))
        hint = "written to private/name-candidates.csv" if args.review else "use --review to list them in private/"
        print(f"{len(report.candidates)} possible names not in the key ({shown}{', ...' if len(report.candidates) > 12 else ''}); {hint}")
    for warning in report.warnings:
        print(f"warning: {warning}")
    print(f"imported {len(report.document_ids)} document(s)")
    return _not_taken(report.not_imported)


def _not_taken(lines: list[str]) -> int:
    """List what an import could not take (on stderr); its exit status: 3 when anything."""
    if lines:
        print(f"raakvlak: {len(lines)} thing(s) could not be imported:", file=sys.stderr)
        for line in lines:
            print(f"  {line}", file=sys.stderr)
    return NOT_ALL_IMPORTED if lines else 0


@command("speakers")
def _speakers(args: argparse.Namespace) -> int:
    project = _project(args)
    if args.set:
        for item in args.set:
            speaker, sep, role = item.partition("=")
            if not sep or not speaker.strip():
                raise RaakvlakError(f"--set takes SPEAKER=ROLE, not {item!r}")
            with project.lock("speakers --set"):
                changed = project.corpus.store.set_role(speaker.strip(), role.strip(), args.document)
            print(f"role of {speaker.strip()!r} set to {role.strip()!r} in {changed} document(s)")
        return 0
    speakers = project.corpus.speakers
    if args.document:
        speakers = speakers[speakers["document_id"].isin(args.document)]
    sys.stdout.write(speakers.to_csv(index=False, lineterminator="\n"))
    return 0


# ---------------------------------------------------------------------- coding
@command("codebook")
def _codebook(args: argparse.Namespace) -> int:
    from raakvlak.coding.handbook import handbook_docx, handbook_markdown, handbook_xlsx

    project = _project(args)
    codebook = project.codebook
    problems = codebook.problems
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
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


@command("code")
def _code(args: argparse.Namespace) -> int:
    from raakvlak.coding.session import CodingSession

    event = CodingSession(_project(args), args.coder, new_coder=args.new_coder).code(
        args.document, args.start, args.end, args.code_id, memo=args.memo
    )
    print(f"{event['id']}  {event['code_id']}  {event['document_id']} {event['start']}-{event['end']}  "
          f"“{event['quote'][:60]}”")
    return 0


@command("uncode")
def _uncode(args: argparse.Namespace) -> int:
    from raakvlak.coding.session import CodingSession

    event = CodingSession(_project(args), args.coder, new_coder=args.new_coder).uncode(args.event_id)
    print(f"{event['id']}  withdrew {args.event_id}")
    return 0


@command("codings")
def _codings(args: argparse.Namespace) -> int:
    from raakvlak.analysis.data import anchored

    project = _project(args)
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


@command("log")
def _log(args: argparse.Namespace) -> int:

    state, problems = _project(args).coding_state()
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


@command("verify")
def _verify(args: argparse.Namespace) -> int:
    from raakvlak.coding.reanchor import stale_codings

    project = _project(args)
    changed = project.corpus.verify()
    stale = stale_codings(project)
    for row in changed.itertuples():
        print(f"document {row.document_id}: {row.problem}")
    for row in stale.itertuples():
        print(f"coding {row.event_id} ({row.coder}, {row.code_id}) on {row.document_id}: {row.problem}")
    print(f"{len(changed)} changed document(s), {len(stale)} coding(s) to re-anchor"
          + ("; run `raakvlak reanchor`" if len(stale) else ""))
    return 1 if len(changed) or len(stale) else 0


@command("reanchor")
def _reanchor(args: argparse.Namespace) -> int:
    from raakvlak.coding.reanchor import reanchor

    report = reanchor(_project(args), write=not args.dry_run)
    for row in report.itertuples():
        where = f"-> {row.new_start}-{row.new_end} ({row.method})" if row.method != "orphaned" else f"ORPHANED: {row.reason}"
        print(f"{row.coder:<10} {row.document_id} {row.start}-{row.end} {where}")
    placed = int((report["method"] != "orphaned").sum())
    orphans = len(report) - placed
    verb = "would move" if args.dry_run else "moved"
    print(f"{verb} {placed} coding(s); {orphans} orphaned (kept as they were, listed above)")
    return 1 if orphans else 0


# ---------------------------------------------------------------------- analysis
@command("retrieve")
def _retrieve(args: argparse.Namespace) -> int:
    from raakvlak.analysis.retrieval import retrieve

    where = {}
    for item in args.where or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise RaakvlakError(f"--where takes VARIABLE=VALUE[,VALUE], not {item!r}")
        where[key.strip()] = [v.strip() for v in value.split(",")]
    coders = args.coders.split(",") if args.coders else None
    quotes = retrieve(_project(args), args.query, level=args.level, coders=coders, where=where)
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


@command("agreement")
def _agreement(args: argparse.Namespace) -> int:
    from raakvlak.analysis.intercoder import agreement_report

    coders = [c.strip() for c in args.coders.split(",") if c.strip()]
    print(agreement_report(_project(args), coders, level=args.level, as_json=args.json,
                           seen=args.seen, ci=args.ci), end="")
    return 0


# ---------------------------------------------------------------------- exchange
@command("export")
def _export(args: argparse.Namespace) -> int:
    from raakvlak import exchange
    from raakvlak.coding.codebook import Codebook
    from raakvlak.coding.handbook import handbook_docx

    project = _project(args)
    coders = args.coders.split(",") if args.coders else None
    if args.what == "qdpx":
        written = exchange.export_qdpx(project, args.file)
    elif args.what == "qdc":
        written = exchange.export_qdc(project, args.file)
    elif args.what == "quotes":
        written = exchange.write_quotes(project, args.file, coders=coders)
    elif args.what == "matrix":
        written = exchange.write_matrices(project, args.file, coders=coders)
    elif args.what == "report":
        written = exchange.write_report(project, args.file, coders=coders)
    else:
        written = handbook_docx(Codebook.load(project.codebook_path), args.file)
    print(f"wrote {written or args.file}")
    return 0


@command("import-qdpx")
def _import_qdpx(args: argparse.Namespace) -> int:
    from raakvlak.exchange import import_qdpx

    report = import_qdpx(_project(args), args.file,
                         pseudonymise=False if args.no_pseudonymise else None)
    print("\n".join(report.summary()))
    return _not_taken(report.unplaced_lines())


@command("import-qdc")
def _import_qdc(args: argparse.Namespace) -> int:
    from raakvlak.exchange import import_qdc

    print("\n".join(import_qdc(_project(args), args.file).summary()))
    return 0


@command("patterns")
def _patterns(args: argparse.Namespace) -> int:
    from raakvlak.patterns.commands import run

    return run(args)


@command("reproduce")
def _reproduce(args: argparse.Namespace) -> int:
    from raakvlak.reproduce import run

    return run(args)


@command("themes")
def _themes(args: argparse.Namespace) -> int:
    from raakvlak.themes.commands import run

    return run(args)


@command("coders")
def _coders(args: argparse.Namespace) -> int:
    project = _project(args)
    for coder in args.add or []:
        project.add_coder(coder)
    print("\n".join(project.settings.coders))
    return 0


@command("sync")
def _sync(args: argparse.Namespace) -> int:
    from raakvlak.sync import sync

    report = sync(_project(args), args.coder, remote=args.remote)
    print("\n".join(report.lines()))
    return 0


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="raakvlak", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, help_text: str, project: bool = True) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        if project:
            p.add_argument("--project", metavar="DIR", help="the project folder (default: the one you are in)")
        return p

    p = add("init", "make a new, empty project folder", project=False)
    p.add_argument("directory", type=Path)
    p.add_argument("--name", help="project name (default: the folder name)")
    p.add_argument("--language", default="nl", choices=["nl", "en"])
    p.add_argument("--coders", help="coder ids, comma-separated (e.g. anna,bram)")

    p = add("import", "import files into the corpus (pseudonymised by default)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--id", help="document id (one file only)")
    p.add_argument("--kind", choices=["transcript", "notes", "survey", "text"])
    p.add_argument("--language", choices=["nl", "en"])
    p.add_argument("--title")
    p.add_argument("--date", help="date of the session or notes, YYYY-MM-DD")
    p.add_argument("--var", action="append", metavar="NAME=VALUE", help="a document variable (repeatable)")
    p.add_argument("--review", action="store_true", help="write possible names to private/name-candidates.csv")
    p.add_argument("--no-pseudonymise", action="store_true", help="import the text as it is (not advised)")

    p = add("speakers", "list speakers and their roles, or set a role (speakers.csv)")
    p.add_argument("--set", action="append", metavar="SPEAKER=ROLE",
                   help='set a role, e.g. --set "Docent 1=leerkracht" (repeatable)')
    p.add_argument("--document", action="append", metavar="ID", help="only this document (repeatable)")

    p = add("status", "documents, words, speakers, segments, coders and codings")
    p.add_argument("--json", action="store_true")

    p = add("codebook", "check the codebook, or write the coders' handbook")
    p.add_argument("--format", choices=["check", "md", "xlsx", "docx"], default="check")
    p.add_argument("--output", type=Path, metavar="FILE")
    p.add_argument("--language", choices=["nl", "en"])

    p = add("code", "apply a code to a span (offsets: code points, end-exclusive)")
    p.add_argument("--coder", required=True)
    p.add_argument("--new-coder", action="store_true", help=NEW_CODER_HELP)
    p.add_argument("document")
    p.add_argument("start", type=int)
    p.add_argument("end", type=int)
    p.add_argument("code_id")
    p.add_argument("--memo")

    p = add("uncode", "withdraw a coding (or memo) by its event id")
    p.add_argument("--coder", required=True)
    p.add_argument("--new-coder", action="store_true", help=NEW_CODER_HELP)
    p.add_argument("event_id")

    p = add("codings", "print the current codings")
    p.add_argument("--coder")
    p.add_argument("--format", choices=["csv", "json"], default="csv")

    p = add("log", "the audit trail: who did what, when")
    p.add_argument("--coder")
    p.add_argument("--since", metavar="DATE", help="YYYY-MM-DD (UTC)")

    p = add("verify", "list documents changed since import and the codings that need re-anchoring")

    p = add("reanchor", "move codings onto changed documents; report what cannot be placed")
    p.add_argument("--dry-run", action="store_true")

    p = add("retrieve", "coded quotes for a code query, e.g. \"barrier.* AND NOT barrier.privacy\"")
    p.add_argument("query", nargs="?", help="AND, OR, NOT, NEAR/n, (), and * for a code with its children")
    p.add_argument("--coders", help="only these coders, comma-separated")
    p.add_argument("--level", choices=["turn", "sentence"], default="turn")
    p.add_argument("--where", action="append", metavar="VARIABLE=VALUE[,VALUE]",
                   help="filter on a document, segment or speaker variable (repeatable)")
    p.add_argument("--format", choices=["text", "csv", "json"], default="text")

    p = add("agreement", "intercoder agreement per code, marked against the project's thresholds")
    p.add_argument("--coders", required=True, help="two or more coder ids, comma-separated")
    p.add_argument("--level", choices=["turn", "sentence", "character"], default="turn")
    p.add_argument("--seen", choices=["coded-documents", "all"], default="coded-documents",
                   help="which documents count as seen by a coder (others are missing, not disagreement)")
    p.add_argument("--ci", action="store_true", help="bootstrap 95%% confidence interval for alpha")
    p.add_argument("--json", action="store_true")

    p = add("export", "REFI-QDA (qdpx, qdc), quote table, matrices, Word report or handbook")
    p.add_argument("what", choices=["qdpx", "qdc", "quotes", "matrix", "report", "handbook"])
    p.add_argument("file", type=Path, metavar="FILE",
                   help="quotes: .csv or .xlsx; matrix: .xlsx; report and handbook: .docx")
    p.add_argument("--coders", help="only these coders, comma-separated (quotes, matrix, report)")

    p = add("import-qdpx", "import a REFI-QDA project (ATLAS.ti, MAXQDA, NVivo, QualCoder)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--no-pseudonymise", action="store_true", help="import the texts as they are (not advised)")

    p = add("import-qdc", "add the codes of a REFI-QDA codebook (.qdc) to the codebook")
    p.add_argument("file", type=Path, metavar="FILE")

    p = add("patterns", "recurring interaction patterns; `patterns records|suggest|report FILE`")
    from raakvlak.patterns.commands import add_arguments as add_pattern_arguments

    add_pattern_arguments(p)

    p = add("themes", "suggest recurring themes; `themes evaluate FILE.csv` scores them against labels")
    from raakvlak.themes.commands import add_arguments as add_theme_arguments

    add_theme_arguments(p)

    p = add("reproduce", "run every notebook headless; write result tables, figures and a manifest, or --check one")
    from raakvlak.reproduce import add_arguments as add_reproduce_arguments

    add_reproduce_arguments(p)

    p = add("coders", "list the project's coders, or add team members (--add NAME)")
    p.add_argument("--add", action="append", metavar="NAME", help="a new coder id (repeatable)")

    p = add("sync", "git: commit your log and the codebook, merge the others' work, push")
    p.add_argument("--coder", required=True, help="you: your own log is committed")
    p.add_argument("--remote", help="the remote for the first push (default: the upstream, else origin)")

    add("lab", "open JupyterLab on the project's notebooks (other options go to jupyter lab)")
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
        project = _project(args)
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
        return COMMANDS[args.command](args)
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
        project = _project(args)
    except RaakvlakError:
        return None
    from raakvlak.hub import share_with_team

    return share_with_team(project.root)


if __name__ == "__main__":
    sys.exit(main())
