"""The broadcast overlay: a transparent page with the speaker's plate, the countdown and who
comes next, that animates when the speaker changes, in English and in Arabic (right to left),
fed by the meeting's websocket or by CasparCG's `update(data)`."""

from __future__ import annotations

import json
import struct
import zlib

import pytest
from playwright.sync_api import Page, expect

from app.broadcast.plate import Roster, plate, read_live, read_meeting, template_data
from tests.browser.conftest import HALL, Room, Screens, countdown_reading, screenshot, wait_synced
from tests.unit.test_broadcast_plate import GROUPS, MEETING, T0, intervention, live

pytestmark = pytest.mark.browser

LAYERS = "speaker-and-clock|next"
# A stand-in for the webcast's picture behind the overlay, for the README's screenshot: the
# hall's panelled wall, the dais and the desks (CSS only, nothing fetched).
# (Set through the CSSOM: the page's Content-Security-Policy forbids inline style.)
SAMPLE_FRAME = (
    "radial-gradient(ellipse 40% 18% at 50% 62%, #6b4f32 0 60%, transparent 61%),"
    " linear-gradient(180deg, transparent 0 64%, #3b2b1c 64% 70%, #24313f 70%),"
    " repeating-linear-gradient(90deg, #5d6f7f 0 6vw, #53626f 6vw 12vw), #4a5a68"
)
BEHIND = "css => { document.documentElement.style.background = css; }"


def corner_alphas(png: bytes) -> list[int]:
    """The alpha of the four corner pixels of an 8-bit RGBA PNG (as Chromium writes them)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = height = 0
    data = b""
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 6), "expected 8-bit RGBA"
        elif kind == b"IDAT":
            data += body
        at += 12 + length
    raw = zlib.decompress(data)
    stride = width * 4
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        line = raw[y * (stride + 1) : (y + 1) * (stride + 1)]
        method, row = line[0], bytearray(line[1:])
        for x in range(stride):
            left = row[x - 4] if x >= 4 else 0
            up = previous[x]
            corner = previous[x - 4] if x >= 4 else 0
            if method == 1:
                row[x] = (row[x] + left) & 0xFF
            elif method == 2:
                row[x] = (row[x] + up) & 0xFF
            elif method == 3:
                row[x] = (row[x] + (left + up) // 2) & 0xFF
            elif method == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                row[x] = (row[x] + guess) & 0xFF
        rows.append(row)
        previous = row
    return [rows[y][x * 4 + 3] for y in (0, height - 1) for x in (0, width - 1)]


def a_speaks_b_waits(room: Room) -> None:
    room.act("/items/d1-panel1/start")
    room.act("/floor/open")
    room.request_floor("MEX")
    room.request_floor("FRA")
    room.act("/floor/next")


def plate_of(page: Page) -> dict[str, str]:
    return {
        "name": page.get_by_test_id("overlay-name").inner_text(),
        "detail": page.get_by_test_id("overlay-detail").inner_text(),
        "next": page.get_by_test_id("overlay-next-name").inner_text(),
    }


def test_a_transparent_page_with_the_plate_and_clock_through_a_speaker_change(
    room: Room, screens: Screens
) -> None:
    a_speaks_b_waits(room)
    overlay = screens.open("overlay", HALL, layers=LAYERS, lang="en")
    display = screens.open("display", HALL, lang="en")
    wait_synced(overlay)
    wait_synced(display)
    plate = overlay.get_by_test_id("overlay-plate")
    expect(plate).to_have_attribute("data-settled", "1")
    assert plate_of(overlay) == {"name": "Mexico", "detail": "Member State", "next": "France"}

    # Nothing but the plates is drawn: the page's corners are fully transparent.
    png = overlay.screenshot(omit_background=True)
    assert corner_alphas(png) == [0, 0, 0, 0]
    background = overlay.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgba(0, 0, 0, 0)"

    # Inside the title-safe area (5 % of each side) of the 1920x1080 picture.
    boxes = {}
    for testid in ("overlay-plate", "overlay-next"):
        box = overlay.get_by_test_id(testid).bounding_box()
        assert box is not None
        boxes[testid] = box
        assert box["x"] >= 96, testid
        assert box["x"] + box["width"] <= 1920 - 96, testid
        assert box["y"] >= 54, testid
        assert box["y"] + box["height"] <= 1080 - 54, testid
    # The next speaker at the top, the plate at the bottom, from the left.
    assert boxes["overlay-next"]["y"] < 540
    assert boxes["overlay-plate"]["x"] < 960
    assert boxes["overlay-plate"]["y"] > 540

    # The countdown is the hall display's: the same facts, the same clock.
    left_overlay, at_overlay, _ = countdown_reading(overlay, "overlay-countdown")
    left_display, at_display, _ = countdown_reading(display)
    assert abs((at_overlay + left_overlay) - (at_display + left_display)) < 250
    assert 0 < left_overlay <= 180_000

    overlay.evaluate(BEHIND, SAMPLE_FRAME)
    screenshot(overlay, "overlay-1920x1080")
    overlay.evaluate(BEHIND, "")

    room.act("/floor/next")  # France now
    expect(plate).to_have_attribute("data-settled", "2")
    assert plate_of(overlay)["name"] == "France"
    animations = overlay.evaluate("() => window.floorkeeper.animations")
    assert animations.index("plate:out:1") < animations.index("plate:in:2")
    expect(overlay.get_by_test_id("overlay-next")).to_be_hidden()  # no one waits now

    room.act("/floor/end")
    expect(plate).to_be_hidden()
    assert overlay.evaluate("() => window.floorkeeper.animations").count("plate:out:2") == 1


def test_in_arabic_the_plate_reads_right_to_left_from_the_right(
    room: Room, screens: Screens
) -> None:
    a_speaks_b_waits(room)
    overlay = screens.open("overlay", HALL, layers=LAYERS, lang="ar")
    wait_synced(overlay)
    expect(overlay.locator("html")).to_have_attribute("dir", "rtl")
    plate = overlay.get_by_test_id("overlay-plate")
    expect(plate).to_have_attribute("data-settled", "1")
    expect(overlay.get_by_test_id("overlay-name")).to_have_text("المكسيك")
    expect(overlay.get_by_test_id("overlay-next-name")).to_have_text("فرنسا")
    box = plate.bounding_box()
    assert box is not None
    assert box["x"] > 960  # the plate starts at the right
    assert box["x"] + box["width"] <= 1920 - 96
    # The figures still read left to right.
    countdown = overlay.get_by_test_id("overlay-countdown")
    assert countdown.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert corner_alphas(overlay.screenshot(omit_background=True)) == [0, 0, 0, 0]
    overlay.evaluate(BEHIND, SAMPLE_FRAME)
    screenshot(overlay, "overlay-ar-1920x1080")

    room.act("/floor/next")
    expect(plate).to_have_attribute("data-settled", "2")
    expect(overlay.get_by_test_id("overlay-name")).to_have_text("فرنسا")


def test_the_page_names_a_group_statement_as_the_server_does(room: Room, screens: Screens) -> None:
    overlay = screens.open("overlay", HALL, lang="fr")
    expect(overlay.locator("html")).to_have_attribute("lang", "fr")
    meeting = json.loads(json.dumps(MEETING))
    meeting["meeting"]["groups"] = GROUPS
    message = live(intervention("FRA", on_behalf_of="eu"))
    shown = overlay.evaluate(
        """async ([meeting, live]) => {
            const { Roster } = await import('/static/shared/dom.js');
            const { plateOf } = await import('/static/overlay/plate.js');
            const roster = new Roster(meeting);
            roster.names = new Map([['FRA', 'France'], ['MEX', 'Mexique']]);
            return plateOf(roster, live).name;
        }""",
        [meeting["meeting"], message],
    )
    server = plate(Roster(read_meeting(meeting)), read_live(message), "fr").name
    assert shown == server == "France, au nom de l'Union européenne"


def test_as_a_casparcg_template_it_shows_what_update_sends_and_leaves_on_stop(
    room: Room, screens: Screens
) -> None:
    overlay = screens.open("overlay", HALL, feed="casparcg", lang="en")
    meeting = json.loads(json.dumps(MEETING))
    meeting["meeting"]["groups"] = GROUPS
    sign = plate(
        Roster(read_meeting(meeting)),
        read_live(live(intervention("FRA", on_behalf_of="eu"))),
        "es",
    )
    data = template_data(sign, T0 + 20_000)  # 2:40 left when sent
    overlay.evaluate("data => window.update(data)", json.dumps(data))
    plate_el = overlay.get_by_test_id("overlay-plate")
    expect(plate_el).to_have_attribute("data-settled", "3")
    expect(overlay.locator("html")).to_have_attribute("lang", "es")
    assert plate_of(overlay)["name"] == "Francia, en nombre de la Unión Europea"
    left, _, phase = countdown_reading(overlay, "overlay-countdown")
    assert 150_000 < left <= 160_000
    assert phase == "normal"
    overlay.evaluate("() => window.stop()")
    expect(plate_el).to_be_hidden()
    overlay.evaluate("() => window.play()")
    expect(plate_el).to_be_visible()
