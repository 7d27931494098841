// Moderator console: the current speaker and clock, the waiting line, the programme turns, and
// every act of the floor (docs/protocol.md). The server's refusals are shown as its sentences.

import { ApiError, meetingApi } from "../shared/api.js";
import { animate, formatDuration, msUntilVenueTime, paintCountdown, timeOfDay } from "../shared/clock.js";
import {
  byTestId,
  delegationKind,
  describeCurrent,
  fill,
  h,
  meetingIdFromQuery,
  Roster,
  segmentName,
  setText,
} from "../shared/dom.js";
import { signInFromAddress, signingIn, withSession } from "../shared/session.js";
import { connectMeeting } from "../shared/ws.js";

const meetingId = meetingIdFromQuery();
const api = meetingApi(meetingId);

const $ = (id) => byTestId(id);
const el = {
  title: $("meeting-title"),
  item: $("current-item"),
  itemForm: $("item-form"),
  itemSelect: $("item-select"),
  connection: $("connection"),
  clock: $("time-of-day"),
  error: $("error"),
  errorText: $("error-text"),
  errorClose: $("error-close"),
  speaking: $("speaking-panel"),
  segment: $("segment"),
  segmentDetail: $("segment-detail"),
  speaker: $("current-speaker"),
  detail: $("current-detail"),
  countdown: $("countdown"),
  words: $("timer-words"),
  timerToggle: $("timer-toggle"),
  timerMinus: $("timer-minus"),
  timerPlus: $("timer-plus"),
  timerReset: $("timer-reset"),
  end: $("end"),
  nextName: $("next-speaker"),
  next: $("next"),
  proposal: $("proposal"),
  proposalText: $("proposal-text"),
  proposalSwitch: $("proposal-switch"),
  lineCount: $("line-count"),
  floorState: $("floor-state"),
  floorToggle: $("floor-toggle"),
  fit: $("fit"),
  line: $("line"),
  lineEmpty: $("line-empty"),
  selectedName: $("selected-name"),
  giveSelected: $("give-selected"),
  moveUp: $("move-up"),
  moveDown: $("move-down"),
  movePlace: $("move-place"),
  moveTo: $("move-to"),
  defer: $("defer"),
  remove: $("remove"),
  turns: $("turns"),
  panelists: $("panelists"),
  dialog: $("confirm-dialog"),
  dialogText: $("confirm-text"),
  dialogYes: $("confirm-yes"),
  dialogNo: $("confirm-no"),
};

let roster = new Roster(null);
let selectedId = null;

const conn = connectMeeting(meetingId, (c, what) => {
  if (what === "meeting") {
    roster = new Roster(c.meeting);
    renderItemSelect();
  }
  if (what === "error" && c.lastError) showError(c.lastError.message);
  render();
});

// --- acts -------------------------------------------------------------------------------------

/** Send one act; show the server's sentence if it refuses. */
async function act(method, path, body) {
  try {
    const result = await withSession(meetingId, "Enter the moderator's access code to conduct this meeting.", () =>
      method === "DELETE" ? api.del(path) : api.post(path, body),
    );
    hideError();
    return result;
  } catch (error) {
    showError(error instanceof ApiError ? error.message : String(error));
    return null;
  }
}

function showError(message) {
  setText(el.errorText, message);
  el.error.hidden = false;
}

function hideError() {
  el.error.hidden = true;
}

el.errorClose.addEventListener("click", hideError);

// An in-page dialog (not window.confirm, which blocks the page and cannot be driven in tests).
let dialogResolve = null;

function confirmAct(text, yesLabel = "Confirm") {
  if (dialogResolve) dialogResolve(false);
  setText(el.dialogText, text);
  setText(el.dialogYes, yesLabel);
  el.dialog.hidden = false;
  el.dialogYes.focus();
  return new Promise((resolve) => {
    dialogResolve = resolve;
  });
}

function closeDialog(answer) {
  el.dialog.hidden = true;
  const resolve = dialogResolve;
  dialogResolve = null;
  if (resolve) resolve(answer);
}

el.dialogYes.addEventListener("click", () => closeDialog(true));
el.dialogNo.addEventListener("click", () => closeDialog(false));
el.dialog.addEventListener("click", (event) => {
  if (event.target === el.dialog) closeDialog(false);
});

const floor = () => conn.live?.floor ?? null;
const enc = encodeURIComponent;

function toggleFloor() {
  const f = floor();
  if (!f) return;
  act("POST", f.is_open ? "/floor/close" : "/floor/open");
}

function callNext() {
  act("POST", "/floor/next");
}

function endIntervention() {
  if (floor()?.current) act("POST", "/floor/end");
}

function toggleTimer() {
  const timer = floor()?.current?.timer;
  if (!timer) return;
  const path = { idle: "/timer/start", running: "/timer/pause", paused: "/timer/resume" }[timer.state];
  if (path) act("POST", path);
}

function adjustTimer(deltaS) {
  if (floor()?.current) act("POST", "/timer/adjust", { delta_s: deltaS });
}

/** Give the floor to a waiting delegation: in turn if the policy would call it next. */
async function giveToDelegation(id) {
  const live = conn.live;
  if (!live) return;
  if ((live.next ?? [])[0] === id) {
    act("POST", "/floor/next");
    return;
  }
  const ok = await confirmAct(
    `Give the floor to ${roster.nameOf(id)} out of turn? The record will show it as out of turn.`,
    "Give the floor",
  );
  if (ok) act("POST", "/floor/give", { delegation_id: id });
}

async function giveToPanelist(id) {
  const live = conn.live;
  if (!live) return;
  if (live.floor.segment.kind === "panelists" && (live.next ?? [])[0] === id) {
    act("POST", "/floor/next");
    return;
  }
  const ok = await confirmAct(
    `Give the floor to ${roster.nameOf(id)} out of turn? The record will show it as out of turn.`,
    "Give the floor",
  );
  if (ok) act("POST", "/floor/give", { speaker_id: id });
}

function giveTurn(turnId) {
  act("POST", "/floor/give", { turn_id: turnId });
}

async function removeSelected() {
  if (!selectedId) return;
  const id = selectedId;
  const ok = await confirmAct(`Remove the request of ${roster.nameOf(id)} from the line?`, "Remove");
  if (ok) act("POST", `/floor/requests/${enc(id)}/remove`);
}

function moveSelected(place) {
  if (!selectedId || !Number.isInteger(place) || place < 1) return;
  act("POST", `/floor/requests/${enc(selectedId)}/move`, { place });
}

function placeOf(id) {
  const index = (floor()?.line ?? []).findIndex((r) => r.delegation_id === id);
  return index < 0 ? null : index + 1;
}

el.floorToggle.addEventListener("click", toggleFloor);
el.next.addEventListener("click", callNext);
el.end.addEventListener("click", endIntervention);
el.timerToggle.addEventListener("click", toggleTimer);
el.timerPlus.addEventListener("click", () => adjustTimer(30));
el.timerMinus.addEventListener("click", () => adjustTimer(-30));
el.timerReset.addEventListener("click", () => act("POST", "/timer/reset"));
el.giveSelected.addEventListener("click", () => selectedId && giveToDelegation(selectedId));
el.moveUp.addEventListener("click", () => moveSelected((placeOf(selectedId) ?? 1) - 1));
el.moveDown.addEventListener("click", () => moveSelected((placeOf(selectedId) ?? 0) + 1));
el.moveTo.addEventListener("click", () => moveSelected(Number(el.movePlace.value)));
el.movePlace.addEventListener("keydown", (event) => {
  if (event.key === "Enter") moveSelected(Number(el.movePlace.value));
});
el.defer.addEventListener("click", () => selectedId && act("POST", `/floor/requests/${enc(selectedId)}/defer`));
el.remove.addEventListener("click", removeSelected);
el.proposalSwitch.addEventListener("click", () => act("POST", "/floor/segment", { kind: null }));
for (const button of document.querySelectorAll(".segment-switch button[data-kind]")) {
  button.addEventListener("click", () => act("POST", "/floor/segment", { kind: button.dataset.kind }));
}

el.itemForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const itemId = el.itemSelect.value;
  if (!itemId) return;
  const waiting = floor()?.line?.length ?? 0;
  if (waiting) {
    const ok = await confirmAct(
      `Take up "${roster.items.get(itemId)?.title ?? itemId}"? The ${waiting} waiting ${
        waiting === 1 ? "request" : "requests"
      } of the current item will be cleared.`,
      "Take up",
    );
    if (!ok) return;
  }
  act("POST", `/items/${enc(itemId)}/start`);
});

// --- keyboard -------------------------------------------------------------------------------

document.addEventListener("keydown", (event) => {
  if (signingIn()) return;
  if (!el.dialog.hidden) {
    if (event.key === "Escape") closeDialog(false);
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) {
    return;
  }
  const key = event.key;
  let handled = true;
  if (key === "n" || key === "N") callNext();
  else if (key === " ") toggleTimer();
  else if (key === "o" || key === "O") toggleFloor();
  else if (key === "e" || key === "E") endIntervention();
  else if (key === "+" || key === "=") adjustTimer(30);
  else if (key === "-" || key === "_") adjustTimer(-30);
  else handled = false;
  if (handled) event.preventDefault();
});

// --- rendering ----------------------------------------------------------------------------

function renderItemSelect() {
  const meeting = roster.meeting;
  const chosen = el.itemSelect.value;
  fill(
    el.itemSelect,
    h("option", { value: "" }, "Choose an agenda item…"),
    (meeting?.days ?? []).map((day) =>
      h(
        "optgroup",
        { label: day.date },
        day.items.map((item) =>
          h("option", { value: item.id }, `${item.start}–${item.end} ${item.title}`),
        ),
      ),
    ),
  );
  const current = floor()?.item_id;
  el.itemSelect.value = chosen || current || "";
}

function render() {
  const meeting = conn.meeting;
  el.connection.dataset.status = conn.status;
  setText(el.connection, { online: "Connected", connecting: "Connecting…", offline: "Reconnecting…" }[conn.status]);
  if (meeting) {
    setText(el.title, meeting.title);
    document.title = `${meeting.title} · Moderator`;
  }
  const live = conn.live;
  if (!live || !meeting) return;
  const f = live.floor;
  const item = f.item_id ? roster.items.get(f.item_id) : null;
  setText(el.item, item ? `${item.start}–${item.end} · ${item.title}` : "No agenda item under way");
  el.item.dataset.itemId = f.item_id ?? "";
  if (!el.itemSelect.value && f.item_id) el.itemSelect.value = f.item_id;

  renderSpeaking(live, item);
  renderLine(live);
  renderProgramme(live, item);
  paint();
}

function renderSpeaking(live, item) {
  const f = live.floor;
  const segment = f.segment;
  setText(el.segment, `${segmentName(segment.kind)} · segment ${segment.number}`);
  el.segment.dataset.kind = segment.kind;
  const n = segment.interventions;
  setText(el.segmentDetail, `${n} ${n === 1 ? "intervention" : "interventions"}${item?.has_floor === false ? " · no floor in this item" : ""}`);
  for (const button of document.querySelectorAll(".segment-switch button[data-kind]")) {
    button.setAttribute("aria-pressed", String(button.dataset.kind === segment.kind));
  }

  const current = describeCurrent(roster, f.current);
  if (current) {
    setText(el.speaker, current.name);
    setText(el.detail, [current.code, current.detail, f.current.out_of_turn ? "out of turn" : ""].filter(Boolean).join(" · "));
  } else {
    setText(el.speaker, "No one has the floor");
    setText(el.detail, "");
  }
  el.speaker.dataset.id = f.current?.speaker_id ?? "";

  const timer = f.current?.timer;
  const label = { idle: "Start", running: "Pause", paused: "Resume" }[timer?.state] ?? "Start";
  fill(el.timerToggle, label, " ", h("kbd", {}, "Space"));
  el.timerToggle.dataset.state = timer?.state ?? "none";
  for (const b of [el.timerToggle, el.timerMinus, el.timerPlus, el.timerReset, el.end]) b.disabled = !f.current;

  const nextId = (live.next ?? [])[0];
  setText(el.nextName, nextId ? withCode(nextId) : "no one waiting in this segment");
  el.nextName.dataset.id = nextId ?? "";

  el.proposal.hidden = !live.proposal;
  setText(el.proposalText, live.proposal ? `Consider switching segment: ${live.proposal}.` : "");
}

function withCode(id) {
  const code = roster.codeOf(id);
  return code ? `${roster.nameOf(id)} (${code})` : roster.nameOf(id);
}

function renderLine(live) {
  const f = live.floor;
  const line = f.line;
  if (selectedId && !line.some((r) => r.delegation_id === selectedId)) selectedId = null;
  setText(el.lineCount, String(line.length));
  el.floorState.dataset.open = String(f.is_open);
  setText(el.floorState, f.is_open ? "Floor open" : "Floor closed");
  fill(el.floorToggle, f.is_open ? "Close the floor" : "Open the floor", " ", h("kbd", {}, "O"));
  el.floorToggle.dataset.open = String(f.is_open);
  el.lineEmpty.hidden = line.length > 0;

  const spoken = new Set(f.spoken);
  const nextId = (live.next ?? [])[0];
  const rows = line.map((request, index) => {
    const id = request.delegation_id;
    const delegation = roster.delegations.get(id);
    const row = h(
      "li",
      {
        testid: "line-row",
        dataset: { id, next: String(id === nextId) },
        "aria-selected": String(id === selectedId),
        onclick: () => select(id),
      },
      h("span", { class: "place" }, String(index + 1)),
      h("span", { class: "name" }, delegation?.name ?? id, " ", delegation?.iso3 ? h("span", { class: "code" }, delegation.iso3) : null),
      h(
        "span",
        { class: "kind" },
        h("span", {}, delegationKind(delegation)),
        spoken.has(id) ? null : h("span", { class: "badge first", testid: "not-spoken" }, "not yet spoken"),
        request.deferred ? h("span", { class: "badge deferred" }, "deferred") : null,
      ),
      h("span", { class: "waited", dataset: { since: String(request.requested_at) }, title: "waiting for" }, ""),
    );
    return row;
  });
  const scroll = el.line.scrollTop;
  fill(el.line, rows);
  el.line.scrollTop = scroll;
  renderSelection();
}

function select(id) {
  selectedId = selectedId === id ? null : id;
  for (const row of el.line.children) row.setAttribute("aria-selected", String(row.dataset.id === selectedId));
  renderSelection();
}

function renderSelection() {
  const place = selectedId ? placeOf(selectedId) : null;
  const count = floor()?.line?.length ?? 0;
  setText(el.selectedName, selectedId ? `${place}. ${withCode(selectedId)}` : "Select a request in the line");
  const none = !selectedId;
  el.giveSelected.disabled = none;
  el.moveUp.disabled = none || place === 1;
  el.moveDown.disabled = none || place === count;
  el.movePlace.disabled = none;
  el.movePlace.max = String(count);
  el.moveTo.disabled = none;
  el.defer.disabled = none;
  el.remove.disabled = none;
}

function renderProgramme(live, item) {
  const current = live.floor.current;
  const turns = item?.turns ?? [];
  fill(
    el.turns,
    turns.length
      ? turns.map((turn) =>
          h(
            "li",
            { testid: "turn", dataset: { id: turn.id, current: String(current?.turn_id === turn.id) } },
            h(
              "span",
              { class: "label" },
              turn.label,
              h("span", { class: "who" }, [turn.speaker_id ? roster.nameOf(turn.speaker_id) : "", turnLimit(turn)].filter(Boolean).join(" · ")),
            ),
            h("button", { type: "button", testid: "give-turn", dataset: { id: turn.id }, onclick: () => giveTurn(turn.id) }, "Give floor"),
          ),
        )
      : h("li", { class: "empty" }, item ? "No programme turns in this item." : "Take up an agenda item."),
  );
  const panelists = item?.panelist_ids ?? [];
  const heard = new Set(live.floor.segment.heard);
  fill(
    el.panelists,
    panelists.length
      ? panelists.map((id) =>
          h(
            "li",
            { testid: "panelist", dataset: { id, current: String(current?.speaker_id === id) } },
            h(
              "span",
              { class: "label" },
              roster.nameOf(id),
              h("span", { class: "who" }, [roster.speakers.get(id)?.affiliation, heard.has(id) ? "heard in this segment" : ""].filter(Boolean).join(" · ")),
            ),
            h("button", { type: "button", testid: "give-panelist", dataset: { id }, onclick: () => giveToPanelist(id) }, "Give floor"),
          ),
        )
      : h("li", { class: "empty" }, "No panelists in this item."),
  );
}

function turnLimit(turn) {
  const limit = turn.limit_s ?? roster.meeting?.limits?.[turn.kind]?.limit_s;
  return limit ? `${formatDuration(limit * 1000)} limit` : "";
}

// --- every frame ------------------------------------------------------------------------------

function paint() {
  const now = conn.clock.now();
  const tz = roster.timezone;
  setText(el.clock, roster.meeting ? timeOfDay(now, tz) : "--:--");
  const live = conn.live;
  if (!live) return;
  const f = live.floor;
  const view = paintCountdown(el.countdown, el.words, f.current?.timer ?? null, now);
  el.speaking.dataset.phase = view.phase;

  for (const cell of el.line.querySelectorAll("[data-since]")) {
    setText(cell, formatDuration(now - Number(cell.dataset.since)));
  }
  paintFit(live, view, now, tz);
}

/** How many of the waiting requests still fit before the slot's scheduled end. */
function paintFit(live, view, now, tz) {
  const f = live.floor;
  const item = f.item_id ? roster.items.get(f.item_id) : null;
  if (!item) {
    setText(el.fit, "");
    return;
  }
  const left = msUntilVenueTime(now, item.end, tz);
  if (left <= 0) {
    setText(el.fit, `Past the scheduled end (${item.end}) by ${roughly(-left)}`);
    el.fit.dataset.fits = "0";
    return;
  }
  const afterCurrent = left - (f.current ? Math.max(0, view.remaining) : 0);
  const fits = Math.max(0, Math.min(f.line.length, Math.floor(afterCurrent / roster.floorLimitMs())));
  el.fit.dataset.fits = String(fits);
  setText(el.fit, `${fits} of ${f.line.length} waiting fit before ${item.end} (${roughly(left)} left)`);
}

/** "48 min", "2 h 05 min" */
function roughly(ms) {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

animate(paint, 500);
signInFromAddress(meetingId).then((session) => session?.error && showError(session.error));

window.floorkeeper = { conn };
