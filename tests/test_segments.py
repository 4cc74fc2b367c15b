"""Segments: turns and sentences with code-point offsets, lemmas, roles and the cache."""

from __future__ import annotations

import base64
import json
import shutil
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from raakvlak.corpus import segments as segments_module
from raakvlak.corpus import structure
from raakvlak.corpus.canonical import canonicalise, is_canonical
from raakvlak.corpus.language import pipeline
from raakvlak.corpus.store import CorpusStore, DocumentRecord
from raakvlak.errors import CorpusError
from raakvlak.project import Project

SESSION = canonicalise(
    "[00:00:05] Docent 1: De kinderen hebben gesproken. Was het goed? 😀 Ja!\n"
    "Nieuwe regel, zelfde beurt.\n"
    "\n"
    "[00:01:10] Hulpverlener 1: De cliënt zei: de ouders belden niet\n"
    "\n"
    "[00:01:12] Docent 1: Ze waren er eigenlijk niet. Nou, ja.\n"
    "\n"
    "Ouder 1: Wie belt de school?\n"
)
# g + combining tilde has no precomposed form, so it stays two code points after NFC
NOTES = canonicalise(
    "Marieke: dit is geen spreker, want notities lezen geen sprekers. Tweede zin 👩‍👧 hier.\n"
    "\n"
    "Een woord met g\u0303 erin. En een emoji 🧩 midden in de zin.\n"
)
SURVEY = canonicalise("R1: De wachtlijst is te lang.\n\nR2: Geen idee. Niks aan te doen.\n")
ENGLISH = canonicalise("The children were speaking. Parents went home.\n")
COLUMNS = ["document_id", "segment_id", "level", "start", "end", "speaker", "role",
           "timestamp", "text"]


def make_project(root) -> Project:
    project = Project.init(root, name="Test")
    CorpusStore(project.corpus_dir).add([
        DocumentRecord("sessie-1", SESSION, kind="transcript", speakers=[
            {"speaker": "Docent 1", "role": "leerkracht"},
            {"speaker": "Hulpverlener 1", "role": "jeugdhulp"},
        ]),
        DocumentRecord("notities", NOTES, kind="notes"),
        DocumentRecord("enquete", SURVEY, kind="survey",
                       speakers=[{"speaker": "R1", "role": "ouder"}]),
        DocumentRecord("english", ENGLISH, kind="text", language="en"),
    ])
    return project


@pytest.fixture
def project(tmp_path) -> Project:
    return make_project(tmp_path / "project")


def texts_of(project: Project) -> dict[str, str]:
    return {d: project.corpus.text(d) for d in project.corpus.ids}


def cache_files(project: Project):
    return sorted((project.cache_dir / "segments").glob("*" + segments_module.SUFFIX))


def test_texts_are_canonical():
    assert all(is_canonical(t) for t in (SESSION, NOTES, SURVEY, ENGLISH))
    assert "g\u0303" in NOTES


def test_every_row_quotes_the_canonical_text(project):
    frame = project.corpus.segments(level=None, lemmas=True)
    texts = texts_of(project)
    assert len(frame) > 20
    for row in frame.itertuples():
        assert row.text == texts[row.document_id][row.start:row.end]
        assert row.text == row.text.strip()
        assert row.text


def test_columns_and_types(project):
    frame = project.corpus.segments()
    assert list(frame.columns) == COLUMNS
    assert frame["start"].dtype == "int64" and frame["end"].dtype == "int64"
    assert set(frame["level"]) == {"turn"}
    assert list(project.corpus.segments(lemmas=True).columns) == [*COLUMNS, "lemmas"]


def test_transcript_turns_start_after_the_label(project):
    turns = project.corpus.segments(documents=["sessie-1"])
    assert turns["speaker"].tolist() == ["Docent 1", "Hulpverlener 1", "Docent 1", "Ouder 1"]
    assert turns["timestamp"].tolist() == ["00:00:05", "00:01:10", "00:01:12", ""]
    assert turns["segment_id"].tolist() == [f"sessie-1:{n}" for n in range(1, 5)]
    first = turns.iloc[0]
    assert first.start == len("[00:00:05] Docent 1: ")
    # a turn over two lines is one segment
    assert first.text == (
        "De kinderen hebben gesproken. Was het goed? 😀 Ja!\nNieuwe regel, zelfde beurt."
    )
    assert turns.iloc[1].text == "De cliënt zei: de ouders belden niet"


def test_sentences_stay_inside_their_turn(project):
    frame = project.corpus.segments(level=None, documents=["sessie-1"])
    sentences = frame[frame["level"] == "sentence"]
    assert sentences["text"].tolist() == [
        "De kinderen hebben gesproken.",
        "Was het goed?",
        "😀 Ja!",
        "Nieuwe regel, zelfde beurt.",
        # no final full stop: the sentence still ends with its turn
        "De cliënt zei: de ouders belden niet",
        "Ze waren er eigenlijk niet.",
        "Nou, ja.",
        "Wie belt de school?",
    ]
    assert sentences["segment_id"].tolist() == [
        "sessie-1:1.1", "sessie-1:1.2", "sessie-1:1.3", "sessie-1:1.4",
        "sessie-1:2.1", "sessie-1:3.1", "sessie-1:3.2", "sessie-1:4.1",
    ]
    turns = frame[frame["level"] == "turn"].set_index("segment_id")
    for row in sentences.itertuples():
        turn = turns.loc[row.segment_id.split(".")[0]]
        assert turn.start <= row.start < row.end <= turn.end
        assert (row.speaker, row.timestamp, row.role) == (turn.speaker, turn.timestamp, turn.role)


def test_both_levels_put_each_turn_before_its_sentences(project):
    both = project.corpus.segments(level=None)
    ids = both["segment_id"].tolist()
    for n, segment_id in enumerate(ids):
        if "." in segment_id.rsplit(":", 1)[1]:
            turn_id = segment_id.split(".")[0]
            assert turn_id in ids[:n]
    turns = project.corpus.segments(level="turn")
    sentences = project.corpus.segments(level="sentence")
    assert len(both) == len(turns) + len(sentences)
    assert both[both["level"] == "turn"].reset_index(drop=True).equals(turns)
    assert both[both["level"] == "sentence"].reset_index(drop=True).equals(sentences)


def test_notes_read_no_speakers(project):
    notes = project.corpus.segments(level=None, documents=["notities"])
    assert set(notes["speaker"]) == {""}
    first = notes.iloc[0]
    assert first.start == 0
    assert first.text.startswith("Marieke: dit is geen spreker")
    assert notes[notes["level"] == "sentence"]["text"].tolist() == [
        "Marieke: dit is geen spreker, want notities lezen geen sprekers.",
        "Tweede zin 👩‍👧 hier.",
        "Een woord met g\u0303 erin.",
        "En een emoji 🧩 midden in de zin.",
    ]


def test_offsets_count_code_points_after_emoji_and_combining_marks(project):
    notes = project.corpus.segments(level="sentence", documents=["notities"])
    text = project.corpus.text("notities")
    row = notes.iloc[3]
    assert row.start == text.index("En een emoji")
    assert row.end == row.start + len("En een emoji 🧩 midden in de zin.")


def test_surveys_read_respondents_as_speakers(project):
    survey = project.corpus.segments(documents=["enquete"])
    assert survey["speaker"].tolist() == ["R1", "R2"]
    assert survey["role"].tolist() == ["ouder", ""]


def test_roles_come_from_speakers_csv(project):
    turns = project.corpus.segments(documents=["sessie-1"])
    assert turns["role"].tolist() == ["leerkracht", "jeugdhulp", "leerkracht", ""]


def test_dutch_and_english_lemmas(project):
    frame = project.corpus.segments(level="sentence", lemmas=True).set_index("segment_id")
    assert frame.loc["sessie-1:1.1", "lemmas"] == "de kind hebben spreken"
    assert frame.loc["sessie-1:1.2", "lemmas"] == "zijn het goed"
    assert frame.loc["sessie-1:1.3", "lemmas"] == "ja"  # no emoji, no punctuation
    assert frame.loc["sessie-1:2.1", "lemmas"] == "de cliënt zeggen de ouder bellen niet"
    assert frame.loc["english:1.1", "lemmas"] == "the child be speak"
    assert frame.loc["english:1.2", "lemmas"] == "parent go home"


def test_turn_lemmas_join_the_sentence_lemmas(project):
    frame = project.corpus.segments(level=None, lemmas=True, documents=["sessie-1"])
    first = frame[frame["segment_id"] == "sessie-1:1"].iloc[0]
    assert first.lemmas == (
        "de kind hebben spreken zijn het goed ja nieuw regel zelfde beurt"
    )


def test_segment_ids_are_stable_across_projects_and_calls(tmp_path):
    one = make_project(tmp_path / "one").corpus.segments(level=None, lemmas=True)
    two = make_project(tmp_path / "two").corpus.segments(level=None, lemmas=True)
    assert one.equals(two)
    assert one["segment_id"].is_unique


def test_second_call_reads_the_cache_without_spacy(project, monkeypatch):
    first = project.corpus.segments(level=None, lemmas=True)
    assert len(cache_files(project)) == 4

    def refuse(language):
        raise AssertionError("spaCy was called although the cache holds the segments")

    monkeypatch.setattr(segments_module, "pipeline", refuse)
    assert project.corpus.segments(level=None, lemmas=True).equals(first)
    assert project.corpus.segments(level="sentence").equals(
        first[first["level"] == "sentence"].drop(columns="lemmas").reset_index(drop=True)
    )


def test_deleting_the_cache_changes_nothing(project):
    first = project.corpus.segments(level=None, lemmas=True)
    shutil.rmtree(project.cache_dir)
    assert project.corpus.segments(level=None, lemmas=True).equals(first)
    assert len(cache_files(project)) == 4


def ints(values: list[int]) -> str:
    return base64.b64encode(np.array(values, dtype="<i8").tobytes()).decode("ascii")


def edit_head(data: bytes, **fields) -> bytes:
    """A cache file with fields of its first line replaced."""
    head, _, rest = data.partition(b"\n")
    return json.dumps({**json.loads(head), **fields}).encode() + b"\n" + rest


def edit_turns(data: bytes, change) -> bytes:
    """A cache file whose turn offsets (start, end, start, end ...) went through ``change``."""
    head = json.loads(data.partition(b"\n")[0])
    turns = np.frombuffer(base64.b64decode(head["turns"]), dtype="<i8").tolist()
    return edit_head(data, turns=ints(change(turns)))


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"\x00\xff not json",
        lambda data: data[: len(data) // 2],
        lambda data: data.replace(b'"pipeline":"', b'"pipeline":"old-'),
        lambda data: data.rsplit(b"\n", 1)[0],  # a lemma line missing
        lambda data: edit_head(data, counts=ints([7])),  # too few counts
        lambda data: edit_head(data, counts=[1, 2]),  # not an encoded array
        lambda data: edit_head(data, counts="Zm9v"),  # 3 bytes: no whole int64
        lambda data: edit_turns(data, lambda t: [*t[:-1], t[-1] + 10**6]),  # beyond the text
        lambda data: edit_turns(data, lambda t: [t[1], t[0], *t[2:]]),  # ends before it starts
        lambda data: edit_turns(data, lambda t: [-1, *t[1:]]),
        lambda data: edit_head(data, speakers=[1] * len(json.loads(data.partition(b"\n")[0])["speakers"])),
    ],
)
def test_corrupt_or_stale_cache_is_rebuilt(project, damage):
    first = project.corpus.segments(level=None, lemmas=True)
    for path in cache_files(project):
        path.write_bytes(damage(path.read_bytes()))
    assert project.corpus.segments(level=None, lemmas=True).equals(first)
    # and the cache is sound again
    rebuilt = {p.name: p.read_bytes() for p in cache_files(project)}
    shutil.rmtree(project.cache_dir)
    project.corpus.segments(level=None, lemmas=True)
    assert {p.name: p.read_bytes() for p in cache_files(project)} == rebuilt


def test_a_turn_said_more_than_once_gets_its_own_offsets():
    # the same text is analysed once; every turn still gets its own place in the text
    text = canonicalise("Docent 1: Ja.\n\nOuder 1: Ja.\n\nDocent 1: Nee. Ja.\n\nOuder 1: Ja.\n")
    found = segments_module.analyse(text, "nl", True)
    pairs = found.sentences.tolist()
    assert [text[s:e] for s, e in pairs] == ["Ja.", "Ja.", "Nee.", "Ja.", "Ja."]
    assert [s for s, _ in pairs] == sorted({s for s, _ in pairs})
    assert found.counts.tolist() == [1, 1, 2, 1]
    assert found.lemmas == ["ja", "ja", "nee", "ja", "ja"]


def test_a_cache_file_of_another_text_is_not_used(project):
    project.corpus.segments(level=None, lemmas=True)
    names = {p.name.split("-")[0]: p for p in cache_files(project)}
    session = names[segments_module.fingerprint(SESSION)]
    english = names[segments_module.fingerprint(ENGLISH)]
    shutil.copyfile(english, session)  # right name, wrong content
    frame = project.corpus.segments(documents=["sessie-1"])
    assert frame["speaker"].tolist() == ["Docent 1", "Hulpverlener 1", "Docent 1", "Ouder 1"]


def test_a_changed_text_never_meets_its_old_cache(project):
    project.corpus.segments(level=None, lemmas=True)
    changed = SESSION.replace("De kinderen hebben gesproken.", "Wie doet wat? Wij.")
    # an edit straight in the file, without updating documents.csv
    (project.corpus_dir / "sessie-1.txt").write_text(changed, encoding="utf-8")
    frame = project.corpus.segments(level="sentence", lemmas=True, documents=["sessie-1"])
    assert frame["text"].tolist()[:3] == ["Wie doet wat?", "Wij.", "Was het goed?"]
    assert frame["lemmas"].tolist()[:2] == ["wie doen wat", "wij"]
    for row in frame.itertuples():
        assert row.text == changed[row.start:row.end]


def test_a_changed_kind_rebuilds_the_structure(project):
    project.corpus.segments()
    table = pd.read_csv(project.corpus_dir / "documents.csv", dtype=str, keep_default_na=False)
    table.loc[table["document_id"] == "sessie-1", "kind"] = "notes"
    table.to_csv(project.corpus_dir / "documents.csv", index=False)
    turns = project.corpus.segments(documents=["sessie-1"])
    assert set(turns["speaker"]) == {""}
    assert turns.iloc[0].text.startswith("[00:00:05] Docent 1: De kinderen")


def test_files_no_document_uses_are_deleted_when_the_whole_corpus_is_read(project):
    project.corpus.segments(level=None, lemmas=True)
    before = {p.name for p in cache_files(project)}
    stale = project.cache_dir / "segments" / f"{'0' * 64}-oldpipeline.segments"
    stale.write_bytes(b"{}")
    (project.corpus_dir / "sessie-1.txt").write_text(SESSION.replace("gesproken", "gepraat"), encoding="utf-8")
    project.corpus.segments(documents=["sessie-1"])  # one document: nothing is deleted
    assert stale.exists() and before < {p.name for p in cache_files(project)}
    project.corpus.segments()
    after = {p.name for p in cache_files(project)}
    old = next(n for n in before if n.startswith(segments_module.fingerprint(SESSION)))
    assert not stale.exists() and old not in after and len(after) == len(before)


def test_edited_roles_show_without_recomputing(project, monkeypatch):
    project.corpus.segments(level=None)
    speakers = pd.read_csv(project.corpus_dir / "speakers.csv", dtype=str, keep_default_na=False)
    speakers.loc[speakers["speaker"] == "Docent 1", "role"] = "mentor"
    speakers.loc[len(speakers)] = {"document_id": "sessie-1", "speaker": "Ouder 1", "role": "ouder"}
    speakers.to_csv(project.corpus_dir / "speakers.csv", index=False)
    monkeypatch.setattr(segments_module, "pipeline", lambda language: 1 / 0)
    frame = project.corpus.segments(level=None, documents=["sessie-1"])
    turns = frame[frame["level"] == "turn"]
    assert turns["role"].tolist() == ["mentor", "jeugdhulp", "mentor", "ouder"]
    assert set(frame[frame["speaker"] == "Docent 1"]["role"]) == {"mentor"}


def test_an_unwritable_cache_only_costs_speed(project):
    project.cache_dir.mkdir()
    (project.cache_dir / "segments").write_text("not a folder", encoding="utf-8")
    first = project.corpus.segments(level=None, lemmas=True)
    assert project.corpus.segments(level=None, lemmas=True).equals(first)
    assert len(first) > 20


def test_documents_picks_and_orders(project):
    frame = project.corpus.segments(documents=["english", "enquete", "english"])
    assert frame["document_id"].unique().tolist() == ["english", "enquete"]


def test_bad_requests_name_what_is_wrong(project):
    with pytest.raises(CorpusError, match="level"):
        project.corpus.segments(level="paragraph")
    with pytest.raises(CorpusError, match="'onbekend'"):
        project.corpus.segments(documents=["onbekend"])
    table = pd.read_csv(project.corpus_dir / "documents.csv", dtype=str, keep_default_na=False)
    table.loc[table["document_id"] == "english", "language"] = "de"
    table.to_csv(project.corpus_dir / "documents.csv", index=False)
    with pytest.raises(CorpusError, match="'english'.*language 'de'"):
        project.corpus.segments()


def test_empty_corpus_gives_empty_frame(tmp_path):
    project = Project.init(tmp_path / "empty", name="Empty")
    for level in ("turn", "sentence", None):
        frame = project.corpus.segments(level=level, lemmas=True)
        assert frame.empty
        assert list(frame.columns) == [*COLUMNS, "lemmas"]


def test_progress_bar_is_shown_on_request(project, capsys):
    project.corpus.segments(progress=True)
    assert "segments" in capsys.readouterr().err


WORDS = st.lists(
    st.sampled_from(list("aeiouklmnstzAEKMZ .,!?;:'\"\n-") + [
        "é", "ë", "\u0303", "\u0301", "😀", "👩\u200d👧", "🧩", "\u00a0", "…", "ß", "ﬁ", "de ",
    ]),
    min_size=1, max_size=60,
).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=st.lists(st.tuples(st.sampled_from(["Docent 1", "R2", ""]), WORDS),
                      min_size=1, max_size=5),
       speakers=st.booleans())
def test_offsets_hold_for_any_text(turns, speakers):
    text = canonicalise("\n\n".join(f"{s}: {w}" if s else w for s, w in turns))
    assume(text)
    found = segments_module.analyse(text, "nl", speakers)
    pairs = found.sentences.tolist()
    assert len(pairs) == found.counts.sum() == len(found.lemmas)
    first = 0
    for (turn_start, turn_end), count in zip(found.turns.tolist(), found.counts.tolist(), strict=True):
        for start, end in pairs[first:first + count]:
            quote = text[start:end]
            assert turn_start <= start < end <= turn_end
            assert quote == quote.strip() and quote
        first += count
    # sentences are in text order and never overlap
    flat = [v for pair in pairs for v in pair]
    assert flat == sorted(flat)


def one_turn_at_a_time(text: str, language: str, speakers: bool) -> tuple[list, list, list]:
    """Sentences (start, end), lemma lines and sentence counts of every turn analysed
    as a spaCy Doc of its own: what analyse must give."""
    nlp = pipeline(language)
    sentences, lemmas, counts = [], [], []
    for block in structure.blocks(text, speakers=speakers):
        doc = nlp(text[block.start:block.end])
        spans = list(doc.sents)
        count = 0
        for n, sent in enumerate(spans):
            end = spans[n + 1].start_char if n + 1 < len(spans) else len(doc.text)
            piece = doc.text[sent.start_char:end]
            if piece.strip():
                start = block.start + sent.start_char + len(piece) - len(piece.lstrip())
                sentences.append((start, start + len(piece.strip())))
                lemmas.append(" ".join(t.lemma_ for t in sent if t.lemma))
                count += 1
        counts.append(count)
    return sentences, lemmas, counts


SPACES = ["\u2002", "\u3000", "\u2009", "\u00a0", "  ", "\u200a"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=st.lists(st.tuples(st.sampled_from(["Docent 1", "R2", ""]),
                                st.lists(st.one_of(WORDS, st.sampled_from(["...", "!?", "Ja.", *SPACES])),
                                         min_size=1, max_size=4).map("".join)),
                      min_size=1, max_size=8),
       speakers=st.booleans(),
       chunk=st.sampled_from([1, 12, 50, segments_module.CHUNK_CHARS]))
def test_turns_analysed_together_give_what_each_gives_alone(turns, speakers, chunk):
    text = canonicalise("\n\n".join(f"{s}: {w}" if s else w for s, w in turns))
    assume(text)
    with mock.patch.object(segments_module, "CHUNK_CHARS", chunk):
        found = segments_module.analyse(text, "nl", speakers)
    sentences, lemmas, counts = one_turn_at_a_time(text, "nl", speakers)
    assert [tuple(pair) for pair in found.sentences.tolist()] == sentences
    assert found.lemmas == lemmas
    assert found.counts.tolist() == counts


def test_a_paragraph_longer_than_the_pipeline_reads_is_named(tmp_path):
    assert pipeline("nl").max_length == 10_000_000  # spaCy's default is a tenth of that
    project = Project.init(tmp_path / "project", name="Test")
    CorpusStore(project.corpus_dir).add([DocumentRecord("lang", " ".join(["woord"] * 200) + "\n\nkort\n")])
    with mock.patch.object(pipeline("nl"), "max_length", 1000), \
            pytest.raises(CorpusError, match=r"document 'lang': a turn or paragraph of 1,199 characters"):
        project.corpus.segments()
