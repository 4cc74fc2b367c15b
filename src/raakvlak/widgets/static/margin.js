// raakvlak margin: a bar per coding beside the lines it covers. The bars come from
// Python (one .rv-bar per coding, with data-c = its event id, in document order); where a
// line breaks is only known here, so this part measures the first and last piece of
// each coding and places its bar there, in the first lane (column) free at that height.
// Bars that overlap in height form a group that shares the margin's width; a bar with no
// neighbour gets the whole width, so its label can be read. A label wraps, and its bar
// grows to hold it (the full label is the bar's title in any case).
// A long document is only laid out where it is seen: each turn has content-visibility:
// auto, so the browser skips the turns far from the screen. Bars are placed for the
// codings with words in the turns laid out now (asking where a skipped word is would lay
// its turn out); the others wait, hidden, until their turns come near the screen, and the
// margin is laid out again then (the pane listens for that; see coding.js).

const LABEL_PX = 15; // a bar is at least this tall, so its label never runs into the next

// lanes for spans sorted by top: each span gets .lane, and .lanes (the lanes of its
// group of spans that overlap in height)
function assignLanes(spans) {
  let ends = [];
  let group = [];
  let groupEnd = -Infinity;
  let most = 0;
  const close = () => {
    for (const span of group) span.lanes = ends.length;
    most = Math.max(most, ends.length);
  };
  for (const span of spans) {
    if (span.top >= groupEnd - 1 && group.length) {
      close();
      ends = [];
      group = [];
    }
    let lane = ends.findIndex((end) => end <= span.top + 1);
    if (lane < 0) {
      lane = ends.length;
      ends.push(span.bottom);
    } else {
      ends[lane] = span.bottom;
    }
    span.lane = lane;
    group.push(span);
    groupEnd = group.length === 1 ? span.bottom : Math.max(groupEnd, span.bottom);
  }
  if (group.length) close();
  return most;
}

function placeBars(spans) {
  for (const span of spans) {
    const style = span.bar.style;
    const share = 100 / span.lanes;
    style.top = span.top + "px";
    style.height = span.bottom - span.top + "px";
    style.left = span.lane * share + "%";
    style.width = share + "%";
    span.bar.dataset.lane = span.lane;
  }
}

// the height a bar needs for its label at a width, "label|px" -> px; measured once
const LABEL_HEIGHTS = new Map();

// the heights of labels not measured yet at the widths they get: hidden copies of their
// bars in the margin, read in one go (the margin is laid out on its own: contain)
function measureLabels(margin, spans) {
  const width = margin.clientWidth;
  const wanted = new Map();
  for (const span of spans) {
    const label = span.bar.firstElementChild;
    span.key = (label ? label.textContent : "") + "|" + Math.floor(width / span.lanes);
    if (!LABEL_HEIGHTS.has(span.key) && !wanted.has(span.key)) wanted.set(span.key, span.bar);
  }
  if (!wanted.size) return;
  const box = el("div", "rv-measure");
  const copies = [];
  for (const [key, bar] of wanted) {
    const copy = bar.cloneNode(true);
    copy.removeAttribute("data-c");
    copy.style.cssText = `top:0;left:0;height:auto;width:${key.slice(key.lastIndexOf("|") + 1)}px`;
    copies.push([key, copy]);
    box.appendChild(copy);
  }
  margin.appendChild(box);
  for (const [key, copy] of copies) LABEL_HEIGHTS.set(key, copy.offsetHeight);
  box.remove();
}

function layoutMargin(pane) {
  const doc = pane.querySelector(".rv-doc");
  const margin = doc && doc.querySelector(".rv-margin");
  if (!margin || margin.offsetParent === null) return 0;
  const started = performance.now();
  const first = new Map();
  const last = new Map();
  // the coded pieces of this coder's column (a live list: much faster than a selector)
  const laidOut = new Map(); // turn -> its words are laid out now (not skipped)
  for (const piece of doc.getElementsByClassName("rv-c")) {
    const ids = piece.dataset.c;
    if (!ids || piece.parentElement.classList.contains("rv-other")) continue;
    const turn = piece.closest(".rv-turn");
    if (!laidOut.has(turn)) laidOut.set(turn, piece.checkVisibility({ contentVisibilityAuto: true }));
    if (!laidOut.get(turn)) continue;
    for (const id of ids.split(" ")) {
      if (!first.has(id)) first.set(id, piece);
      last.set(id, piece);
    }
  }
  // read every position first, then write: one layout of the document for all bars
  const top0 = doc.getBoundingClientRect().top;
  const spans = [];
  for (const bar of margin.children) {
    const a = first.get(bar.dataset.c);
    if (!a) continue;
    const b = last.get(bar.dataset.c);
    const aRects = a.getClientRects();
    const bRects = b === a ? aRects : b.getClientRects();
    if (!aRects.length || !bRects.length) continue;
    const top = aRects[0].top - top0;
    const bottom = bRects[bRects.length - 1].bottom - top0;
    spans.push({ bar, top, bottom: Math.max(bottom, top + LABEL_PX) });
  }
  // then write: only the bars placed are shown
  const placed = new Set(spans.map((span) => span.bar));
  for (const bar of margin.children) bar.hidden = !placed.has(bar);
  spans.sort((x, y) => x.top - y.top || y.bottom - x.bottom);
  let lanes = assignLanes(spans);
  // a wrapped label may need more height than its lines: lay the bars out again with
  // that height, so no label runs into the next bar
  measureLabels(margin, spans);
  let taller = false;
  for (const span of spans) {
    const need = span.top + (LABEL_HEIGHTS.get(span.key) || 0);
    if (need > span.bottom + 1) {
      span.bottom = need;
      taller = true;
    }
  }
  if (taller) {
    spans.sort((x, y) => x.top - y.top || y.bottom - x.bottom);
    lanes = assignLanes(spans);
  }
  placeBars(spans);
  margin.dataset.lanes = lanes;
  return performance.now() - started;
}

// mark the pieces and the bar of one coding as picked (null: none)
function pickCoding(pane, id) {
  for (const old of pane.querySelectorAll(".rv-picked")) old.classList.remove("rv-picked");
  if (!id) return;
  for (const piece of pane.querySelectorAll(".rv-text:not(.rv-other) .rv-c[data-c]")) {
    if (piece.dataset.c.split(" ").includes(id)) piece.classList.add("rv-picked");
  }
  const bar = pane.querySelector(`.rv-bar[data-c="${CSS.escape(id)}"]`);
  if (bar) bar.classList.add("rv-picked");
}
