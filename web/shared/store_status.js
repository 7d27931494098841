// The store's status as the server tells it (a `status` message, docs/protocol.md): while the
// server cannot reach the meeting's store, every screen says so at its top, in its language,
// and says nothing once the store is back. The figures keep moving from the facts held.

import { h, setText } from "./dom.js";
import { onLanguageChange, t } from "./i18n.js";

let banner = null;
let unreachable = false;

function render() {
  banner.hidden = !unreachable;
  setText(banner, unreachable ? t("status.store_unreachable") : "");
}

/** Show or clear the banner: `connections` are the screen's live connections (the chair has
 * one per room); the store is unreachable if any of them says so. */
export function showStoreStatus(...connections) {
  if (!banner) {
    banner = h("div", { class: "store-status", role: "alert", testid: "store-status", hidden: true });
    document.body.prepend(banner);
    onLanguageChange(render);
  }
  unreachable = connections.some((conn) => conn?.store === "unreachable");
  render();
}
