// Co-facilitators' overview: this meeting's programme with scheduled and actual times, and the
// live state of every meeting the server holds, each with links to its console and display.

import { listMeetings } from "../shared/api.js";
import { animate, formatDuration, paintCountdown, parseHHMM, ServerClock, timeOfDay, venueMinutes } from "../shared/clock.js";
import {
  byTestId,
  connectionWords,
  describeCurrent,
  fill,
  h,
  meetingIdFromQuery,
  refreshNames,
  Roster,
  segmentLine,
  setText,
} from "../shared/dom.js";
import {
  formatDate,
  languageSwitch,
  onLanguageChange,
  preferredLanguage,
  setLanguage,
  t,
} from "../shared/i18n.js";
import { signInFromAddress } from "../shared/session.js";
import { delayOf, delayWords, endWords, lateNow } from "../shared/timetable.js";
import { MeetingConnection } from "../shared/ws.js";

const ROOMS_REFRESH_MS = 5_000;

const meetingId = meetingIdFromQuery();
const clock = new ServerClock();

const el = {
  meeting: byTestId("chair-meeting"),
  venue: byTestId("chair-venue"),
  connection: byTestId("connection"),
  clock: byTestId("time-of-day"),
  days: byTestId("programme-days"),
  rooms: byTestId("room-list"),
  roomsEmpty: byTestId("rooms-empty"),
  error: byTestId("chair-error"),
};

await setLanguage(preferredLanguage());
el.connection.before(languageSwitch());

/** @type {Map<string, {conn: MeetingConnection, roster: Roster, row: HTMLElement, parts: Record<string, HTMLElement>, summary: object | null}>} */
const rooms = new Map();

function openRoom(id) {
  const room = { conn: null, roster: new Roster(null), row: null, parts: {}, summary: null };
  room.row = buildRoomRow(id, room.parts);
  labelRoomLinks(room);
  room.conn = new MeetingConnection(id, {
    clock,
    onChange: (conn, what) => {
      if (what === "meeting") {
        room.roster = new Roster(conn.meeting, room.roster.names);
        refreshNames(() => room.roster, () => renderRoom(room));
      }
      renderRoom(room);
      if (id === meetingId) renderProgramme();
    },
  }).start();
  rooms.set(id, room);
  return room;
}

onLanguageChange(() => {
  for (const room of rooms.values()) {
    labelRoomLinks(room);
    refreshNames(() => room.roster, () => renderRoom(room));
    renderRoom(room);
  }
  renderProgramme();
});

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
        room.conn.stop();
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

function renderProgramme() {
  const main = rooms.get(meetingId);
  const meeting = main?.conn.meeting;
  const live = main?.conn.live;
  el.connection.dataset.status = main?.conn.status ?? "connecting";
  setText(el.connection, connectionWords(main?.conn.status ?? "connecting"));
  if (!meeting) {
    if (main?.conn.lastError) setText(el.meeting, main.conn.lastError.message);
    return;
  }
  setText(el.meeting, meeting.title);
  setText(el.venue, [meeting.venue, meeting.timezone].filter(Boolean).join(" · "));
  document.title = `${meeting.title} · ${t("title.chair")}`;
  const tz = meeting.timezone || "UTC";
  const times = new Map((live?.floor.items ?? []).map((t) => [t.item_id, t]));
  const currentId = live?.floor.item_id ?? null;
  fill(
    el.days,
    meeting.days.map((day) =>
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
            day.items.map((item) => programmeRow(item, times.get(item.id), item.id === currentId, tz)),
          ),
        ),
      ),
    ),
  );
}

function programmeRow(item, actual, isCurrent, tz) {
  let state = "upcoming";
  let stateText = "";
  let lateText = "";
  if (actual) {
    const lateMin = Math.round(venueMinutes(actual.started_at, tz) - parseHHMM(item.start));
    if (lateMin > 0) lateText = t("chair.started_late", { time: minutes(lateMin) });
    if (actual.ended_at == null) {
      state = isCurrent ? "current" : "done";
      stateText = isCurrent ? t("chair.under_way") : t("chair.ended");
    } else {
      state = "done";
      stateText = t("chair.ended");
      const overMin = Math.round(venueMinutes(actual.ended_at, tz) - parseHHMM(item.end));
      if (overMin > 0) lateText = [lateText, t("chair.ended_over", { time: minutes(overMin) })].filter(Boolean).join(" · ");
    }
  }
  const actualText = actual
    ? `${timeOfDay(actual.started_at, tz)}–${actual.ended_at != null ? timeOfDay(actual.ended_at, tz) : ""}`
    : "—";
  const sub = [item.room, item.has_floor ? t("chair.has_floor") : ""].filter(Boolean).join(" · ");
  return h(
    "tr",
    { testid: "programme-item", dataset: { itemId: item.id, state } },
    h("td", { testid: "programme-scheduled" }, h("span", { class: "digits" }, `${item.start}–${item.end}`)),
    h("td", { class: "item-title" }, h("span", { class: "t", dir: "auto" }, item.title), sub ? h("span", { class: "sub" }, sub) : null),
    h("td", { testid: "programme-actual" }, h("span", { class: "digits" }, actualText)),
    h("td", { testid: "programme-state" }, stateText, lateText ? h("span", { class: "sub late" }, lateText) : null),
  );
}

/** 7 -> "7 min", 135 -> "2 h 15 min" */
function minutes(total) {
  if (total < 60) return t("duration.minutes", { minutes: total });
  const rest = total % 60;
  const hours = Math.floor(total / 60);
  return rest ? t("duration.hours_minutes", { hours, minutes: rest }) : t("duration.hours", { hours });
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
animate(paint, 500);
signInFromAddress(meetingId).then((session) => {
  if (!session?.error) return;
  setText(el.error, session.error);
  el.error.hidden = false;
});

window.floorkeeper = { rooms, clock };
