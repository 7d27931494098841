"""What "fits" means for each screen: a busy room with the longest names of the roster, and
the parts of each screen whose text must not overflow."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.browser.conftest import Room, Size

LONG_NAMES = [
    "COD",
    "FSM",
    "VCT",
    "CAF",
    "BIH",
    "KNA",
    "sh-iom",
    "sh-ps-recruitment",
    "VAT",
    "GBR",
    "PRK",
]

MODERATOR_PARTS = [
    ".bar",
    ".console > .panel",
    "[data-testid=line-row]",
    ".line-actions",
    ".turns li",
    ".next-box",
    ".keys",
    ".segment-switch",
    ".clock-row",
    ".timer-buttons",
]
TABLET_PARTS = [".bar", ".request", ".floor-given", ".given-name", "[data-testid=tablet-now]"]
PICKER_PARTS = [".bar", ".picker", ".picker-list li"]
DISPLAY_PARTS = [".top", ".stage", ".speaker", ".next", ".next li", ".bottom"]
CHAIR_PARTS = [".bar", ".overview > .panel", ".day table", ".room"]

OVERFLOWS = """
selectors => {
  const found = [];
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    found.push(`page ${page.scrollWidth} > ${page.clientWidth}`);
  }
  for (const selector of selectors) {
    for (const el of document.querySelectorAll(selector)) {
      if (!el.getClientRects().length) continue;  // not shown
      if (el.scrollWidth > el.clientWidth + 1) {
        const text = el.textContent.trim().slice(0, 40);
        found.push(`${selector} "${text}": ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
  }
  return found;
}
"""

SCREEN_FITS_VIEWPORT = """
() => document.documentElement.scrollHeight <= document.documentElement.clientHeight + 1
"""


def busy_room(room: Room, speaker: str = "sh-rcp") -> None:
    """Panel 1 under way, the floor open, a line of long names, `speaker` speaking."""
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    for delegation_id in [speaker, *LONG_NAMES]:
        room.request_floor(delegation_id)
    room.act("/floor/give", {"delegation_id": speaker})


def overflows(page: Page, selectors: list[str], whole_screen: bool = True) -> list[str]:
    found: list[str] = page.evaluate(OVERFLOWS, selectors)
    if whole_screen and not page.evaluate(SCREEN_FITS_VIEWPORT):
        found.append("the screen scrolls")
    return found


def assert_fits(page: Page, selectors: list[str], whole_screen: bool = True) -> None:
    assert overflows(page, selectors, whole_screen) == []


def size_name(size: Size) -> str:
    return f"{size[0]}x{size[1]}"
