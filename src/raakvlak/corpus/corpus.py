"""The Corpus: the project's documents, their speakers and their segments."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pandas as pd

from raakvlak.corpus.canonical import fingerprint
from raakvlak.corpus.store import CorpusStore
from raakvlak.errors import CorpusError

if TYPE_CHECKING:
    from raakvlak.project import Project


class Corpus:
    """The documents of a project.

    Tables are read from ``corpus/`` each time they are asked for, so edits made in
    a spreadsheet (roles, document variables) show up without reloading anything.

    Examples
    --------
    >>> corpus = Project.find(EXAMPLE).corpus
    >>> len(corpus) >= 8
    True
    >>> corpus.text(corpus.ids[0]).endswith("\\n")
    True
    """

    def __init__(self, project: Project):
        self.project = project
        self.store = CorpusStore(project.corpus_dir)

    def __repr__(self) -> str:
        return f"Corpus({len(self)} documents)"

    # ------------------------------------------------------------------ tables
    @property
    def documents(self) -> pd.DataFrame:
        """One row per document.

        Columns: ``document_id, title, kind, language, date, source, sha256`` and then
        the document variables (site, session, consent, age_band ...), all as text.
        """
        return self.store.documents()

    @property
    def speakers(self) -> pd.DataFrame:
        """One row per speaker per document: ``document_id, speaker, role`` and speaker variables."""
        return self.store.speakers()

    @property
    def ids(self) -> list[str]:
        """The document ids in the order of ``documents.csv``."""
        return self.documents["document_id"].tolist()

    def __len__(self) -> int:
        return len(self.documents)

    def __contains__(self, document_id: object) -> bool:
        return document_id in set(self.ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def document(self, document_id: str) -> dict[str, str]:
        """The ``documents.csv`` row of one document as a dict."""
        table = self.documents
        rows = table[table["document_id"] == document_id]
        if rows.empty:
            raise CorpusError(f"unknown document {document_id!r}; known: {', '.join(table['document_id'])}")
        return rows.iloc[0].to_dict()

    def text(self, document_id: str) -> str:
        """The canonical text of a document (offsets index this string)."""
        if document_id not in self:
            raise CorpusError(f"unknown document {document_id!r}; see corpus/documents.csv")
        return self.store.read_text(document_id)

    def verify(self) -> pd.DataFrame:
        """Documents whose text no longer matches the sha256 in ``documents.csv``.

        Columns: ``document_id, recorded, actual, problem``.
        """
        rows = []
        for row in self.documents.itertuples():
            try:
                actual = fingerprint(self.store.read_text(row.document_id))
            except CorpusError as exc:
                rows.append((row.document_id, row.sha256, "", str(exc)))
                continue
            if actual != row.sha256:
                rows.append((row.document_id, row.sha256, actual, "text changed since import"))
        return pd.DataFrame(rows, columns=["document_id", "recorded", "actual", "problem"])

    # ------------------------------------------------------------------ segments
    def segments(
        self,
        level: str | None = "turn",
        lemmas: bool = False,
        documents: list[str] | None = None,
        progress: bool = False,
    ) -> pd.DataFrame:
        """Segments of the corpus as a tidy DataFrame.

        Parameters
        ----------
        level : ``"turn"`` (speaker turns, or paragraphs outside transcripts),
            ``"sentence"``, or ``None`` for both.
        lemmas : add a ``lemmas`` column (space-separated lower-case lemmas).
        documents : only these document ids (default: all).
        progress : show a progress bar while segments are computed.

        Returns
        -------
        DataFrame with columns ``document_id, segment_id, level, start, end, speaker,
        role, timestamp, text`` (and ``lemmas``); ``text`` is ``canonical[start:end]``.
        Computed with spaCy and cached under ``.raakvlak/`` by document hash and
        pipeline version.
        """
        from raakvlak.corpus.segments import corpus_segments

        return corpus_segments(self, level=level, lemmas=lemmas, documents=documents, progress=progress)
