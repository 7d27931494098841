// Delegation tablet: choose the delegation once, request the floor or withdraw, see the place in
// line, and "You have the floor" with its own countdown when the moderator gives it. Its user
// chooses the language (remembered on the device); a screen reader hears the place in line, and
// "You have the floor" at once; a phone vibrates when the floor is given.

import { announce, announceChange } from "../shared/announce.js";
import { ApiError, meetingApi } from "../shared/api.js";
import { animate, countdownWords, paintCountdown, readTimer } from "../shared/clock.js";
import { byTestId, connectionWords, fill, h, meetingIdFromQuery, Roster, setText } from "../shared/dom.js";
import { compareNames, t } from "../shared/i18n.js";
import { followMeeting, signInFromTheAddress, startScreen } from "../shared/screen.js";
import { search } from "../shared/search.js";
import { askForCode, whoAmI } from "../shared/session.js";
import { recall, remember } from "../shared/stored.js";

const meetingId = meetingIdFromQuery();
const api = meetingApi(meetingId);
const storageKey = `floorkeeper:delegation:${meetingId}`;

const el = {
  delegation: byTestId("tablet-delegation"),
  meeting: byTestId("tablet-meeting"),
  connection: byTestId("connection"),
  change: byTestId("change-delegation"),
  picker: byTestId("picker"),
  search: byTestId("picker-search"),
  list: byTestId("picker-list"),
  empty: byTestId("picker-empty"),
  main: byTestId("tablet-main"),
  now: byTestId("tablet-now"),
  button: byTestId("request-button"),
  status: byTestId("tablet-status"),
  reason: byTestId("tablet-reason"),
  error: byTestId("tablet-error"),
  errorText: byTestId("tablet-error-text"),
  errorClose: byTestId("tablet-error-close"),
  given: byTestId("floor-given"),
  givenName: byTestId("floor-given-name"),
  countdown: byTestId("tablet-countdown"),
  words: byTestId("tablet-timer-words"),
  givenConnection: byTestId("floor-given-connection"),
  bar: document.querySelector(".bar"),
  barSide: byTestId("bar-side"),
};

await startScreen({ placeSwitch: (languages) => el.barSide.prepend(languages) });

let roster = new Roster(null);
/** Delegation id → the terms that find it in the picker (web/shared/search.js). */
let aliases = new Map();
/** The delegation this tablet speaks for; a `?delegation=` in the address chooses it too. */
let myId = new URLSearchParams(location.search).get("delegation") || readStored();
let busy = false;
/** The delegation this browser is signed in as, if the server has sign-in. */
let signedInAs = null;
/** Until the session is known, the picker waits (a signed-in tablet never needs it). */
let sessionKnown = false;

function readStored() {
  return recall(storageKey);
}

function store(id) {
  remember(storageKey, id || null);
}

const { conn } = followMeeting(meetingId, (c, what, meeting) => {
  roster = meeting.roster;
  if (what === "meeting") {
    api.get("/names/aliases").then((found) => {
      aliases = new Map(Object.entries(found));
      renderPicker();
    }, () => {});
  }
  if (what === "meeting" || what === "names" || what === "language") renderPicker();
  render();
});

// --- choosing the delegation ----------------------------------------------------------------

function choose(id) {
  myId = id;
  store(id);
  el.search.value = "";
  hideError();
  render();
}

el.change.addEventListener("click", () => {
  myId = null;
  store(null);
  renderPicker();
  render();
  el.search.focus();
});

el.search.addEventListener("input", renderPicker);
el.search.addEventListener("keydown", (event) => {
  if (event.key !== "Enter") return;
  const first = el.list.querySelector("button");
  if (first) first.click();
});

/** The terms that find a delegation: the name on screen, and the server's (names in the six
 * languages, usual and former names, codes). */
function termsOf(delegation) {
  return [roster.nameOf(delegation.id), ...(aliases.get(delegation.id) ?? [delegation.name, delegation.id, delegation.iso3, delegation.iso2])];
}

function renderPicker() {
  const delegations = roster.meeting?.delegations ?? [];
  const query = el.search.value.trim();
  const sorted = [...delegations].sort((a, b) => compareNames(roster.nameOf(a.id), roster.nameOf(b.id)));
  const shown = search(query, sorted, termsOf);
  fill(
    el.list,
    shown.map((d) =>
      h(
        "li",
        {},
        h(
          "button",
          { type: "button", testid: "picker-option", dataset: { id: d.id }, onclick: () => choose(d.id) },
          d.iso3 ? h("span", { class: "code" }, d.iso3) : null,
          h("span", {}, roster.nameOf(d.id)),
        ),
      ),
    ),
  );
  el.empty.hidden = shown.length > 0 || !roster.meeting;
}

// --- requesting -------------------------------------------------------------------------

function myPlace() {
  const line = conn.live?.floor?.line ?? [];
  const index = line.findIndex((r) => r.delegation_id === myId);
  return index < 0 ? null : index + 1;
}

el.button.addEventListener("click", async () => {
  if (busy || !myId) return;
  const withdrawing = myPlace() !== null;
  busy = true;
  hideError();
  render();
  const send = () =>
    withdrawing
      ? api.del(`/floor/requests/${encodeURIComponent(myId)}`)
      : api.post("/floor/requests", { delegation_id: myId });
  try {
    let result;
    try {
      result = await send();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
      // The server wants this tablet signed in: the delegation's code also says who it is.
      const session = await askForCode(meetingId, t("signin.why_delegation"));
      if (!session) return;
      if (session.role === "delegation" && session.subject) signedInAs = session.subject;
      if (session.role === "delegation" && session.subject && session.subject !== myId) {
        choose(session.subject);
        return;
      }
      result = await send();
    }
    // Stay busy until the screen shows what the server did, so a second press cannot repeat it.
    if (result && typeof result.version === "number") await conn.reached(result.version);
  } catch (error) {
    if (!harmless(error, withdrawing)) showError(error instanceof ApiError ? error.message : String(error));
  } finally {
    busy = false;
    render();
  }
});

/** Refusals that only say the tablet pressed twice: the request already is as the user wants. */
function harmless(error, withdrawing) {
  if (!(error instanceof ApiError)) return false;
  // The line already is as the tablet wanted (a second tap, or two tablets of one delegation).
  return withdrawing ? error.reason === "not_waiting" : error.reason === "already_waiting";
}

function showError(message) {
  setText(el.errorText, message);
  el.error.hidden = false;
}

function hideError() {
  el.error.hidden = true;
}

el.errorClose.addEventListener("click", hideError);

// --- rendering ------------------------------------------------------------------------------

function render() {
  const meeting = conn.meeting;
  setText(el.meeting, meeting ? meeting.title : "");
  const online = conn.status === "online";
  el.connection.dataset.status = conn.status;
  setText(el.connection, connectionWords(conn.status));

  if (!meeting) {
    el.picker.hidden = true;
    el.main.hidden = true;
    if (conn.lastError) setText(el.delegation, conn.lastError.message);
    return;
  }
  const mine = myId ? roster.delegations.get(myId) : null;
  if (myId && !mine) {
    // The stored choice is not in this meeting's roster: choose again.
    myId = null;
  }
  el.change.hidden = !mine || signedInAs === mine.id;
  if (!mine) {
    setText(el.delegation, t("title.tablet"));
    el.picker.hidden = !sessionKnown;
    el.main.hidden = true;
    if (!el.given.hidden) floorGiven(false);
    return;
  }
  setText(el.delegation, roster.nameOf(mine.id));
  el.delegation.dataset.id = mine.id;
  el.picker.hidden = true;
  el.main.hidden = false;

  const live = conn.live;
  if (!live) return;
  const floor = live.floor;
  const place = myPlace();
  const waiting = place !== null;
  el.button.dataset.action = waiting ? "withdraw" : "request";
  const label = busy
    ? waiting
      ? t("tablet.withdrawing")
      : t("tablet.sending")
    : waiting
      ? t("tablet.withdraw")
      : t("tablet.request");
  setText(el.button, label);
  el.button.classList.toggle("primary", !waiting);

  let reason = "";
  let enabled = true;
  if (!online) {
    enabled = false;
    reason = t("tablet.reason_offline");
  } else if (!waiting && !floor.is_open) {
    enabled = false;
    reason = floor.item_id ? t("tablet.reason_closed") : t("tablet.reason_no_item");
  } else if (waiting && !floor.is_open) {
    reason = t("tablet.reason_stands");
  }
  el.button.disabled = busy || !enabled;
  setText(el.reason, reason);
  el.main.dataset.floorOpen = String(floor.is_open);
  paint();
}

/** "3rd in line, about 6 min": the places ahead times the floor limit, plus the current speaker. */
function waitWords(place) {
  const live = conn.live;
  const current = live.floor.current;
  const now = conn.clock.now();
  let ms = (place - 1) * roster.floorLimitMs();
  if (current && current.speaker_id !== myId) ms += Math.max(0, readTimer(current.timer, now).remaining);
  const minutes = ms >= 60_000 ? Math.round(ms / 60_000) : 0;
  if (isNext()) return minutes ? t("tablet.next_in", { count: minutes }) : t("tablet.next");
  const where = t("tablet.place", { ordinal: place });
  return minutes ? t("tablet.place_about", { place: where, about: t("tablet.about", { count: minutes }) }) : where;
}

function isNext() {
  return (conn.live?.next ?? [])[0] === myId;
}

function paint() {
  const live = conn.live;
  if (!live || !myId || el.main.hidden) {
    if (!el.given.hidden) floorGiven(false);
    return;
  }
  const now = conn.clock.now();
  const current = live.floor.current;
  const place = myPlace();
  setText(el.status, place !== null ? waitWords(place) : "");
  el.status.dataset.place = place === null ? "" : String(place);
  // The place, not the minutes (they change all the time), and "You are next".
  const placeKey = place === null ? "none" : isNext() ? "next" : String(place);
  announceChange("place", placeKey, () =>
    placeKey === "none" ? "" : placeKey === "next" ? t("tablet.next") : t("tablet.place", { ordinal: place }),
  );

  if (current && current.speaker_id !== myId) {
    const view = readTimer(current.timer, now);
    const name = roster.names.get(current.speaker_id) || current.name;
    setText(el.now, t("tablet.now_speaking", { name, time: countdownWords(view, true) }));
  } else {
    setText(el.now, live.floor.is_open ? t("floor.open_sentence") : "");
  }

  const mineNow = Boolean(current && current.speaker_id === myId);
  if (el.given.hidden === mineNow) floorGiven(mineNow);
  if (mineNow) {
    setText(el.givenName, roster.nameOf(myId));
    const view = paintCountdown(el.countdown, el.words, current.timer, now);
    el.given.dataset.phase = view.phase;
    setText(el.givenConnection, conn.status === "online" ? "" : t("tablet.given_offline"));
    announceChange(
      "phase",
      `${current.number}:${view.phase}`,
      () =>
        view.phase === "warning"
          ? t("announce.warning", { words: countdownWords(view, true) })
          : view.phase === "overrun"
            ? t("announce.time_up")
            : "",
      { assertive: true },
    );
  }
}

/** The floor given or taken back: the whole screen says it, a reader hears it at once, a phone
 * vibrates; what is under the notice cannot be reached by the keyboard meanwhile. */
function floorGiven(given) {
  el.given.hidden = !given;
  for (const part of [el.bar, el.picker, el.main]) part.inert = given;
  if (!given) return;
  announce(t("tablet.floor_given"), { assertive: true });
  if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
}

animate(paint);

// Signed in with a delegation's code (from the sheet's link, or earlier): that is who we are.
(async () => {
  const fromAddress = await signInFromTheAddress(meetingId, showError);
  const session = fromAddress && !fromAddress.error ? fromAddress : await whoAmI();
  sessionKnown = true;
  if (session?.role === "delegation" && session.subject && (session.meeting_id ?? meetingId) === meetingId) {
    signedInAs = session.subject;
    choose(session.subject);
  } else {
    render();
  }
})();

window.floorkeeper = { conn };
