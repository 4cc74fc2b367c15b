"""The content of a REFI-QDA file, read safely and without judging it.

:func:`read_qdpx` opens a ``.qdpx`` archive under limits
(:func:`raakvlak.exchange.safety.read_archive`), parses ``project.qde`` without DTDs or
entities, and returns a :class:`RefiProject`: users, the code tree, variables, cases,
sources with their selections and codings, and notes. Namespaces are ignored (tools
differ), GUIDs are lower-cased without braces, and nothing is checked against a
project: placing and joining happen in :mod:`raakvlak.exchange.refi_import`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from xml.etree.ElementTree import Element

from raakvlak.coding.codebook import MAX_DEPTH
from raakvlak.errors import ExchangeError
from raakvlak.exchange.refi_media import MEDIA_KINDS, read_media
from raakvlak.exchange.safety import DEFAULT_LIMITS, Limits, parse_xml, read_archive


# ---------------------------------------------------------------------- the file's model
@dataclass
class RefiCoding:
    """A ``Coding``: the code GUID it applies, its user, time and notes."""

    guid: str
    code: str
    user: str | None
    time: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiSelection:
    """A ``PlainTextSelection``: positions as the tool wrote them, its ``name`` (often the quote) and codings."""

    guid: str
    name: str
    start: int | None
    end: int | None
    user: str | None
    time: str | None
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiSource:
    """A source (``TextSource`` or another kind), its text or the path to it, and what hangs on it."""

    guid: str
    name: str
    kind: str
    description: str = ""
    content: str | None = None
    path: str = ""
    user: str | None = None
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    media: Any = None  # PictureSource, AudioSource, VideoSource: a refi_media.RefiMedia


@dataclass
class RefiCode:
    """A ``Code``, its raw colour and description, and the GUID of its parent (None at the top)."""

    guid: str
    name: str
    colour: str | None
    codable: bool
    description: str
    parent: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class RefiCase:
    """A ``Case``: its variable values (by variable name) and the sources it refers to."""

    guid: str
    name: str
    variables: dict[str, str]
    sources: list[str]


@dataclass
class RefiNote:
    """A ``Note``: the text of a memo and who wrote it."""

    guid: str
    name: str
    text: str
    user: str | None
    time: str | None


@dataclass
class RefiProject:
    """What a REFI-QDA file holds, as read (no placing, no checking against a project)."""

    name: str = ""
    origin: str = ""
    users: dict[str, str] = field(default_factory=dict)
    codes: list[RefiCode] = field(default_factory=list)
    variables: dict[str, str] = field(default_factory=dict)
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)
    project_notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------- reading
@functools.lru_cache(maxsize=256)
def local_name(tag: Any) -> str:
    """The local name of an element tag (namespace dropped)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local_name(child.tag) == name]


def _by_name(element: Element) -> dict[str, list[Element]]:
    """The children of ``element`` grouped by local name (one pass)."""
    groups: dict[str, list[Element]] = defaultdict(list)
    for child in element:
        groups[local_name(child.tag)].append(child)
    return groups


def _ref_guids(elements: list[Element]) -> list[str]:
    return [g for ref in elements if (g := _guid(ref.get("targetGUID")))]


def _child_text(element: Element, name: str) -> str:
    found = _children(element, name)
    return (found[0].text or "") if found else ""


def _guid(value: str | None) -> str | None:
    return value.strip().strip("{}").lower() if value else None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _refs(element: Element, name: str) -> list[str]:
    return [g for ref in _children(element, name) if (g := _guid(ref.get("targetGUID")))]


def _codings(elements: list[Element]) -> list[RefiCoding]:
    found = []
    for coding in elements:
        parts = _by_name(coding)
        refs = _ref_guids(parts.get("CodeRef", []))
        found.append(RefiCoding(_guid(coding.get("guid")) or "", refs[0] if refs else "",
                                _guid(coding.get("creatingUser")), coding.get("creationDateTime"),
                                _ref_guids(parts.get("NoteRef", []))))
    return found


def _variable_values(element: Element, variables: dict[str, str]) -> dict[str, str]:
    values = {}
    for value in _children(element, "VariableValue"):
        refs = _refs(value, "VariableRef")
        name = variables.get(refs[0]) if refs else None
        if name is None:
            continue
        texts = [child.text or "" for child in value if local_name(child.tag) != "VariableRef"]
        values[name] = texts[0].strip() if texts else ""
    return values


def _read_codes(parent: Element, parent_guid: str | None, into: list[RefiCode]) -> None:
    """The codes under ``parent``, each before its children, in file order (walked with a
    stack: a hostile file's depth costs no Python frames)."""
    stack = [(code, parent_guid, 1) for code in reversed(_children(parent, "Code"))]
    while stack:
        code, above, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ExchangeError(f"codes nested more than {MAX_DEPTH} levels deep (under "
                                f"{code.get('name')!r}); raakvlak reads codes up to that depth")
        code_guid = _guid(code.get("guid")) or ""
        into.append(RefiCode(
            guid=code_guid, name=(code.get("name") or "").strip(), colour=code.get("color"),
            codable=(code.get("isCodable") or "true").strip().lower() != "false",
            description=_child_text(code, "Description"), parent=above,
            notes=_refs(code, "NoteRef")))
        stack.extend((child, code_guid, depth + 1) for child in reversed(_children(code, "Code")))


def _repeated(values: list[str]) -> str | None:
    """The first value that occurs more than once, or None."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            return value
        seen.add(value)
    return None


def read_project(root: Element, what: str = "project.qde") -> RefiProject:
    """The content of a parsed ``project.qde`` (or ``.qdc``: only the codes); ``what``
    names the file in errors."""
    model = RefiProject(name=root.get("name") or "", origin=root.get("origin") or "")
    for users in _children(root, "Users"):
        for user in _children(users, "User"):
            user_guid = _guid(user.get("guid"))
            if user_guid:
                model.users[user_guid] = (user.get("name") or user.get("id") or "").strip()
    books = [root] if local_name(root.tag) == "CodeBook" else _children(root, "CodeBook")
    for book in books:
        for codes in _children(book, "Codes"):
            try:
                _read_codes(codes, None, model.codes)
            except ExchangeError as exc:
                raise ExchangeError(f"{what}: {exc}; nothing was imported") from None
    for variables in _children(root, "Variables"):
        for variable in _children(variables, "Variable"):
            variable_guid = _guid(variable.get("guid"))
            if variable_guid:
                model.variables[variable_guid] = (variable.get("name") or "").strip()
    for cases in _children(root, "Cases"):
        for case in _children(cases, "Case"):
            model.cases.append(RefiCase(_guid(case.get("guid")) or "", (case.get("name") or "").strip(),
                                        _variable_values(case, model.variables),
                                        _refs(case, "SourceRef")))
    for sources in _children(root, "Sources"):
        for source in sources:
            kind = local_name(source.tag)
            item = RefiSource(
                guid=_guid(source.get("guid")) or "", name=(source.get("name") or "").strip(), kind=kind,
                description=_child_text(source, "Description"), path=source.get("plainTextPath") or "",
                user=_guid(source.get("creatingUser")), codings=_codings(_children(source, "Coding")),
                notes=_refs(source, "NoteRef"),
                variables=_variable_values(source, model.variables))
            contents = _children(source, "PlainTextContent")
            if contents:
                item.content = contents[0].text or ""
            for selection in _children(source, "PlainTextSelection"):
                parts = _by_name(selection)
                item.selections.append(RefiSelection(
                    guid=_guid(selection.get("guid")) or "", name=selection.get("name") or "",
                    start=_int(selection.get("startPosition")), end=_int(selection.get("endPosition")),
                    user=_guid(selection.get("creatingUser")), time=selection.get("creationDateTime"),
                    codings=_codings(parts.get("Coding", [])), notes=_ref_guids(parts.get("NoteRef", []))))
            if kind in MEDIA_KINDS:
                item.media = read_media(source, _PARSE)
            model.sources.append(item)
    for notes in _children(root, "Notes"):
        for note in _children(notes, "Note"):
            note_guid = _guid(note.get("guid"))
            if note_guid:
                model.notes[note_guid] = RefiNote(
                    note_guid, note.get("name") or "", _child_text(note, "PlainTextContent"),
                    _guid(note.get("creatingUser")), note.get("creationDateTime"))
    model.project_notes = _refs(root, "NoteRef")
    for things, guids in (("code", [c.guid for c in model.codes]), ("source", [s.guid for s in model.sources]),
                          ("selection", [x.guid for s in model.sources for x in s.selections])):
        repeated = _repeated([guid for guid in guids if guid])
        if repeated:
            raise ExchangeError(f"{what}: the {things} guid {repeated} is used more than once (a guid "
                                "names one thing); export the project again; nothing was imported")
    return model


_PARSE = SimpleNamespace(guid=_guid, int=_int, codings=_codings, refs=_refs, children=_children)
"""The reading helpers :func:`raakvlak.exchange.refi_media.read_media` uses."""


def decode_text(data: bytes, what: str, messages: list[str]) -> str:
    """Text of a source file: BOM (UTF-8 or UTF-16) honoured and removed, else UTF-8.

    A file that is not UTF-8 is read as Windows-1252 and the message says so.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        messages.append(f"{what}: not UTF-8; read as Windows-1252")
        return data.decode("cp1252", errors="replace")


def read_qdpx_files(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[RefiProject, dict[str, bytes]]:
    """The content of a ``.qdpx`` and its project and text files by entry name (read under
    ``limits``; originals, pictures and recordings in the archive are not read)."""
    files = read_archive(path, limits, wanted=lambda name: name.lower().endswith((".qde", ".txt")))
    projects = [name for name in files if name.lower().endswith(".qde") and "/" not in name.strip("/")]
    if len(projects) != 1:
        raise ExchangeError(
            f"{path.name}: expected one project.qde at the top of the archive, found "
            f"{len(projects) or 'none'}; is this a REFI-QDA project (.qdpx)?")
    root = parse_xml(files[projects[0]], f"{path.name}: {projects[0]}")
    if local_name(root.tag) != "Project":
        raise ExchangeError(f"{path.name}: {projects[0]} is not a REFI-QDA project (root <{local_name(root.tag)}>)")
    return read_project(root, path.name), files


def read_qdpx(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> RefiProject:
    """Read a ``.qdpx`` file safely into a :class:`RefiProject` (nothing is imported)."""
    return read_qdpx_files(Path(path), limits)[0]
