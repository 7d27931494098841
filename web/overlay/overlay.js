// Broadcast overlay: the speaker's plate, the countdown and who comes next, drawn over a
// transparent page for OBS's browser source, vMix's web browser input or CasparCG's HTML
// producer. `?meeting=demo&layers=speaker-and-clock|next&lang=fr` (`layout=` is read too).
//
// Layers: `lower-third` (the name plate), `speaker-and-clock` (the plate with its countdown),
// `clock` (the countdown alone, in the top corner), `next` (the next speaker). Each plate
// animates out and in when what it shows changes.
//
// Fed by the meeting's websocket with the hall display's clock sync, or, with `feed=casparcg`,
// by CasparCG itself: the page is then an HTML template whose `update(data)` takes the JSON
// that `floorkeeper broadcast casparcg` sends (app/broadcast/plate.py: template_data).
// Either way it answers CasparCG's `play()`, `stop()`, `next()` and `update(data)`.

import { animate, paintCountdown } from "../shared/clock.js";
import { byTestId, meetingIdFromQuery, refreshNames, Roster, setText } from "../shared/dom.js";
import { language, onLanguageChange, preferredLanguage, setLanguage } from "../shared/i18n.js";
import { connectMeeting } from "../shared/ws.js";
import { plateOf } from "./plate.js";

const LAYERS = ["lower-third", "speaker-and-clock", "clock", "next"];
const OUT_MS = 350;
const IN_MS = 450;

const params = new URLSearchParams(location.search);
const asked = (params.get("layers") ?? params.get("layout") ?? "speaker-and-clock")
  .split(/[|,\s]+/)
  .filter(Boolean);
const layers = new Set(asked.filter((name) => LAYERS.includes(name)));
if (!layers.size) layers.add("speaker-and-clock");
const fromCasparcg = params.get("feed") === "casparcg";

const el = {
  plate: byTestId("overlay-plate"),
  name: byTestId("overlay-name"),
  detail: byTestId("overlay-detail"),
  countdown: byTestId("overlay-countdown"),
  words: byTestId("overlay-timer-words"),
  corner: byTestId("overlay-clock-corner"),
  cornerCountdown: byTestId("overlay-countdown-corner"),
  next: byTestId("overlay-next"),
  nextName: byTestId("overlay-next-name"),
};
document.body.dataset.clockOnPlate = String(layers.has("speaker-and-clock"));
document.body.dataset.layers = [...layers].join(" ");

/** Every in and out, for tests: "plate:in:3", "plate:out:3". */
const animations = [];

/**
 * One layer of the overlay: shows what `key` names, filled by `fill()`. A new key takes the
 * old one out, then brings the new one in; the same key only refreshes the words in place.
 */
class Layer {
  constructor(name, element) {
    this.name = name;
    this.element = element;
    this.key = null;
    this.wanted = { key: null, fill: null };
    this.leaving = false;
  }

  show(key, fill) {
    this.wanted = { key, fill };
    if (this.leaving) return;
    if (key === this.key) {
      if (key !== null) fill();
      return;
    }
    if (this.key !== null) this.leave();
    else this.enter();
  }

  leave() {
    this.leaving = true;
    animations.push(`${this.name}:out:${this.key}`);
    this.element.classList.add("plate-out");
    // A timer rather than `animationend`: a page in the background gets no animation frames.
    setTimeout(() => {
      this.element.classList.remove("plate-out");
      this.element.dataset.shown = "false";
      this.element.hidden = true;
      this.key = null;
      this.leaving = false;
      this.enter();
    }, OUT_MS);
  }

  enter() {
    const { key, fill } = this.wanted;
    if (key === null) return;
    fill();
    this.key = key;
    this.element.hidden = false;
    this.element.dataset.key = String(key);
    this.element.dataset.shown = "true";
    animations.push(`${this.name}:in:${key}`);
    setTimeout(() => {
      if (this.key === key) this.element.dataset.settled = String(key);
    }, IN_MS);
  }
}

const plateLayer = new Layer("plate", el.plate);
const cornerLayer = new Layer("clock", el.corner);
const nextLayer = new Layer("next", el.next);

/** What is on air now: a plate (see plate.js) and the clock to read its timer with. */
let scene = { plate: null, now: () => Date.now() };
let playing = true;

function render() {
  const plate = playing ? scene.plate : null;
  const speaking = Boolean(plate?.speaking);
  const showPlate = speaking && (layers.has("lower-third") || layers.has("speaker-and-clock"));
  plateLayer.show(showPlate ? plate.number : null, () => {
    setText(el.name, plate.name);
    setText(el.detail, plate.detail);
    el.plate.dataset.language = plate.language ?? "";
  });
  cornerLayer.show(speaking && layers.has("clock") ? plate.number : null, () => {});
  const next = plate?.next ?? null;
  nextLayer.show(next && layers.has("next") ? next.id : null, () => setText(el.nextName, next.name));
  paint();
}

function paint() {
  const timer = scene.plate?.timer ?? null;
  const now = scene.now();
  paintCountdown(el.countdown, el.words, timer, now);
  paintCountdown(el.cornerCountdown, null, timer, now);
}

// --- CasparCG's template functions: defined first, the server may call them at once -------

let pending = null;

window.play = () => {
  playing = true;
  render();
};
window.stop = () => {
  playing = false;
  render();
};
window.next = () => {};
window.update = (data) => {
  if (!fromCasparcg) return;
  pending = typeof data === "string" ? JSON.parse(data || "{}") : data;
  if (ready) takeTemplateData(pending);
};

/** The JSON of `floorkeeper broadcast casparcg`: the names in its language, and the clock as
 * facts plus `remaining_ms` at the moment it was sent; this machine's clock need not be the
 * server's, so the countdown goes on from the moment the data arrived. */
async function takeTemplateData(data) {
  if (data.lang && data.lang !== language()) await setLanguage(data.lang);
  const received = Date.now();
  const facts = data.timer;
  const timer = facts
    ? {
        ...facts,
        elapsed_ms: facts.limit_ms - (data.remaining_ms ?? facts.limit_ms - facts.elapsed_ms),
        started_at: facts.state === "running" ? received : null,
      }
    : null;
  scene = {
    plate: {
      speaking: Boolean(data.speaking),
      number: data.number ?? null,
      name: data.name ?? data.f0 ?? "",
      detail: data.detail ?? data.f1 ?? "",
      language: data.language ?? null,
      timer,
      next: data.next ? { id: data.next, name: data.next } : null,
    },
    now: () => Date.now(),
  };
  render();
}

// --- fed by the meeting's websocket ------------------------------------------------------

let ready = false;
let conn = null;

if (fromCasparcg) {
  await setLanguage(params.get("lang") ?? "en");
  ready = true;
  if (pending) await takeTemplateData(pending);
} else {
  await setLanguage(preferredLanguage({ remembered: false }));
  let roster = new Roster(null);
  const fromLive = () => {
    scene = { plate: conn.live ? plateOf(roster, conn.live) : null, now: () => conn.clock.now() };
    render();
  };
  conn = connectMeeting(meetingIdFromQuery(), (c, what) => {
    if (what === "meeting") {
      roster = new Roster(c.meeting, roster.names);
      refreshNames(() => roster, fromLive);
    }
    if (what === "meeting" || what === "live") fromLive();
  });
  onLanguageChange(() => refreshNames(() => roster, fromLive));
  ready = true;
}

animate(paint);

/** For tests and for whoever embeds the page: the connection, the animations played. */
window.floorkeeper = { conn, animations, layers: [...layers] };
