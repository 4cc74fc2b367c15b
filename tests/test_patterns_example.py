"""The example project's pattern records are what examples/patterns_example.py writes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from raakvlak.patterns import load_records

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "patterns_example.py"


def _content(records):
    """The records without ids and times: what the script decides."""
    return sorted(
        (r.document_id, r.title, r.pattern, tuple(sorted(r.steps.items())), r.actors, r.codes, r.follow_up,
         tuple((link.step, link.document_id, link.quote, link.start, link.end) for link in r.links))
        for r in records)


def test_the_script_writes_the_stored_example_records(example_project):
    spec = importlib.util.spec_from_file_location("patterns_example", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    stored = _content(load_records(example_project).live())
    assert script.main(["--project", str(example_project.root)]) == 1  # refuses to write twice
    assert script.main(["--project", str(example_project.root), "--force"]) == 0
    written = load_records(example_project).live()
    assert _content(written) == stored and len(written) == 8
