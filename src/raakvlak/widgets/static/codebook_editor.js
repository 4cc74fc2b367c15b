// raakvlak codebook editor: the code tree and a form. No decisions here: every change
// goes to Python as one message, which checks it, writes coding/codebook.yaml and sends
// the new tree back (trait "codes"); a refusal comes back as "error".

function node(tag, cls, text) {
  const element = document.createElement(tag);
  if (cls) element.className = cls;
  if (text !== undefined) element.textContent = text;
  return element;
}

const FIELDS = [
  ["definition", "Definition", "What the code means, in one or two sentences"],
  ["when_to_use", "Use when", "The rule for applying it"],
  ["when_not_to_use", "Do not use when", "The boundary with neighbouring codes"],
  ["example", "Example", "A quote that fits"],
];

function render({ model, el: root }) {
  root.classList.add("rv-editor");
  const head = node("div", "rv-ed-head");
  const title = node("b", "rv-ed-title", "Codebook");
  const retired = node("label", "rv-ed-retired");
  const showOld = node("input");
  showOld.type = "checkbox";
  retired.append(showOld, " merged and retired");
  const status = node("span", "rv-ed-status");
  head.append(title, retired, status);
  const error = node("div", "rv-ed-error");
  error.hidden = true;
  const body = node("div", "rv-ed-body");
  const tree = node("div", "rv-ed-tree");
  const form = node("div", "rv-ed-form");
  body.append(tree, form);
  root.append(head, error, body);

  const heading = node("div", "rv-ed-heading");
  const inputs = {};
  function field(name, label, control) {
    const row = node("label", "rv-ed-field");
    row.append(node("span", "rv-ed-label", label), control);
    inputs[name] = control;
    return row;
  }
  const name = node("input", "rv-ed-name");
  name.placeholder = "Name of the code, then Enter";
  const english = node("input", "rv-ed-english");
  english.placeholder = "English label (default: the name)";
  const parent = node("select", "rv-ed-parent");
  const colour = node("input", "rv-ed-colour");
  colour.type = "color";
  colour.value = "#7f7f7f";
  form.append(heading, field("label_nl", "Name", name), field("label_en", "English", english),
    field("parent", "Under", parent), field("colour", "Colour", colour));
  for (const [key, label, hint] of FIELDS) {
    const area = node("textarea", "rv-ed-" + key);
    area.placeholder = hint;
    area.rows = key === "definition" ? 2 : 1;
    form.append(field(key, label, area));
  }
  const actions = node("div", "rv-ed-actions");
  const add = node("button", "rv-button rv-ed-add", "Add code");
  const save = node("button", "rv-button rv-ed-save", "Save changes");
  const fresh = node("button", "rv-button rv-ed-fresh", "New code");
  actions.append(add, save, fresh);
  const history = node("div", "rv-ed-history");
  const into = node("select", "rv-ed-into");
  const merge = node("button", "rv-button rv-ed-merge", "Merge into");
  const retire = node("button", "rv-button rv-ed-retire", "Retire");
  history.append(merge, into, retire);
  const note = node("div", "rv-ed-note");
  form.append(actions, history, note);

  let armed = null; // a merge or retire waits for its second click
  let changedColour = false;

  function rows() {
    return model.get("codes") || [];
  }

  function chosen() {
    return rows().find((row) => row.id === model.get("chosen")) || null;
  }

  function option(value, text) {
    const element = node("option", "", text);
    element.value = value;
    return element;
  }

  function fillParents(code) {
    const below = new Set();
    if (code) { // a code cannot go under itself or one of its own sub-codes
      below.add(code.id);
      for (const row of rows()) if (below.has(row.parent)) below.add(row.id);
    }
    parent.replaceChildren(option("", "(top level)"));
    into.replaceChildren();
    for (const row of rows()) {
      if (!row.live) continue;
      const label = "\u00a0\u00a0".repeat(row.depth) + row.label;
      if (!below.has(row.id)) parent.append(option(row.id, label));
      if (!code || row.id !== code.id) into.append(option(row.id, label));
    }
  }

  function drawTree() {
    const current = model.get("chosen");
    tree.replaceChildren();
    for (const row of rows()) {
      if (!row.live && !showOld.checked) continue;
      const item = node("div", "rv-ed-row" + (row.live ? "" : " rv-ed-old") + (row.id === current ? " rv-ed-chosen" : ""));
      item.dataset.code = row.id;
      item.style.paddingLeft = 6 + row.depth * 14 + "px";
      const swatch = node("i", "rv-swatch");
      swatch.style.background = row.colour;
      item.append(swatch, node("span", "rv-ed-text", row.label), node("span", "rv-ed-count", String(row.count)));
      item.title = row.id + (row.live ? "" : ` (${row.status}${row.replaced_by ? " → " + row.replaced_by : ""})`);
      tree.append(item);
    }
  }

  // the code the form was last drawn for ("": the new-code form); drawn again for the same
  // code (the codebook or the counts changed elsewhere), the form keeps what is typed in it
  let formFor = null;

  function drawForm() {
    const code = chosen();
    const keepParent = parent.value;
    const keepInto = into.value;
    const again = (code ? code.id : "") === formFor;
    formFor = code ? code.id : "";
    fillParents(code);
    root.classList.toggle("rv-ed-editing", Boolean(code));
    heading.textContent = code
      ? `${code.label} · ${code.id}` + (code.live ? "" : ` (${code.status})`)
      : "New code";
    note.textContent = code && code.note ? "History: " + code.note : "";
    parent.value = keepParent;
    into.value = keepInto;
    if (again) return;
    armed = null;
    merge.textContent = "Merge into";
    retire.textContent = "Retire";
    changedColour = false;
    if (!code) {
      for (const key of ["label_nl", "label_en", ...FIELDS.map(([k]) => k)]) inputs[key].value = "";
      if (parent.value !== keepParent) parent.value = "";
      return;
    }
    name.value = code.label_nl;
    english.value = code.label_en;
    parent.value = code.parent;
    colour.value = code.colour;
    for (const [key] of FIELDS) inputs[key].value = code[key] || "";
  }

  function formValues() {
    const values = {};
    for (const [key] of FIELDS) values[key] = inputs[key].value;
    values.parent = parent.value;
    return values;
  }

  function send(message) {
    status.textContent = "saving …";
    model.send(message);
  }

  function addCode() {
    if (!name.value.trim()) {
      error.textContent = "Type a name for the new code first.";
      error.hidden = false;
      return;
    }
    send({ type: "new", name: name.value, label_en: english.value, colour: changedColour ? colour.value : "",
           ...formValues() });
  }

  function saveCode() {
    const code = chosen();
    if (!code) return;
    send({ type: "save", code_id: code.id, label_nl: name.value, label_en: english.value,
           colour: colour.value, ...formValues() });
  }

  tree.addEventListener("click", (event) => {
    const row = event.target.closest(".rv-ed-row");
    if (!row) return;
    model.send({ type: "choose", code_id: row.dataset.code === model.get("chosen") ? "" : row.dataset.code });
  });
  name.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    if (chosen()) saveCode();
    else addCode();
  });
  for (const control of [name, english, ...FIELDS.map(([k]) => inputs[k])]) {
    control.addEventListener("keydown", (event) => event.stopPropagation());
  }
  colour.addEventListener("input", () => (changedColour = true));
  add.addEventListener("click", addCode);
  save.addEventListener("click", saveCode);
  fresh.addEventListener("click", () => model.send({ type: "choose", code_id: "" }));
  merge.addEventListener("click", () => {
    const code = chosen();
    if (!code || !into.value) return;
    if (armed !== "merge") {
      armed = "merge";
      merge.textContent = `Click again: merge into ${into.options[into.selectedIndex].text.trim()}`;
      return;
    }
    send({ type: "merge", code_id: code.id, into: into.value });
  });
  retire.addEventListener("click", () => {
    const code = chosen();
    if (!code) return;
    if (armed !== "retire") {
      armed = "retire";
      retire.textContent = "Click again to retire";
      return;
    }
    send({ type: "retire", code_id: code.id });
  });
  showOld.addEventListener("change", drawTree);
  error.addEventListener("click", () => (error.hidden = true));

  function drawAll() {
    title.textContent = model.get("title") || "Codebook";
    drawTree();
    drawForm();
  }
  model.on("change:codes", drawAll);
  model.on("change:chosen", drawAll);
  model.on("change:title", drawAll);
  model.on("change:status", () => (status.textContent = model.get("status")));
  model.on("change:error", () => {
    error.textContent = model.get("error");
    error.hidden = !model.get("error");
    if (model.get("error")) status.textContent = "not changed";
  });
  drawAll();
  status.textContent = model.get("status");
}

export default { render };
