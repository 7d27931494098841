// Small DOM and wording helpers shared by the screens.

import { request } from "./api.js";
import { language, msg, t } from "./i18n.js";

/** h("div", {class: "x", dataset: {testid: "y"}, onclick}, ...children) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "testid") el.dataset.testid = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== "string") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function byTestId(id, root = document) {
  return root.querySelector(`[data-testid="${id}"]`);
}

export function setText(el, text) {
  const value = text ?? "";
  if (el && el.textContent !== value) el.textContent = value;
}

export function meetingIdFromQuery() {
  return new URLSearchParams(location.search).get("meeting") || "demo";
}

const DELEGATION_KINDS = {
  member_state: msg("kind.member_state"),
  observer_state: msg("kind.observer_state"),
  stakeholder: msg("kind.stakeholder"),
};

const STAKEHOLDER_TYPES = {
  civil_society: msg("stakeholder.civil_society"),
  igo: msg("stakeholder.igo"),
  private_sector: msg("stakeholder.private_sector"),
  academia: msg("stakeholder.academia"),
  other: msg("stakeholder.other"),
};

export function delegationKind(delegation) {
  if (!delegation) return "";
  const kind = DELEGATION_KINDS[delegation.kind] ? t(DELEGATION_KINDS[delegation.kind]) : delegation.kind;
  const subtype = STAKEHOLDER_TYPES[delegation.subtype];
  return subtype ? t("kind.with_subtype", { kind, subtype: t(subtype) }) : kind;
}

const SEGMENT_KINDS = {
  member_states: msg("segment.member_states"),
  panelists: msg("segment.panelists"),
  stakeholders: msg("segment.stakeholders"),
};

export function segmentName(kind) {
  return SEGMENT_KINDS[kind] ? t(SEGMENT_KINDS[kind]) : String(kind ?? "");
}

/** "Member States · segment 2" */
export function segmentLine(segment) {
  return t("segment.numbered", { name: segmentName(segment.kind), number: segment.number });
}

const ROLES = {
  co_facilitator: msg("role.co_facilitator"),
  secretary_general: msg("role.secretary_general"),
  moderator: msg("role.moderator"),
  panelist: msg("role.panelist"),
  thematic_expert: msg("role.thematic_expert"),
};

export function roleName(role) {
  return ROLES[role] ? t(ROLES[role]) : String(role ?? "");
}

const TURN_KINDS = {
  welcome: msg("turn.welcome"),
  issue_brief: msg("turn.issue_brief"),
  moderator_opening: msg("turn.moderator_opening"),
  expert_presentation: msg("turn.expert_presentation"),
  moderator_concluding: msg("turn.moderator_concluding"),
  summary_moderator: msg("turn.summary_moderator"),
  thematic_expert: msg("turn.thematic_expert"),
  floor: msg("turn.floor"),
  panelist_response: msg("turn.panelist_response"),
  closing: msg("turn.closing"),
  dialogue: msg("turn.dialogue"),
};

/**
 * What a programme turn is. The programme's labels are in English, as the secretariat wrote
 * them; in another language the screen says what kind of turn it is ("Déclaration liminaire
 * du modérateur") rather than show English.
 */
export function turnLabel(turn) {
  if (language() === "en" || !TURN_KINDS[turn.kind]) return turn.label;
  return t(TURN_KINDS[turn.kind]);
}

/** Lookups over a meeting document, built once per meeting message. */
export class Roster {
  /** `names`: the States' names in the language in use (see `fetchNames`), kept from the
   * roster this one replaces until they are fetched again. */
  constructor(meeting, names = new Map()) {
    this.meeting = meeting;
    this.names = names;
    this.delegations = new Map((meeting?.delegations ?? []).map((d) => [d.id, d]));
    this.speakers = new Map((meeting?.speakers ?? []).map((s) => [s.id, s]));
    this.items = new Map();
    this.turns = new Map();
    for (const day of meeting?.days ?? []) {
      for (const item of day.items ?? []) {
        this.items.set(item.id, { ...item, date: day.date });
        for (const turn of item.turns ?? []) this.turns.set(turn.id, { ...turn, item_id: item.id });
      }
    }
  }

  get timezone() {
    return this.meeting?.timezone || "UTC";
  }

  /** The display name of a delegation or speaker id, in the language in use for a State. */
  nameOf(id) {
    return this.names.get(id) ?? this.delegations.get(id)?.name ?? this.speakers.get(id)?.name ?? id;
  }

  /** The States' names in `lang`, from the server; in English, those registered. */
  async fetchNames(lang) {
    if (!this.meeting || lang === "en") return new Map();
    const path = `/api/meetings/${encodeURIComponent(this.meeting.id)}/names?lang=${lang}`;
    return new Map(Object.entries(await request("GET", path)));
  }

  /** A short code for an id: the ISO alpha-3 of a State, nothing for others. */
  codeOf(id) {
    const d = this.delegations.get(id);
    return d ? d.iso3 || (d.kind === "stakeholder" ? "" : d.id) : "";
  }

  /** What a person is, in a few words ("Member State", "Panelist · IOM"). */
  describe(id) {
    const d = this.delegations.get(id);
    if (d) return delegationKind(d);
    const s = this.speakers.get(id);
    if (s) return [roleName(s.role), s.affiliation].filter(Boolean).join(" · ");
    return "";
  }

  floorLimitMs() {
    const floor = this.meeting?.limits?.floor;
    return (floor?.limit_s ?? 180) * 1000;
  }
}

/** The speaker of the current intervention: who, and in which words. */
export function describeCurrent(roster, current) {
  if (!current) return null;
  // A programme turn says what is happening ("Opening remarks by the moderator"); anyone
  // else is described by kind, or role and affiliation.
  const turn = current.turn_id ? roster.turns.get(current.turn_id) : null;
  const detail = turn ? turnLabel(turn) : roster.describe(current.speaker_id);
  return {
    name: roster.names.get(current.speaker_id) || current.name || roster.nameOf(current.speaker_id),
    code: current.speaker_kind === "delegation" ? roster.codeOf(current.speaker_id) : "",
    detail,
  };
}

const CONNECTION = {
  online: msg("connection.online"),
  connecting: msg("connection.connecting"),
  offline: msg("connection.offline"),
};

/** "Connected", "Connecting…", "Reconnecting…" */
export function connectionWords(status) {
  return t(CONNECTION[status] ?? CONNECTION.connecting);
}

/**
 * Fetch the States' names in the language in use for the roster `getRoster()` returns, and
 * call `done()` once they are in, unless the roster or the language changed meanwhile. Until
 * then the screen shows the registered names.
 */
export function refreshNames(getRoster, done) {
  const roster = getRoster();
  const lang = language();
  roster.fetchNames(lang).then(
    (names) => {
      if (getRoster() !== roster || language() !== lang) return;
      roster.names = names;
      done();
    },
    () => {},
  );
}
