"""Picture regions in analysis and exports: tables, retrieval, agreement, thumbnails."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from PIL import Image

from raakvlak.analysis.pictures import (
    project_regions,
    region_agreement,
    region_agreement_table,
    region_table,
    region_units,
)
from raakvlak.analysis.tables import project_document_matrix, project_frequencies
from raakvlak.coding.picture_session import PictureSession
from raakvlak.corpus.pictures import import_pictures
from raakvlak.exchange import write_quotes, write_report


@pytest.fixture
def coded(example_project, tmp_path):
    image = Image.new("RGB", (600, 400), "white")
    image.paste((220, 40, 40), (100, 100, 300, 300))
    image.save(tmp_path / "toren.png")
    import_pictures(example_project, [tmp_path / "toren.png"], variables={"site": "gemeente"})
    anna, bram = PictureSession(example_project, "anna"), PictureSession(example_project, "bram")
    anna.code_region("toren", (100, 100, 300, 300), "barrier.regie", memo="de rode toren")
    bram.code_region("toren", (110, 100, 300, 310), "barrier.regie")   # IoU 0.86: one unit
    anna.code_region("toren", (400, 50, 500, 150), "barrier.providers")  # only anna: a disagreement
    return example_project


def test_frequencies_count_a_region_as_a_coding_on_its_picture(coded):
    matrix = project_document_matrix(coded)
    assert matrix["toren"].to_dict() == {**{c: 0 for c in matrix.index},
                                         "barrier.regie": 2, "barrier.providers": 1}
    segments = project_document_matrix(coded, measure="segments")
    assert segments.loc["barrier.regie", "toren"] == 1  # a picture is one segment
    by_site = project_frequencies(coded, by="site").set_index(["code_id", "site"])
    assert by_site.loc[("barrier.providers", "gemeente"), "codings"] >= 1
    mentors = project_document_matrix(coded, where={"role": ["mentor"]})
    assert "toren" not in mentors.columns  # a filter on a variable pictures lack leaves them out


def test_region_retrieval_follows_the_query(coded):
    found = region_table(coded, "barrier.regie")
    assert found["coder"].tolist() == ["anna", "bram"]
    assert found.loc[0, ["left", "top", "right", "bottom", "width", "height"]].tolist() == [100, 100, 300, 300, 200, 200]
    assert found.loc[0, "memo"] == "de rode toren" and found.loc[0, "site"] == "gemeente"
    both = region_table(coded, "barrier.regie AND barrier.providers")
    assert sorted(set(both["code_id"])) == ["barrier.providers", "barrier.regie"]
    assert region_table(coded, "barrier.regie AND NOT barrier.providers").empty


def test_region_agreement_matches_by_iou(coded):
    regions = project_regions(coded)
    tower = regions[regions["document_id"] == "toren"]  # the example's own pictures aside
    table = region_agreement_table(tower, ["anna", "bram"]).set_index("code_id")
    assert table.loc["barrier.regie", "units"] == 2
    assert table.loc["barrier.regie", "percent_agreement"] == 1.0
    assert table.loc["barrier.providers", "percent_agreement"] == 0.5
    strict = region_agreement_table(tower, ["anna", "bram"], threshold=0.95).set_index("code_id")
    assert strict.loc["barrier.regie", "units"] == 3  # the two towers no longer match
    whole = region_agreement(coded, ["anna", "bram"]).set_index("code_id")
    assert whole.loc["(all codes)", "units"] >= 2 and whole.loc["barrier.regie", "label"] != "barrier.regie"


def test_units_join_only_rectangles_that_coincide():
    regions = pd.DataFrame({"coder": ["a", "b", "a", "b"], "document_id": ["p", "p", "p", "q"],
                            "left": [0, 0, 0, 0], "top": [0, 0, 0, 0], "right": [10, 10, 4, 10],
                            "bottom": [10, 10, 10, 10], "code_id": ["x"] * 4})
    units = region_units(regions)["unit"].to_numpy()
    assert units[0] == units[1] and units[2] != units[0] and units[3] not in units[:3]


def test_quote_table_and_report_show_regions_as_thumbnails(coded, tmp_path):
    first = write_quotes(coded, tmp_path / "quotes.xlsx").read_bytes()
    assert write_quotes(coded, tmp_path / "again.xlsx").read_bytes() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        media = [n for n in archive.namelist() if n.startswith("xl/media/")]
        assert len(media) == len(region_table(coded))
        reds = [Image.open(io.BytesIO(archive.read(name))) for name in media]
        assert any(t.getpixel((t.width // 2, t.height // 2))[0] > 200 for t in reds)
    write_quotes(coded, tmp_path / "quotes.csv")
    regions = pd.read_csv(tmp_path / "quotes-regions.csv", encoding="utf-8-sig")
    assert len(regions) == len(region_table(coded)) and "toren" in set(regions["document_id"])
    report = write_report(coded, tmp_path / "report.docx").read_bytes()
    assert write_report(coded, tmp_path / "again.docx").read_bytes() == report
    with zipfile.ZipFile(io.BytesIO(report)) as archive:
        assert len([n for n in archive.namelist() if n.startswith("word/media/")]) == len(region_table(coded))
        body = archive.read("word/document.xml").decode()
        assert "(100, 100)" in body and "toren" in body
