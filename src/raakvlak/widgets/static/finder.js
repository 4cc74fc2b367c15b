// raakvlak finder: search in the open document with next and previous. Python finds the
// places (model trait "found": {query, hits: [[start, end], ...]} in UTF-16 units); this
// part marks them (CSS highlights where the browser has them), steps through them and
// selects the current one, so a code can be applied to it at once.

function makeFinder(model, pane, onMatch) {
  const box = document.createElement("span");
  box.className = "rv-finder";
  const input = document.createElement("input");
  input.type = "search";
  input.className = "rv-find";
  input.placeholder = "Find in document (Ctrl+F)";
  const back = document.createElement("button");
  back.className = "rv-button rv-find-prev";
  back.textContent = "▲";
  back.title = "Previous match (Shift+Enter)";
  const forth = document.createElement("button");
  forth.className = "rv-button rv-find-next";
  forth.textContent = "▼";
  forth.title = "Next match (Enter)";
  const count = document.createElement("span");
  count.className = "rv-find-count";
  box.append(input, back, forth, count);

  let hits = [];
  let current = -1;
  let asked = "";
  let timer = null;
  const marking = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight !== "undefined";

  function ask(query) {
    asked = query;
    model.send({ type: "search", query });
  }

  function show() {
    const pieces = piecesOf(pane);
    if (marking) {
      const ranges = hits.map(([s, e]) => rangeAt(pieces, s, e)).filter(Boolean);
      CSS.highlights.set("rv-found", new Highlight(...ranges));
      const now = current >= 0 ? rangeAt(pieces, ...hits[current]) : null;
      if (now) CSS.highlights.set("rv-found-now", new Highlight(now));
      else CSS.highlights.delete("rv-found-now");
    }
    count.textContent = !input.value.trim() ? "" : hits.length ? `${current + 1} / ${hits.length}` : "not found";
    count.classList.toggle("rv-bad", Boolean(input.value.trim()) && !hits.length);
  }

  function step(direction) {
    const query = input.value.trim();
    if (query !== asked) {
      ask(query);
      return;
    }
    if (!hits.length) return;
    current = (current + direction + hits.length) % hits.length;
    show();
    const range = rangeAt(piecesOf(pane), ...hits[current]);
    if (!range) return;
    const element = range.startContainer.parentElement;
    if (element) element.scrollIntoView({ block: "center" });
    onMatch(range, hits[current]);
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => ask(input.value.trim()), 250);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      step(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape") {
      input.value = "";
      ask("");
      input.blur();
    }
    event.stopPropagation();
  });
  back.addEventListener("click", () => step(-1));
  forth.addEventListener("click", () => step(1));

  model.on("change:found", () => {
    const found = model.get("found") || {};
    if (found.query !== asked) return; // an answer to an older question
    hits = found.hits || [];
    current = -1;
    show();
    if (hits.length && document.activeElement === input) step(1);
  });

  return {
    box,
    focus() {
      input.focus();
      input.select();
    },
    redraw: show, // the document was drawn again: mark the same places
  };
}
