"""Speaker roles: the stems of role-based pseudonyms, and labels that name nobody.

A speaker gets a pseudonym from their role (``leerkracht`` -> ``Docent 1``,
``jeugdhulpverlener`` -> ``Hulpverlener 2``; English projects get English stems).
A label that already names nobody (``Interviewer``, ``Spreker 2``, ``R1``, an existing
pseudonym) stays as it is and never enters the key, so "de interviewer" in running
text is not touched.

Examples
--------
>>> role_stem("groepsleerkracht", "nl"), role_stem("", "en")
('Docent', 'Speaker')
>>> is_anonymous_label("Interviewer 1"), is_anonymous_label("Marieke")
(True, False)
"""

from __future__ import annotations

import re
import unicodedata

UNKNOWN_SPEAKER = {"nl": "Spreker", "en": "Speaker"}


# role (lower case, accents removed) -> pseudonym stem in Dutch and English projects
ROLE_STEMS: dict[str, tuple[str, str]] = {
    "leerkracht": ("Docent", "Teacher"),
    "docent": ("Docent", "Teacher"),
    "leraar": ("Docent", "Teacher"),
    "teacher": ("Docent", "Teacher"),
    "mentor": ("Mentor", "Mentor"),
    "zorgcoordinator": ("Zorgcoördinator", "Care coordinator"),
    "jeugdhulpverlener": ("Hulpverlener", "Care worker"),
    "hulpverlener": ("Hulpverlener", "Care worker"),
    "jeugdzorg": ("Hulpverlener", "Care worker"),
    "jeugdhulp": ("Hulpverlener", "Care worker"),
    "wijkteam": ("Wijkteam", "Community team"),
    "wijkteammedewerker": ("Wijkteam", "Community team"),
    "gemeente": ("Gemeente", "Municipality"),
    "beleidsmedewerker": ("Gemeente", "Municipality"),
    "ambtenaar": ("Gemeente", "Municipality"),
    "facilitator": ("Facilitator", "Facilitator"),
    "begeleider": ("Facilitator", "Facilitator"),
    "ouder": ("Ouder", "Parent"),
    "parent": ("Ouder", "Parent"),
    "leerling": ("Leerling", "Pupil"),
    "pupil": ("Leerling", "Pupil"),
    "intern begeleider": ("IB'er", "Internal coach"),
    "ib'er": ("IB'er", "Internal coach"),
    "ib-er": ("IB'er", "Internal coach"),
    "iber": ("IB'er", "Internal coach"),
    "ib": ("IB'er", "Internal coach"),
    "directeur": ("Directeur", "Director"),
    "director": ("Directeur", "Director"),
    "interviewer": ("Interviewer", "Interviewer"),
    "respondent": ("Respondent", "Respondent"),
    # the stem of a person's name that import found by itself in running text
    "persoon": ("Persoon", "Person"),
    "person": ("Persoon", "Person"),
}


# speaker labels that name nobody (with or without a number)
GENERIC_LABEL_WORDS = {
    "spreker", "speaker", "deelnemer", "participant", "moderator", "onbekend", "unknown",
    "interviewee", "geinterviewde", "gesprekspartner", "int", "iv", "resp",
    "iedereen", "allen", "everyone", "all", "groep", "group", "ouders", "leerlingen",
}


def fold(value: str) -> str:
    """Lower case without accents and with single spaces: the form roles are looked up in."""
    value = unicodedata.normalize("NFD", value.replace("’", "'"))
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(value.lower().split())


# the pseudonym stems, folded: a label that is one of them (with a number) names nobody
STEM_WORDS = frozenset(fold(stem) for pair in ROLE_STEMS.values() for stem in pair)


def is_anonymous_label(name: str) -> bool:
    """True when a speaker label names nobody: a role, a pseudonym stem or a generic word,
    with or without a number (``Interviewer 1``, ``Docent 2``, ``Spreker``), or a letter
    code (``R``, ``R12``, ``AB3``)."""
    if re.fullmatch(r"[A-Z]\d*|[A-Z]{1,3}\d+", name):
        return True
    base = re.sub(r"\s*\d+$", "", fold(name))
    return base in ROLE_STEMS or base in STEM_WORDS or base in GENERIC_LABEL_WORDS


def role_stem(role: str, language: str) -> str:
    """The stem of the pseudonyms of speakers with ``role`` (``Docent``; ``Teacher`` in
    English projects): the stem of a known role, also inside a longer role ("leerkracht
    groep 8") or at the end of a Dutch compound ("groepsleerkracht"); an unknown role
    as written; no role: ``Spreker`` / ``Speaker``."""
    column = 0 if language == "nl" else 1
    role = " ".join(unicodedata.normalize("NFC", role).split())
    folded = fold(role)
    if not folded:
        return UNKNOWN_SPEAKER[language]
    if folded in ROLE_STEMS:
        return ROLE_STEMS[folded][column]
    keys = sorted(ROLE_STEMS, key=lambda k: (-len(k), k))
    for key in keys:  # a role word inside a longer role: "leerkracht groep 8"
        if re.search(rf"(?<![\w']){re.escape(key)}(?![\w'])", folded):
            return ROLE_STEMS[key][column]
    for key in keys:  # the head of a Dutch compound: "groepsleerkracht"
        if len(key) >= 6 and re.search(rf"{re.escape(key)}(?![\w'])", folded):
            return ROLE_STEMS[key][column]
    return role[:1].upper() + role[1:]


# generic labels of the people a session is about (as transcribers and tools write
# them): each document has its own, so two documents' "Interviewee" are two people
PER_DOCUMENT_WORDS = frozenset({
    "interviewee", "geinterviewde", "respondent", "resp", "deelnemer", "participant",
    "spreker", "speaker", "gesprekspartner", "onbekend", "unknown",
})


def per_document(label: str) -> str | None:
    """The generic word of a label that names a different person in every document
    (``Interviewee``, ``Speaker 2``, ``Deelnemer``), or None.

    Examples
    --------
    >>> per_document("Interviewee"), per_document("Speaker 2"), per_document("Interviewer")
    ('Interviewee', 'Speaker', None)
    """
    word = re.sub(r"\s*\d+$", "", " ".join(label.split()))
    return word if fold(word) in PER_DOCUMENT_WORDS else None
