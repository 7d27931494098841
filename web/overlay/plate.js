// What a plate says, from the messages every screen receives: the same rules as the server's
// app/broadcast/plate.py, so that the overlay page and the CasparCG and OSC outputs agree.
//
// A group statement ("France, on behalf of the European Union") is shown when the
// intervention names its group (`on_behalf_of`: an id of the meeting's `groups`, or an object
// with its names); the language of delivery when the intervention or the delegation names one.

import { describeCurrent } from "../shared/dom.js";
import { LANGUAGES, language, t } from "../shared/i18n.js";

function nameIn(name) {
  if (!name) return "";
  if (typeof name === "string") return name;
  return name[language()] || name.en || Object.values(name)[0] || "";
}

/** The group an intervention speaks for, in the language in use, or null. */
export function groupOf(roster, ref) {
  if (!ref) return null;
  const id = typeof ref === "string" ? ref : ref.id;
  const known = (roster.meeting?.groups ?? []).find((g) => g.id === id);
  const name = typeof ref === "object" && ref.name ? ref.name : known?.name;
  return nameIn(name) || id;
}

function spokenLanguage(text) {
  return LANGUAGES.includes(text) ? text : null;
}

/** The language a person will speak in, when the meeting says. */
export function languageOf(roster, id, stated) {
  return spokenLanguage(stated) ?? spokenLanguage(roster.delegations.get(id)?.language);
}

/** A person as a plate names them: {id, name, detail, language}. */
export function personOf(roster, id, stated = null) {
  return { id, name: roster.nameOf(id), detail: roster.describe(id), language: languageOf(roster, id, stated) };
}

/**
 * The plate of a live state: {speaking, number, name, speaker, group, detail, language, timer,
 * next}. `name` is the line a plate shows; `speaker` the speaker alone.
 */
export function plateOf(roster, live) {
  const floor = live?.floor;
  const current = floor?.current ?? null;
  const nextId = live?.next?.[0];
  const next = nextId ? personOf(roster, nextId) : null;
  if (!current) {
    return { speaking: false, number: null, name: "", speaker: "", group: null, detail: "", language: null, timer: null, next };
  }
  const described = describeCurrent(roster, current);
  const group = groupOf(roster, current.on_behalf_of);
  const speaker = described.name;
  return {
    speaking: true,
    number: current.number,
    name: group ? t("plate.on_behalf_of", { name: speaker, group }) : speaker,
    speaker,
    group,
    detail: described.detail,
    language: languageOf(roster, current.speaker_id, current.language),
    timer: current.timer ?? null,
    next,
  };
}
