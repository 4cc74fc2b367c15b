"""Small file helpers shared by every writer: atomic replacement and reproducible Office files."""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

FIXED_TIME = datetime(2000, 1, 1, 0, 0, 0)
"""The creation and modification time written into every XLSX and DOCX, so that the
same content gives the same bytes."""

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, are fsynced, and then
    replace ``path`` with :func:`os.replace`, which is atomic on POSIX and Windows.
    ``durable=False`` skips the fsync: for derived data (caches), which a crash may
    leave empty or short, and whose readers check it and rebuild it then.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); give it the mode a normal write would
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 (no BOM, ``\\n`` line ends as given) atomically."""
    atomic_write_bytes(path, text.encode("utf-8"))


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite an XLSX or DOCX (a zip) with fixed member dates and fixed document times."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = content.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    text = re.sub(rf"(<{tag}\b[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{stamp}\g<2>", text)
                content = text.encode("utf-8")
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, content)
    return out.getvalue()


def docx_bytes(document: object, title: str) -> bytes:
    """The bytes of a python-docx ``document``, the same for the same content.

    The core properties (author, dates, revision) are fixed and the zip is rewritten
    with fixed member dates, so a report made twice from the same data is the same file.
    """
    properties = document.core_properties  # type: ignore[attr-defined]
    properties.title = title
    properties.author = "raakvlak"
    properties.last_modified_by = "raakvlak"
    properties.revision = 1
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    properties.last_printed = FIXED_TIME
    buffer = io.BytesIO()
    document.save(buffer)  # type: ignore[attr-defined]
    return reproducible_zip(buffer.getvalue())


def save_docx(document: object, path: str | Path, title: str) -> Path:
    """Save a python-docx ``document`` atomically with :func:`docx_bytes`."""
    target = Path(path)
    atomic_write_bytes(target, docx_bytes(document, title))
    return target
