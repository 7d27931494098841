// Choices kept on this device (language, delegation, sound, shortcuts). Where the browser keeps
// nothing (private mode, storage switched off), a choice lasts for the page only.

/** The value kept under `key`, or null. */
export function recall(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Keep `value` under `key`; null forgets it. */
export function remember(key, value) {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // The choice lasts for this page only.
  }
}
