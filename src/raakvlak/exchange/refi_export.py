"""Export a project as REFI-QDA: ``.qdpx`` (project) and ``.qdc`` (codebook).

The ``.qdpx`` is a zip holding ``project.qde`` (QDA-XML 1.0, namespace
``urn:QDA-XML:project:1.0``) and ``sources/<guid>.txt``, the canonical text of each
document (UTF-8, ``\\n`` line ends). What goes where:

* ``Users``: every coder with codings or memos, and the coders of ``raakvlak.toml``
  (``name`` and ``id`` are the coder id);
* ``CodeBook``: the code hierarchy in codebook order, ``name`` the label in the
  project language, ``color``, ``isCodable`` false for merged and retired codes, and a
  ``Description`` holding the definition plus raakvlak's trailer (see
  :mod:`raakvlak.exchange.refi`); codes found in the logs but not in the codebook are
  added at the top level so no coding is lost;
* ``Variables``: document variables (title, kind, language, date, source and the
  extra columns of ``documents.csv``) and speaker variables (role and the extra columns of
  ``speakers.csv``; a speaker variable named like a document variable gets a
  ``speaker_`` prefix), all of type Text;
* ``Cases``: one per speaker per document, with the speaker variables and a
  ``SourceRef`` to its document;
* ``Sources``: one ``TextSource`` per document, ``name`` the document id, its
  document variables as ``VariableValue``; one ``PlainTextSelection`` per live coding
  (every coder's), its ``name`` the quote, with one ``Coding`` whose ``creatingUser``
  is the coder;
* ``Notes``: every memo (project, document, code, coding), referenced from the
  object it is about with ``NoteRef``.

Positions are Unicode code points, 0-based, end-exclusive, on the canonical text, the
very text in ``sources/``. Every GUID is a uuid5 (:func:`raakvlak.exchange.refi.guid`),
element order follows the project's files and the zip has fixed dates, so an
unchanged project exports byte-identically.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd

from raakvlak.coding.codebook import Code
from raakvlak.errors import ExchangeError
from raakvlak.exchange import refi_media
from raakvlak.exchange.refi import (
    CODEBOOK_NS,
    PROJECT_NS,
    code_description,
    guid,
    project_namespace,
)
from raakvlak.files import atomic_write_bytes
from raakvlak.project import Project

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_NOT_VARIABLES = {"document_id", "sha256"}


def _origin() -> str:
    from raakvlak import __version__

    return f"raakvlak {__version__}"


def _time(value: Any) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _times(values: pd.Series) -> list[str]:
    """:func:`_time` of a whole column ("" where a time is missing)."""
    text = values.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return text.fillna("").tolist()


def _code_fields(code: Code) -> dict[str, str]:
    return {
        "label_nl": code.label_nl, "label_en": code.label_en,
        "full_definition": code.full_definition, "when_to_use": code.when_to_use,
        "when_not_to_use": code.when_not_to_use, "examples": "\n".join(code.examples),
        "framework": code.framework, "level": code.level, "status": code.status,
        "replaced_by": code.replaced_by or "", "to_complete": "true" if code.to_complete else "",
        "note": code.note, "id": code.id,
    }


class _Builder:
    """Builds the XML of one project export; every GUID comes from :meth:`guid`."""

    def __init__(self, project: Project):
        self.project = project
        self.ns = project_namespace(project.name)
        self.codebook = project.codebook

    def guid(self, kind: str, key: str) -> str:
        return guid(self.ns, kind, key)

    # ------------------------------------------------------------------ codes
    def codes_element(self, extra: list[str], code_notes: dict[str, list[str]]) -> ET.Element:
        codes = ET.Element("Codes")
        language = self.project.language

        def add(parent: ET.Element, code: Code) -> None:
            attributes = {
                "guid": self.guid("code", code.id),
                "name": code.label(language),
                "isCodable": "true" if code.live else "false",
                "color": code.colour,
            }
            element = ET.SubElement(parent, "Code", attributes)
            ET.SubElement(element, "Description").text = code_description(_code_fields(code), code.definition)
            for note in code_notes.get(code.id, []):
                ET.SubElement(element, "NoteRef", {"targetGUID": note})
            for child in self.codebook.children(code.id):
                add(element, child)

        for root in self.codebook.roots():
            add(codes, root)
        for code_id in extra:
            element = ET.SubElement(codes, "Code", {
                "guid": self.guid("code", code_id), "name": code_id, "isCodable": "true"})
            ET.SubElement(element, "Description").text = (
                f"Code found in the coding logs but not in the codebook.\n\nraakvlak id: {code_id}")
        return codes


def _variable_values(parent: ET.Element, values: dict[str, str], guids: dict[str, str]) -> None:
    for name, value in values.items():
        if value == "" or name not in guids:
            continue
        element = ET.SubElement(parent, "VariableValue")
        ET.SubElement(element, "VariableRef", {"targetGUID": guids[name]})
        ET.SubElement(element, "TextValue").text = value


def project_xml(project: Project) -> tuple[bytes, dict[str, str | bytes]]:
    """The ``project.qde`` of a project and the source files that go with it.

    Returns
    -------
    xml : bytes
        UTF-8 XML with declaration, indented.
    sources : dict
        ``sources/<guid>.txt`` -> canonical text, in corpus order; then the pictures and
        shared recordings, ``sources/<guid>.<ext>`` -> bytes (:mod:`raakvlak.exchange.refi_media`).
    """
    builder = _Builder(project)
    codebook = builder.codebook
    documents, speakers = project.corpus.documents, project.corpus.speakers
    state, _ = project.coding_state(merged=True)
    codings, memos = state.codings, state.memos
    known_documents = set(documents["document_id"])
    unknown_documents = sorted(set(codings["document_id"]) - known_documents)
    if unknown_documents:
        raise ExchangeError(
            f"the coding logs name document(s) not in corpus/documents.csv: "
            f"{', '.join(unknown_documents)}; run `raakvlak verify` and fix the corpus first")
    coders = sorted(set(project.settings.coders) | set(codings["coder"]) | set(memos["coder"]))
    user = {coder: builder.guid("user", coder) for coder in coders}
    root = ET.Element("Project", {"xmlns": PROJECT_NS, "name": project.name, "origin": _origin()})
    if coders:
        users = ET.SubElement(root, "Users")
        for coder in coders:
            ET.SubElement(users, "User", {"guid": user[coder], "name": coder, "id": coder})
    notes, note_elements = _notes(memos, builder, user)  # first: every object points at its notes
    extra_codes = sorted(set(codings["code_id"]) - set(codebook.ids))
    codes = builder.codes_element(extra_codes, {t: g for (on, t), g in notes.items() if on == "code"})
    if len(codes):
        ET.SubElement(root, "CodeBook").append(codes)
    document_variables = [c for c in documents.columns if c not in _NOT_VARIABLES]
    document_variables += refi_media.extra_variables(project, document_variables)
    speaker_variables = [c for c in speakers.columns if c not in {"document_id", "speaker"}]
    guids = _variables(root, builder, document_variables, speaker_variables)
    source_guid = {doc: builder.guid("source", doc) for doc in documents["document_id"]}
    speakers = speakers[speakers["document_id"].isin(known_documents)]
    if len(speakers):
        cases = ET.SubElement(root, "Cases")
        for row in speakers.to_dict("records"):
            case = ET.SubElement(cases, "Case", {
                "guid": builder.guid("case", f"{row['document_id']}\x1f{row['speaker']}"),
                "name": row["speaker"]})
            _variable_values(case, {c: row[c] for c in speaker_variables}, guids)
            ET.SubElement(case, "SourceRef", {"targetGUID": source_guid[row["document_id"]]})
    variable_guids = {c: guids[f"document:{c}"] for c in document_variables}
    files: dict[str, str | bytes] = dict(_sources(root, project, documents, codings, builder, user, notes,
                                                  source_guid, variable_guids))
    sources = root.find("Sources")
    if sources is None:  # no text documents: the media sources still come before Notes
        sources = ET.SubElement(root, "Sources")
    files |= refi_media.media_sources(sources, project, state.regions, builder.guid, user, notes, variable_guids)
    if not len(sources):
        root.remove(sources)
    if note_elements:
        ET.SubElement(root, "Notes").extend(note_elements)
    ET.SubElement(root, "Description").text = (
        "Exported by raakvlak. Positions are Unicode code points, 0-based, end-exclusive, "
        "on the text in sources/ (UTF-8, LF line ends).")
    exported_targets = {("coding", e) for e in codings["event_id"]} | {
        ("document", d) for d in known_documents} | {("code", c) for c in codebook.ids}
    exported_targets |= refi_media.exported_targets(project, state.regions)
    for (on, target), note_guids in sorted(notes.items()):
        if on == "project" or (on, target) not in exported_targets:
            for note in note_guids:
                ET.SubElement(root, "NoteRef", {"targetGUID": note})
    return _serialise(root), files


def _notes(memos: pd.DataFrame, builder: _Builder, user: dict[str, str]
           ) -> tuple[dict[tuple[str, str], list[str]], list[ET.Element]]:
    """Every memo as a ``Note``, and the notes of each object (``(on, target)`` -> guids)."""
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    elements: list[ET.Element] = []
    for memo in memos.sort_values(["on", "target", "coder", "event_id"]).itertuples(index=False):
        note_guid = builder.guid("note", f"{memo.coder}:{memo.on}:{memo.target}")
        note = ET.Element("Note", {"guid": note_guid, "name": f"{memo.on} memo by {memo.coder}",
                                   "creatingUser": user[memo.coder]})
        stamp = _time(memo.time)
        if stamp:
            note.set("creationDateTime", stamp)
        ET.SubElement(note, "PlainTextContent").text = memo.text
        elements.append(note)
        notes[(memo.on, memo.target)].append(note_guid)
    return notes, elements


def _variables(root: ET.Element, builder: _Builder, document_variables: list[str],
               speaker_variables: list[str]) -> dict[str, str]:
    """The ``Variables`` of documents and speakers; their guids, by name (speaker variables
    as such, document variables as ``document:<name>``)."""
    speaker_names = {c: f"speaker_{c}" if c in document_variables else c for c in speaker_variables}
    guids = {f"document:{c}": builder.guid("variable", f"document:{c}") for c in document_variables}
    guids |= {c: builder.guid("variable", f"speaker:{c}") for c in speaker_variables}
    if document_variables or speaker_variables:
        variables = ET.SubElement(root, "Variables")
        for name in document_variables:
            ET.SubElement(variables, "Variable", {"guid": guids[f"document:{name}"], "name": name,
                                                  "typeOfVariable": "Text"})
        for name in speaker_variables:
            ET.SubElement(variables, "Variable", {"guid": guids[name], "name": speaker_names[name],
                                                  "typeOfVariable": "Text"})
    return guids


def _sources(root: ET.Element, project: Project, documents: pd.DataFrame, codings: pd.DataFrame,
             builder: _Builder, user: dict[str, str], notes: dict[tuple[str, str], list[str]],
             source_guid: dict[str, str], variable_guids: dict[str, str]) -> dict[str, str]:
    """A ``TextSource`` per document with its selections; the texts by archive path."""
    files: dict[str, str] = {}
    sources = ET.SubElement(root, "Sources") if len(documents) else None
    by_document = {doc: group for doc, group in codings.groupby("document_id", sort=False)}
    for row in documents.to_dict("records"):
        doc = row["document_id"]
        text = project.corpus.text(doc)
        source = ET.SubElement(sources, "TextSource", {
            "guid": source_guid[doc], "name": doc, "plainTextPath": f"internal://{source_guid[doc]}.txt"})
        if row.get("title"):
            ET.SubElement(source, "Description").text = row["title"]
        if doc in by_document:
            _selections(source, by_document[doc], text, builder, user, notes)
        for note in notes.get(("document", doc), []):
            ET.SubElement(source, "NoteRef", {"targetGUID": note})
        _variable_values(source, {c: row[c] for c in variable_guids if c in row}, variable_guids)
        files[f"sources/{source_guid[doc]}.txt"] = text
    return files


def _selections(source: ET.Element, group: pd.DataFrame, text: str, builder: _Builder,
                user: dict[str, str], notes: dict[tuple[str, str], list[str]]) -> None:
    """A ``PlainTextSelection`` with its ``Coding`` per coding of one document."""
    group = group.sort_values(["start", "end", "coder", "code_id", "event_id"])
    stamps = _times(group["time"])
    columns = (group[c].tolist() for c in ("event_id", "start", "end", "coder", "code_id"))
    for (event_id, start, end, coder, code_id), stamp in zip(zip(*columns, strict=True), stamps, strict=True):
        selection = ET.SubElement(source, "PlainTextSelection", {
            "guid": builder.guid("selection", event_id), "name": text[start:end],
            "startPosition": str(start), "endPosition": str(end), "creatingUser": user[coder]})
        if stamp:
            selection.set("creationDateTime", stamp)
        element = ET.SubElement(selection, "Coding", {
            "guid": builder.guid("coding", event_id), "creatingUser": user[coder]})
        if stamp:
            element.set("creationDateTime", stamp)
        ET.SubElement(element, "CodeRef", {"targetGUID": builder.guid("code", code_id)})
        for note in notes.get(("coding", event_id), []):
            ET.SubElement(selection, "NoteRef", {"targetGUID": note})


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(value: str | None) -> str | None:
    """``value`` without the characters XML 1.0 cannot hold (control characters)."""
    return _NOT_XML.sub("", value) if value and _NOT_XML.search(value) else value


def _serialise(root: ET.Element) -> bytes:
    for element in root.iter():
        element.text = _clean(element.text)
        for key, value in element.attrib.items():
            element.set(key, _clean(value))
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def export_qdpx(project: Project, path: str | Path) -> Path:
    """Write the project as a REFI-QDA project file (``.qdpx``); returns the path.

    Parameters
    ----------
    project : the project.
    path : the file to write (replaced atomically).

    Raises
    ------
    ExchangeError
        When the coding logs name documents the corpus does not have.
    """
    xml, sources = project_xml(project)
    files = {"project.qde": xml, **{name: data.encode("utf-8") if isinstance(data, str) else data
                                    for name, data in sources.items()}}
    target = Path(path)
    atomic_write_bytes(target, _zip(files))
    return target


def codebook_xml(project: Project) -> bytes:
    """The REFI-QDA codebook (``.qdc``) XML of a project's codebook."""
    builder = _Builder(project)
    root = ET.Element("CodeBook", {"xmlns": CODEBOOK_NS, "origin": _origin()})
    root.append(builder.codes_element([], {}))
    return _serialise(root)


def export_qdc(project: Project, path: str | Path) -> Path:
    """Write the project's codebook as a REFI-QDA codebook file (``.qdc``); returns the path."""
    target = Path(path)
    atomic_write_bytes(target, codebook_xml(project))
    return target
