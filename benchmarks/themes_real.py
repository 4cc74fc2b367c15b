"""Themes on real labelled Dutch text: raakvlak next to the plain baselines, same run.

Reads the development set ``dekamer-2017-themes`` (1,249 written questions of the
Belgian federal parliament, 16 themes, CC0; see its SOURCE.md) from the shared
fixtures beside the project, and scores two views of it with
:func:`raakvlak.themes.evaluate.evaluate_labelled` (what ``raakvlak themes evaluate``
runs):

- **paragraphs**: each question whole (about 76 words);
- **sentences**: only the first sentence after the question's title (its opening
  sentence, about 20 words), with the question's theme: short real Dutch sentences
  on known topics.

The sentences are cut from the questions in memory; nothing of the set is written
into the project. Each method makes as many clusters as there are themes (16), with
the seeds given; NMI and ARI are reported per seed and as their mean.

Run: ``.venv/bin/python benchmarks/themes_real.py [--data FILE.csv] [--seeds 0 1 2]``
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

DATA = (Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "themes-dev"
        / "dekamer-2017-themes" / "data.csv")
# a sentence ends at . ? or ! followed by white space
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


def opening_sentences(texts: list[str]) -> list[str]:
    """The first sentence after the title of each question (the title when there is none).

    >>> opening_sentences(["Treinen. De trein was te laat. Waarom?", "Alleen een titel."])
    ['De trein was te laat.', 'Alleen een titel.']
    """
    out = []
    for text in texts:
        sentences = _SENTENCE_END.split(text.strip())
        out.append(sentences[1] if len(sentences) > 1 else sentences[0])
    return out


def main() -> None:
    from raakvlak.themes.evaluate import evaluate_labelled

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args()
    if not args.data.is_file():
        raise SystemExit(f"{args.data}: the development set is not there (see the shared fixtures)")
    table = pd.read_csv(args.data)
    texts, labels = table["text"].astype(str).tolist(), table["label"].astype(str).tolist()
    views = {"paragraphs": texts, "sentences": opening_sentences(texts)}
    for view, view_texts in views.items():
        words = sum(len(t.split()) for t in view_texts) / len(view_texts)
        runs = [evaluate_labelled(view_texts, labels, random_state=seed).assign(seed=seed)
                for seed in args.seeds]
        scores = pd.concat(runs)
        print(f"\n{view}: {len(view_texts)} texts, {words:.1f} words each, "
              f"{table['label'].nunique()} themes, seeds {args.seeds}")
        summary = scores.groupby("method", sort=False).agg(
            nmi_mean=("nmi", "mean"), nmi_min=("nmi", "min"), nmi_max=("nmi", "max"),
            ari_mean=("ari", "mean"), seconds=("seconds", "mean"))
        print(summary.round(3).to_string())


if __name__ == "__main__":
    main()
