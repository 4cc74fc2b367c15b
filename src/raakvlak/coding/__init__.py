"""Coding: the codebook, the per-coder event logs, their fold, and the coding session."""

from raakvlak.coding.codebook import Code, Codebook, Problem
from raakvlak.coding.events import (
    code_event,
    memo_event,
    reanchor_event,
    recode_event,
    uncode_event,
)
from raakvlak.coding.handbook import handbook_docx, handbook_frame, handbook_markdown, handbook_xlsx
from raakvlak.coding.log import CodingLog, LogProblem, LogRead, read_logs
from raakvlak.coding.session import CodingSession
from raakvlak.coding.state import CodingState, fold, load_state

__all__ = [
    "Code",
    "Codebook",
    "CodingLog",
    "CodingSession",
    "CodingState",
    "LogProblem",
    "LogRead",
    "Problem",
    "code_event",
    "fold",
    "handbook_docx",
    "handbook_frame",
    "handbook_markdown",
    "handbook_xlsx",
    "load_state",
    "memo_event",
    "read_logs",
    "reanchor_event",
    "recode_event",
    "uncode_event",
]
