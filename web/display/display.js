// Hall display: who speaks, the big countdown, who comes next, the programme slot, the time.
// No controls but one: the sound, off until someone turns it on. A click or a key asks for full
// screen. The language is the secretariat's: `?lang=fr` in the address, else the browser's.

import { announce, announceChange } from "../shared/announce.js";
import { delayOf, delayWords, lateNow } from "../shared/timetable.js";
import { animate, countdownWords, paintCountdown, readTimer, timeOfDay } from "../shared/clock.js";
import { byTestId, describeCurrent, fill, h, Roster, segmentLine, setText } from "../shared/dom.js";
import { onLanguageChange, t } from "../shared/i18n.js";
import { followMeeting, signInFromTheAddress, startScreen } from "../shared/screen.js";
import { recall, remember } from "../shared/stored.js";

const NEXT_SHOWN = 5;
const SOUND_KEY = "floorkeeper:display-sound";

const el = {
  slot: byTestId("display-slot"),
  slotEnd: byTestId("display-slot-end"),
  slotDelay: byTestId("display-slot-delay"),
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
  sound: byTestId("sound-toggle"),
};

const meetingId = await startScreen({ remembered: false });

let roster = new Roster(null);
let lastOnline = null;

const { conn } = followMeeting(meetingId, (c, what, meeting) => {
  roster = meeting.roster;
  // The list of next speakers is drawn again when their names may have changed.
  if (what === "names" || what === "language") el.next.dataset.key = "";
  if (c.status === "online") lastOnline = c.clock.now();
  render();
});

function render() {
  const live = conn.live;
  const meeting = conn.meeting;
  if (meeting) {
    setText(el.meeting, [meeting.title, meeting.venue].filter(Boolean).join(" · "));
    document.title = `${meeting.title} · ${t("title.display")}`;
  }
  if (!live) {
    if (conn.lastError) setText(el.slot, conn.lastError.message);
    return;
  }
  const floor = live.floor;
  const item = floor.item_id ? roster.items.get(floor.item_id) : null;
  setText(el.slot, item ? item.title : t("common.no_item"));
  setText(el.slotEnd, item ? t("display.slot_time", { start: item.start, end: item.end }) : "");

  const segment = floor.segment;
  const showSegment = item && item.has_floor && segment;
  setText(el.segment, showSegment ? segmentLine(segment) : "");

  const current = describeCurrent(roster, floor.current);
  if (current) {
    setText(el.label, t("display.now_speaking"));
    setText(el.speaker, current.name);
    setText(el.detail, [current.code, current.detail].filter(Boolean).join(" · "));
  } else {
    setText(el.label, "");
    setText(el.speaker, floor.is_open ? t("floor.open_sentence") : item ? item.title : t("display.please_wait"));
    setText(el.detail, floor.is_open ? t("display.may_request") : "");
  }
  const speakerKey = floor.current ? `${floor.current.number}` : null;
  announceChange("speaker", speakerKey, () => t("announce.now_speaking", { name: current.name }));

  renderNext(live);

  const waiting = floor.line.length;
  const floorText = floor.is_open ? t("display.floor_open_waiting", { count: waiting }) : t("floor.closed");
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
          h("span", { class: "name", dir: "auto" }, roster.nameOf(id)),
          h("span", { class: "detail" }, [code, roster.describe(id)].filter(Boolean).join(" · ")),
        );
      }),
    );
  }
  setText(el.nextEmpty, ids.length ? "" : t("display.next_empty"));
  const nextId = ids[0] ?? null;
  announceChange("next", nextId, () => t("announce.next_speaker", { name: roster.nameOf(nextId) }));
}

function paint() {
  const now = conn.clock.now();
  const tz = roster.timezone;
  setText(el.clock, roster.meeting ? timeOfDay(now, tz) : "--:--");
  const current = conn.live?.floor?.current ?? null;
  const view = paintCountdown(el.countdown, el.words, current?.timer ?? null, now);
  document.body.dataset.phase = view.phase;
  const late = lateNow(conn.live?.timetable ?? null, now);
  el.slotDelay.dataset.delay = delayOf(late) ?? "";
  setText(el.slotDelay, late == null ? "" : `· ${delayWords(late)}`);
  fitCountdown();
  signalPhase(current, view);
  // Offline, the figures still move from the facts held; the mark says they may be stale.
  const offline = conn.status !== "online";
  el.offline.hidden = !offline;
  if (offline) {
    const since = lastOnline ? timeOfDay(lastOnline, tz, true) : null;
    setText(
      el.offline,
      conn.status === "connecting"
        ? t("display.connecting_short")
        : since
          ? t("display.offline_since", { time: since })
          : t("display.offline"),
    );
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

// --- the warning and time up: said to a screen reader, and a beep if the sound is on ---------

let signalled = { number: null, phase: null };

/** Once per intervention and phase: a clock seen already in warning when the screen opens, or
 * when the intervention starts, is not a change. */
function signalPhase(current, view) {
  const number = current?.number ?? null;
  const before = signalled;
  signalled = { number, phase: view.phase };
  if (number === null || number !== before.number || view.phase === before.phase) return;
  const running = current.timer?.state === "running";
  if (view.phase === "warning" && before.phase === "normal") {
    announce(t("announce.warning", { words: countdownWords(readTimer(current.timer, conn.clock.now()), true) }), {
      assertive: true,
    });
    if (running) beep("warning");
  } else if (view.phase === "overrun") {
    announce(t("announce.time_up"), { assertive: true });
    if (running) beep("zero");
  }
}

let soundOn = readSound();
let audio = null;

function readSound() {
  return recall(SOUND_KEY) === "on";
}

function renderSound() {
  el.sound.setAttribute("aria-pressed", String(soundOn));
  el.sound.dataset.on = String(soundOn);
  setText(el.sound, soundOn ? t("display.sound_on") : t("display.sound_off"));
}

el.sound.addEventListener("click", () => {
  soundOn = !soundOn;
  remember(SOUND_KEY, soundOn ? "on" : "off");
  // The click is the gesture a browser wants before it lets a page make a sound.
  if (soundOn) audioContext()?.resume();
  renderSound();
});
onLanguageChange(renderSound);
renderSound();

function audioContext() {
  if (!audio && window.AudioContext) audio = new AudioContext();
  return audio;
}

/** A short tone at the warning; two lower ones at zero. Quiet enough not to startle a hall. */
function beep(kind) {
  if (!soundOn) return;
  const context = audioContext();
  if (!context) return;
  if (context.state === "suspended") context.resume();
  const tones = kind === "zero" ? [0, 0.45] : [0];
  for (const offset of tones) {
    const at = context.currentTime + offset;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = kind === "zero" ? 660 : 880;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.35);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.4);
  }
  window.floorkeeper.beeps.push(kind);
}

animate(paint);
signInFromTheAddress(meetingId, () => {});

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

/** `beeps`: the tones played, for tests (a headless browser has no loudspeaker). */
window.floorkeeper = { conn, beeps: [] };
