"""Coding: the codebook, the per-coder event logs, their fold, and the coding session."""

from raakvlak.coding.codebook import Code, Codebook, Problem
from raakvlak.coding.handbook import handbook_docx, handbook_frame, handbook_markdown, handbook_xlsx

__all__ = [
    "Code",
    "Codebook",
    "Problem",
    "handbook_docx",
    "handbook_frame",
    "handbook_markdown",
    "handbook_xlsx",
]
