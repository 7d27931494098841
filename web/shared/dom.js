// Small DOM and wording helpers shared by the screens.

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

export function ordinal(n) {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${{ 1: "st", 2: "nd", 3: "rd" }[n % 10] ?? "th"}`;
}

const DELEGATION_KINDS = {
  member_state: "Member State",
  observer_state: "Observer State",
  stakeholder: "Stakeholder",
};

const STAKEHOLDER_TYPES = {
  civil_society: "civil society",
  igo: "intergovernmental organization",
  private_sector: "private sector",
  academia: "academia",
  other: "other",
};

export function delegationKind(delegation) {
  if (!delegation) return "";
  const kind = DELEGATION_KINDS[delegation.kind] ?? delegation.kind;
  const subtype = delegation.subtype && STAKEHOLDER_TYPES[delegation.subtype];
  return subtype ? `${kind} (${subtype})` : kind;
}

const SEGMENT_KINDS = {
  member_states: "Member States",
  panelists: "Panelists respond",
  stakeholders: "Stakeholders",
};

export function segmentName(kind) {
  return SEGMENT_KINDS[kind] ?? String(kind ?? "");
}

const ROLES = {
  co_facilitator: "Co-facilitator",
  secretary_general: "Secretary-General of the conference",
  moderator: "Moderator",
  panelist: "Panelist",
  thematic_expert: "Thematic expert",
};

export function roleName(role) {
  return ROLES[role] ?? String(role ?? "");
}

/** Lookups over a meeting document, built once per meeting message. */
export class Roster {
  constructor(meeting) {
    this.meeting = meeting;
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

  /** The display name of a delegation or speaker id. */
  nameOf(id) {
    return this.delegations.get(id)?.name ?? this.speakers.get(id)?.name ?? id;
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
  const detail = turn ? turn.label : roster.describe(current.speaker_id);
  return {
    name: current.name || roster.nameOf(current.speaker_id),
    code: current.speaker_kind === "delegation" ? roster.codeOf(current.speaker_id) : "",
    detail,
  };
}
