"""Benchmark: themes for 20,000 segments, next to a plain TF-IDF + k-means pipeline.

Generated Dutch-like segments on eight known topics (plus content-free turns) go
through lemmas, features, the automatic choice of k, clustering, labels, quotes,
spread and stability (:class:`raakvlak.themes.ThemeModel`). In the same run, a plain
scikit-learn pipeline (``TfidfVectorizer`` + ``KMeans`` with the same k) clusters the
raw texts. Reported: seconds per step, the total, the ratio to the plain pipeline,
and the NMI of both against the known topics.

Target: under 60 s in all on a 2-core machine.

Run: ``.venv/bin/python benchmarks/themes.py [--segments 20000] [--json]``
"""

from __future__ import annotations

import argparse
import json
import random
import time

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import normalized_mutual_info_score

TARGET_SECONDS = 60.0

TOPICS = {
    "wachtlijst": "wachtlijst wachten maanden intake aanmelding specialistisch behandeling "
                  "beschikking verwijzing jeugdarts huisarts zomer start plek",
    "privacy": "privacy toestemming formulier ouders delen informatie gegevens beroepsgeheim "
               "avg tekenen vertellen dossier mogen",
    "wisseling": "nieuwe contactpersoon begeleider vertrokken vervanger ziek wisseling team "
                 "opnieuw uitleggen kennen verhaal",
    "regie": "regie overzicht coördinatie verantwoordelijk casus regisseur plan afstemmen "
             "wie houdt trekken",
    "aanbieders": "aanbieders negentig gemeente gecontracteerd partijen organisaties afspraken "
                  "zorgaanbieder markt inkoop",
    "bezuiniging": "bezuiniging budget geld kosten gemeente geschrapt uren financiering "
                   "ieder eigen korting",
    "verwachting": "verwachting uitgesproken aannemen denken rekenen bedoeling duidelijk "
                   "teleurgesteld verrast afspraak",
    "koffie": "koffie pauze agenda volgende bijeenkomst datum zaal plannen lunch rooster mail",
}
FUNCTION_WORDS = ["de", "het", "een", "en", "is", "was", "we", "ze", "dan", "dus", "maar", "ook", "nog", "wel", "gewoon", "eigenlijk", "echt", "heel", "die", "dat", "daar", "hier", "er", "op", "in", "met", "voor", "van", "naar", "bij", "als", "dat"]
SHORT = ["Ja.", "Precies.", "Klopt.", "Mm-hm.", "Nee.", "Ja, precies."]


def generate(n: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """``n`` segments and their topic index (-1 for content-free turns)."""
    rng = random.Random(seed)
    names = list(TOPICS)
    vocab = {t: TOPICS[t].split() for t in names}
    texts, topics = [], []
    for i in range(n):
        if i % 10 == 9:
            texts.append(rng.choice(SHORT))
            topics.append(-1)
            continue
        topic = rng.randrange(len(names))
        words = rng.sample(vocab[names[topic]], rng.randint(3, 6))
        # a little of another topic now and then, as in real talk
        if rng.random() < 0.3:
            words += rng.sample(vocab[names[rng.randrange(len(names))]], 1)
        words += rng.choices(FUNCTION_WORDS, k=rng.randint(5, 12))
        rng.shuffle(words)
        texts.append(" ".join(words).capitalize() + ".")
        topics.append(topic)
    return texts, np.array(topics)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=20_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from raakvlak.corpus.language import lemmatise, pipeline
    from raakvlak.themes import ThemeModel
    from raakvlak.themes.features import one_thread

    texts, topics = generate(args.segments)
    pipeline("nl")  # load outside the timings
    steps: dict[str, float] = {}

    started = time.perf_counter()
    lemmas = [" ".join(w) for w in lemmatise(texts, "nl")]
    steps["lemmas"] = time.perf_counter() - started
    segments = pd.DataFrame({
        "document_id": [f"doc-{i % 200}" for i in range(len(texts))],
        "segment_id": [f"doc-{i % 200}:{i}" for i in range(len(texts))],
        "start": 0, "end": 0,
        "speaker": [f"spreker-{i % 37}" for i in range(len(texts))],
        "role": [f"rol-{i % 5}" for i in range(len(texts))],
        "site": [f"locatie-{i % 3}" for i in range(len(texts))],
        "text": texts, "lemmas": lemmas,
    })
    started = time.perf_counter()
    model = ThemeModel(random_state=0).fit(segments)
    steps["themes (features, k, clusters, labels, quotes, spread, stability)"] = time.perf_counter() - started
    raakvlak_total = steps["lemmas"] + steps["themes (features, k, clusters, labels, quotes, spread, stability)"]

    started = time.perf_counter()
    with one_thread():
        plain = KMeans(n_clusters=model.n_themes_, n_init=3, random_state=0).fit(
            TfidfVectorizer().fit_transform(texts)).labels_
    plain_seconds = time.perf_counter() - started

    known = topics >= 0
    result = {
        "segments": args.segments,
        "k_chosen": int(model.n_themes_),
        "k_true": len(TOPICS),
        "unassigned": int((model.labels_ < 0).sum()),
        "steps_seconds": {k: round(v, 2) for k, v in steps.items()},
        "raakvlak_seconds": round(raakvlak_total, 2),
        "plain_tfidf_kmeans_seconds": round(plain_seconds, 2),
        "ratio": round(raakvlak_total / plain_seconds, 1),
        "nmi_raakvlak": round(float(normalized_mutual_info_score(topics[known], model.labels_[known])), 3),
        "nmi_plain": round(float(normalized_mutual_info_score(topics[known], plain[known])), 3),
        "stable_themes": int(model.themes_["stable"].sum()),
        "target_seconds": TARGET_SECONDS,
        "within_target": raakvlak_total < TARGET_SECONDS,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key:28} {value}")
    print()
    print(model.themes_[["theme", "label", "size", "documents", "stability", "stable"]].to_string(index=False))


if __name__ == "__main__":
    main()
