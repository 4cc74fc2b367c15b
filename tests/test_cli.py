"""The raakvlak command as a researcher types it: one-line errors, non-zero exits, real effects."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from raakvlak.cli import main

TRANSCRIPT = "Marieke (leerkracht): Wie heeft hier de regie?\nPetra: Niemand, eerlijk gezegd.\nMarieke: Dan doen we dat.\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project_dir(tmp_path, capsys):
    folder = tmp_path / "studie"
    assert run(capsys, "init", str(folder), "--name", "Studie", "--coders", "anna,bram")[0] == 0
    (folder / "coding" / "codebook.yaml").write_text(
        "codes:\n"
        "  - id: barrier\n    label: {nl: Belemmering, en: Barrier}\n    colour: '#aa3355'\n"
        "    definition: Wat de samenwerking hindert.\n"
        "    children:\n"
        "      - id: barrier.regie\n        label: {nl: Regie, en: Coordination}\n"
        "        colour: '#3355aa'\n        definition: Onduidelijk wie de regie heeft.\n",
        encoding="utf-8",
    )
    raw = tmp_path / "sessie.txt"
    raw.write_text(TRANSCRIPT, encoding="utf-8")
    assert run(capsys, "import", str(raw), "--project", str(folder), "--kind", "transcript")[0] == 0
    return folder


def test_init_import_status(project_dir, capsys, monkeypatch):
    monkeypatch.chdir(project_dir / "notebooks")  # works from inside the project without --project
    code, out, _ = run(capsys, "status", "--json")
    status = json.loads(out)
    assert code == 0
    assert status["documents"] == 1 and status["speakers"] == 2 and status["segments"] == 3
    assert status["words"] == 12  # what was said; speaker labels are not words of the text


def test_import_warns_of_a_new_speaker_named_in_an_earlier_document(project_dir, tmp_path, capsys):
    raw = tmp_path / "vervolg.txt"
    raw.write_text("Joost (mentor): Heeft Petra gebeld?\nPetra: Ja.\n", encoding="utf-8")
    notes = tmp_path / "notities.md"
    # "joost" in lower case is no name import finds by itself; the key's Joost is, any case
    notes.write_text("Volgende week belt joost.\n", encoding="utf-8")
    assert run(capsys, "import", str(notes), "--project", str(project_dir))[0] == 0
    code, out, _ = run(capsys, "import", str(raw), "--project", str(project_dir))
    assert code == 0
    assert "warning: notities: still holds 'Joost' (1×, now Mentor 1)" in out


def test_errors_are_one_line_and_exit_non_zero(project_dir, tmp_path, capsys):
    empty = tmp_path / "leeg.txt"
    empty.write_text("", encoding="utf-8")
    code, out, err = run(capsys, "import", str(empty), "--project", str(project_dir))
    assert code == 1
    assert err.startswith("raakvlak: leeg.txt:") and err.count("\n") == 1
    code, _, err = run(capsys, "status", "--project", str(tmp_path / "nowhere"))
    assert code == 1 and "no raakvlak project" in err


def test_code_codings_uncode_log(project_dir, capsys):
    text = (project_dir / "corpus" / "sessie.txt").read_text(encoding="utf-8")
    start = text.index("de regie")
    p = ["--project", str(project_dir)]
    code, out, _ = run(capsys, "code", *p, "--coder", "anna", "sessie", str(start), str(start + 8), "barrier.regie",
                       "--memo", "wie beslist?")
    assert code == 0 and "“de regie”" in out
    event_id = out.split()[0]
    code, out, _ = run(capsys, "codings", *p, "--format", "json")
    [coding] = json.loads(out)
    assert coding == {"document_id": "sessie", "start": start, "end": start + 8, "code_id": "barrier.regie",
                      "coder": "anna", "quote": "de regie", "origin": "manual", "event_id": event_id,
                      "orphaned": False}
    assert run(capsys, "code", *p, "--coder", "anna", "sessie", "0", "9999", "barrier.regie")[0] == 1
    assert run(capsys, "uncode", *p, "--coder", "anna", event_id)[0] == 0
    _, out, _ = run(capsys, "codings", *p)
    assert out.strip().splitlines() == ["document_id,start,end,code_id,coder,quote,origin,event_id,orphaned"]
    _, out, _ = run(capsys, "log", *p, "--coder", "anna")
    lines = out.strip().splitlines()
    assert len(lines) == 2 and "(withdrawn)" in lines[0] and "uncode" in lines[1]


def test_codebook_check_and_handbook(project_dir, tmp_path, capsys):
    p = ["--project", str(project_dir)]
    code, out, _ = run(capsys, "codebook", *p)
    assert code == 0 and out.startswith("2 codes, 0 problem(s)")
    code, out, _ = run(capsys, "codebook", *p, "--format", "md")
    assert "Regie" in out and "Onduidelijk wie de regie heeft." in out
    assert run(capsys, "codebook", *p, "--format", "xlsx", "--output", str(tmp_path / "h.xlsx"))[0] == 0
    assert (tmp_path / "h.xlsx").stat().st_size > 0
    (project_dir / "coding" / "codebook.yaml").write_text("codes:\n  - id: x\n    colour: red\n", encoding="utf-8")
    code, _, err = run(capsys, "codebook", *p)
    assert code == 1 and "codebook.yaml:" in err


def test_verify_and_reanchor_after_an_edit(project_dir, capsys):
    p = ["--project", str(project_dir)]
    subprocess.run(["git", "init", "-q"], cwd=project_dir, check=True)
    subprocess.run(["git", "add", "-A"], cwd=project_dir, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "import"],
                   cwd=project_dir, check=True)
    path = project_dir / "corpus" / "sessie.txt"
    text = path.read_text(encoding="utf-8")
    start = text.index("Niemand")
    run(capsys, "code", *p, "--coder", "bram", "sessie", str(start), str(start + 7), "barrier.regie")
    assert run(capsys, "verify", *p)[0] == 0
    path.write_text("Een kopregel die later is toegevoegd.\n\n" + text, encoding="utf-8")
    code, out, _ = run(capsys, "verify", *p)
    assert code == 1 and "1 coding(s) to re-anchor" in out
    code, out, _ = run(capsys, "reanchor", *p)
    assert code == 0 and "moved 1 coding(s); 0 orphaned" in out and "(diff)" in out
    _, out, _ = run(capsys, "codings", *p, "--format", "json")
    [coding] = json.loads(out)
    new_text = path.read_text(encoding="utf-8")
    assert new_text[coding["start"]:coding["end"]] == "Niemand"
    assert run(capsys, "verify", *p)[0] == 0


def test_reanchor_keeps_what_it_cannot_place(project_dir, capsys):
    p = ["--project", str(project_dir)]
    path = project_dir / "corpus" / "sessie.txt"
    text = path.read_text(encoding="utf-8")
    start = text.index("Niemand")
    run(capsys, "code", *p, "--coder", "bram", "sessie", str(start), str(start + 7), "barrier.regie")
    path.write_text(text.replace("Niemand", "Geen mens"), encoding="utf-8")
    code, out, _ = run(capsys, "reanchor", *p)
    assert code == 1 and "ORPHANED" in out and "1 orphaned" in out
    _, out, _ = run(capsys, "codings", *p, "--format", "json")
    assert json.loads(out)[0]["quote"] == "Niemand"  # kept, exactly as it was


def test_speakers_set_role(project_dir, capsys):
    p = ["--project", str(project_dir)]
    assert run(capsys, "speakers", *p, "--set", "Spreker 1=wijkteammedewerker")[0] == 0
    _, out, _ = run(capsys, "speakers", *p)
    assert "sessie,Spreker 1,wijkteammedewerker" in out
    assert run(capsys, "speakers", *p, "--set", "Niemand=x")[0] == 1


def test_retrieve_with_query_and_filter(project_dir, capsys):
    p = ["--project", str(project_dir)]
    text = (project_dir / "corpus" / "sessie.txt").read_text(encoding="utf-8")
    start = text.index("de regie")
    run(capsys, "code", *p, "--coder", "anna", "sessie", str(start), str(start + 8), "barrier.regie")
    code, out, _ = run(capsys, "retrieve", *p, "barrier.*", "--where", "speaker=Docent 1")
    assert code == 0 and "“de regie”" in out and out.strip().endswith("1 quote(s)")
    code, out, _ = run(capsys, "retrieve", *p, "barrier.regie", "--where", "speaker=Spreker 1", "--format", "json")
    assert json.loads(out) == []
    code, _, err = run(capsys, "retrieve", *p, "barrier.regie AND (")
    assert code == 1 and "query" in err
    # the parent pattern takes codings on the parent code itself
    start = text.index("Wie heeft")
    assert run(capsys, "code", *p, "--coder", "anna", "sessie", str(start), str(start + 9), "barrier")[0] == 0
    code, out, _ = run(capsys, "retrieve", *p, "barrier.*", "--format", "json")
    assert sorted(q["code_id"] for q in json.loads(out)) == ["barrier", "barrier.regie"]
    code, out, _ = run(capsys, "retrieve", *p, "barrier", "--format", "json")
    assert [q["code_id"] for q in json.loads(out)] == ["barrier"]
    # a filter's values add up, comma-separated or repeated
    code, out, _ = run(capsys, "retrieve", *p, "barrier.regie", "--where", "speaker=Spreker 1",
                       "--where", "speaker=Docent 1")
    assert code == 0 and out.strip().endswith("1 quote(s)")
    code, _, err = run(capsys, "retrieve", *p, "barrier.regie", "--where", "speaker")
    assert code == 1 and err.strip() == "raakvlak: --where takes NAME=VALUE[,VALUE], not 'speaker'"


def test_every_command_declares_its_options(capsys):
    from raakvlak.cli import COMMANDS

    for name in COMMANDS:
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0, name
        assert capsys.readouterr().out.startswith(f"usage: raakvlak {name}")


HEAVY = ("pandas", "spacy", "sklearn", "matplotlib", "docx", "openpyxl", "scipy")


def _imported(cwd, *argv) -> set[str]:
    """The heavy libraries a ``raakvlak`` command imports, run in a fresh interpreter."""
    script = ("import sys\nfrom raakvlak.cli import main\ntry:\n    main(sys.argv[1:])\n"
              "except SystemExit:\n    pass\n"
              f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))")
    done = subprocess.run([sys.executable, "-c", script, *argv], cwd=cwd, capture_output=True,
                          text=True, check=True)
    return set(done.stdout.split("\n")[-2].split())


def test_help_imports_no_heavy_library(tmp_path):
    assert _imported(tmp_path, "--help") == set()
    assert _imported(tmp_path, "import", "--help") == set()


def test_status_reads_cached_segments_without_spacy(project_dir):
    _imported(project_dir, "status")  # the first call computes and caches the segments
    assert _imported(project_dir, "status") == {"pandas"}


def test_init_asks_for_the_coders_on_a_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    asked = []
    monkeypatch.setattr("builtins.input", lambda prompt: asked.append(prompt) or " anna, bram ")
    code, out, _ = run(capsys, "init", str(tmp_path / "a"))
    assert code == 0 and asked and "Who will code" in asked[0]
    assert "coders: anna, bram" in out and "02_coding" in out
    assert (tmp_path / "a" / "notebooks" / "02_coding.ipynb").is_file()
    code, _, err = run(capsys, "init", str(tmp_path / "b"), "--coders", "Anna B")
    assert code == 1 and "coder ids must be slugs" in err and not (tmp_path / "b").exists()


def test_init_without_a_terminal_asks_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked without a terminal"))
    code, out, _ = run(capsys, "init", str(tmp_path / "c"))
    assert code == 0 and "coders: none yet" in out
