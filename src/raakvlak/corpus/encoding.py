"""Turning the bytes of a text file into text, and saying how it was done.

Researchers' files come from Word on Windows (Windows-1252), from transcription
services (UTF-8, sometimes UTF-16 with a byte-order mark) and from copy and paste
between programs, which leaves double-encoded UTF-8 ("mojibake": ``cliÃ«nten`` for
``cliënten``). :func:`decode` reads all of these, repairs the mojibake where the
repair is certain, and returns messages the import shows to the user.
"""

from __future__ import annotations

import codecs
import re

from raakvlak.errors import ImportProblem

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32 LE"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32 BE"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"),
)


def _byte_of() -> dict[str, int]:
    """Map each character that Windows-1252 or Latin-1 gives a byte 0x80-0xFF back to it."""
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        table[chr(byte)] = byte  # Latin-1 (also the C1 controls cp1252 leaves undefined)
        char = bytes([byte]).decode("cp1252", errors="ignore")
        if char:
            table[char] = byte
    return table


_BYTE_OF = _byte_of()
# Latin-1 text -> Windows-1252 text (the five bytes cp1252 leaves undefined stay Latin-1)
_CP1252_FROM_LATIN1 = {
    byte: bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(0x80, 0xA0)
}
_CONT = "".join(re.escape(c) for c, b in _BYTE_OF.items() if 0x80 <= b <= 0xBF)
_LEAD2 = "".join(re.escape(c) for c, b in _BYTE_OF.items() if 0xC2 <= b <= 0xDF)
_LEAD3 = "".join(re.escape(c) for c, b in _BYTE_OF.items() if 0xE0 <= b <= 0xEF)
_LEAD4 = "".join(re.escape(c) for c, b in _BYTE_OF.items() if 0xF0 <= b <= 0xF4)
# one UTF-8 sequence read back as Windows-1252/Latin-1 characters
_MOJIBAKE = re.compile(
    f"[{_LEAD2}][{_CONT}]|[{_LEAD3}][{_CONT}]{{2}}|[{_LEAD4}][{_CONT}]{{3}}"
)


def _mojibake_hint() -> re.Pattern[bytes]:
    """A superset of :data:`_MOJIBAKE` in the text's UTF-8 bytes, found much faster.

    A lead character's own bytes followed by the first byte of any continuation
    character: every garbled sequence has this shape, so text without it needs no
    character-by-character scan (the bytes pattern starts with a literal byte)."""
    tails: dict[bytes, set[int]] = {}
    for char, byte in _BYTE_OF.items():
        if 0xC2 <= byte <= 0xF4:
            encoded = char.encode("utf-8")
            tails.setdefault(encoded[:-1], set()).add(encoded[-1])
    follow = {char.encode("utf-8")[0] for char, byte in _BYTE_OF.items() if 0x80 <= byte <= 0xBF}

    def one_of(values: set[int]) -> bytes:
        return b"[" + b"".join(re.escape(bytes([v])) for v in sorted(values)) + b"]"

    leads = b"|".join(re.escape(head) + one_of(last) for head, last in tails.items())
    return re.compile(b"(?:" + leads + b")" + one_of(follow))


_MOJIBAKE_HINT = _mojibake_hint()
# what a repaired sequence may decode to: the characters double encoding garbles in
# European text (Latin letters, Cyrillic, Arabic, punctuation, currency, symbols,
# emoji). A "repair" to anything else (CJK, IPA, NKo ...) means the text was right.
_PLAUSIBLE = (
    (0x00A0, 0x017F), (0x0218, 0x021B), (0x0300, 0x036F), (0x0370, 0x03FF),
    (0x0400, 0x04FF), (0x0600, 0x06FF), (0x2000, 0x206F), (0x20A0, 0x20CF),
    (0x2100, 0x214F), (0x2190, 0x21FF), (0x2200, 0x22FF), (0x2500, 0x27BF),
    (0xFB00, 0xFB4F), (0x1F000, 0x1FAFF),
)
# control characters that do not occur in text (tab, line ends and form feed do)
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode the bytes of a text file.

    Tried in this order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE),
    UTF-16 without a mark (recognised by its zero bytes), UTF-8, and finally
    Windows-1252. Double-encoded UTF-8 is repaired afterwards, one sequence at a
    time and only where the repair decodes cleanly.

    Parameters
    ----------
    data : the file's bytes.
    name : the file name, used in messages and errors.

    Returns
    -------
    text, messages
        The decoded text (byte-order mark removed, line ends untouched) and what
        the user should be told, e.g. ``"decoded as Windows-1252"`` or
        ``"repaired double-encoded UTF-8 (3 places)"``. Plain UTF-8 gives no
        message about the encoding.

    Raises
    ------
    ImportProblem
        When the bytes are not text (NUL bytes outside UTF-16, control characters)
        or a byte-order mark promises an encoding the bytes do not follow.

    Examples
    --------
    >>> decode("cliënten".encode("cp1252"), "a.txt")
    ('cliënten', ['decoded as Windows-1252 (the file is not valid UTF-8)'])
    >>> decode("cliënten".encode("utf-8").decode("cp1252").encode("utf-8"), "a.txt")
    ('cliënten', ['repaired double-encoded UTF-8 (1 place)'])
    """
    messages: list[str] = []
    text = None
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ImportProblem(
                    f"{name}: starts with a {label} byte-order mark but byte {exc.start + len(bom)} "
                    f"is not {label}; save the file again as UTF-8"
                ) from None
            messages.append(f"decoded as {label} (byte-order mark)")
            break
    if text is None:
        text = _decode_unmarked(data, name, messages)
    if len(_BINARY_CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise ImportProblem(
            f"{name}: holds control characters, so it is not a text file (binary or "
            f"unknown format); save it as plain text (UTF-8) or as .docx, .odt or .pdf"
        )
    text, repairs = repair_mojibake(text)
    if repairs:
        messages.append(
            f"repaired double-encoded UTF-8 ({repairs} place{'s' if repairs != 1 else ''})"
        )
    return text, messages


def _decode_unmarked(data: bytes, name: str, messages: list[str]) -> str:
    """Decode bytes without a byte-order mark (UTF-16 by zero bytes, UTF-8, Windows-1252)."""
    if b"\x00" in data:
        codec = _utf16_without_bom(data)
        if codec:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                text = None
            if text is not None:
                label = "UTF-16 LE" if codec.endswith("le") else "UTF-16 BE"
                messages.append(f"decoded as {label} (no byte-order mark)")
                return text
        raise ImportProblem(
            f"{name}: contains NUL bytes, so it is not a text file (binary or unknown "
            f"format); save it as plain text (UTF-8) or as .docx, .odt or .pdf"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    messages.append("decoded as Windows-1252 (the file is not valid UTF-8)")
    return data.decode("latin-1").translate(_CP1252_FROM_LATIN1)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when zero bytes sit on one side as in mostly-Latin UTF-16."""
    if len(data) % 2 or len(data) < 4:
        return None
    even, odd = data[0::2], data[1::2]
    half = len(data) // 2
    if odd.count(0) > 0.4 * half and even.count(0) < 0.05 * half:
        return "utf-16-le"
    if even.count(0) > 0.4 * half and odd.count(0) < 0.05 * half:
        return "utf-16-be"
    return None


def repair_mojibake(text: str) -> tuple[str, int]:
    """Repair double-encoded UTF-8 and return the text with the number of repairs.

    A run such as ``Ã«`` is turned back into bytes (Windows-1252, or Latin-1 for
    the bytes Windows-1252 leaves undefined) and decoded as UTF-8; it is replaced
    only when that gives exactly one character of a kind double encoding garbles in
    European text (letters with accents, Cyrillic, Arabic, typographic punctuation,
    currency, symbols, emoji), so ``café“…`` stays as it is. Text that was encoded
    twice over is repaired in up to three rounds.

    Examples
    --------
    >>> repair_mojibake("â€œSamenâ€\\x9d werken met cliÃ«nten")
    ('“Samen” werken met cliënten', 3)
    >>> repair_mojibake("São Paulo, Ãgua")
    ('São Paulo, Ãgua', 0)
    """
    total = 0
    for _ in range(3):
        if not _MOJIBAKE_HINT.search(text.encode("utf-8", "surrogatepass")):
            break
        count = 0

        def fix(match: re.Match[str]) -> str:
            nonlocal count
            raw = bytes(_BYTE_OF[c] for c in match.group())
            try:
                char = raw.decode("utf-8")
            except UnicodeDecodeError:
                return match.group()
            if len(char) != 1 or not any(lo <= ord(char) <= hi for lo, hi in _PLAUSIBLE):
                return match.group()
            count += 1
            return char

        text = _MOJIBAKE.sub(fix, text)
        total += count
        if not count:
            break
    return text, total
