"""The code palette of the coding pane: recent codes (keys 1-9), then the code tree.

A pure function of the codebook, so it is snapshot-tested like the document HTML. Each
row carries its code's card (path, id, definition, rules, an example), which the pane
shows in the palette's own info area, never over the text being read.
"""

from __future__ import annotations

from html import escape

from raakvlak.coding.codebook import Codebook


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def render_palette(codebook: Codebook, language: str = "nl", recent: tuple[str, ...] = ()) -> str:
    """The code palette: recent codes (keys 1-9), then the live codes as a tree.

    Every row carries the code id (``data-code``) and a hidden card with the path,
    definition and rules, shown when the mouse is over the row.

    Examples
    --------
    >>> html = render_palette(example_codebook(), "en", recent=("barrier.regie",))
    >>> '<kbd>1</kbd>' in html, 'data-code="inductive.waiting_list"' in html   # merged: not offered
    (True, False)
    """
    rows = ['<div class="rv-recent">']
    for number, code_id in enumerate(recent[:9], start=1):
        if code_id not in codebook:
            continue
        code = codebook[code_id]
        rows.append(
            f'<button class="rv-code rv-recent-code" data-code="{_attr(code_id)}" '
            f'title="key {number}: {_attr(code.label(language))}">'
            f'<kbd>{number}</kbd><i class="rv-swatch" style="background:{_attr(code.colour)}"></i>'
            f"{escape(code.label(language))}</button>"
        )
    rows.append("</div><div class=\"rv-tree\">")
    for code in codebook:
        if not code.live:
            continue
        depth = codebook.depth(code.id)
        card = [f"<b>{escape(codebook.path(code.id, language))}</b>",
                f"<div><code>{escape(code.id)}</code></div>"]
        for name, value in (("Definition", code.definition), ("Use when", code.when_to_use),
                            ("Do not use when", code.when_not_to_use)):
            if value:
                card.append(f"<p><em>{name}:</em> {escape(value)}</p>")
        if code.examples:
            card.append(f"<p><em>Example:</em> “{escape(code.examples[0])}”</p>")
        search = f"{code.id} {code.label_nl} {code.label_en}".lower()
        rows.append(
            f'<div class="rv-code-row" data-depth="{depth}" data-search="{_attr(search)}" '
            f'style="padding-left:{depth * 14}px">'
            f'<button class="rv-code" data-code="{_attr(code.id)}">'
            f'<i class="rv-swatch" style="background:{_attr(code.colour)}"></i>'
            f"{escape(code.label(language))}</button>"
            f'<div class="rv-card">{"".join(card)}</div></div>'
        )
    rows.append("</div>")
    return "".join(rows)
