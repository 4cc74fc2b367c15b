"""``coding/codebook.yaml`` as a file people edit: the YAML round trip and its comments.

The codebook is read and written with ``ruamel.yaml``'s round trip, so the comments,
key order, quotes and block scalars of a hand-edited file survive every change made by
raakvlak. This module holds what that needs: the configured parser, the line number of
a node (for messages), folding long new text, and moving the comments that trail the
last entry of a list when an entry is added after it.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString
from ruamel.yaml.tokens import CommentToken


def yaml_parser() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, key order, quotes and block scalars
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap text a person wrapped; new text is folded below
    return yaml


def folded(text: str, width: int = 80) -> str:
    """``text`` as it should be written: folded over several lines when it is long."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    folded = FoldedScalarString(text)
    positions, index = [], 0
    for part in textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)[:-1]:
        index += len(part)
        positions.append(index)
        index += 1
    folded.fold_pos = positions
    return folded


def _last_slot(node: Any) -> tuple[list[Any], Any, int] | None:
    """The containers down the last branch of ``node`` and its last scalar's comment slot.

    A flow-style container (``{nl: A, en: B}``) counts as a scalar: a comment put inside
    it would be written before its closing brace."""
    chain: list[Any] = []
    current = node
    while isinstance(current, CommentedMap | CommentedSeq) and len(current):
        chain.append(current)
        last = list(current)[-1] if isinstance(current, CommentedMap) else len(current) - 1
        child = current[last]
        if isinstance(child, CommentedMap | CommentedSeq) and len(child) and not child.fa.flow_style():
            current = child
            continue
        return chain, last, 2 if isinstance(current, CommentedMap) else 0
    return None


def take_trailing_comments(node: Any) -> str:
    """Detach the whole-line comments after the last element of ``node``; return their text.

    ruamel.yaml attaches a comment on the lines after a block to that block's last
    scalar (or to the end of a container). Something appended to the block would then
    land below the comment, which belongs to whatever followed: so the comment is
    taken off here and put back after the new element with :func:`put_trailing_comments`.
    """
    found = _last_slot(node)
    if found is None:
        return ""
    chain, last, slot = found
    parts: list[str] = []
    entry = chain[-1].ca.items.get(last)
    if entry and len(entry) > slot and entry[slot] is not None:
        token = entry[slot]
        head, newline, tail = token.value.partition("\n")
        if tail:
            token.value = head + newline
            parts.append(tail)
    for container in reversed(chain):
        for token in container.ca.end or []:
            indent = " " * (token.column or 0) if token.value.startswith("#") else ""
            parts.append(indent + token.value)
        if container.ca.end:
            container.ca.end = []
    return "".join(parts)


def put_trailing_comments(node: Any, text: str) -> None:
    """Attach comment ``text`` (whole lines) after the last element of ``node``."""
    found = _last_slot(node) if text else None
    if found is None:
        return
    chain, last, slot = found
    entry = chain[-1].ca.items.setdefault(last, [None, None, None, None])
    if entry[slot] is None:
        entry[slot] = CommentToken("\n" + text, CommentMark(0), None)
    else:
        value = entry[slot].value
        entry[slot].value = value + ("" if value.endswith("\n") else "\n") + text


def line_of(node: Any, key: Any = None) -> int | None:
    """1-based line of a mapping (or of one of its keys) in the source, if known."""
    try:
        if key is not None and isinstance(node, CommentedMap) and key in node:
            return node.lc.key(key)[0] + 1
        return node.lc.line + 1
    except (AttributeError, KeyError, TypeError):
        return None


def item_line_of(seq: Any, index: int) -> int | None:
    try:
        return seq.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return None
