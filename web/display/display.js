// Hall display: who speaks, the big countdown, who comes next, the programme slot, the time.
// No controls. A click or a key asks for full screen.

import { animate, paintCountdown, timeOfDay } from "../shared/clock.js";
import { byTestId, describeCurrent, fill, h, meetingIdFromQuery, Roster, segmentName, setText } from "../shared/dom.js";
import { signInFromAddress } from "../shared/session.js";
import { connectMeeting } from "../shared/ws.js";

const NEXT_SHOWN = 5;

const el = {
  slot: byTestId("display-slot"),
  slotEnd: byTestId("display-slot-end"),
  segment: byTestId("display-segment"),
  clock: byTestId("display-clock"),
  label: byTestId("display-speaker-label"),
  speaker: byTestId("display-speaker"),
  detail: byTestId("display-delegation"),
  countdown: byTestId("countdown"),
  words: byTestId("timer-words"),
  next: byTestId("display-next"),
  nextEmpty: byTestId("display-next-empty"),
  meeting: byTestId("display-meeting"),
  floor: byTestId("display-floor"),
  offline: byTestId("offline-mark"),
};

let roster = new Roster(null);
let lastOnline = null;

const conn = connectMeeting(meetingIdFromQuery(), (c, what) => {
  if (what === "meeting") roster = new Roster(c.meeting);
  if (c.status === "online") lastOnline = c.clock.now();
  render();
});

function render() {
  const live = conn.live;
  const meeting = conn.meeting;
  if (meeting) {
    setText(el.meeting, [meeting.title, meeting.venue].filter(Boolean).join(" · "));
    document.title = `${meeting.title} · Hall display`;
  }
  if (!live) {
    if (conn.lastError) setText(el.slot, conn.lastError.message);
    return;
  }
  const floor = live.floor;
  const item = floor.item_id ? roster.items.get(floor.item_id) : null;
  setText(el.slot, item ? item.title : "No agenda item under way");
  setText(el.slotEnd, item ? `${item.start}–${item.end} · scheduled end ${item.end}` : "");

  const segment = floor.segment;
  const showSegment = item && item.has_floor && segment;
  setText(el.segment, showSegment ? `${segmentName(segment.kind)} · segment ${segment.number}` : "");

  const current = describeCurrent(roster, floor.current);
  if (current) {
    setText(el.label, "Now speaking");
    setText(el.speaker, current.name);
    setText(el.detail, [current.code, current.detail].filter(Boolean).join(" · "));
  } else {
    setText(el.label, "");
    setText(el.speaker, floor.is_open ? "The floor is open" : item ? item.title : "Please wait");
    setText(el.detail, floor.is_open ? "Delegations may request the floor from their tablets" : "");
  }

  renderNext(live);

  const waiting = floor.line.length;
  const floorText = floor.is_open
    ? `Floor open · ${waiting} ${waiting === 1 ? "request" : "requests"} waiting`
    : "Floor closed";
  setText(el.floor, item?.has_floor ? floorText : "");
  paint();
}

function renderNext(live) {
  const ids = (live.next ?? []).slice(0, NEXT_SHOWN);
  const key = ids.join("|");
  if (el.next.dataset.key !== key) {
    el.next.dataset.key = key;
    fill(
      el.next,
      ids.map((id) => {
        const code = roster.codeOf(id);
        return h(
          "li",
          { testid: "display-next-item", dataset: { id } },
          h("span", { class: "name" }, roster.nameOf(id)),
          h("span", { class: "detail" }, [code, roster.describe(id)].filter(Boolean).join(" · ")),
        );
      }),
    );
  }
  setText(el.nextEmpty, ids.length ? "" : "No one is waiting in this segment");
}

function paint() {
  const now = conn.clock.now();
  const tz = roster.timezone;
  setText(el.clock, roster.meeting ? timeOfDay(now, tz) : "--:--");
  const timer = conn.live?.floor?.current?.timer ?? null;
  const view = paintCountdown(el.countdown, el.words, timer, now);
  document.body.dataset.phase = view.phase;
  fitCountdown();
  // Offline, the figures still move from the facts held; the mark says they may be stale.
  const offline = conn.status !== "online";
  el.offline.hidden = !offline;
  if (offline) {
    const since = lastOnline ? ` · last update ${timeOfDay(lastOnline, tz, true)}` : "";
    setText(el.offline, conn.status === "connecting" ? "connecting…" : `offline — reconnecting${since}`);
  }
  el.offline.dataset.status = conn.status;
}

/** Shrink the digits when a figure is too wide for the column; tabular digits make the width
 * depend only on the number of characters, so this measures once per length and size. */
let fittedFor = "";
function fitCountdown() {
  const key = `${el.countdown.textContent.length}|${el.countdown.clientWidth}|${innerHeight}`;
  if (key === fittedFor) return;
  fittedFor = key;
  el.countdown.style.fontSize = "";
  const room = el.countdown.clientWidth;
  const needed = el.countdown.scrollWidth;
  if (needed > room && room > 0) {
    const base = parseFloat(getComputedStyle(el.countdown).fontSize);
    el.countdown.style.fontSize = `${Math.floor((base * room) / needed)}px`;
  }
}

animate(paint);
signInFromAddress(meetingIdFromQuery());

// Full screen on a click or a key; the cursor hides when still.
function goFullScreen() {
  if (!document.fullscreenElement && document.documentElement.requestFullscreen) {
    document.documentElement.requestFullscreen().catch(() => {});
  }
}
document.addEventListener("click", goFullScreen);
document.addEventListener("keydown", goFullScreen);
let cursorTimer = null;
document.addEventListener("mousemove", () => {
  document.body.classList.remove("idle-cursor");
  clearTimeout(cursorTimer);
  cursorTimer = setTimeout(() => document.body.classList.add("idle-cursor"), 3000);
});

window.floorkeeper = { conn };
