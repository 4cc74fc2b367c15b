"""Identifiers: slugs, free names and the languages (a leaf: it imports nothing of raakvlak).

Document and coder ids are *slugs* (fixed decision 7): readable, lower-case ASCII, safe
as file names on every system. Code ids are slugs joined by dots. New names are made
from free text with :func:`slug` and kept apart from taken ones with :func:`free_name`.

A code *pattern* picks code ids, the same way in queries, theme scopes and retrieval
(:func:`code_matcher`).

Examples
--------
>>> slug("Sessie 3 – Het Baken (def).docx")
'sessie-3-het-baken-def-docx'
>>> free_name("sessie", {"sessie", "sessie-2"})
'sessie-3'
"""

from __future__ import annotations

import fnmatch
import re
import unicodedata
from collections.abc import Callable, Container, Mapping

LANGUAGES = ("nl", "en")
"""The languages raakvlak has a pipeline, stop words and labels for."""

CONSENSUS_CODER = "consensus"
"""The coder whose log holds the decisions of a consensus meeting."""

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# names Windows gives to devices: no file may be called so, whatever its extension
_DEVICE_NAMES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                           *(f"lpt{n}" for n in range(10))})


def slug(text: str, length: int = 40, separator: str = "-", at_word: bool = False, keep: str = "") -> str:
    """Free text as a readable identifier: ASCII lower case and digits joined by ``separator``.

    At most ``length`` characters; with ``at_word`` the cut falls between words when that
    keeps at least half. Characters in ``keep`` (e.g. ``"_"``) are kept as they are. The
    result may be empty (nothing readable in ``text``).

    Examples
    --------
    >>> slug("Wéér een nieuwe hulpverlener!", separator="_")
    'weer_een_nieuwe_hulpverlener'
    >>> slug("Wat gaat goed in de samenwerking met jeugdhulp op school?", at_word=True)
    'wat-gaat-goed-in-de-samenwerking-met'
    >>> slug("Anna de Vries"), slug("bram_2", keep="_")
    ('anna-de-vries', 'bram_2')
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    strip = separator + keep
    value = re.sub(rf"[^a-z0-9{re.escape(keep)}]+", separator, ascii_text.lower()).strip(strip)
    if len(value) <= length:
        return value
    if at_word:
        cut = value[: length + 1].rfind(separator)
        return value[: cut if cut >= length // 2 else length].strip(strip)
    return value[:length].rstrip(strip)


def is_slug(value: str) -> bool:
    """True for a readable identifier: lower-case letters, digits, ``-`` and ``_`` (at most
    64), and not a name Windows keeps for a device (``con``, ``nul``, ``com1`` ...): slugs
    name files.

    Examples
    --------
    >>> is_slug("anna"), is_slug("Anna"), is_slug("con")
    (True, False, False)
    """
    return bool(_SLUG.match(value)) and value not in _DEVICE_NAMES


def free_name(base: str, taken: Container[str], joiner: str = "-", length: int | None = None) -> str:
    """``base``, or ``base`` with the first number from 2 that is not ``taken``.

    With ``length``, ``base`` is shortened so that the name with its number fits.

    Examples
    --------
    >>> free_name("regie", {"regie"}, joiner="_"), free_name("Tabel", {"Tabel"}, " ", length=6)
    ('regie_2', 'Tabe 2')
    """
    name, number = base[:length] if length else base, 2
    while name in taken:
        suffix = f"{joiner}{number}"
        name = (base[: length - len(suffix)] if length else base) + suffix
        number += 1
    return name


def code_matcher(pattern: str, parents: Mapping[str, str | None] | None = None) -> Callable[[str], bool]:
    """A test for code ids: does ``pattern`` pick this code?

    - ``barrier.regie``: that code only;
    - ``barrier.*``: ``barrier`` itself and every code below it, at any depth;
    - other wildcards as in file names (``*`` any text, dots included; ``?`` one
      character; ``[ab]`` one of), and ``x.*`` at the end of any pattern takes ``x`` too.

    "Below" is the codebook's tree when ``parents`` (every code id of the codebook -> its
    parent id, None at the top) is given: a code moved to another parent keeps its id,
    so ``barrier.*`` then takes a code moved under ``barrier`` and leaves out one moved
    away. Codes the codebook does not know, and every code without ``parents``, go by
    their id (``barrier.regie`` is below ``barrier``). Retrieval, queries, theme scopes,
    the retrieval view's "codes below" switch and its counts all use this one rule.

    Case-sensitive on every system (code ids are lower case).

    Examples
    --------
    >>> picks = code_matcher("kwaliteit.*")
    >>> picks("kwaliteit"), picks("kwaliteit.zorg.wacht"), picks("kwaliteiten"), picks("Kwaliteit")
    (True, True, False, False)
    >>> code_matcher("barrier.regie")("barrier.regie.schuld"), code_matcher("*.regie")("barrier.regie")
    (False, True)
    >>> moved = {"barrier": None, "barrier.job": "inductive", "inductive": None, "thuis": "barrier"}
    >>> [c for c in ("barrier.job", "thuis", "barrier.gone") if code_matcher("barrier.*", moved)(c)]
    ['thuis', 'barrier.gone']
    """
    if not any(c in pattern for c in "*?["):
        return pattern.__eq__
    wanted = [pattern] + ([pattern[:-2]] if pattern.endswith(".*") else [])
    regex = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in wanted))
    by_id = lambda code_id: regex.match(code_id) is not None  # noqa: E731
    top = pattern[:-2]
    if parents is None or not pattern.endswith(".*") or any(c in top for c in "*?["):
        return by_id

    def below(code_id: str) -> bool:
        if code_id not in parents:
            return by_id(code_id)
        seen: set[str] = set()
        while code_id is not None and code_id not in seen:  # a cycle is no path up
            if code_id == top:
                return True
            seen.add(code_id)
            code_id = parents.get(code_id)
        return False

    return below
