// The HTTP API of a meeting (docs/protocol.md). Every refusal becomes an ApiError carrying a
// sentence a screen can show as it is: the screen's own, in its language, for the refusals
// met in the room (the server names their `reason`), else the server's.

import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, message, reason = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.reason = reason;
  }
}

// The refusals a screen says in its own language, by the server's `reason`, with its `params`.
const REASONS = {
  floor_not_open: () => t("error.floor_not_open"),
  floor_already_open: () => t("error.floor_already_open"),
  floor_already_closed: () => t("error.floor_already_closed"),
  already_waiting: (p) => t("error.already_waiting", { name: p.name }),
  has_floor: (p) => t("error.has_floor", { name: p.name }),
  not_waiting: () => t("error.not_waiting"),
  no_one_waiting: () => t("error.no_one_waiting"),
  panelists_done: () => t("error.panelists_done"),
  floor_taken: (p) => t("error.floor_taken", { name: p.name }),
  no_one_has_floor: () => t("error.no_one_has_floor"),
  no_clock: () => t("error.no_clock"),
  item_under_way: () => t("error.item_under_way"),
  too_many_requests: (p) => t("error.too_many_requests", { seconds: p.seconds }),
  own_delegation_only: () => t("error.own_delegation_only"),
  store_unavailable: () => t("error.store_unavailable"),
  try_again: () => t("error.try_again"),
};

/** The sentence for a refusal: the screen's own for a known reason, else the server's. */
export function refusalText(payload, fallback) {
  const say = typeof payload?.reason === "string" && Object.hasOwn(REASONS, payload.reason) ? REASONS[payload.reason] : null;
  if (say) return say(payload.params && typeof payload.params === "object" ? payload.params : {});
  return (
    (payload && typeof payload.message === "string" && payload.message) ||
    (payload && typeof payload.detail === "string" && payload.detail) ||
    fallback
  );
}

export async function request(method, path, body) {
  const init = { method, headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network", t("error.network"));
  }
  let payload = null;
  const text = await response.text();
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }
  if (!response.ok) {
    const message = refusalText(
      payload,
      t("error.refused", { status: `${response.status} ${response.statusText}`.trim() }),
    );
    throw new ApiError(response.status, payload?.error ?? "http", message, payload?.reason ?? null);
  }
  return payload;
}

/** Acts on one meeting: `meetingApi("demo").post("/floor/open")`. */
export function meetingApi(meetingId) {
  const base = `/api/meetings/${encodeURIComponent(meetingId)}`;
  return {
    get: (path = "") => request("GET", base + path),
    post: (path, body) => request("POST", base + path, body ?? {}),
    del: (path) => request("DELETE", base + path),
  };
}

export function listMeetings() {
  return request("GET", "/api/meetings");
}

export function getMeeting(meetingId) {
  return request("GET", `/api/meetings/${encodeURIComponent(meetingId)}`);
}
