// The words of every screen in the six official languages of the United Nations.
//
// The words live in web/i18n/<lang>.json under keys shared by all screens. A value is a sentence
// with {named} places, or, where a number changes the words, an object by plural category of
// Intl.PluralRules ({"one": "...", "other": "..."}): the param `count` picks a cardinal form,
// `ordinal` an ordinal one ("3rd in line"). Arabic is written right to left.
//
// Figures are written with Western digits in every language, Arabic included: the countdown,
// the times and the counts on a screen are then read one way by the whole hall, whatever the
// language of the screen beside it, and the UN's Arabic documents write figures so too.

import { recall, remember } from "./stored.js";

export const LANGUAGES = ["ar", "zh", "en", "fr", "ru", "es"];

/** Each language in its own words, for the switch: the same in every catalogue. */
export const AUTONYMS = {
  ar: "العربية",
  zh: "中文",
  en: "English",
  fr: "Français",
  ru: "Русский",
  es: "Español",
};

const RIGHT_TO_LEFT = new Set(["ar"]);
/** BCP 47 tags for <html lang> and Intl: the UN's Chinese is in simplified characters. */
const TAGS = { ar: "ar", zh: "zh-Hans", en: "en-GB", fr: "fr", ru: "ru", es: "es" };
const STORAGE_KEY = "floorkeeper:language";

const current = {
  lang: "en",
  words: {},
  english: {},
  cardinal: new Intl.PluralRules("en"),
  ordinal: new Intl.PluralRules("en", { type: "ordinal" }),
  number: new Intl.NumberFormat("en", { numberingSystem: "latn" }),
};
const catalogues = new Map();
const listeners = new Set();

export function language() {
  return current.lang;
}

/** The BCP 47 tag of the language in use, for Intl and `lang` attributes. */
export function locale() {
  return TAGS[current.lang];
}

/** "fr", "fr-CH", "zh_Hant_TW" → one of LANGUAGES, or null. */
export function matchLanguage(tag) {
  if (!tag) return null;
  const base = String(tag).toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(base) ? base : null;
}

function readStored() {
  return recall(STORAGE_KEY);
}

function store(lang) {
  remember(STORAGE_KEY, lang);
}

/**
 * The language a screen opens in: `?lang=` in its address (the secretariat sets the hall
 * display's), then the one chosen on this device (`remembered`), then the browser's.
 */
export function preferredLanguage({ remembered = true } = {}) {
  const asked = matchLanguage(new URLSearchParams(location.search).get("lang"));
  if (asked) return asked;
  const stored = remembered ? matchLanguage(readStored()) : null;
  if (stored) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const found = matchLanguage(tag);
    if (found) return found;
  }
  return "en";
}

function loadCatalogue(lang) {
  if (!catalogues.has(lang)) {
    const loading = fetch(`/static/i18n/${lang}.json`).then((response) => {
      if (!response.ok) throw new Error(`no catalogue for ${lang} (${response.status})`);
      return response.json();
    });
    loading.catch(() => catalogues.delete(lang));
    catalogues.set(lang, loading);
  }
  return catalogues.get(lang);
}

/**
 * Use `lang` on this page: load its words, set <html lang dir>, translate the static text and
 * tell the screen (onLanguageChange) so that it renders again. `remember`: for this device.
 */
export async function setLanguage(lang, { remember = false } = {}) {
  let chosen = matchLanguage(lang) ?? "en";
  let words;
  try {
    words = await loadCatalogue(chosen);
  } catch {
    chosen = "en";
    words = await loadCatalogue("en");
  }
  const english = chosen === "en" ? words : await loadCatalogue("en").catch(() => ({}));
  const tag = TAGS[chosen];
  Object.assign(current, {
    lang: chosen,
    words,
    english,
    cardinal: new Intl.PluralRules(tag),
    ordinal: new Intl.PluralRules(tag, { type: "ordinal" }),
    number: new Intl.NumberFormat(tag, { numberingSystem: "latn" }),
  });
  if (remember) store(chosen);
  const root = document.documentElement;
  root.lang = tag;
  root.dir = RIGHT_TO_LEFT.has(chosen) ? "rtl" : "ltr";
  translatePage();
  for (const listener of listeners) listener(chosen);
  return chosen;
}

/** Run `listener(lang)` after every change of language. */
export function onLanguageChange(listener) {
  listeners.add(listener);
}

/** Marks a key for the catalogue test without translating it yet: `t(TABLE[kind])` later. */
export function msg(key) {
  return key;
}

/**
 * The words of `key` in the language in use, its {places} filled from `params` (numbers with
 * Western digits). An unknown key shows as itself, which the browser tests look for.
 */
export function t(key, params = {}) {
  let entry = current.words[key] ?? current.english[key];
  if (entry === undefined) return key;
  if (typeof entry === "object") {
    const category =
      params.ordinal !== undefined
        ? current.ordinal.select(params.ordinal)
        : current.cardinal.select(params.count ?? 0);
    entry = entry[category] ?? entry.other;
  }
  return entry.replace(/\{(\w+)\}/g, (place, name) => {
    const value = params[name];
    if (value === undefined || value === null) return place;
    return typeof value === "number" ? formatNumber(value) : String(value);
  });
}

export function formatNumber(n) {
  return current.number.format(n);
}

/** "Monday 19 June 2017" (or its equivalent) for an ISO date, in the language in use. */
export function formatDate(iso) {
  const date = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
    numberingSystem: "latn",
  }).format(date);
}

/** Sort names as a reader of the language in use expects. */
export function compareNames(a, b) {
  return a.localeCompare(b, locale());
}

const STATIC = [
  ["i18n", (el, text) => (el.textContent = text)],
  ["i18nAriaLabel", (el, text) => el.setAttribute("aria-label", text)],
  ["i18nPlaceholder", (el, text) => el.setAttribute("placeholder", text)],
  ["i18nTitle", (el, text) => el.setAttribute("title", text)],
];

/** The page's fixed words: `data-i18n`, `data-i18n-aria-label`, `-placeholder`, `-title`. */
export function translatePage(root = document) {
  for (const [name, apply] of STATIC) {
    const attribute = `data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    for (const el of root.querySelectorAll(`[${attribute}]`)) apply(el, t(el.dataset[name]));
  }
}

const GLOBE =
  '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">' +
  '<g fill="none" stroke="currentColor" stroke-width="1.8"><circle cx="12" cy="12" r="9.2"/>' +
  '<path d="M2.8 12h18.4M12 2.8c2.6 2.7 3.9 5.8 3.9 9.2s-1.3 6.5-3.9 9.2M12 2.8C9.4 5.5 8.1 8.6 ' +
  '8.1 12s1.3 6.5 3.9 9.2"/></g></svg>';

/**
 * A visible language switch: a globe and the six languages each in its own words. The choice
 * is remembered on this device, and replaces a `?lang=` of the address.
 */
export function languageSwitch() {
  const select = document.createElement("select");
  select.dataset.testid = "language-select";
  select.dataset.i18nAriaLabel = "language.label";
  select.setAttribute("aria-label", t("language.label"));
  for (const lang of LANGUAGES) {
    const option = document.createElement("option");
    option.value = lang;
    option.lang = TAGS[lang];
    option.textContent = AUTONYMS[lang];
    select.append(option);
  }
  select.value = current.lang;
  onLanguageChange((lang) => (select.value = lang));
  select.addEventListener("change", () => {
    const url = new URL(location.href);
    if (url.searchParams.has("lang")) {
      url.searchParams.delete("lang");
      history.replaceState(history.state, "", url);
    }
    setLanguage(select.value, { remember: true });
  });
  const wrapper = document.createElement("label");
  wrapper.className = "language";
  wrapper.innerHTML = GLOBE;
  wrapper.append(select);
  return wrapper;
}
