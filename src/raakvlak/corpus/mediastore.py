"""The tables of pictures, links, recordings and sync points in ``corpus/`` (a fixed decision).

Texts keep their own tables (:mod:`raakvlak.corpus.store`); what is not text has four
more, spreadsheet-editable like the others, every value read as text:

``corpus/pictures.csv``
    one row per picture document: :data:`PICTURE_COLUMNS`, then picture variables
    (workshop, group, model, builder's role ...). The stored copy is
    ``corpus/pictures/<document_id>.jpg`` (or ``.png``), metadata stripped
    (:mod:`raakvlak.corpus.imagefile`; a HEIC photo is stored as a lossless PNG of the
    upright picture, :mod:`raakvlak.corpus.heif`); ``sha256`` is its fingerprint, which region
    codings record; ``width`` and ``height`` are those of the upright picture (after
    the EXIF ``orientation``), the space region coordinates live in.
``corpus/links.csv``
    ``document_id, linked_id, relation``: a picture and a text about it (the
    builder's story, the group's reflection), in either direction.
``corpus/recordings.csv``
    one row per recording of a transcript: :data:`RECORDING_COLUMNS`. ``file`` is the
    path from the project folder: ``corpus/recordings/...`` or, when the project keeps
    recordings private, ``private/recordings/...`` (never in git).
``corpus/syncpoints.csv``
    ``document_id, position, time_ms``: the code point ``position`` in the transcript
    is heard at ``time_ms`` milliseconds into its recording.

Document ids are one namespace: a picture never takes the id of a text document.
Every write is atomic (temporary file, fsync, rename).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from raakvlak.corpus.store import _read_table, _table_text
from raakvlak.files import atomic_write_text

PICTURE_COLUMNS = ["document_id", "title", "file", "format", "width", "height", "orientation",
                   "taken", "date", "source", "sha256", "original_sha256", "stripped"]
"""The fixed columns of ``pictures.csv``; the columns after them are picture variables."""
LINK_COLUMNS = ["document_id", "linked_id", "relation"]
RECORDING_COLUMNS = ["document_id", "file", "kind", "format", "sha256", "bytes", "private",
                     "duration", "source"]
SYNC_COLUMNS = ["document_id", "position", "time_ms"]
TABLES = {"pictures": PICTURE_COLUMNS, "links": LINK_COLUMNS, "recordings": RECORDING_COLUMNS,
          "syncpoints": SYNC_COLUMNS}


def picture_variables(pictures: pd.DataFrame) -> list[str]:
    """The picture variables of a ``pictures.csv`` table: its columns after the fixed ones.

    Examples
    --------
    >>> picture_variables(pd.DataFrame(columns=[*PICTURE_COLUMNS, "workshop", "group"]))
    ['workshop', 'group']
    """
    return [c for c in pictures.columns if c not in PICTURE_COLUMNS]


class MediaStore:
    """Reads and writes the media tables of one project's ``corpus/`` folder.

    Parameters
    ----------
    root : the project folder (file paths in the tables are relative to it).
    """

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.folder = self.root / "corpus"

    def path(self, table: str) -> Path:
        """``corpus/<table>.csv`` for one of :data:`TABLES`."""
        return self.folder / f"{table}.csv"

    def read(self, table: str) -> pd.DataFrame:
        """One table (empty, with its columns, when the file does not exist)."""
        return _read_table(self.path(table), TABLES[table])

    def write(self, table: str, frame: pd.DataFrame) -> None:
        """Write one table atomically, fixed columns first."""
        fixed = TABLES[table]
        frame = frame[fixed + [c for c in frame.columns if c not in fixed]].fillna("")
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path(table), _table_text(frame.astype(str)))

    def pictures(self) -> pd.DataFrame:
        """``pictures.csv``: one row per picture document (see :data:`PICTURE_COLUMNS`)."""
        return self.read("pictures")

    def links(self) -> pd.DataFrame:
        """``links.csv``: ``document_id, linked_id, relation``."""
        return self.read("links")

    def recordings(self) -> pd.DataFrame:
        """``recordings.csv``: one row per recording of a transcript."""
        return self.read("recordings")

    def syncpoints(self) -> pd.DataFrame:
        """``syncpoints.csv``: ``document_id, position, time_ms`` (as text)."""
        return self.read("syncpoints")

    def picture(self, document_id: str) -> dict[str, str]:
        """The ``pictures.csv`` row of one picture; :class:`CorpusError` when there is none."""
        from raakvlak.errors import CorpusError

        table = self.pictures()
        rows = table[table["document_id"] == document_id]
        if rows.empty:
            known = ", ".join(table["document_id"]) or "none"
            raise CorpusError(f"unknown picture {document_id!r}; pictures in corpus/pictures.csv: {known}")
        return rows.iloc[0].to_dict()

    def append(self, table: str, rows: list[dict[str, str]]) -> None:
        """Add rows to a table (new variables become new columns, empty elsewhere)."""
        current = self.read(table)
        frame = pd.concat([current, pd.DataFrame(rows, dtype=str)], ignore_index=True)
        self.write(table, frame)

    def document_ids(self) -> set[str]:
        """Every id in use: text documents and pictures (one namespace)."""
        from raakvlak.corpus.store import CorpusStore

        return set(CorpusStore(self.folder).documents()["document_id"]) | set(self.pictures()["document_id"])
