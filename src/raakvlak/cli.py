"""The ``raakvlak`` command: one entry point, subcommands that call the library.

Every subcommand works from inside a project folder, or with ``--project DIR``.
Errors on bad input print one line, ``raakvlak: <message>``, and exit with status 1.
An import that could not take everything in its files lists what it left out and exits
with status 3.

Each subcommand is a handler registered with :func:`command`, its options declared by
the function beside it; :func:`build_parser` only walks the registry.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from raakvlak.errors import RaakvlakError, RaakvlakWarning
from raakvlak.options import name_value, where_filter
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
NEW_CODER_HELP = "add --coder to the project's coders in raakvlak.toml (else a coder not listed is refused)"


def command(name: str, help: str, arguments: Arguments | None = None,  # noqa: A002
            project: bool = True) -> Callable[[Handler], Handler]:
    """Register ``name`` as a subcommand: its help line, its options and (decorated) its handler."""
    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(help, arguments, handler, project)
        return handler

    return register


def _project(args: argparse.Namespace) -> Project:
    return Project.find(args.project) if args.project else Project.find()


def _codebook_of(project: Project):  # noqa: ANN202
    """The project's codebook; what could not be read in it listed on stderr."""
    codebook = project.codebook
    for problem in codebook.problems:
        print(f"problem: {problem}", file=sys.stderr)
    return codebook


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


# ---------------------------------------------------------------------- project
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

    status = project_status(_project(args))
    if args.json:
        _print_json(status)
    else:
        width = max(len(k) for k in status)
        for key, value in status.items():
            print(f"{key:<{width}}  {value}")
    return 0


@command("lab", "open JupyterLab on the project's notebooks (other options go to jupyter lab)")
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

    return run_import(_project(args), args)


def _remove_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("document", metavar="DOC")
    p.add_argument("--force", action="store_true",
                   help="remove it although it has codings (they stay in the logs, listed as orphaned)")


@command("remove", "take a document out of the corpus (refused while it has codings)", _remove_arguments)
def _remove(args: argparse.Namespace) -> int:
    from raakvlak.corpus.commands import run_remove

    return run_remove(_project(args), args)


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

    return run_replace(_project(args), args)


def _pseudonymise_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("documents", nargs="*", metavar="DOC", help="default: every document")


@command("pseudonymise", "apply the key as it is now to documents in the corpus; codings carried exactly",
         _pseudonymise_arguments)
def _pseudonymise(args: argparse.Namespace) -> int:
    from raakvlak.corpus.commands import run_pseudonymise

    return run_pseudonymise(_project(args), args)


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

    return run_names(_project(args), args)


def _speakers_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--set", action="append", metavar="SPEAKER=ROLE",
                   help='set a role, e.g. --set "Docent 1=leerkracht" (repeatable)')
    p.add_argument("--document", action="append", metavar="ID", help="only this document (repeatable)")


@command("speakers", "list speakers and their roles, or set a role (speakers.csv)", _speakers_arguments)
def _speakers(args: argparse.Namespace) -> int:
    project = _project(args)
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


# ---------------------------------------------------------------------- coding
def _codebook_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=["check", "md", "xlsx", "docx"], default="check")
    p.add_argument("--output", type=Path, metavar="FILE")
    p.add_argument("--language", choices=["nl", "en"])


@command("codebook", "check the codebook, or write the coders' handbook", _codebook_arguments)
def _codebook(args: argparse.Namespace) -> int:
    from raakvlak.coding.handbook import handbook_docx, handbook_markdown, handbook_xlsx

    project = _project(args)
    codebook = _codebook_of(project)
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

    event = CodingSession(_project(args), args.coder, new_coder=args.new_coder).code(
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

    event = CodingSession(_project(args), args.coder, new_coder=args.new_coder).uncode(args.event_id)
    print(f"{event['id']}  withdrew {args.event_id}")
    return 0


def _codings_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder")
    p.add_argument("--format", choices=["csv", "json"], default="csv")


@command("codings", "print the current codings", _codings_arguments)
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


def _log_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--coder")
    p.add_argument("--since", metavar="DATE", help="YYYY-MM-DD (UTC)")


@command("log", "the audit trail: who did what, when", _log_arguments)
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


@command("verify", "list documents changed since import and the codings that need re-anchoring")
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


def _reanchor_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dry-run", action="store_true")


@command("reanchor", "move codings onto changed documents; report what cannot be placed", _reanchor_arguments)
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
    quotes = retrieve(_project(args), args.query, level=args.level, coders=coders, where=where_filter(args.where))
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
    print(agreement_report(_project(args), coders, level=args.level, as_json=args.json,
                           seen=args.seen, ci=args.ci), end="")
    return 0


# ---------------------------------------------------------------------- exchange
def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["qdpx", "qdc", "quotes", "matrix", "report", "handbook"])
    p.add_argument("file", type=Path, metavar="FILE",
                   help="quotes: .csv or .xlsx; matrix: .xlsx; report and handbook: .docx")
    p.add_argument("--coders", help="only these coders, comma-separated (quotes, matrix, report)")


@command("export", "REFI-QDA (qdpx, qdc), quote table, matrices, Word report or handbook", _export_arguments)
def _export(args: argparse.Namespace) -> int:
    from raakvlak import exchange
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
        written = handbook_docx(_codebook_of(project), args.file)
    print(f"wrote {written or args.file}")
    return 0


def _import_qdpx_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--no-pseudonymise", action="store_true", help="import the texts as they are (not advised)")


@command("import-qdpx", "import a REFI-QDA project (ATLAS.ti, MAXQDA, NVivo, QualCoder)", _import_qdpx_arguments)
def _import_qdpx(args: argparse.Namespace) -> int:
    from raakvlak.exchange import import_qdpx

    report = import_qdpx(_project(args), args.file,
                         pseudonymise=False if args.no_pseudonymise else None)
    print("\n".join(report.summary()))
    from raakvlak.corpus.commands import not_taken

    return not_taken(report.unplaced_lines())


def _import_qdc_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE")


@command("import-qdc", "add the codes of a REFI-QDA codebook (.qdc) to the codebook", _import_qdc_arguments)
def _import_qdc(args: argparse.Namespace) -> int:
    from raakvlak.exchange import import_qdc

    print("\n".join(import_qdc(_project(args), args.file).summary()))
    return 0


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


def _themes_arguments(p: argparse.ArgumentParser) -> None:
    from raakvlak.themes.commands import add_arguments

    add_arguments(p)


@command("themes",
         "suggest recurring themes; `themes evaluate FILE.csv` scores them against labels",
         _themes_arguments)
def _themes(args: argparse.Namespace) -> int:
    from raakvlak.themes.commands import run

    return run(args)


def _media_arguments(p: argparse.ArgumentParser) -> None:
    from raakvlak.media_commands import add_arguments

    add_arguments(p)


@command("media",
         "pictures and recordings: `media link|attach|sync|unsync|times|regions`",
         _media_arguments)
def _media(args: argparse.Namespace) -> int:
    from raakvlak.media_commands import run

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


def _coders_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--add", action="append", metavar="NAME", help="a new coder id (repeatable)")


@command("coders", "list the project's coders, or add team members (--add NAME)", _coders_arguments)
def _coders(args: argparse.Namespace) -> int:
    project = _project(args)
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

    report = sync(_project(args), args.coder, remote=args.remote)
    print("\n".join(report.lines()))
    return 0


# ---------------------------------------------------------------------- parser
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
        project = _project(args)
    except RaakvlakError:
        return None
    from raakvlak.hub import share_with_team

    return share_with_team(project.root)


if __name__ == "__main__":
    sys.exit(main())
