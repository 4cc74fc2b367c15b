"""Markdown read as structure, not kept as text.

A Markdown file (``.md``) is read line by line: heading markers (``#``), blockquote
markers (``>``), hard-break backslashes at line ends, emphasis (``**bold**``,
``__bold__``, ``*italic*``, ``_italic_``, ``` `code` ```) and link markup
(``[text](address)`` becomes ``text (address)``) are taken away; paragraphs stay
paragraphs and list items stay lines. Headings are returned apart, so that the
importer can leave them out of a transcript (a heading is no turn) and keep them as
paragraphs of notes.

Examples
--------
>>> text, headings = plain_text("# Interview\\n> **I:** Hoe gaat het?\\\\\\n> Goed.\\n")
>>> print(text, end="")
Interview
<BLANKLINE>
I: Hoe gaat het?
Goed.
>>> headings
['Interview']
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_QUOTE = re.compile(r"^ {0,3}>\s?")
_HARD_BREAK = re.compile(r"(?:\\| {2,})$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_STRONG = re.compile(r"(?<![\w*])(\*\*|__)(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"!?\[([^\]\n]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")


def _inline(line: str) -> str:
    """A line without its inline markup."""
    line = _LINK.sub(lambda m: f"{m[1]} ({m[2]})" if m[1] and m[2] else m[1] or m[2], line)
    line = _CODE.sub(r"\1", line)
    line = _STRONG.sub(r"\2", line)
    return _EMPHASIS.sub(r"\2", line)


def plain_text(markdown: str) -> tuple[str, list[str]]:
    """The text of a Markdown document without its markup, and its headings.

    Returns
    -------
    text : the lines as written, markup taken away (a heading is a line of its own,
        between blank lines).
    headings : the text of each heading, in order.
    """
    lines = markdown.split("\n")
    out: list[str] = []
    headings: list[str] = []
    fenced = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            out.append(line)
            continue
        while _QUOTE.match(line):
            line = _QUOTE.sub("", line, count=1)
        heading = _HEADING.match(line)
        underline = index + 1 < len(lines) and line.strip() and _SETEXT.match(lines[index + 1]) \
            and not _RULE.match(line)
        if heading or underline:
            title = _inline(heading[2] if heading else line.strip())
            headings.append(title)
            out += [title, ""] if not out or out[-1] == "" else ["", title, ""]
            continue
        if _SETEXT.match(line) and out and out[-1] == "" and headings:
            continue  # the underline of a heading read above
        if _RULE.match(line):
            out.append("")
            continue
        out.append(_inline(_HARD_BREAK.sub("", line.rstrip())))
    return "\n".join(out), headings
