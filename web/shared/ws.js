// One live connection to a meeting: the websocket, its reconnection, and the clock sync.
//
// The server sends complete states (`meeting`, then `live`) on connect and after every change,
// so catching up after a drop is just reconnecting. A `live` message whose version is not higher
// than the one held is ignored (it is old news arriving late). Every message the server can send
// (app/realtime/messages.py) has its case in `receive`: tests/unit/test_messages.py checks it.

import { ServerClock } from "./clock.js";

const SYNC_SAMPLES = 6;
const RESYNC_MS = 60_000;
const PING_MS = 10_000;
/** No message for this long on an open socket: it is dead even if the browser has not noticed. */
const SILENCE_MS = 25_000;
const BACKOFF_MS = [1000, 2000, 3000, 5000];

/** 1-5 s growing with each failed attempt, ±50 % so that a hall of tablets does not stampede. */
export function reconnectDelay(attempt) {
  const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
  return Math.round(base * (0.5 + Math.random()));
}

export function wsUrl(meetingId) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ws/meetings/${encodeURIComponent(meetingId)}`;
}

export class MeetingConnection {
  /**
   * @param {string} meetingId
   * @param {{clock?: ServerClock, onChange?: (conn: MeetingConnection, what: string) => void}} options
   */
  constructor(meetingId, { clock = new ServerClock(), onChange = () => {} } = {}) {
    this.meetingId = meetingId;
    this.clock = clock;
    this.onChange = onChange;
    /** The programme and roster (the `meeting` field of the meeting message). */
    this.meeting = null;
    this.meetingVersion = 0;
    /** The last live message held (complete state). */
    this.live = null;
    this.version = 0;
    /** "connecting" (never connected yet), "online", or "offline" (lost, reconnecting). */
    this.status = "connecting";
    /** Server error messages that came on the socket, latest last. */
    this.lastError = null;
    /** "ok", or "unreachable" while the server cannot reach the meeting's store: what the
     * screen shows may be stale and acts are refused until it is back. */
    this.store = "ok";
    this.socket = null;
    this.attempt = 0;
    this.closed = false;
    this.timers = new Set();
    this.lastHeard = 0;
    this.freshConnection = false;
    this.syncLeft = 0;
    this.syncSentAt = null;
  }

  start() {
    this.open();
    this.every(RESYNC_MS, () => this.sync());
    this.every(PING_MS, () => this.keepAlive());
    window.addEventListener("online", () => this.reconnectNow());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.reconnectNow();
    });
    return this;
  }

  stop() {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    this.timers.clear();
    clearTimeout(this.retryTimer);
    this.socket?.close();
  }

  every(ms, fn) {
    this.timers.add(setInterval(fn, ms));
  }

  open() {
    if (this.closed) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    let socket;
    try {
      socket = new WebSocket(wsUrl(this.meetingId));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      this.freshConnection = true;
      this.sync();
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      this.receive(message);
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.setStatus(this.status === "connecting" ? "connecting" : "offline");
      this.scheduleReconnect();
    };
    socket.onerror = () => {
      // onclose follows and does the work.
    };
  }

  scheduleReconnect() {
    if (this.closed || this.retryTimer) return;
    const delay = reconnectDelay(this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, delay);
  }

  /** Skip the wait when the browser says the network is back or the tab is shown again. */
  reconnectNow() {
    if (this.closed || this.socket) return;
    this.attempt = 0;
    this.open();
  }

  keepAlive() {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > SILENCE_MS) {
      // The server went away without closing; give up on this socket and reconnect.
      this.socket = null;
      socket.close();
      this.setStatus("offline");
      this.scheduleReconnect();
      return;
    }
    this.send({ type: "ping" });
  }

  send(message) {
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  /** Start a round of clock exchanges, one at a time so that none waits behind another. */
  sync() {
    this.syncLeft = SYNC_SAMPLES;
    this.sendClock();
  }

  sendClock() {
    if (this.syncLeft <= 0) return;
    this.syncLeft -= 1;
    this.send({ type: "clock", client: Date.now() });
  }

  receive(message) {
    switch (message.type) {
      case "clock": {
        this.clock.addSample(Number(message.client), Number(message.server), Date.now());
        this.onChange(this, "clock");
        this.sendClock();
        break;
      }
      case "meeting": {
        if (message.version < this.meetingVersion && !this.freshConnection) return;
        this.meeting = message.meeting;
        this.meetingVersion = message.version;
        this.onChange(this, "meeting");
        break;
      }
      case "live": {
        // The first live message on a new connection is the whole state as the store has it now:
        // take it even if its version is lower (the meeting was replaced or the store reset).
        if (message.version <= this.version && !this.freshConnection) return;
        // The server read it from the store just now: reachable, unless a status says otherwise.
        if (this.freshConnection) this.store = "ok";
        this.freshConnection = false;
        this.live = message;
        this.version = message.version;
        this.attempt = 0;
        this.setStatus("online", false);
        this.onChange(this, "live");
        break;
      }
      case "status": {
        const store = message.store === "unreachable" ? "unreachable" : "ok";
        if (store === this.store) return;
        this.store = store;
        this.onChange(this, "store");
        break;
      }
      case "error": {
        // Also the server's reason before it closes a socket (e.g. no such meeting).
        this.lastError = message;
        this.onChange(this, "error");
        break;
      }
      case "pong":
        // The answer to keepAlive's ping: hearing it (lastHeard) is all it is for.
        break;
      default:
        // A newer server's message this page does not know yet: nothing to do with it.
        break;
    }
  }

  setStatus(status, notify = true) {
    if (this.status === status) return;
    this.status = status;
    if (notify) this.onChange(this, "status");
  }

  /** Resolve once the live state has reached `version` (or after `timeoutMs`). */
  reached(version, timeoutMs = 5000) {
    if (this.version >= version) return Promise.resolve(true);
    return new Promise((resolve) => {
      const started = Date.now();
      const check = setInterval(() => {
        if (this.version >= version || Date.now() - started > timeoutMs) {
          clearInterval(check);
          resolve(this.version >= version);
        }
      }, 50);
    });
  }
}

/** Open the meeting's live connection; `onChange(conn, what)` runs after every change. */
export function connectMeeting(meetingId, onChange) {
  return new MeetingConnection(meetingId, { onChange }).start();
}
