"""The language pipeline: blank spaCy + sentencizer + simplemma lemmas, and stop words."""

from __future__ import annotations

import pytest
import simplemma
import spacy

from raakvlak.corpus.language import (
    LEMMATIZER,
    PIPELINE_VERSION,
    LanguageError,
    lemmatise,
    pipeline,
    stop_words,
)
from raakvlak.errors import RaakvlakError


@pytest.mark.parametrize(
    ("form", "lemma"),
    [
        ("kinderen", "kind"),
        ("gesproken", "spreken"),
        ("was", "zijn"),
        ("ouders", "ouder"),
        ("is", "zijn"),
        ("scholen", "school"),
        ("gesprekken", "gesprek"),
        ("ging", "gaan"),
        ("gezegd", "zeggen"),
        ("hadden", "hebben"),
        ("leerkrachten", "leerkracht"),
        ("Kinderen", "kind"),  # capitalised at the start of a sentence
    ],
)
def test_dutch_lemmas(form, lemma):
    assert lemmatise([form], "nl") == [[lemma]]


def test_english_lemmas():
    assert lemmatise(["The children were speaking."], "en") == [["the", "child", "be", "speak"]]


def test_lemmas_leave_out_punctuation_space_and_symbols_and_are_lower_case():
    texts = ["Marieke zei: ‘Ja, nee!’\n  Oké… 😀", "", "...", "In 2024 was het anders."]
    assert lemmatise(texts, "nl") == [
        ["marieke", "zeggen", "ja", "nee", "oké"],
        [],
        [],
        ["in", "2024", "zijn", "het", "anders"],
    ]


def test_acronyms_are_kept_as_written_not_read_as_inflected_words():
    # simplemma's English reads "AWS" as the plural of "aw"
    assert simplemma.lemmatize("AWS", "en") == "aw"
    assert lemmatise(["We run on AWS with the GGD and ICT2."], "en") == \
        [["we", "run", "on", "aws", "with", "the", "ggd", "and", "ict2"]]
    assert lemmatise(["De AWS-omgeving en de ouders."], "nl") == \
        [["de", "aws-omgeving", "en", "de", "ouder"]]
    # a capitalised word is still lemmatised, and so is a long word in capitals
    assert lemmatise(["Kinderen", "KINDEREN"], "nl") == [["kind"], ["kind"]]


def test_placeholders_of_the_pseudonymiser_get_no_lemma():
    texts = ["Mail naar [e-mail] of bel [telefoon], zegt Docent 2.", "[ ja ] en [ouders thuis]"]
    assert lemmatise(texts, "nl") == [
        ["mailen", "naar", "of", "bellen", "zeggen", "docent", "2"],
        ["ja", "en", "ouder", "thuis"],  # brackets around spaced words are not a placeholder
    ]


def test_pipeline_is_blank_with_sentencizer_and_lemmatizer_and_shared():
    nlp = pipeline("nl")
    assert nlp is pipeline("nl")
    assert nlp.lang == "nl"
    assert nlp.pipe_names == ["sentencizer", LEMMATIZER]
    doc = nlp("De ouders waren er niet. Wie belt de school?")
    assert [s.text for s in doc.sents] == ["De ouders waren er niet.", "Wie belt de school?"]
    assert [t.lemma_ for t in doc] == [
        "de", "ouder", "zijn", "er", "niet", "", "wie", "bellen", "de", "school", ""
    ]
    assert pipeline("en").pipe_names == ["sentencizer", LEMMATIZER]


def test_pipeline_version_names_the_libraries():
    assert f"spacy={spacy.__version__}" in PIPELINE_VERSION
    assert f"simplemma={simplemma.__version__}" in PIPELINE_VERSION
    assert LEMMATIZER in PIPELINE_VERSION


def test_unknown_language_is_refused_with_a_readable_error():
    with pytest.raises(LanguageError, match="'de'.*documents.csv"):
        pipeline("de")
    with pytest.raises(RaakvlakError):
        stop_words("fr")


def test_dutch_stop_words_add_spoken_fillers_to_spacys_list():
    words = stop_words("nl")
    for word in ("de", "het", "en", "ja", "nee", "echt", "eigenlijk", "uh", "eh", "nou"):
        assert word in words
    for word in ("kind", "school", "ouder", "jeugdhulp", "afspraak"):
        assert word not in words
    assert spacy.util.get_lang_class("nl").Defaults.stop_words <= words


def test_stop_words_take_extra_words_in_any_case():
    words = stop_words("nl", extra=["Casus", "WIJKTEAM"])
    assert {"casus", "wijkteam"} <= words
    assert "casus" not in stop_words("nl")


def test_english_stop_words_add_fillers():
    words = stop_words("en")
    assert {"the", "and", "um", "uh", "yeah", "okay"} <= words
    assert "child" not in words
