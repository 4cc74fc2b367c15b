"""Captions (WebVTT, SubRip): the public webvtt-py test files and Dutch meeting exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from raakvlak.corpus.captions import read_captions
from raakvlak.corpus.readers import Turn, read_sources
from raakvlak.errors import ImportProblem

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "captions"


def fixture(name: str) -> Path:
    if not FIXTURES.is_dir():
        pytest.skip("caption fixtures (shared/fixtures/captions) are not present")
    return FIXTURES / name


def texts(name: str) -> list[str]:
    (source,) = read_sources(fixture(name))
    return [turn.text for turn in source.turns]


def numbered(*numbers: int) -> list[str]:
    return [f"Caption text #{n}" for n in numbers]


# what each valid file must give: the text of its cues, one turn per cue (no speakers)
VALID = {
    "sample.vtt": numbered(*range(1, 17)),
    "sample.srt": numbered(*range(1, 6)),
    "one_caption.vtt": numbered(1),
    "one_caption.srt": numbered(1),
    "captions_with_bom.vtt": numbered(1, 2, 3, 4),
    "metadata_headers.vtt": numbered(1, 2),
    "metadata_headers_multiline.vtt": numbered(1, 2),
    "using_identifiers.vtt": numbered(*range(1, 7)),
    # an empty cue loses nothing: it is skipped and reported, not refused
    "missing_caption_text.vtt": numbered(1, 3, 4, 5),
    "missing_caption_text.srt": numbered(1, 3, 4, 5),
    "styles.vtt": ["- Hello world."],
    "cue_tags.vtt": ["When the moon hits your eye", "Like a big-a pizza pie", "That's amore"],
    "comments.vtt": [
        "- Ta en kopp varmt te. - Det är inte varmt.",
        "- Har en kopp te. - Det smakar som te.",
        "- Ta en kopp",
    ],
    # rolling captions: lines repeated from the cue before are dropped
    "youtube_dl.vtt": ["yeah", "what", "this will happen is I'm telling"],
}

# invalid files and the line their message must name (None: no line for that problem)
INVALID = {
    "empty.vtt": ("empty", None),
    "no_captions.vtt": ("no captions", None),
    "invalid.vtt": ("WEBVTT", 1),
    "invalid_timeframe.vtt": ("broken cue timing", 6),
    "invalid_timeframe_in_cue_text.vtt": ("second timing line", 7),
    "missing_timeframe.vtt": ("without a cue timing", 6),
    "invalid_timeframe.srt": ("broken cue timing", 6),
    "missing_timeframe.srt": ("not followed by a timing line", 5),
    "invalid_format1.srt": ("not followed by a timing line", 1),
    "invalid_format2.srt": ("without a cue number", 1),
    "invalid_format3.srt": ("not followed by a timing line", 1),
    "invalid_format4.srt": ("without a cue number", 1),
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_fixture_imports_with_its_cue_text(name):
    assert texts(name) == VALID[name]


def test_valid_fixture_details():
    (source,) = read_sources(fixture("sample.vtt"))
    assert source.kind == "notes"  # no speakers anywhere
    assert [t.timestamp for t in source.turns[:3]] == ["00:00:00", "00:00:07", "00:00:11"]
    assert all(t.speaker == "" for t in source.turns)
    assert any("no speaker names" in m for m in source.messages)
    (bom,) = read_sources(fixture("captions_with_bom.vtt"))
    assert any("UTF-8" in m for m in bom.messages)
    (cues,) = read_sources(fixture("cue_tags.vtt"))
    assert cues.turns[0].timestamp == "00:00:16"  # "00:16.500": hours may be left out
    (missing,) = read_sources(fixture("missing_caption_text.vtt"))
    assert "skipped 1 cue(s) without text (line 6)" in missing.messages
    (rolling,) = read_sources(fixture("youtube_dl.vtt"))
    assert any("rolling captions" in m for m in rolling.messages)


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_fixture_is_an_import_problem_naming_file_and_line(name):
    fragment, line = INVALID[name]
    with pytest.raises(ImportProblem) as info:
        read_sources(fixture(name))
    message = str(info.value)
    assert message.startswith(f"{name}: ")
    assert fragment in message
    if line is not None:
        assert f"line {line}" in message
    assert "\n" not in message


def test_every_fixture_imports_or_gives_an_import_problem():
    if not FIXTURES.is_dir():
        pytest.skip("caption fixtures (shared/fixtures/captions) are not present")
    seen = 0
    for path in sorted(FIXTURES.iterdir()):
        seen += 1
        try:
            sources = read_sources(path)
        except ImportProblem as exc:
            assert str(exc).startswith(f"{path.name}: ")
            assert path.suffix == ".sbv" or path.name in INVALID
        else:
            assert path.name in VALID
            assert sources[0].turns
    assert seen >= 30


# ---------------------------------------------------------------------- Dutch exports
TEAMS = """WEBVTT

0f2ad1c4-5e1b-4a8e-9d6f-1c2b3a4d5e6f/12-0
00:00:03.120 --> 00:00:05.480
<v Marieke de Vries>Goedemorgen allemaal, fijn dat jullie er zijn.</v>

0f2ad1c4-5e1b-4a8e-9d6f-1c2b3a4d5e6f/13-0
00:00:05.480 --> 00:00:09.010
<v Marieke de Vries>Zullen we met de casus van Sem beginnen?</v>

0f2ad1c4-5e1b-4a8e-9d6f-1c2b3a4d5e6f/14-0
00:00:09.500 --> 00:00:12.000
<v Samira El Amrani>Ja, prima. Ik heb de school &amp; het wijkteam gebeld.</v>

NOTE de opname liep hier even vast

00:01:02.999 --> 00:01:04.000
<v.loud Marieke de Vries>En toen?</v>
"""


def test_teams_voice_tags_merge_consecutive_cues_of_one_speaker():
    turns, messages = read_captions(TEAMS, "overleg.vtt", ".vtt")
    assert turns == [
        Turn("Marieke de Vries",
             "Goedemorgen allemaal, fijn dat jullie er zijn. Zullen we met de casus van Sem beginnen?",
             "00:00:03"),
        Turn("Samira El Amrani", "Ja, prima. Ik heb de school & het wijkteam gebeld.", "00:00:09"),
        Turn("Marieke de Vries", "En toen?", "00:01:02"),
    ]
    assert messages == []


def test_voice_tags_several_speakers_in_one_cue_and_cues_without_tag():
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Jan>Wie belt de ouders?</v>\n"
        "<v Fatma>Ik <i>bel</i> ze <b>morgen</b>.</v>\n\n"
        "00:00:04.000 --> 00:00:06.000\nEn ik mail de <c.yellow>leerplichtambtenaar</c>.\n"
    )
    turns, _ = read_captions(text, "x.vtt", ".vtt")
    assert turns == [
        Turn("Jan", "Wie belt de ouders?", "00:00:01"),
        Turn("Fatma", "Ik bel ze morgen. En ik mail de leerplichtambtenaar.", "00:00:01"),
    ]


ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Marieke de Vries: Wie heeft de regie in deze casus?

2
00:00:04.500 --> 00:00:08.000
Jan Bakker: Volgens mij het wijkteam,

3
00:00:08.000 --> 00:00:10.000
maar dat is nooit afgesproken.

4
01:02:03.000 --> 01:02:05.000
Marieke de Vries: Dan spreken we dat nu af.
"""


def test_zoom_name_prefixes_and_continuation_cues(tmp_path):
    path = tmp_path / "zoom.vtt"
    path.write_text(ZOOM, encoding="utf-8")
    (source,) = read_sources(path)
    assert source.kind == "transcript"
    assert source.turns == [
        Turn("Marieke de Vries", "Wie heeft de regie in deze casus?", "00:00:01"),
        Turn("Jan Bakker", "Volgens mij het wijkteam, maar dat is nooit afgesproken.", "00:00:04"),
        Turn("Marieke de Vries", "Dan spreken we dat nu af.", "01:02:03"),
    ]


def test_a_single_colon_prefix_is_not_a_speaker():
    text = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nLet op: de school is dicht.\n\n"
        "00:00:02.000 --> 00:00:03.000\nDus we bellen morgen.\n"
    )
    turns, messages = read_captions(text, "x.vtt", ".vtt")
    assert [t.speaker for t in turns] == ["", ""]
    assert turns[0].text == "Let op: de school is dicht."
    assert any("no speaker names" in m for m in messages)


def test_srt_with_speakers_tags_and_without_numbers():
    text = (
        "1\r\n00:00:01,000 --> 00:00:03,500\r\nIB'er: Ik zie <i>Sem</i> niet meer in de klas.\r\n\r\n"
        "00:00:03,500 --> 00:00:05,000\r\n{\\an8}Ouder: Hij wil niet meer.\r\n\r\n"
        "3\r\n00:00:05,000 --> 00:00:06,000\r\nIB'er: Sinds wanneer?\r\n"
    )
    turns, _ = read_captions(text, "x.srt", ".srt")
    assert turns == [
        Turn("IB'er", "Ik zie Sem niet meer in de klas.", "00:00:01"),
        Turn("Ouder", "Hij wil niet meer.", "00:00:03"),
        Turn("IB'er", "Sinds wanneer?", "00:00:05"),
    ]


def test_repeated_words_are_kept_when_captions_do_not_roll():
    text = "WEBVTT\n\n" + "".join(
        f"00:00:0{i}.000 --> 00:00:0{i + 1}.000\n{line}\n\n"
        for i, line in enumerate(["<v A>ja", "ja", "<v B>nee", "goed", "prima"])
    )
    turns, messages = read_captions(text, "x.vtt", ".vtt")
    assert [t.text for t in turns] == ["ja ja", "nee goed prima"]
    assert not any("rolling" in m for m in messages)


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nTerug in de tijd\n", "ends before it starts", 3),
        ("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nHoi\n", "without a cue timing", 3),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02\nHoi\n", "broken cue timing", 3),
        ("WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\nHoi\n\nDoei\n", "without a cue timing", 7),
    ],
)
def test_broken_cues_name_the_line(text, fragment, line):
    with pytest.raises(ImportProblem) as info:
        read_captions(text, "kapot.vtt", ".vtt")
    assert str(info.value).startswith("kapot.vtt: ")
    assert fragment in str(info.value) and f"line {line}" in str(info.value)
