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
