// Moderator console: the current speaker and clock, the waiting line, the programme turns, and
// every act of the floor (docs/protocol.md). The server's refusals are shown as its sentences.
// Everything works from the keyboard: the shortcuts, Tab through the controls, the arrows in the
// waiting line; dialogs hold the focus and close on Escape.

import { announceChange } from "../shared/announce.js";
import { ApiError, meetingApi } from "../shared/api.js";
import { animate, countdownWords, formatDuration, paintCountdown, timeOfDay } from "../shared/clock.js";
import {
  byTestId,
  connectionWords,
  delegationKind,
  describeCurrent,
  fill,
  h,
  meetingIdFromQuery,
  Roster,
  segmentLine,
  setText,
  turnLabel,
} from "../shared/dom.js";
import { formatDate, msg, t } from "../shared/i18n.js";
import { openModal } from "../shared/modal.js";
import { followMeeting, signInFromTheAddress, startScreen } from "../shared/screen.js";
import { signingIn, withSession } from "../shared/session.js";
import { recall, remember } from "../shared/stored.js";
import { delayOf, delayWords, endWords, lateNow } from "../shared/timetable.js";

const meetingId = meetingIdFromQuery();
const api = meetingApi(meetingId);

const $ = (id) => byTestId(id);
const el = {
  title: $("meeting-title"),
  item: $("current-item"),
  timetable: $("timetable"),
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
  shortcuts: $("shortcuts"),
  shortcutsToggle: $("shortcuts-toggle"),
  proposal: $("proposal"),
  proposalText: $("proposal-text"),
  proposalSwitch: $("proposal-switch"),
  lineCount: $("line-count"),
  floorState: $("floor-state"),
  floorToggle: $("floor-toggle"),
  fit: $("fit"),
  suggestion: $("close-suggestion"),
  suggestionText: $("close-suggestion-text"),
  suggestionAct: $("close-suggestion-act"),
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

await startScreen({ placeSwitch: (languages) => el.connection.before(languages) });

let roster = new Roster(null);
let selectedId = null;

const { conn } = followMeeting(meetingId, (c, what, meeting) => {
  roster = meeting.roster;
  if (what === "meeting" || what === "language") renderItemSelect();
  if (what === "error" && c.lastError) showError(c.lastError.message);
  render();
});

// --- acts -------------------------------------------------------------------------------------

/** Send one act; show the server's sentence if it refuses. */
async function act(method, path, body) {
  try {
    const result = await withSession(meetingId, t("signin.why_moderator"), () =>
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
let dialogClose = null;

function confirmAct(text, yesLabel) {
  if (dialogResolve) closeDialog(false);
  setText(el.dialogText, text);
  setText(el.dialogYes, yesLabel);
  dialogClose = openModal(el.dialog, { focus: el.dialogYes, onEscape: () => closeDialog(false) });
  return new Promise((resolve) => {
    dialogResolve = resolve;
  });
}

function closeDialog(answer) {
  dialogClose?.();
  dialogClose = null;
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
  const ok = await confirmAct(t("moderator.confirm_out_of_turn", { name: roster.nameOf(id) }), t("moderator.give_floor"));
  if (ok) act("POST", "/floor/give", { delegation_id: id });
}

async function giveToPanelist(id) {
  const live = conn.live;
  if (!live) return;
  if (live.floor.segment.kind === "panelists" && (live.next ?? [])[0] === id) {
    act("POST", "/floor/next");
    return;
  }
  const ok = await confirmAct(t("moderator.confirm_out_of_turn", { name: roster.nameOf(id) }), t("moderator.give_floor"));
  if (ok) act("POST", "/floor/give", { speaker_id: id });
}

function giveTurn(turnId) {
  act("POST", "/floor/give", { turn_id: turnId });
}

async function removeSelected() {
  if (!selectedId) return;
  const id = selectedId;
  const ok = await confirmAct(t("moderator.confirm_remove", { name: roster.nameOf(id) }), t("moderator.remove"));
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
el.suggestionAct.addEventListener("click", () => floor()?.is_open && act("POST", "/floor/close"));
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
    const title = roster.items.get(itemId)?.title ?? itemId;
    const ok = await confirmAct(t("moderator.confirm_take_up", { title, count: waiting }), t("moderator.take_up"));
    if (!ok) return;
  }
  act("POST", `/items/${enc(itemId)}/start`);
});

// --- keyboard -------------------------------------------------------------------------------

// Single-key shortcuts can be switched off (WCAG 2.1.4): for a moderator who dictates, uses a
// switch device, or just knocks the keyboard. The choice is kept on this computer.
const SHORTCUTS_KEY = "fk.moderator.shortcuts";
let shortcutsOn = recall(SHORTCUTS_KEY) !== "off";

function renderShortcuts() {
  el.shortcutsToggle.checked = shortcutsOn;
  el.shortcuts.hidden = !shortcutsOn;
  document.body.classList.toggle("no-shortcuts", !shortcutsOn);
}

el.shortcutsToggle.addEventListener("change", () => {
  shortcutsOn = el.shortcutsToggle.checked;
  remember(SHORTCUTS_KEY, shortcutsOn ? "on" : "off");
  renderShortcuts();
});
renderShortcuts();

document.addEventListener("keydown", (event) => {
  // A dialog open holds the keyboard itself (modal.js).
  if (!shortcutsOn || signingIn() || !el.dialog.hidden) return;
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
  const target = event.target;
  if (target instanceof HTMLInputElement || target instanceof HTMLSelectElement || target instanceof HTMLTextAreaElement) {
    return;
  }
  // In the waiting line the arrows move and Space or Enter selects (see lineKeys).
  if (target instanceof HTMLElement && target.getAttribute("role") === "option" && [" ", "Enter"].includes(event.key)) {
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
    h("option", { value: "" }, t("moderator.choose_item")),
    (meeting?.days ?? []).map((day) =>
      h(
        "optgroup",
        { label: formatDate(day.date) },
        day.items.map((item) =>
          h("option", { value: item.id, dir: "auto" }, `${item.start}–${item.end} ${item.title}`),
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
  setText(el.connection, connectionWords(conn.status));
  if (meeting) {
    setText(el.title, meeting.title);
    document.title = `${meeting.title} · ${t("title.moderator")}`;
  }
  const live = conn.live;
  if (!live || !meeting) return;
  const f = live.floor;
  const item = f.item_id ? roster.items.get(f.item_id) : null;
  setText(el.item, item ? `${item.start}–${item.end} · ${item.title}` : t("common.no_item"));
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
  setText(el.segment, segmentLine(segment));
  el.segment.dataset.kind = segment.kind;
  const interventions = t("moderator.interventions", { count: segment.interventions });
  setText(el.segmentDetail, item?.has_floor === false ? `${interventions} · ${t("moderator.no_floor")}` : interventions);
  for (const button of document.querySelectorAll(".segment-switch button[data-kind]")) {
    button.setAttribute("aria-pressed", String(button.dataset.kind === segment.kind));
  }

  const current = describeCurrent(roster, f.current);
  if (current) {
    setText(el.speaker, current.name);
    const outOfTurn = f.current.out_of_turn ? t("moderator.out_of_turn") : "";
    setText(el.detail, [current.code, current.detail, outOfTurn].filter(Boolean).join(" · "));
  } else {
    setText(el.speaker, t("common.no_one_speaking"));
    setText(el.detail, "");
  }
  el.speaker.dataset.id = f.current?.speaker_id ?? "";

  const timer = f.current?.timer;
  const label = { running: t("moderator.pause"), paused: t("moderator.resume") }[timer?.state] ?? t("moderator.start");
  fill(el.timerToggle, label, " ", h("kbd", {}, t("moderator.key_space")));
  el.timerToggle.dataset.state = timer?.state ?? "none";
  for (const b of [el.timerToggle, el.timerMinus, el.timerPlus, el.timerReset, el.end]) b.disabled = !f.current;

  const nextId = (live.next ?? [])[0];
  setText(el.nextName, nextId ? withCode(nextId) : t("moderator.next_none"));
  el.nextName.dataset.id = nextId ?? "";
  announceChange("next", nextId ?? null, () => t("announce.next_speaker", { name: roster.nameOf(nextId) }));

  el.proposal.hidden = !live.proposal;
  setText(el.proposalText, live.proposal ? t("moderator.proposal", { reason: proposalReason(live) }) : "");
}

const REASONS = {
  interventions: msg("moderator.reason_interventions"),
  minutes: msg("moderator.reason_minutes"),
  no_one_waiting: msg("moderator.next_none"),
  panelists_done: msg("moderator.reason_panelists_done"),
};

/** Why the engine proposes a switch, from its reason code; else its own English sentence. */
function proposalReason(live) {
  const reason = live.proposal_reason;
  const key = reason && REASONS[reason.code];
  return key ? t(key, { count: reason.count }) : live.proposal;
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
  setText(el.floorState, f.is_open ? t("floor.open") : t("floor.closed"));
  fill(el.floorToggle, f.is_open ? t("moderator.close_floor") : t("moderator.open_floor"), " ", h("kbd", {}, "O"));
  el.floorToggle.dataset.open = String(f.is_open);
  el.lineEmpty.hidden = line.length > 0;

  const spoken = new Set(f.spoken);
  const notHeard = new Set(live.forecast?.not_heard ?? []);
  const nextId = (live.next ?? [])[0];
  // The row that has the focus keeps it through the re-render.
  const focusedId = el.line.contains(document.activeElement) ? document.activeElement.dataset.id : null;
  const rows = line.map((request, index) => {
    const id = request.delegation_id;
    const delegation = roster.delegations.get(id);
    return h(
      "li",
      {
        role: "option",
        tabindex: "-1",
        testid: "line-row",
        dataset: { id, next: String(id === nextId), heard: String(!notHeard.has(id)) },
        "aria-selected": String(id === selectedId),
        onclick: () => select(id),
      },
      h("span", { class: "place" }, String(index + 1)),
      h("span", { class: "name", dir: "auto" }, roster.nameOf(id), " ", delegation?.iso3 ? h("span", { class: "code" }, delegation.iso3) : null),
      h(
        "span",
        { class: "kind" },
        h("span", {}, delegationKind(delegation)),
        spoken.has(id) ? null : h("span", { class: "badge first", testid: "not-spoken" }, t("moderator.not_spoken")),
        request.deferred ? h("span", { class: "badge deferred" }, t("moderator.deferred")) : null,
        notHeard.has(id) ? h("span", { class: "badge not-heard", testid: "may-not-be-heard" }, t("moderator.may_not_be_heard")) : null,
      ),
      h("span", { class: "waited digits", dataset: { since: String(request.requested_at) }, title: t("moderator.waited") }, ""),
    );
  });
  const scroll = el.line.scrollTop;
  fill(el.line, rows);
  el.line.scrollTop = scroll;
  rovingFocus(focusedId);
  if (focusedId) rowOf(focusedId)?.focus({ preventScroll: true });
  renderSelection();
  renderForecast(live);
}

/** The server's forecast of the waiting line (docs/protocol.md, `forecast`): how many will be
 * heard before the slot's scheduled end, and its suggestion to close the floor. */
function renderForecast(live) {
  const f = live.floor;
  const forecast = live.forecast;
  const end = live.timetable ? timeOfDay(live.timetable.scheduled_end, roster.timezone) : null;
  if (!forecast || !end) {
    setText(el.fit, "");
    delete el.fit.dataset.heard;
    el.fit.dataset.fits = "";
    el.suggestion.hidden = true;
    return;
  }
  el.fit.dataset.heard = String(forecast.heard);
  el.fit.dataset.fits = String(forecast.fits);
  setText(el.fit, f.line.length ? t("moderator.forecast", { heard: forecast.heard, count: f.line.length, end }) : "");
  const suggest = f.is_open && forecast.suggestion === "close the floor";
  el.suggestion.hidden = !suggest;
  setText(el.suggestionText, suggest ? t("moderator.suggest_close_why", { end }) : "");
}

function rowOf(id) {
  return id ? el.line.querySelector(`[data-id="${CSS.escape(id)}"]`) : null;
}

/** One row of the line is in the Tab order: the selected one, else the one last focused, else
 * the first; the arrows move between them. */
function rovingFocus(preferredId) {
  const rows = [...el.line.children];
  const stop = rowOf(selectedId) ?? rowOf(preferredId) ?? rows[0];
  for (const row of rows) row.tabIndex = row === stop ? 0 : -1;
}

el.line.addEventListener("keydown", (event) => {
  const row = event.target.closest?.("[role=option]");
  if (!row) return;
  const rows = [...el.line.children];
  const index = rows.indexOf(row);
  const to = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: rows.length - 1 }[event.key];
  if (to !== undefined) {
    event.preventDefault();
    const target = rows[Math.max(0, Math.min(rows.length - 1, to))];
    for (const r of rows) r.tabIndex = r === target ? 0 : -1;
    target.focus();
  } else if (event.key === " " || event.key === "Enter") {
    event.preventDefault();
    select(row.dataset.id);
  }
});

function select(id) {
  selectedId = selectedId === id ? null : id;
  for (const row of el.line.children) row.setAttribute("aria-selected", String(row.dataset.id === selectedId));
  rovingFocus(id);
  renderSelection();
}

function renderSelection() {
  const place = selectedId ? placeOf(selectedId) : null;
  const count = floor()?.line?.length ?? 0;
  setText(el.selectedName, selectedId ? `${place}. ${withCode(selectedId)}` : t("moderator.select_request"));
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
              turnLabel(turn),
              h("span", { class: "who" }, [turn.speaker_id ? roster.nameOf(turn.speaker_id) : "", turnLimit(turn)].filter(Boolean).join(" · ")),
            ),
            h("button", { type: "button", testid: "give-turn", dataset: { id: turn.id }, onclick: () => giveTurn(turn.id) }, t("moderator.give")),
          ),
        )
      : h("li", { class: "empty" }, item ? t("moderator.no_turns") : t("moderator.take_up_first")),
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
              h("span", { class: "who" }, [roster.speakers.get(id)?.affiliation, heard.has(id) ? t("moderator.heard") : ""].filter(Boolean).join(" · ")),
            ),
            h("button", { type: "button", testid: "give-panelist", dataset: { id }, onclick: () => giveToPanelist(id) }, t("moderator.give")),
          ),
        )
      : h("li", { class: "empty" }, t("moderator.no_panelists")),
  );
}

function turnLimit(turn) {
  const limit = turn.limit_s ?? roster.meeting?.limits?.[turn.kind]?.limit_s;
  return limit ? t("moderator.limit", { time: formatDuration(limit * 1000) }) : "";
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
  const phaseKey = f.current ? `${f.current.number}:${view.phase}` : null;
  announceChange("phase", phaseKey, () => phaseWords(view), { assertive: true });

  for (const cell of el.line.querySelectorAll("[data-since]")) {
    setText(cell, formatDuration(now - Number(cell.dataset.since)));
  }
  paintTimetable(live, now, tz);
}

/** The item against the programme: scheduled slot, actual start, how late, forecast end. */
function paintTimetable(live, now, tz) {
  const tt = live.timetable;
  if (!tt) {
    setText(el.timetable, "");
    el.timetable.dataset.delay = "";
    return;
  }
  const late = lateNow(tt, now);
  el.timetable.dataset.delay = delayOf(late) ?? "";
  el.timetable.dataset.lateMs = String(late ?? "");
  const parts = [
    t("timetable.scheduled", { start: timeOfDay(tt.scheduled_start, tz), end: timeOfDay(tt.scheduled_end, tz) }),
    tt.actual_start != null ? t("timetable.started", { time: timeOfDay(tt.actual_start, tz) }) : "",
    delayWords(late),
    endWords(tt, tz),
  ];
  setText(el.timetable, parts.filter(Boolean).join(" · "));
}

/** A warning or time up, for a screen reader: nothing for the other phases. */
function phaseWords(view) {
  if (view.phase === "warning") return t("announce.warning", { words: countdownWords(view, true) });
  if (view.phase === "overrun") return t("announce.time_up");
  return "";
}

animate(paint, 500);
signInFromTheAddress(meetingId, showError);

window.floorkeeper = { conn };
