"""Person names that import finds by itself: into the key, and onto a review list.

At import, after every speaker has a pseudonym and before any text is replaced
(:class:`~raakvlak.corpus.preparation.Preparation`), :class:`Detector` reads each source
with :func:`raakvlak.corpus.names.find_names`. A *sure* name that the key does not
replace already becomes an entry of kind ``detected`` with a pseudonym of its own
(``Persoon 3``; ``Person 3`` in an English document), so it is replaced in every file of
the import and in every later one. A *near miss* is listed for review, not replaced.

The precision policy
--------------------
* Known names are the key's persons (the speakers among them) and nothing else: an
  organisation, a place, a survey code or a word kept as no name is never "known".
* The words of the key's organisations and places, and words kept as no name, are never
  part of a person's name: with Kompas an organisation, "Bram van Kompas" gives "Bram".
* An ordinary Dutch word opening a sentence ("Prima", "Pak") is a near miss at most;
  a known name does not take the words before it along ("Familie Yilmaz" gives "Yilmaz").
* What the key replaces already is neither replaced again nor listed.

Every import writes its list to ``private/reviews/import-<UTC time>.csv`` (:func:`write_review`),
a new file each time, never overwritten: one row per name and document, with where it
first is in the stored text, what became of it, how sure and why. The researcher confirms
or takes back with ``raakvlak names confirm WORD`` / ``raakvlak names keep WORD``
(:mod:`raakvlak.corpus.editing`).

Examples
--------
>>> import tempfile
>>> from raakvlak.corpus.pseudonymise import Pseudonymiser
>>> p = Pseudonymiser(Path(tempfile.mkdtemp()) / "pseudonyms.csv")
>>> p.speaker("Marieke", "leerkracht"), p.key.append("Kompas", "Aanbieder 1", "organisation")
('Docent 1', None)
>>> detector = Detector(p)
>>> found = detector.read("sessie.txt", ["Prima. Ricardo belde met Marieke van Kompas."], "nl")
>>> [(f.original, f.decision, f.replacement) for f in found]
[('Ricardo', 'replaced', 'Persoon 1'), ('Prima', 'near miss', '')]
>>> p.texts(["Prima. Ricardo belde met Marieke van Kompas."])[0]
['Prima. Persoon 1 belde met Docent 1 van Aanbieder 1.']
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from raakvlak.corpus.candidates import ignored_words, names_nobody
from raakvlak.corpus.key import clean
from raakvlak.corpus.names import NameSpan, find_names
from raakvlak.corpus.pseudonymise import Pseudonymiser
from raakvlak.errors import ImportProblem

REPLACED = "replaced"
NEAR_MISS = "near miss"
REVIEW_COLUMNS = ["document", "offset", "original", "decision", "replacement", "count", "score",
                  "reason", "context"]
"""The columns of a review list: the document, the offset (code points) of the name's first
place in the stored text (empty when it is not there: a near miss only in the title), the
name as found, ``replaced`` or ``near miss``, its pseudonym (empty for a near miss), how
often it was found, the score (0-1) and the reason of its surest place, and the stored
text around that place."""
REVIEW_FOLDER = "reviews"
_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Finding:
    """One written form of a name found in one source of an import.

    Attributes
    ----------
    source : the source (the label the caller gave to :meth:`Detector.read`).
    original : the name as written (``Tim Mahy``).
    decision : :data:`REPLACED` or :data:`NEAR_MISS`.
    replacement : its pseudonym in the key; ``""`` for a near miss.
    score, reason : of its surest place (see :class:`~raakvlak.corpus.names.NameSpan`).
    count : how often it was found in the source.
    """

    source: str
    original: str
    decision: str
    replacement: str
    score: float
    reason: str
    count: int


class Detector:
    """Finds the person names of an import's sources and puts the sure ones in the key.

    Parameters
    ----------
    pseudonymiser : the import's key and patterns; sure names are added to its key.

    Attributes
    ----------
    findings : source -> what :meth:`read` found there, surest first.
    """

    def __init__(self, pseudonymiser: Pseudonymiser):
        self.pseudonymiser = pseudonymiser
        self.findings: dict[str, list[Finding]] = {}

    def spans(self, text: str, language: str) -> list[NameSpan]:
        """The names :func:`~raakvlak.corpus.names.find_names` finds in ``text`` under the
        precision policy (known: the key's persons; blocked: its organisations, places and
        kept words), less those the key replaces already, words the researcher kept as no
        name (``raakvlak names keep``) and near misses that name nobody (JGZ, Teams, a role;
        :func:`~raakvlak.corpus.candidates.names_nobody`), in text order."""
        key = self.pseudonymiser.key
        spans = find_names(text, language, known=key.originals("person"),
                           blocked=key.originals("organisation", "place", "keep"))
        replaced = self.pseudonymiser.edits(text, language)
        ignore = ignored_words(w for _, pseudonym, kind in key.entries if kind != "keep" for w in pseudonym.split())
        kept = {word.casefold() for original in key.originals("keep") for word in original.split()}
        return [s for s in spans if not _covered(replaced, s.start, s.end) and not _kept(key, kept, s)
                and (s.sure or not names_nobody(s.text, ignore))]

    def read(self, source: str, texts: list[str], language: str) -> list[Finding]:
        """Find the names in the texts of one source (its turns, or its one text); add the
        sure ones the key does not replace yet to the key (kind ``detected``).

        Returns
        -------
        list of Finding
            One per written form: replaced names first (in order of appearance), then near
            misses, surest and most frequent first.
        """
        best: dict[tuple[str, bool], NameSpan] = {}
        counts: dict[tuple[str, bool], int] = {}
        for span in self.spans(_SEPARATOR.join(texts), language):
            form = (clean(span.text), span.sure)
            counts[form] = counts.get(form, 0) + 1
            if form not in best or span.score > best[form].score:
                best[form] = span
        found = []
        for (original, sure), span in best.items():
            entry = self.pseudonymiser.key.entry(original)
            # the key looks for an original of two letters or more ("X" alone is no name to key)
            keyable = sum(c.isalpha() for c in original) >= 2
            if sure and keyable and (entry is None or entry[2] != "keep"):
                pseudonym = self.pseudonymiser.detected(original, language)
                found.append(Finding(source, original, REPLACED, pseudonym, span.score, span.reason,
                                     counts[original, sure]))
            else:
                found.append(Finding(source, original, NEAR_MISS, "", span.score, span.reason,
                                     counts[original, sure]))
        first = {(f.original, f.decision == REPLACED): i for i, f in enumerate(found)}
        found.sort(key=lambda f: (f.decision != REPLACED,
                                  first[f.original, True] if f.decision == REPLACED else 0,
                                  -f.score, -f.count, f.original.casefold()))
        self.findings[source] = found
        return found

    def review(self, documents: list[tuple[str, str, str]]) -> pd.DataFrame:
        """The review list of an import: its findings placed in the stored texts.

        Parameters
        ----------
        documents : ``(source, document_id, stored text)`` for every document written.

        Returns
        -------
        DataFrame with :data:`REVIEW_COLUMNS`, document by document in the given order.
        """
        rows = []
        for source, document_id, text in documents:
            for finding in self.findings.get(source, []):
                shown = finding.replacement or finding.original
                at = _first(text, shown)
                rows.append({
                    "document": document_id, "offset": "" if at is None else at,
                    "original": finding.original, "decision": finding.decision,
                    "replacement": finding.replacement, "count": finding.count,
                    "score": finding.score, "reason": finding.reason,
                    "context": "" if at is None else _context(text, at, len(shown)),
                })
        return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def review_lines(table: pd.DataFrame, path: Path | None, shown: int | None = 12) -> list[str]:
    """What an import's review list says, in a few lines for the command and notebooks:
    the names replaced by the import itself, its near misses (the first ``shown`` of
    each; None: all), and where the list is.

    Examples
    --------
    >>> table = pd.DataFrame([["s", 0, "Ricardo", REPLACED, "Persoon 1", 2, 0.9, "", ""],
    ...                       ["s", 9, "Prima", NEAR_MISS, "", 1, 0.45, "", ""]], columns=REVIEW_COLUMNS)
    >>> print("\\n".join(review_lines(table, None)))
    names found and replaced: Ricardo -> Persoon 1 (2x)
    near misses, not replaced: Prima
    """
    lines = []
    for decision, what in ((REPLACED, "names found and replaced"), (NEAR_MISS, "near misses, not replaced")):
        rows = table[table["decision"] == decision].drop_duplicates("original")
        if rows.empty:
            continue
        counts = table[table["decision"] == decision].groupby("original")["count"].sum()
        items = [f"{r.original} -> {r.replacement} ({counts[r.original]}x)" if decision == REPLACED
                 else r.original for r in rows.itertuples(index=False)]
        more = len(items) - shown if shown is not None and len(items) > shown else 0
        lines.append(f"{what}: {', '.join(items[:len(items) - more])}" + (f", ... ({more} more)" if more else ""))
    if path is not None:
        lines.append(f"review list: private/{REVIEW_FOLDER}/{path.name}; a name that is no "
                     "name: raakvlak names keep WORD; a near miss that is one: raakvlak names confirm WORD")
    return lines


def _kept(key, kept: set[str], span: NameSpan) -> bool:
    """Whether the researcher said ``span`` is no name: an entry of kind ``keep``, or a near
    miss made only of words of such entries (``kept``, folded)."""
    entry = key.entry(clean(span.text))
    if entry is not None and entry[2] == "keep":
        return True
    words = clean(span.text).casefold().split()
    return not span.sure and bool(words) and all(word in kept for word in words)


def _covered(edits: list[tuple[int, int, str]], start: int, end: int) -> bool:
    """True when every character of ``[start, end)`` is inside one of ``edits``."""
    at = start
    for edit_start, edit_end, _ in edits:
        if edit_end <= at:
            continue
        if edit_start > at:
            return False
        at = edit_end
        if at >= end:
            return True
    return at >= end


_LABEL = re.compile(r"(?:^|\n)(?:\[\d{1,2}:\d\d(?::\d\d)?\] )?$")


def _first(text: str, written: str) -> int | None:
    """Where ``written`` (a whole word or words, as written or in capitals) first is in the
    running text of ``text`` (not in a turn's speaker label)."""
    forms = "|".join(re.escape(f) for f in dict.fromkeys((written, written.upper())))
    for match in re.finditer(rf"(?<!\w)(?:{forms})(?!\w)", text):
        label = _LABEL.search(text, max(0, match.start() - 12), match.start()) and \
            re.match(r"(?: \d+)?:", text[match.end():match.end() + 6])
        if not label:
            return match.start()
    return None


def _context(text: str, start: int, length: int, width: int = 40) -> str:
    left, right = max(0, start - width), min(len(text), start + length + width)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def write_review(private_dir: str | Path, table: pd.DataFrame, when: datetime | None = None) -> Path:
    """Write an import's review list to a new file in ``private/reviews/``, never over one.

    The file is ``import-<UTC time>.csv`` (``import-20260312T141502Z.csv``); when that name
    is taken (two imports in one second), ``-2``, ``-3`` ... is added to it.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame(columns=REVIEW_COLUMNS)
    >>> when = datetime(2026, 3, 12, 14, 15, 2, tzinfo=UTC)
    >>> [write_review(folder, table, when).name for _ in range(2)]
    ['import-20260312T141502Z.csv', 'import-20260312T141502Z-2.csv']
    """
    folder = Path(private_dir) / REVIEW_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (when or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    data = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    number = 1
    while True:
        path = folder / f"import-{stamp}{'' if number == 1 else f'-{number}'}.csv"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            number += 1
            continue
        except OSError as exc:
            raise ImportProblem(f"{path}: cannot write the review list ({exc.strerror})") from None
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        return path


def review_lists(private_dir: str | Path) -> list[Path]:
    """The review lists of every import, oldest first (``-2`` after its own second).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> table = pd.DataFrame({"original": ["Ali"]})
    >>> when = datetime(2026, 3, 12, 14, 15, 2, tzinfo=UTC)
    >>> written = [write_review(folder, table, when) for _ in range(2)]
    >>> review_lists(folder) == written
    True
    """
    def order(path: Path) -> tuple[str, int]:
        stamp, _, number = path.stem.removeprefix("import-").partition("-")
        return stamp, int(number) if number.isdigit() else 1

    return sorted((Path(private_dir) / REVIEW_FOLDER).glob("import-*.csv"), key=order)
