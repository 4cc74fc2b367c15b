"""One regular expression that matches any of many words (names in the key, candidates).

The words make a trie, written as nested alternatives by first character, so the
expression tries each word's characters once and prefers the longest word. In a word,
a space matches spaces or one line break (never a blank line: a name does not run
across turns), and an apostrophe matches either apostrophe.

Examples
--------
>>> import re
>>> re.fullmatch(trie_pattern(["Anna", "Anna de Vries"]), "Anna de\\nVries") is not None
True
"""

from __future__ import annotations

import re

SEPARATOR = r"(?:[^\S\n]*\n[^\S\n]*|[^\S\n]+)"  # spaces, at most one line break


def char_pattern(ch: str) -> str:
    if ch == " ":
        return SEPARATOR
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


def trie_pattern(words: list[str]) -> str:
    """One regular expression matching any of ``words``, longest first (a space matches
    spaces and one line break, an apostrophe either apostrophe)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [char_pattern(ch) + build(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if ends else body

    return build(trie)
