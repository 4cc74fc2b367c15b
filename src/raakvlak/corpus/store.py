"""The corpus on disk (a fixed decision).

``corpus/<document_id>.txt`` holds the canonical text; ``corpus/documents.csv`` one row
per document; ``corpus/speakers.csv`` one row per speaker per document. Both tables are
spreadsheet-editable on purpose: every value is read as text, nothing is guessed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from raakvlak.corpus.canonical import fingerprint
from raakvlak.errors import CorpusError
from raakvlak.files import atomic_write_text
from raakvlak.ids import is_slug

DOCUMENT_COLUMNS = ["document_id", "title", "kind", "language", "date", "source", "sha256"]
"""The fixed columns of ``documents.csv``; the columns after them are document variables."""
DESCRIPTIVE_COLUMNS = ["title", "kind", "date"]
"""The fixed columns a researcher selects or filters documents by, as variables are."""
SPEAKER_COLUMNS = ["document_id", "speaker", "role"]
KINDS = ("transcript", "notes", "survey", "text")


@dataclass
class DocumentRecord:
    """One new document, ready to be written: canonical text plus its table rows."""

    document_id: str
    text: str
    title: str = ""
    kind: str = "text"
    language: str = "nl"
    date: str = ""
    source: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    speakers: list[dict[str, str]] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return fingerprint(self.text)

    def row(self) -> dict[str, str]:
        return {
            "document_id": self.document_id,
            "title": self.title,
            "kind": self.kind,
            "language": self.language,
            "date": self.date,
            "source": self.source,
            "sha256": self.sha256,
            **{k: str(v) for k, v in self.variables.items()},
        }


def document_variables(documents: pd.DataFrame) -> list[str]:
    """The document variables of a ``documents.csv`` table (site, session ...): its
    columns other than :data:`DOCUMENT_COLUMNS`, in file order."""
    return [c for c in documents.columns if c not in DOCUMENT_COLUMNS]


def speaker_variables(speakers: pd.DataFrame) -> list[str]:
    """The speaker variables of a ``speakers.csv`` table: its columns other than
    :data:`SPEAKER_COLUMNS` (document, speaker, role), in file order."""
    return [c for c in speakers.columns if c not in SPEAKER_COLUMNS]


def _read_table(path: Path, required: list[str]) -> pd.DataFrame:
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype=str) for c in required})
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise CorpusError(f"{path}: cannot read the table ({exc}); fix it in a text editor") from exc
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise CorpusError(f"{path}: missing column(s) {', '.join(missing)}")
    return table


def _table_text(table: pd.DataFrame) -> str:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


class CorpusStore:
    """Reads and writes the files of ``corpus/``; knows nothing of segments or spaCy."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @property
    def documents_path(self) -> Path:
        return self.folder / "documents.csv"

    @property
    def speakers_path(self) -> Path:
        return self.folder / "speakers.csv"

    def text_path(self, document_id: str) -> Path:
        return self.folder / f"{document_id}.txt"

    def write_empty(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if not self.documents_path.exists():
            atomic_write_text(self.documents_path, ",".join(DOCUMENT_COLUMNS) + "\n")
        if not self.speakers_path.exists():
            atomic_write_text(self.speakers_path, ",".join(SPEAKER_COLUMNS) + "\n")

    def documents(self) -> pd.DataFrame:
        table = _read_table(self.documents_path, DOCUMENT_COLUMNS)
        duplicated = table["document_id"][table["document_id"].duplicated()].tolist()
        if duplicated:
            raise CorpusError(f"{self.documents_path}: document_id repeated: {duplicated}")
        return table

    def speakers(self) -> pd.DataFrame:
        return _read_table(self.speakers_path, SPEAKER_COLUMNS)

    def picture_ids(self) -> set[str]:
        """The ids of picture documents (``pictures.csv``): a text never takes one of them."""
        path = self.folder / "pictures.csv"
        return set(_read_table(path, ["document_id"])["document_id"]) if path.exists() else set()

    def read_text(self, document_id: str) -> str:
        path = self.text_path(document_id)
        try:
            return path.read_bytes().decode("utf-8")
        except FileNotFoundError as exc:
            raise CorpusError(f"{path}: the text of document {document_id!r} is missing") from exc
        except UnicodeDecodeError as exc:
            raise CorpusError(f"{path}: not UTF-8; corpus files are canonical text") from exc

    def add(self, records: list[DocumentRecord], replace: bool = False) -> None:
        """Write new documents: texts first, the tables last (the commit point).

        A failure part-way removes the texts this call wrote, so no document appears
        without its row and no row without its text.
        """
        documents = self.documents()
        speakers = self.speakers()
        existing = set(documents["document_id"]) | self.picture_ids()
        seen: set[str] = set()
        for record in records:
            if not is_slug(record.document_id):
                raise CorpusError(
                    f"document id {record.document_id!r} is not a slug (a-z, 0-9, - and _); "
                    "choose one with --id"
                )
            if record.document_id in seen or (record.document_id in existing and not replace):
                raise CorpusError(
                    f"document {record.document_id!r} is already in the corpus; "
                    "choose another id with --id"
                )
            if record.kind not in KINDS:
                raise CorpusError(f"kind must be one of {', '.join(KINDS)}, not {record.kind!r}")
            seen.add(record.document_id)
        new_rows = pd.DataFrame([r.row() for r in records], dtype=str)
        new_speakers = pd.DataFrame(
            [{"document_id": r.document_id, **s} for r in records for s in r.speakers], dtype=str
        )
        order = {document_id: i for i, document_id in enumerate(documents["document_id"])}
        if replace:  # a replaced document keeps its place in the table
            documents = documents[~documents["document_id"].isin(seen)]
            speakers = speakers[~speakers["document_id"].isin(seen)]
        documents = pd.concat([documents, new_rows], ignore_index=True).fillna("")
        if replace:
            at = documents["document_id"].map(lambda d: order.get(d, len(order)))
            documents = documents.iloc[at.argsort(kind="stable")].reset_index(drop=True)
        speakers = pd.concat([speakers, new_speakers], ignore_index=True).fillna("")
        speakers = speakers[SPEAKER_COLUMNS + [c for c in speakers.columns if c not in SPEAKER_COLUMNS]]
        written: list[Path] = []
        try:
            for record in records:
                path = self.text_path(record.document_id)
                atomic_write_text(path, record.text)
                written.append(path)
            atomic_write_text(self.speakers_path, _table_text(speakers))
            atomic_write_text(self.documents_path, _table_text(documents))
        except BaseException:
            for path in written:
                path.unlink(missing_ok=True)
            raise

    def remove(self, document_id: str) -> None:
        """Take a document out of the corpus: its rows first (the commit point), then its text.

        Raises
        ------
        CorpusError
            When the corpus has no such document.
        """
        documents = self.documents()
        if document_id not in set(documents["document_id"]):
            raise CorpusError(f"no document {document_id!r} in the corpus; see {self.documents_path}")
        speakers = self.speakers()
        atomic_write_text(self.speakers_path, _table_text(speakers[speakers["document_id"] != document_id]))
        atomic_write_text(self.documents_path, _table_text(documents[documents["document_id"] != document_id]))
        self.text_path(document_id).unlink(missing_ok=True)

    def rewrite(self, document_id: str, text: str, speakers: dict[str, str] | None = None,
                fields: dict[str, str] | None = None) -> None:
        """Store a new text for a document, with its fingerprint; rename its speakers
        (``{old label: new label}``) and set fixed columns (``title``, ``source``) on the way.
        The text is written first, the tables last."""
        documents = self.documents()
        mask = documents["document_id"] == document_id
        if not mask.any():
            raise CorpusError(f"no document {document_id!r} in the corpus; see {self.documents_path}")
        atomic_write_text(self.text_path(document_id), text)
        if speakers:
            table = self.speakers()
            rows = table["document_id"] == document_id
            table.loc[rows, "speaker"] = table.loc[rows, "speaker"].map(lambda s: speakers.get(s, s))
            atomic_write_text(self.speakers_path, _table_text(table))
        for column, value in (fields or {}).items():
            documents.loc[mask, column] = value
        documents.loc[mask, "sha256"] = fingerprint(text)
        atomic_write_text(self.documents_path, _table_text(documents))

    def known_roles(self) -> dict[str, str]:
        """The role recorded most often for each speaker label across documents."""
        speakers = self.speakers()
        speakers = speakers[speakers["role"] != ""]
        if speakers.empty:
            return {}
        counts = speakers.groupby(["speaker", "role"]).size().reset_index(name="n")
        counts = counts.sort_values(["speaker", "n", "role"], ascending=[True, False, True])
        return dict(counts.drop_duplicates("speaker")[["speaker", "role"]].itertuples(index=False))

    def set_role(self, speaker: str, role: str, documents: list[str] | None = None) -> int:
        """Record a speaker's role in ``speakers.csv``; returns the number of rows changed."""
        speakers = self.speakers()
        mask = speakers["speaker"] == speaker
        if documents:
            mask &= speakers["document_id"].isin(documents)
        if not mask.any():
            where = f" in {', '.join(documents)}" if documents else ""
            raise CorpusError(f"no speaker {speaker!r}{where}; see {self.speakers_path.name}")
        speakers.loc[mask, "role"] = role
        atomic_write_text(self.speakers_path, _table_text(speakers))
        return int(mask.sum())

    def record_fingerprints(self, document_ids: list[str]) -> None:
        """Record the current sha256 of these documents' texts in ``documents.csv``
        (after a deliberate edit of a corpus text, once its codings are re-anchored)."""
        documents = self.documents()
        for document_id in document_ids:
            mask = documents["document_id"] == document_id
            documents.loc[mask, "sha256"] = fingerprint(self.read_text(document_id))
        atomic_write_text(self.documents_path, _table_text(documents))
