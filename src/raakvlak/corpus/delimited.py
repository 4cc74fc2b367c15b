"""Delimited text tables (.csv, .tsv) as people save them: any encoding, any delimiter.

Spreadsheets save CSV in the encoding of the machine (UTF-8 with or without a
byte-order mark, UTF-16, Windows-1252) and, in a Dutch locale, with semicolons;
labelled sets are often tab-separated. One reader serves survey imports and the
labelled sets of ``themes evaluate`` and ``suggest evaluate``:

- the bytes are decoded by :func:`raakvlak.corpus.encoding.decode`;
- Excel's ``sep=;`` hint on the first line names the delimiter when it is there;
- otherwise, when the caller names the columns it needs, the delimiter whose header
  row holds all of them; otherwise the one of ``;``, tab and ``,`` that splits the
  first rows into the most even columns.

Examples
--------
>>> from pathlib import Path
>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "codes.csv"
>>> _ = path.write_bytes("tekst;codes\\nDe wachtlijst is lang.;wachtlijst\\n".encode("cp1252"))
>>> rows, messages = read_delimited(path, header=("tekst", "codes"))
>>> rows
[['tekst', 'codes'], ['De wachtlijst is lang.', 'wachtlijst']]
>>> messages
['columns separated by semicolon']
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections.abc import Sequence
from pathlib import Path

from raakvlak.corpus.encoding import decode
from raakvlak.corpus.source import read_bytes
from raakvlak.errors import ImportProblem

DELIMITERS = {";": "semicolon", "\t": "tab", ",": "comma"}
# Excel's delimiter hint on the first line
_HINT = re.compile(r"sep=(.)\r?\n")


def read_delimited(path: Path, header: Sequence[str] = ()) -> tuple[list[list[str]], list[str]]:
    """The rows of a delimited text file, and what the user should be told about it.

    Parameters
    ----------
    path : the file.
    header : column names the first row must hold; they choose the delimiter when
        Excel's hint does not.

    Returns
    -------
    rows, messages
        Every row as a list of cells (the header first) and messages such as
        ``"decoded as Windows-1252 ..."`` and ``"columns separated by tab"``.

    Raises
    ------
    ImportProblem
        When the file cannot be read or decoded, or a quote is left open; the message
        names the file (and the line).
    """
    text, messages = decode(read_bytes(path), path.name)
    hint = _HINT.match(text)
    if hint:
        text = text[hint.end():]
    if hint and hint[1] in DELIMITERS:
        delimiter = hint[1]
    else:
        delimiter = _delimiter_of_header(text, header) or _sniff_delimiter(text)
    # strict: a quote left open would otherwise swallow every row after it, silently
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    line = 1
    try:
        for row in reader:
            rows.append(row)
            line = reader.line_num + 1
    except csv.Error as exc:
        problem = "a quote opened in this row is never closed" if "end of data" in str(exc) else exc
        raise ImportProblem(
            f"{path.name}: line {line}: {problem}; check the quotes in that row"
        ) from None
    messages.append(f"columns separated by {DELIMITERS[delimiter]}")
    return rows, messages


def _delimiter_of_header(text: str, header: Sequence[str]) -> str | None:
    """The delimiter whose first row holds every name in ``header`` (None: none does)."""
    if not header:
        return None
    first = text[:100_000].splitlines()[:1]
    for delimiter in DELIMITERS:
        cells = {cell.strip() for row in csv.reader(first, delimiter=delimiter) for cell in row}
        if set(header) <= cells:
            return delimiter
    return None


def _sniff_delimiter(text: str) -> str:
    """The delimiter (``;`` tab or ``,``) that splits the first rows into the most even columns."""
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(text[:200_000], newline=""), delimiter=delimiter)
        widths = []
        try:
            for row in reader:
                if any(cell.strip() for cell in row):
                    widths.append(len(row))
                if len(widths) >= 30:
                    break
        except csv.Error:
            continue
        if not widths:
            continue
        common = statistics.mode(widths)
        if common < 2:
            continue
        score = (widths.count(common) / len(widths), common)
        if score > best_score:
            best, best_score = delimiter, score
    return best
