"""Shared by the tests and the docstring examples: where the example project lives."""

from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace):
    from raakvlak import Project

    doctest_namespace["EXAMPLE"] = EXAMPLE
    doctest_namespace["Project"] = Project
