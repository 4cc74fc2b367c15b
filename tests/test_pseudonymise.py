"""Pseudonymisation at import: the mapping, speakers, fixed patterns and name candidates."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from raakvlak.corpus.canonical import is_canonical
from raakvlak.corpus.identifiers import passes_eleven_proof
from raakvlak.corpus.pseudonymise import PATTERN_KINDS, Pseudonymiser
from raakvlak.corpus.structure import blocks
from raakvlak.errors import ImportProblem, RaakvlakError

MAPPING = """\
original,pseudonym,kind
Marieke,Docent 1,person
Piet,Leerling 1,person
Bram,Leerling 2,person
Eva,Leerling 3,person
Anna,Ouder 1,person
Jan,Ouder 2,person
Jan de Vries,Hulpverlener 1,person
De Wilgen,School 1,organisation
Stedelijk College Lindebeek,School 2,organisation
Jeugdformaat Noord,Zorgaanbieder 1,organisation
Lindebeek,Plaats 1,place
"""


@pytest.fixture
def mapping_path(tmp_path: Path) -> Path:
    path = tmp_path / "private" / "pseudonyms.csv"
    path.parent.mkdir()
    path.write_text(MAPPING, encoding="utf-8")
    return path


@pytest.fixture
def pseudo(mapping_path: Path) -> Pseudonymiser:
    return Pseudonymiser(mapping_path)


def replaced(pseudo: Pseudonymiser, text: str) -> str:
    return pseudo.text(text)[0]


# ---------------------------------------------------------------------- the mapping
def test_transcript_turns_are_pseudonymised_and_stay_canonical(pseudo):
    text = (
        "[00:12:03] Marieke: Ik heb Jan de Vries van Jeugdformaat Noord gebeld over Piet.\n\n"
        "[00:12:41] Jan: Ja, en de moeder van Piet wil dat Eva ook naar De Wilgen gaat.\n"
    )
    out, counts = pseudo.text(text)
    assert out == (
        "[00:12:03] Docent 1: Ik heb Hulpverlener 1 van Zorgaanbieder 1 gebeld over Leerling 1.\n\n"
        "[00:12:41] Ouder 2: Ja, en de moeder van Leerling 1 wil dat Leerling 3 ook naar School 1 gaat.\n"
    )
    assert counts["mapping"] == 8
    assert is_canonical(out)
    assert [b.speaker for b in blocks(out)] == ["Docent 1", "Ouder 2"]
    assert [b.timestamp for b in blocks(out)] == ["00:12:03", "00:12:41"]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Marieke's", "Docent 1's"),
        ("Marieke’s", "Docent 1’s"),
        ("Mariekes", "Docent 1s"),
        ("Pietje", "Leerling 1"),
        ("Pietjes", "Leerling 1s"),
        ("Pietje's", "Leerling 1's"),
        ("Brammetje", "Leerling 2"),
        ("Bramje", "Leerling 2"),
        ("Evaatje", "Leerling 3"),
        ("Annetje", "Ouder 1"),
        ("Jantje", "Ouder 2"),
        ("Lindebeeks", "Plaats 1s"),
    ],
)
def test_possessives_and_diminutives(pseudo, written, expected):
    assert replaced(pseudo, f"Dat was {written} idee.\n") == f"Dat was {expected} idee.\n"


def test_a_plain_diminutive_wins_over_a_derived_one(tmp_path):
    path = tmp_path / "pseudonyms.csv"
    path.write_text(
        "original,pseudonym,kind\nAnna,Ouder 1,person\nAnne,Ouder 2,person\n", encoding="utf-8"
    )
    pseudo = Pseudonymiser(path)
    assert replaced(pseudo, "Annetje en Annaatje.\n") == "Ouder 2 en Ouder 1.\n"

def test_case_insensitive_and_case_kept_sensibly(pseudo):
    out = replaced(pseudo, "marieke en MARIEKE en Marieke; de wilgen en DE WILGEN.\n")
    assert out == "Docent 1 en DOCENT 1 en Docent 1; School 1 en SCHOOL 1.\n"


def test_lower_case_pseudonym_gets_a_capital_where_the_name_had_one(tmp_path):
    path = tmp_path / "pseudonyms.csv"
    path.write_text("original,pseudonym,kind\nDe Wilgen,de Esdoorn,organisation\n", encoding="utf-8")
    out = replaced(Pseudonymiser(path), "De Wilgen belde. Ik belde de wilgen.\n")
    assert out == "De Esdoorn belde. Ik belde de Esdoorn.\n"


def test_multi_word_names_match_over_line_breaks_and_spaces_not_blank_lines(pseudo):
    text = (
        "Docent 1: Ik werk op het Stedelijk College\nLindebeek en daarvoor op De   Wilgen.\n\n"
        "Ouder 1: De\n\nWilgen: nee.\n"
    )
    out = replaced(pseudo, text)
    assert out == (
        "Docent 1: Ik werk op het School 2 en daarvoor op School 1.\n\n"
        "Ouder 1: De\n\nWilgen: nee.\n"
    )


def test_longest_original_wins(pseudo):
    out = replaced(pseudo, "Jan de Vries en Jan en Jan de Vriesman en Stedelijk College Lindebeek.\n")
    assert out == "Hulpverlener 1 en Ouder 2 en Ouder 2 de Vriesman en School 2.\n"


@pytest.mark.parametrize(
    "text",
    [
        "Annabel en Annemieke zijn er niet.\n",
        "In januari en Januari komt Jansen.\n",
        "De familie Pieters en Evalien, Brammen.\n",
        "Marieke2 is een gebruikersnaam.\n",
    ],
)
def test_no_partial_words_are_replaced(pseudo, text):
    assert pseudo.text(text) == (text, dict.fromkeys(PATTERN_KINDS, 0))


def test_hyphen_is_a_word_boundary(pseudo):
    assert replaced(pseudo, "Lindebeek-leerlingen en Jan-Willem.\n") == (
        "Plaats 1-leerlingen en Ouder 2-Willem.\n"
    )


def test_replacement_is_deterministic(mapping_path):
    text = "Marieke belde Jan de Vries over Pietje op 06-12345678.\n" * 50
    assert Pseudonymiser(mapping_path).text(text) == Pseudonymiser(mapping_path).text(text)


# ---------------------------------------------------------------------- speakers
def test_speaker_pseudonyms_are_stable_across_instances(mapping_path):
    first = Pseudonymiser(mapping_path)
    assert first.speaker("Marieke", role="leerkracht") == "Docent 1"
    assert first.speaker("Fatima", role="jeugdhulpverlener") == "Hulpverlener 2"
    assert first.speaker("Karel", role="leerkracht") == "Docent 2"
    assert first.speaker("fatima") == "Hulpverlener 2"
    first.save()
    second = Pseudonymiser(mapping_path)
    assert second.speaker("Fatima", role="leerkracht") == "Hulpverlener 2"
    assert second.speaker("Karel") == "Docent 2"
    assert second.speaker("Sanne", role="docent") == "Docent 3"


def test_counters_continue_from_the_mapping_and_never_reuse(tmp_path):
    path = tmp_path / "pseudonyms.csv"
    path.write_text(
        "original,pseudonym,kind\nKees,Docent 7,person\nNina,Spreker 2,person\n"
        "Joost,IB'er 1,person\n",
        encoding="utf-8",
    )
    pseudo = Pseudonymiser(path)
    assert pseudo.speaker("Ilse", role="groepsleerkracht") == "Docent 8"
    assert pseudo.speaker("Tom") == "Spreker 3"
    assert pseudo.speaker("Lotte", role="intern begeleider") == "IB'er 2"
    assert pseudo.mapping["pseudonym"].is_unique


def test_new_speaker_is_replaced_in_running_text(pseudo):
    assert pseudo.speaker("Fatima El Amrani", role="wijkteammedewerker") == "Wijkteam 1"
    out, counts = pseudo.text("Fatima El\nAmrani zei dat Fatima El Amrani's collega belt.\n")
    assert out == "Wijkteam 1 zei dat Wijkteam 1's collega belt.\n"
    assert counts["mapping"] == 2
    row = pseudo.mapping.iloc[-1].tolist()
    assert row == ["Fatima El Amrani", "Wijkteam 1", "person"]


@pytest.mark.parametrize(
    ("role", "language", "stem"),
    [
        ("leerkracht groep 8", "nl", "Docent"),
        ("groepsleerkracht", "nl", "Docent"),
        ("Mentor", "nl", "Mentor"),
        ("zorgcoördinator", "nl", "Zorgcoördinator"),
        ("zorgcoordinator", "nl", "Zorgcoördinator"),
        ("jeugdhulpverlener", "nl", "Hulpverlener"),
        ("jeugdzorg", "nl", "Hulpverlener"),
        ("wijkteam", "nl", "Wijkteam"),
        ("beleidsmedewerker", "nl", "Gemeente"),
        ("gemeente", "nl", "Gemeente"),
        ("begeleider", "nl", "Facilitator"),
        ("intern begeleider", "nl", "IB'er"),
        ("IB’er", "nl", "IB'er"),
        ("ouder", "nl", "Ouder"),
        ("leerling", "nl", "Leerling"),
        ("directeur", "nl", "Directeur"),
        ("respondent", "nl", "Respondent"),
        ("orthopedagoog", "nl", "Orthopedagoog"),
        ("schoolmaatschappelijk werker", "nl", "Schoolmaatschappelijk werker"),
        ("", "nl", "Spreker"),
        ("", "en", "Speaker"),
        ("teacher", "en", "Teacher"),
        ("parent", "en", "Parent"),
    ],
)
def test_role_gives_the_pseudonym_stem(tmp_path, role, language, stem):
    pseudo = Pseudonymiser(tmp_path / "pseudonyms.csv", language=language)
    assert pseudo.speaker("Willemijn", role=role) == f"{stem} 1"


@pytest.mark.parametrize("label", ["Interviewer", "interviewer", "Spreker 2", "Docent 1", "R1", "I"])
def test_anonymous_labels_are_not_added(pseudo, label):
    before = len(pseudo.mapping)
    assert pseudo.speaker(label, role="interviewer") == label
    assert len(pseudo.mapping) == before
    assert replaced(pseudo, "De interviewer vroeg door.\n") == "De interviewer vroeg door.\n"


def test_empty_speaker_stays_empty(pseudo):
    assert pseudo.speaker("  ") == ""


# ---------------------------------------------------------------------- saving
def test_save_writes_sorted_mapping_only_when_changed(tmp_path):
    path = tmp_path / "private" / "pseudonyms.csv"
    pseudo = Pseudonymiser(path)
    pseudo.save()
    assert not path.exists()
    pseudo.speaker("Yusuf", role="leerling")
    pseudo.speaker("Bea, van der Berg", role="leerkracht")
    pseudo.speaker("Amir", role="leerling")
    pseudo.save()
    assert path.read_text(encoding="utf-8") == (
        "original,pseudonym,kind\n"
        '"Bea, van der Berg",Docent 1,person\n'
        "Yusuf,Leerling 1,person\n"
        "Amir,Leerling 2,person\n"
    )
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["private", "pseudonyms.csv"]
    stamp = path.stat().st_mtime_ns
    again = Pseudonymiser(path)
    assert again.speaker("Amir") == "Leerling 2"
    again.save()
    assert path.stat().st_mtime_ns == stamp


def test_save_refuses_when_the_file_changed_meanwhile(mapping_path):
    pseudo = Pseudonymiser(mapping_path)
    pseudo.speaker("Noor", role="mentor")
    changed = MAPPING + "Daan,Mentor 1,person\n"
    mapping_path.write_text(changed, encoding="utf-8")
    with pytest.raises(ImportProblem, match="changed on disk"):
        pseudo.save()
    assert mapping_path.read_text(encoding="utf-8") == changed


def test_mapping_property_is_a_copy(pseudo):
    table = pseudo.mapping
    assert list(table.columns) == ["original", "pseudonym", "kind"]
    table.loc[0, "pseudonym"] = "Gewijzigd"
    assert pseudo.mapping.loc[0, "pseudonym"] == "Docent 1"


# ---------------------------------------------------------------------- reading the file
def test_semicolon_bom_and_dutch_kinds_are_read(tmp_path):
    path = tmp_path / "pseudonyms.csv"
    path.write_bytes(
        "\ufefforiginal;pseudonym;kind\nOBS De Regenboog;School 1;organisatie\n"
        "Zwolle;Plaats 1;plaats\nDaan;Leerling 1;persoon\n".encode()
    )
    pseudo = Pseudonymiser(path)
    assert pseudo.mapping["kind"].tolist() == ["organisation", "place", "person"]
    assert replaced(pseudo, "Daan zit op OBS De Regenboog in Zwolle.\n") == (
        "Leerling 1 zit op School 1 in Plaats 1.\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("original,pseudoniem,kind\nMarieke,Docent 1,person\n", r"line 1: .*missing pseudonym"),
        ("original,pseudonym,kind\nMarieke,Docent 1,persoon\nJan,Ouder 1\n", r"line 3: 2 fields"),
        ("original,pseudonym,kind\nMarieke,Docent 1,leraar\n", r"line 2: kind must be"),
        ("original,pseudonym,kind\nMarieke,,person\n", r"line 2: both original and pseudonym"),
        ("original,pseudonym,kind\nM,Docent 1,person\n", r"line 2: the original 'M' is too short"),
        (
            "original,pseudonym,kind\nMarieke,Docent 1,person\nJan,Ouder 1,person\n"
            "marieke,Docent 2,person\n",
            r"line 4: 'marieke' was already mapped to 'Docent 1' on line 2",
        ),
    ],
)
def test_bad_mapping_file_names_file_and_line(tmp_path, content, message):
    path = tmp_path / "pseudonyms.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportProblem, match=message) as info:
        Pseudonymiser(path)
    assert str(path) in str(info.value)


def test_mapping_not_utf8_is_refused(tmp_path):
    path = tmp_path / "pseudonyms.csv"
    path.write_bytes("original,pseudonym,kind\nJoëlle,Docent 1,person\n".encode("latin-1"))
    with pytest.raises(ImportProblem, match=r"line 2: not UTF-8"):
        Pseudonymiser(path)


def test_unknown_language_is_refused(tmp_path):
    with pytest.raises(RaakvlakError, match="'de'"):
        Pseudonymiser(tmp_path / "pseudonyms.csv", language="de")


# ---------------------------------------------------------------------- fixed patterns
@pytest.mark.parametrize(
    ("written", "kind", "placeholder"),
    [
        ("m.devries@lindebeek.nl", "email", "[e-mail]"),
        ("jan.de-vries+school@mail.jeugdformaat-noord.nl", "email", "[e-mail]"),
        ("06-12345678", "phone", "[telefoon]"),
        ("06 1234 5678", "phone", "[telefoon]"),
        ("06 12 34 56 78", "phone", "[telefoon]"),
        ("0612345678", "phone", "[telefoon]"),
        ("+31 6 12345678", "phone", "[telefoon]"),
        ("+31 (0)6 12345678", "phone", "[telefoon]"),
        ("+31612345678", "phone", "[telefoon]"),
        ("0031 6 12345678", "phone", "[telefoon]"),
        ("020-1234567", "phone", "[telefoon]"),
        ("020 123 45 67", "phone", "[telefoon]"),
        ("0591-123456", "phone", "[telefoon]"),
        ("(020) 123 4567", "phone", "[telefoon]"),
        ("+32 470 12 34 56", "phone", "[telefoon]"),
        ("1234 AB", "postcode", "[postcode]"),
        ("9712CP", "postcode", "[postcode]"),
        ("111222333", "bsn", "[bsn]"),
        ("1112.22.333", "bsn", "[bsn]"),
        ("https://www.lindebeek.nl/ouders?id=7", "url", "[url]"),
        ("www.jeugdformaat.nl", "url", "[url]"),
        ("lindebeek.nl/zorg", "url", "[url]"),
    ],
)
def test_patterns_are_replaced(pseudo, written, kind, placeholder):
    out, counts = pseudo.text(f"Zie ook: {written}, zei ze.\n")
    assert out == f"Zie ook: {placeholder}, zei ze.\n"
    assert counts[kind] == 1
    assert sum(counts.values()) == 1


@pytest.mark.parametrize(
    "text",
    [
        "[00:12:03] Docent 1: We zijn om 10:30 begonnen.\n",
        "[01:02:03.250] Spreker 1: Op 12-03-2024 en 01-02-2024 12 leerlingen erbij.\n",
        "In 2024 kostte het 1.500 euro, in 2023 € 250.000 of 1.234.567 euro.\n",
        "Sinds 2015 PO en VO samen; 3500 VO-leerlingen en 1200 SO.\n",
        "Het nummer 123456789 klopt niet met de elfproef.\n",
        "Een dossier 2024-00123 en versie 2.0, 0,5 fte, groep 8, 12% en 3/4.\n",
        "De periode 2019-2023 en het schooljaar 2023/2024.\n",
    ],
)
def test_things_that_are_not_replaced(pseudo, text):
    out, counts = pseudo.text(text)
    assert out == text
    assert sum(counts.values()) == 0


def test_english_placeholders(tmp_path):
    pseudo = Pseudonymiser(tmp_path / "pseudonyms.csv", language="en")
    out, counts = pseudo.text(
        "Mail a.b@school.org or call 06-12345678 at 1234 AB, see www.school.org (BSN 111222333).\n"
    )
    assert out == "Mail [email] or call [phone] at [postcode], see [url] (BSN [bsn]).\n"
    assert counts == {**dict.fromkeys(PATTERN_KINDS, 0), "email": 1, "phone": 1, "postcode": 1, "bsn": 1, "url": 1}


def test_names_inside_an_email_address_become_the_address_placeholder(pseudo):
    out, counts = pseudo.text("Mail marieke@lindebeek.nl of Marieke zelf.\n")
    assert out == "Mail [e-mail] of Docent 1 zelf.\n"
    assert counts["email"] == 1 and counts["mapping"] == 1


@pytest.mark.parametrize(
    ("number", "valid"),
    [("111222333", True), ("123456782", True), ("123456789", False), ("000000000", False),
     ("12345678", False)],
)
def test_eleven_proof(number, valid):
    assert passes_eleven_proof(number) is valid


# ---------------------------------------------------------------------- candidates
def test_candidates_on_a_transcript_snippet(pseudo):
    text = (
        "[00:03:10] Docent 1: Vorige week heb ik met Fatima gebeld. Fatima's zus zei dat de "
        "Jeugdwet en de AVG het lastig maken.\n\n"
        "[00:03:40] Ouder 1: Op maandag belde mevr. Jansen van het CSG Noorderlicht, en U "
        "weet hoe dat gaat in het VO en PO. Marieke zei dat ook.\n\n"
        "[00:04:05] Hulpverlener 1: Gisteren sprak ik Fatima nog over de IB'er. Noorderlicht "
        "wil een gesprek met Jeugdformaat Noord.\n"
    )
    table = pseudo.candidates(text)
    assert list(table.columns) == ["word", "count", "context"]
    assert table["word"].tolist() == ["Fatima", "Noorderlicht", "CSG", "Jansen"]
    assert table["count"].tolist() == [3, 2, 1, 1]
    for word, context in zip(table["word"], table["context"], strict=True):
        assert word in context and len(context) < 100
    assert "gebeld" in table.loc[0, "context"]


def test_candidates_of_pseudonymised_text_need_no_second_scan(pseudo):
    raw = ("Docent 1: Marieke belde met Fatima. Mail marieke@lindebeek.nl of bel 06-12345678.\n\n"
           "Ouder 1: Ik sprak Fatima en mevr. Jansen over de school De Wissel.\n")
    text = pseudo.text(raw)[0]
    table = pseudo.candidates(text, pseudonymised=True)
    assert table.equals(pseudo.candidates(text))
    assert table["word"].tolist() == ["Fatima", "Jansen", "Wissel"]


PIECES = ["Fatima", "fatima", "Marieke", "De ", "de ", "IB'er", "VO", "Jan-Willem", "Noor’s",
          " mevr. ", "Mevr", "Ö", "²", "_", "a", "B", " ", "\n", ".", ":", "-", "'", "’", "3"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_candidates_are_what_one_plain_scan_over_the_words_finds(mapping_path, text):
    # the fast count (per run of non-space characters, then one search for the
    # candidates) against the plain way: every word in text order
    from raakvlak.corpus.candidates import _WORD, _candidate, _context, _ignored, _sentence_start

    pseudo = Pseudonymiser(mapping_path)
    masked = text
    for match in reversed(pseudo._matches(text)):
        masked = masked[:match.start()] + " " * (match.end() - match.start()) + masked[match.end():]
    words = [(m.group(), m.start()) for m in _WORD.finditer(masked)]
    ordinary = {w for w, _ in words if w.islower()}
    counts, first = {}, {}
    for found, start in words:
        pseudonyms = {w for p in pseudo.mapping["pseudonym"] for w in p.split()}
        word = _candidate(found, _ignored(pseudonyms), ordinary) if found[0].isupper() else ""
        if word:
            counts[word] = counts.get(word, 0) + 1
            if word not in first and not _sentence_start(masked, start):
                first[word] = start
    expected = sorted(((w, counts[w], _context(text, first[w], len(w))) for w in first),
                      key=lambda r: (-r[1], r[0].casefold(), r[0]))
    assert list(pseudo.candidates(text).itertuples(index=False, name=None)) == expected


def test_candidates_of_plain_dutch_are_few(pseudo):
    text = (
        "Facilitator 1: Welkom allemaal. We beginnen met de casus van vorige keer.\n\n"
        "Docent 1: Ja. Eigenlijk liep het vast bij de overdracht. De school wilde wel, "
        "maar de gemeente had nog geen beschikking afgegeven.\n\n"
        "Hulpverlener 1: Dat herken ik. Wie heeft de regie? Dat is vaak niet duidelijk.\n"
    )
    assert pseudo.candidates(text).empty



def test_a_keyed_persons_surname_alone_is_replaced(tmp_path):
    pseudo = Pseudonymiser(tmp_path / "pseudonyms.csv")
    assert pseudo.speaker("Tim Mahy", role="gemeente") == "Gemeente 1"
    assert pseudo.speaker("Marieke de Vries", role="docent") == "Docent 1"
    assert pseudo.speaker("Joost Bakker", role="mentor") == "Mentor 1"
    out, counts = pseudo.text("Mahy belde De Vries; de Vries mailde Mahy's team. Bakker zag de bakker.\n")
    assert out == "Gemeente 1 belde Docent 1; Docent 1 mailde Gemeente 1's team. Mentor 1 zag de bakker.\n"
    assert counts["mapping"] == 5


def test_a_surname_shared_by_two_people_in_the_key_names_neither(tmp_path):
    pseudo = Pseudonymiser(tmp_path / "pseudonyms.csv")
    pseudo.speaker("Jan de Vries", role="docent")
    pseudo.speaker("Piet de Vries", role="ouder")
    assert pseudo.text("De Vries belt Jan de Vries.\n")[0] == "[achternaam] belt Docent 1.\n"
