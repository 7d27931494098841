// Signing in with an access code, when the server asks for one.
//
// Reading a meeting is open to all; acts may need a session. The server answers 401 to an act
// from someone not signed in; the screen then asks for the code in an in-page dialog, signs in
// (the server sets a session cookie) and tries the act once more.

import { ApiError, request } from "./api.js";
import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { openModal } from "./modal.js";

/** @returns {Promise<{role: string, meeting_id: string|null, subject: string|null}>} */
export function signIn(meetingId, code) {
  return request("POST", "/api/session", { code, meeting_id: meetingId });
}

/** Who this browser is signed in as, or null (also when the server has no sessions). */
export async function whoAmI() {
  try {
    const info = await request("GET", "/api/session");
    return info && info.role && info.role !== "public" ? info : null;
  } catch {
    return null;
  }
}

/**
 * Sign in with a code carried in the address (`#code=XXXX-XXXX`, as on the secretariat's
 * printed sheet). The fragment never reaches the server; it is removed from the address at
 * once so that it is not left on screen or in the history.
 * @returns {Promise<null | {role?: string, subject?: string|null, error?: string}>}
 */
export async function signInFromAddress(meetingId) {
  const code = new URLSearchParams(location.hash.slice(1)).get("code");
  if (!code) return null;
  history.replaceState(null, "", location.pathname + location.search);
  try {
    return await signIn(meetingId, code);
  } catch (error) {
    const why = error instanceof ApiError ? error.message : String(error);
    return { error: t("signin.address_refused", { reason: why }) };
  }
}

let dialog = null;

function buildDialog() {
  const input = h("input", {
    type: "text",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: false,
    placeholder: "XXXX-XXXX",
    dir: "ltr",
    testid: "signin-code",
  });
  const error = h("p", { class: "signin-error", role: "alert", testid: "signin-error", hidden: true });
  const text = h("p", { id: "signin-text", testid: "signin-text" });
  const cancel = h("button", { type: "button", testid: "signin-cancel" });
  const submit = h("button", { type: "submit", class: "primary", testid: "signin-submit" });
  const form = h(
    "form",
    { class: "dialog signin", role: "dialog", "aria-modal": "true", "aria-labelledby": "signin-text" },
    text,
    input,
    error,
    h("div", { class: "actions" }, cancel, submit),
  );
  const backdrop = h("div", { class: "dialog-backdrop", testid: "signin-dialog", hidden: true }, form);
  document.body.append(backdrop);
  return { backdrop, form, input, error, text, cancel, submit };
}

/**
 * Ask for an access code until one signs in, or the person cancels (null).
 * @param {string} meetingId
 * @param {string} why a sentence saying what the code is for
 */
export function askForCode(meetingId, why) {
  dialog ??= buildDialog();
  const d = dialog;
  setText(d.text, why);
  setText(d.cancel, t("common.cancel"));
  setText(d.submit, t("signin.submit"));
  d.input.setAttribute("aria-label", t("signin.code_label"));
  d.error.hidden = true;
  d.input.value = "";
  return new Promise((resolve) => {
    const finish = (value) => {
      close();
      d.form.onsubmit = null;
      d.cancel.onclick = null;
      resolve(value);
    };
    const close = openModal(d.backdrop, { focus: d.input, onEscape: () => finish(null) });
    d.cancel.onclick = () => finish(null);
    d.form.onsubmit = async (event) => {
      event.preventDefault();
      d.submit.disabled = true;
      try {
        finish(await signIn(meetingId, d.input.value.trim()));
      } catch (error) {
        setText(d.error, error instanceof ApiError ? error.message : String(error));
        d.error.hidden = false;
        d.input.select();
      } finally {
        d.submit.disabled = false;
      }
    };
  });
}

/** Run an act; if the server wants a session first, ask for the code and run it once more. */
export async function withSession(meetingId, why, act) {
  try {
    return await act();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    const session = await askForCode(meetingId, why);
    if (!session) throw new ApiError(401, "unauthorized", t("signin.not_sent"));
    return act();
  }
}

/** True while the sign-in dialog is open (screens pause their keyboard shortcuts). */
export function signingIn() {
  return Boolean(dialog && !dialog.backdrop.hidden);
}
