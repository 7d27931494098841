// What a screen reader says without being asked: two live regions, present from the start (a
// region that appears with its text is often not read). Polite: the next speaker, a place in
// line. Assertive: "You have the floor", a warning, time up.

const regions = new Map();

function region(assertive) {
  const kind = assertive ? "assertive" : "polite";
  let el = regions.get(kind);
  if (!el) {
    el = document.createElement("div");
    el.className = "visually-hidden";
    el.setAttribute("role", assertive ? "alert" : "status");
    el.setAttribute("aria-live", kind);
    el.setAttribute("aria-atomic", "true");
    el.dataset.testid = `announce-${kind}`;
    document.body.append(el);
    regions.set(kind, el);
  }
  return el;
}

/** Create both regions now, so that the first announcement is read. */
export function prepareAnnouncements() {
  region(false);
  region(true);
}

/** Say `text` once. A caller announces a change, not every frame. */
export function announce(text, { assertive = false } = {}) {
  if (!text) return;
  const el = region(assertive);
  // The same words again (a second warning, say) must still be a change for the reader.
  el.textContent = el.textContent === text ? `${text}\u00a0` : text;
}

const seen = new Map();

/**
 * Announce `words()` only when `key` changes: `announceChange("next", id, () => sentence)`. The
 * first value is only noted (what a screen shows when it opens is not news); null says nothing.
 */
export function announceChange(name, key, words, options) {
  const known = seen.has(name);
  const before = seen.get(name);
  seen.set(name, key);
  if (known && before !== key && key !== null && key !== undefined) announce(words(), options);
}
