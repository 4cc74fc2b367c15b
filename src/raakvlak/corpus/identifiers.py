"""Identifiers in running text that pseudonymisation replaces whatever the key says.

E-mail addresses, URLs, bank accounts (IBAN), phone numbers, dates of birth, street
addresses, BSN numbers and Dutch postcodes. Each becomes a placeholder in the
project's language (``[e-mail]``, ``[iban]``, ``[adres]`` ...). One regular expression
(:data:`FIXED`) holds them all, in the order they are tried at one place;
:func:`starts` finds, with cheap scans, every place where one of them can start, so
the expression is only tried there (see :class:`~raakvlak.corpus.pseudonymise.Pseudonymiser`).

Decisions
---------
* **Postcodes** ``1234 AB`` and ``1234AB`` in capitals, as before; in lower or mixed
  case (``1234ab``, ``1234 ab``) too, but not where the two letters are a unit or a
  word (``1500km``, ``in 2019 en``): written with a space, lower-case letters count
  only before a capitalised word (the town: ``1234 ab Utrecht``). Four digits before
  a school-type or field abbreviation (``2015 PO``, ``VO``, ``NL`` ...) stay.
* **IBAN**: two letters, two check digits and 11 to 30 letters or digits, in groups of
  four or not, any case; replaced only when the ISO 7064 mod-97 check passes.
* **Street addresses**: a street name with a Dutch street word (``Kerkstraat 12``,
  ``Oude Gracht 3a``, ``Van Baerlestraat 12-2``, ``Laan van Meerdervoort 45``) or an
  English one after its number (``12 Baker Street``), with the number. A street name
  without a number is a place, not an address, and stays.
* **Dates of birth**: a date after a birth cue (``geboren op``, ``geb.``,
  ``geboortedatum``, ``born on``, ``date of birth``, ``DOB``); the cue stays, the date
  becomes a placeholder. Other dates (meetings, deadlines) stay.
* **BSN**: nine digits (or ``1234.56.789``) that pass the 11-proof.
* **Phone numbers**: Dutch numbers of ten digits starting with ``0`` (spaces allowed
  between digits, one hyphen or space after the area code), the same after ``+31`` or
  ``0031`` (optionally with ``(0)``), ``(020) 123 4567``, and other ``+`` international
  numbers. Dates, timestamps and amounts do not have this shape.

Examples
--------
>>> text = "Bel 06-12345678 of schrijf naar Kerkstraat 12, 3512 ab Utrecht (geboren op 3 mei 2011)."
>>> replace_all(text, "nl")
'Bel [telefoon] of schrijf naar [adres], [postcode] Utrecht (geboren op [geboortedatum]).'
"""

from __future__ import annotations

import re

KINDS = ("email", "url", "iban", "phone", "dob", "address", "bsn", "postcode")
PLACEHOLDERS = {
    "nl": {"email": "[e-mail]", "url": "[url]", "iban": "[iban]", "phone": "[telefoon]",
           "dob": "[geboortedatum]", "address": "[adres]", "bsn": "[bsn]", "postcode": "[postcode]"},
    "en": {"email": "[email]", "url": "[url]", "iban": "[iban]", "phone": "[phone]",
           "dob": "[date of birth]", "address": "[address]", "bsn": "[bsn]", "postcode": "[postcode]"},
}

_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_URL = (
    r"(?:https?://|ftp://|www\.)[^\s<>\"'()\[\]]*[^\s<>\"'()\[\].,;:!?]"
    r"|(?<![\w@.-])(?=[\w-]+\.)(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
    r"(?:nl|com|org|net|eu|be|info|nu|io|edu)(?![\w-])(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?"
)
_IBAN = r"(?<!\w)[A-Za-z]{2}\d\d(?: ?[A-Za-z0-9]{4}){2,7}(?: ?[A-Za-z0-9]{1,3})?(?!\w)"
_NATIONAL = (  # the nine digits after the trunk 0 or the country code 31
    r"(?:[1-9][ -]?\d(?: ?\d){7}|[1-9]\d[ -]?\d(?: ?\d){6}|[1-9]\d\d[ -]?\d(?: ?\d){5})"
)
_PHONE = (
    r"(?<![\w.,+-])(?:(?:(?:\+|00)31 ?(?:\(0\) ?)?|0)" + _NATIONAL
    + r"|\(0[1-9]\)[ -]?\d(?: ?\d){7}|\(0[1-9]\d\)[ -]?\d(?: ?\d){6}"
    r"|\(0[1-9]\d\d\)[ -]?\d(?: ?\d){5}"
    r"|\+(?!31)[1-9]\d{0,2}(?:[ -]?\d){6,12})(?!\w|[-.,/]\d)"
)
_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|january|february|march|may|june|july|october"
    "|jan|feb|mrt|mar|apr|jun|jul|aug|sept|sep|okt|oct|nov|dec"
)
_DOB_CUE = (r"(?<!\w)(?:geboren op|geboren|geb\.|geboortedatum:?|born on|born|date of birth:?"
            r"|d\.o\.b\.?:?|dob:?)")
_DOB = (
    rf"(?P<dob_cue>(?i:{_DOB_CUE}))[^\S\n]+(?P<dob_date>\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:\d{{4}}|\d\d)"
    rf"|\d{{4}}-\d\d-\d\d|\d{{1,2}}(?:e|ste|de|th|st|nd|rd)? (?i:{_MONTHS})\.? \d{{4}}"
    rf"|(?i:{_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}})(?!\w)"
)
_STREET_WORDS = (
    "straat|straatweg|weg|laan|plein|gracht|kade|singel|dijk|pad|steeg|hof|dreef|park|ring"
    "|baan|markt|plantsoen|erf|wal|burgwal|boulevard|allee|dam|haven|zijde|oord|hoek|veld"
)
_STREET_WORDS_CAPITALISED = "|".join(w.capitalize() for w in _STREET_WORDS.split("|"))
_HOUSE_NUMBER = r"\d{1,5}(?:[a-zA-Z](?![\w])|-\d{1,4}| ?(?:bis|hs|huis)(?!\w))?"
# a capitalised word of a street name (a preposition opening a sentence is none) and
# the particles inside names ("Burgemeester de Withstraat")
_CAPITAL_WORD = r"(?!(?:Op|In|Aan|Bij|Naar|Uit|Via|Over|At|On|To|From|Near)\s)[A-Z][\w'’.-]*"
_PARTICLE = r"(?:van|de|der|den|het|ter|ten|op|aan|in|'t)"
_ADDRESS = (
    rf"(?:{_CAPITAL_WORD} (?:(?:{_CAPITAL_WORD}|{_PARTICLE}) ){{0,3}})?"
    rf"(?:[A-Z][\w'’-]*?(?:{_STREET_WORDS})|(?:{_STREET_WORDS_CAPITALISED}))"
    rf"[^\S\n]+{_HOUSE_NUMBER}(?!\w)"
    rf"|(?:Laan|Plein|Kade|Weg|Dijk|Singel|Hof) (?:{_PARTICLE} )*[A-Z][\w'’-]*[^\S\n]+{_HOUSE_NUMBER}(?!\w)"
    r"|\d{1,5}[a-zA-Z]? (?:[A-Z][\w'’-]* ){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive"
    r"|Way|Close|Court|Place|Square|Crescent|Terrace|Boulevard)(?!\w)"
)
_BSN = r"(?<![\w.,-])(?:\d{9}|\d{4}\.\d\d\.\d{3})(?!\w|[-.,/]\d)"
_POSTCODE = (
    r"(?<![\w.,-])[1-9]\d{3}(?: ?[A-Z]{2}|[A-Za-z]{2}|[^\S\n][A-Za-z]{2}(?=[^\S\n]+[A-Z][a-z]))"
    r"(?!\w|-\w)"
)
FIXED = re.compile(
    rf"(?P<email>(?i:{_EMAIL}))|(?P<url>(?i:{_URL}))|(?P<iban>{_IBAN})|(?P<phone>{_PHONE})"
    rf"|(?P<dob>{_DOB})|(?P<address>{_ADDRESS})|(?P<bsn>{_BSN})|(?P<postcode>{_POSTCODE})"
)
# Marks of where a fixed pattern can start (see starts): each is found by a fast
# scan, and together they cover every place a match can start.
_EMAIL_CHAR = re.compile(r"[\w.+-]")  # an address runs back from its @ over these
_DOMAIN_CHAR = re.compile(r"[\w@.-]")  # a bare domain runs back from its last dot
_DOMAIN_END = re.compile(r"\.(?i:nl|com|org|net|eu|be|info|nu|io|edu)(?![\w-])")
_WWW = re.compile(r"\.(?<=(?i:www\.))")
# +31, +<country>; 0031; 0 and the first two digits of the national number; (0<area>)
_PHONE_START = re.compile(r"\+(?=[1-9])|0(?=[1-9][ -]?\d|031)|\((?=0[1-9])")
_FOUR_DIGITS = re.compile(r"\d{4}")  # a BSN or postcode opens a run of four digits
_SPACE_DIGIT = re.compile(r" (?=\d)")  # where a house number follows a street's name
_STREET_ENDINGS = tuple(_STREET_WORDS.split("|"))
# English street words (found in English texts only), after a space
_ENGLISH_STREETS = ("Street", "St.", "Road", "Rd.", "Avenue", "Ave.", "Lane", "Drive", "Way",
                    "Close", "Court", "Place", "Square", "Crescent", "Terrace", "Boulevard")
# what opens a date of birth, found without its first letter (so in either case): where
# one is found, the cue starts a character earlier; English cues in English texts only
_DOB_CUES = {"nl": ("eboren", "eb.", "eboorte"),
             "en": ("eboren", "eb.", "eboorte", "orn", "ate of birth", ".o.b", "OB", "ob:")}
_LAAN_WORDS = ("Laan ", "Plein ", "Kade ", "Weg ", "Dijk ", "Singel ", "Hof ")

# what the letters of a postcode-shaped number may not be: school types and fields
# (``2015 PO``), and, in lower case, units and two-letter words (``1500km``, ``2019 en``)
_POSTCODE_NOT = {"PO", "VO", "SO", "HO", "WO", "IB", "EU", "NL", "SA", "SD", "SS"}
_POSTCODE_NOT_LOWER = {
    "km", "kg", "cm", "mm", "ml", "mg", "gb", "mb", "kb", "am", "pm", "cl", "dl", "ct", "xl",
    "en", "is", "op", "in", "de", "te", "na", "om", "of", "al", "nu", "zo", "ze", "we", "je",
    "er", "ik", "at", "to", "as", "an", "be", "by", "do", "go", "he", "if", "it", "me", "my",
    "no", "on", "or", "so", "up", "us", "uu", "ca", "bv", "nr", "tm", "vs",
}


def _run_start(text: str, end: int, chars: re.Pattern[str]) -> int:
    """Where the run of ``chars`` that ends just before ``end`` starts."""
    start = end
    while start > 0 and chars.match(text, start - 1):
        start -= 1
    return start


def _find_all(text: str, word: str) -> list[int]:
    """Every place where ``word`` occurs in ``text`` (str.find: far faster than a regex)."""
    places, at = [], text.find(word)
    while at >= 0:
        places.append(at)
        at = text.find(word, at + 1)
    return places


def starts(text: str, language: str = "nl") -> set[int]:
    """Every place in ``text`` where a match of :data:`FIXED` can start (and some more).

    Each kind has a cheap mark: an ``@``, a ``.nl``, ``://``, ``www.``, the start of a
    phone number, a birth cue or a ``Laan``-like word (found with ``str.find``), and a
    run of digits, which is where a BSN, a postcode or an English address starts, two
    letters before it an IBAN, and a few words before it a Dutch street with its number.
    """
    found: set[int] = set()
    for at in _find_all(text, "@"):  # an e-mail address starts where the run of its characters does
        found.add(_run_start(text, at, _EMAIL_CHAR))
    for match in _DOMAIN_END.finditer(text):  # a bare domain: where its run starts
        found.add(_run_start(text, match.start(), _DOMAIN_CHAR))
    for scheme in _find_all(text, "://"):  # ftp://, http://, https://
        found.update(range(max(0, scheme - 5), max(0, scheme - 2)))
    found.update(m.start() - 3 for m in _WWW.finditer(text))
    found.update(m.start() for m in _PHONE_START.finditer(text))
    for cue in _DOB_CUES[language]:
        found.update(at - 1 for at in _find_all(text, cue))
    for word in _LAAN_WORDS:
        found.update(_find_all(text, word))
    for four in _FOUR_DIGITS.finditer(text):
        start = four.start()
        found.add(start)
        # an IBAN: two letters and two check digits, up to ten characters before
        found.update(c for c in range(max(0, start - 10), start - 1)
                     if text[c:c + 2].isalpha() and text[c + 2:c + 4].isdigit())
    for space in _SPACE_DIGIT.finditer(text):  # "Kerkstraat 12"
        at = space.start()
        word = text[text.rfind(" ", max(0, at - 40), at) + 1:at]
        if word.lower().endswith(_STREET_ENDINGS):
            _street_marks(text, at + 1, found)
    for street in _ENGLISH_STREETS if language == "en" else ():
        for at in _find_all(text, street):  # "12 Baker Street": its number, a few words back
            if text[at - 1:at] != " ":
                continue
            line = text[max(text.rfind("\n", 0, at) + 1, at - 80):at - 1].split(" ")
            at -= 1
            for word in reversed(line[-4:]):
                at -= len(word)
                if word[:1].isdigit():
                    found.add(at)
                at -= 1
    return found


def _street_marks(text: str, number: int, found: set[int]) -> None:
    """Where a Dutch address can start, for a house number at ``number`` after a street
    word ("Kerkstraat 12"): that word and up to four before it."""
    space = number - 1
    line_start = text.rfind("\n", 0, space) + 1
    words = text[max(line_start, space - 140):space].split(" ")
    at = space
    for word in reversed(words[-5:]):
        at -= len(word)
        found.add(at)
        at -= 1


def _iban_valid(found: str) -> bool:
    """ISO 13616: letters to numbers (A=10 ... Z=35), check digits moved last, mod 97 is 1."""
    value = found.replace(" ", "").upper()
    if not 15 <= len(value) <= 34:
        return False
    digits = "".join(str(int(c, 36)) for c in value[4:] + value[:4])
    return int(digits) % 97 == 1


def passes_eleven_proof(digits: str) -> bool:
    """True when nine digits pass the 11-proof of the Dutch BSN.

    The weighted sum ``9*d1 + 8*d2 + ... + 2*d8 - 1*d9`` must be a multiple of 11
    (and the number must not be all zeros).

    Examples
    --------
    >>> passes_eleven_proof("111222333"), passes_eleven_proof("123456789")
    (True, False)
    """
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    total = sum(w * int(d) for w, d in zip(range(9, 1, -1), digits[:8], strict=True))
    return (total - int(digits[8])) % 11 == 0


def accepted(match: re.Match[str]) -> bool:
    """Whether a match of :data:`FIXED` is an identifier (the checks a pattern cannot make)."""
    kind, found = match.lastgroup, match.group()
    if kind == "bsn":
        return passes_eleven_proof(found.replace(".", ""))
    if kind == "iban":
        return _iban_valid(found)
    if kind == "postcode":
        letters = found[-2:]
        if letters.upper() in _POSTCODE_NOT:
            return False
        return letters.isupper() or letters.lower() not in _POSTCODE_NOT_LOWER
    return True


def placeholder(match: re.Match[str], language: str) -> str:
    """What replaces an accepted match: the placeholder of its kind (a date of birth keeps
    its cue: ``geboren op [geboortedatum]``)."""
    kind = match.lastgroup
    text = PLACEHOLDERS[language][kind]
    if kind == "dob":
        return match.string[match.start():match.start("dob_date")] + text
    return text


def replace_all(text: str, language: str = "nl") -> str:
    """``text`` with every identifier replaced by its placeholder (no names: see the key)."""
    pieces, last, end = [], 0, 0
    for start in sorted(starts(text, language)):
        if start < end:
            continue
        match = FIXED.match(text, start)
        if match and accepted(match):
            pieces += [text[last:start], placeholder(match, language)]
            last = end = match.end()
    return "".join(pieces) + text[last:]
