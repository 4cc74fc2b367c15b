"""``raakvlak reproduce``: results kept from notebooks, the manifest, and the check against it."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import EXAMPLE, copy_example

from raakvlak import Project
from raakvlak.analysis.figures import frequency_bars
from raakvlak.errors import RaakvlakError
from raakvlak.manifest import (
    ManifestError,
    compare,
    first_differing_rows,
    hash_group,
    notebook_code_sha256,
    output_hashes,
    read_manifest,
    report_lines,
    versions,
    write_manifest,
)
from raakvlak.reproduce import (
    OUT_VARIABLE,
    ReproduceError,
    add_arguments,
    keep,
    parse_parameters,
    prepare_notebook,
    reproduce,
    run,
    select_notebooks,
    table_csv,
)

pytestmark = pytest.mark.example_vectors  # notebook 05 fits themes on the example

COMMITTED = EXAMPLE / "reports" / "manifest.json"


# --------------------------------------------------------------------------- keep
def test_keep_outside_a_reproduction_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(OUT_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    table = pd.DataFrame({"code_id": ["b", "a"], "segments": [1, 2]})
    assert keep(table, "frequencies") is table
    assert list(tmp_path.iterdir()) == []


def test_keep_writes_a_sorted_table_with_fixed_floats(tmp_path, monkeypatch):
    monkeypatch.setenv(OUT_VARIABLE, str(tmp_path))
    table = pd.DataFrame({"code_id": ["b", "a", "a"], "alpha": [2 / 3, 0.5, 0.25]})
    assert keep(table, "agreement") is table
    written = (tmp_path / "agreement.csv").read_bytes()
    assert written == b"code_id,alpha\na,0.25\na,0.5\nb,0.6666666667\n"
    assert list(table["code_id"]) == ["b", "a", "a"], "the input is not changed"


def test_keep_can_leave_the_order_of_a_ranking(tmp_path, monkeypatch):
    monkeypatch.setenv(OUT_VARIABLE, str(tmp_path))
    keep(pd.DataFrame({"lemma": ["school", "ouder"], "count": [9, 4]}), "top", sort=False)
    assert (tmp_path / "top.csv").read_text() == "lemma,count\nschool,9\nouder,4\n"


def test_table_csv_keeps_a_named_index_and_drops_row_numbers():
    matrix = pd.DataFrame([[1, 0], [2, 3]], index=pd.Index(["trust", "regie"], name="code_id"),
                          columns=["doc-a", "doc-b"])
    assert table_csv(matrix) == "code_id,doc-a,doc-b\nregie,2,3\ntrust,1,0\n"
    filtered = pd.DataFrame({"x": [3, 1]}, index=[7, 2])
    assert table_csv(filtered) == "x\n1\n3\n"


def test_table_csv_sorts_lists_and_missing_values_deterministically():
    table = pd.DataFrame({"terms": [["b", "c"], ["a"], None], "n": [1.0, float("nan"), 2.0]})
    text = table_csv(table)
    assert text == table_csv(table.iloc[::-1])
    assert text.splitlines()[1:] == [",2", "['a'],", "\"['b', 'c']\",1"]


def test_keep_saves_a_figure_the_same_bytes_each_time(tmp_path, monkeypatch):
    monkeypatch.setenv(OUT_VARIABLE, str(tmp_path / "one"))
    figure = frequency_bars(pd.DataFrame({"code_id": ["a", "b"], "segments": [3, 1]}))
    keep(figure, "bars")
    monkeypatch.setenv(OUT_VARIABLE, str(tmp_path / "two"))
    keep(figure, "bars")
    first = (tmp_path / "one" / "bars.png").read_bytes()
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert first == (tmp_path / "two" / "bars.png").read_bytes()


def test_keep_writes_texts_and_json(tmp_path, monkeypatch):
    monkeypatch.setenv(OUT_VARIABLE, str(tmp_path))
    keep({"words": 3, "documents": 1}, "status")
    keep("# Themes", "report.md")
    keep("alpha .81", "summary")
    assert json.loads((tmp_path / "status.json").read_text()) == {"documents": 1, "words": 3}
    assert (tmp_path / "report.md").read_text() == "# Themes\n"
    assert (tmp_path / "summary.txt").read_text() == "alpha .81\n"


def test_keep_refuses_a_used_name_a_bad_name_and_an_unknown_object(tmp_path, monkeypatch):
    monkeypatch.setenv(OUT_VARIABLE, str(tmp_path))
    keep(pd.DataFrame({"a": [1]}), "table")
    with pytest.raises(ReproduceError, match="already kept"):
        keep(pd.DataFrame({"a": [2]}), "table")
    with pytest.raises(ReproduceError, match="not a usable result name"):
        keep(pd.DataFrame({"a": [1]}), "../outside")
    with pytest.raises(ReproduceError, match=r"cannot keep 'model' \(of type object\)"):
        keep(object(), "model")


# --------------------------------------------------------------------------- manifest
def test_input_hashes_name_every_file_of_the_example(tmp_path):
    corpus = hash_group(EXAMPLE, "corpus")["files"]
    assert "corpus/documents.csv" in corpus and "corpus/speakers.csv" in corpus
    documents = pd.read_csv(EXAMPLE / "corpus" / "documents.csv")
    assert {f"corpus/{d}.txt" for d in documents["document_id"]} <= set(corpus)
    logs = hash_group(EXAMPLE, "logs")["files"]
    assert {f"coding/logs/{p.name}" for p in (EXAMPLE / "coding" / "logs").glob("*.jsonl")} <= set(logs)
    assert "coding/codebook.yaml" not in logs
    copy = copy_example(tmp_path / "example")
    assert hash_group(copy, "corpus") == hash_group(EXAMPLE, "corpus")
    with open(copy / "corpus" / "online-overleg.txt", "a", encoding="utf-8") as handle:
        handle.write("Docent 1: nog iets.\n")
    changed = hash_group(copy, "corpus")
    assert changed["sha256"] != hash_group(EXAMPLE, "corpus")["sha256"]
    assert [n for n in changed["files"] if changed["files"][n] != corpus[n]] == ["corpus/online-overleg.txt"]


def test_notebook_hash_follows_the_code_not_the_prose(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Purpose"),
                                               nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    before = notebook_code_sha256(path)
    notebook.cells[0].source = "# Another purpose"
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nbformat.write(notebook, path)
    assert notebook_code_sha256(path) == before
    notebook.cells[1].source = "x = 2"
    nbformat.write(notebook, path)
    assert notebook_code_sha256(path) != before


def test_versions_name_raakvlak_and_its_dependencies():
    found = versions()
    for name in ("python", "raakvlak", "pandas", "numpy", "matplotlib", "nbclient", "freetype"):
        assert found.get(name) and found[name] != "not installed", name


def test_first_differing_rows_show_the_header_and_the_changed_lines():
    old = "code_id,alpha\nbarrier.avg,0.81\nbarrier.regie,0.7\ntrust,0.9\n"
    new = "code_id,alpha\nbarrier.avg,0.81\nbarrier.regie,0.64\ntrust,0.9\nvision,1\n"
    assert first_differing_rows(old, new) == (
        "header: code_id,alpha",
        "line 3 expected: barrier.regie,0.7",
        "line 3 now:      barrier.regie,0.64",
        "line 5 now:      vision,1",
    )
    many = "h\n" + "".join(f"{i}\n" for i in range(20))
    rows = first_differing_rows(many, many.replace("1", "x"), limit=3)
    assert rows[-1] == "..." and len(rows) == 1 + 3 * 2 + 1


def _report(folder: Path, tables: dict[str, str], figure: bytes, version: str = "1.0") -> dict:
    results = folder / "results" / "04_agreement"
    results.mkdir(parents=True)
    for name, text in tables.items():
        (results / name).write_text(text, encoding="utf-8")
    (results / "alpha.png").write_bytes(figure)
    manifest = {"manifest": 1, "notebooks": ["04_agreement"], "parameters": {},
                "inputs": {"logs": {"files": {"coding/logs/anna.jsonl": "aa"}}},
                "outputs": output_hashes(folder, ["results/04_agreement"]),
                "versions": {"python": "3.11.7", "matplotlib": version}}
    write_manifest(manifest, folder / "manifest.json")
    return manifest


def test_check_reports_a_changed_table_with_its_first_differing_rows(tmp_path):
    table = "code_id,alpha\nbarrier.avg,0.81\nbarrier.regie,0.7\n"
    expected = _report(tmp_path / "expected", {"agreement.csv": table}, b"png")
    actual = _report(tmp_path / "actual", {"agreement.csv": table.replace("0.7", "0.64")}, b"png")
    differences = compare(read_manifest(tmp_path / "expected" / "manifest.json"), actual,
                          tmp_path / "expected", tmp_path / "actual")
    assert [(d.kind, d.name, d.failure) for d in differences] == [
        ("output", "results/04_agreement/agreement.csv", True)]
    assert differences[0].rows == ("header: code_id,alpha",
                                   "line 3 expected: barrier.regie,0.7",
                                   "line 3 now:      barrier.regie,0.64")
    text = "\n".join(report_lines(differences, outputs=2))
    assert "results/04_agreement/agreement.csv: differs" in text
    assert "line 3 now:      barrier.regie,0.64" in text
    assert text.endswith("NOT REPRODUCED: 1 difference(s) (1 of 2 outputs differ)")
    assert compare(expected, expected, tmp_path / "expected", tmp_path / "expected") == []


def test_check_excuses_figures_drawn_with_other_versions_but_never_tables(tmp_path):
    same = _report(tmp_path / "a", {"t.csv": "x\n1\n"}, b"figure one")
    other_figure = _report(tmp_path / "b", {"t.csv": "x\n1\n"}, b"figure two")
    newer = _report(tmp_path / "c", {"t.csv": "x\n1\n"}, b"figure two", version="9.9")
    newer_table = _report(tmp_path / "d", {"t.csv": "x\n2\n"}, b"figure one", version="9.9")

    failing = compare(same, other_figure)
    assert [(d.name, d.failure) for d in failing] == [("results/04_agreement/alpha.png", True)]

    excused = compare(same, newer)
    assert [(d.kind, d.name, d.failure) for d in excused] == [
        ("version", "matplotlib", False), ("output", "results/04_agreement/alpha.png", False)]
    lines = report_lines(excused, outputs=2)
    assert lines[0].startswith("versions differ") and lines[1] == "  matplotlib: 1.0 -> 9.9"
    assert lines[-1].startswith("reproduced")

    assert any(d.failure and d.name.endswith("t.csv") for d in compare(same, newer_table))


def test_check_fails_on_changed_inputs_and_missing_outputs(tmp_path):
    expected = _report(tmp_path / "a", {"t.csv": "x\n1\n", "u.csv": "y\n1\n"}, b"png")
    actual = json.loads(json.dumps(expected))
    actual["inputs"]["logs"]["files"]["coding/logs/anna.jsonl"] = "bb"
    del actual["outputs"]["results/04_agreement/u.csv"]
    found = {(d.kind, d.name, d.expected, d.actual) for d in compare(expected, actual) if d.failure}
    assert ("input", "coding/logs/anna.jsonl", "aa", "bb") in found
    assert any(kind == "output" and name.endswith("u.csv") and new is None
               for kind, name, _, new in found)


def test_read_manifest_names_the_file_at_fault(tmp_path):
    with pytest.raises(ManifestError, match="no such manifest"):
        read_manifest(tmp_path / "manifest.json")
    (tmp_path / "manifest.json").write_text('{"outputs": {}}')
    with pytest.raises(ManifestError, match=r"manifest\.json: not a raakvlak manifest"):
        read_manifest(tmp_path / "manifest.json")


# --------------------------------------------------------------------------- preparing and running
def test_parameters_are_injected_after_the_parameters_cell_and_human_cells_left_out(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Purpose"),
        nbformat.v4.new_code_cell('project_path = ".."\ncoders = ["anna"]'),
        nbformat.v4.new_code_cell("print(coders)"),
        nbformat.v4.new_code_cell("session.accept(0)"),
    ])
    notebook.cells[1].metadata["tags"] = ["parameters"]
    notebook.cells[3].metadata["tags"] = ["human"]
    prepared = prepare_notebook(notebook, tmp_path / "n.ipynb",
                                {"project_path": "/data/study", "coders": ["bram"], "k": 4})
    assert [c.source for c in prepared.cells[1:]] == [
        'project_path = ".."\ncoders = ["anna"]',
        "# Parameters injected by raakvlak reproduce\nproject_path = '/data/study'\ncoders = ['bram']",
        "print(coders)",
    ]
    assert prepared.cells[2].metadata["tags"] == ["injected-parameters"]
    assert len(notebook.cells) == 4, "the notebook given is not changed"
    del notebook.cells[1].metadata["tags"]
    with pytest.raises(ReproduceError, match="no cell is tagged 'parameters'"):
        prepare_notebook(notebook, tmp_path / "n.ipynb", {"project_path": "x"})


def test_notebooks_are_chosen_by_prefix():
    project = Project(EXAMPLE)
    assert [p.stem for p in select_notebooks(project, ["04", "03_retrieval_and_tables"])] == [
        "03_retrieval_and_tables", "04_agreement"]
    with pytest.raises(ReproduceError, match="no notebook match '42'"):
        select_notebooks(project, ["42"])
    with pytest.raises(ReproduceError, match="notebooks match '0'"):
        select_notebooks(project, ["0"])


def test_parse_parameters_reads_literals_and_text():
    assert parse_parameters(["level=sentence", "coders=['anna', 'bram']", "k=None"]) == {
        "level": "sentence", "coders": ["anna", "bram"], "k": None}
    with pytest.raises(RaakvlakError, match="-p takes NAME=VALUE with a Python name"):
        parse_parameters(["no value"])


AGREEMENT_NOTEBOOK = [
    ("markdown", "# Agreement, kept for the report", []),
    ("code", 'project_path = ".."\ncoders = ["anna", "bram"]', ["parameters"]),
    ("code", "from raakvlak import Project\n"
             "from raakvlak.analysis.intercoder import agreement_table, alpha_figure\n"
             "from raakvlak.reproduce import keep\n\n"
             "project = Project(project_path)\n"
             "table = keep(agreement_table(project, coders), \"agreement-table\")\n"
             "keep(alpha_figure(table), \"alpha\")", []),
    ("code", "raise RuntimeError('waits for a person')", ["human"]),
]


def _with_notebook(root: Path, name: str, cells) -> Path:
    notebook = nbformat.v4.new_notebook()
    for kind, source, tags in cells:
        cell = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
        cell.metadata["tags"] = tags
        notebook.cells.append(cell)
    path = root / "notebooks" / f"{name}.ipynb"
    nbformat.write(notebook, path)
    return path


def _command(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project")
    add_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.fixture(scope="module")
def agreement_run(tmp_path_factory):
    """A copy of the example with one small notebook, reproduced once into ``first/``."""
    root = copy_example(tmp_path_factory.mktemp("reproduce") / "example")
    _with_notebook(root, "90_agreement", AGREEMENT_NOTEBOOK)
    done = reproduce(Project(root), root / "first", notebooks=["90"])
    return root, done


@pytest.mark.slow
def test_reproduce_writes_results_executed_copies_and_a_manifest(agreement_run):
    root, done = agreement_run
    out = done.out
    assert sorted(p.name for p in (out / "results" / "90_agreement").iterdir()) == [
        "agreement-table.csv", "alpha.png"]
    executed = nbformat.read(out / "notebooks" / "90_agreement.ipynb", as_version=4)
    assert any(c.metadata.get("tags") == ["injected-parameters"] for c in executed.cells)
    assert not any("human" in c.metadata.get("tags", []) for c in executed.cells)
    manifest = read_manifest(out / "manifest.json")
    assert manifest["notebooks"] == ["90_agreement"]
    assert set(manifest["outputs"]) == {"results/90_agreement/agreement-table.csv",
                                        "results/90_agreement/alpha.png"}
    assert manifest["inputs"]["notebooks"]["files"] == {
        "notebooks/90_agreement.ipynb": notebook_code_sha256(root / "notebooks" / "90_agreement.ipynb")}
    assert manifest["inputs"]["logs"] == hash_group(root, "logs")
    table = pd.read_csv(out / "results" / "90_agreement" / "agreement-table.csv")
    assert "(all codes)" in set(table["code_id"]) and table["alpha"].notna().any()
    text = (out / "manifest.json").read_text()
    assert str(root) not in text and "time" not in json.loads(text)


@pytest.mark.slow
def test_two_runs_write_the_same_manifest(agreement_run, tmp_path):
    root, done = agreement_run
    again = reproduce(Project(root), tmp_path / "second", notebooks=["90"])
    assert (tmp_path / "second" / "manifest.json").read_bytes() == done.manifest_path.read_bytes()
    assert again.manifest == done.manifest


@pytest.mark.slow
def test_check_after_a_coder_changed_lists_the_log_and_the_table(agreement_run, tmp_path, capsys):
    root, done = agreement_run
    changed = copy_example(tmp_path / "changed")
    _with_notebook(changed, "90_agreement", AGREEMENT_NOTEBOOK)
    from raakvlak.coding.session import CodingSession

    session = CodingSession(Project(changed), "bram")
    codings = session.codings()
    session.uncode(codings.sort_values("event_id")["event_id"].iloc[0])

    status = run(_command("--project", str(changed), "--check", str(done.manifest_path),
                          "--out", str(tmp_path / "check")))
    printed = capsys.readouterr().out
    assert status == 1
    assert "coding/logs/bram.jsonl: differs" in printed
    assert "results/90_agreement/agreement-table.csv: differs" in printed
    assert "header: code_id,label,units" in printed and "expected:" in printed and "now:" in printed
    assert "NOT REPRODUCED" in printed

    status = run(_command("--project", str(root), "--check", str(done.manifest_path)))
    printed = capsys.readouterr().out
    assert status == 0 and "reproduced: all 2 outputs match the manifest" in printed


@pytest.mark.slow
def test_check_refuses_to_overwrite_the_results_it_checks(agreement_run):
    root, done = agreement_run
    with pytest.raises(ReproduceError, match="would overwrite"):
        run(_command("--project", str(root), "--check", str(done.manifest_path), "--out", str(done.out)))


@pytest.mark.slow
def test_a_failing_notebook_names_the_cell_and_keeps_the_executed_copy(tmp_path):
    root = copy_example(tmp_path / "example")
    _with_notebook(root, "91_broken", [("code", 'project_path = ".."', ["parameters"]),
                                       ("code", "1 / 0", [])])
    with pytest.raises(ReproduceError, match=r"91_broken.ipynb: cell 2 .* ZeroDivisionError"):
        reproduce(Project(root), tmp_path / "out", notebooks=["91"])
    assert (tmp_path / "out" / "notebooks" / "91_broken.ipynb").is_file()


@pytest.mark.slow
def test_the_committed_example_manifest_is_reproduced(tmp_path, capsys):
    """The notebooks with the most results; the committed manifest covers every notebook."""
    if not COMMITTED.is_file():
        pytest.fail("reports/manifest.json is missing: run `raakvlak reproduce --out reports`")
    committed = read_manifest(COMMITTED)
    assert committed["notebooks"] == [p.stem for p in sorted((EXAMPLE / "notebooks").glob("*.ipynb"))]
    root = copy_example(tmp_path / "example")
    shutil.rmtree(root / "reports", ignore_errors=True)
    status = run(_command("--project", str(root), "--check", str(COMMITTED),
                          "--notebooks", "03,04,05", "--out", str(tmp_path / "check")))
    printed = capsys.readouterr().out
    assert status == 0, ("the example project no longer reproduces reports/manifest.json; if the "
                         "change was meant, run `raakvlak reproduce` in the repository and commit "
                         "reports/\n" + printed)


@pytest.mark.slow
def test_a_notebook_that_changes_the_project_is_refused(tmp_path):
    root = copy_example(tmp_path / "example")
    _with_notebook(root, "92_writes", [
        ("code", 'project_path = ".."', ["parameters"]),
        ("code", "from pathlib import Path\n"
                 "with open(Path(project_path) / 'coding' / 'logs' / 'anna.jsonl', 'a') as log:\n"
                 "    log.write('\\n')", []),
    ])
    with pytest.raises(ReproduceError, match=r"changed their own inputs \(coding/logs/anna.jsonl\)"):
        reproduce(Project(root), tmp_path / "out", notebooks=["92"])
    assert not (tmp_path / "out" / "manifest.json").exists()
