"""Identifiers replaced whatever the key says: what is replaced, and what must stay."""

from __future__ import annotations

import pytest

from raakvlak.corpus.identifiers import replace_all


@pytest.mark.parametrize(("text", "expected"), [
    # IBAN: the published example numbers of the Dutch, Belgian and German banks' formats
    ("Maak het over op NL91 ABNA 0417 1643 00.", "Maak het over op [iban]."),
    ("Rekening nl91abna0417164300 staat op naam van de ouders.", "Rekening [iban] staat op naam van de ouders."),
    ("IBAN: BE68 5390 0754 7034", "IBAN: [iban]"),
    ("DE89370400440532013000", "[iban]"),
    # postcodes in any case
    ("Woont in 3512 ab Utrecht.", "Woont in [postcode] Utrecht."),
    ("Postcode 3512ab of 3512 AB of 3512AB.", "Postcode [postcode] of [postcode] of [postcode]."),
    ("Postcode 3512 Ab Utrecht.", "Postcode [postcode] Utrecht."),
    # street and number
    ("Ze woont op de Kerkstraat 12 in Zwolle.", "Ze woont op de [adres] in Zwolle."),
    ("Adres: Oude Gracht 3a, 3511 AB Utrecht.", "Adres: [adres], [postcode] Utrecht."),
    ("Van Baerlestraat 12-2 is de school.", "[adres] is de school."),
    ("Kom naar Laan van Meerdervoort 45.", "Kom naar [adres]."),
    ("Burgemeester de Withstraat 7 ligt om de hoek.", "[adres] ligt om de hoek."),
    ("Op de Kerkstraat 12 staat de school.", "Op de [adres] staat de school."),
    # date of birth: the cue stays, the date goes
    ("Hij is geboren op 3 mei 2011 in Zwolle.", "Hij is geboren op [geboortedatum] in Zwolle."),
    ("Geb. 03-05-2011, groep 7.", "Geb. [geboortedatum], groep 7."),
    ("geboortedatum: 2011-05-03", "geboortedatum: [geboortedatum]"),
])
def test_identifiers_are_replaced(text, expected):
    assert replace_all(text, "nl") == expected


@pytest.mark.parametrize("text", [
    "In 2019 en 2020 ging het beter.",           # years before a two-letter word
    "Het kind fietst 1500km per jaar en weegt 2500kg.",  # units
    "Sinds 2018 De Bilt erbij kwam.",            # a word, not postcode letters
    "Vanaf 2015 PO en VO samen.",                 # school types
    "NL12 ABCD 1234 5678 90 klopt niet.",        # IBAN-shaped, fails the mod-97 check
    "We spreken elkaar op 3 mei 2011 weer.",     # a date without a birth cue
    "Het kind is geboren in Syrië.",             # a birth cue without a date
    "De Kerkstraat is afgesloten.",              # a street without a number is a place
    "Groep 7 heeft 12 leerlingen.",              # numbers
])
def test_what_looks_alike_stays(text):
    assert replace_all(text, "nl") == text


def test_english_addresses_and_dates_of_birth():
    assert replace_all("She lives at 12 Baker Street, born on May 3, 2011.", "en") == \
        "She lives at [address], born on [date of birth]."
