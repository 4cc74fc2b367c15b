"""Canonical text: the one form every document is stored in (a fixed decision).

Canonical text is UTF-8 without BOM, ``\\n`` line ends, Unicode NFC, no trailing
white space on lines, at most one blank line in a row, no leading blank lines and
exactly one final ``\\n``. Importers produce it once; nothing re-normalises it later,
so offsets (Unicode code points, 0-based, end-exclusive) never drift. Its SHA-256 is
the document's fingerprint.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# The steps of canonicalisation, in this order (exchange.positions follows the same steps
# to map other tools' positions): substitutions, then NFC, then substitutions, then the
# outer line ends (no leading blank lines, one final line end).
BEFORE_NFC = (
    (re.compile(r"\r\n|\r|\u2028|\u2029|\x85|\x0b|\x0c"), "\n"),  # every line end becomes \n
    # control characters other than \n and \t have no place in a transcript
    (re.compile(r"[\x00-\x08\x0e-\x1f\x7f\u200b\ufeff]"), ""),
    (re.compile(r"\t"), " "),
)
AFTER_NFC = (
    (re.compile(r"[ \t\u00a0]+$", re.MULTILINE), ""),  # white space at the end of a line
    (re.compile(r"\n{3,}"), "\n\n"),  # at most one blank line in a row
)
# characters one of the steps below replaces or removes
_NOT_CANONICAL = re.compile(r"[\r\u2028\u2029\x85\x0b\x0c\x00-\x08\x0e-\x1f\x7f\u200b\ufeff\t]")


def _needs_work(text: str) -> bool:
    """True unless canonicalising ``text`` only touches its leading and final line ends."""
    return (
        _NOT_CANONICAL.search(text) is not None
        or " \n" in text or "\u00a0\n" in text or text.endswith((" ", "\u00a0"))
        or "\n\n\n" in text
        or not unicodedata.is_normalized("NFC", text)
    )


def canonicalise(text: str) -> str:
    """Return ``text`` in canonical form.

    The function is idempotent: ``canonicalise(canonicalise(t)) == canonicalise(t)``.
    Text that holds nothing but white space becomes the empty string.

    Examples
    --------
    >>> canonicalise("\\ufeffJa.\\r\\nNee.  \\r\\n\\r\\n\\r\\n\\r\\nCli\\u0065\\u0308nt")
    'Ja.\\nNee.\\n\\nCliënt\\n'
    """
    if not _needs_work(text):
        # nothing to replace, normalise or remove (most texts): only the ends
        text = text.strip("\n")
        return text + "\n" if text.strip() else ""
    for pattern, replacement in BEFORE_NFC:
        text = pattern.sub(replacement, text)
    text = unicodedata.normalize("NFC", text)
    for pattern, replacement in AFTER_NFC:
        text = pattern.sub(replacement, text)
    text = text.strip("\n")
    return text + "\n" if text.strip() else ""


def canonicalise_all(texts: list[str]) -> list[str]:
    """``[canonicalise(t) for t in texts]``, checked for work in one pass where possible.

    Texts without blank lines (speaker turns) that need no work together, joined by
    line ends, need none apart: then only their ends are trimmed.

    Examples
    --------
    >>> canonicalise_all(["Ja.", "", "Nee.\\r\\n"])
    ['Ja.\\n', '', 'Nee.\\n']
    """
    if _needs_work("\n".join(texts)):
        return [canonicalise(text) for text in texts]
    out = []
    for text in texts:
        text = text.strip("\n")
        out.append(text + "\n" if text.strip() else "")
    return out


def is_canonical(text: str) -> bool:
    """True when ``text`` is already in canonical form (and not empty)."""
    return bool(text) and canonicalise(text) == text


def fingerprint(text: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of canonical ``text``: the document's fingerprint.

    Examples
    --------
    >>> fingerprint("Ja.\\n")[:12]
    'eeb05e6b2f96'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
