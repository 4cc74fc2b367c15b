"""Pseudonymisation at import: a project-wide mapping plus patterns replaced regardless.

A project keeps one mapping in ``private/pseudonyms.csv`` (git-ignored) with the columns
``original,pseudonym,kind`` (kind: ``person``, ``organisation`` or ``place``). The
mapping is applied to running text whole-word and case-insensitively, in one pass that
replaces what one regular expression would (the fixed patterns first, then the longest
original), together with patterns that are replaced whatever the mapping says: e-mail
addresses, phone numbers, Dutch postcodes, BSN numbers (9 digits passing the 11-proof)
and URLs. For speed the full patterns are only tried where a cheap scan finds a place
one of them can start (see :meth:`Pseudonymiser._matches`); the result is the same.

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
* **Postcodes** need capital letters (``1234 AB``, ``1234AB``); four digits followed by
  a school-type or field abbreviation (``2015 PO``, ``VO``, ``SO``, ``HO``, ``WO``,
  ``IB``, ``EU``, ``NL``) are left alone, and so is ``3500 VO-leerlingen``.
* **Phone numbers**: Dutch numbers of ten digits starting with ``0`` (spaces allowed
  between digits, one hyphen or space after the area code), the same after ``+31`` or
  ``0031`` (optionally with ``(0)``), ``(020) 123 4567``, and other ``+`` international
  numbers. Dates, timestamps and amounts do not have this shape.
* **Speaker labels that are already anonymous** (``Interviewer``, ``Docent 2``,
  ``Spreker 1``, ``R1``, an existing pseudonym) are returned unchanged and never added
  to the mapping, so ``de interviewer`` in running text is not touched.

Candidates (:meth:`Pseudonymiser.candidates`) are capitalised words that are not mapped:
words capitalised in the middle of a sentence (and then also their capitalised
occurrences at a sentence start, which are counted with them). Left out:
words in the mapping, words of pseudonyms, common capitalised words of the field
(days, months, languages, laws such as ``Jeugdwet``, tools such as ``Teams``, titles
such as ``Juf``, the polite ``U`` and English ``I``), role words, single letters, and
the generic abbreviations of the field (PO, VO, VSO, JGZ, AVG, GGD ...). Other words in
capitals *are* listed: school and provider acronyms identify organisations.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from raakvlak.corpus import identifiers
from raakvlak.corpus.identifiers import PLACEHOLDERS
from raakvlak.errors import ImportProblem
from raakvlak.files import atomic_write_text

COLUMNS = ["original", "pseudonym", "kind"]
KINDS = ("person", "organisation", "place", "respondent")
_KIND_SYNONYMS = {
    "person": "person", "persoon": "person", "respondent": "respondent",
    "organisation": "organisation", "organization": "organisation", "organisatie": "organisation",
    "place": "place", "plaats": "place", "locatie": "place",
}
PATTERN_KINDS = ("mapping", *identifiers.KINDS)
UNKNOWN_SPEAKER = {"nl": "Spreker", "en": "Speaker"}
# what a surname shared by several people in the key becomes
_SURNAME = {"nl": "[achternaam]", "en": "[surname]"}

# role (lower case, accents removed) -> pseudonym stem in Dutch and English projects
ROLE_STEMS: dict[str, tuple[str, str]] = {
    "leerkracht": ("Docent", "Teacher"),
    "docent": ("Docent", "Teacher"),
    "leraar": ("Docent", "Teacher"),
    "teacher": ("Docent", "Teacher"),
    "mentor": ("Mentor", "Mentor"),
    "zorgcoordinator": ("Zorgcoördinator", "Care coordinator"),
    "jeugdhulpverlener": ("Hulpverlener", "Care worker"),
    "hulpverlener": ("Hulpverlener", "Care worker"),
    "jeugdzorg": ("Hulpverlener", "Care worker"),
    "jeugdhulp": ("Hulpverlener", "Care worker"),
    "wijkteam": ("Wijkteam", "Community team"),
    "wijkteammedewerker": ("Wijkteam", "Community team"),
    "gemeente": ("Gemeente", "Municipality"),
    "beleidsmedewerker": ("Gemeente", "Municipality"),
    "ambtenaar": ("Gemeente", "Municipality"),
    "facilitator": ("Facilitator", "Facilitator"),
    "begeleider": ("Facilitator", "Facilitator"),
    "ouder": ("Ouder", "Parent"),
    "parent": ("Ouder", "Parent"),
    "leerling": ("Leerling", "Pupil"),
    "pupil": ("Leerling", "Pupil"),
    "intern begeleider": ("IB'er", "Internal coach"),
    "ib'er": ("IB'er", "Internal coach"),
    "ib-er": ("IB'er", "Internal coach"),
    "iber": ("IB'er", "Internal coach"),
    "ib": ("IB'er", "Internal coach"),
    "directeur": ("Directeur", "Director"),
    "director": ("Directeur", "Director"),
    "interviewer": ("Interviewer", "Interviewer"),
    "respondent": ("Respondent", "Respondent"),
}
# speaker labels that name nobody (with or without a number)
_GENERIC_LABEL_WORDS = {
    "spreker", "speaker", "deelnemer", "participant", "moderator", "onbekend", "unknown",
    "iedereen", "allen", "everyone", "all", "groep", "group", "ouders", "leerlingen",
}

# capitalised words that are common in this field and name nobody
_COMMON_CAPITALISED = {
    # days and months (capitalised in English, sometimes in Dutch)
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
    "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
    "september", "oktober", "november", "december",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "may", "june", "july", "august", "october",
    # countries, languages, holidays
    "nederland", "nederlands", "nederlandse", "engels", "engelse", "europa", "europese",
    "belgië", "duits", "duitsland", "frans", "turks", "marokkaans", "arabisch",
    "netherlands", "dutch", "english", "europe", "european",
    "kerst", "kerstmis", "pasen", "pinksteren", "ramadan", "suikerfeest", "christmas",
    # laws, frameworks and institutions of the field
    "jeugdwet", "leerplichtwet", "wet", "wetten", "participatiewet", "wmo", "wgbo",
    "passend", "onderwijs", "rijk", "kamer", "tweede", "minister", "ministerie",
    "inspectie", "onderwijsinspectie", "veilig", "thuis", "corona", "covid",
    # tools
    "teams", "zoom", "magister", "parnassys", "somtoday", "google", "word", "excel",
    "outlook", "whatsapp", "powerpoint", "lego", "serious", "play",
    # titles and forms of address
    "juf", "juffrouw", "meester", "meneer", "mevrouw", "dhr", "mevr", "mw",
    "mr", "mrs", "ms", "dr", "drs", "prof",
    # pronouns and interjections written with a capital
    "u", "uw", "i", "i'm", "i've", "i'd", "i'll", "god", "oké", "ok", "okay", "hè", "hé",
}
# abbreviations of the field: generic, not identifying
FIELD_ABBREVIATIONS = {
    "PO", "VO", "SO", "VSO", "SBO", "MBO", "HBO", "WO", "HO", "VMBO", "HAVO", "VWO", "PRO",
    "JGZ", "GGD", "GGZ", "CJG", "AVG", "GDPR", "WGBO", "WMO", "SWV", "OZA", "OPP", "IB",
    "IBER", "ZAT", "MDO", "AMK", "VT", "BSN", "EU", "NL", "ADHD", "ASS", "LVB", "OK",
    "TOS", "ZMLK", "ZML", "LWOO", "OCW", "VWS", "JZ", "CEO", "ICT", "PDF", "TV", "AI",
}
_TITLE_ABBREVIATIONS = {
    "mevr", "mw", "dhr", "hr", "mr", "dr", "drs", "ir", "ing", "prof", "bijv", "bv", "ca",
    "o.a", "i.p.v", "m.b.t", "t.a.v", "z.s.m", "vs", "mrs", "ms", "st", "nr", "tel", "e.a",
}

_SEP = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)"  # spaces, at most one line break
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LETTER = re.compile(r"[^\W\d_]")
_SPACES = re.compile(r"\s+")

_TEXT_SEPARATOR = "\n\n"


def _fold(value: str) -> str:
    """Lower case without accents and with single spaces: the form roles are looked up in."""
    value = unicodedata.normalize("NFD", value.replace("’", "'"))
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(value.lower().split())


# the pseudonym stems, folded: a label that is one of them (with a number) names nobody
_STEM_WORDS = frozenset(_fold(stem) for pair in ROLE_STEMS.values() for stem in pair)


def _key(value: str) -> str:
    """The form originals and pseudonyms are compared in: lower case, single spaces."""
    return " ".join(value.replace("’", "'").split()).lower()


def _clean(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def _in_text(original: str, kind: str) -> bool:
    """Whether an original of the key is looked for in running text: names are; survey
    respondent codes and anything without a letter (a number) never are."""
    return kind != "respondent" and any(c.isalpha() for c in original)


def _natural(value: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", value))


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


def _char_pattern(ch: str) -> str:
    if ch == " ":
        return _SEP
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


def _trie_pattern(words: list[str]) -> str:
    """One regular expression matching any of ``words``, longest first (a space matches
    spaces and one line break, an apostrophe either apostrophe)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [_char_pattern(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if ends else body

    return build(trie)


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
        self.mapping_path = Path(mapping_path)
        self.language = language
        self._entries: list[tuple[str, str, str]] = []
        self._by_original: dict[str, int] = {}
        self._by_pseudonym: dict[str, str] = {}
        self._loaded_digest = self._read()
        self._changed = False
        # where names start; () for no names; None: not built yet
        self._pattern: re.Pattern[str] | tuple[()] | None = None
        # the name pattern, one branch per first character: (first character, branch)
        self._branches: list[tuple[re.Pattern[str], re.Pattern[str]]] = []
        self._branches_at: dict[str, list[re.Pattern[str]]] = {}
        self._regexes: dict[str, re.Pattern[str]] = {}  # compiled, by pattern
        self._first_word: re.Pattern[str] | None = None  # the first words of the names
        self._surfaces: dict[str, _Surface] = {}

    # ------------------------------------------------------------------ the mapping file
    def _read(self) -> str | None:
        path = self.mapping_path
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
        path = self.mapping_path
        original = _clean(values["original"])
        pseudonym = _clean(values["pseudonym"])
        kind_given = values["kind"].strip().lower()
        if not original or not pseudonym:
            raise ImportProblem(
                f"{path}, line {line}: both original and pseudonym are needed "
                f"(got {values['original']!r}, {values['pseudonym']!r})"
            )
        kind = _KIND_SYNONYMS.get(kind_given)
        if kind is None:
            raise ImportProblem(
                f"{path}, line {line}: kind must be person, organisation, place or respondent, "
                f"not {values['kind']!r}"
            )
        # an original without letters (a respondent number) is never looked for in running
        # text (see _in_text), so only originals that are looked for must be long enough
        if (_in_text(original, kind) and len(original) < 2) or not any(c.isalnum() for c in original):
            raise ImportProblem(
                f"{path}, line {line}: the original {original!r} is too short to replace "
                "safely; use at least two letters"
            )
        key = _key(original)
        if key in self._by_original:
            earlier = self._entries[self._by_original[key]]
            if _key(earlier[1]) != _key(pseudonym):
                raise ImportProblem(
                    f"{path}, line {line}: {original!r} was already mapped to {earlier[1]!r} "
                    f"on line {first_line[key]}; keep one of the two lines"
                )
            return
        first_line[key] = line
        self._append(original, pseudonym, kind)

    def _append(self, original: str, pseudonym: str, kind: str) -> None:
        self._by_original[_key(original)] = len(self._entries)
        self._by_pseudonym.setdefault(_key(pseudonym), pseudonym)
        self._entries.append((original, pseudonym, kind))

    @property
    def mapping(self) -> pd.DataFrame:
        """The mapping as it stands now: columns ``original, pseudonym, kind``."""
        return pd.DataFrame(self._entries, columns=COLUMNS, dtype=str)

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
        if not self._changed:
            return
        try:
            current = hashlib.sha256(self.mapping_path.read_bytes()).hexdigest()
        except FileNotFoundError:
            current = None
        if current != self._loaded_digest:
            raise ImportProblem(
                f"{self.mapping_path}: changed on disk since it was read; nothing was written. "
                "Run the import again (one import at a time)"
            )
        order = {kind: i for i, kind in enumerate(KINDS)}
        rows = sorted(
            self._entries,
            key=lambda e: (order[e[2]], _natural(e[1]), _key(e[0]), e[0]),
        )
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        text = buffer.getvalue()
        atomic_write_text(self.mapping_path, text)
        self._loaded_digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        self._changed = False

    # ------------------------------------------------------------------ speakers
    def _is_anonymous_label(self, name: str) -> bool:
        if re.fullmatch(r"[A-Z]\d*|[A-Z]{1,3}\d+", name):
            return True
        base = re.sub(r"\s*\d+$", "", _fold(name))
        return base in ROLE_STEMS or base in _STEM_WORDS or base in _GENERIC_LABEL_WORDS

    def _stem(self, role: str) -> str:
        column = 0 if self.language == "nl" else 1
        role = _clean(role)
        folded = _fold(role)
        if not folded:
            return UNKNOWN_SPEAKER[self.language]
        if folded in ROLE_STEMS:
            return ROLE_STEMS[folded][column]
        keys = sorted(ROLE_STEMS, key=lambda k: (-len(k), k))
        for key in keys:  # a role word inside a longer role: "leerkracht groep 8"
            if re.search(rf"(?<![\w']){re.escape(key)}(?![\w'])", folded):
                return ROLE_STEMS[key][column]
        for key in keys:  # the head of a Dutch compound: "groepsleerkracht"
            if len(key) >= 6 and re.search(rf"{re.escape(key)}(?![\w'])", folded):
                return ROLE_STEMS[key][column]
        return role[:1].upper() + role[1:]

    def respondent(self, identifier: str, role: str = "") -> str:
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
        identifier = _clean(identifier)
        if not any(c.isdigit() for c in identifier) or self._is_anonymous_label(identifier):
            return self.speaker(identifier, role)
        return self._pseudonym(identifier, role, "respondent")

    def alias(self, name: str, pseudonym: str) -> None:
        """Map ``name`` (another form of a person's name, e.g. from a survey's name column)
        to the pseudonym the person already has; a name already in the key keeps its own."""
        name = _clean(name)
        if name and _in_text(name, "person") and len(name) >= 2 and _key(name) not in self._by_original:
            self._append(name, pseudonym, "person")
            self._changed = True
            self._pattern = None

    def speaker(self, name: str, role: str = "") -> str:
        """The pseudonym of a speaker; a new speaker is added to the mapping (kind person).

        Parameters
        ----------
        name : the speaker's name as it appears in the transcript.
        role : the speaker's role, if known (``leerkracht``, ``jeugdhulpverlener`` ...);
            it picks the stem (``Docent``, ``Hulpverlener`` ...) of a new pseudonym.

        Returns
        -------
        The existing pseudonym of ``name`` (the same in every document of the project),
        else a new one: the stem and the next free number (``Docent 3``). Labels that
        name nobody (``Interviewer``, ``Spreker 2``, ``R1``, an existing pseudonym) and
        the empty name come back unchanged.
        """
        name = _clean(name)
        if not name:
            return ""
        key = _key(name)
        if key in self._by_original:
            return self._entries[self._by_original[key]][1]
        if key in self._by_pseudonym:
            return self._by_pseudonym[key]
        if self._is_anonymous_label(name):
            return name
        return self._pseudonym(name, role, "person" if _in_text(name, "person") else "respondent")

    def _pseudonym(self, name: str, role: str, kind: str) -> str:
        """The existing pseudonym of ``name``, or a new one: the stem of ``role`` and the
        next free number, added to the key as ``kind``."""
        name = _clean(name)
        key = _key(name)
        if key in self._by_original:
            return self._entries[self._by_original[key]][1]
        stem = self._stem(role)
        number = re.compile(rf"{re.escape(_key(stem))} (\d+)")
        used = [int(m[1]) for e in self._entries if (m := number.fullmatch(_key(e[1])))]
        pseudonym = f"{stem} {max(used, default=0) + 1}"
        self._append(name, pseudonym, kind)
        self._changed = True
        self._pattern = None
        return pseudonym

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
        for index, (original, _pseudonym, kind) in enumerate(self._entries):
            if _in_text(original, kind):
                surfaces[_key(original)] = _Surface(index, "name")
        for which in (0, 1):  # plain diminutives of every name before derived ones
            for index, (original, _pseudonym, kind) in enumerate(self._entries):
                if kind == "person" and " " not in original and original[-1].isalpha():
                    for form in _diminutives(original)[which]:
                        surfaces.setdefault(_key(form), _Surface(index, "diminutive"))
        for form, owners in self._surnames().items():
            surfaces.setdefault(form, _Surface(owners[0] if len(owners) == 1 else None, "surname"))
        self._surfaces = surfaces
        self._pattern = ()
        self._branches = []
        self._branches_at = {}
        if surfaces:
            forms = [" ".join(k.split()) for k in surfaces]
            by_first: dict[str, list[str]] = {}
            for form in forms:
                by_first.setdefault(form[0], []).append(form)
            self._branches = [
                (self._regex(f"(?i:{_char_pattern(first)})"), self._regex(
                    rf"(?<!\w)(?P<name>(?i:{_trie_pattern(by_first[first])}))"
                    r"(?P<possessive>['’][sS]|[sS])?(?!\w)"
                ))
                for first in sorted(by_first)
            ]
            # a name can only start where its first word does, after a character
            # that is no word character (the pattern finds that one) or at the start
            first_words = _trie_pattern(sorted({f.split(" ")[0] for f in forms}))
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
        for index, (original, _pseudonym, kind) in enumerate(self._entries):
            words = original.split()
            if kind == "person" and len(words) > 1 and words[-1][:1].isupper() and len(words[-1]) > 1:
                entries = owners.setdefault(_key(" ".join(words[1:])), [])
                if self._entries[index][1] not in {self._entries[e][1] for e in entries}:
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

    def _matches(self, text: str) -> list[re.Match[str]]:
        """What one pass of the fixed patterns and the names replaces, left to right.

        The same matches as one regular expression ``email|url|phone|bsn|postcode|name``
        scanning ``text``, found faster: every place where one of them can start has a
        cheap mark (an ``@``, a ``.nl``, ``://``, a digit, a name's first word ...),
        and the full patterns are tried only there, in text order.
        """
        name_starts = self._compiled()
        starts = identifiers.starts(text, self.language)
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
            if match:
                found.append(match)
                end = match.end()
        return found

    def _surface(self, found: str) -> _Surface:
        key = _key(found)
        if key in self._surfaces:
            return self._surfaces[key]
        # a case variant the simple lower-casing did not produce (rare scripts)
        for form, surface in self._surfaces.items():
            if re.fullmatch(_trie_pattern([form]), found, re.IGNORECASE):
                return surface
        raise KeyError(found)  # pragma: no cover - the pattern only matches known forms

    def _replacement(self, match: re.Match[str], counts: dict[str, int]) -> str:
        kind = match.lastgroup
        if kind in ("name", "possessive"):
            base = match["name"]
            surface = self._surface(base)
            if surface.form == "surname" and not base.split()[-1][:1].isupper():
                return match.group()  # "de bakker" is a baker; "De Bakker", "Bakker" a person
            counts["mapping"] += 1
            if surface.entry is None:  # the surname of more than one person: say only that
                return _SURNAME[self.language] + (match["possessive"] or "")
            pseudonym = self._entries[surface.entry][1]
            return _match_case(base, pseudonym) + (match["possessive"] or "")
        counts[kind] += 1
        return identifiers.placeholder(match, self.language)

    def text(self, text: str) -> tuple[str, dict[str, int]]:
        """Replace mapped names and the fixed patterns in canonical ``text``.

        Returns
        -------
        The pseudonymised text and the number of replacements per kind:
        ``mapping, email, phone, postcode, bsn, url`` (all keys always present).
        Timestamps, dates, years, amounts and 9-digit numbers failing the 11-proof
        are left as they are.
        """
        replaced, counts = self.texts([text])
        return replaced[0], counts

    def texts(self, texts: list[str]) -> tuple[list[str], dict[str, int]]:
        """:meth:`text` for several texts (the turns of a document) in one pass.

        Returns
        -------
        The pseudonymised texts, in order, and the replacements per kind summed over them.
        """
        counts = dict.fromkeys(PATTERN_KINDS, 0)
        # No pattern reaches across a blank line or looks past one, so the texts are
        # scanned as one, with a blank line between them.
        joined = _TEXT_SEPARATOR.join(texts)
        matches = self._matches(joined)
        if not matches:
            return list(texts), counts
        out = []
        offset = 0
        index = 0
        for text in texts:
            end = offset + len(text)
            pieces = []
            last = offset
            while index < len(matches) and matches[index].start() < end:
                match = matches[index]
                pieces.append(joined[last:match.start()])
                pieces.append(self._replacement(match, counts))
                last = match.end()
                index += 1
            if pieces:
                pieces.append(joined[last:end])
                out.append("".join(pieces))
            else:
                out.append(text)
            offset = end + len(_TEXT_SEPARATOR)
        return out, counts

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
        wanted = {_key(o) for o in originals}
        found: dict[str, int] = {}
        for match in self._matches(text):
            if "name" in match.re.groupindex:  # a name, not an address or a number
                entry = self._surface(match["name"]).entry
                original = self._entries[entry][0] if entry is not None else ""
                if _key(original) in wanted:
                    found[original] = found.get(original, 0) + 1
        return found

    # ------------------------------------------------------------------ candidates
    def candidates(self, text: str, pseudonymised: bool = False) -> pd.DataFrame:
        """Capitalised words that look like names but are not in the mapping.

        A word is a candidate when it is written with a capital in the middle of a
        sentence (at least once; its sentence-start occurrences are then counted too)
        and it is none of: a mapped name, a word of a pseudonym, a role word, a common
        capitalised word of the field, a generic abbreviation of the field, a single
        letter, a word that also occurs in lower case in the same text (so "Dat" and
        "Nee" are not listed; a name that is also an ordinary word, like Roos, is then
        missed). E-mail addresses, URLs and mapped names are skipped. A turn label
        (``Fatima: ...``) counts as a sentence start: speakers are pseudonymised by
        :meth:`speaker`, and notes often start a paragraph with ``Conclusie:``.

        Parameters
        ----------
        text : the text to look through.
        pseudonymised : ``text`` came out of :meth:`texts` with the mapping as it is
            now, so mapped names, addresses and numbers are gone already and are not
            looked for again (the importer's case; faster).

        Returns
        -------
        DataFrame with columns ``word`` (as written, without a possessive ``'s``), ``count`` (capitalised occurrences
        anywhere) and ``context`` (about 40 characters either side of the first
        mid-sentence occurrence), most frequent first, then alphabetical.
        """
        masked = text
        matches = [] if pseudonymised else self._matches(text)
        if matches:
            pieces, last = [], 0
            for match in matches:
                pieces += (text[last:match.start()], " " * (match.end() - match.start()))
                last = match.end()
            masked = "".join(pieces) + text[last:]
        ignore = self._ignored()
        # Count the words of each run of non-space characters once: no word spans white space.
        runs: Counter[str] = Counter()
        for piece in _pieces(masked):
            runs.update(piece.split())
        tokens: Counter[str] = Counter()
        for run, times in runs.items():
            for token in _WORD.findall(run):
                tokens[token] += times
        # a word that also occurs in lower case is an ordinary word ("Dat", "Nee"), not a name
        ordinary = {w for w in tokens if w.islower()}
        verdicts: dict[str, str] = {}  # as found -> the word counted ("" for none)
        counts: Counter[str] = Counter()
        for found in tokens:
            if found[0].isupper():
                word = verdicts[found] = self._candidate(found, ignore, ordinary)
                if word:
                    counts[word] += tokens[found]
        # where each word first occurs in the middle of a sentence (words only ever
        # found at a sentence start are no candidates)
        telling: dict[str, int] = {}
        forms = sorted(found for found, word in verdicts.items() if word)
        if forms:
            pattern = re.compile(_trie_pattern(forms) + r"(?![^\W\d_])(?!['’-][^\W\d_])")
            for match in pattern.finditer(masked):
                start = match.start()
                word = verdicts.get(match.group(), "")
                if word and word not in telling and _starts_word(masked, start) \
                        and not _sentence_start(masked, start):
                    telling[word] = start
        rows = [(w, counts[w], _context(text, start, len(w))) for w, start in telling.items()]
        rows.sort(key=lambda r: (-r[1], r[0].casefold(), r[0]))
        table = pd.DataFrame(rows, columns=["word", "count", "context"])
        return table.astype({"word": str, "count": "int64", "context": str})

    def _ignored(self) -> set[str]:
        """Folded words that are never candidates: common capitalised words, roles, pseudonyms."""
        ignore = {_fold(w) for w in _COMMON_CAPITALISED | _GENERIC_LABEL_WORDS}
        ignore |= {_fold(w) for w in ROLE_STEMS}
        ignore |= {_fold(w) for pair in ROLE_STEMS.values() for s in pair for w in s.split()}
        for _original, pseudonym, _kind in self._entries:
            ignore |= {_fold(w) for w in pseudonym.split()}
        return ignore

    @staticmethod
    def _candidate(found: str, ignore: set[str], ordinary: set[str]) -> str:
        """The word a capitalised ``found`` counts as, or "" when it is no candidate."""
        word = re.sub(r"['’]s$", "", found)  # Fatima's counts as Fatima
        if len(word) < 2:
            return ""
        head = re.split(r"[-'’]", word)[0]
        if head.upper() in FIELD_ABBREVIATIONS and (head.isupper() or word.isupper()):
            return ""
        if _fold(word) in ignore or _fold(head) in ignore or word.lower() in ordinary:
            return ""
        return word


def _pieces(text: str, size: int = 1 << 16) -> Iterator[str]:
    """``text`` cut at line ends into pieces of about ``size`` characters.

    Their ``split()`` together is ``text.split()``; counted piece by piece, the words
    of a large text are counted faster than from one list of all of them (measured:
    0.12 s against 0.16 s for a million words).
    """
    start = 0
    while start < len(text):
        cut = text.find("\n", start + size)
        end = len(text) if cut < 0 else cut
        yield text[start:end]
        start = end


def _starts_word(text: str, start: int) -> bool:
    """True when a word of :data:`_WORD` can start at ``start`` (it does not continue one)."""
    if start and _LETTER.match(text, start - 1):
        return False
    return not (start > 1 and text[start - 1] in "'’-" and _LETTER.match(text, start - 2))


def _sentence_start(text: str, start: int) -> bool:
    """True when the word at ``start`` opens a sentence, a line after punctuation or a block."""
    i = start - 1
    newlines = 0
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“”‘’«»([-–—•*"):
        if text[i] == "\n":
            newlines += 1
            if newlines > 1:
                return True
        i -= 1
    if i < 0:
        return True
    if text[i] in ":!?…]":
        return True
    if text[i] == ".":
        before = re.search(r"([\w.]+)\.$", text[max(0, i - 12) : i + 1])
        return not (before and before[1].lower() in _TITLE_ABBREVIATIONS)
    return False


def _context(text: str, start: int, length: int, width: int = 40) -> str:
    left = max(0, start - width)
    right = min(len(text), start + length + width)
    snippet = _SPACES.sub(" ", text[left:right]).strip()
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(text) else "")
