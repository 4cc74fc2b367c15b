// raakvlak margin: a bar per coding beside the lines it covers. The bars come from
// Python (one .rv-bar per coding, with data-c = its event id, in document order); where a
// line breaks is only known here, so this part measures the first and last piece of
// each coding and places its bar there, in the first lane (column) free at that height.
// Bars that overlap in height form a group that shares the margin's width; a bar with no
// neighbour gets the whole width, so its label can be read. A label wraps, and its bar
// grows to hold it (the full label is the bar's title in any case).

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

function layoutMargin(pane) {
  const doc = pane.querySelector(".rv-doc");
  const margin = doc && doc.querySelector(".rv-margin");
  if (!margin || margin.offsetParent === null) return 0;
  const started = performance.now();
  const first = new Map();
  const last = new Map();
  for (const piece of doc.querySelectorAll(".rv-text:not(.rv-other) .rv-c[data-c]")) {
    for (const id of piece.dataset.c.split(" ")) {
      if (!first.has(id)) first.set(id, piece);
      last.set(id, piece);
    }
  }
  // read every position first, then write: one layout for all bars
  const top0 = doc.getBoundingClientRect().top;
  const spans = [];
  for (const bar of margin.children) {
    const a = first.get(bar.dataset.c);
    if (!a) continue;
    const aRects = a.getClientRects();
    const bRects = last.get(bar.dataset.c).getClientRects();
    if (!aRects.length || !bRects.length) continue;
    const top = aRects[0].top - top0;
    const bottom = bRects[bRects.length - 1].bottom - top0;
    spans.push({ bar, top, bottom: Math.max(bottom, top + LABEL_PX) });
  }
  spans.sort((x, y) => x.top - y.top || y.bottom - x.bottom);
  assignLanes(spans);
  placeBars(spans);
  // a wrapped label may need more height than its lines: read all (one layout), then
  // lay the bars out again with that height, so no label runs into the next bar
  let taller = false;
  for (const span of spans) {
    const label = span.bar.firstElementChild;
    const need = label ? span.top + label.offsetHeight + 2 : span.bottom;
    if (need > span.bottom + 1) {
      span.bottom = need;
      taller = true;
    }
  }
  let lanes = 0;
  if (taller) {
    spans.sort((x, y) => x.top - y.top || y.bottom - x.bottom);
    lanes = assignLanes(spans);
    placeBars(spans);
  } else {
    lanes = spans.reduce((most, span) => Math.max(most, span.lanes), 0);
  }
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
