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


class RaakvlakWarning(UserWarning):
    """Something a researcher must know about a result that was still computed (the CLI
    prints it as ``raakvlak: warning: ...``; a notebook shows it under the cell)."""


class OrphanedCodings(RaakvlakWarning):
    """Codings left out of an analysis because their quote is no longer at their offsets."""


def file_problem(exc: OSError) -> str:
    """One line for a researcher about a file the system would not read or write.

    Every file raakvlak writes is written whole to a temporary file and then put in
    place (or appended whole and fsynced), so after such a failure each file is as it
    was or as it was meant to be, never half.

    Examples
    --------
    >>> import errno
    >>> file_problem(OSError(errno.ENOSPC, "No space left on device", "corpus/documents.csv"))
    'corpus/documents.csv: the disk is full; free some space and run the command again (files already written are whole)'
    """
    import errno

    where = f"{exc.filename}: " if exc.filename else ""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return (f"{where}the disk is full; free some space and run the command again "
                "(files already written are whole)")
    if exc.errno == errno.EROFS:
        return f"{where}the folder is on a read-only disk; copy the project to a writable place"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"{where}permission denied; check that you may write in this folder"
    return f"{where}{exc.strerror or exc}"
