"""What the coding pane asks for, one method per message, each a call into the library.

:class:`CodingActions` is the part of :class:`~raakvlak.widgets.coding.CodingWidget`
that answers the pane's messages. A method returns True when it wrote to the log (the
widget then shows the new state and tells the other open widgets); it raises a
:class:`~raakvlak.errors.RaakvlakError` to refuse, which the pane shows as one line.
Offsets arrive and leave as UTF-16 units and are converted here, at the boundary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from raakvlak.coding.codebook_changes import CodebookChanges
from raakvlak.coding.spans import find_phrase
from raakvlak.errors import CodingError
from raakvlak.widgets.offsets import codepoints_to_utf16, utf16_to_codepoints

if TYPE_CHECKING:
    from raakvlak.widgets.coding import CodingWidget


class CodingActions:
    """The pane's messages (see the module docstring of :mod:`raakvlak.widgets.coding`)."""

    def _span(self: CodingWidget, message: dict[str, Any]) -> tuple[int, int]:
        text = self.session.text(self.document_id)
        return (utf16_to_codepoints(text, message["start"]),
                utf16_to_codepoints(text, message["end"]))

    def _do_select(self: CodingWidget, message: dict[str, Any]) -> bool:
        """A selection made: answer with the span that would be coded (snapped)."""
        text = self.session.text(self.document_id)
        start, end = self.session.select(self.document_id, *self._span(message),
                                         exact=bool(message.get("exact")))
        self.view.selection = {"start": codepoints_to_utf16(text, start),
                               "end": codepoints_to_utf16(text, end),
                               "text": text[start:end], "n": message.get("n", 0)}
        return False

    def _do_code(self: CodingWidget, message: dict[str, Any]) -> bool:
        start, end = self._span(message)
        self.session.code(self.document_id, start, end, message["code_id"], memo=message.get("memo"),
                          whole_words=not message.get("exact"))
        return True

    def _do_code_segment(self: CodingWidget, message: dict[str, Any]) -> bool:
        segment_id = message["segment_id"]
        if not str(segment_id).startswith(f"{self.document_id}:"):
            raise CodingError(f"segment {segment_id!r} is not in the open document {self.document_id!r}")
        self.session.code_segment(segment_id, message["code_id"])
        return True

    def _do_in_vivo(self: CodingWidget, message: dict[str, Any]) -> bool:
        start, end = self._span(message)
        self.session.in_vivo(self.document_id, start, end, whole_words=not message.get("exact"))
        self._codebook_changed_here()
        return True

    def _do_create_code(self: CodingWidget, message: dict[str, Any]) -> bool:
        """Enter in the palette's search box: the code of that name (made when there is
        none yet), applied to the selection or the turn when there is one."""
        name = " ".join(str(message.get("name", "")).split())
        if not name:
            raise CodingError("type the name of a code, then press Enter")
        codebook = self.session.codebook
        same = [c for c in codebook if c.live and name.casefold() in
                (c.label_nl.casefold(), c.label_en.casefold(), c.id)]
        if same:
            code_id, made = same[0].id, False
        else:
            parent = next((c.id for c in codebook.roots() if c.live and "induct" in c.id), None)
            code_id = CodebookChanges(self.project, self.coder).new_code(name, parent).id
            made = True
            self._codebook_changed_here()
        applied = ""
        if message.get("segment_id"):
            self._do_code_segment({"segment_id": message["segment_id"], "code_id": code_id})
            applied = " and applied to the turn"
        elif message.get("start") is not None and message.get("end") is not None:
            self._do_code({**message, "code_id": code_id})
            applied = " and applied"
        self._note = f"{'new code' if made else 'code'} {name!r} ({code_id}){' made' if made else ''}{applied}"
        self._refresh_palette()
        return bool(applied)

    def _do_uncode(self: CodingWidget, message: dict[str, Any]) -> bool:
        self.session.uncode(message["event_id"])
        self.view.inspected = []
        return True

    def _do_memo(self: CodingWidget, message: dict[str, Any]) -> bool:
        self.session.memo("coding", message["event_id"], str(message.get("text", "")))
        self.view.inspected = self._inspect([message["event_id"]])
        return True

    def _do_reload(self: CodingWidget, _message: dict[str, Any]) -> bool:
        self.reload()
        return False

    def _do_inspect(self: CodingWidget, message: dict[str, Any]) -> bool:
        self.view.inspected = self._inspect(list(message["event_ids"]))
        return False

    def _do_undo(self: CodingWidget, _message: dict[str, Any]) -> bool:
        if self.session.undo() is None:
            self._note = "nothing to undo: your log has no action left to take back"
            return False
        self.view.inspected = []
        return True

    def _do_redo(self: CodingWidget, _message: dict[str, Any]) -> bool:
        if self.session.redo() is None:
            self._note = "nothing to redo"
            return False
        return True

    def _do_search(self: CodingWidget, message: dict[str, Any]) -> bool:
        """Every place of a phrase in the open document, as UTF-16 spans."""
        text = self.session.text(self.document_id)
        query = str(message.get("query", ""))
        hits = [[codepoints_to_utf16(text, s), codepoints_to_utf16(text, e)]
                for s, e in find_phrase(text, query)]
        self.view.found = {"query": query, "hits": hits, "n": self._bump()}
        return False

    def _do_next_uncoded(self: CodingWidget, message: dict[str, Any]) -> bool:
        text = self.session.text(self.document_id)
        after = message.get("after", -1)
        after = -1 if after is None or after < 0 else utf16_to_codepoints(text, after)
        backwards = bool(message.get("backwards", False))
        if backwards and after < 0:
            after = len(text) + 1
        row = self.session.next_uncoded(self.document_id, after=after, level=self.level,
                                        backwards=backwards)
        if row is None:
            where = "before" if backwards else "after"
            raise CodingError(f"no uncoded {self.level} {where} this point in {self.document_id!r}")
        self.view.focus = {"segment_id": str(row["segment_id"]),
                           "offset": codepoints_to_utf16(text, int(row["start"])), "n": self._bump()}
        return False

    def _inspect(self: CodingWidget, event_ids: list[str]) -> list[dict[str, Any]]:
        rows = []
        tables = [self.session.codings(self.document_id)]
        if self.other_coder and not self.blind:
            tables.append(self._other_codings())
        codebook = self.session.codebook
        for table in tables:
            for row in table[table["event_id"].isin(event_ids)].itertuples(index=False):
                known = row.code_id in codebook
                rows.append({
                    "event_id": row.event_id, "code_id": row.code_id,
                    "label": codebook.label(row.code_id, self.language) if known else row.code_id,
                    "colour": codebook[row.code_id].colour if known else "#7f7f7f",
                    "coder": row.coder, "quote": row.quote,
                    "time": pd.Timestamp(row.time).strftime("%Y-%m-%d %H:%M UTC"),
                    "memo": row.memo or "", "own": row.coder == self.coder,
                })
        return rows
