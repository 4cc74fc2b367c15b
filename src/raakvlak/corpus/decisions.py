"""The researcher's word on the names import found: no name (keep), or a name (confirm).

``raakvlak names keep WORD...`` says a word is no name. A name import replaced by itself
(key kind ``detected``) is taken back: its pseudonym becomes the word again in every
document, as it was written (or in capitals where it was), codings carried exactly, and
the key keeps the word as kind ``keep`` (with the pseudonym it had, which is never given
to another name), so no later import replaces or lists it. A word not in the key is
added as ``keep`` for later imports.

``raakvlak names confirm WORD... [--as PSEUDONYM]`` says a word is a name: it becomes a
person in the key (a near miss gets a new ``Persoon N``; a name import replaced keeps its
pseudonym, or gets ``--as``, e.g. the pseudonym of the speaker it names), and the key is
applied to every document again (:func:`raakvlak.corpus.editing.pseudonymise_documents`),
so its other forms (lower case, diminutives, the surname alone) are replaced too.

Examples
--------
>>> import pathlib, tempfile
>>> project = Project.init(pathlib.Path(tempfile.mkdtemp()) / "studie", name="Studie")
>>> raw = project.root / "sessie.txt"
>>> _ = raw.write_text("Petra: Prima. Ricardo belde.\\nMarieke: En Alex ook.\\n", encoding="utf-8")
>>> from raakvlak.corpus.importer import import_files
>>> _ = import_files(project, [raw], kind="transcript")
>>> project.corpus.text("sessie")
'Spreker 1: Prima. Persoon 1 belde.\\n\\nSpreker 2: En Persoon 2 ook.\\n'
>>> _ = keep_names(project, ["Alex"])
>>> _ = confirm_names(project, ["Prima"])
>>> project.corpus.text("sessie")
'Spreker 1: Persoon 3. Persoon 1 belde.\\n\\nSpreker 2: En Alex ook.\\n'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from raakvlak.corpus.editing import DocumentChange, pseudonymise_documents, rewrite_document
from raakvlak.corpus.key import clean, key_form
from raakvlak.corpus.pseudonymise import Pseudonymiser
from raakvlak.errors import RaakvlakError
from raakvlak.project import Project

PSEUDONYM_FILE = "pseudonyms.csv"


@dataclass
class NamesReport:
    """What ``raakvlak names keep`` or ``confirm`` did.

    Attributes
    ----------
    lines : one line per word: what the key now says about it.
    changes : the documents whose text changed, with their codings (one per document).
    """

    lines: list[str] = field(default_factory=list)
    changes: list[DocumentChange] = field(default_factory=list)


def _words(words: list[str]) -> list[str]:
    cleaned = [clean(w) for w in words]
    if not cleaned or any(not any(c.isalpha() for c in w) for w in cleaned):
        raise RaakvlakError(f"names: give words with letters, not {words!r}")
    return list(dict.fromkeys(cleaned))


def _swap_everywhere(project: Project, old: str, new: str) -> list[DocumentChange]:
    """Every place ``old`` (a pseudonym, as written or in capitals) stands as a whole word
    becomes ``new`` (in capitals where ``old`` was), in every document's text, title and
    source, codings carried."""
    forms = "|".join(re.escape(f) for f in dict.fromkeys((old, old.upper())))
    pattern = re.compile(rf"(?<!\w)(?:{forms})(?!\w)")

    def written(found: str) -> str:
        return new.upper() if found == old.upper() != old else new

    changes = []
    store = project.corpus.store
    for row in store.documents().itertuples(index=False):
        text = store.read_text(row.document_id)
        edits = [(m.start(), m.end(), written(m.group())) for m in pattern.finditer(text)]
        fields = {column: changed for column in ("title", "source")
                  if (changed := pattern.sub(lambda m: written(m.group()), getattr(row, column)))
                  != getattr(row, column)}
        if edits or fields:
            changes.append(rewrite_document(project, row.document_id, edits, fields=fields))
    return changes


def keep_names(project: Project, words: list[str]) -> NamesReport:
    """Say that ``words`` are no names (``raakvlak names keep``); see the module.

    Raises
    ------
    RaakvlakError
        When a word is in the key as a person, organisation, place or respondent the
        researcher (or a speaker) put there, or a name import found shares its pseudonym
        with another entry; nothing is changed for that word then.
    """
    words = _words(words)
    report = NamesReport()
    with project.lock("names keep"):
        pseudonymiser = Pseudonymiser(project.private_dir / PSEUDONYM_FILE, project.language)
        key = pseudonymiser.key
        for word in words:
            entry = key.entry(word)
            if entry is not None and entry[2] == "keep":
                report.lines.append(f"{entry[0]!r} is kept as it is already")
                continue
            if entry is not None and entry[2] != "detected":
                raise RaakvlakError(
                    f"{key.path}: {entry[0]!r} is in the key as a {entry[2]} ({entry[1]}), not as a name "
                    "import found; change or remove that line of the key by hand")
            if entry is not None:
                shared = [e[0] for e in key.entries
                          if key_form(e[1]) == key_form(entry[1]) and e[2] != "keep" and e[0] != entry[0]]
                if shared:
                    raise RaakvlakError(
                        f"{key.path}: {entry[0]!r} shares its pseudonym {entry[1]!r} with {shared[0]!r}, so its "
                        "places in the texts cannot be told apart; change the key by hand")
                report.changes += _swap_everywhere(project, entry[1], entry[0])
                report.lines.append(f"{entry[0]!r} is no name: {entry[1]!r} is {entry[0]!r} again, "
                                    "and later imports leave it as it is")
            else:
                report.lines.append(f"{word!r} is no name: later imports leave it as it is")
            key.update(entry[0] if entry else word, entry[1] if entry else word, "keep")
            key.save()
    return report


def confirm_names(project: Project, words: list[str], pseudonym: str | None = None) -> NamesReport:
    """Say that ``words`` are names (``raakvlak names confirm``); see the module.

    Parameters
    ----------
    project : the project.
    words : the names, as written.
    pseudonym : their pseudonym (``--as``); default: the one import gave, or a new
        ``Persoon N``.

    Raises
    ------
    RaakvlakError
        When a word is in the key as a person, organisation, place or respondent already
        and ``pseudonym`` would change it.
    """
    words = _words(words)
    pseudonym = clean(pseudonym) if pseudonym else None
    report = NamesReport()
    with project.lock("names confirm"):
        pseudonymiser = Pseudonymiser(project.private_dir / PSEUDONYM_FILE, project.language)
        key = pseudonymiser.key
        for word in words:
            entry = key.entry(word)
            if entry is not None and entry[2] not in ("detected", "keep"):
                if pseudonym and key_form(pseudonym) != key_form(entry[1]):
                    raise RaakvlakError(f"{key.path}: {entry[0]!r} is in the key as a {entry[2]} ({entry[1]}); "
                                        "change its pseudonym in the key by hand")
                report.lines.append(f"{entry[0]!r} is in the key already ({entry[1]})")
                continue
            if entry is not None and entry[2] == "detected":
                new = pseudonym or entry[1]
                if key_form(new) != key_form(entry[1]):
                    report.changes += _swap_everywhere(project, entry[1], new)
                key.update(entry[0], new, "person")
            else:  # a near miss, or a word kept before (with the pseudonym it had, if any)
                had = entry[1] if entry is not None and key_form(entry[1]) != key_form(entry[0]) else None
                new = pseudonym or had or pseudonymiser.next_pseudonym("persoon")
                key.update(entry[0] if entry else word, new, "person")
            report.lines.append(f"{entry[0] if entry else word!r} is a name: {new}")
            key.save()
        pseudonymiser.forget()
        report.changes += pseudonymise_documents(project, pseudonymiser=pseudonymiser)
    report.changes = [c for c in report.changes if c.replacements or len(c.codings)]
    return report
