"""Import on texts nobody here wrote: public-domain dialogue and prose, in the shapes real
transcripts arrive in (Markdown with headings, blockquotes and hard breaks).

The excerpts are public domain: William Shakespeare, *Hamlet* (1603), act 1, scene 1 and
act 3, scene 1; Multatuli (Eduard Douwes Dekker), *Max Havelaar* (1860), the opening of
chapter 1. Only the Markdown around them is ours.
"""

from __future__ import annotations

import pytest

from raakvlak.corpus.importer import import_files
from raakvlak.corpus.structure import blocks
from raakvlak.errors import ImportProblem
from raakvlak.project import Project

HAMLET = [
    ("BERNARDO", "Who's there?"),
    ("FRANCISCO", "Nay, answer me. Stand and unfold yourself."),
    ("BERNARDO", "Long live the King!"),
    ("FRANCISCO", "Bernardo?"),
    ("BERNARDO", "He."),
    ("FRANCISCO", "You come most carefully upon your hour."),
    ("BERNARDO", "'Tis now struck twelve. Get thee to bed, Francisco."),
    ("FRANCISCO", "For this relief much thanks. 'Tis bitter cold,\\\nAnd I am sick at heart."),
    ("HAMLET", "To be, or not to be, that is the question:\\\nWhether 'tis nobler in the mind to "
               "suffer\\\nThe slings and arrows of outrageous fortune,\\\nOr to take arms against a "
               "sea of troubles\\\nAnd by opposing end them."),
]
HAVELAAR = (
    "Ik ben makelaar in koffie, en woon op de Lauriergracht, No. 37. Het is mijn gewoonte niet, "
    "romans te schrijven, of zulke dingen, en het heeft dan ook lang geduurd, voor ik er toe overging "
    "een paar riem papier extra te bestellen, en het werk aan te vangen, dat gij, lieve lezer, zoo-even "
    "in de hand hebt genomen, en dat ge lezen moet als ge makelaar in koffie zijt, of als ge wat anders zijt."
)


@pytest.fixture
def project(tmp_path):
    return Project.init(tmp_path / "studie", language="nl")


def _markdown_transcript(path):
    """Hamlet as a transcription service writes Markdown: a heading, each turn a
    blockquote with the speaker in bold and hard breaks inside."""
    turns = "\n\n".join("> **" + who + ":** " + said.replace("\n", "\n> ") for who, said in HAMLET)
    path.write_text("# Transcript: the platform at Elsinore\n\n" + turns + "\n", encoding="utf-8")
    return path


def test_a_markdown_transcript_is_read_as_structure(project, tmp_path):
    report = import_files(project, [_markdown_transcript(tmp_path / "elsinore.md")])
    (doc,) = report.document_ids
    text = project.corpus.text(doc)
    assert "#" not in text and "**" not in text and "\\" not in text and "> " not in text
    turns = [b for b in blocks(text) if b.speaker]
    assert len(turns) == len(HAMLET)  # every label kept: no turn swallowed the next
    assert {b.speaker for b in turns} == {"Speaker 1", "Speaker 2", "Speaker 3"}  # English stems
    for name in ("BERNARDO", "FRANCISCO", "HAMLET", "Bernardo", "Francisco"):
        assert name not in text
    assert text.count("\n") > len(HAMLET) * 2  # the verse lines stay lines of their turn
    documents = project.corpus.documents.set_index("document_id")
    assert documents.loc[doc, "title"] == "Transcript: the platform at Elsinore"
    assert documents.loc[doc, "language"] == "en"  # detected in a Dutch project
    assert any("language en, detected" in m for m in report.messages)


def test_dutch_prose_is_detected_as_dutch_and_a_copy_is_refused(project, tmp_path):
    first = tmp_path / "havelaar.txt"
    first.write_text(HAVELAAR + "\n", encoding="utf-8")
    (doc,) = import_files(project, [first], kind="notes").document_ids
    assert project.corpus.documents.set_index("document_id").loc[doc, "language"] == "nl"
    copy = tmp_path / "havelaar-kopie.txt"
    copy.write_bytes(first.read_bytes())
    with pytest.raises(ImportProblem, match="havelaar-kopie.txt: its text is already in the corpus as 'havelaar'"):
        import_files(project, [copy], kind="notes")


@pytest.mark.parametrize("date", ["19-11-2018", "2018-13-01", "2018-11-31", "november"])
def test_a_date_must_be_iso_8601(project, tmp_path, date):
    raw = tmp_path / "havelaar.txt"
    raw.write_text(HAVELAAR + "\n", encoding="utf-8")
    with pytest.raises(ImportProblem, match=r"--date .* is not a date in ISO 8601 \(YYYY-MM-DD\)"):
        import_files(project, [raw], date=date)
    assert import_files(project, [raw], date="1860-05-14").document_ids == ["havelaar"]


def test_two_interviewees_of_two_interviews_are_two_speakers(project, tmp_path):
    first, second = tmp_path / "interview-1.txt", tmp_path / "interview-2.txt"
    first.write_text("Interviewer: Who's there?\nInterviewee: Nay, answer me.\n"
                     "Interviewer: Long live the King!\n", encoding="utf-8")
    second.write_text("Interviewer: Bernardo?\nInterviewee: He.\nInterviewer: You come most carefully.\n",
                      encoding="utf-8")
    import_files(project, [first])
    import_files(project, [second])
    speakers = project.corpus.speakers
    interviewees = speakers[speakers["speaker"].str.startswith("Interviewee")]
    assert sorted(interviewees["speaker"]) == ["Interviewee 1", "Interviewee 2"]
    assert set(speakers[speakers["speaker"].str.startswith("Interviewer")]["speaker"]) == {"Interviewer"}
    key = (project.private_dir / "pseudonyms.csv")
    assert not key.exists() or "Interviewee" not in key.read_text(encoding="utf-8")  # a role, not a name
    assert "the Interviewee 1 before you" not in project.corpus.text("interview-2")
