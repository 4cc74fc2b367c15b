"""The decisions every import makes, in one place: files (``raakvlak import``) and REFI-QDA
projects (``raakvlak import-qdpx``) alike.

An import runs in three phases over *all* its sources:

1. :meth:`Preparation.speaker` gives every speaker a pseudonym (adding it to the key),
   for every source of the import, before any text is touched;
2. :meth:`Preparation.detect` finds the other person names in every source
   (:mod:`raakvlak.corpus.detection`): sure ones go into the key, near misses onto the
   review list;
3. :meth:`Preparation.texts` then pseudonymises the texts, so a name is replaced
   wherever it occurs in the import, also in a source read before the one where its
   owner speaks or where it was found.

:meth:`Preparation.finish` saves the key first (a corpus must never hold a pseudonym
the key does not know) and warns about documents imported *earlier* that still hold the
name of a speaker this import added to the key; :meth:`Preparation.review` is the
import's review list.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from raakvlak.corpus.detection import REVIEW_COLUMNS, Detector
from raakvlak.corpus.pseudonymise import Pseudonymiser
from raakvlak.corpus.roles import per_document
from raakvlak.corpus.store import CorpusStore
from raakvlak.ids import free_name
from raakvlak.project import Project

PSEUDONYM_FILE = "pseudonyms.csv"


@dataclass
class Preparation:
    """One import's pseudonymisation, document ids and warnings.

    Attributes
    ----------
    project : the project imported into.
    pseudonymiser : the project's key and patterns, or None when the import does not
        pseudonymise.
    store : the project's ``corpus/``.
    existing : the ids of the documents already in the corpus.
    replacements : counts per kind of replacement made so far.
    """

    project: Project
    pseudonymiser: Pseudonymiser | None
    store: CorpusStore
    existing: set[str]
    replacements: dict[str, int] = field(default_factory=dict)
    detector: Detector | None = None
    _known: set[str] = field(default_factory=set)
    _taken: set[str] = field(default_factory=set)
    _labels: dict[tuple[str, str], str] = field(default_factory=dict)  # (document, label) -> label
    _speakers: set[str] = field(default_factory=set)  # speaker labels in use

    @classmethod
    def start(cls, project: Project, language: str, pseudonymise: bool) -> Preparation:
        """Read the key and the corpus's ids (under the project's lock, by the caller)."""
        pseudonymiser = (Pseudonymiser(project.private_dir / PSEUDONYM_FILE, language=language)
                         if pseudonymise else None)
        store = CorpusStore(project.corpus_dir)
        existing = set(store.documents()["document_id"])
        # the persons of the key (a name an earlier import found that speaks now is new here)
        known = set() if pseudonymiser is None else set(pseudonymiser.key.originals("person"))
        used = set(store.speakers()["speaker"])
        detector = None if pseudonymiser is None else Detector(pseudonymiser)
        return cls(project, pseudonymiser, store, existing, detector=detector, _known=known,
                   _taken=set(existing), _speakers=used)

    # ------------------------------------------------------------------ phase 1
    def speaker(self, label: str, role: str = "", survey: bool = False, language: str | None = None,
                document: str = "") -> str:
        """The label a speaker gets in the corpus: a pseudonym (added to the key), or the
        label itself when the import does not pseudonymise. A survey's respondent column
        holds identifiers (``10``, ``R12``), which never become names in running text.
        ``language``: the document's, for the stem of the pseudonym (``Docent``, ``Teacher``).
        A generic label of the people a session is about (``Interviewee``, ``Speaker 2``)
        names someone else in every ``document``: it gets a number no other document uses."""
        if self.pseudonymiser is None or not label:
            return label
        word = None if survey else per_document(label)
        if word is not None:
            return self._per_document(word, label, document)
        if survey:
            return self.pseudonymiser.respondent(label, role, language)
        return self.pseudonymiser.speaker(label, role, language)

    def _per_document(self, word: str, label: str, document: str) -> str:
        """``Interviewee`` of one document as ``Interviewee 2``: the first number no
        document of the corpus or this import uses with that word."""
        key = (document, " ".join(label.split()))
        if key not in self._labels:
            number = 1
            while f"{word} {number}" in self._speakers:
                number += 1
            self._labels[key] = f"{word} {number}"
            self._speakers.add(self._labels[key])
        return self._labels[key]

    def alias(self, name: str, label: str) -> None:
        """Another written form of a speaker's name (a survey's name column) for the key."""
        if self.pseudonymiser is not None:
            self.pseudonymiser.alias(name, label)

    # ------------------------------------------------------------------ phase 2
    def detect(self, source: str, texts: list[str], language: str | None = None) -> None:
        """Find the person names in the texts of one source (its turns), before any text is
        pseudonymised: sure ones not in the key yet go into it (kind ``detected``), near
        misses onto the review list. ``source`` names the source for :meth:`review`."""
        if self.detector is not None and texts:
            self.detector.read(source, texts, language or self.pseudonymiser.language)

    # ------------------------------------------------------------------ phase 3
    def texts(self, texts: list[str], language: str | None = None) -> list[str]:
        """The texts pseudonymised with the key as phase 1 left it (counted); placeholders
        in ``language`` (default: the import's)."""
        if self.pseudonymiser is None or not texts:
            return texts
        replaced, found = self.pseudonymiser.texts(texts, language)
        for kind, number in found.items():
            self.replacements[kind] = self.replacements.get(kind, 0) + number
        return replaced

    def name(self, value: str) -> str:
        """A title or file name pseudonymised (not counted: it names a text, it is not one)."""
        return self.pseudonymiser.text(value)[0] if self.pseudonymiser is not None and value else value

    def free(self, document_id: str) -> None:
        """Let this import use ``document_id`` again: it replaces that document's text."""
        self.existing.discard(document_id)
        self._taken.discard(document_id)

    def document_id(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2`` ... when the corpus or this import already uses it."""
        document_id = free_name(wanted, self._taken)
        self._taken.add(document_id)
        return document_id

    # ------------------------------------------------------------------ the end
    def finish(self) -> list[str]:
        """Save the key (before any text is written) and say what a researcher must check.

        Returns
        -------
        list of str
            Documents already in the corpus that hold the name of a speaker this import
            added to the key.
        """
        if self.pseudonymiser is None:
            return []
        self.pseudonymiser.save()
        mapping = self.pseudonymiser.mapping
        added = mapping[~mapping["original"].isin(self._known) & (mapping["kind"] == "person")]
        return self._earlier_mentions(added)

    def review(self, documents: list[tuple[str, str, str]]) -> pd.DataFrame:
        """The import's review list (:data:`~raakvlak.corpus.detection.REVIEW_COLUMNS`):
        what :meth:`detect` found, placed in the stored texts; ``documents`` holds
        ``(source, document_id, stored text)`` of every document written."""
        if self.detector is None:
            return pd.DataFrame(columns=REVIEW_COLUMNS)
        return self.detector.review(documents)

    def _earlier_mentions(self, added: pd.DataFrame) -> list[str]:
        if added.empty:
            return []
        pseudonym_of = dict(zip(added["original"], added["pseudonym"], strict=True))
        warnings = []
        for document_id in sorted(self.existing):
            found = self.pseudonymiser.mentions(self.store.read_text(document_id), pseudonym_of)
            if found:
                names = ", ".join(f"{name!r} ({count}×, now {pseudonym_of[name]})"
                                  for name, count in sorted(found.items()))
                warnings.append(
                    f"{document_id}: still holds {names}: it was imported before this speaker was in "
                    f"the key; run 'raakvlak pseudonymise {document_id}' to replace it (codings are carried along)")
        return warnings
