"""Speaker turns in free text: finding who says what in a typed transcript.

Transcripts arrive in many hands: ``Marieke: ...``, ``MARIEKE: ...``,
``[00:01:02] Marieke: ...``, ``00:01:02 Marieke: ...``, ``Marieke (leerkracht): ...``,
interview labels (``I:``, ``R:``, ``Int.:``, ``Resp 3:``) and the export style of
meeting software, where the speaker's name (perhaps with a time) stands alone on a
line above what was said. :func:`detect_turns` reads all of these, also mixed in one
file, and refuses to see a transcript in notes that merely contain a colon.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Turn:
    """One speaker turn, raw (before pseudonymisation).

    Attributes
    ----------
    speaker : the speaker as written in the source ("" when unknown).
    text : what was said; may hold ``\\n`` for a turn of several lines, never a blank line.
    timestamp : ``"hh:mm:ss"`` or ``""``.
    role : from a label such as ``Marieke (leerkracht):``, else ``""``.
    """

    speaker: str
    text: str
    timestamp: str = ""
    role: str = ""


_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_BRACKET_TS = rf"\[{_TS}\]|\({_TS}\)"
_BARE_TS = r"\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?"  # before a name: hours required
_NAME = r"[^\W\d_][\w'’.\-]*(?:[ \t]+[\w'’.\-]+){0,3}"
_ROLE = r"[^()\n:]{1,40}"
_CUE_TIMING = re.compile(
    r"^\s*(\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?)\s*-->\s*\d{1,2}:\d{1,2}:\d{1,2}(?:[.,]\d{1,3})?\s*$"
)
_BOLD = r"(?:\*\*|__)?"
_FRACTION = re.compile(r"[.,]")
_HH_MM_SS = re.compile(r"\d\d:\d\d:\d\d")

_COLON_LABEL = re.compile(
    rf"^\s*{_BOLD}(?:(?P<ts>{_BRACKET_TS}|{_BARE_TS})\s*)?{_BOLD}"
    rf"(?P<name>{_NAME})(?:\s*\((?P<role>{_ROLE})\))?(?:\s*(?P<ts2>{_BRACKET_TS}))?"
    rf"\s*{_BOLD}:{_BOLD}(?:\s+|$)(?P<rest>.*)$"
)
_ALONE_LABEL = re.compile(
    rf"^\s*{_BOLD}(?:(?P<ts>{_BRACKET_TS}|{_TS})\s+)?(?P<name>{_NAME})"
    rf"(?:\s*\((?P<role>{_ROLE})\))?(?:\s+(?P<ts2>{_BRACKET_TS}|{_TS}))?{_BOLD}\s*$"
)

# labels of interviews and group sessions; accepted even when they occur once
_ALIASES = {"i": "interviewer", "int": "interviewer", "r": "respondent", "resp": "respondent"}
_KNOWN_LABELS = {
    "interviewer", "respondent", "interviewee", "geïnterviewde", "moderator",
    "facilitator", "gespreksleider", "onderzoeker", "spreker", "speaker", "deelnemer",
    "participant", "vraag", "antwoord", "q", "a",
}
_PARTICLES = {
    "van", "de", "der", "den", "het", "ten", "ter", "te", "'t", "’t", "von", "di", "da",
    "du", "le", "la", "el", "bin", "al",
}
# words written before a colon (or alone on a line) that are not speakers
NOT_SPEAKERS = {
    # Dutch and English words that begin sentences but never name a person
    "als", "dan", "want", "omdat", "en", "of", "toen", "nu", "ook", "zoals", "namelijk",
    "ik", "wij", "we", "jij", "je", "jullie", "hij", "zij", "ze", "het", "dat", "dit", "die",
    "er", "daar", "hier", "wat", "wie", "waar", "hoe", "wanneer", "in", "op", "met", "voor",
    "na", "bij", "van", "door", "over", "tot", "zo", "eerst", "daarna", "tot slot", "ten slotte",
    "if", "then", "and", "but", "so", "because", "when", "you", "he", "she", "it",
    "they", "this", "that", "there", "what", "who", "where", "how", "why", "first", "finally",
    # Dutch
    "let op", "let wel", "opmerking", "opmerkingen", "noot", "nb", "n b", "conclusie",
    "conclusies", "samenvatting", "datum", "tijd", "locatie", "plaats", "aanwezig",
    "aanwezigen", "afwezig", "onderwerp", "toelichting", "voorbeeld", "bijvoorbeeld", "bv",
    "dus", "maar", "kortom", "oftewel", "tip", "tips", "doel", "thema", "casus", "agenda",
    "besluit", "besluiten", "actie", "acties", "actiepunt", "actiepunten", "afspraak",
    "afspraken", "vervolg", "resultaat", "resultaten", "inleiding", "reflectie", "vragen",
    "notities", "aantekeningen", "bron", "citaat", "titel", "duur", "sessie", "school",
    "organisatie", "functie", "rol", "belangrijk", "waarom", "stap", "fase", "ja", "nee",
    "oké", "ok", "okay", "goed", "prima", "precies", "klopt", "zeker", "inderdaad", "nou",
    "hm", "hmm", "uh", "eh", "ehm", "bedankt", "dankjewel", "dank je", "dank je wel",
    "transcript", "transcriptie", "interview", "verslag", "notulen", "deelnemers", "totaal",
    "opmerking van de transcribent", "pauze", "einde", "begin", "stilte", "gelach",
    # English
    "note", "notes", "conclusion", "summary", "example", "date", "time", "location",
    "present", "absent", "topic", "subject", "action", "actions", "result", "results",
    "introduction", "source", "title", "duration", "session", "warning", "important",
    "yes", "no", "right", "sure", "thanks", "participants", "end", "pause", "laughter",
}


@dataclass
class _Label:
    style: str  # "colon" or "alone"
    name: str
    key: str
    timestamp: str
    role: str
    rest: str


@dataclass
class _Draft:
    key: str
    timestamp: str
    role: str
    lines: list[str] = field(default_factory=list)


def normalise_timestamp(value: str) -> str:
    """``"[0:03]"``, ``"(01:02:03.450)"``, ``"1:02:03"`` -> ``"hh:mm:ss"``.

    Two parts are read as minutes and seconds; fractions of seconds are dropped.

    Examples
    --------
    >>> normalise_timestamp("[1:02:03.450]"), normalise_timestamp("0:03")
    ('01:02:03', '00:00:03')
    """
    value = value.strip("[]() ")
    if _HH_MM_SS.fullmatch(value):  # already in shape (most labels)
        return value
    parts = [int(p) for p in _FRACTION.split(value, maxsplit=1)[0].split(":")]
    hours, minutes, seconds = ([0] * (3 - len(parts)) + parts)[-3:]
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


@functools.lru_cache(maxsize=4096)
def speaker_key(name: str) -> str:
    """The key under which two ways of writing one speaker meet.

    Case, spacing and full stops do not count, and the usual interview
    abbreviations are spelled out (``I``, ``Int.`` -> interviewer; ``R``, ``Resp`` ->
    respondent).

    Examples
    --------
    >>> speaker_key("MARIEKE"), speaker_key("Int."), speaker_key("Resp 3")
    ('marieke', 'interviewer', 'respondent 3')
    """
    words = name.casefold().replace(".", " ").split()
    if not words:
        return ""
    words[0] = _ALIASES.get(words[0], words[0])
    return " ".join(words)


def _is_known(key: str) -> bool:
    words = key.split()
    return words[0] in _KNOWN_LABELS and all(w.isdigit() for w in words[1:])


def _name_like(name: str) -> bool:
    """A name as people write names: capitalised words, particles and numbers."""
    words = name.split()
    if not 1 <= len(words) <= 4 or len(name) > 40 or name[-1] in ".,;:!?-":
        return False
    return all(w[0].isupper() or w.isdigit() or w.casefold() in _PARTICLES for w in words)


def _label(line: str, followed_by_text: bool) -> _Label | None:
    """Read a speaker label at the start of ``line``, or None."""
    match = _COLON_LABEL.match(line)
    style = "colon"
    if not match and followed_by_text:
        match = _ALONE_LABEL.match(line)
        style = "alone"
    if not match:
        return None
    name = " ".join(match["name"].split())
    key = speaker_key(name)
    if len(name) > 40 or key in NOT_SPEAKERS:
        return None
    if not (name[0].isupper() or _is_known(key)):
        return None
    if style == "alone" and not (_name_like(name) or _is_known(key)):
        return None
    stamp = match["ts"] or match["ts2"] or ""
    rest = (match["rest"] or "") if style == "colon" else ""
    return _Label(
        style, name, key, normalise_timestamp(stamp) if stamp else "",
        " ".join((match["role"] or "").split()), rest.strip(),
    )


def detect_turns(text: str, lenient: bool = False) -> list[Turn] | None:
    """Find the speaker turns in free text, or None when it is not a transcript.

    A label starts a line and is short (1-4 words, at most 40 characters); the set
    of labels must recur: a name counts when it labels two lines or more, carries a
    timestamp or a role, or is an interview label (``I``, ``R``, ``Interviewer`` ...);
    a name seen once is accepted next to such recurring speakers when it is written
    like a name (``Jeroen:``, not ``Let op:``). A name alone on its own line (with
    an optional time or role) is a label when text follows it and it recurs.

    A caption timing line (``0:0:3.710 --> 0:0:5.100``) right above a label gives
    that turn its time. Lines without a label continue the current turn; consecutive turns of one
    speaker merge, unless both carry a different timestamp; text before the first label
    becomes a turn with speaker ``""``; a label with nothing after it (before the
    next label or the end) gives a turn with text ``""``. Blank lines are dropped
    inside turns; every word of the text ends up in a turn's speaker, role,
    timestamp or text. Speakers written differently (``MARIEKE`` and ``Marieke``) get the form
    written most often; a role given once applies to all turns of that speaker.

    With ``lenient`` (the researcher said the file is a transcript), names written
    like names (``Jeroen:``) count even when each occurs once.

    Returns None when fewer than two lines carry a label or when labelled lines
    make up less than a fifth of the paragraphs (a paragraph is a block between
    blank lines, or a line when the text has no blank lines).

    Examples
    --------
    >>> turns = detect_turns("I: Hoe gaat het?\\nR: Goed.\\nI: Fijn.")
    >>> [(t.speaker, t.text) for t in turns]
    [('I', 'Hoe gaat het?'), ('R', 'Goed.'), ('I', 'Fijn.')]
    >>> detect_turns("Let op: dit is geen transcript.\\nConclusie: klopt.") is None
    True
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    nonblank = [i for i, line in enumerate(lines) if line.strip()]
    following = {a: b for a, b in zip(nonblank, nonblank[1:], strict=False)}
    labels = {i: lab for i in nonblank if (lab := _label(lines[i], i in following))}
    # a caption timing line above a label gives its time (older Teams .docx transcripts)
    timings = {}
    for before, i in zip(nonblank, nonblank[1:], strict=False):
        timing = _CUE_TIMING.match(lines[before])
        if timing and i in labels and not labels[i].timestamp:
            labels[i].timestamp = normalise_timestamp(timing[1])
            timings[i] = before
    # a name alone on its line is a label only when text follows it, not another name
    labels = {
        i: lab for i, lab in labels.items()
        if lab.style == "colon" or following[i] not in labels or labels[following[i]].style == "colon"
    }
    accepted = _accept(labels, lenient)
    # what follows a name alone on its line is that speaker's text, even when it has a colon
    after_names = {following[i] for i in accepted if labels[i].style == "alone"}
    accepted = [i for i in accepted if i not in after_names]
    if len(accepted) < 2:
        return None
    blocks = sum(1 for i in nonblank if i == 0 or not lines[i - 1].strip())
    paragraphs = blocks if blocks > 1 else len(nonblank)
    if len(accepted) < 0.2 * paragraphs:
        return None
    consumed = {timings[i] for i in accepted if i in timings}
    return _build(lines, {i: labels[i] for i in accepted}, consumed)


def _accept(labels: dict[int, _Label], lenient: bool = False) -> list[int]:
    """The line numbers whose label is taken as a speaker label."""
    counts = Counter(lab.key for lab in labels.values())
    strong = {
        i for i, lab in labels.items()
        if counts[lab.key] >= 2 or lab.timestamp or _is_known(lab.key)
        or (lab.role and lab.style == "colon")
    }
    if not strong and not lenient:
        return []
    weak = {
        i for i, lab in labels.items()
        if i not in strong and lab.style == "colon" and _name_like(lab.name)
        and len(lab.name.split()) <= 3
    }
    return sorted(strong | weak)


def _build(lines: list[str], labels: dict[int, _Label], consumed: set[int]) -> list[Turn]:
    drafts: list[_Draft] = []
    written: dict[str, Counter[str]] = {}
    roles: dict[str, str] = {}
    for i, line in enumerate(lines):
        lab = labels.get(i)
        if lab:
            names = written.get(lab.key)
            if names is None:
                names = written[lab.key] = Counter()
            names[lab.name] += 1
            if lab.role:
                roles.setdefault(lab.key, lab.role)
            if drafts and drafts[-1].key == lab.key and _same_time(drafts[-1].timestamp, lab.timestamp):
                current = drafts[-1]
                current.role = current.role or lab.role
                current.timestamp = current.timestamp or lab.timestamp
            else:
                drafts.append(_Draft(lab.key, lab.timestamp, lab.role))
            if lab.rest:
                drafts[-1].lines.append(lab.rest)
        elif line.strip() and i not in consumed:
            if not drafts:
                drafts.append(_Draft("", "", ""))
            drafts[-1].lines.append(line.strip())
    display = {key: _most_written(names) for key, names in written.items()}
    display[""] = ""
    return [
        Turn(display[d.key], "\n".join(d.lines), d.timestamp, roles.get(d.key, ""))
        for d in drafts
    ]


def _same_time(first: str, second: str) -> bool:
    """Turns may merge unless both carry a time and the times differ (no time is lost)."""
    return not (first and second and first != second)


def _most_written(names: Counter[str]) -> str:
    best = max(names.values())
    return next(name for name, count in names.items() if count == best)
