"""Speaker turns in free text: each label style on Dutch snippets, mixed files, non-transcripts."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from raakvlak.corpus.transcript import Turn, detect_turns, normalise_timestamp, speaker_key

_STAMP = re.compile(r"(?<![\w:.,])[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?(?![\w:])")


def assert_nothing_lost(text: str, turns: list[Turn]) -> None:
    """Every word of the input is in some turn; every timestamp is kept, normalised."""
    kept = " ".join(f"{t.speaker} {t.role} {t.text}" for t in turns).casefold()
    # a label written another way (MARIEKE, Int.) is kept as the speaker's one spelling
    keys = {speaker_key(t.speaker) for t in turns}
    written = {w.casefold() for w in re.findall(r"\w+", _STAMP.sub(" ", text))}
    assert {w for w in written if speaker_key(w) not in keys} <= set(re.findall(r"\w+", kept))
    for stamp in _STAMP.findall(text):
        assert normalise_timestamp(stamp) in {t.timestamp for t in turns} or stamp.casefold() in kept


def speakers(turns: list[Turn]) -> list[str]:
    return [t.speaker for t in turns]


def test_name_colon():
    text = (
        "Marieke: Goedemorgen. Zullen we beginnen met de casus van Sem?\n"
        "Jan: Ja. Sem zit nu drie weken thuis.\n"
        "Hij wil niet meer naar school.\n"
        "Marieke: Wie heeft er contact met de ouders?\n"
        "Marieke: En met het wijkteam?\n"
    )
    turns = detect_turns(text)
    assert turns == [
        Turn("Marieke", "Goedemorgen. Zullen we beginnen met de casus van Sem?"),
        Turn("Jan", "Ja. Sem zit nu drie weken thuis.\nHij wil niet meer naar school."),
        Turn("Marieke", "Wie heeft er contact met de ouders?\nEn met het wijkteam?"),
    ]
    assert_nothing_lost(text, turns)


def test_upper_case_names_are_the_same_speaker():
    text = (
        "MARIEKE: Wie belt de leerplichtambtenaar?\n\n"
        "JAN: Dat doe ik.\n\n"
        "Marieke: Fijn.\n\n"
        "MARIEKE: En de huisarts?\n\n"
        "Jan: Die mag ik niet bellen zonder toestemming (AVG).\n"
    )
    turns = detect_turns(text)
    assert speakers(turns) == ["MARIEKE", "JAN", "MARIEKE", "JAN"]
    assert turns[2].text == "Fijn.\nEn de huisarts?"
    assert speaker_key("MARIEKE") == speaker_key("Marieke")
    assert_nothing_lost(text, turns)


def test_timestamps_in_brackets_parentheses_and_bare():
    text = (
        "[00:01:02] Marieke: Welkom bij de derde sessie.\n"
        "(00:01:15) Samira: Dank je.\n"
        "00:01:20 Marieke: Wat ging er mis bij de overdracht?\n"
        "[01:32] Samira: De school wist niet dat de hulp gestopt was.\n"
        "[00:02:05.500] Samira: Niemand had de regie.\n"
    )
    turns = detect_turns(text)
    # one speaker's consecutive turns with their own times stay apart: no time is lost
    assert [(t.timestamp, t.speaker) for t in turns] == [
        ("00:01:02", "Marieke"), ("00:01:15", "Samira"), ("00:01:20", "Marieke"),
        ("00:01:32", "Samira"), ("00:02:05", "Samira"),
    ]
    assert turns[4].text == "Niemand had de regie."
    assert_nothing_lost(text, turns)


def test_roles_in_parentheses_apply_to_every_turn_of_the_speaker():
    text = (
        "Marieke (leerkracht): Sem is vaak afwezig.\n"
        "Samira (jeugdhulpverlener): Dat herken ik van thuis.\n"
        "Marieke: Wat kunnen we samen doen?\n"
        "Kees (intern begeleider): Een gesprek met de ouders plannen.\n"
    )
    turns = detect_turns(text)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Marieke", "leerkracht"), ("Samira", "jeugdhulpverlener"),
        ("Marieke", "leerkracht"), ("Kees", "intern begeleider"),
    ]
    assert_nothing_lost(text, turns)


def test_name_alone_on_its_line_as_meeting_software_exports_it():
    text = (
        "Transcript overleg zorgteam\n\n"
        "Marieke de Vries   0:03\n"
        "Goedemorgen allemaal.\n\n"
        "Samira El Amrani   0:10\n"
        "Goedemorgen. Ik heb een update over Sem.\n"
        "Hij gaat vanaf maandag naar de tussenvoorziening.\n\n"
        "Marieke de Vries   1:02:07\n"
        "Dat is goed nieuws.\n"
    )
    turns = detect_turns(text)
    assert turns == [
        Turn("", "Transcript overleg zorgteam"),
        Turn("Marieke de Vries", "Goedemorgen allemaal.", "00:00:03"),
        Turn("Samira El Amrani",
             "Goedemorgen. Ik heb een update over Sem.\nHij gaat vanaf maandag naar de tussenvoorziening.",
             "00:00:10"),
        Turn("Marieke de Vries", "Dat is goed nieuws.", "01:02:07"),
    ]
    assert_nothing_lost(text, turns)


def test_caption_timing_lines_above_names_as_in_older_teams_exports():
    text = (
        "0:0:0.0 --> 0:0:3.710\nMarieke de Vries\nGoedemorgen, zijn we compleet?\n\n"
        "0:0:3.710 --> 0:0:9.240\nPetra Jansen\nJeroen belt zo in.\n\n"
        "0:1:2.500 --> 0:1:4.000\nMarieke de Vries\nDan beginnen we.\n"
    )
    turns = detect_turns(text)
    assert turns == [
        Turn("Marieke de Vries", "Goedemorgen, zijn we compleet?", "00:00:00"),
        Turn("Petra Jansen", "Jeroen belt zo in.", "00:00:03"),
        Turn("Marieke de Vries", "Dan beginnen we.", "00:01:02"),
    ]


def test_name_alone_without_time_needs_to_recur():
    text = (
        "Docent 1\n\nIk merk dat de lijnen met de JGZ kort zijn.\n\n"
        "Hulpverlener 2 (wijkteam)\n\nMaar met de specialistische hulp niet.\n\n"
        "Docent 1\n\nNee, daar is een beschikking voor nodig.\n\n"
        "Hulpverlener 2\n\nEn dat duurt weken.\n"
    )
    turns = detect_turns(text)
    assert [(t.speaker, t.role) for t in turns] == [
        ("Docent 1", ""), ("Hulpverlener 2", "wijkteam"), ("Docent 1", ""), ("Hulpverlener 2", "wijkteam"),
    ]
    assert turns[3].text == "En dat duurt weken."
    assert_nothing_lost(text, turns)


def test_interview_labels():
    text = (
        "Interview 4, basisschool, 12 maart\n"
        "I: Hoe verloopt de samenwerking met jeugdhulp?\n"
        "R: Wisselend. Het hangt af van de hulpverlener.\n"
        "Int.: Kun je een voorbeeld geven?\n"
        "Resp 3: Ja, ik vul even aan.\n"
        "R: Vorig jaar wisselde de hulpverlener drie keer.\n"
        "Interviewer: Wat deed dat met de leerling?\n"
        "Respondent: Hij moest steeds opnieuw zijn verhaal doen.\n"
    )
    turns = detect_turns(text)
    assert speakers(turns) == ["", "I", "R", "I", "Resp 3", "R", "I", "R"]
    assert turns[0].text == "Interview 4, basisschool, 12 maart"
    assert_nothing_lost(text, turns)


def test_markdown_bold_labels():
    text = "**Marieke:** Wie doet wat?\n\n**Jan:** Ik bel de ouders.\n\n**Marieke:** Goed.\n"
    turns = detect_turns(text)
    assert [(t.speaker, t.text) for t in turns] == [
        ("Marieke", "Wie doet wat?"), ("Jan", "Ik bel de ouders."), ("Marieke", "Goed."),
    ]


def test_sentences_with_a_colon_are_not_speakers():
    notes = (
        "Notities actieleren, sessie 2\n\n"
        "Let op: de casus is geanonimiseerd.\n\n"
        "Conclusie: de school en het wijkteam weten niet van elkaar wie de regie heeft.\n\n"
        "Marieke vertelde dat de overdracht misging. Samira: herkende dat.\n\n"
        "Afspraken: volgende keer bespreken we de AVG.\n"
    )
    assert detect_turns(notes) is None
    # in a transcript, such a line stays inside the turn it belongs to
    text = (
        "Marieke: We ronden af.\nLet op: volgende week geen sessie.\n"
        "Jan: Prima.\nMarieke: Conclusie: we bellen de ouders.\nJeroen: Eens.\n"
    )
    turns = detect_turns(text)
    assert speakers(turns) == ["Marieke", "Jan", "Marieke", "Jeroen"]
    assert turns[0].text == "We ronden af.\nLet op: volgende week geen sessie."
    assert turns[2].text == "Conclusie: we bellen de ouders."
    assert_nothing_lost(text, turns)


def test_text_after_a_name_line_may_start_with_a_colon():
    # "Als: ..." twice is a way of quoting a thought, not a speaker called Als
    text = (
        "Erik Visser\nDat zal ik doorgeven.\n\n"
        "Kees Mulder\nAls: school is weer de laatste. Zo voelde het.\n\n"
        "Erik Visser\nAls: niet mijn probleem.\n\n"
        "Kees Mulder\nPrecies.\n"
    )
    turns = detect_turns(text)
    assert [(t.speaker, t.text) for t in turns] == [
        ("Erik Visser", "Dat zal ik doorgeven."),
        ("Kees Mulder", "Als: school is weer de laatste. Zo voelde het."),
        ("Erik Visser", "Als: niet mijn probleem."),
        ("Kees Mulder", "Precies."),
    ]
    colon = (
        "Marieke: Hoe reageerde je?\nJan: Als: dat is niet aan mij.\nAls: wij wachten.\n"
        "Marieke: Herkenbaar.\nJan: Ja.\n"
    )
    turns = detect_turns(colon)
    assert speakers(turns) == ["Marieke", "Jan", "Marieke", "Jan"]
    assert turns[1].text == "Als: dat is niet aan mij.\nAls: wij wachten."


def test_too_few_labels_is_not_a_transcript():
    assert detect_turns("Marieke: Dit is het enige label.\nVerder gewone tekst.\n") is None
    assert detect_turns("") is None
    lines = [f"Dit is alinea {n} van een lang verslag over de samenwerking." for n in range(20)]
    lines[3] = "Marieke: ik ben het daar niet mee eens."
    lines[15] = "Jan: ik wel."
    assert detect_turns("\n\n".join(lines)) is None


def test_mixed_styles_in_one_file():
    text = (
        "Sessie 4, casus Noor\n\n"
        "[00:00:10] Marieke (leerkracht): Noor is sinds de herfstvakantie thuis.\n"
        "00:00:25 SAMIRA: Wij zijn pas sinds vorige week betrokken.\n"
        "Kees (IB'er)\n"
        "Ik heb de leerplichtambtenaar ingeschakeld.\n"
        "Dat moest wel.\n"
        "Marieke: Wie heeft er contact met moeder?\n"
        "Samira\n"
        "Ik. Ze wil graag een gesprek op school.\n"
        "Kees: Dan plan ik dat.\n"
        "I: Wat maakt het lastig?\n"
        "Marieke: De AVG. Ik mag niet alles delen.\n"
    )
    turns = detect_turns(text)
    assert [(t.speaker, t.role, t.timestamp) for t in turns] == [
        ("", "", ""),
        ("Marieke", "leerkracht", "00:00:10"),
        ("SAMIRA", "", "00:00:25"),
        ("Kees", "IB'er", ""),
        ("Marieke", "leerkracht", ""),
        ("SAMIRA", "", ""),
        ("Kees", "IB'er", ""),
        ("I", "", ""),
        ("Marieke", "leerkracht", ""),
    ]
    assert turns[3].text == "Ik heb de leerplichtambtenaar ingeschakeld.\nDat moest wel."
    assert_nothing_lost(text, turns)


def test_input_is_not_changed_and_output_is_stable():
    text = "A: Eén.\r\nB: Twee.\r\nA: Drie.\r\n"
    before = str(text)
    assert detect_turns(text) == detect_turns(text)
    assert text == before
    assert [t.text for t in detect_turns(text)] == ["Eén.", "Twee.", "Drie."]


LABELS = ["Marieke: ", "JAN: ", "[00:01:02] Samira: ", "I: ", "R: ", "Let op: ", "Kees (IB'er): ",
          "Docent 1\n", "Jan Bakker 0:03\n", "**Marieke:** ", "", ""]


@settings(max_examples=200, deadline=None)
@given(st.lists(
    st.tuples(st.sampled_from(LABELS), st.text(alphabet="abcdeëé ABC:.,?()[]-0123456789", max_size=30)),
    max_size=25,
), st.sampled_from(["\n", "\n\n"]))
def test_no_word_is_ever_lost(lines, separator):
    text = separator.join(label + body for label, body in lines)
    turns = detect_turns(text)
    if turns is not None:
        assert_nothing_lost(text, turns)
        assert all("\n\n" not in t.text and t.text == t.text.strip() for t in turns)


def test_a_title_with_a_bracket_is_not_a_speaker():
    text = (
        "Sessie 2 (fictief)\n\n"
        "[00:00:05] Marieke (leerkracht): Goedemorgen.\n"
        "[00:00:12] Youssef: Dag.\n"
    )
    turns = detect_turns(text)
    assert [t.speaker for t in turns] == ["", "Marieke", "Youssef"]
    assert turns[0].text == "Sessie 2 (fictief)"


def test_lenient_accepts_names_seen_once():
    text = "Marieke de Vries: Nog een vraag.\nYoussef El Amrani: Ja?\n"
    assert detect_turns(text) is None
    assert [t.speaker for t in detect_turns(text, lenient=True)] == ["Marieke de Vries", "Youssef El Amrani"]
