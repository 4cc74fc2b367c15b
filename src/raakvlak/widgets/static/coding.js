// raakvlak coding pane: shows HTML made in Python and sends what the researcher does.
// No decisions here: offsets go out as UTF-16 units (what the DOM counts) and Python
// converts them, snaps them to words, checks them and writes the log. selectionSpan,
// piecesOf and rangeAt come from selection.js, layoutMargin and pickCoding from
// margin.js, makeFinder from finder.js: they are loaded in front of this file.

const HELP =
  "Select words (they grow to whole words; hold Alt as you let go for exact characters), then click a code, " +
  "press 1-9 for a recent one, or type a code's name and press Enter. Ctrl+Z undo, " +
  "Ctrl+Shift+Z redo, Ctrl+F find, n / p next / previous uncoded turn, Esc clears.";

const SAVED_NOTE = "Every action is written to your coding log before it is shown.";

function render({ model, el: root }) {
  root.classList.add("rv-root");
  root.tabIndex = 0;
  root.setAttribute("data-lm-suppress-shortcuts", "true");

  const pane = el("div", "rv-pane");
  const bar = el("div", "rv-toolbar");
  const buttons = {};
  for (const [name, label, title] of [
    ["undo", "↶ Undo", "Undo your last action, also one of an earlier session (Ctrl+Z)"],
    ["redo", "↷ Redo", "Redo (Ctrl+Shift+Z)"],
    ["prev", "◀ uncoded", "Previous uncoded turn (p)"],
    ["next", "uncoded ▶", "Next uncoded turn (n)"],
    ["margin-toggle", "▥ Margin", "Show or hide the margin with a bar per coding"],
    ["reload", "↻ Refresh", "Show new codes, documents and the other coder's work (the team's changes)"],
  ]) {
    buttons[name] = el("button", "rv-button rv-" + name, label);
    buttons[name].title = title;
    bar.appendChild(buttons[name]);
  }
  const finder = makeFinder(model, pane, (range, hit) => {
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    setPending({ start: hit[0], end: hit[1], text: range.toString(), exact: true });
  });
  bar.appendChild(finder.box);
  const status = el("span", "rv-status", "");
  status.title = SAVED_NOTE;
  bar.appendChild(status);

  const recentRow = el("div", "rv-recent-row");
  recentRow.title = "Recent codes: press 1-9 to apply one to the selection";
  const main = el("div", "rv-main");
  const side = el("aside", "rv-palette");
  const selected = el("div", "rv-selected", HELP);
  const search = el("input", "rv-search");
  search.type = "search";
  search.placeholder = "Find a code, or type a new one + Enter";
  const invivo = el("button", "rv-button rv-invivo", "In vivo");
  invivo.title = "Make a new code named after the selected words and apply it";
  const tools = el("div", "rv-tools");
  tools.append(search, invivo);
  const codes = el("div", "rv-codes");
  const info = el("div", "rv-info", "Point at a code to read its definition and rules.");
  side.append(selected, tools, codes, info);
  main.append(pane, side);
  const error = el("div", "rv-error");
  error.hidden = true;
  error.title = "Click to close";
  const pop = el("div", "rv-pop");
  pop.hidden = true;
  root.append(bar, recentRow, error, main, pop);

  let pending = null; // {start, end, text, exact} or {segment, text}
  let cursor = -1; // UTF-16 offset the uncoded navigation starts from
  let asked = 0; // number of the last selection sent to be snapped

  function send(message) {
    status.textContent = "saving …";
    status.classList.add("rv-saving");
    model.send(message);
  }

  function setPending(value) {
    pending = value;
    root.classList.toggle("rv-has-pending", Boolean(value));
    if (!value) {
      selected.textContent = HELP;
      return;
    }
    const words = value.text.replace(/\s+/g, " ").trim();
    selected.textContent = "";
    selected.append(
      el("b", "", value.segment ? "Whole turn: " : "Selected: "),
      el("q", "", words.length > 120 ? words.slice(0, 119) + "…" : words),
      el("div", "rv-hint", "Click a code, press 1-9, or type a name + Enter."),
    );
  }

  function target() {
    if (!pending) {
      const span = selectionSpan(pane);
      if (span) setPending({ ...span, exact: false });
    }
    return pending;
  }

  function apply(codeId) {
    const span = target();
    if (!span) {
      showError("Select some words (or a whole turn) first, then pick a code.");
      return;
    }
    if (span.segment) send({ type: "code_segment", segment_id: span.segment, code_id: codeId });
    else send({ type: "code", start: span.start, end: span.end, code_id: codeId, exact: span.exact });
    cursor = span.end || cursor;
    setPending(null);
    window.getSelection().removeAllRanges();
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  // replace only the turns that changed, so a new highlight shows at once in long documents
  function drawHtml() {
    const started = performance.now();
    const template = document.createElement("template");
    template.innerHTML = model.get("html");
    const fresh = template.content.firstElementChild;
    const shown = pane.firstElementChild;
    const same =
      fresh && shown && fresh.className === shown.className &&
      fresh.dataset.doc === shown.dataset.doc &&
      fresh.children.length === shown.children.length;
    if (!same) {
      const top = pane.scrollTop;
      pane.replaceChildren(template.content);
      pane.scrollTop = fresh && shown && fresh.dataset.doc === shown.dataset.doc ? top : 0;
    } else {
      const olds = Array.from(shown.children);
      const news = Array.from(fresh.children);
      for (let i = 0; i < news.length; i++) {
        if (!olds[i].isEqualNode(news[i])) shown.replaceChild(news[i], olds[i]);
      }
    }
    const marginMs = layoutMargin(pane);
    finder.redraw();
    root.dataset.drawMs = (performance.now() - started).toFixed(1);
    root.dataset.marginMs = marginMs.toFixed(1);
  }

  function drawPalette() {
    codes.innerHTML = model.get("palette");
    // recent codes live in their own fixed row, so the code tree never moves under the mouse
    const recent = codes.querySelector(".rv-recent");
    recentRow.replaceChildren(el("span", "rv-recent-label", "Recent:"));
    if (recent) {
      recentRow.append(...recent.childNodes);
      recent.remove();
    }
    if (recentRow.children.length === 1) recentRow.append(el("span", "rv-recent-label", "none yet (keys 1-9 apply them)"));
    filterCodes();
  }

  function filterCodes() {
    const words = search.value.toLowerCase().trim().split(/\s+/).filter(Boolean);
    for (const row of codes.querySelectorAll(".rv-code-row")) {
      const hay = row.dataset.search || "";
      row.hidden = !words.every((w) => hay.includes(w));
    }
  }

  function drawStatus() {
    status.classList.remove("rv-saving");
    const text = model.get("status");
    status.textContent = text.startsWith("error") ? "not saved" : text;
    status.title = (text ? status.textContent + "\n" : "") + SAVED_NOTE;
    status.classList.toggle("rv-bad", text.startsWith("error"));
  }

  function drawMargin() {
    root.classList.toggle("rv-with-margin", model.get("margin"));
    buttons["margin-toggle"].setAttribute("aria-pressed", String(model.get("margin")));
    layoutMargin(pane);
  }

  function drawInspected() {
    const items = model.get("inspected");
    pop.innerHTML = "";
    if (!items.length) {
      pop.hidden = true;
      pickCoding(pane, null);
      return;
    }
    const close = el("button", "rv-close", "×");
    close.title = "Close (Esc)";
    close.addEventListener("click", closePop);
    pop.appendChild(close);
    for (const item of items) {
      const card = el("div", "rv-item");
      const head = el("div", "rv-item-head");
      const swatch = el("i", "rv-swatch");
      swatch.style.background = item.colour;
      head.append(swatch, el("b", "", item.label), el("span", "rv-meta", ` ${item.coder} · ${item.time}`));
      card.append(head, el("q", "rv-quote", item.quote));
      if (item.own) {
        const memo = el("textarea", "rv-memo");
        memo.placeholder = "Memo on this coding …";
        memo.value = item.memo;
        const save = el("button", "rv-button", "Save memo");
        save.addEventListener("click", () => send({ type: "memo", event_id: item.event_id, text: memo.value }));
        const remove = el("button", "rv-button rv-remove", "Remove coding");
        remove.addEventListener("click", () => send({ type: "uncode", event_id: item.event_id }));
        const actions = el("div", "rv-actions");
        actions.append(save, remove);
        card.append(memo, actions);
      } else if (item.memo) {
        card.append(el("div", "rv-meta", "Memo: " + item.memo));
      }
      pop.appendChild(card);
    }
    pop.hidden = false;
  }

  // the card closed is told to Python too, so a click on the same coding opens it again
  function closePop() {
    pop.hidden = true;
    pickCoding(pane, null);
    if (model.get("inspected").length) {
      model.set("inspected", []);
      model.save_changes();
    }
  }

  function placePop(x, y) {
    const rect = root.getBoundingClientRect();
    pop.style.left = Math.max(0, Math.min(x - rect.left, rect.width - 340)) + "px";
    pop.style.top = y - rect.top + 14 + "px";
  }

  function drawFocus() {
    const focus = model.get("focus");
    if (!focus || focus.n === undefined) return;
    let turn = null;
    if (focus.segment_id) turn = pane.querySelector(`.rv-turn[data-s="${CSS.escape(focus.segment_id)}"]`);
    if (!turn && focus.offset !== undefined) {
      for (const t of pane.querySelectorAll(".rv-turn")) {
        if (Number(t.dataset.o) <= focus.offset) turn = t;
        else break;
      }
    }
    if (!turn) return;
    turn.scrollIntoView({ block: "center" });
    turn.classList.remove("rv-flash");
    void turn.offsetWidth;
    turn.classList.add("rv-flash");
    cursor = Number(turn.dataset.o);
    if (focus.segment_id) selectTurn(turn);
  }

  // Python's answer to a selection: the span that will be coded (whole words)
  function drawSelection() {
    const snapped = model.get("selection");
    if (!snapped || snapped.n !== asked || !pending || pending.segment) return;
    const range = rangeAt(piecesOf(pane), snapped.start, snapped.end);
    if (!range) return;
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    setPending({ start: snapped.start, end: snapped.end, text: snapped.text, exact: true });
  }

  function selectTurn(turn) {
    const text = turn.querySelector(".rv-text");
    const range = document.createRange();
    range.selectNodeContents(text);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    setPending({ segment: turn.dataset.s, text: text.textContent });
    cursor = Number(turn.dataset.o);
  }

  // a drag that starts on a speaker label (which cannot be selected) selects from the
  // first word of that turn to where the mouse is released
  let pressedTurn = null;
  pane.addEventListener("mousedown", (event) => {
    const gutter = event.target.closest ? event.target.closest(".rv-gutter") : null;
    pressedTurn = gutter && !event.target.closest(".rv-code-turn") ? gutter.closest(".rv-turn") : null;
  });

  function selectFromTurn(turn, x, y) {
    const first = turn.querySelector(".rv-text:not(.rv-other) .rv-p[data-o]");
    const caret = document.caretPositionFromPoint
      ? document.caretPositionFromPoint(x, y)
      : document.caretRangeFromPoint && document.caretRangeFromPoint(x, y);
    if (!first || !first.firstChild || !caret) return;
    const node = caret.offsetNode || caret.startContainer;
    const offset = caret.offset !== undefined ? caret.offset : caret.startOffset;
    const piece = node && node.parentElement ? node.parentElement.closest(".rv-p[data-o]") : null;
    if (!piece || !pane.contains(piece) || piece.closest(".rv-other")) return;
    const range = document.createRange();
    range.setStart(first.firstChild, 0);
    range.setEnd(node, offset);
    if (range.collapsed) return; // released before the turn's first word
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
  }

  pane.addEventListener("mouseup", (event) => {
    const exact = event.altKey;
    const fromTurn = pressedTurn;
    pressedTurn = null;
    setTimeout(() => {
      if (event.target.closest && event.target.closest(".rv-code-turn, .rv-bar")) return;
      if (fromTurn && window.getSelection().isCollapsed) selectFromTurn(fromTurn, event.clientX, event.clientY);
      const span = selectionSpan(pane);
      if (span) {
        setPending({ ...span, exact });
        cursor = span.start;
        asked += 1;
        model.send({ type: "select", start: span.start, end: span.end, exact, n: asked });
        return;
      }
      const hit = event.target.closest ? event.target.closest(".rv-c[data-c]") : null;
      if (hit) {
        placePop(event.clientX, event.clientY);
        model.send({ type: "inspect", event_ids: hit.dataset.c.split(" ") });
      }
      const turn = event.target.closest ? event.target.closest(".rv-turn") : null;
      if (turn) cursor = Number(turn.dataset.o);
      setPending(null);
    }, 0);
  });

  // the whole-turn button selects the turn; a code is then picked as for any selection
  pane.addEventListener("click", (event) => {
    const button = event.target.closest(".rv-code-turn");
    if (button) {
      event.preventDefault();
      selectTurn(button.closest(".rv-turn"));
      return;
    }
    const margin = event.target.closest(".rv-bar");
    if (margin) {
      const box = margin.getBoundingClientRect();
      placePop(box.left - 330, box.top);
      pickCoding(pane, margin.dataset.c);
      model.send({ type: "inspect", event_ids: [margin.dataset.c] });
    }
  });

  // keep the text selection when a code is clicked
  side.addEventListener("mousedown", (event) => {
    if (event.target.closest(".rv-code, .rv-invivo")) event.preventDefault();
  });
  for (const area of [codes, recentRow]) {
    area.addEventListener("mousedown", (event) => {
      if (event.target.closest(".rv-code")) event.preventDefault();
    });
    area.addEventListener("click", (event) => {
      const button = event.target.closest(".rv-code");
      if (button) apply(button.dataset.code);
    });
  }
  search.addEventListener("input", filterCodes);
  search.addEventListener("keydown", (event) => {
    event.stopPropagation();
    if (event.key !== "Enter" || !search.value.trim()) return;
    event.preventDefault();
    const span = pending;
    const message = { type: "create_code", name: search.value.trim() };
    if (span && span.segment) message.segment_id = span.segment;
    else if (span) Object.assign(message, { start: span.start, end: span.end, exact: span.exact });
    send(message);
    search.value = "";
    filterCodes();
    if (span) {
      setPending(null);
      window.getSelection().removeAllRanges();
    }
  });
  // the definition and rules of the code under the mouse, in the palette's own corner
  codes.addEventListener("mouseover", (event) => {
    const row = event.target.closest(".rv-code-row");
    const source = row && row.querySelector(".rv-card");
    if (source) info.innerHTML = source.innerHTML;
  });
  invivo.addEventListener("click", () => {
    const span = target();
    if (!span || span.segment) {
      showError("Select the words that should name the new code first.");
      return;
    }
    send({ type: "in_vivo", start: span.start, end: span.end, exact: span.exact });
    setPending(null);
  });
  buttons.undo.addEventListener("click", () => send({ type: "undo" }));
  buttons.redo.addEventListener("click", () => send({ type: "redo" }));
  buttons.reload.addEventListener("click", () => model.send({ type: "reload" }));
  buttons.next.addEventListener("click", () => model.send({ type: "next_uncoded", after: cursor }));
  buttons.prev.addEventListener("click", () =>
    model.send({ type: "next_uncoded", after: cursor, backwards: true }),
  );
  buttons["margin-toggle"].addEventListener("click", () => {
    model.set("margin", !model.get("margin"));
    model.save_changes();
  });
  error.addEventListener("click", () => showError(""));

  root.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA") return;
    const key = event.key;
    let handled = true;
    if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "z") {
      send({ type: event.shiftKey ? "redo" : "undo" });
    } else if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "y") {
      send({ type: "redo" });
    } else if ((event.ctrlKey || event.metaKey) && key.toLowerCase() === "f") {
      finder.focus();
    } else if (event.ctrlKey || event.metaKey || event.altKey) {
      handled = false;
    } else if (/^[1-9]$/.test(key)) {
      const code = model.get("recent")[Number(key) - 1];
      if (code) apply(code);
    } else if (key === "n") {
      model.send({ type: "next_uncoded", after: cursor });
    } else if (key === "p") {
      model.send({ type: "next_uncoded", after: cursor, backwards: true });
    } else if (key === "Escape") {
      closePop();
      setPending(null);
      showError("");
    } else {
      handled = false;
    }
    if (handled) {
      event.preventDefault();
      event.stopPropagation();
    }
  });

  // the bars follow when lines wrap again (the pane changes width) and when turns near
  // the screen are laid out or far ones skipped (content-visibility: auto; margin.js)
  let relayout = 0;
  const marginAgain = () => {
    cancelAnimationFrame(relayout);
    relayout = requestAnimationFrame(() => layoutMargin(pane));
  };
  new ResizeObserver(marginAgain).observe(pane);
  pane.addEventListener("contentvisibilityautostatechange", marginAgain, { capture: true });

  model.on("change:html", drawHtml);
  model.on("change:palette", drawPalette);
  model.on("change:status", drawStatus);
  model.on("change:inspected", drawInspected);
  model.on("change:focus", drawFocus);
  model.on("change:selection", drawSelection);
  model.on("change:margin", drawMargin);
  model.on("change:error", () => {
    showError(model.get("error"));
    if (model.get("error")) drawStatus();
  });
  root.classList.toggle("rv-with-margin", model.get("margin"));
  buttons["margin-toggle"].setAttribute("aria-pressed", String(model.get("margin")));
  drawHtml();
  drawPalette();
  drawStatus();
  showError(model.get("error"));
  return () => watcher.disconnect();
}

export default { render };
