// raakvlak widgets: the one DOM helper every widget module starts with (see pane.py)

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}
