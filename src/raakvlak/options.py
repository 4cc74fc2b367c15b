"""Command-line options of the form ``NAME=VALUE`` (one parser for every command).

``--var``, ``--set``, ``--where`` and ``reproduce -p`` all take ``NAME=VALUE``; a
filter (``--where``) may list several values, comma-separated, and may be repeated:
the values of one name add up. A leaf module: it imports nothing of raakvlak but its
error.

Examples
--------
>>> name_value("school=De Linde", "--var")
('school', 'De Linde')
>>> where_filter(["school=De Linde,Het Baken", "role=leerkracht", "school=De Esch"])
{'school': ['De Linde', 'Het Baken', 'De Esch'], 'role': ['leerkracht']}
"""

from __future__ import annotations

from collections.abc import Iterable

from raakvlak.errors import RaakvlakError


def name_value(item: str, option: str, form: str = "NAME=VALUE", python_name: bool = False) -> tuple[str, str]:
    """Split one ``NAME=VALUE`` option; a clear error names the option and the form.

    Parameters
    ----------
    item
        The text given on the command line.
    option
        The option's name, for the message (``--var``).
    form
        How the option is written, for the message (``SPEAKER=ROLE``).
    python_name
        The name must be a Python identifier (a notebook parameter).

    Examples
    --------
    >>> name_value(" Docent 1 = leerkracht ", "--set", "SPEAKER=ROLE")
    ('Docent 1', 'leerkracht')
    >>> name_value("no value", "--var")
    Traceback (most recent call last):
    ...
    raakvlak.errors.RaakvlakError: --var takes NAME=VALUE, not 'no value'
    """
    name, sep, value = item.partition("=")
    name = name.strip()
    if not sep or not name or (python_name and not name.isidentifier()):
        kind = " with a Python name" if python_name else ""
        raise RaakvlakError(f"{option} takes {form}{kind}, not {item!r}")
    return name, value.strip()


def where_filter(items: Iterable[str] | None, option: str = "--where") -> dict[str, list[str]]:
    """``NAME=VALUE[,VALUE]`` filters, repeatable, as ``{name: [values]}``.

    Examples
    --------
    >>> where_filter(["kind=transcript,notes"])
    {'kind': ['transcript', 'notes']}
    >>> where_filter(None)
    {}
    """
    where: dict[str, list[str]] = {}
    for item in items or []:
        name, value = name_value(item, option, "NAME=VALUE[,VALUE]")
        where.setdefault(name, []).extend(v.strip() for v in value.split(","))
    return where
