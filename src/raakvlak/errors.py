"""Errors a researcher can read.

Every error raakvlak raises on bad input is a :class:`RaakvlakError` whose message
names the file, line, document or code at fault and says what to do. The CLI prints
the message on one line and exits non-zero; it never shows a traceback for these.
"""

from __future__ import annotations


class RaakvlakError(Exception):
    """Base class of every error raised on bad input or a bad project state."""


class ProjectError(RaakvlakError):
    """The project folder is missing, incomplete or its settings are invalid."""


class ImportProblem(RaakvlakError):
    """A file could not be imported (format, encoding, size, structure)."""


class CorpusError(RaakvlakError):
    """The corpus on disk is inconsistent (unknown document, hash mismatch ...)."""


class CodebookError(RaakvlakError):
    """The codebook is invalid; the message names file, line and code."""


class CodingError(RaakvlakError):
    """A coding action was refused (unknown document or code, offsets outside the text ...)."""


class LogError(RaakvlakError):
    """A coding log could not be read or written."""


class ExchangeError(RaakvlakError):
    """An exchange file (REFI-QDA, export) is broken, hostile or cannot be written."""
