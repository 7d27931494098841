// Co-facilitators' overview: this meeting's programme with scheduled and actual times, and the
// live state of every meeting the server holds, each with links to its console and display.

import { listMeetings, meetingApi } from "../shared/api.js";
import { animate, formatDuration, paintCountdown, ServerClock, timeOfDay } from "../shared/clock.js";
import {
  byTestId,
  connectionWords,
  describeCurrent,
  fill,
  h,
  meetingIdFromQuery,
  Roster,
  segmentLine,
  setText,
} from "../shared/dom.js";
import { formatDate, t } from "../shared/i18n.js";
import { followMeeting, signInFromTheAddress, startScreen } from "../shared/screen.js";
import { delayOf, delayWords, endWords, lateNow } from "../shared/timetable.js";

const ROOMS_REFRESH_MS = 5_000;
/** The timetable is fetched again when the meeting changes, and at least this often: a room
 * waiting for its next item falls further behind with the clock alone. */
const TIMETABLE_REFRESH_MS = 60_000;

const meetingId = meetingIdFromQuery();
const clock = new ServerClock();

const el = {
  meeting: byTestId("chair-meeting"),
  venue: byTestId("chair-venue"),
  connection: byTestId("connection"),
  clock: byTestId("time-of-day"),
  days: byTestId("programme-days"),
  programmeError: byTestId("programme-error"),
  rooms: byTestId("room-list"),
  roomsEmpty: byTestId("rooms-empty"),
  error: byTestId("chair-error"),
};

await startScreen({ placeSwitch: (languages) => el.connection.before(languages) });

/** @type {Map<string, {conn: MeetingConnection, roster: Roster, row: HTMLElement, parts: Record<string, HTMLElement>, summary: object | null}>} */
const rooms = new Map();

function openRoom(id) {
  const room = { conn: null, roster: new Roster(null), row: null, parts: {}, summary: null };
  room.row = buildRoomRow(id, room.parts);
  labelRoomLinks(room);
  room.followed = followMeeting(
    id,
    (conn, what, meeting) => {
      room.roster = meeting.roster;
      if (what === "language") labelRoomLinks(room);
      renderRoom(room);
      if (id === meetingId && what !== "names") {
        renderHeader();
        if (what === "meeting" || what === "language") renderProgramme();
        refreshTimetableOnChange(conn);
      }
    },
    { clock },
  );
  room.conn = room.followed.conn;
  rooms.set(id, room);
  return room;
}


function buildRoomRow(id, parts) {
  parts.title = h("div", { class: "room-title", dir: "auto", testid: "room-title" }, id);
  parts.where = h("div", { class: "room-where", testid: "room-where" }, h("span", { class: "code" }, id));
  parts.item = h("div", { class: "room-item", dir: "auto", testid: "room-item" });
  parts.delay = h("div", { class: "room-delay", testid: "room-delay", dataset: { delay: "" } });
  parts.speaker = h("div", { class: "room-speaker", testid: "room-speaker" });
  parts.floor = h("div", { class: "room-floor", testid: "room-floor" });
  parts.countdown = h("div", { class: "room-countdown countdown digits", testid: "room-countdown", dataset: { phase: "none" } });
  const q = `?meeting=${encodeURIComponent(id)}`;
  return h(
    "li",
    { class: "room", testid: "room", dataset: { meetingId: id, here: String(id === meetingId) } },
    parts.title,
    parts.where,
    parts.item,
    parts.delay,
    parts.speaker,
    parts.floor,
    parts.countdown,
    h(
      "div",
      { class: "links" },
      (parts.console = h("a", { class: "button", href: `/moderator${q}`, testid: "room-console" })),
      (parts.display = h("a", { class: "button", href: `/display${q}`, testid: "room-display" })),
      (parts.tablet = h("a", { class: "button", href: `/tablet${q}`, testid: "room-tablet" })),
      id === meetingId ? null : (parts.programme = h("a", { class: "button", href: `/chair${q}`, testid: "room-programme" })),
    ),
  );
}

function labelRoomLinks(room) {
  const { parts } = room;
  setText(parts.console, t("title.moderator"));
  setText(parts.display, t("title.display"));
  setText(parts.tablet, t("chair.link_tablet"));
  if (parts.programme) setText(parts.programme, t("chair.programme"));
  parts.countdown.dataset.offlineLabel = t("chair.offline");
}

function renderRoom(room) {
  const { conn, roster, parts, row } = room;
  row.dataset.status = conn.status;
  if (conn.meeting) {
    setText(parts.title, conn.meeting.title);
    const where = conn.meeting.room ?? room.summary?.room ?? conn.meeting.venue;
    fill(parts.where, h("span", { class: "code" }, conn.meetingId), where ? ` ${where}` : "");
  }
  const live = conn.live;
  if (!live) return;
  const floor = live.floor;
  const item = floor.item_id ? roster.items.get(floor.item_id) : null;
  setText(parts.item, item ? `${item.start}–${item.end} · ${item.title}` : t("common.no_item"));
  const current = describeCurrent(roster, floor.current);
  const who = current ? [current.name, current.code].filter(Boolean).join(" · ") : "";
  setText(parts.speaker, current ? t("chair.speaking", { name: who }) : t("common.no_one_speaking"));
  const state = [floor.is_open ? t("floor.open") : t("floor.closed"), t("chair.waiting", { count: floor.line.length })];
  if (item?.has_floor) state.push(segmentLine(floor.segment));
  setText(parts.floor, state.join(" · "));
}

async function refreshRooms() {
  try {
    const listed = await listMeetings();
    const summaries = Array.isArray(listed) ? listed : (listed?.meetings ?? []);
    const ids = summaries.map((m) => m.id);
    if (!ids.includes(meetingId)) ids.unshift(meetingId);
    for (const [id, room] of rooms) {
      if (!ids.includes(id)) {
        room.followed.stop();
        room.row.remove();
        rooms.delete(id);
      }
    }
    // This meeting first, then the others by title.
    const titleOf = (id) => summaries.find((m) => m.id === id)?.title ?? id;
    ids.sort((a, b) => (a === meetingId ? -1 : b === meetingId ? 1 : titleOf(a).localeCompare(titleOf(b))));
    for (const id of ids) {
      const room = rooms.get(id) ?? openRoom(id);
      room.summary = summaries.find((m) => m.id === id) ?? null;
      el.rooms.append(room.row);
    }
    el.roomsEmpty.hidden = ids.length > 0;
    el.error.hidden = true;
  } catch (error) {
    setText(el.error, t("chair.list_failed", { reason: error.message }));
    el.error.hidden = false;
  }
}

// --- the programme ---------------------------------------------------------------------------

/** The last answer of GET /api/meetings/{id}/timetable (docs/programme.md), or null. */
let timetable = null;
let timetableSeq = 0;
let timetableSeenVersion = null;

/** Fetch the timetable again when the meeting's version moves (an act, an import, or a store
 * that was reset), since the status of every item may have changed with it. */
function refreshTimetableOnChange(conn) {
  const version = `${conn.meetingVersion}/${conn.version}`;
  if (version === timetableSeenVersion) return;
  timetableSeenVersion = version;
  refreshTimetable();
}

async function refreshTimetable() {
  const seq = ++timetableSeq;
  try {
    const body = await meetingApi(meetingId).get("/timetable");
    if (seq !== timetableSeq) return; // a later fetch is on its way
    timetable = body;
    el.programmeError.hidden = true;
    renderProgramme();
  } catch (error) {
    if (seq !== timetableSeq) return;
    setText(el.programmeError, t("chair.timetable_failed", { reason: error.message }));
    el.programmeError.hidden = false;
  }
}

function renderHeader() {
  const main = rooms.get(meetingId);
  const meeting = main?.conn.meeting;
  el.connection.dataset.status = main?.conn.status ?? "connecting";
  setText(el.connection, connectionWords(main?.conn.status ?? "connecting"));
  if (!meeting) {
    if (main?.conn.lastError) setText(el.meeting, main.conn.lastError.message);
    return;
  }
  setText(el.meeting, meeting.title);
  setText(el.venue, [meeting.venue, meeting.timezone].filter(Boolean).join(" · "));
  document.title = `${meeting.title} · ${t("title.chair")}`;
}

const dateFormatters = new Map();

/** "2017-06-19": the venue's date at server instant `ms`. */
function venueDate(ms, timeZone) {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone });
    dateFormatters.set(timeZone, f);
  }
  return f.format(new Date(ms));
}

function renderProgramme() {
  if (!timetable) return;
  const tz = timetable.timezone || "UTC";
  // What the timetable does not say of an item (whether it has a floor) comes from the meeting.
  const programmeItems = new Map();
  for (const day of rooms.get(meetingId)?.conn.meeting?.days ?? []) {
    for (const item of day.items) programmeItems.set(item.id, item);
  }
  const days = [];
  for (const slot of timetable.items) {
    const date = venueDate(slot.scheduled_start, tz);
    if (days.at(-1)?.date !== date) days.push({ date, slots: [] });
    days.at(-1).slots.push(slot);
  }
  fill(
    el.days,
    days.map((day) =>
      h(
        "div",
        { class: "day", testid: "programme-day", dataset: { date: day.date } },
        h("h3", {}, formatDate(day.date)),
        h(
          "table",
          {},
          h("colgroup", {}, h("col", { class: "time" }), h("col"), h("col", { class: "actual" }), h("col", { class: "state" })),
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              h("th", {}, t("chair.scheduled")),
              h("th", {}, t("chair.item")),
              h("th", {}, t("chair.actual")),
              h("th", {}, t("chair.state")),
            ),
          ),
          h(
            "tbody",
            {},
            day.slots.map((slot) => programmeRow(slot, programmeItems.get(slot.item_id), tz)),
          ),
        ),
      ),
    ),
  );
}

/** Each status in words and in a shape, not in colour alone. */
const STATUS = {
  to_come: { mark: "○", words: () => t("chair.to_come") },
  under_way: { mark: "●", words: () => t("chair.under_way") },
  done: { mark: "✓", words: () => t("chair.ended") },
  passed: { mark: "↷", words: () => t("chair.not_taken_up") },
};

function programmeRow(slot, item, tz) {
  const status = STATUS[slot.status] ?? STATUS.to_come;
  const span = (start, end) => `${start != null ? timeOfDay(start, tz) : ""}–${end != null ? timeOfDay(end, tz) : ""}`;
  const actualText = slot.actual_start != null ? span(slot.actual_start, slot.actual_end) : "—";
  const sub = [slot.room, item?.has_floor ? t("chair.has_floor") : ""].filter(Boolean).join(" · ");
  const says = delaySentence(slot);
  return h(
    "tr",
    {
      testid: "programme-item",
      dataset: { itemId: slot.item_id, status: slot.status, delay: slot.delay ?? "" },
      "aria-current": slot.status === "under_way" ? "step" : null,
    },
    h("td", { testid: "programme-scheduled" }, h("span", { class: "digits" }, span(slot.scheduled_start, slot.scheduled_end))),
    h("td", { class: "item-title" }, h("span", { class: "t", dir: "auto" }, slot.title), sub ? h("span", { class: "sub" }, sub) : null),
    h("td", { testid: "programme-actual" }, h("span", { class: "digits" }, actualText)),
    h(
      "td",
      { testid: "programme-state" },
      h(
        "span",
        { class: "status", testid: "programme-status" },
        h("span", { class: "mark", "aria-hidden": "true" }, status.mark),
        " ",
        status.words(),
      ),
      says ? h("span", { class: `sub says${slot.delay === "late" ? " late" : ""}`, testid: "programme-delay" }, says) : null,
    ),
  );
}

/** The server's `says` in the language in use: "ended 5 min late", "running 12 min late"... */
function delaySentence(slot) {
  if (slot.late_ms == null) return "";
  if (slot.status !== "done") return delayWords(slot.late_ms);
  const count = Math.floor((Math.abs(slot.late_ms) + 30_000) / 60_000);
  const delay = delayOf(slot.late_ms);
  if (delay === "late") return t("chair.ended_late", { count });
  if (delay === "ahead") return t("chair.ended_early", { count });
  return t("chair.ended_on_time");
}

// --- every frame -------------------------------------------------------------------------------

function paint() {
  const now = clock.now();
  const main = rooms.get(meetingId);
  const tz = main?.roster.timezone ?? "UTC";
  setText(el.clock, main?.conn.meeting ? timeOfDay(now, tz) : "--:--");
  for (const room of rooms.values()) {
    const timer = room.conn.live?.floor.current?.timer ?? null;
    const view = paintCountdown(room.parts.countdown, null, timer, now);
    if (view.phase === "none") setText(room.parts.countdown, "");
    room.parts.countdown.title = view.phase === "overrun" ? t("timer.over_by", { time: formatDuration(-view.remaining) }) : "";
    paintDelay(room, now);
  }
}

/** The room against its programme: running late, on time or ahead (recomputed from the facts
 * of its last live message, or of the meetings list until the websocket has spoken), and when
 * its item under way is expected to end. */
function paintDelay(room, now) {
  const live = room.conn.live;
  const tt = live ? live.timetable : (room.summary?.timetable ?? null);
  const late = lateNow(tt, now);
  const tz = room.roster.timezone ?? "UTC";
  room.parts.delay.dataset.delay = delayOf(late) ?? "";
  setText(room.parts.delay, tt ? [delayWords(late), endWords(tt, tz)].filter(Boolean).join(" · ") : "");
}

openRoom(meetingId);
el.rooms.append(rooms.get(meetingId).row);
refreshRooms();
setInterval(refreshRooms, ROOMS_REFRESH_MS);
refreshTimetable();
setInterval(refreshTimetable, TIMETABLE_REFRESH_MS);
animate(paint, 500);
signInFromTheAddress(meetingId, (sentence) => {
  setText(el.error, sentence);
  el.error.hidden = false;
});

window.floorkeeper = { rooms, clock };
