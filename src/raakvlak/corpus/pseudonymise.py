"""Pseudonymisation at import: a project-wide mapping plus patterns replaced regardless.

A project keeps one mapping in ``private/pseudonyms.csv`` (git-ignored) with the columns
``original,pseudonym,kind`` (kind: ``person``, ``organisation``, ``place``, or
``respondent`` for a survey's respondent codes, which are never looked for in text).
The mapping is applied to running text whole-word and case-insensitively, in one pass
that replaces what one regular expression would (the identifiers first, then the
longest original). For speed the full patterns are only tried where a cheap scan finds
a place one of them can start (see :meth:`Pseudonymiser._matches`); the result is the same.

Decisions
---------
* **Whole words.** An original matches only where it is not preceded or followed by a
  letter or digit. A hyphen is a boundary, so with ``Jan`` mapped, ``Jan-Willem``
  becomes ``Docent 1-Willem``: over-replacing is the safe side, and the rest of such a
  name is listed by :meth:`Pseudonymiser.candidates`.
* **Possessives** ``'s``, ``’s`` and ``s`` are kept as written: ``Marieke's`` ->
  ``Docent 1's``, ``Mariekes`` -> ``Docent 1s``. A bare apostrophe (``Kees' fiets``)
  stays in the text as it was.
* **Diminutives** of single-word person names: ``-je``, ``-tje``, ``-pje``, ``-etje``,
  the final consonant doubled before ``-etje`` (``Brammetje``), the final vowel
  doubled before ``-tje`` (``Evaatje``), a final ``a``/``e`` replaced by ``-etje``
  (``Anna`` -> ``Annetje``). When two names share a form, a name in the mapping wins
  over a diminutive, and a plain diminutive over a derived one (``Annetje`` is Anne's
  when both Anne and Anna are mapped). A diminutive becomes the plain pseudonym
  (``Pietje`` -> ``Leerling 3``; ``Pietjes`` -> ``Leerling 3s``).
* **Surnames alone.** A person in the key with a name of several words is also found by
  the words after the first (``de Vries`` of ``Marieke de Vries``; ``Mahy`` of ``Tim
  Mahy``), written with a capital (``Bakker`` is a person, ``de bakker`` a baker). A
  surname of several people in the key becomes ``[achternaam]``; a name in the key
  and a diminutive win over a surname.
* **Multi-word originals** match across several spaces or one line break, never across
  a blank line, so blocks (speaker turns) stay as they were. The replacement is the
  pseudonym as written, so a line break inside a matched name is removed.
* **Case.** A match written in capitals (``MARIEKE``) gets the pseudonym in capitals;
  a match starting with a capital gets a pseudonym starting with one; otherwise the
  pseudonym is used as written in the mapping.
* **Identifiers** (e-mail, URL, IBAN, phone, date of birth, street address, BSN,
  postcode) are replaced whatever the key says: :mod:`raakvlak.corpus.identifiers`.
* **Names found by import** (key kind ``detected``, :mod:`raakvlak.corpus.detection`)
  are replaced only where written with a capital (``Roos`` the name, not ``roos`` the
  flower) and only as written (no diminutives, no surname alone), so each replacement
  can be taken back exactly; words of kind ``keep`` are never replaced.
* **Speakers** get pseudonyms from their role; labels that name nobody stay:
  :mod:`raakvlak.corpus.roles`. Name candidates for review:
  :mod:`raakvlak.corpus.candidates`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from raakvlak.corpus import identifiers
from raakvlak.corpus.candidates import name_candidates
from raakvlak.corpus.identifiers import PLACEHOLDERS
from raakvlak.corpus.key import PseudonymKey, clean, in_text, key_form
from raakvlak.corpus.roles import is_anonymous_label, role_stem
from raakvlak.corpus.wordtrie import char_pattern, trie_pattern
from raakvlak.errors import ImportProblem

PATTERN_KINDS = ("mapping", "detected", *identifiers.KINDS)
# what a surname shared by several people in the key becomes
_SURNAME = {"nl": "[achternaam]", "en": "[surname]"}


_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")

_TEXT_SEPARATOR = "\n\n"


def _diminutives(original: str) -> tuple[list[str], list[str]]:
    """Dutch diminutive forms of a one-word name: plain ones, then derived ones.

    Plain: ``-je, -tje, -pje, -etje`` after the name (``Pietje``, ``Jantje``, ``Kimpje``).
    Derived: the final consonant doubled before ``-etje`` (``Brammetje``), the final
    vowel doubled before ``-tje`` (``Evaatje``), or a final ``a``/``e`` replaced by
    ``-etje`` (``Anna`` -> ``Annetje``).
    """
    plain = [original + s for s in ("je", "tje", "pje", "etje")]
    last = original[-1]
    if last.lower() in "aeiouy":
        derived = [original + last + "tje"]
        if last.lower() in "ae":
            derived.append(original[:-1] + "etje")
    else:
        derived = [original + last + "etje"]
    return plain, derived


def _match_case(found: str, pseudonym: str) -> str:
    letters = [c for c in found if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return pseudonym.upper()
    if found[:1].isupper() and pseudonym[:1].islower():
        return pseudonym[:1].upper() + pseudonym[1:]
    return pseudonym


@dataclass(frozen=True)
class _Surface:
    """A written form of an original: the entry it belongs to (None: the surname of
    several people) and what form it is: ``name``, ``diminutive`` or ``surname``."""

    entry: int | None
    form: str


class Pseudonymiser:
    """Applies a project's pseudonym mapping and the fixed patterns to text.

    Parameters
    ----------
    mapping_path : the mapping, normally ``private/pseudonyms.csv``; it may be absent.
        UTF-8 (a BOM is accepted), comma- or semicolon-separated, columns
        ``original,pseudonym,kind``.
    language : ``"nl"`` or ``"en"``: placeholders and speaker stems in that language.

    Raises
    ------
    ImportProblem
        When the mapping cannot be read; the message names the file and the line.

    Examples
    --------
    >>> p = Pseudonymiser(Path("private") / "pseudonyms.csv")  # absent: an empty mapping
    >>> p.speaker("Marieke", role="leerkracht")
    'Docent 1'
    >>> text, counts = p.text("Marieke's mail is m.devries@lindebeek.nl.\\n")
    >>> text, {kind: n for kind, n in counts.items() if n}
    ("Docent 1's mail is [e-mail].\\n", {'mapping': 1, 'email': 1})
    """

    def __init__(self, mapping_path: Path, language: str = "nl"):
        if language not in PLACEHOLDERS:
            raise ImportProblem(
                f"pseudonymisation supports the languages {', '.join(PLACEHOLDERS)}, "
                f"not {language!r}; set [project] language in raakvlak.toml"
            )
        self.key = PseudonymKey(mapping_path)
        self.mapping_path = self.key.path
        self.language = language
        # where names start; () for no names; None: not built yet
        self._pattern: re.Pattern[str] | tuple[()] | None = None
        # the name pattern, one branch per first character: (first character, branch)
        self._branches: list[tuple[re.Pattern[str], re.Pattern[str]]] = []
        self._branches_at: dict[str, list[re.Pattern[str]]] = {}
        self._regexes: dict[str, re.Pattern[str]] = {}  # compiled, by pattern
        self._first_word: re.Pattern[str] | None = None  # the first words of the names
        self._surfaces: dict[str, _Surface] = {}
        # the names without those import found, for where one of those is not capitalised
        self._without_detected: re.Pattern[str] | None = None

    @property
    def mapping(self) -> pd.DataFrame:
        """The key as it stands now: columns ``original, pseudonym, kind``."""
        return self.key.mapping

    def save(self) -> None:
        """Write the key back if this import added to it (see :meth:`PseudonymKey.save`)."""
        self.key.save()

    # ------------------------------------------------------------------ speakers
    def respondent(self, identifier: str, role: str = "", language: str | None = None) -> str:
        """The pseudonym of a survey respondent, from the value of the respondent column.

        An identifier with a digit (``10``, ``R12``, ``2024-17``) is a code, not a name:
        it gets a pseudonym like a speaker (``Docent 1``) and is kept in the key as kind
        ``respondent``, which is never looked for in running text, so "10 weken" stays
        "10 weken". An identifier without digits is taken for a name (:meth:`speaker`).

        Examples
        --------
        >>> p = Pseudonymiser(Path("private") / "pseudonyms.csv")
        >>> p.respondent("10", role="docent"), p.text("We wachten al 10 weken.")[0]
        ('Docent 1', 'We wachten al 10 weken.')
        """
        identifier = clean(identifier)
        if not any(c.isdigit() for c in identifier) or is_anonymous_label(identifier):
            return self.speaker(identifier, role, language)
        return self._pseudonym(identifier, role, "respondent", language)

    def alias(self, name: str, pseudonym: str) -> None:
        """Map ``name`` (another form of a person's name, e.g. from a survey's name column)
        to the pseudonym the person already has; a name already in the key keeps its own."""
        name = clean(name)
        if name and in_text(name, "person") and len(name) >= 2 and key_form(name) not in self.key.by_original:
            self.key.append(name, pseudonym, "person")
            self._pattern = None

    def speaker(self, name: str, role: str = "", language: str | None = None) -> str:
        """The pseudonym of a speaker; a new speaker is added to the mapping (kind person).

        Parameters
        ----------
        name : the speaker's name as it appears in the transcript.
        role : the speaker's role, if known (``leerkracht``, ``jeugdhulpverlener`` ...);
            it picks the stem (``Docent``, ``Hulpverlener`` ...) of a new pseudonym.

        Returns
        -------
        The existing pseudonym of ``name`` (the same in every document of the project;
        a name an earlier import found keeps its ``Persoon N`` and becomes a person), else
        a new one: the stem and the next free number (``Docent 3``). Labels that
        name nobody (``Interviewer``, ``Spreker 2``, ``R1``, an existing pseudonym) and
        the empty name come back unchanged.
        """
        name = clean(name)
        if not name:
            return ""
        key = key_form(name)
        entry = self.key.entry(name)
        if entry is not None and entry[2] == "detected":  # found by an import, now speaking:
            self.key.update(name, entry[1], "person")  # a person, with the same pseudonym
            self._pattern = None
        if entry is not None and entry[2] != "keep":
            return entry[1]
        if key in self.key.by_pseudonym:
            return self.key.by_pseudonym[key]
        if is_anonymous_label(name):
            return name
        kind = "person" if in_text(name, "person") else "respondent"
        if entry is not None:  # a word kept as no name speaks: a speaker is a person
            self.key.update(name, self.next_pseudonym(role, language), kind)
            self._pattern = None
            return self.key.entry(name)[1]
        return self._pseudonym(name, role, kind, language)

    def detected(self, name: str, language: str | None = None) -> str:
        """The pseudonym of a person's name that import found by itself: its entry's
        pseudonym when the key has one (of any kind but ``keep``), else a new
        ``Persoon N`` (``Person N`` in English), added to the key as kind ``detected``.

        Examples
        --------
        >>> p = Pseudonymiser(Path("private") / "pseudonyms.csv")
        >>> p.detected("Ricardo"), p.text("Ricardo en ricardo's.")[0]
        ('Persoon 1', "Persoon 1 en ricardo's.")
        """
        return self._pseudonym(name, "persoon", "detected", language)

    def _pseudonym(self, name: str, role: str, kind: str, language: str | None = None) -> str:
        """The existing pseudonym of ``name``, or a new one: the stem of ``role`` and the
        next free number, added to the key as ``kind``."""
        name = clean(name)
        key = key_form(name)
        if key in self.key.by_original:
            return self.key.entries[self.key.by_original[key]][1]
        pseudonym = self.next_pseudonym(role, language)
        self.key.append(name, pseudonym, kind)
        self._pattern = None
        return pseudonym

    def next_pseudonym(self, role: str, language: str | None = None) -> str:
        """A new pseudonym: the stem of ``role`` and the next number the key does not use."""
        stem = role_stem(role, language or self.language)
        number = re.compile(rf"{re.escape(key_form(stem))} (\d+)")
        used = [int(m[1]) for e in self.key.entries if (m := number.fullmatch(key_form(e[1])))]
        return f"{stem} {max(used, default=0) + 1}"

    def forget(self) -> None:
        """Build the name patterns again (after the key was changed through :attr:`key`)."""
        self._pattern = None

    # ------------------------------------------------------------------ running text
    def _compiled(self) -> re.Pattern[str] | None:
        """Where a name may start, or None for an empty mapping; builds the name patterns.

        The mapping's written forms make one trie-shaped pattern, ``(?:a...|b...|...)``
        by first character. Each branch is kept as a pattern of its own
        (:attr:`_branches`), tried in the same order, so a new speaker recompiles only
        the branch of its first letter.
        """
        if self._pattern is not None:
            return self._pattern or None
        surfaces: dict[str, _Surface] = {}
        for index, (original, _pseudonym, kind) in enumerate(self.key.entries):
            if in_text(original, kind):
                surfaces[key_form(original)] = _Surface(index, "name")
        for which in (0, 1):  # plain diminutives of every name before derived ones
            for index, (original, _pseudonym, kind) in enumerate(self.key.entries):
                if kind == "person" and " " not in original and original[-1].isalpha():
                    for form in _diminutives(original)[which]:
                        surfaces.setdefault(key_form(form), _Surface(index, "diminutive"))
        for form, owners in self._surnames().items():
            surfaces.setdefault(form, _Surface(owners[0] if len(owners) == 1 else None, "surname"))
        self._surfaces = surfaces
        self._without_detected = None
        self._pattern = ()
        self._branches = []
        self._branches_at = {}
        if surfaces:
            forms = [" ".join(k.split()) for k in surfaces]
            by_first: dict[str, list[str]] = {}
            for form in forms:
                by_first.setdefault(form[0], []).append(form)
            self._branches = [
                (self._regex(f"(?i:{char_pattern(first)})"), self._regex(
                    rf"(?<!\w)(?P<name>(?i:{trie_pattern(by_first[first])}))"
                    r"(?P<possessive>['’][sS]|[sS])?(?!\w)"
                ))
                for first in sorted(by_first)
            ]
            # a name can only start where its first word does, after a character
            # that is no word character (the pattern finds that one) or at the start
            first_words = trie_pattern(sorted({f.split(" ")[0] for f in forms}))
            # one character class first: most places after a space are rejected by
            # it, cheaper than by the trie's branches (the trie alone decides)
            first_chars = "".join(sorted({"'’" if f[0] in "'’" else re.escape(f[0]) for f in forms}))
            self._pattern = self._regex(rf"\W(?=(?i:[{first_chars}]))(?=(?i:{first_words}))")
            self._first_word = self._regex(rf"(?i:{first_words})")
        return self._pattern or None

    def _surnames(self) -> dict[str, list[int]]:
        """The surname of every person in the key whose name has several words (the words
        after the first: "de Vries" of "Marieke de Vries"), with the entries it belongs to."""
        owners: dict[str, list[int]] = {}
        for index, (original, _pseudonym, kind) in enumerate(self.key.entries):
            words = original.split()
            if kind == "person" and len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 1:
                entries = owners.setdefault(key_form(" ".join(words[1:])), [])
                if self.key.entries[index][1] not in {self.key.entries[e][1] for e in entries}:
                    entries.append(index)
        return owners

    def _regex(self, pattern: str) -> re.Pattern[str]:
        compiled = self._regexes.get(pattern)
        if compiled is None:
            compiled = self._regexes[pattern] = re.compile(pattern)
        return compiled

    def _name_at(self, text: str, start: int) -> re.Match[str] | None:
        """The mapped name at ``start``: the first branch of the name pattern that matches."""
        char = text[start]
        branches = self._branches_at.get(char)
        if branches is None:  # the branches whose first character can be this one
            branches = [name for first, name in self._branches if first.fullmatch(char)]
            self._branches_at[char] = branches
        for name in branches:
            match = name.match(text, start)
            if match:
                return match
        return None

    def _matches(self, text: str, language: str | None = None) -> list[re.Match[str]]:
        """What one pass of the fixed patterns and the names replaces, left to right.

        The same matches as one regular expression ``email|url|phone|bsn|postcode|name``
        scanning ``text``, found faster: every place where one of them can start has a
        cheap mark (an ``@``, a ``.nl``, ``://``, a digit, a name's first word ...),
        and the full patterns are tried only there, in text order.
        """
        name_starts = self._compiled()
        starts = identifiers.starts(text, language or self.language)
        if name_starts is not None:
            starts.update(m.end() for m in name_starts.finditer(text))
            if self._first_word.match(text):
                starts.add(0)
        found = []
        end = 0
        fixed = identifiers.FIXED.match
        accepted = identifiers.accepted
        name = self._name_at if name_starts is not None else None
        for start in sorted(starts):
            if start < end:
                continue
            match = fixed(text, start)
            if match and not accepted(match):  # a number that fails its check, "2019 en"
                match = None
            match = match or (name and name(text, start))
            if match and name and self._uncapitalised_detected(match):
                match = self._other_name_at(text, start)  # "roos" is no Roos found by import
            if match:
                found.append(match)
                end = match.end()
        return found

    def _uncapitalised_detected(self, match: re.Match[str]) -> bool:
        """True when ``match`` is a name import found, not written with a capital here."""
        if "name" not in match.re.groupindex or match["name"][:1].isupper():
            return False
        entry = self._surface(match["name"]).entry
        return entry is not None and self.key.entries[entry][2] == "detected"

    def _other_name_at(self, text: str, start: int) -> re.Match[str] | None:
        """The name at ``start`` among the key's names other than those import found."""
        if self._without_detected is None:
            forms = [" ".join(form.split()) for form, surface in self._surfaces.items()
                     if surface.entry is None or self.key.entries[surface.entry][2] != "detected"]
            self._without_detected = self._regex(
                rf"(?<!\w)(?P<name>(?i:{trie_pattern(forms) if forms else '(?!)'}))"
                r"(?P<possessive>['’][sS]|[sS])?(?!\w)")
        return self._without_detected.match(text, start)

    def _surface(self, found: str) -> _Surface:
        key = key_form(found)
        if key in self._surfaces:
            return self._surfaces[key]
        # a case variant the simple lower-casing did not produce (rare scripts)
        for form, surface in self._surfaces.items():
            if re.fullmatch(trie_pattern([form]), found, re.IGNORECASE):
                return surface
        raise KeyError(found)  # pragma: no cover - the pattern only matches known forms

    def _replacement(self, match: re.Match[str], counts: dict[str, int], language: str) -> str:
        kind = match.lastgroup
        if kind in ("name", "possessive"):
            base = match["name"]
            surface = self._surface(base)
            if surface.form == "surname" and not base.split()[-1][:1].isupper():
                return match.group()  # "de bakker" is a baker; "De Bakker", "Bakker" a person
            detected = surface.entry is not None and self.key.entries[surface.entry][2] == "detected"
            counts["detected" if detected else "mapping"] += 1
            if surface.entry is None:  # the surname of more than one person: say only that
                return _SURNAME[language] + (match["possessive"] or "")
            pseudonym = self.key.entries[surface.entry][1]
            return _match_case(base, pseudonym) + (match["possessive"] or "")
        counts[kind] += 1
        return identifiers.placeholder(match, language)

    def text(self, text: str, language: str | None = None) -> tuple[str, dict[str, int]]:
        """Replace mapped names and the fixed patterns in canonical ``text``.

        Returns
        -------
        The pseudonymised text and the number of replacements per kind:
        ``mapping`` (names in the key), ``detected`` (names import found, in the key),
        ``email, url, iban, phone, dob, address, bsn, postcode`` (all keys always present).
        Timestamps, dates, years, amounts and 9-digit numbers failing the 11-proof
        are left as they are.
        """
        replaced, counts = self.texts([text], language)
        return replaced[0], counts

    def texts(self, texts: list[str], language: str | None = None) -> tuple[list[str], dict[str, int]]:
        """:meth:`text` for several texts (the turns of a document) in one pass.

        Returns
        -------
        The pseudonymised texts, in order, and the replacements per kind summed over them.
        """
        counts = dict.fromkeys(PATTERN_KINDS, 0)
        # No pattern reaches across a blank line or looks past one, so the texts are
        # scanned as one, with a blank line between them.
        joined = _TEXT_SEPARATOR.join(texts)
        edits = self._edits(joined, language or self.language, counts)
        if not edits:
            return list(texts), counts
        out = []
        offset = 0
        index = 0
        for text in texts:
            end = offset + len(text)
            pieces = []
            last = offset
            while index < len(edits) and edits[index][0] < end:
                edit_start, edit_end, replacement = edits[index]
                pieces += (joined[last:edit_start], replacement)
                last = edit_end
                index += 1
            out.append("".join(pieces) + joined[last:end] if pieces else text)
            offset = end + len(_TEXT_SEPARATOR)
        return out, counts

    def edits(self, text: str, language: str | None = None) -> list[tuple[int, int, str]]:
        """What :meth:`text` changes in ``text``, in text order: ``(start, end, replacement)``
        with code-point offsets into ``text`` (``text[start:end]`` becomes ``replacement``).

        Examples
        --------
        >>> p = Pseudonymiser(Path("private") / "pseudonyms.csv")
        >>> p.speaker("Marieke", role="leerkracht")
        'Docent 1'
        >>> p.edits("Bel Marieke: 06-12345678.")
        [(4, 11, 'Docent 1'), (13, 24, '[telefoon]')]
        """
        return self._edits(text, language or self.language, dict.fromkeys(PATTERN_KINDS, 0))

    def _edits(self, text: str, language: str, counts: dict[str, int]) -> list[tuple[int, int, str]]:
        found = []
        for match in self._matches(text, language):
            replacement = self._replacement(match, counts, language)
            if replacement != match.group():
                found.append((match.start(), match.end(), replacement))
        return found

    def mentions(self, text: str, originals: Iterable[str]) -> dict[str, int]:
        """How often each of ``originals`` (names in the mapping) occurs in ``text``.

        Found as :meth:`text` would find them (whole words, any case, possessives and
        diminutives), so a text that holds a name the mapping learnt after the text
        was imported can be pointed out.

        Returns
        -------
        dict
            original -> number of occurrences, for the originals that occur.
        """
        wanted = {key_form(o) for o in originals}
        found: dict[str, int] = {}
        for match in self._matches(text):
            if "name" in match.re.groupindex:  # a name, not an address or a number
                entry = self._surface(match["name"]).entry
                original = self.key.entries[entry][0] if entry is not None else ""
                if key_form(original) in wanted:
                    found[original] = found.get(original, 0) + 1
        return found

    # ------------------------------------------------------------------ candidates
    def candidates(self, text: str, pseudonymised: bool = False) -> pd.DataFrame:
        """Capitalised words that look like names but are not in the key
        (:func:`raakvlak.corpus.candidates.name_candidates`; mapped names, words of
        pseudonyms and role words are never candidates).

        Parameters
        ----------
        text : the text to look through.
        pseudonymised : ``text`` came out of :meth:`texts` with the mapping as it is
            now, so mapped names, addresses and numbers are gone already and are not
            looked for again (the importer's case; faster).

        Returns
        -------
        DataFrame with columns ``word``, ``count`` and ``context``.
        """
        masked = text
        matches = [] if pseudonymised else self._matches(text)
        if matches:
            pieces, last = [], 0
            for match in matches:
                pieces += (text[last:match.start()], " " * (match.end() - match.start()))
                last = match.end()
            masked = "".join(pieces) + text[last:]
        ignore = {word for _original, pseudonym, _kind in self.key.entries for word in pseudonym.split()}
        return name_candidates(text, masked, ignore)
