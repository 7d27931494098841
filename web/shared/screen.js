// What every screen does when it starts, and for each meeting it follows: its language, the
// live regions a screen reader hears, the language switch, the meeting's connection with its
// roster and the States' names in the language in use, the store's status banner, and the
// sign-in carried in the address. A screen's own module keeps only its rendering.

import { prepareAnnouncements } from "./announce.js";
import { meetingIdFromQuery, refreshNames, Roster } from "./dom.js";
import { languageSwitch, onLanguageChange, preferredLanguage, setLanguage } from "./i18n.js";
import { signInFromAddress } from "./session.js";
import { showStoreStatus } from "./store_status.js";
import { MeetingConnection } from "./ws.js";

const followed = [];

/**
 * Start a screen: its language (`remembered`: the one chosen on this device counts), the live
 * regions, and the language switch, which `placeSwitch(element)` puts on the page (none
 * without it). Resolves to the meeting id of the address.
 */
export async function startScreen({ remembered = true, placeSwitch = null } = {}) {
  await setLanguage(preferredLanguage({ remembered }));
  prepareAnnouncements();
  if (placeSwitch) placeSwitch(languageSwitch());
  return meetingIdFromQuery();
}

/**
 * Follow a meeting live. `onChange(conn, what, meeting)` runs after every change of the
 * connection (`what`: "meeting", "live", "clock", "status", "store", "error") and when the
 * names come in the language in use ("names") or the language changes ("language");
 * `meeting.roster` is the roster of the last meeting message.
 */
export function followMeeting(meetingId, onChange, { clock } = {}) {
  const meeting = { conn: null, roster: new Roster(null) };
  const names = () => refreshNames(() => meeting.roster, () => onChange(meeting.conn, "names", meeting));
  meeting.conn = new MeetingConnection(meetingId, {
    clock,
    onChange: (conn, what) => {
      if (what === "meeting") {
        meeting.roster = new Roster(conn.meeting, meeting.roster.names);
        names();
      }
      showStoreStatus(...followed.map((m) => m.conn));
      onChange(conn, what, meeting);
    },
  });
  meeting.stop = () => {
    meeting.conn.stop();
    followed.splice(followed.indexOf(meeting), 1);
  };
  followed.push(meeting);
  onLanguageChange(() => {
    if (!followed.includes(meeting)) return;
    names();
    onChange(meeting.conn, "language", meeting);
  });
  meeting.conn.start();
  return meeting;
}

/** Sign in with the code the address carries, if any; `showError(sentence)` if refused. */
export async function signInFromTheAddress(meetingId, showError) {
  const session = await signInFromAddress(meetingId);
  if (session?.error) showError(session.error);
  return session;
}
