"""Decoding text files: byte-order marks, UTF-16, Windows-1252 and double-encoded UTF-8."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raakvlak.corpus.encoding import decode, repair_mojibake
from raakvlak.errors import ImportProblem

DUTCH = "Overleg met de cliënten, één ouder en de IB’er over “regie” – kosten € 90… ok?"


def garble(text: str) -> str:
    """Double-encode: UTF-8 bytes read back as Windows-1252 (undefined bytes as Latin-1)."""
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )


def test_plain_utf8_is_returned_without_messages():
    assert decode(DUTCH.encode("utf-8"), "a.txt") == (DUTCH, [])
    assert decode(b"a\r\nb\n", "a.txt") == ("a\r\nb\n", [])  # line ends untouched


@pytest.mark.parametrize(
    ("codec", "label"),
    [("utf-8-sig", "UTF-8"), ("utf-16", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE"), ("utf-32", "UTF-32 LE")],
)
def test_byte_order_marks(codec, label):
    data = DUTCH.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    text, messages = decode(data, "a.txt")
    assert text == DUTCH
    assert messages == [f"decoded as {label} (byte-order mark)"]


def test_utf16_without_byte_order_mark():
    assert decode(DUTCH.encode("utf-16-le"), "a.txt") == (DUTCH, ["decoded as UTF-16 LE (no byte-order mark)"])
    assert decode(DUTCH.encode("utf-16-be"), "a.txt")[0] == DUTCH


def test_windows_1252_fallback():
    text, messages = decode(DUTCH.encode("cp1252"), "a.txt")
    assert text == DUTCH
    assert len(messages) == 1 and messages[0].startswith("decoded as Windows-1252")
    # the five bytes Windows-1252 leaves undefined do not stop the import
    assert decode(b"caf\xe9 \x81", "a.txt")[0] == "café \x81"


@pytest.mark.parametrize(
    ("garbled", "repaired", "places"),
    [
        ("cliÃ«nten", "cliënten", 1),
        ("Ã©Ã©n kind â€“ Ã©Ã©n plan", "één kind – één plan", 5),
        ("â€œSamenâ€\x9d werken", "“Samen” werken", 2),
        ("de IBâ€™er", "de IB’er", 1),
        ("â‚¬ 90", "€ 90", 1),
        ("Top ðŸ‘\x8d", "Top 👍", 1),
        ("Ã‡ok gÃ¼zel, ÅŸimdi", "Çok güzel, şimdi", 3),
    ],
)
def test_double_encoded_utf8_is_repaired_and_counted(garbled, repaired, places):
    text, messages = decode(garbled.encode("utf-8"), "a.txt")
    assert text == repaired
    assert messages == [f"repaired double-encoded UTF-8 ({places} place{'s' if places > 1 else ''})"]


def test_mixed_and_twice_double_encoded_text():
    # part of the file right, part garbled (copy and paste): only the garbled part changes
    assert repair_mojibake("Geen één cliÃ«nt") == ("Geen één cliënt", 1)
    assert repair_mojibake(garble(garble("één"))) == ("één", 6)  # 4 in round one, 2 in two


@pytest.mark.parametrize(
    "text",
    ["São Paulo", "Ãgua", "café“…", "CAFÉ»", "Fuß“", "Âge", "½ uur, 20 °C, ±3", "naïef, coördinatie", "“één”"],
)
def test_correct_text_is_not_repaired(text):
    assert repair_mojibake(text) == (text, 0)


@pytest.mark.parametrize(
    "data",
    [b"Overleg\x00met\x00de\x00school\x00.", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 32)) * 4],
)
def test_binary_data_is_refused(data):
    with pytest.raises(ImportProblem, match=r"^foto\.txt: .*not a text file"):
        decode(data, "foto.txt")


def test_broken_utf16_after_a_byte_order_mark():
    with pytest.raises(ImportProblem, match=r"^a\.txt: starts with a UTF-16 LE byte-order mark"):
        decode(b"\xff\xfe\x00\xd8a\x00", "a.txt")  # a lone surrogate


ALPHABET = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz ABCXYZ.,;:!?'\"-0123456789\n"
                                  "ëéèêïöüáóàçñ“”‘’–—…€É°½²")),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(ALPHABET)
def test_utf8_round_trips_and_garbled_text_is_restored(text):
    assert decode(text.encode("utf-8"), "a.txt") == (text, [])
    assert decode(garble(text).encode("utf-8"), "a.txt")[0] == text
    ansi = text.encode("cp1252")
    try:
        ansi.decode("utf-8")
    except UnicodeDecodeError:  # (Windows-1252 bytes that happen to be valid UTF-8 read as UTF-8)
        assert decode(ansi, "a.txt")[0] == text



def test_the_fast_byte_check_finds_every_garbled_sequence():
    # the byte pattern decides whether a text is scanned at all: it may say yes too
    # often, never no where there is something to repair. Every garbled sequence opens
    # with a lead character followed by a continuation character: all pairs are tried.
    from raakvlak.corpus.encoding import _BYTE_OF, _MOJIBAKE_HINT

    leads = [c for c, b in _BYTE_OF.items() if 0xC2 <= b <= 0xF4]
    follows = [c for c, b in _BYTE_OF.items() if 0x80 <= b <= 0xBF]
    assert len(leads) == 51 and len(follows) == 91
    missed = [lead + follow for lead in leads for follow in follows
              if not _MOJIBAKE_HINT.search(f"x{lead}{follow}y".encode())]
    assert missed == []
    assert not _MOJIBAKE_HINT.search(DUTCH.encode())  # ordinary Dutch is not scanned
