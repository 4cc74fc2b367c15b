// raakvlak recording pane: a player beside the turns of a transcript. Clicking a turn
// with a known time plays the recording from there; "sync" records the player's
// position for a turn without one. Python decides and stores; this file only shows.

function render({ model, el: root }) {
  root.classList.add("rvr-root");
  const status = el("div", "rvr-status", "");
  const error = el("div", "rvr-error");
  error.hidden = true;
  const holder = el("div", "rvr-player");
  const list = el("div", "rvr-turns");
  root.append(holder, status, error, list);
  let player = null;
  let url = null;

  function drawMedia() {
    const data = model.get("media");
    if (url) URL.revokeObjectURL(url);
    holder.replaceChildren();
    url = null;
    player = null;
    if (!data || !data.byteLength) return;
    url = URL.createObjectURL(new Blob([data], { type: model.get("media_type") }));
    player = el(model.get("kind") === "video" ? "video" : "audio", "rvr-audio");
    player.controls = true;
    player.preload = "auto";
    player.src = url;
    holder.appendChild(player);
  }
  function drawTurns() {
    list.replaceChildren();
    for (const turn of model.get("turns")) {
      const row = el("div", "rvr-turn");
      row.dataset.turn = turn.turn;
      if (turn.time_ms !== null && turn.time_ms !== undefined) {
        row.dataset.time = turn.time_ms;
        row.classList.add("rvr-timed");
        row.title = `Click to hear this turn from ${turn.clock} (${turn.source})`;
      }
      const time = el("span", "rvr-time", turn.clock || "--:--:--");
      const who = el("span", "rvr-speaker", turn.speaker ? `${turn.speaker}:` : "");
      const said = el("span", "rvr-text", turn.text);
      row.append(time, who, said);
      const sync = el("button", "rvr-sync", turn.source === "sync point" ? "unsync" : "sync");
      sync.title = turn.source === "sync point"
        ? "Remove this turn's sync point"
        : "This turn starts now: record the player's position as its time";
      sync.addEventListener("click", (event) => {
        event.stopPropagation();
        if (turn.source === "sync point") model.send({ type: "unsync", turn: turn.turn });
        else if (player) model.send({ type: "sync", turn: turn.turn, time_ms: Math.round(player.currentTime * 1000) });
      });
      if (turn.source !== "label") row.appendChild(sync);
      row.addEventListener("click", () => {
        if (!player || row.dataset.time === undefined) return;
        player.currentTime = Number(row.dataset.time) / 1000;
        const playing = player.play();
        if (playing && playing.catch) playing.catch((reason) => { status.textContent = `cannot play: ${reason}`; });
        for (const other of list.querySelectorAll(".rvr-playing")) other.classList.remove("rvr-playing");
        row.classList.add("rvr-playing");
      });
      list.appendChild(row);
    }
  }
  function drawStatus() {
    status.textContent = model.get("status");
    const message = model.get("error");
    error.textContent = message;
    error.hidden = !message;
  }
  model.on("change:media", drawMedia);
  model.on("change:turns", drawTurns);
  model.on("change:status", drawStatus);
  model.on("change:error", drawStatus);
  drawMedia();
  drawTurns();
  drawStatus();
  return () => { if (url) URL.revokeObjectURL(url); };
}

export default { render };
