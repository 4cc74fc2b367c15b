"""Person names found offline: sure ones replaced at import, near misses for review.

Excerpts of public texts kept here, with their licences:

* the first stanza of the Wilhelmus (about 1570, author uncertain; public domain), in
  its usual modern spelling;
* sentences from the opening of "A Scandal in Bohemia" by Arthur Conan Doyle (1891;
  public domain), an omission marked with "…";
* two passages of 19th-century Dutch newspapers (the provincial states of Overijssel,
  1859) as OCR'd and annotated in the Dutch (KB) part of the Europeana Newspapers NER
  corpora (CC0; "Europeana Newspapers NER corpora,
  https://github.com/EuropeanaNewspapers/ner-corpora/, Europeana Newspapers Project,
  2012-2015"), verbatim: tokens joined by spaces, OCR errors kept.

The sentences about Tim Mahy, Ricardo and the others are written for these tests. Two
tests read the measurement sets in ``../shared/fixtures/ner-nl`` and are skipped when the
folder is not beside the repository (as in a CI clone).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from raakvlak.corpus.names import NameSpan, find_names, fold, review

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "ner-nl"


def sure(text: str, **kwargs) -> list[str]:
    return [s.text for s in find_names(text, **kwargs) if s.sure]


def near(text: str, **kwargs) -> list[str]:
    return [s.text for s in find_names(text, **kwargs) if not s.sure]


# --------------------------------------------------------------------------- the issue's cases
def test_name_with_apposition_is_replaced_and_slack_is_not():
    spans = find_names("Gisteren zei Tim Mahy, de manager, dat Slack handig is.")
    assert [(s.text, s.sure) for s in spans] == [("Tim Mahy", True), ("Slack", False)]


def test_first_names_of_the_issue_are_sure():
    text = ("Ricardo en Mario gingen met Alex en Ali naar het overleg. "
            "Daarna belde ik Ricardo nog even.")
    assert sure(text) == ["Ricardo", "Mario", "Alex", "Ali", "Ricardo"]


def test_surname_in_a_speaker_header():
    assert sure("Spreker 1 Zwolsman: ja, dat klopt wel.") == ["Zwolsman"]


def test_review_puts_names_first_and_acronyms_and_products_last():
    text = ("We gebruiken Slack en Teams, de API spreekt HTTP. Mevrouw Zwolsman vond dat "
            "prima, zei Ricardo, en Bakker knikte.")
    rows = [c.text for c in review(text)]
    assert rows[:2] == ["Zwolsman", "Ricardo"]
    assert set(rows[-4:]) == {"Slack", "Teams", "API", "HTTP"}
    assert rows.index("Bakker") < rows.index("Slack")


# --------------------------------------------------------------------------- context
@pytest.mark.parametrize("text, name", [
    ("Ik sprak mevrouw Jansen na de les.", "Jansen"),
    ("Toen kwam juf Ans binnen.", "Ans"),
    ("Het was meneer De Vries die belde.", "De Vries"),
    ("Dat had dr. Bakker al gezegd.", "Bakker"),
    ("Volgens Zwolsman kan dat niet.", "Zwolsman"),
    ("Zwolsman vertelde dat het lastig was.", "Zwolsman"),
    ("Daar werkte Jan van der Berg als mentor.", "Jan van der Berg"),
    ("De brief van A. de Vries kwam te laat.", "A. de Vries"),
    ("Ze sprak met onze collega Yilmaz.", "Yilmaz"),
])
def test_context_makes_a_name_sure(text: str, name: str):
    assert sure(text) == [name]


def test_a_name_found_once_is_a_name_everywhere_in_the_text():
    text = "Op maandag belde Marieke Zwolsman. Zwolsman wilde weten hoe het ging."
    assert sure(text) == ["Marieke Zwolsman", "Zwolsman"]
    assert near("Zwolsman wilde weten hoe het ging.") == []  # alone, at a sentence start


def test_known_names_are_sure_wherever_capitalised():
    text = "Toen zag ik Zwolsman weer."
    assert sure(text) == [] and near(text) == ["Zwolsman"]
    assert sure(text, known=["Marieke Zwolsman"]) == ["Zwolsman"]


def test_a_word_also_written_in_lower_case_is_at_most_a_near_miss():
    text = "Ik kocht een roos voor Roos."
    assert sure(text) == []
    assert near(text) == ["Roos"]


@pytest.mark.parametrize("text", [
    "We gingen naar de Universiteit van Amsterdam in Den Haag.",
    "In januari kwam het wijkteam van Jeugdzorg Nederland langs.",
    "De Amerikaanse en Franse collega's spraken Engels.",
    "Ze las over de Tweede Wereldoorlog en het Verdrag van Maastricht.",
    "Ik werk bij De Regenboog en later bij Het Kompas.",
    "Nee. Oké, dat weet ik niet. Nee, nee.",
])
def test_places_organisations_and_ordinary_words_are_not_sure(text: str):
    assert sure(text) == []


def test_schools_and_places_are_near_misses_not_dropped():
    assert "Regenboog" in near("Ik werk bij De Regenboog sinds mei.")


def test_english_text():
    text = ("Tim Mahy, the manager, said that the team would call Mr Smith. According to "
            "Sarah Johnson the plan worked; Sarah said so twice. We met in London in May.")
    assert sure(text, language="en") == ["Tim Mahy", "Smith", "Sarah Johnson", "Sarah"]
    assert sure("He met King Charles and Pope Francis.", language="en") == [
        "King Charles", "Pope Francis"]
    assert "London" not in sure(text, language="en")


def test_names_in_capitals_but_not_acronyms():
    text = "Het huis van JAN SCHUTTE staat aan de markt; de API spreekt HTTP en XML."
    assert sure(text) == ["JAN SCHUTTE"]
    assert near(text) == ["API", "HTTP", "XML"]


def test_only_nl_and_en():
    with pytest.raises(ValueError, match="nl and en"):
        find_names("Bonjour Marie.", language="fr")


# --------------------------------------------------------------------------- offsets
def test_offsets_are_code_points_into_the_text():
    text = "🙂 Zoë’s moeder, mevrouw Ørsted-Ali, zei: «Tim's fiets is weg.»\n\nTims boek ook."
    spans = find_names(text)
    for span in spans:
        assert text[span.start:span.end] == span.text
    assert [s.text for s in spans if s.sure] == ["Zoë", "Ørsted-Ali", "Tim", "Tims"]
    assert isinstance(spans[0], NameSpan)


def test_spans_are_in_order_and_never_overlap():
    text = "Jan de Vries en Piet Jansen, met Anna. " * 3
    spans = find_names(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_fold():
    assert fold("Zoë's") == "zoe" and fold("ØSTER") == "oster"


# --------------------------------------------------------------------------- public texts
WILHELMUS = (  # public domain
    "Wilhelmus van Nassouwe\nben ik, van Duitsen bloed,\nden vaderland getrouwe\n"
    "blijf ik tot in den dood.\nEen Prinse van Oranje\nben ik, vrij onverveerd,\n"
    "den Koning van Hispanje\nheb ik altijd geëerd.\n"
)


def test_wilhelmus():
    assert sure(WILHELMUS) == ["Wilhelmus van Nassouwe"]
    assert "Oranje" not in sure(WILHELMUS) and "Hispanje" not in sure(WILHELMUS)


SCANDAL = (  # Arthur Conan Doyle, A Scandal in Bohemia (1891), public domain
    "To Sherlock Holmes she is always the woman. I have seldom heard him mention her under "
    "any other name. In his eyes she eclipses and predominates the whole of her sex. It was "
    "not that he felt any emotion akin to love for Irene Adler. … And yet there was but one "
    "woman to him, and that woman was the late Irene Adler, of dubious and questionable "
    "memory."
)


def test_a_scandal_in_bohemia():
    assert sure(SCANDAL, language="en") == ["Sherlock Holmes", "Irene Adler", "Irene Adler"]


# Europeana Newspapers NER corpora, Dutch (KB) part (CC0): 1859, the states of Overijssel
COURANT = [
    "Tot bestuurders zijn benoemd de heeren: C. W. Eekhout te Oldenzaal, president; A. J. "
    "Blij denstein en G. J. van Heek te Enschede;",
    "De vergadering besluit dienovereenkomstig , waarna ge noemde leden, behalve de heer "
    "Kerkhoven , in handen van den Voorzitter de bij de wet voorgeschreven eedeu afleggen",
]


def test_a_newspaper_of_1859():
    first, second = COURANT
    assert sure(first) == ["C. W. Eekhout", "A. J. Blij", "G. J. van Heek"]
    assert sure(second) == ["Kerkhoven"]
    assert "Oldenzaal" not in sure(first)


# --------------------------------------------------------------------------- measured sets
def _conll(path: Path, limit: int) -> list[list[tuple[str, str]]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                sentences.append(current)
            current = []
            if len(sentences) == limit:
                break
            continue
        _index, token, tag = line.split("\t")
        current.append((token, tag))
    return sentences


def _score(sentences: list[list[tuple[str, str]]]) -> tuple[float, float]:
    """Token recall of PER inside sure spans and the non-PER share of replaced tokens."""
    per = replaced = hits = 0
    for start in range(0, len(sentences), 50):  # documents of 50 sentences
        text, offsets, tags = "", [], []
        for sentence in sentences[start:start + 50]:
            for token, tag in sentence:
                offsets.append((len(text), len(text) + len(token)))
                tags.append(tag)
                text += token + " "
            text = text[:-1] + "\n"
        spans = [(s.start, s.end) for s in find_names(text) if s.sure]
        for (a, b), tag in zip(offsets, tags, strict=True):
            inside = any(s < b and a < e for s, e in spans)
            per += tag.endswith("PER")
            replaced += inside
            hits += inside and tag.endswith("PER")
    return hits / per, 1 - hits / replaced


@pytest.mark.slow
def test_wikineural_sample_meets_the_targets():
    """The first 2,000 sentences of the WikiNEuRal validation set (measured, never shipped)."""
    path = FIXTURES / "wikineural-nl" / "val.conllu"
    if not path.exists():
        pytest.skip("../shared/fixtures/ner-nl is not beside this repository")
    recall, non_person = _score(_conll(path, 2000))
    assert recall >= 0.88, recall
    assert non_person <= 0.11, non_person

