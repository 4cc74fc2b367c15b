"""What raakvlak's REFI-QDA export and import share: GUIDs, colours, code descriptions.

REFI-QDA (QDA-XML 1.0, www.qdasoftware.org) exchanges a project as a ``.qdpx`` zip
(``project.qde`` plus the source files) and a codebook as ``.qdc``. Facts that shape
this package:

* **GUIDs.** raakvlak's GUIDs are :func:`uuid.uuid5` of a project namespace (itself
  the uuid5 of a fixed UUID and the project name) and a key naming the object
  (``code:barrier.providers``, ``source:als-a-sessie-1``, ``coding:<event id>``), so
  an unchanged project exports byte-identically.
* **Positions.** raakvlak writes ``startPosition``/``endPosition`` as Unicode code
  points, 0-based, end-exclusive, on the canonical text (``\\n`` line ends), which is
  exactly the text written to ``sources/<guid>.txt``.
* **Code descriptions** carry what REFI has no field for (labels in both languages,
  rules, framework, status and the raakvlak id) in a trailer block after the
  definition, one ``Key: value`` per line (further lines of a value indented by two
  spaces), ending in ``raakvlak id: <id>``; another tool shows it as text and a
  raakvlak import reads it back, so code ids survive a round trip.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
RAAKVLAK_UUID = uuid.UUID("6f1d7a52-3c0e-5b8e-9a57-7261616b766c")
"""The fixed root of every raakvlak project namespace (never change it)."""

ID_KEY = "raakvlak id"
DESCRIPTION_KEYS = {
    "Label (nl)": "label_nl",
    "Label (en)": "label_en",
    "Full definition": "full_definition",
    "When to use": "when_to_use",
    "When not to use": "when_not_to_use",
    "Examples": "examples",
    "Framework": "framework",
    "Level": "level",
    "Status": "status",
    "Replaced by": "replaced_by",
    "To complete": "to_complete",
    "Note": "note",
    ID_KEY: "id",
}


def project_namespace(name: str) -> uuid.UUID:
    """The GUID namespace of a project: uuid5 of raakvlak's fixed UUID and the project name."""
    return uuid.uuid5(RAAKVLAK_UUID, name)


def guid(namespace: uuid.UUID, kind: str, key: str) -> str:
    """The GUID of one object: uuid5 of the project namespace and ``kind:key``.

    Examples
    --------
    >>> ns = project_namespace("Studie")
    >>> guid(ns, "code", "trust") == str(uuid.uuid5(ns, "code:trust"))
    True
    """
    digest = bytearray(hashlib.sha1(namespace.bytes + f"{kind}:{key}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5 (RFC 4122, as uuid.uuid5 does)
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


NAMED_COLOURS = {
    "black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000",
    "lime": "#00ff00", "blue": "#0000ff", "yellow": "#ffff00", "cyan": "#00ffff",
    "aqua": "#00ffff", "magenta": "#ff00ff", "fuchsia": "#ff00ff", "gray": "#808080",
    "grey": "#808080", "silver": "#c0c0c0", "maroon": "#800000", "olive": "#808000",
    "navy": "#000080", "purple": "#800080", "teal": "#008080", "orange": "#ffa500",
    "pink": "#ffc0cb", "brown": "#a52a2a",
}
_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_RGB = re.compile(r"^rgba?\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*(?:,\s*[\d.]+\s*)?\)$", re.I)


def parse_colour(value: str | None) -> str | None:
    """A colour in any notation seen in REFI files as ``#rrggbb``; None when unreadable.

    Accepted: ``#RRGGBB``, ``#RGB``, ``#AARRGGBB`` (alpha first, as .NET writes it),
    the same without ``#``, ``rgb(r, g, b)`` / ``rgba(...)``, CSS basic colour names,
    and a decimal integer holding ``0x(AA)RRGGBB``.

    Examples
    --------
    >>> [parse_colour(c) for c in ("#C0392B", "#c39", "rgb(192, 57, 43)", "Teal", "12597547", "no")]
    ['#c0392b', '#cc3399', '#c0392b', '#008080', '#c0392b', None]
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.lower() in NAMED_COLOURS:
        return NAMED_COLOURS[text.lower()]
    match = _RGB.match(text)
    if match:
        channels = [int(match[i]) for i in (1, 2, 3)]
        if all(c <= 255 for c in channels):
            return "#" + "".join(f"{c:02x}" for c in channels)
        return None
    if text.isdigit() and len(text) not in (3, 6):  # a number, RGB or ARGB
        number = int(text)
        return f"#{number & 0xFFFFFF:06x}" if number <= 0xFFFFFFFF else None
    match = _HEX.match(text)
    if match:
        digits = match[1].lower()
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        elif len(digits) == 8:
            digits = digits[2:]
        return "#" + digits
    return None


@dataclass
class CodeText:
    """The fields of a code carried by a REFI ``Description``."""

    definition: str = ""
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def raakvlak_id(self) -> str | None:
        return self.fields.get("id") or None


def _indent(value: str) -> str:
    return "\n  ".join(value.splitlines())


def code_description(code_fields: dict[str, str], definition: str) -> str:
    """The REFI ``Description`` of a code: its definition, then the trailer block."""
    lines = []
    for key, name in DESCRIPTION_KEYS.items():
        value = code_fields.get(name, "")
        if value:
            lines.append(f"{key}: {_indent(value)}")
    trailer = "\n".join(lines)
    return f"{definition.strip()}\n\n{trailer}" if definition.strip() else trailer


def read_description(text: str | None) -> CodeText:
    """Split a REFI code ``Description`` into definition and raakvlak fields.

    A description without raakvlak's trailer (from another tool) is all definition.

    Examples
    --------
    >>> parsed = read_description("Trust between professionals.\\n\\nLevel: meso\\nraakvlak id: trust")
    >>> parsed.definition, parsed.fields
    ('Trust between professionals.', {'level': 'meso', 'id': 'trust'})
    """
    text = (text or "").replace("\r\n", "\n").strip()
    head, _, tail = text.rpartition("\n\n")
    lines = tail.split("\n")
    if not lines or not lines[-1].startswith(f"{ID_KEY}: "):
        return CodeText(definition=text)
    found: dict[str, str] = {}
    current = None
    for line in lines:
        if line.startswith("  ") and current is not None:
            found[current] += "\n" + line[2:]
            continue
        key, sep, value = line.partition(": ")
        if not sep or key not in DESCRIPTION_KEYS:
            return CodeText(definition=text)
        current = DESCRIPTION_KEYS[key]
        found[current] = value
    return CodeText(definition=head.strip(), fields=found)
