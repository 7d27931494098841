// An in-page dialog that holds the keyboard: the rest of the page is inert while it is open, Tab
// goes round its own controls, Escape closes it, and focus returns to where it was.

/**
 * Open `backdrop` (a `.dialog-backdrop` element) as a modal dialog.
 * @param {HTMLElement} backdrop
 * @param {{focus?: HTMLElement, onEscape?: () => void}} options
 * @returns {() => void} close: hides it and gives the page back
 */
export function openModal(backdrop, { focus, onEscape } = {}) {
  const opener = document.activeElement;
  // Live regions stay out of it: what they say must still be heard with the dialog open.
  const others = [...document.body.children].filter(
    (el) => el !== backdrop && !el.inert && !el.hasAttribute("aria-live"),
  );
  for (const el of others) el.inert = true;
  backdrop.hidden = false;
  const onKey = (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      onEscape?.();
    } else if (event.key === "Tab") {
      wrapTab(backdrop, event);
    }
  };
  backdrop.addEventListener("keydown", onKey);
  (focus ?? focusables(backdrop)[0])?.focus();
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    backdrop.hidden = true;
    backdrop.removeEventListener("keydown", onKey);
    for (const el of others) el.inert = false;
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  };
}

function focusables(root) {
  const selector = "button, input, select, textarea, a[href], [tabindex]:not([tabindex='-1'])";
  return [...root.querySelectorAll(selector)].filter((el) => !el.disabled && el.getClientRects().length);
}

function wrapTab(root, event) {
  const items = focusables(root);
  if (!items.length) return;
  const first = items[0];
  const last = items[items.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
