"""Canonical text (fixed decision 1): one form, produced once, fingerprinted."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from raakvlak.corpus.canonical import canonicalise, canonicalise_all, fingerprint, is_canonical
from raakvlak.corpus.structure import blocks

ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",))
PIECES = st.one_of(ALPHABET, st.sampled_from(["\r\n", "\r", "\n", "\ufeff", "e\u0301", " ", "\t", "\u2028"]))
RAW = st.lists(PIECES, max_size=200).map("".join)


@given(RAW)
def test_canonicalise_is_idempotent(raw):
    once = canonicalise(raw)
    assert canonicalise(once) == once


@given(RAW)
def test_canonical_text_obeys_the_rules(raw):
    text = canonicalise(raw)
    if not text:
        return
    assert is_canonical(text)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\ufeff" not in text and "\n\n\n" not in text
    assert unicodedata.is_normalized("NFC", text)
    assert all(line == line.rstrip(" \t") for line in text.split("\n"))


TURN_PIECES = st.one_of(st.sampled_from(["a", "é", "\u0301", "\u00a0", " ", "\n", "\u0308", "ﬁ", "\t", "\x0b"]),
                       ALPHABET)


@given(st.lists(st.lists(TURN_PIECES, max_size=12).map("".join), max_size=8))
def test_canonicalise_all_is_canonicalise_of_each(texts):
    assert canonicalise_all(texts) == [canonicalise(t) for t in texts]


def test_windows_line_ends_bom_and_decomposed_accents():
    raw = "\ufeffDocent: De cli\u0065\u0308nt.\r\n\r\n\r\n\r\nMentor: Ja.  \r\n"
    assert canonicalise(raw) == "Docent: De cliënt.\n\nMentor: Ja.\n"


def test_whitespace_only_is_empty():
    assert canonicalise(" \r\n\t\n") == ""


def test_fingerprint_is_sha256_of_utf8():
    assert len(fingerprint("Ja.\n")) == 64
    import hashlib

    assert fingerprint("cliënt\n") == hashlib.sha256("cliënt\n".encode()).hexdigest()


def test_blocks_index_the_canonical_text():
    text = canonicalise(
        "[00:01:02] Docent 1: Wie belt de ouders?\nDat weet ik niet.\n\nHulpverlener 1: Ik. 😀\n\nLosse alinea.\n"
    )
    found = blocks(text)
    assert [(b.speaker, b.timestamp) for b in found] == [("Docent 1", "00:01:02"), ("Hulpverlener 1", ""), ("", "")]
    assert [text[b.start:b.end] for b in found] == [
        "Wie belt de ouders?\nDat weet ik niet.", "Ik. 😀", "Losse alinea."
    ]
    assert [text[b.label_start:b.start] for b in found] == ["[00:01:02] Docent 1: ", "Hulpverlener 1: ", ""]
