// The HTTP API of a meeting (docs/protocol.md). Every refusal becomes an ApiError carrying the
// server's own sentence, so a screen can show it as it is.

import { t } from "./i18n.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
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
    const message =
      (payload && typeof payload.message === "string" && payload.message) ||
      (payload && typeof payload.detail === "string" && payload.detail) ||
      t("error.refused", { status: `${response.status} ${response.statusText}`.trim() });
    throw new ApiError(response.status, payload?.error ?? "http", message);
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
