// raakvlak passage pane: shows a document (HTML made in Python) and reports what the
// researcher selects. No decisions here: the selection goes to Python as the synced
// trait `selection` = {start, end, text} in UTF-16 units ({} when nothing is selected);
// Python converts, checks and links it. selectionSpan comes from selection.js, which is
// loaded in front of this file (see PassageView._esm).

const TURN_TITLE = "Select this whole turn, then click “Link selection” at a step";

function render({ model, el: root }) {
  root.classList.add("rv-root", "rv-passages");
  const pane = document.createElement("div");
  pane.className = "rv-pane";
  pane.style.maxHeight = "560px";
  root.appendChild(pane);

  function choose(span) {
    model.set("selection", span || {});
    model.save_changes();
  }

  function drawHtml() {
    const before = pane.firstElementChild;
    const top = pane.scrollTop;
    pane.innerHTML = model.get("html");
    const after = pane.firstElementChild;
    if (before && after && before.dataset.doc === after.dataset.doc) pane.scrollTop = top;
    for (const button of pane.querySelectorAll(".rv-code-turn")) button.title = TURN_TITLE;
  }

  pane.addEventListener("mouseup", (event) => {
    if (event.target.closest(".rv-code-turn")) return;
    setTimeout(() => choose(selectionSpan(pane)), 0);
  });

  // the turn's button selects its whole text
  pane.addEventListener("click", (event) => {
    const button = event.target.closest(".rv-code-turn");
    if (!button) return;
    event.preventDefault();
    const turn = button.closest(".rv-turn");
    const text = turn.querySelector(".rv-text");
    const range = document.createRange();
    range.selectNodeContents(text);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    choose({ start: Number(turn.dataset.o), end: Number(turn.dataset.e), text: text.textContent });
  });

  // Python emptied the selection (linked, or another document): drop the highlight too
  model.on("change:selection", () => {
    const selection = window.getSelection();
    const chosen = model.get("selection");
    if (chosen && chosen.end !== undefined) return;
    if (selection.rangeCount && pane.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      selection.removeAllRanges();
    }
  });
  model.on("change:html", drawHtml);
  drawHtml();
}

export default { render };
