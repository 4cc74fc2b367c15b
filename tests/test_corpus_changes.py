"""Names found at import, the review list per import, and documents changed afterwards
(names keep / confirm, pseudonymise, replace, remove) with their codings carried exactly.

Texts nobody here wrote, both public domain: the first stanza of the Wilhelmus (about
1570, author uncertain), in its usual modern spelling; lines of William Shakespeare,
*Hamlet* (1603), act 1, scene 1, set as a transcript (one speaker a line, verse run on
as prose). The line layout is ours.
"""

from __future__ import annotations

import pytest

from raakvlak.cli import main
from raakvlak.corpus.detection import review_lists
from raakvlak.corpus.key import PseudonymKey
from raakvlak.corpus.store import CorpusStore
from raakvlak.locks import ProjectLock
from raakvlak.project import Project

WILHELMUS = ("Wilhelmus van Nassouwe ben ik, van Duitsen bloed, den vaderland getrouwe blijf ik tot in "
             "den dood. Een Prinse van Oranje ben ik, vrij onverveerd, den Koning van Hispanje heb ik "
             "altijd geëerd.\n")
HAMLET = (
    "BERNARDO: Well, good night. If you do meet Horatio and Marcellus, the rivals of my watch, bid "
    "them make haste.\n"
    "FRANCISCO: I think I hear them. Stand, ho! Who's there?\n"
    "HORATIO: Friends to this ground.\n"
    "MARCELLUS: And liegemen to the Dane.\n"
    "FRANCISCO: Give you good night.\n"
    "MARCELLUS: O, farewell, honest soldier: who hath relieved you?\n"
    "FRANCISCO: Bernardo has my place. Give you good night.\n"
    "HORATIO: Our last king, whose image even but now appeared to us, was, as you know, by "
    "Fortinbras of Norway, thereto pricked on by a most emulate pride, dared to the combat; in "
    "which our valiant Hamlet (for so this side of our known world esteemed him) did slay this "
    "Fortinbras.\n"
)
CODEBOOK = ("codes:\n  - id: trouw\n    label: {nl: Trouw, en: Loyalty}\n    colour: '#aa3355'\n"
            "    definition: Trouw aan land, vorst of wacht.\n")


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path, capsys):
    folder = tmp_path / "studie"
    assert run(capsys, "init", folder, "--coders", "anna,bram")[0] == 0
    (folder / "coding" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "wilhelmus.txt").write_text(WILHELMUS, encoding="utf-8")
    (tmp_path / "hamlet.txt").write_text(HAMLET, encoding="utf-8")
    return Project(folder)


def _import(capsys, project, *files, options=()):
    code, out, err = run(capsys, "import", *files, "--project", project.root, *options)
    assert code == 0, err
    return out


def _code(capsys, project, coder, document, quote, nth=0):
    """Code the ``nth`` occurrence of ``quote`` in ``document``; the event id."""
    text = project.corpus.text(document)
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    code, out, err = run(capsys, "code", "--coder", coder, document, start, start + len(quote), "trouw",
                         "--project", project.root)
    assert code == 0, err
    return out.split()[0]


def _codings(project):
    state, _ = project.coding_state()
    return state.codings.set_index("event_id")


def _anchored(project):
    """Every live coding's quote stands at its offsets (what every analysis checks)."""
    for row in _codings(project).itertuples():
        assert project.corpus.text(row.document_id)[row.start:row.end] == row.quote


def _log_bytes(project):
    return {p.name: p.read_bytes() for p in project.logs_dir.glob("*.jsonl")}


# ---------------------------------------------------------------------- import
def test_import_replaces_a_name_it_finds_and_lists_near_misses(project, tmp_path, capsys):
    out = _import(capsys, project, tmp_path / "wilhelmus.txt", tmp_path / "hamlet.txt")
    assert "names found and replaced: Wilhelmus van Nassouwe -> Persoon 1 (1x)" in out
    assert "near misses, not replaced:" in out and "Fortinbras" in out
    wilhelmus = project.corpus.text("wilhelmus")
    assert wilhelmus.startswith("Persoon 1 ben ik, van Duitsen bloed")
    assert "Hispanje" in wilhelmus and "Oranje" in wilhelmus  # places stay
    hamlet = project.corpus.text("hamlet")
    # speakers are named in running text too, whatever the case; Fortinbras is only listed
    assert "If you do meet Speaker 3 and Speaker 4," in hamlet and "Horatio" not in hamlet
    assert hamlet.count("Fortinbras") == 2
    key = PseudonymKey(project.private_dir / "pseudonyms.csv")
    assert key.entry("Wilhelmus van Nassouwe") == ("Wilhelmus van Nassouwe", "Persoon 1", "detected")
    assert key.entry("Fortinbras") is None
    (review_file,) = (project.private_dir / "reviews").glob("import-*.csv")
    import pandas as pd

    review = pd.read_csv(review_file, dtype=str, keep_default_na=False)
    rows = {(r.document, r.original): r for r in review.itertuples()}
    replaced = rows["wilhelmus", "Wilhelmus van Nassouwe"]
    assert (replaced.decision, replaced.replacement, replaced.offset) == ("replaced", "Persoon 1", "0")
    near = rows["hamlet", "Fortinbras"]
    assert (near.decision, near.replacement, near.count) == ("near miss", "", "2")
    assert hamlet[int(near.offset):int(near.offset) + len("Fortinbras")] == "Fortinbras"
    assert ("hamlet", "Horatio") not in rows  # what the key replaces is no finding


def test_every_import_writes_a_review_list_of_its_own(project, tmp_path, capsys):
    _import(capsys, project, tmp_path / "wilhelmus.txt")
    (first,) = (project.private_dir / "reviews").glob("import-*.csv")
    before = first.read_bytes()
    _import(capsys, project, tmp_path / "hamlet.txt")
    _import(capsys, project, tmp_path / "wilhelmus.txt", options=["--id", "nog-eens", "--allow-duplicate"])
    files = sorted((project.private_dir / "reviews").glob("import-*.csv"))
    assert len(files) == 3 and first in files
    assert first.read_bytes() == before  # never overwritten
    # the key remembers the name: the second import of the stanza replaces it as the first did
    assert project.corpus.text("nog-eens") == project.corpus.text("wilhelmus")


def test_no_pseudonymise_imports_the_text_as_it_is(project, tmp_path, capsys):
    out = _import(capsys, project, tmp_path / "wilhelmus.txt", options=["--no-pseudonymise"])
    assert project.corpus.text("wilhelmus") == WILHELMUS
    assert "names found" not in out and not (project.private_dir / "reviews").exists()


# ---------------------------------------------------------------------- names keep / confirm
def test_names_keep_takes_a_name_back_with_its_codings(project, tmp_path, capsys):
    _import(capsys, project, tmp_path / "wilhelmus.txt")
    first = _code(capsys, project, "anna", "wilhelmus", "Persoon 1 ben ik")
    later = _code(capsys, project, "bram", "wilhelmus", "Koning van Hispanje")
    logs = _log_bytes(project)
    code, out, _ = run(capsys, "names", "keep", "Wilhelmus van Nassouwe", "--project", project.root)
    assert code == 0 and "wilhelmus: 1 replacement(s), 2 coding(s) carried" in out
    assert project.corpus.text("wilhelmus") == WILHELMUS  # exactly as written
    codings = _codings(project)
    assert codings.loc[first, ["start", "end", "quote"]].tolist() == [0, 29, "Wilhelmus van Nassouwe ben ik"]
    assert codings.loc[later, "quote"] == "Koning van Hispanje"
    assert codings.loc[later, "start"] == WILHELMUS.index("Koning van Hispanje")
    _anchored(project)
    for name, data in logs.items():  # logs only grow
        assert (project.logs_dir / name).read_bytes().startswith(data)
    key = PseudonymKey(project.private_dir / "pseudonyms.csv")
    assert key.entry("Wilhelmus van Nassouwe") == ("Wilhelmus van Nassouwe", "Persoon 1", "keep")
    # a later import leaves it, and gives its number to nobody else
    (tmp_path / "zelfde.txt").write_text(WILHELMUS.replace("Duitsen", "Duitsen, zei Ricardo,"), encoding="utf-8")
    out = _import(capsys, project, tmp_path / "zelfde.txt")
    assert project.corpus.text("zelfde").startswith("Wilhelmus van Nassouwe ben ik, van Duitsen, zei Persoon 2,")
    # ... and does not list it again: the researcher has said it is no name
    assert "Wilhelmus" not in out
    import pandas as pd

    latest = pd.read_csv(review_lists(project.private_dir)[-1], dtype=str)
    assert not latest["original"].str.contains("Wilhelmus|Nassouwe").any()
    assert "Duitsen" in set(latest["original"])  # the rest of the list is as before
    code, out, _ = run(capsys, "verify", "--project", project.root)
    assert code == 0, out


def test_names_confirm_replaces_a_near_miss_everywhere(project, tmp_path, capsys):
    _import(capsys, project, tmp_path / "hamlet.txt")
    coding = _code(capsys, project, "anna", "hamlet", "by Fortinbras of Norway")
    after = _code(capsys, project, "anna", "hamlet", "did slay this Fortinbras.")
    code, out, _ = run(capsys, "names", "confirm", "Fortinbras", "--project", project.root)
    assert code == 0 and "'Fortinbras' is a name: Persoon 1" in out
    text = project.corpus.text("hamlet")
    assert "Fortinbras" not in text and text.count("Persoon 1") == 2
    codings = _codings(project)
    assert codings.loc[coding, "quote"] == "by Persoon 1 of Norway"
    assert codings.loc[after, "quote"] == "did slay this Persoon 1."
    _anchored(project)
    # --as gives a name another pseudonym, e.g. the speaker it names; refused for the key's own
    code, _, err = run(capsys, "names", "confirm", "Bernardo", "--as", "Wachter", "--project", project.root)
    assert code == 1 and "is in the key as a person (Speaker 1)" in err and err.count("\n") == 1


def test_names_keep_refuses_what_the_researcher_keyed(project, tmp_path, capsys):
    _import(capsys, project, tmp_path / "hamlet.txt")
    code, out, err = run(capsys, "names", "keep", "Horatio", "--project", project.root)
    assert code == 1 and out == ""
    assert err.startswith("raakvlak: ") and "'HORATIO' is in the key as a person (Speaker 3)" in err
    code, _, err = run(capsys, "names", "keep", "--project", project.root)
    assert code == 1 and err == "raakvlak: names keep: give one or more words\n"


# ---------------------------------------------------------------------- pseudonymise
def test_pseudonymise_applies_the_key_and_carries_codings_exactly(project, tmp_path, capsys):
    _import(capsys, project, tmp_path / "hamlet.txt", options=["--no-pseudonymise"])
    assert project.corpus.text("hamlet") == HAMLET.replace("\n", "\n\n").rstrip("\n") + "\n"
    quotes = ["If you do meet Horatio and Marcellus", "Give you good night.", "by Fortinbras of Norway",
              "Bernardo has my place"]
    ids = [_code(capsys, project, "anna", "hamlet", q) for q in quotes]
    ids.append(_code(capsys, project, "bram", "hamlet", "Give you good night.", nth=1))
    (project.private_dir / "pseudonyms.csv").write_text(
        "original,pseudonym,kind\nHoratio,Wachter 1,person\nMarcellus,Wachter 2,person\n"
        "Bernardo,Wachter 3,person\nFrancisco,Wachter 4,person\nFortinbras,Koning 1,person\n",
        encoding="utf-8")
    code, out, _ = run(capsys, "pseudonymise", "hamlet", "--project", project.root)
    assert code == 0 and "hamlet: 13 replacement(s), 5 coding(s) carried" in out
    text = project.corpus.text("hamlet")
    assert text.startswith("WACHTER 3: Well, good night. If you do meet Wachter 1 and Wachter 2,")
    codings = _codings(project)
    assert codings.loc[ids, "quote"].tolist() == [
        "If you do meet Wachter 1 and Wachter 2", "Give you good night.", "by Koning 1 of Norway",
        "Wachter 3 has my place", "Give you good night."]
    _anchored(project)
    speakers = set(project.corpus.speakers["speaker"])
    assert speakers == {"WACHTER 1", "WACHTER 2", "WACHTER 3", "WACHTER 4"}
    code, out, _ = run(capsys, "pseudonymise", "--project", project.root)  # nothing left to do
    assert code == 0 and out.strip() == "pseudonymised 1 document(s); 0 changed"
    code, _, err = run(capsys, "pseudonymise", "elsinore", "--project", project.root)
    assert code == 1 and err.startswith("raakvlak: no document 'elsinore' in the corpus")


# ---------------------------------------------------------------------- remove / replace
def test_remove_is_refused_while_a_document_has_codings(project, tmp_path, capsys):
    _import(capsys, project, tmp_path / "wilhelmus.txt", tmp_path / "hamlet.txt")
    coding = _code(capsys, project, "anna", "hamlet", "Friends to this ground.")
    text = project.corpus.text("hamlet")
    logs = _log_bytes(project)
    code, out, err = run(capsys, "remove", "hamlet", "--project", project.root)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "document 'hamlet' has 1 coding(s) (anna 1)" in err and "--force" in err
    assert "hamlet" in project.corpus.ids
    code, out, _ = run(capsys, "remove", "hamlet", "--force", "--project", project.root)
    assert code == 0 and f"ORPHANED anna {coding} trouw" in out
    assert project.corpus.ids == ["wilhelmus"]
    assert "hamlet" not in set(project.corpus.speakers["document_id"])
    assert _log_bytes(project) == logs  # nothing in a log is deleted, nothing added
    (copy,) = (project.private_dir / "removed").glob("hamlet-*.txt")
    assert copy.read_text(encoding="utf-8") == text
    code, out, _ = run(capsys, "codings", "--project", project.root)
    assert coding in out and out.strip().endswith("True")  # kept, marked orphaned
    code, _, err = run(capsys, "remove", "hamlet", "--project", project.root)
    assert code == 1 and err.startswith("raakvlak: no document 'hamlet' in the corpus")
    assert run(capsys, "remove", "wilhelmus", "--project", project.root)[0] == 0  # no codings: no --force


def test_replace_reanchors_codings_and_reports_what_it_cannot_place(project, tmp_path, capsys):
    _import(capsys, project, tmp_path / "hamlet.txt", options=["--title", "Elsinore", "--var", "site=kasteel"])
    kept = _code(capsys, project, "anna", "hamlet", "Friends to this ground.")
    gone = _code(capsys, project, "anna", "hamlet", "And liegemen to the Dane.")
    edited = tmp_path / "hamlet-2.txt"
    edited.write_text(HAMLET.replace("MARCELLUS: And liegemen to the Dane.\n", "")
                      .replace("Well, good night.", "Well, good night, and well met."), encoding="utf-8")
    code, out, _ = run(capsys, "replace", "hamlet", edited, "--project", project.root)
    assert code == 1  # a coding could not be placed: said, and kept as it was
    assert f"ORPHANED anna {gone} trouw" in out and "the quote no longer occurs in the text" in out
    assert "1 coding(s) carried, 1 orphaned" in out
    text = project.corpus.text("hamlet")
    assert "well met" in text and "liegemen" not in text
    codings = _codings(project)
    start = codings.loc[kept, "start"]
    assert text[start:start + len("Friends to this ground.")] == "Friends to this ground."
    assert codings.loc[gone, "quote"] == "And liegemen to the Dane."  # still in the log, orphaned
    documents = project.corpus.documents.set_index("document_id")
    assert documents.loc["hamlet", ["title", "site"]].tolist() == ["Elsinore", "kasteel"]
    assert project.corpus.ids == ["hamlet"]
    code, _, err = run(capsys, "replace", "ophelia", edited, "--project", project.root)
    assert code == 1 and err.startswith("raakvlak: no document 'ophelia' in the corpus")


# ---------------------------------------------------------------------- the lock
def test_every_change_holds_the_project_lock(project, tmp_path, capsys, monkeypatch):
    _import(capsys, project, tmp_path / "wilhelmus.txt", tmp_path / "hamlet.txt")
    held = []

    def watch(name):
        original = getattr(CorpusStore, name)

        def watched(self, *args, **kwargs):
            held.append((name, (ProjectLock.holder(project.root) or {}).get("action")))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(CorpusStore, name, watched)

    for name in ("rewrite", "remove", "add"):
        watch(name)
    run(capsys, "names", "confirm", "Fortinbras", "--project", project.root)
    run(capsys, "pseudonymise", "--project", project.root)
    (tmp_path / "kort.txt").write_text("HORATIO: Friends to this ground.\nMARCELLUS: And liegemen.\n",
                                       encoding="utf-8")
    run(capsys, "replace", "hamlet", tmp_path / "kort.txt", "--project", project.root)
    run(capsys, "remove", "wilhelmus", "--project", project.root)
    assert held == [("rewrite", "names confirm"), ("add", "replace"), ("remove", "remove")]
    assert ProjectLock.holder(project.root) is None


# Hamlet, act 5, scene 2 (public domain): Hamlet names Fortinbras; Fortinbras then speaks.
DYING = "HAMLET: But I do prophesy the election lights on Fortinbras: he has my dying voice.\n"
ENTRY = "[00:03:10] FORTINBRAS: Where is this sight?\n[00:03:12] HORATIO: What is it ye would see?\n"


def test_review_places_a_name_in_running_text_not_in_a_speaker_label():
    from raakvlak.corpus.detection import _first

    assert _first(ENTRY, "Fortinbras") is None  # only a label: no place to show
    assert _first(ENTRY + DYING, "Fortinbras") == len(ENTRY) + DYING.index("Fortinbras")


def test_review_lists_no_abbreviation_or_role_as_a_near_miss(tmp_path):
    from raakvlak.corpus.candidates import names_nobody
    from raakvlak.corpus.detection import Detector
    from raakvlak.corpus.pseudonymise import Pseudonymiser

    detector = Detector(Pseudonymiser(tmp_path / "pseudonyms.csv"))
    # the Wilhelmus with the abbreviations a Dutch transcript names a law and a service by
    found = detector.read("s", [WILHELMUS + "Dat staat in de AVG, zei de JGZ."], "nl")
    originals = {f.original: f.decision for f in found}
    assert originals["Wilhelmus van Nassouwe"] == "replaced"
    assert "AVG" not in originals and "JGZ" not in originals
    assert not names_nobody("Fortinbras") and names_nobody("AVG")
