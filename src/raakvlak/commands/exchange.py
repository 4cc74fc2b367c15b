"""Commands that exchange with other tools and media: ``export``, ``import-qdpx``, ``import-qdc``, ``media``."""

from __future__ import annotations

import argparse
from pathlib import Path

from raakvlak.commands.registry import codebook_of, command, project_of


def _export_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", choices=["qdpx", "qdc", "quotes", "matrix", "report", "handbook"])
    p.add_argument("file", type=Path, metavar="FILE",
                   help="quotes: .csv or .xlsx; matrix: .xlsx; report and handbook: .docx")
    p.add_argument("--coders", help="only these coders, comma-separated (quotes, matrix, report)")


@command("export", "REFI-QDA (qdpx, qdc), quote table, matrices, Word report or handbook", _export_arguments)
def _export(args: argparse.Namespace) -> int:
    from raakvlak import exchange
    from raakvlak.coding.handbook import handbook_docx

    project = project_of(args)
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
        written = handbook_docx(codebook_of(project), args.file)
    print(f"wrote {written or args.file}")
    return 0


def _import_qdpx_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--no-pseudonymise", action="store_true", help="import the texts as they are (not advised)")


@command("import-qdpx", "import a REFI-QDA project (ATLAS.ti, MAXQDA, NVivo, QualCoder)", _import_qdpx_arguments)
def _import_qdpx(args: argparse.Namespace) -> int:
    from raakvlak.exchange import import_qdpx

    report = import_qdpx(project_of(args), args.file,
                         pseudonymise=False if args.no_pseudonymise else None)
    print("\n".join(report.summary()))
    from raakvlak.corpus.commands import not_taken

    return not_taken(report.unplaced_lines())


def _import_qdc_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, metavar="FILE")


@command("import-qdc", "add the codes of a REFI-QDA codebook (.qdc) to the codebook", _import_qdc_arguments)
def _import_qdc(args: argparse.Namespace) -> int:
    from raakvlak.exchange import import_qdc

    print("\n".join(import_qdc(project_of(args), args.file).summary()))
    return 0


def _media_arguments(p: argparse.ArgumentParser) -> None:
    from raakvlak.commands.media import add_arguments

    add_arguments(p)


@command("media",
         "pictures and recordings: `media link|attach|sync|unsync|times|regions`",
         _media_arguments)
def _media(args: argparse.Namespace) -> int:
    from raakvlak.commands.media import run

    return run(args)
