// raakvlak coding pane: shows HTML made in Python and sends what the researcher does.
// No decisions here: offsets go out as UTF-16 units (what the DOM counts) and Python
// converts them, checks them and writes the log. pointOffset and selectionSpan come
// from selection.js, which is loaded in front of this file (see DocumentView._esm).

const HELP =
  "Select words, then click a code (or press 1-9 for a recent code). " +
  "Ctrl+Z undo, Ctrl+Shift+Z redo, n / p next / previous uncoded turn, Esc clears.";

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function render({ model, el: root }) {
  root.classList.add("rv-root");
  root.tabIndex = 0;
  root.setAttribute("data-lm-suppress-shortcuts", "true");

  const bar = el("div", "rv-bar");
  const buttons = {};
  for (const [name, label, title] of [
    ["undo", "↶ Undo", "Undo (Ctrl+Z)"],
    ["redo", "↷ Redo", "Redo (Ctrl+Shift+Z)"],
    ["prev", "◀ uncoded", "Previous uncoded turn (p)"],
    ["next", "uncoded ▶", "Next uncoded turn (n)"],
    ["reload", "↻ Refresh", "Show new codes, documents and the other coder's work (the team's changes)"],
  ]) {
    buttons[name] = el("button", "rv-button", label);
    buttons[name].title = title;
    bar.appendChild(buttons[name]);
  }
  const status = el("span", "rv-status", "");
  status.title = "Every action is written to your coding log before it is shown.";
  bar.appendChild(status);

  const recentRow = el("div", "rv-recent-row");
  recentRow.title = "Recent codes: press 1-9 to apply one to the selection";
  const main = el("div", "rv-main");
  const pane = el("div", "rv-pane");
  const side = el("aside", "rv-palette");
  const selected = el("div", "rv-selected", HELP);
  const search = el("input", "rv-search");
  search.type = "search";
  search.placeholder = "Search codes …";
  const invivo = el("button", "rv-button rv-invivo", "In vivo");
  invivo.title = "Make a new code named after the selected words and apply it";
  const tools = el("div", "rv-tools");
  tools.append(search, invivo);
  const codes = el("div", "rv-codes");
  side.append(selected, tools, codes);
  main.append(pane, side);
  const error = el("div", "rv-error");
  error.hidden = true;
  const pop = el("div", "rv-pop");
  pop.hidden = true;
  const card = el("div", "rv-card rv-card-float");
  card.hidden = true;
  root.append(bar, recentRow, error, main, pop, card);

  let pending = null; // {start, end, text} or {segment, text}
  let cursor = -1; // UTF-16 offset the uncoded navigation starts from

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
      el("div", "rv-hint", "Click a code, or press 1-9."),
    );
  }

  function apply(codeId) {
    if (!pending) setPending(selectionSpan(pane)); // a key pressed before mouseup was handled
    if (!pending) {
      showError("Select some words (or a whole turn) first, then pick a code.");
      return;
    }
    if (pending.segment) send({ type: "code_segment", segment_id: pending.segment, code_id: codeId });
    else send({ type: "code", start: pending.start, end: pending.end, code_id: codeId });
    cursor = pending.end || cursor;
    setPending(null);
    window.getSelection().removeAllRanges();
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = !message;
  }

  // replace only the turns that changed, so a new highlight shows at once in long documents
  function drawHtml() {
    const template = document.createElement("template");
    template.innerHTML = model.get("html");
    const fresh = template.content.firstElementChild;
    const shown = pane.firstElementChild;
    const same =
      fresh && shown && fresh.className === shown.className &&
      fresh.dataset.doc === shown.dataset.doc &&
      fresh.getAttribute("style") === shown.getAttribute("style") &&
      fresh.children.length === shown.children.length;
    if (!same) {
      const top = pane.scrollTop;
      pane.replaceChildren(template.content);
      pane.scrollTop = fresh && shown && fresh.dataset.doc === shown.dataset.doc ? top : 0;
      return;
    }
    const olds = Array.from(shown.children);
    const news = Array.from(fresh.children);
    for (let i = 0; i < news.length; i++) {
      if (!olds[i].isEqualNode(news[i])) shown.replaceChild(news[i], olds[i]);
    }
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
    status.classList.toggle("rv-bad", text.startsWith("error"));
  }

  function drawInspected() {
    const items = model.get("inspected");
    pop.innerHTML = "";
    if (!items.length) {
      pop.hidden = true;
      return;
    }
    const close = el("button", "rv-close", "×");
    close.title = "Close (Esc)";
    close.addEventListener("click", () => (pop.hidden = true));
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

  pane.addEventListener("mouseup", (event) => {
    setTimeout(() => {
      const span = selectionSpan(pane);
      if (span) {
        setPending(span);
        cursor = span.start;
        return;
      }
      const hit = event.target.closest ? event.target.closest(".rv-c[data-c]") : null;
      if (hit) {
        const rect = root.getBoundingClientRect();
        pop.style.left = Math.max(0, Math.min(event.clientX - rect.left, rect.width - 340)) + "px";
        pop.style.top = event.clientY - rect.top + 14 + "px";
        model.send({ type: "inspect", event_ids: hit.dataset.c.split(" ") });
      }
      const turn = event.target.closest ? event.target.closest(".rv-turn") : null;
      if (turn) cursor = Number(turn.dataset.o);
      setPending(null);
    }, 0);
  });

  // one click codes the whole turn with the most recent code; shift-click (or no recent
  // code yet) selects the turn so any code can be picked
  pane.addEventListener("click", (event) => {
    const button = event.target.closest(".rv-code-turn");
    if (!button) return;
    event.preventDefault();
    const latest = recentRow.querySelector(".rv-code");
    if (latest && !event.shiftKey) {
      send({ type: "code_segment", segment_id: button.dataset.s, code_id: latest.dataset.code });
      cursor = Number(button.closest(".rv-turn").dataset.o);
      return;
    }
    selectTurn(button.closest(".rv-turn"));
  });
  pane.addEventListener("mouseover", (event) => {
    const button = event.target.closest(".rv-code-turn");
    if (!button) return;
    const latest = recentRow.querySelector(".rv-code");
    const name = latest ? latest.title.replace(/^key \d+: /, "") : "";
    button.textContent = name ? "code turn" : "select turn";
    button.title = name
      ? `Code this whole turn with “${name}” (shift-click: select the turn and pick a code)`
      : "Select this whole turn, then pick a code";
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
  // the definition and rules of the code under the mouse, beside the palette
  codes.addEventListener("mouseover", (event) => {
    const row = event.target.closest(".rv-code-row");
    const source = row && row.querySelector(".rv-card");
    if (!source) return;
    card.innerHTML = source.innerHTML;
    const box = root.getBoundingClientRect();
    const at = row.getBoundingClientRect();
    const palette = side.getBoundingClientRect();
    card.style.top = Math.max(0, at.top - box.top) + "px";
    card.style.right = box.right - palette.left + 4 + "px";
    card.hidden = false;
  });
  codes.addEventListener("mouseleave", () => (card.hidden = true));
  invivo.addEventListener("click", () => {
    if (!pending) setPending(selectionSpan(pane));
    if (!pending || pending.segment) {
      showError("Select the words that should name the new code first.");
      return;
    }
    send({ type: "in_vivo", start: pending.start, end: pending.end });
    setPending(null);
  });
  buttons.undo.addEventListener("click", () => send({ type: "undo" }));
  buttons.redo.addEventListener("click", () => send({ type: "redo" }));
  buttons.reload.addEventListener("click", () => model.send({ type: "reload" }));
  buttons.next.addEventListener("click", () => model.send({ type: "next_uncoded", after: cursor }));
  buttons.prev.addEventListener("click", () =>
    model.send({ type: "next_uncoded", after: cursor, backwards: true }),
  );
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
      pop.hidden = true;
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

  model.on("change:html", drawHtml);
  model.on("change:palette", drawPalette);
  model.on("change:status", drawStatus);
  model.on("change:inspected", drawInspected);
  model.on("change:focus", drawFocus);
  model.on("change:error", () => {
    showError(model.get("error"));
    if (model.get("error")) drawStatus();
  });
  drawHtml();
  drawPalette();
  drawStatus();
  showError(model.get("error"));
}

export default { render };
