"""The ``raakvlak themes`` command: print the themes, or evaluate on labelled texts.

``raakvlak themes [--scope all|uncoded|coded:PATTERN] [--k N] [--level turn|sentence]
[--where NAME=VALUE ...] [--include-interviewers] [--method kmeans|agglomerative|nmf]
[--features embeddings|tfidf] [--report FILE] [--json]``
prints the themes of the project; ``raakvlak themes evaluate FILE.csv --text-column C
--label-column L [--language nl|en] [--features embeddings|tfidf] [--json]`` scores
raakvlak's themes (both features unless one is named) and plain baselines against
known labels. Embeddings are cached in the project's ``.raakvlak/embeddings/`` (for
``evaluate`` outside a project: ``.raakvlak/embeddings/`` in the current folder). :func:`add_arguments` fills the ``themes`` parser,
:func:`run` carries out the command.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from raakvlak.options import where_filter

# light imports only: `raakvlak --help` builds this parser; the work imports lazily


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``raakvlak themes`` and its ``evaluate`` subcommand to ``parser``."""
    parser.add_argument("--scope", default="all", metavar="SCOPE",
                        help="all (default), uncoded, or coded:PATTERN (e.g. coded:barrier.*)")
    parser.add_argument("--k", type=int, metavar="N", help="number of themes (default: chosen by stability over --k-range)")
    parser.add_argument("--method", default="kmeans", choices=["kmeans", "agglomerative", "nmf"])
    parser.add_argument("--level", default="turn", choices=["turn", "sentence"])
    parser.add_argument("--where", action="append", metavar="NAME=VALUE",
                        help="keep segments whose document or speaker variable has this value (repeatable)")
    parser.add_argument("--seed", type=int, default=0, help="random_state (default 0)")
    parser.add_argument("--features", choices=["embeddings", "tfidf"],
                        help="what is clustered: sentence embeddings (default; cached in .raakvlak/) "
                             "or TF-IDF of lemmas (the default for --method nmf)")
    parser.add_argument("--include-interviewers", action="store_true",
                        help="keep the turns of interviewer, facilitator and moderator roles")
    parser.add_argument("--report", type=Path, metavar="FILE", help="also write the report (.md or .docx)")
    parser.add_argument("--json", action="store_true")
    sub = parser.add_subparsers(dest="themes_command", metavar="evaluate")
    evaluate = sub.add_parser("evaluate", help="score themes against known labels, next to baselines",
                              description="cluster a labelled table (.csv or .tsv, as a spreadsheet "
                                          "saves it) with raakvlak and with LDA, NMF and k-means "
                                          "on raw TF-IDF; report NMI and ARI")
    evaluate.add_argument("file", type=Path, metavar="FILE.csv")
    evaluate.add_argument("--text-column", required=True, metavar="C")
    evaluate.add_argument("--label-column", required=True, metavar="L")
    evaluate.add_argument("--language", default="nl", choices=["nl", "en"])
    evaluate.add_argument("--seed", type=int, default=0)
    evaluate.add_argument("--features", choices=["embeddings", "tfidf"],
                          help="score only these features (default: both)")
    evaluate.add_argument("--json", action="store_true")


def themes_of_project(project, scope: str = "all", k: int | None = None,
                      method: str = "kmeans", level: str = "turn",
                      where: dict | None = None, random_state: int = 0,
                      features: str | None = None, interviewers: bool = False):
    """Fit a :class:`~raakvlak.themes.model.ThemeModel` on a project's segments in a scope.

    ``features`` is ``"embeddings"`` (cached under ``.raakvlak/embeddings/``) or
    ``"tfidf"``; None: embeddings, or TF-IDF for ``method="nmf"``. ``interviewers``
    keeps the turns of interviewer-like roles (see :func:`~raakvlak.themes.scope.talk_mask`).
    """
    from raakvlak.themes.embeddings import project_embedder
    from raakvlak.themes.model import ThemeModel
    from raakvlak.themes.scope import theme_segments

    segments = theme_segments(project, scope=scope, where=where, level=level,
                              interviewers=interviewers)
    features = features or ("tfidf" if method == "nmf" else "embeddings")
    model = ThemeModel(method=method, n_themes=k, random_state=random_state, features=features,
                       embedder=project_embedder(project) if features == "embeddings" else None,
                       language=project.language, stop_words=tuple(project.settings.stopwords))
    return model.fit(segments)


def _as_json(model) -> dict:
    import pandas as pd

    themes = []
    for row in model.themes_.itertuples():
        quotes = model.quotes_[model.quotes_["theme"] == row.theme]
        themes.append({
            "theme": int(row.theme), "label": row.label, "terms": list(row.terms),
            "size": int(row.size), "documents": int(row.documents), "speakers": int(row.speakers),
            "roles": int(row.roles), "sites": int(row.sites), "recurring": bool(row.recurring),
            "stability": None if pd.isna(row.stability) else float(row.stability),
            "stable": None if pd.isna(row.stable) else bool(row.stable),
            "quotes": [{"document_id": q.document_id, "segment_id": q.segment_id,
                        "speaker": q.speaker, "role": q.role, "start": int(q.start),
                        "end": int(q.end), "text": q.text} for q in quotes.itertuples()],
        })
    return {
        "method": model.method, "features": model.features_used_,
        "embedder": model.embedder_fingerprint_, "k": int(model.n_themes_),
        "random_state": model.random_state, "fingerprint": model.fingerprint_, "segments": len(model.labels_),
        "unassigned": int((model.labels_ < 0).sum()),
        "k_scores": model.k_scores_.round(4).to_dict(orient="records"),
        "themes": themes,
    }


def run(args: argparse.Namespace) -> int:
    """Carry out ``raakvlak themes`` (or ``raakvlak themes evaluate``); returns the exit status."""
    if getattr(args, "themes_command", None) == "evaluate":
        return _evaluate(args)
    import pandas as pd

    from raakvlak.project import Project

    project = Project.find(args.project) if getattr(args, "project", None) else Project.find()
    model = themes_of_project(project, scope=args.scope, k=args.k, method=args.method,
                              level=args.level, where=where_filter(args.where), random_state=args.seed,
                              features=args.features, interviewers=args.include_interviewers)
    if args.report:
        from raakvlak.themes.report import write_theme_report

        write_theme_report(model, args.report, language=project.language)
    if args.json:
        print(json.dumps(_as_json(model), ensure_ascii=False, indent=2))
        return 0
    unassigned = int((model.labels_ < 0).sum())
    print(f"{model.n_themes_} themes in {len(model.labels_)} segments "
          f"({unassigned} set aside: too little content); method {model.method} on "
          f"{model.features_used_}, seed {model.random_state}")
    for row in model.themes_.itertuples():
        flags = []
        if not row.recurring:
            flags.append("not recurring")
        if row.stable is False or (not pd.isna(row.stable) and not row.stable):
            flags.append("unstable")
        stability = "" if pd.isna(row.stability) else f", stability {row.stability:.2f}"
        print(f"\n{row.theme + 1}. {', '.join(row.terms)}")
        print(f"   {row.size} segments, {row.documents} documents, {row.speakers} speakers, "
              f"{row.roles} roles, {row.sites} sites{stability}"
              + (f"  [{'; '.join(flags)}]" if flags else ""))
        for q in model.quotes_[model.quotes_["theme"] == row.theme].itertuples():
            text = " ".join(str(q.text).split())
            text = text if len(text) <= 160 else text[:157] + "..."
            who = f"{q.speaker}, " if q.speaker else ""
            print(f"   \u201c{text}\u201d ({who}{q.document_id} {q.start}-{q.end})")
    return 0


def cache_embedder():
    """The default embedder cached in the current project's ``.raakvlak/embeddings/``.

    Outside a project: in ``.raakvlak/embeddings/`` of the current folder. None when the
    embedder cannot be loaded (the model then falls back to TF-IDF with a warning).
    """
    from raakvlak.errors import ProjectError
    from raakvlak.project import Project
    from raakvlak.themes.embeddings import CACHE_VARIABLE, embedder_in, project_embedder

    try:
        project = Project.find()
    except ProjectError:
        return embedder_in(os.environ.get(CACHE_VARIABLE) or Path.cwd() / ".raakvlak" / "embeddings")
    return project_embedder(project)


def _evaluate(args: argparse.Namespace) -> int:
    from raakvlak.themes.evaluate import evaluate_labelled, read_labelled

    texts, labels = read_labelled(args.file, args.text_column, args.label_column)
    features = [args.features] if args.features else ["embeddings", "tfidf"]
    embedder = None
    if "embeddings" in features:
        embedder = cache_embedder()
    table = evaluate_labelled(texts, labels, language=args.language, random_state=args.seed,
                              features=features, embedder=embedder)
    if args.json:
        print(json.dumps({"file": str(args.file), "texts": len(texts), "labels": len(set(labels)),
                          "results": table.to_dict(orient="records")}, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(texts)} texts, {len(set(labels))} labels; k = number of labels for every method")
    print(table.to_string(index=False))
    return 0


# ---------------------------------------------------------------------- raakvlak suggest
def add_suggest_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``raakvlak suggest`` and its ``evaluate`` subcommand to ``parser``."""
    parser.add_argument("--coder", help="whose codings the suggestions learn from")
    parser.add_argument("--level", default="turn", choices=["turn", "sentence"])
    parser.add_argument("--features", default="embeddings", choices=["embeddings", "tfidf"])
    parser.add_argument("--json", action="store_true")
    sub = parser.add_subparsers(dest="suggest_command", metavar="evaluate")
    evaluate = sub.add_parser("evaluate", help="train on part of a coded table (.csv, .tsv), score on the rest",
                              description="code suggestions trained on part of a coded set and "
                                          "scored on the rest (precision at 1 and 3, macro F1), "
                                          "next to TF-IDF + logistic regression")
    evaluate.add_argument("file", type=Path, metavar="FILE.csv")
    evaluate.add_argument("--text-column", required=True, metavar="C")
    evaluate.add_argument("--codes-column", required=True, metavar="K",
                          help="codes of each text, separated by ';' (empty: no code)")
    evaluate.add_argument("--language", default="nl", choices=["nl", "en"])
    evaluate.add_argument("--train-share", type=float, default=0.7, metavar="S")
    evaluate.add_argument("--seed", type=int, default=0)
    evaluate.add_argument("--features", choices=["embeddings", "tfidf"],
                          help="score only these features (default: both)")
    evaluate.add_argument("--json", action="store_true")


def run_suggest(args: argparse.Namespace) -> int:
    """Carry out ``raakvlak suggest`` (or ``suggest evaluate``); returns the exit status."""
    from raakvlak.themes.features import ThemeError

    if getattr(args, "suggest_command", None) == "evaluate":
        return _evaluate_suggestions(args)
    if not args.coder:
        raise ThemeError("name the coder whose codings the suggestions learn from: --coder ID")
    from raakvlak.project import Project
    from raakvlak.themes.suggest import SuggestionSession

    project = Project.find(args.project) if getattr(args, "project", None) else Project.find()
    session = SuggestionSession(project, args.coder, level=args.level, features=args.features)
    table = session.fit()
    if args.json:
        print(json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=2))
        return 0
    suggester = session.suggester
    print(f"{table['segment_id'].nunique()} segments with suggestions, {len(suggester.no_code_)} "
          f"where no code fits (threshold {suggester.threshold_:.2f}); codes learned: "
          f"{', '.join(suggester.classes_)}")
    for row in table.itertuples():
        text = " ".join(str(row.text).split())
        text = text if len(text) <= 100 else text[:97] + "..."
        print(f"{row.suggestion_id}  {row.code_id} {row.probability:.2f}  ({row.why})  "
              f"{row.document_id} {row.start}-{row.end}: {text}")
    return 0


def _evaluate_suggestions(args: argparse.Namespace) -> int:
    from raakvlak.themes.suggest_evaluate import evaluate_suggestions, read_coded

    texts, codes = read_coded(args.file, args.text_column, args.codes_column)
    features = [args.features] if args.features else ["embeddings", "tfidf"]
    embedder = cache_embedder() if "embeddings" in features else None
    table = evaluate_suggestions(texts, codes, language=args.language, train_share=args.train_share,
                                 random_state=args.seed, features=features, embedder=embedder)
    n_codes = len(set().union(*codes))
    if args.json:
        print(json.dumps({"file": str(args.file), "texts": len(texts), "codes": n_codes,
                          "results": table.to_dict(orient="records")}, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(texts)} texts, {n_codes} codes; trained on {args.train_share:.0%}, scored on the rest")
    print(table.to_string(index=False))
    return 0
