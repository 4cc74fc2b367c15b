"""The pseudonym key: ``private/pseudonyms.csv``, read checked and written back whole.

One file per project, git-ignored, with the columns ``original,pseudonym,kind``. Kinds:
``person``, ``organisation``, ``place``; ``respondent`` for a survey's respondent codes
(never looked for in running text); ``detected`` for a person's name that import found by
itself (:mod:`raakvlak.corpus.detection`: replaced only where written with a capital, with
a pseudonym of its own, so ``raakvlak names keep`` can take it back); ``keep`` for a word
the researcher said is no name (never replaced, never found again; its pseudonym is the
one it had while it was replaced, which no other name gets, or the word itself). UTF-8 (a BOM is accepted), comma- or semicolon-separated, so a spreadsheet can
edit it; every problem names the file and the line. Rows are written sorted, so the
file is the same whatever order documents were imported in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from pathlib import Path

import pandas as pd

from raakvlak.errors import ImportProblem
from raakvlak.files import atomic_write_text

COLUMNS = ["original", "pseudonym", "kind"]
KINDS = ("person", "organisation", "place", "respondent", "detected", "keep")


class PseudonymKey:
    """The entries of a project's key, in the order they were read or added.

    Parameters
    ----------
    path : normally ``private/pseudonyms.csv``; it may be absent (an empty key).

    Attributes
    ----------
    entries : ``(original, pseudonym, kind)`` tuples.
    by_original : the folded original -> its index in ``entries``.
    by_pseudonym : the folded pseudonym -> the pseudonym as written.

    Raises
    ------
    ImportProblem
        When the file cannot be read; the message names the file and the line.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.entries: list[tuple[str, str, str]] = []
        self.by_original: dict[str, int] = {}
        self.by_pseudonym: dict[str, str] = {}
        self.loaded_digest = self._read()
        self.changed = False

    def _read(self) -> str | None:
        """Read the file (absent: an empty key); the SHA-256 of what was read, or None."""
        path = self.path
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ImportProblem(f"{path}: cannot read the pseudonym mapping ({exc})") from exc
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ImportProblem(
                f"{path}, line {line}: not UTF-8 text; save the mapping as 'CSV UTF-8'"
            ) from exc
        first = content.split("\n", 1)[0]
        delimiter = ";" if ";" in first and "," not in first else ","
        reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
        header: list[str] | None = None
        first_line: dict[str, int] = {}
        try:
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if header is None:
                    header = [c.strip().lower() for c in row]
                    missing = [c for c in COLUMNS if c not in header]
                    if missing:
                        raise ImportProblem(
                            f"{path}, line {line}: the header needs the columns "
                            f"{','.join(COLUMNS)}; missing {', '.join(missing)}"
                        )
                    continue
                if len(row) != len(header):
                    raise ImportProblem(
                        f"{path}, line {line}: {len(row)} fields where the header has "
                        f"{len(header)}; quote values that contain a '{delimiter}'"
                    )
                values = dict(zip(header, row, strict=True))
                self._add_row(values, line, first_line)
        except csv.Error as exc:
            raise ImportProblem(f"{path}, line {reader.line_num}: {exc}") from exc
        return hashlib.sha256(data).hexdigest()

    def _add_row(self, values: dict[str, str], line: int, first_line: dict[str, int]) -> None:
        path = self.path
        original = clean(values["original"])
        pseudonym = clean(values["pseudonym"])
        kind_given = values["kind"].strip().lower()
        if _KIND_SYNONYMS.get(kind_given) == "keep":
            pseudonym = pseudonym or original  # a kept word stays as it is written
        if not original or not pseudonym:
            raise ImportProblem(
                f"{path}, line {line}: both original and pseudonym are needed "
                f"(got {values['original']!r}, {values['pseudonym']!r})"
            )
        kind = _KIND_SYNONYMS.get(kind_given)
        if kind is None:
            raise ImportProblem(
                f"{path}, line {line}: kind must be one of {', '.join(KINDS)}, "
                f"not {values['kind']!r}"
            )
        # an original without letters (a respondent number) is never looked for in running
        # text (see _in_text), so only originals that are looked for must be long enough
        if (in_text(original, kind) and len(original) < 2) or not any(c.isalnum() for c in original):
            raise ImportProblem(
                f"{path}, line {line}: the original {original!r} is too short to replace "
                "safely; use at least two letters"
            )
        key = key_form(original)
        if key in self.by_original:
            earlier = self.entries[self.by_original[key]]
            if key_form(earlier[1]) != key_form(pseudonym):
                raise ImportProblem(
                    f"{path}, line {line}: {original!r} was already mapped to {earlier[1]!r} "
                    f"on line {first_line[key]}; keep one of the two lines"
                )
            return
        first_line[key] = line
        self.append(original, pseudonym, kind)

    def append(self, original: str, pseudonym: str, kind: str) -> None:
        """Add an entry (the file is written by :meth:`save`)."""
        self.changed = True
        self.by_original[key_form(original)] = len(self.entries)
        if kind != "keep":  # a kept word is no pseudonym
            self.by_pseudonym.setdefault(key_form(pseudonym), pseudonym)
        self.entries.append((original, pseudonym, kind))

    def entry(self, original: str) -> tuple[str, str, str] | None:
        """The entry of ``original`` (any case, any spacing), or None."""
        index = self.by_original.get(key_form(original))
        return None if index is None else self.entries[index]

    def update(self, original: str, pseudonym: str, kind: str) -> None:
        """Give the entry of ``original`` a new pseudonym and kind (a new entry when there is
        none); the file is written by :meth:`save`.

        Examples
        --------
        >>> key = PseudonymKey("absent.csv")
        >>> key.append("Prima", "Persoon 1", "detected")
        >>> key.update("prima", "Prima", "keep")
        >>> key.entries, key.by_pseudonym
        ([('Prima', 'Prima', 'keep')], {})
        """
        index = self.by_original.get(key_form(original))
        if index is None:
            self.append(original, pseudonym, kind)
            return
        self.entries[index] = (self.entries[index][0], pseudonym, kind)
        self.by_pseudonym = {}
        for _original, written, entry_kind in self.entries:
            if entry_kind != "keep":
                self.by_pseudonym.setdefault(key_form(written), written)
        self.changed = True

    def originals(self, *kinds: str) -> list[str]:
        """The originals of the entries of these kinds, in key order."""
        return [original for original, _pseudonym, kind in self.entries if kind in kinds]

    @property
    def mapping(self) -> pd.DataFrame:
        """The mapping as it stands now: columns ``original, pseudonym, kind``."""
        return pd.DataFrame(self.entries, columns=COLUMNS, dtype=str)

    def save(self) -> None:
        """Write the mapping back to its own path, atomically, if speakers were added.

        Rows are sorted by kind, then pseudonym (numbers in numeric order), then
        original, so the file is the same whatever order documents were imported in.

        Raises
        ------
        ImportProblem
            When the file changed on disk since it was read (another import ran at the
            same time); nothing is written then.
        """
        if not self.changed:
            return
        try:
            current = hashlib.sha256(self.path.read_bytes()).hexdigest()
        except FileNotFoundError:
            current = None
        if current != self.loaded_digest:
            raise ImportProblem(
                f"{self.path}: changed on disk since it was read; nothing was written. "
                "Run the import again (one import at a time)"
            )
        order = {kind: i for i, kind in enumerate(KINDS)}
        rows = sorted(
            self.entries,
            key=lambda e: (order[e[2]], _natural(e[1]), key_form(e[0]), e[0]),
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        text = buffer.getvalue()
        atomic_write_text(self.path, text)
        self.loaded_digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self.changed = False


_KIND_SYNONYMS = {
    "person": "person", "persoon": "person", "respondent": "respondent",
    "organisation": "organisation", "organization": "organisation", "organisatie": "organisation",
    "place": "place", "plaats": "place", "locatie": "place",
    "detected": "detected", "gevonden": "detected", "keep": "keep", "houden": "keep",
}


def key_form(value: str) -> str:
    """The form originals and pseudonyms are compared in: lower case, single spaces."""
    return " ".join(value.replace("’", "'").split()).lower()


def clean(value: str) -> str:
    """NFC with single spaces: how originals and pseudonyms are kept."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _natural(value: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", value))


def in_text(original: str, kind: str) -> bool:
    """Whether an original of the key is looked for in running text: names are; survey
    respondent codes, words kept as they are and anything without a letter (a number)
    never are."""
    return kind not in ("respondent", "keep") and any(c.isalpha() for c in original)
