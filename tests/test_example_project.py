"""The example project is the proof that import works: rebuilding it gives the same bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from raakvlak import Project
from raakvlak.corpus.canonical import fingerprint, is_canonical
from raakvlak.corpus.structure import blocks

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_rebuilding_the_example_corpus_gives_identical_files(tmp_path):
    env = dict(os.environ, RAAKVLAK=f"{sys.executable} -m raakvlak")
    result = subprocess.run(
        ["bash", str(ROOT / "examples" / "build.sh"), str(tmp_path / "rebuilt")],
        capture_output=True, text=True, env=env,
    )
    assert result.returncode == 0, result.stderr
    rebuilt = tmp_path / "rebuilt" / "corpus"
    committed = sorted(str(p.relative_to(ROOT / "corpus")) for p in (ROOT / "corpus").rglob("*") if p.is_file())
    assert sorted(str(p.relative_to(rebuilt)) for p in rebuilt.rglob("*") if p.is_file()) == committed
    for name in committed:  # texts, tables, pictures and the recording
        assert (rebuilt / name).read_bytes() == (ROOT / "corpus" / name).read_bytes(), name
    # the key stayed in private/, and no raw file was copied into the corpus
    assert (tmp_path / "rebuilt" / "private" / "pseudonyms.csv").exists()


def test_example_corpus_is_canonical_pseudonymised_and_marked_fictional():
    project = Project(ROOT)
    corpus = project.corpus
    documents = corpus.documents
    assert set(documents["kind"]) == {"transcript", "notes", "survey"}
    assert corpus.verify().empty
    key = (ROOT / "examples" / "raw" / "pseudonyms.csv").read_text(encoding="utf-8").splitlines()[1:]
    originals = {line.split(",")[0] for line in key}
    for document_id in corpus.ids:
        text = corpus.text(document_id)
        assert is_canonical(text)
        assert fingerprint(text) == corpus.document(document_id)["sha256"]
        for name in ("Marieke", "Youssef", "Fatima", "De Wilgen", "Lindebeek", "Horizon Jeugdhulp"):
            assert name in originals
            assert name not in text, (document_id, name)
    sessions = documents[documents["setting"] == "actieleren"]["document_id"]
    assert len(sessions) >= 4
    for document_id in sessions:
        text = corpus.text(document_id)
        assert len(text.split()) >= 2500
        assert "fictief" in text.lower()
        speakers = {b.speaker for b in blocks(text) if b.speaker}
        assert 5 <= len(speakers) <= 7
    survey = documents[documents["kind"] == "survey"]["document_id"]
    answers = [b for d in survey for b in blocks(corpus.text(d)) if b.speaker]
    assert len({b.speaker for b in answers}) >= 40
    assert (corpus.speakers["role"] != "").all()
