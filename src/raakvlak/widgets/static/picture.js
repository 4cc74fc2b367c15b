// raakvlak picture pane: shows a downscaled picture with its coded regions and sends
// what the researcher draws. No decisions here: rectangles go out in preview pixels
// and Python converts them to the full picture, checks them and writes the log.

const HELP = "Drag a rectangle on the picture, then click a code (click more codes to add them " +
  "to the same rectangle). Click a region to add a memo or remove it. Esc clears.";

function render({ model, el: root }) {
  root.classList.add("rvp-root");
  root.tabIndex = 0;
  root.setAttribute("data-lm-suppress-shortcuts", "true");
  const bar = el("div", "rvp-bar");
  const undo = el("button", "rvp-button rvp-undo", "↶ Undo");
  const redo = el("button", "rvp-button rvp-redo", "↷ Redo");
  const status = el("span", "rvp-status", "");
  bar.append(undo, redo, status);
  const error = el("div", "rvp-error");
  error.hidden = true;
  const main = el("div", "rvp-main");
  const stage = el("div", "rvp-stage");
  const img = el("img", "rvp-img");
  img.draggable = false;
  img.alt = "picture";
  const layer = el("div", "rvp-layer");
  const draft = el("div", "rvp-draft");
  draft.hidden = true;
  stage.append(img, layer, draft);
  const side = el("aside", "rvp-palette");
  const help = el("div", "rvp-help", HELP);
  const codes = el("div", "rvp-codes");
  side.append(help, codes);
  main.append(stage, side);
  const pop = el("div", "rvp-pop");
  pop.hidden = true;
  root.append(bar, error, main, pop);

  let pending = null; // [left, top, right, bottom] in preview pixels
  let start = null;
  let url = null;

  const size = () => model.get("preview_size");
  function toPreview(event) {
    const rect = img.getBoundingClientRect();
    const [w, h] = size();
    const x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
    const y = Math.min(Math.max(event.clientY - rect.top, 0), rect.height);
    return [x * w / rect.width, y * h / rect.height];
  }
  function place(node, box) {
    const [w, h] = size();
    node.style.left = `${(100 * box[0]) / w}%`;
    node.style.top = `${(100 * box[1]) / h}%`;
    node.style.width = `${(100 * (box[2] - box[0])) / w}%`;
    node.style.height = `${(100 * (box[3] - box[1])) / h}%`;
  }
  function showDraft() {
    draft.hidden = pending === null;
    if (pending) place(draft, pending);
    help.textContent = pending ? "Now click a code (or several)." : HELP;
  }

  function drawImage() {
    const data = model.get("image");
    if (url) URL.revokeObjectURL(url);
    url = data && data.byteLength ? URL.createObjectURL(new Blob([data], { type: "image/jpeg" })) : null;
    if (url) img.src = url;
    pending = null;
    showDraft();
  }
  function drawRegions() {
    layer.replaceChildren();
    for (const region of model.get("regions")) {
      const node = el("div", "rvp-region");
      node.dataset.region = region.id;
      node.dataset.code = region.code_id;
      node.style.borderColor = region.colour;
      node.style.backgroundColor = `${region.colour}22`;
      node.title = region.label + (region.memo ? `\n${region.memo}` : "");
      const tag = el("span", "rvp-tag", region.label);
      tag.style.backgroundColor = region.colour;
      node.appendChild(tag);
      place(node, region.box);
      node.addEventListener("mousedown", (event) => event.stopPropagation());
      node.addEventListener("click", (event) => { event.stopPropagation(); openPop(region, event); });
      layer.appendChild(node);
    }
  }
  function drawCodes() {
    codes.replaceChildren();
    for (const code of model.get("codes")) {
      const button = el("button", "rvp-code", code.label);
      button.dataset.code = code.id;
      button.title = code.path ? `${code.path} (${code.id})` : code.id;
      button.style.borderLeftColor = code.colour;
      button.style.marginLeft = `${(code.depth || 0) * 14}px`; // the code tree, as in the coding palette
      button.addEventListener("click", () => {
        if (!pending) { status.textContent = "draw a rectangle first"; return; }
        model.send({ type: "code", box: pending, code_id: code.id });
      });
      codes.appendChild(button);
    }
  }
  function openPop(region, event) {
    pop.replaceChildren();
    pop.append(el("div", "rvp-pop-title", `${region.label} (${region.full.join(", ")})`));
    const memo = el("textarea", "rvp-memo");
    memo.value = region.memo || "";
    memo.placeholder = "Memo on this region";
    const save = el("button", "rvp-button rvp-save", "Save memo");
    const remove = el("button", "rvp-button rvp-remove", "Remove");
    const close = el("button", "rvp-button rvp-close", "Close");
    save.addEventListener("click", () => { model.send({ type: "memo", event_id: region.id, text: memo.value }); pop.hidden = true; });
    remove.addEventListener("click", () => { model.send({ type: "uncode", event_id: region.id }); pop.hidden = true; });
    close.addEventListener("click", () => { pop.hidden = true; });
    pop.append(memo, save, remove, close);
    const rect = root.getBoundingClientRect();
    pop.style.left = `${event.clientX - rect.left + 8}px`;
    pop.style.top = `${event.clientY - rect.top + 8}px`;
    pop.hidden = false;
  }

  stage.addEventListener("mousedown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    pop.hidden = true;
    start = toPreview(event);
    pending = [...start, ...start];
    showDraft();
  });
  window.addEventListener("mousemove", (event) => {
    if (!start) return;
    const [x, y] = toPreview(event);
    pending = [Math.min(start[0], x), Math.min(start[1], y), Math.max(start[0], x), Math.max(start[1], y)];
    showDraft();
  });
  window.addEventListener("mouseup", () => {
    if (!start) return;
    start = null;
    if (pending && (pending[2] - pending[0] < 3 || pending[3] - pending[1] < 3)) pending = null;
    showDraft();
  });
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { pending = null; pop.hidden = true; showDraft(); }
  });
  undo.addEventListener("click", () => model.send({ type: "undo" }));
  redo.addEventListener("click", () => model.send({ type: "redo" }));

  function drawStatus() {
    status.textContent = model.get("status");
    const message = model.get("error");
    error.textContent = message;
    error.hidden = !message;
  }
  model.on("change:image", drawImage);
  model.on("change:regions", drawRegions);
  model.on("change:codes", drawCodes);
  model.on("change:status", drawStatus);
  model.on("change:error", drawStatus);
  model.on("change:preview_size", drawRegions);
  drawImage();
  drawRegions();
  drawCodes();
  drawStatus();
  return () => { if (url) URL.revokeObjectURL(url); };
}

export default { render };
