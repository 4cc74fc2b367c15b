// raakvlak: where a text selection lies in a document pane, in UTF-16 units (what the
// DOM counts). Shared by the coding pane (coding.js) and the passage pane (passage.js):
// each widget's module is this file followed by its own. Pieces of text carry their
// start offset as data-o (made in Python by raakvlak.widgets.render).

// UTF-16 offset of a DOM point inside the document pane, or null outside any piece
function pointOffset(pane, node, offset) {
  const element = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  const piece = element && element.closest ? element.closest(".rv-p[data-o]") : null;
  if (!piece || !pane.contains(piece)) return null;
  const base = Number(piece.dataset.o);
  if (node.nodeType === Node.TEXT_NODE) return base + offset;
  return base + (offset > 0 ? piece.textContent.length : 0);
}

// the selection as {start, end, text} in UTF-16 units, or null
function selectionSpan(pane) {
  const selection = window.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!pane.contains(range.commonAncestorContainer)) return null;
  const pieces = Array.from(pane.querySelectorAll(".rv-p[data-o]")).filter((p) =>
    range.intersectsNode(p),
  );
  if (pieces.length === 0) return null;
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  let start = pointOffset(pane, range.startContainer, range.startOffset);
  let end = pointOffset(pane, range.endContainer, range.endOffset);
  if (start === null) start = Number(first.dataset.o);
  if (end === null) end = Number(last.dataset.o) + last.textContent.length;
  if (end <= start) return null;
  return { start, end, text: selection.toString() };
}

// the selectable pieces of a pane in text order (their data-o grows)
function piecesOf(pane) {
  return Array.from(pane.querySelectorAll(".rv-p[data-o]"));
}

// a DOM Range over UTF-16 offsets [start, end) of the text, or null outside the pieces
function rangeAt(pieces, start, end) {
  function point(offset, atEnd) {
    let low = 0;
    let high = pieces.length - 1;
    let found = -1;
    while (low <= high) { // the last piece starting at (or, for an end, before) offset
      const middle = (low + high) >> 1;
      const o = Number(pieces[middle].dataset.o);
      if (o < offset || (!atEnd && o === offset)) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (found < 0) return null;
    const node = pieces[found].firstChild;
    if (!node) return null;
    const local = Math.min(offset - Number(pieces[found].dataset.o), node.textContent.length);
    return { node, local };
  }
  const a = point(start, false);
  const b = point(end, true);
  if (!a || !b) return null;
  const range = document.createRange();
  range.setStart(a.node, a.local);
  range.setEnd(b.node, b.local);
  return range;
}
