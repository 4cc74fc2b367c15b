"""The theme explorer, driven without a browser: find, read, map, accept, reject."""

from __future__ import annotations

import pytest

from raakvlak.themes import theme_segments
from test_themes import code_some, generated_documents, make_project

pytest.importorskip("ipywidgets")


@pytest.fixture()
def explorer(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    from raakvlak.widgets.themes import ThemeExplorer

    records, truth = generated_documents()
    project = make_project(tmp_path / "project", records)
    code_some(project, theme_segments(project), truth)
    return ThemeExplorer(project, coder="anna", k=3)


def test_find_shows_themes_quotes_and_a_map(explorer):
    explorer.find.click()
    assert explorer.model is not None and explorer.model.n_themes_ == 3
    html = explorer.themes.value
    assert html.count('class="rv-theme"') == 3
    assert "wachtlijst" in html and "24 set aside" in html
    assert bytes(explorer.map.value).startswith(b"\x89PNG")
    explorer.scope.value = "coded:nothing.*"
    explorer.find.click()
    assert "no codings" in explorer.message.value


def test_accept_and_reject_buttons(explorer):
    log = explorer.project.logs_dir / "anna.jsonl"
    explorer.suggest.click()
    rows = explorer.suggestion_box.children
    assert 0 < len(rows) <= 12
    first = explorer.suggestions.suggestions().iloc[0]
    lines = len(log.read_text(encoding="utf-8").splitlines())
    rows[0].children[1].click()  # Accept
    assert len(log.read_text(encoding="utf-8").splitlines()) == lines + 1
    assert first["suggestion_id"] not in set(explorer.suggestions.suggestions()["suggestion_id"])
    before = log.read_bytes()
    second = explorer.suggestions.suggestions().iloc[0]
    explorer.suggestion_box.children[0].children[2].click()  # Reject
    assert log.read_bytes() == before
    assert second["suggestion_id"] not in set(explorer.suggestions.suggestions()["suggestion_id"])


def test_report_is_written_in_the_project(explorer):
    explorer.fit()
    explorer.report_path.value = "themes.md"
    path = explorer.write_report()
    assert path == explorer.project.root / "themes.md"
    assert path.read_text(encoding="utf-8").startswith("# Thema's")
