// The server clock as this screen knows it, and what a timer shows at a given instant.
//
// Timers arrive as facts ({limit_ms, warning_ms, state, started_at, elapsed_ms}); nobody sends
// ticks. A screen measures its offset to the server clock with a few request/answer exchanges
// over the websocket and computes every figure from `Date.now() + offset`, so a tab that wakes up
// from the background shows the right time at once.

import { t } from "./i18n.js";

const SAMPLES_KEPT = 12;
const SAMPLE_MAX_AGE_MS = 10 * 60_000;

export class ServerClock {
  constructor() {
    /** @type {{rtt: number, offset: number, at: number}[]} */
    this.samples = [];
    this.offset = 0;
    this.synced = false;
  }

  /** Record one exchange: sent at t0 (local), answered with `server`, received at t1 (local). */
  addSample(t0, server, t1) {
    const rtt = t1 - t0;
    if (!(rtt >= 0) || !Number.isFinite(server)) return;
    this.samples.push({ rtt, offset: server - (t0 + t1) / 2, at: t1 });
    // Old samples may describe another server process (or a clock that has drifted since).
    this.samples = this.samples
      .filter((s) => t1 - s.at <= SAMPLE_MAX_AGE_MS)
      .slice(-SAMPLES_KEPT);
    const best = this.samples.reduce((a, b) => (b.rtt < a.rtt ? b : a));
    this.offset = Math.round(best.offset);
    this.synced = true;
  }

  /** Server milliseconds since the epoch, now. */
  now() {
    return Date.now() + this.offset;
  }
}

/**
 * What the timer of an intervention shows at server instant `now`.
 * @returns {{state: string, phase: string, remaining: number, elapsed: number, limit: number}}
 */
export function readTimer(timer, now) {
  if (!timer) return { state: "none", phase: "none", remaining: 0, elapsed: 0, limit: 0 };
  const running = timer.state === "running" && timer.started_at != null;
  const elapsed = timer.elapsed_ms + (running ? Math.max(0, now - timer.started_at) : 0);
  const remaining = timer.limit_ms - elapsed;
  let phase = "normal";
  if (remaining < 0) phase = "overrun";
  else if (remaining <= timer.warning_ms) phase = "warning";
  return { state: timer.state, phase, remaining, elapsed, limit: timer.limit_ms };
}

/** "3:00", "0:07", "12:45", "1:02:03" from milliseconds (no sign). */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Whole seconds, rounded up: "3:00" until a full second has gone, "+0:01" as soon as over. */
function upToSecond(ms) {
  return formatDuration(Math.ceil(ms / 1000) * 1000);
}

/** The big digits: counting down while time is left, counting up (with "+") past the limit. */
export function countdownDigits(view) {
  if (view.phase === "none") return "–:––";
  if (view.remaining >= 0) return upToSecond(view.remaining);
  return `+${upToSecond(-view.remaining)}`;
}

/**
 * The words beside the digits, for people who cannot tell the colours apart. Beside the digits
 * a normal phase says the limit ("of 3:00"); `alone` (no digits shown) says the time left.
 */
export function countdownWords(view, alone = false) {
  if (view.phase === "none") return "";
  if (view.phase === "overrun") return t("timer.over_by", { time: upToSecond(-view.remaining) });
  const left = upToSecond(view.remaining);
  if (view.state === "idle") return t("timer.ready", { limit: formatDuration(view.limit) });
  if (view.state === "paused") return t("timer.paused", { time: left });
  if (view.phase === "warning" || alone) return t("timer.left", { time: left });
  return t("timer.of", { limit: formatDuration(view.limit) });
}

/**
 * Show a timer in a countdown element and its words element. The element carries the figures
 * as data attributes (data-remaining-ms, data-phase, data-state) for tests and styling.
 */
export function paintCountdown(digitsEl, wordsEl, timer, now) {
  const view = readTimer(timer, now);
  const digits = countdownDigits(view);
  if (digitsEl.textContent !== digits) digitsEl.textContent = digits;
  digitsEl.dataset.phase = view.phase;
  digitsEl.dataset.state = view.state;
  digitsEl.dataset.remainingMs = String(Math.round(view.remaining));
  // The real instant of this reading, untouched by a wrong Date.now(), so that two screens can
  // be compared in tests.
  digitsEl.dataset.readAt = String(Math.round(performance.timeOrigin + performance.now()));
  if (wordsEl) {
    const words = countdownWords(view);
    if (wordsEl.textContent !== words) wordsEl.textContent = words;
    wordsEl.dataset.phase = view.phase;
  }
  return view;
}

/**
 * Call `paint()` on every animation frame, and at least every `intervalMs` from a timer too
 * (animation frames stop in a hidden tab). Each call reads the wall clock afresh, so nothing
 * is counted: a tab that wakes up paints the right figures on its first frame.
 */
export function animate(paint, intervalMs = 250) {
  let stopped = false;
  const frame = () => {
    if (stopped) return;
    paint();
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const interval = setInterval(() => !stopped && paint(), intervalMs);
  document.addEventListener("visibilitychange", () => !stopped && paint());
  return () => {
    stopped = true;
    clearInterval(interval);
  };
}

// --- the venue's wall clock --------------------------------------------------------------

const formatters = new Map();

function formatter(timeZone, options) {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat("en-GB", { ...options, timeZone });
    } catch {
      f = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" });
    }
    formatters.set(key, f);
  }
  return f;
}

/** "14:05" at the venue for server instant `ms`. */
export function timeOfDay(ms, timeZone, seconds = false) {
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
  if (seconds) options.second = "2-digit";
  return formatter(timeZone, options).format(new Date(ms));
}

/** Minutes since local midnight at the venue, for server instant `ms`. */
export function venueMinutes(ms, timeZone) {
  const parts = formatter(timeZone, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .formatToParts(new Date(ms));
  const get = (type) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute") + get("second") / 60;
}

/** "13:00" -> 780. */
export function parseHHMM(text) {
  const [h, m] = String(text).split(":").map(Number);
  return h * 60 + (m || 0);
}

/**
 * Milliseconds from server instant `now` to the scheduled local time `hhmm` of the same venue day
 * (negative once it is past). An item is taken up on its own day, so its end is today's.
 */
export function msUntilVenueTime(now, hhmm, timeZone) {
  return Math.round((parseHHMM(hhmm) - venueMinutes(now, timeZone)) * 60_000);
}
