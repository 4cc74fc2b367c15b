"""Nothing lost, nothing leaked: races, hostile files and privacy, as a careless or hostile
user would meet them.

Each case reproduces what went wrong before it was fixed. Cases that could eat the
machine if they regressed (archives that unpack to gigabytes) run in a child process
whose address space is capped, so a regression fails instead of swapping.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import textwrap
import time
import zipfile

import pytest

from raakvlak import files
from raakvlak.cli import main
from raakvlak.coding.log import CodingLog
from raakvlak.coding.session import CodingSession
from raakvlak.corpus.importer import import_files
from raakvlak.errors import ExchangeError, LogError, OrphanedCodings
from raakvlak.exchange import import_qdpx
from raakvlak.exchange.tables import quote_table
from raakvlak.locks import ProjectBusy, ProjectLock, StaleLock
from raakvlak.project import Project


@pytest.fixture
def project(tmp_path):
    """A new, empty project."""
    return Project.init(tmp_path / "project")

# ---------------------------------------------------------------------- concurrent imports
# Each process waits for the go file, then imports its own transcript: their speakers
# are new to the key, so every import reads and writes documents.csv, speakers.csv and
# private/pseudonyms.csv at the same moment.
RACER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from raakvlak.cli import main
    go = Path(sys.argv[1])
    while not go.exists():
        time.sleep(0.005)
    sys.exit(main(["import", sys.argv[2], "--project", sys.argv[3], "--kind", "transcript"]))
""")
PEOPLE = [("Marieke", "Joost"), ("Fatima", "Sander"), ("Wilma", "Henk")]


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.timeout(240)
def test_concurrent_imports_all_land_with_one_consistent_key(tmp_path):
    rounds = 4
    for round_ in range(rounds):
        root = tmp_path / f"round{round_}"
        Project.init(root, name="Race")
        files = []
        for n, (teacher, worker) in enumerate(PEOPLE):
            raw = tmp_path / f"sessie-{round_}-{n}.txt"
            raw.write_text(f"{teacher} (leerkracht): Heeft {worker} al gebeld?\n"
                           f"{worker} (jeugdhulpverlener): Nee, {teacher} belt morgen.\n", encoding="utf-8")
            files.append(raw)
        go = tmp_path / f"go{round_}"
        racers = [subprocess.Popen([sys.executable, "-c", RACER, str(go), str(raw), str(root)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for raw in files]
        time.sleep(1.5)  # every racer imported raakvlak and waits
        go.touch()
        outcomes = [racer.communicate(timeout=120) for racer in racers]
        assert [racer.returncode for racer in racers] == [0, 0, 0], outcomes
        documents = _rows(root / "corpus" / "documents.csv")
        assert sorted(d["document_id"] for d in documents) == sorted(f.stem for f in files)
        key = {row["original"]: row["pseudonym"] for row in _rows(root / "private" / "pseudonyms.csv")}
        names = [name for pair in PEOPLE for name in pair]
        assert sorted(key) == sorted(names)
        assert len(set(key.values())) == len(names)  # six people, six pseudonyms
        texts = {f.stem: (root / "corpus" / f"{f.stem}.txt").read_text(encoding="utf-8") for f in files}
        for (teacher, worker), raw in zip(PEOPLE, files, strict=True):
            text = texts[raw.stem]
            assert teacher not in text and worker not in text
            assert text.startswith(f"{key[teacher]}: Heeft {key[worker]} al gebeld?")
        leftovers = sorted(p.name for p in (root / "corpus").glob("*.txt"))
        assert leftovers == sorted(f"{f.stem}.txt" for f in files)  # no text without its row


def test_a_second_writer_waits_then_is_refused_with_the_owner(project, tmp_path):
    root = project.root
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time\nfrom raakvlak.locks import ProjectLock\n"
         "with ProjectLock(sys.argv[1], 'import'):\n    print('held', flush=True)\n    time.sleep(30)\n",
         str(root)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert ProjectLock.holder(root)["action"] == "import"
        started = time.monotonic()
        with pytest.raises(ProjectBusy, match=r"is running 'import' on this project \(process \d+"), \
                ProjectLock(root, "codebook", wait=0.5):
            pass
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
    # the lock went with its process: no stale lock blocks the next writer
    with pytest.warns(StaleLock, match=r"interrupted: .* ran 'import' on this project \(process \d+"), \
            ProjectLock(root, "import", wait=5) as lock:
        assert lock.stale is not None and lock.stale["action"] == "import"  # the interrupted one
    assert ProjectLock.holder(root) is None


# ---------------------------------------------------------------------- surveys
def _survey(path, rows: list[str]) -> None:
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_survey_respondent_numbers_are_identifiers_never_replaced_in_text(project, tmp_path):
    root = project.root

    survey = tmp_path / "enquete.csv"
    _survey(survey, ["respondent,rol,Wat gaat er mis?",
                     "10,docent,We wachten al 10 weken op een plek voor 11 kinderen.",
                     "11,mentor,Na 11 telefoontjes weet ik nog steeds niet wie de regie heeft.",
                     "1,docent,Eén plan voor 1 kind werkt pas als iedereen aan tafel zit.",
                     "2,mentor,Ik heb 2 keer gebeld met het wijkteam en niemand belde terug."])
    report = import_files(project, [survey])
    text = project.corpus.text(report.document_ids[0])
    assert "We wachten al 10 weken op een plek voor 11 kinderen." in text
    assert "Na 11 telefoontjes" in text and "voor 1 kind" in text and "2 keer gebeld" in text
    key = _rows(root / "private" / "pseudonyms.csv")
    assert {r["original"]: r["kind"] for r in key} == dict.fromkeys(["1", "2", "10", "11"], "respondent")
    # a later import is neither refused nor rewritten by the respondent numbers
    later = tmp_path / "notities.txt"
    later.write_text("Over 10 dagen spreken we 2 ouders en 11 leerlingen.\n", encoding="utf-8")
    (doc,) = import_files(project, [later], kind="notes").document_ids
    assert project.corpus.text(doc) == "Over 10 dagen spreken we 2 ouders en 11 leerlingen.\n"


def test_a_key_with_number_rows_from_before_is_read_and_never_applied(project, tmp_path):
    root = project.root
    (root / "private" / "pseudonyms.csv").write_text(
        "original,pseudonym,kind\n1,Docent 1,person\n10,Docent 2,person\nMarieke,Docent 3,person\n",
        encoding="utf-8")

    raw = tmp_path / "notities.txt"
    raw.write_text("Marieke wacht al 10 weken op 1 plek.\n", encoding="utf-8")
    (doc,) = import_files(project, [raw], kind="notes").document_ids
    assert project.corpus.text(doc) == "Docent 3 wacht al 10 weken op 1 plek.\n"


def test_survey_name_columns_are_left_out_and_their_names_replaced_in_answers(project, tmp_path):
    survey = tmp_path / "enquete.csv"
    _survey(survey, ["nr,naam,rol,Wat gaat er mis?",
                     "R1,Marieke de Vries,docent,Marieke de Vries belt steeds zelf de ouders omdat niemand anders het doet.",
                     "R2,Joost Bakker,mentor,Ik overleg met Marieke de Vries maar het wijkteam reageert niet op mails."])
    report = import_files(project, [survey])
    text = project.corpus.text(report.document_ids[0])
    assert "Marieke" not in text and "Joost" not in text and "Bakker" not in text
    assert "R1: R1 belt steeds zelf de ouders" in text


# ---------------------------------------------------------------------- private/ and git
def _git(root, *args):
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=True)


@pytest.mark.skipif(not __import__("shutil").which("git"), reason="needs git")
def test_init_in_a_repository_with_its_own_gitignore_keeps_the_key_out_of_git(tmp_path, capsys):
    root = tmp_path / "studie"
    root.mkdir()
    _git(root, "init", "-q")
    (root / ".gitignore").write_text("*.log", encoding="utf-8")  # no final line end
    assert main(["init", str(root)]) == 0
    (root / "private" / "pseudonyms.csv").write_text("original,pseudonym,kind\nMarieke,Docent 1,person\n",
                                                     encoding="utf-8")
    _git(root, "add", "-A")
    staged = _git(root, "diff", "--cached", "--name-only").stdout.split()
    assert "private/pseudonyms.csv" not in staged and ".gitignore" in staged
    assert (root / ".gitignore").read_text(encoding="utf-8").startswith("*.log\n")
    capsys.readouterr()
    assert main(["status", "--project", str(root)]) == 0
    assert "warning" not in capsys.readouterr().err


@pytest.mark.skipif(not __import__("shutil").which("git"), reason="needs git")
def test_every_command_warns_when_the_key_is_tracked_or_not_ignored(tmp_path, capsys):
    root = tmp_path / "studie"
    Project.init(root)
    _git(root, "init", "-q")
    (root / ".gitignore").write_text(".raakvlak/\n", encoding="utf-8")  # someone removed the line
    (root / "private" / "pseudonyms.csv").write_text("original,pseudonym,kind\n", encoding="utf-8")
    capsys.readouterr()
    main(["status", "--project", str(root)])
    assert "git does not ignore private/" in capsys.readouterr().err
    _git(root, "add", "private/pseudonyms.csv")
    main(["codings", "--project", str(root)])
    err = capsys.readouterr().err
    assert "git tracks 1 file(s) in private/ (private/pseudonyms.csv)" in err


def test_import_replaces_bank_accounts_addresses_birth_dates_and_keyed_surnames(project, tmp_path):
    raw = tmp_path / "intake.txt"
    raw.write_text(
        "Tim Mahy (gemeente): Het gezin woont op de Kerkstraat 12, 3512 ab Utrecht.\n"
        "Marieke (leerkracht): De vader is geboren op 3 mei 1980; zijn rekening is NL91 ABNA 0417 1643 00.\n"
        "Tim Mahy: Dank je. Mahy hier: ik bel morgen terug.\n", encoding="utf-8")
    report = import_files(project, [raw])
    text = project.corpus.text(report.document_ids[0])
    for leaked in ("Mahy", "Kerkstraat", "3512", "1980", "NL91", "0417"):
        assert leaked not in text
    assert "op de [adres], [postcode] Utrecht" in text
    assert "geboren op [geboortedatum]" in text and "rekening is [iban]" in text
    assert "Gemeente 1 hier" in text
    assert {k: report.replacements[k] for k in ("address", "postcode", "dob", "iban")} == dict.fromkeys(
        ("address", "postcode", "dob", "iban"), 1)


# ---------------------------------------------------------------------- bombs, under a memory cap
# The child process may use at most this much address space: a regression that reads a
# bomb into memory fails with MemoryError there instead of eating the machine.
CAP_BYTES = 3 << 30
CAPPED = textwrap.dedent("""
    import resource, sys
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
    from raakvlak.cli import main
    sys.exit(main(sys.argv[2:]))
""")


def _capped(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CAPPED, str(CAP_BYTES), *argv],
                          capture_output=True, text=True, timeout=240)


def _stream_member(archive, name: str, piece: bytes, size: int, head: bytes = b"", tail: bytes = b"") -> None:
    """Write a member of about ``size`` bytes (``head``, ``piece`` repeated, ``tail``)
    without holding it in memory."""
    chunk = piece * ((1 << 20) // len(piece))
    with archive.open(name, "w", force_zip64=True) as member:
        member.write(head)
        written = 0
        while written < size:
            member.write(chunk)
            written += len(chunk)
        member.write(tail)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_bomb(path, size: int):
    """A well-formed Word document whose body unpacks to ``size`` bytes."""
    package = "http://schemas.openxmlformats.org/package/2006"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", (
            f'<?xml version="1.0"?><Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{package}/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'))
        _stream_member(archive, "word/document.xml", b"<w:p><w:r><w:t>bla bla</w:t></w:r></w:p>", size,
                       head=f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode(),
                       tail=b"</w:body></w:document>")
    return path


def test_a_small_real_docx_of_the_bomb_shape_imports(project, tmp_path):
    """The bomb below is a real Word document: small, it imports (so its refusal is the size)."""
    (doc,) = import_files(project, [_docx_bomb(tmp_path / "klein.docx", 1000)], kind="notes").document_ids
    assert project.corpus.text(doc).startswith("bla bla")


@pytest.mark.timeout(300)
@pytest.mark.skipif(sys.platform == "win32", reason="address-space limits are POSIX")
def test_a_docx_that_unpacks_to_a_gibibyte_is_refused_under_a_memory_cap(project, tmp_path):
    root = project.root
    bomb = _docx_bomb(tmp_path / "verslag.docx", 1 << 30)
    assert bomb.stat().st_size < 20_000_000
    done = _capped("import", str(bomb), "--project", str(root))
    assert done.returncode == 1, done.stderr[-2000:]
    assert re.match(r"raakvlak: verslag.docx: its part 'word/document.xml' unpacks to 1,07\d MB", done.stderr)
    assert "Traceback" not in done.stderr
    assert (root / "corpus" / "documents.csv").read_text(encoding="utf-8").count("\n") == 1


@pytest.mark.timeout(300)
@pytest.mark.skipif(sys.platform == "win32", reason="address-space limits are POSIX")
def test_a_qdpx_with_a_huge_source_is_refused_under_a_memory_cap(project, tmp_path):
    root = project.root
    source = "bbbbbbbb-0000-0000-0000-000000000001"
    qdpx = tmp_path / "groot.qdpx"
    with zipfile.ZipFile(qdpx, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("project.qde", (
            '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
            f'name="X" origin="NVivo"><Sources><TextSource guid="{source}" name="Groot" '
            f'plainTextPath="internal://{source}.txt"/></Sources></Project>'))
        _stream_member(archive, f"sources/{source}.txt", b"Wie heeft de regie? ", 190_000_000)
    assert qdpx.stat().st_size < 5_000_000
    done = _capped("import-qdpx", str(qdpx), "--project", str(root))
    assert done.returncode == 1, done.stderr[-2000:]
    assert "more than the limit" in done.stderr and "Traceback" not in done.stderr
    assert (root / "corpus" / "documents.csv").read_text(encoding="utf-8").count("\n") == 1


# ---------------------------------------------------------------------- no silent loss
def test_xlsx_formulas_without_a_stored_result_are_listed_and_the_exit_status_says_so(project, tmp_path, capsys):
    from openpyxl import Workbook


    root = project.root
    book = Workbook()
    sheet = book.active
    sheet.append(["respondent", "Wat gaat er mis?"])
    sheet.append(["R1", "We wachten al weken op een plek voor de leerling en niemand belt terug."])
    sheet.append(["R2", '=CONCATENATE("Het wijkteam ", "reageert niet op onze mails en telefoontjes.")'])
    sheet.append(["R3", '=A1&" zegt dat de school het zelf moet oplossen zonder hulp van buiten."'])
    path = tmp_path / "enquete.xlsx"
    book.save(path)  # openpyxl stores formulas without their results, as some tools do
    capsys.readouterr()
    assert main(["import", str(path), "--project", str(root)]) == 3
    err = capsys.readouterr().err
    assert "2 thing(s) could not be imported" in err
    assert "enquete.xlsx: sheet 'Sheet', cell B3: a formula (=CONCATENATE(" in err
    assert "cell B4" in err


# ---------------------------------------------------------------------- deep code trees
def _nested_yaml(depth: int) -> str:
    lines = ["codes:"]
    for level in range(depth):
        indent = "    " * level
        lines += [f"{indent}  - id: c{level}", f"{indent}    label: {{nl: C{level}, en: C{level}}}"]
        if level < depth - 1:
            lines.append(f"{indent}    children:")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("depth", [60, 3000])
def test_a_codebook_nested_too_deep_is_a_problem_not_a_crash(project, tmp_path, capsys, depth):
    from raakvlak.coding.codebook import MAX_DEPTH, Codebook

    book = Codebook.from_text(_nested_yaml(depth))
    assert [p.message for p in book.problems][0].startswith(("codes nested more than", "nested too deeply"))
    assert len(book.codes) in (0, MAX_DEPTH)
    root = project.root
    (root / "coding" / "codebook.yaml").write_text(_nested_yaml(depth), encoding="utf-8")
    capsys.readouterr()
    assert main(["codebook", "--project", str(root)]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


def test_codes_nested_3000_deep_in_a_qdpx_are_refused_cleanly(project, tmp_path):
    root = project.root
    codes = "".join(f'<Code guid="cccccccc-0000-0000-0000-{n:012d}" name="c{n}" isCodable="true">'
                    for n in range(3000)) + "</Code>" * 3000
    qdpx = tmp_path / "diep.qdpx"
    with zipfile.ZipFile(qdpx, "w") as archive:
        archive.writestr("project.qde", '<?xml version="1.0" encoding="utf-8"?><Project xmlns='
                         f'"urn:QDA-XML:project:1.0" name="X" origin="NVivo"><CodeBook><Codes>{codes}'
                         "</Codes></CodeBook></Project>")
    before = (root / "coding" / "codebook.yaml").read_bytes()
    with pytest.raises(ExchangeError, match=r"diep.qdpx: codes nested more than 50 levels deep"):
        import_qdpx(project, qdpx)
    assert (root / "coding" / "codebook.yaml").read_bytes() == before


# ---------------------------------------------------------------------- read-only folders, full disks
@pytest.mark.parametrize(("number", "said"), [(28, "the disk is full"), (30, "read-only disk"),
                                              (13, "permission denied")])
def test_a_full_disk_or_read_only_corpus_gives_one_line_and_leaves_the_project(project, tmp_path, capsys, monkeypatch,
                                                                               number, said):
    import errno
    import os


    assert number in (errno.ENOSPC, errno.EROFS, errno.EACCES)
    root = project.root
    raw = tmp_path / "sessie.txt"
    raw.write_text("Marieke (leerkracht): Wie belt de ouders?\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".raakvlak" not in p.parts}
    real = files.tempfile.mkstemp

    def refuse_in_corpus(*args, **kwargs):
        folder = str(kwargs.get("dir", ""))
        if folder.endswith("corpus"):
            raise OSError(number, os.strerror(number), folder)
        return real(*args, **kwargs)

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse_in_corpus)
    capsys.readouterr()
    assert main(["import", str(raw), "--project", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err and "Traceback" not in err
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".raakvlak" not in p.parts}
    assert {p for p in after if "private" not in p.parts} == {p for p in before if "private" not in p.parts}
    assert all(after[p] == before[p] for p in before)


# ---------------------------------------------------------------------- offsets against quotes
@pytest.fixture
def coded(tmp_path):
    """A project with one document and two codings by anna."""

    root = tmp_path / "project"
    project = Project.init(root, coders=["anna"])
    (root / "coding" / "codebook.yaml").write_text(
        "codes:\n  - id: regie\n    label: {nl: Regie, en: Coordination}\n"
        "  - id: wachten\n    label: {nl: Wachten, en: Waiting}\n", encoding="utf-8")
    raw = tmp_path / "sessie.txt"
    raw.write_text("Marieke (leerkracht): Wie heeft hier de regie? We wachten al weken.\n"
                   "Joost (mentor): Niemand heeft de regie, dat is het probleem.\n", encoding="utf-8")
    import_files(project, [raw], kind="transcript", pseudonymise=False)
    text = project.corpus.text("sessie")
    session = CodingSession(project, "anna")
    at = text.index("de regie?")
    session.code("sessie", at, at + 8, "regie")
    at = text.index("We wachten")
    session.code("sessie", at, at + 10, "wachten")
    return project


def _main(capsys, *argv):

    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_shifted_offsets_with_the_quote_and_hash_kept_are_caught_everywhere(coded, capsys):
    import json

    log = coded.logs_dir / "anna.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    event = json.loads(lines[0])
    event["start"] += 3  # shifted by hand; quote and sha256 kept
    event["end"] += 3
    log.write_text("\n".join([json.dumps(event), *lines[1:]]) + "\n", encoding="utf-8")
    p = ("--project", str(coded.root))
    code, out, err = _main(capsys, "verify", *p)
    assert code == 1 and "quote is no longer at its offsets" in out and "1 coding(s) to re-anchor" in out
    assert json.loads(_main(capsys, "status", "--json", *p)[1])["orphaned"] == 1
    _, out, err = _main(capsys, "codings", *p, "--format", "json")
    assert [c["orphaned"] for c in json.loads(out)] == [True, False] and "1 coding(s) are orphaned" in err
    _, out, err = _main(capsys, "retrieve", *p, "regie OR wachten")
    assert "de regie" not in out and "We wachten" in out
    assert "warning: 1 orphaned coding(s) left out" in err
    code, out, err = _main(capsys, "reanchor", *p)
    assert code == 0 and f"{event['start']}-{event['end']} -> {event['start'] - 3}-{event['end'] - 3}" in out
    assert json.loads(_main(capsys, "status", "--json", *p)[1])["orphaned"] == 0


def test_an_orphaning_edit_is_marked_and_left_out_of_analyses(coded, capsys):
    import json


    path = coded.corpus_dir / "sessie.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("de regie?", "het overzicht?"),
                    encoding="utf-8")
    p = ("--project", str(coded.root))
    # both codings are off their quotes now: the first lost its words, the second moved
    assert json.loads(_main(capsys, "status", "--json", *p)[1])["orphaned"] == 2
    with pytest.warns(OrphanedCodings, match="2 orphaned coding"):
        assert quote_table(coded).empty
    code, out, _ = _main(capsys, "reanchor", *p)
    assert code == 1 and "ORPHANED: the quote occurs once, but not between the words" in out
    assert "moved 1 coding(s); 1 orphaned" in out and ".0" not in out  # integer offsets
    with pytest.warns(OrphanedCodings, match="1 orphaned coding"):
        assert list(quote_table(coded)["quote"]) == ["We wachten"]
    assert json.loads(_main(capsys, "status", "--json", *p)[1])["orphaned"] == 1


# ---------------------------------------------------------------------- coders
def test_an_unknown_coder_is_refused_unless_added_on_purpose(coded, capsys):
    p = ("--project", str(coded.root))
    code, _, err = _main(capsys, "code", *p, "--coder", "anan", "sessie", "0", "5", "regie")
    assert code == 1 and "'anan' is not a coder of this project" in err and "anna" in err
    assert not (coded.logs_dir / "anan.jsonl").exists()
    code, _, err = _main(capsys, "code", *p, "--coder", "con", "--new-coder", "sessie", "0", "5", "regie")
    assert code == 1 and "device name" in err and not (coded.logs_dir / "con.jsonl").exists()
    assert _main(capsys, "code", *p, "--coder", "bram", "--new-coder", "sessie", "0", "5", "regie")[0] == 0
    settings = (coded.root / "raakvlak.toml").read_text(encoding="utf-8")
    assert 'coders = ["anna", "bram"]' in settings and settings.startswith("# A raakvlak project.")
    assert _main(capsys, "code", *p, "--coder", "bram", "sessie", "6", "11", "regie")[0] == 0


# ---------------------------------------------------------------------- .qdpx: privacy and honesty
def _qdpx_with_names(tmp_path):
    from test_refi_import import CODE, SRC, USER, project_xml, selection, text_source, write_qdpx

    note = ('<Notes><Note guid="99999999-0000-0000-0000-000000000001" name="Gesprek met Marieke" '
            f'creatingUser="{USER}"><PlainTextContent>Marieke belt terug op 06-12345678.'
            '</PlainTextContent></Note></Notes>')
    codes = ('<Code guid="cccccccc-0000-0000-0000-000000000009" name="Wat Marieke zegt" isCodable="true">'
             '<Description>Alles wat Marieke de Vries (06-12345678) over de regie zegt.</Description></Code>')
    sources = text_source(SRC, "Sessie", selection(1, 0, 7, "Marieke", code=CODE)
                          + '<NoteRef targetGUID="99999999-0000-0000-0000-000000000001"/>')
    return write_qdpx(tmp_path / "namen.qdpx", project_xml("NVivo 14", sources, extra_codes=codes, notes=note),
                      {f"Sources/{SRC}.txt": b"Marieke: Wie heeft de regie?\r\n"})


def test_names_and_numbers_in_qdpx_memos_notes_and_codes_never_reach_tracked_files(project, tmp_path):
    root = project.root
    (root / "private" / "pseudonyms.csv").write_text(
        "original,pseudonym,kind\nMarieke de Vries,Docent 7,person\nMarieke,Docent 7,person\n", encoding="utf-8")
    import_qdpx(project, _qdpx_with_names(tmp_path))
    tracked = {p: p.read_text(encoding="utf-8") for p in root.rglob("*")
               if p.is_file() and not {"private", ".raakvlak"} & set(p.parts)}
    for path, text in tracked.items():
        assert "Marieke" not in text and "12345678" not in text and "de Vries" not in text, path
    codebook = (root / "coding" / "codebook.yaml").read_text(encoding="utf-8")
    assert "Wat Docent 7 zegt" in codebook and "[telefoon]" in codebook
    logs = "".join((root / "coding" / "logs").glob("*.jsonl").__next__().read_text(encoding="utf-8"))
    assert "Docent 7 belt terug op [telefoon]" in logs


def test_a_qdpx_with_a_guid_used_twice_is_refused(tmp_path):
    from test_refi_import import CODE, SRC, project_xml, selection, text_source, write_qdpx

    project = Project.init(tmp_path / "project")
    twice = f'<Code guid="{CODE}" name="Nog eens" isCodable="true"/>'
    path = write_qdpx(tmp_path / "dubbel.qdpx",
                      project_xml("MAXQDA", text_source(SRC, "S", selection(1, 0, 3)), extra_codes=twice),
                      {f"sources/{SRC}.txt": b"Wie belt?\n"})
    with pytest.raises(ExchangeError, match=f"dubbel.qdpx: the code guid {CODE} is used more than once"):
        import_qdpx(project, path)
    assert not list((tmp_path / "project" / "coding" / "logs").glob("*.jsonl"))


def test_a_qdpx_import_failing_half_way_says_what_it_wrote(project, tmp_path, monkeypatch, capsys):
    root = project.root

    def broken(self, events):
        raise LogError(f"{self.path.name}: cannot open the coding log (No space left on device)")

    monkeypatch.setattr(CodingLog, "append_many", broken)
    capsys.readouterr()
    assert main(["import-qdpx", str(_qdpx_with_names(tmp_path)), "--project", str(root)]) == 1
    err = capsys.readouterr().err
    assert "writing the import failed" in err
    assert "written before the failure: 1 document(s), the codebook." in err
    assert "import the file again" in err


def test_the_size_limit_message_names_the_setting_that_raises_it(project, tmp_path, capsys):
    settings = project.root / "raakvlak.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("max_bytes = 50000000", "max_bytes = 100"),
                        encoding="utf-8")
    raw = tmp_path / "lang.txt"
    raw.write_text("Wie heeft de regie? " * 20, encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(raw), "--project", str(project.root)]) == 1
    err = capsys.readouterr().err
    assert "lang.txt: 400 bytes is more than the limit of 100 bytes" in err
    assert "raise the limit: [import] max_bytes in raakvlak.toml" in err and "--max" not in err
