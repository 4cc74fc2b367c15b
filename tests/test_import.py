"""Import end to end: real files in, canonical pseudonymised documents out, nothing half-done."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raakvlak import Project
from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.importer import import_files
from raakvlak.corpus.key import PseudonymKey
from raakvlak.corpus.structure import blocks
from raakvlak.errors import ImportProblem

TRANSCRIPT = """Sessie 2 (fictief)

[00:00:05] Marieke de Vries (leerkracht): Goedemorgen. Wie belt de moeder van Daan?
[00:00:12] Youssef El Amrani (jeugdhulpverlener): Dat doe ik. Mijn nummer is 06-12345678.
[00:00:20] Marieke de Vries: Fijn. Mail ook even naar marieke@school.example.
"""


@pytest.fixture
def project(tmp_path):
    project = Project.init(tmp_path / "studie", name="Studie")
    (project.private_dir / "pseudonyms.csv").write_text(
        "original,pseudonym,kind\nDaan,Leerling A,person\n", encoding="utf-8"
    )
    return project


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def test_transcript_import_pseudonymises_and_keeps_structure(project, tmp_path):
    raw = write(tmp_path / "sessie-2.txt", TRANSCRIPT.replace("\n", "\r\n"), "utf-16")
    report = import_files(project, [raw], variables={"site": "PO"})
    assert report.document_ids == ["sessie-2"]
    assert any("UTF-16" in m for m in report.messages)
    text = project.corpus.text("sessie-2")
    for secret in ("Marieke", "Youssef", "Daan", "06-12345678", "marieke@school.example"):
        assert secret not in text
    turns = [b for b in blocks(text) if b.speaker]
    assert [(t.speaker, t.timestamp) for t in turns] == [
        ("Docent 1", "00:00:05"), ("Hulpverlener 1", "00:00:12"), ("Docent 1", "00:00:20")
    ]
    assert "Leerling A" in text
    row = project.corpus.document("sessie-2")
    assert row["kind"] == "transcript" and row["site"] == "PO"
    assert row["sha256"] == fingerprint(text)
    speakers = project.corpus.speakers
    assert dict(zip(speakers["speaker"], speakers["role"], strict=True)) == {
        "Docent 1": "leerkracht", "Hulpverlener 1": "jeugdhulpverlener"
    }
    key = (project.private_dir / "pseudonyms.csv").read_text(encoding="utf-8")
    assert "Marieke de Vries,Docent 1" in key
    # the original never enters corpus/
    assert sorted(p.name for p in project.corpus_dir.iterdir()) == ["documents.csv", "sessie-2.txt", "speakers.csv"]


def test_importing_the_same_file_twice_gives_the_same_fingerprint(project, tmp_path):
    raw = write(tmp_path / "a.txt", TRANSCRIPT)
    import_files(project, [raw])
    with pytest.raises(ImportProblem, match="a.txt: its text is already in the corpus as 'a'"):
        import_files(project, [raw], document_id="a-again")
    import_files(project, [raw], document_id="a-again", allow_duplicate=True)
    documents = project.corpus.documents.set_index("document_id")
    assert documents.loc["a", "sha256"] == documents.loc["a-again", "sha256"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=200))
def test_import_is_deterministic_for_any_text(tmp_path_factory, text):
    if not text.strip():
        return
    folder = tmp_path_factory.mktemp("p")
    project = Project.init(folder / "p", name="P")
    raw = write(folder / "notes.txt", text)
    try:
        import_files(project, [raw], kind="text", pseudonymise=False)
    except ImportProblem:
        return  # e.g. nothing left after canonicalisation: refused, and nothing written
    import_files(project, [raw], kind="text", pseudonymise=False, document_id="again", allow_duplicate=True)
    shas = project.corpus.documents["sha256"].tolist()
    assert shas[0] == shas[1]


def test_one_bad_file_means_nothing_is_imported(project, tmp_path):
    good = write(tmp_path / "good.txt", TRANSCRIPT)
    empty = write(tmp_path / "empty.txt", "")
    before = {p.name: p.read_bytes() for p in project.corpus_dir.iterdir()}
    with pytest.raises(ImportProblem, match="empty.txt") as info:
        import_files(project, [good, empty])
    assert "nothing was imported" in str(info.value)
    assert {p.name: p.read_bytes() for p in project.corpus_dir.iterdir()} == before


def test_duplicate_document_id_is_refused(project, tmp_path):
    raw = write(tmp_path / "s.txt", TRANSCRIPT)
    import_files(project, [raw])
    with pytest.raises(ImportProblem, match="already in the corpus"):
        import_files(project, [raw])
    assert len(project.corpus) == 1


def test_file_over_the_size_limit_is_refused(tmp_path):
    project = Project.init(tmp_path / "p", name="P")
    settings_file = project.root / "raakvlak.toml"
    settings_file.write_text(settings_file.read_text().replace("max_bytes = 50000000", "max_bytes = 100"))
    raw = write(tmp_path / "big.txt", "woord " * 100)
    with pytest.raises(ImportProblem, match="big.txt"):
        import_files(Project(project.root), [raw])


def test_failed_write_leaves_no_text_and_no_row(project, tmp_path, monkeypatch):
    raw = write(tmp_path / "s.txt", TRANSCRIPT)
    import raakvlak.corpus.store as store

    real = store.atomic_write_text

    def failing(path, text):
        if path.name == "documents.csv":
            raise OSError("disk full")
        real(path, text)

    monkeypatch.setattr(store, "atomic_write_text", failing)
    with pytest.raises(OSError):
        import_files(project, [raw])
    monkeypatch.undo()
    assert not (project.corpus_dir / "s.txt").exists()
    assert len(project.corpus) == 0
    assert [p for p in project.corpus_dir.iterdir() if p.name.endswith(".tmp")] == []


def test_roles_known_from_another_document_are_filled_in(project, tmp_path):
    import_files(project, [write(tmp_path / "one.txt", TRANSCRIPT)])
    second = "Marieke de Vries: Nog een vraag.\nYoussef El Amrani: Ja?\n"
    import_files(project, [write(tmp_path / "two.txt", second)], kind="transcript")
    speakers = project.corpus.speakers
    two = speakers[speakers["document_id"] == "two"]
    assert dict(zip(two["speaker"], two["role"], strict=True)) == {
        "Docent 1": "leerkracht", "Hulpverlener 1": "jeugdhulpverlener"
    }


def test_a_speaker_of_a_later_file_is_replaced_in_an_earlier_one(project, tmp_path):
    # the notes mention Marieke before the transcript where she speaks: imported together,
    # her name is replaced in both (every speaker gets a pseudonym before any text is read)
    notes = write(tmp_path / "a-notes.md", "Marieke de Vries vertelde over de overdracht.\n")
    session = write(tmp_path / "b-sessie.txt", TRANSCRIPT)
    report = import_files(project, [notes, session])
    assert report.document_ids == ["a-notes", "b-sessie"]
    assert project.corpus.text("a-notes") == "Docent 1 vertelde over de overdracht.\n"
    assert "Marieke" not in project.corpus.text("b-sessie")
    assert not report.review["original"].str.contains("Marieke").any()


def test_a_document_imported_before_its_speaker_is_pointed_out(project, tmp_path):
    # imported apart, the earlier notes keep the name in lower case (no name import finds by
    # itself): the later import, where she speaks, says where it is
    notes = write(tmp_path / "a-notes.md", "Het gesprek met marieke de vries ging over de overdracht.\n")
    import_files(project, [notes])
    report = import_files(project, [write(tmp_path / "b-sessie.txt", TRANSCRIPT)])
    assert report.warnings == [
        "a-notes: still holds 'Marieke de Vries' (1×, now Docent 1): it was imported before this "
        "speaker was in the key; run 'raakvlak pseudonymise a-notes' to replace it (codings are carried along)"
    ]
    again = import_files(project, [write(tmp_path / "c-sessie.txt", TRANSCRIPT)], allow_duplicate=True)
    assert again.warnings == []  # no new speaker, nothing to point out


def test_a_name_found_earlier_keeps_its_pseudonym_when_it_speaks(project, tmp_path):
    notes = write(tmp_path / "a-notes.md", "Marieke de Vries vertelde over de overdracht.\n")
    first = import_files(project, [notes])
    assert project.corpus.text("a-notes") == "Persoon 1 vertelde over de overdracht.\n"
    assert first.review[["original", "decision", "replacement"]].values.tolist() == [
        ["Marieke de Vries", "replaced", "Persoon 1"]]
    import_files(project, [write(tmp_path / "b-sessie.txt", TRANSCRIPT)])
    # one person, one pseudonym: the speaker is the Persoon 1 of the notes, now a person
    assert project.corpus.text("b-sessie").splitlines()[2].startswith("[00:00:05] Persoon 1: Goedemorgen.")
    assert ("Marieke de Vries", "Persoon 1", "person") in PseudonymKey(project.private_dir / "pseudonyms.csv").entries


def test_transcript_kind_without_speakers_is_a_clear_error(project, tmp_path):
    raw = write(tmp_path / "notes.txt", "Gewoon een alinea zonder sprekers.\n\nNog een alinea.\n")
    with pytest.raises(ImportProblem, match="no speaker turns found"):
        import_files(project, [raw], kind="transcript")


@pytest.mark.skipif(os.name != "posix", reason="posix paths")
def test_survey_csv_gives_one_document_per_open_question(project, tmp_path):
    rows = ["respondent;rol;wijk;Wat belemmert de samenwerking?;Wat helpt?"]
    for i in range(1, 7):
        rows.append(f"R{i:02};leerkracht;Noord;Er zijn veel te veel aanbieders en niemand belt terug, nummer {i}.;"
                    f"Een vast aanspreekpunt per school, dat zou echt helpen ({i}).")
    raw = write(tmp_path / "enquete.csv", "\n".join(rows) + "\n")
    report = import_files(project, [raw])
    assert len(report.document_ids) == 2
    first = project.corpus.text(report.document_ids[0])
    assert [b.speaker for b in blocks(first)] == [f"R{i:02}" for i in range(1, 7)]
    speakers = project.corpus.speakers
    assert set(speakers["wijk"]) == {"Noord"} and set(speakers["role"]) == {"leerkracht"}
