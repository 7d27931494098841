// Finding a delegation by what a person types: case, accents and punctuation ignored ("cote"
// finds Côte d'Ivoire, "viet nam" and "vietnam" the same), best matches first. Pure: no DOM.
// The terms of each delegation come from the server (/api/meetings/{id}/names/aliases): its
// names in the six languages, usual and former names, ISO codes, a stakeholder's initials.

/** Lower case, no diacritics (Latin accents, Arabic vowel marks), apostrophes and dots
 * dropped ("U.K." is "uk"), other punctuation a space. */
export function fold(text) {
  return String(text ?? "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[.'’`ʼ]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const EXACT = 0;
const STARTS = 1;
const WORD_STARTS = 2;
const CONTAINS = 3;

/** How well `query` matches one of `terms`: 0 a term is the query, 1 a term starts with it,
 * 2 a word of a term does, 3 a term contains it (spaces ignored); null if none matches. */
export function matchRank(query, terms) {
  const q = fold(query);
  if (!q) return CONTAINS;
  const compact = q.replaceAll(" ", "");
  let best = null;
  for (const term of terms) {
    const f = fold(term);
    if (!f) continue;
    let rank = null;
    if (f === q) rank = EXACT;
    else if (f.startsWith(q)) rank = STARTS;
    else if (f.includes(` ${q}`)) rank = WORD_STARTS;
    else if (f.replaceAll(" ", "").includes(compact)) rank = CONTAINS;
    if (rank !== null && (best === null || rank < best)) best = rank;
    if (best === EXACT) break;
  }
  return best;
}

/** The items that `query` finds, best matches first, in their given order within a rank. */
export function search(query, items, termsOf) {
  const ranked = [];
  items.forEach((item, index) => {
    const rank = matchRank(query, termsOf(item));
    if (rank !== null) ranked.push({ item, rank, index });
  });
  ranked.sort((a, b) => a.rank - b.rank || a.index - b.index);
  return ranked.map((r) => r.item);
}
