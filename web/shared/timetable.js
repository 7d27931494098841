// The item under way against the programme, from the `timetable` of the live message
// (docs/protocol.md): how late the room runs, recomputed between messages from the same facts
// and the server clock; the forecast end moves only with the next message.

import { timeOfDay } from "./clock.js";
import { t } from "./i18n.js";

const ON_TIME_MS = 60_000;

/** How far behind the programme at server instant `now` (negative: ahead), as the server
 * computes it: the later of the item's late start and its run past its scheduled end. */
export function lateNow(timetable, now) {
  if (!timetable) return null;
  if (timetable.actual_start == null) return timetable.late_ms ?? null;
  return Math.max(timetable.actual_start - timetable.scheduled_start, now - timetable.scheduled_end);
}

/** "late", "on_time" or "ahead", from a minute either way. */
export function delayOf(lateMs) {
  if (lateMs == null) return null;
  if (lateMs >= ON_TIME_MS) return "late";
  if (lateMs <= -ON_TIME_MS) return "ahead";
  return "on_time";
}

/** "running 12 min late", "on time", "3 min ahead" in the language in use. */
export function delayWords(lateMs) {
  const delay = delayOf(lateMs);
  if (!delay) return "";
  const count = Math.floor((Math.abs(lateMs) + 30_000) / 60_000);
  if (delay === "late") return t("timetable.late", { count });
  if (delay === "ahead") return t("timetable.ahead", { count });
  return t("timetable.on_time");
}

/** "ends ≈13:15 at this pace", or "" when the server gave no forecast end. */
export function endWords(timetable, timeZone) {
  if (timetable?.forecast_end == null) return "";
  return t("timetable.ends", { time: timeOfDay(timetable.forecast_end, timeZone) });
}
