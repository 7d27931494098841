"""The venue, run for real without Docker (tests/venue/topology.py): through nginx and TLS,
Chromium signs in on the moderator's console and a delegation's tablet with their codes and
keeps the Secure cookie, acts work, the websocket carries changes, and after kill -9 of one
app process both screens go on through the other without a reload. Redis answers no one
without the password, which no log holds; every answer carries the security headers."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
import segno
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LAPTOP, TABLET, copy_demo
from tests.conftest import ROOT, bearer
from tests.integration.test_headers import assert_secure_headers
from tests.venue.topology import HOST_NAME, REDIS_USER, Venue, start_venue

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

MEETING = "venue"
ITEM = "d1-panel1"
# After kill -9, a screen on the dead process reconnects (its back-off) and nginx marks
# the process failed: allow more than the usual 10 s.
AFTER_FAILOVER_MS = 30_000


@pytest.fixture(scope="module")
def venue() -> Iterator[Venue]:
    started, stop = start_venue()
    yield started
    stop()


@pytest.fixture(scope="module")
def api(venue: Venue) -> Iterator[httpx.Client]:
    """The secretariat's and a co-facilitator's acts, through nginx and TLS."""
    with httpx.Client(base_url=venue.direct_url, verify=venue.tls_context(), timeout=10) as client:
        yield client


@pytest.fixture(scope="module")
def codes(venue: Venue, api: httpx.Client) -> dict[str, str]:
    """The meeting, its item taken up, and its access codes by subject."""
    secretariat = api.post("/api/session", json={"code": venue.secretariat_token})
    assert secretariat.status_code == 201, secretariat.text
    staff = bearer(secretariat.json()["token"])
    copy_demo(api, MEETING, staff)
    issued = api.post(f"/api/meetings/{MEETING}/access/codes", headers=staff)
    assert issued.status_code == 200, issued.text
    by_subject = {c["subject"]: c["code"] for c in issued.json()}
    moderator = api.post(
        "/api/session", json={"code": by_subject["moderator"], "meeting_id": MEETING}
    )
    assert moderator.status_code == 201, moderator.text
    start = api.post(
        f"/api/meetings/{MEETING}/items/{ITEM}/start",
        json={},
        headers=bearer(moderator.json()["token"]),
    )
    assert start.status_code == 200, start.text
    return by_subject


def spki_sha256(venue: Venue) -> str:
    """The server key's fingerprint, which Chromium is told to trust (it has no CA store to
    add the test's authority to)."""
    assert venue.server_cert is not None
    pem = venue.server_cert.cert_chain_pems[0].bytes()
    key = x509.load_pem_x509_certificate(pem).public_key()
    der = key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


@pytest.fixture(scope="module")
def browser(venue: Venue) -> Iterator[Browser]:
    args = [
        *CHROMIUM_ARGS,
        f"--host-resolver-rules=MAP {HOST_NAME} 127.0.0.1",
        f"--ignore-certificate-errors-spki-list={spki_sha256(venue)}",
    ]
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield launched
        launched.close()


class Watched:
    """Pages that fail the test on a script error or on anything the policy refused."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []

    def open(self, url: str, size: tuple[int, int]) -> tuple[BrowserContext, Page]:
        context = self.browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"{url}: {error}"))
        page.on(
            "console",
            lambda message: (
                self.problems.append(f"{url}: {message.text}")
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.goto(url)
        page.wait_for_function("() => window.floorkeeper !== undefined")
        page.evaluate("() => { window.notReloaded = true; }")
        return context, page


def session_cookie(context: BrowserContext) -> dict[str, Any]:
    cookies = [c for c in context.cookies() if c["name"] == "fk_session"]
    assert len(cookies) == 1, f"the browser kept no session cookie: {context.cookies()}"
    return dict(cookies[0])


def still_the_same_page(page: Page) -> None:
    assert page.evaluate("() => window.notReloaded === true"), "the screen was reloaded"


def test_the_room_signs_in_acts_and_survives_the_loss_of_an_app_process(
    venue: Venue, codes: dict[str, str], browser: Browser
) -> None:
    watched = Watched(browser)
    base = venue.base_url
    assert base.startswith("https://")
    moderator_context, moderator = watched.open(f"{base}/moderator?meeting={MEETING}", LAPTOP)

    # The moderator's first act asks for the code; signed in, the next acts go straight on.
    moderator.get_by_test_id("floor-toggle").click()
    expect(moderator.get_by_test_id("signin-dialog")).to_be_visible()
    moderator.get_by_test_id("signin-code").fill(codes["moderator"])
    moderator.get_by_test_id("signin-submit").click()
    expect(moderator.get_by_test_id("signin-dialog")).to_be_hidden()
    expect(moderator.get_by_test_id("floor-state")).to_have_text("Floor open")
    cookie = session_cookie(moderator_context)
    assert cookie["secure"] is True
    assert cookie["httpOnly"] is True
    assert cookie["domain"] == HOST_NAME
    moderator.keyboard.press("o")
    expect(moderator.get_by_test_id("floor-state")).to_have_text("Floor closed")
    moderator.keyboard.press("o")
    expect(moderator.get_by_test_id("floor-state")).to_have_text("Floor open")
    expect(moderator.get_by_test_id("signin-dialog")).to_be_hidden()

    # The tablet signs in with its delegation's code, from the access sheet's link.
    tablet_url = f"{base}/tablet?meeting={MEETING}#code={codes['delegation:MEX']}"
    tablet_context, tablet = watched.open(tablet_url, TABLET)
    expect(tablet.get_by_test_id("tablet-delegation")).to_have_text("Mexico")
    assert session_cookie(tablet_context)["secure"] is True
    tablet.get_by_test_id("request-button").click()
    expect(tablet.get_by_test_id("tablet-status")).to_have_text("You are next")
    # The moderator's console hears of it over its websocket.
    rows = moderator.get_by_test_id("line-row")
    expect(rows).to_have_count(1)
    expect(rows.nth(0)).to_contain_text("MEX")

    # kill -9 of one app process: whichever screen was on it reconnects to the other, acts
    # go through the other, and neither screen is reloaded.
    venue.apps[0].kill()
    moderator.keyboard.press("n")
    given = tablet.get_by_test_id("floor-given")
    expect(given).to_be_visible(timeout=AFTER_FAILOVER_MS)
    expect(given).to_contain_text("You have the floor")
    expect(moderator.get_by_test_id("current-speaker")).to_have_text(
        "Mexico", timeout=AFTER_FAILOVER_MS
    )
    moderator.get_by_test_id("end").click()
    expect(given).to_be_hidden(timeout=AFTER_FAILOVER_MS)
    expect(tablet.get_by_test_id("request-button")).to_have_text("Request the floor")
    tablet.get_by_test_id("request-button").click()
    expect(rows).to_have_count(1, timeout=AFTER_FAILOVER_MS)
    expect(rows.nth(0)).to_contain_text("MEX")
    for page in (moderator, tablet):
        still_the_same_page(page)
    expect(moderator.get_by_test_id("signin-dialog")).to_be_hidden()  # the cookie still serves

    for context in watched.contexts:
        context.close()
    assert not watched.problems, watched.problems


def test_plain_http_sends_to_https_and_hands_out_the_authority(venue: Venue) -> None:
    plain = f"http://127.0.0.1:{venue.http_port}"
    redirect = httpx.get(f"{plain}/moderator?meeting={MEETING}", follow_redirects=False)
    assert redirect.status_code == 301
    assert redirect.headers["location"] == f"{venue.direct_url}/moderator?meeting={MEETING}"
    authority = httpx.get(f"{plain}/venue-ca.crt")
    assert authority.status_code == 200
    assert authority.headers["content-type"] == "application/x-x509-ca-cert"
    assert authority.content == venue.ca.cert_pem.bytes()
    assert httpx.get(f"{plain}/venue.key", follow_redirects=False).status_code == 301


def test_every_answer_through_the_proxy_carries_hsts_and_the_headers(
    venue: Venue, api: httpx.Client, codes: dict[str, str]
) -> None:
    for path in (
        "/chair",
        f"/moderator?meeting={MEETING}",
        "/static/shared/ws.js",
        f"/api/meetings/{MEETING}",
        "/no-such-page",
    ):
        response = api.get(path)
        assert response.status_code in (200, 404), path
        assert response.headers.get("strict-transport-security") == "max-age=31536000", path
        assert_secure_headers(response)
    # A refusal too (a client with no session: `api` keeps the cookies it was given).
    refused = httpx.post(
        f"{venue.direct_url}/api/meetings/{MEETING}/floor/open", verify=venue.tls_context()
    )
    assert refused.status_code == 401, refused.text
    assert "strict-transport-security" in refused.headers
    assert_secure_headers(refused)


def test_the_access_sheet_links_over_https_and_starts_with_the_authority(
    venue: Venue, api: httpx.Client, codes: dict[str, str]
) -> None:
    """The app believes the proxy's X-Forwarded-Proto, so the QR codes open https:// screens;
    the first card is the venue's certificate authority, for tablets to trust first."""
    secretariat = api.post("/api/session", json={"code": venue.secretariat_token}).json()
    sheet = api.get(f"/api/meetings/{MEETING}/access/sheet", headers=bearer(secretariat["token"]))
    assert sheet.status_code == 200, sheet.text
    assert sheet.text.count("<svg") == len(codes) + 1
    authority = sheet.text.index(venue.authority_url)
    assert authority < sheet.text.index(codes["delegation:MEX"])
    # The QR code of Mexico's card is the one of its https:// address (segno is deterministic).
    link = f"{venue.direct_url}/tablet?meeting={MEETING}#code={codes['delegation:MEX']}"
    assert segno.make(link, error="m").svg_inline(scale=3, border=2) in sheet.text


def test_redis_answers_only_the_apps_user_with_its_password(venue: Venue) -> None:
    with venue.redis_client() as anonymous, pytest.raises(redis.AuthenticationError):
        anonymous.ping()
    with (
        venue.redis_client(username=REDIS_USER, password="wrong") as wrong,
        pytest.raises(redis.AuthenticationError),
    ):
        wrong.ping()
    # The password alone signs in the default user, which is switched off.
    with (
        venue.redis_client(password=venue.redis_password) as default_user,
        pytest.raises(redis.AuthenticationError),
    ):
        default_user.ping()
    with venue.redis_client(username=REDIS_USER, password=venue.redis_password) as app_user:
        assert app_user.ping()
        assert app_user.exists(f"{{{MEETING}}}:live") or app_user.dbsize() > 0
        with pytest.raises(redis.exceptions.NoPermissionError):
            app_user.flushall()  # no administration for the app's user
    acl = (venue.directory / "redis" / "users.acl").read_text()
    assert venue.redis_password not in acl  # only its SHA-256


def test_no_log_holds_the_redis_password_or_the_token(venue: Venue, codes: dict[str, str]) -> None:
    names = {path.name for path in venue.directory.rglob("*.log")}
    assert names >= {"app-1.log", "app-2.log", "redis.log", "error.log"}, names
    logs = venue.logs()
    for secret in (venue.redis_password, venue.secretariat_token, *codes.values()):
        assert secret not in logs


def test_the_venue_certificate_command_makes_an_authority_and_a_server_certificate(
    tmp_path: Path,
) -> None:
    env_file = tmp_path / "dot-env"
    env_file.write_text("FLOORKEEPER_SECRETARIAT_TOKEN=kept\n")
    env = os.environ | {
        "VENUE_CA_DIR": str(tmp_path / "ca"),
        "VENUE_CERT_DIR": str(tmp_path / "certs"),
        "VENUE_ENV_FILE": str(env_file),
    }
    script = str(ROOT / "deploy" / "venue-cert.sh")
    made = subprocess.run(
        ["sh", script, "floor.venue.example", "10.1.2.3"], env=env, capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    assert "http://floor.venue.example/venue-ca.crt" in made.stdout
    assert "Certificate Trust Settings" in made.stdout  # how to trust it on an iPad
    authority = x509.load_pem_x509_certificate((tmp_path / "ca" / "venue-ca.crt").read_bytes())
    server = x509.load_pem_x509_certificate((tmp_path / "certs" / "venue.crt").read_bytes())
    server.verify_directly_issued_by(authority)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == ["floor.venue.example"]
    assert [str(a) for a in names.get_values_for_type(x509.IPAddress)] == ["10.1.2.3"]
    assert authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    fingerprint = authority.fingerprint(hashes.SHA256())
    assert fingerprint.hex(":").upper() in made.stdout
    assert (tmp_path / "certs" / "venue-ca.crt").read_bytes() == authority.public_bytes(
        serialization.Encoding.PEM
    )
    assert not (tmp_path / "certs" / "venue-ca.key").exists(), "the authority's key stays out"
    for key in (tmp_path / "ca" / "venue-ca.key", tmp_path / "certs" / "venue.key"):
        assert key.stat().st_mode & 0o077 == 0, f"{key} is readable by others"

    # Again for another name: the same authority signs it, so tablets need not trust anew.
    again = subprocess.run(["sh", script, "hall.venue.example"], env=env, capture_output=True)
    assert again.returncode == 0
    renewed = x509.load_pem_x509_certificate((tmp_path / "certs" / "venue.crt").read_bytes())
    renewed.verify_directly_issued_by(authority)
    assert env_file.read_text().splitlines() == [
        "FLOORKEEPER_SECRETARIAT_TOKEN=kept",
        "FLOORKEEPER_VENUE_CA_URL=http://hall.venue.example/venue-ca.crt",
    ]

    refused = subprocess.run(["sh", script, "bad name;"], env=env, capture_output=True, text=True)
    assert refused.returncode == 2
    assert "is not a host name" in refused.stderr


def test_the_secrets_command_writes_each_secret_once(tmp_path: Path) -> None:
    env_file = tmp_path / "dot-env"
    env_file.write_text("FLOORKEEPER_VENUE_CA_URL=http://floor/venue-ca.crt\n")
    run = ["sh", str(ROOT / "deploy" / "venue-secrets.sh")]
    env = os.environ | {"VENUE_ENV_FILE": str(env_file)}
    first = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    values = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    assert set(values) == {
        "FLOORKEEPER_VENUE_CA_URL",
        "FLOORKEEPER_SECRETARIAT_TOKEN",
        "FLOORKEEPER_REDIS_PASSWORD",
    }
    for name in ("FLOORKEEPER_SECRETARIAT_TOKEN", "FLOORKEEPER_REDIS_PASSWORD"):
        assert re.fullmatch(r"[0-9a-f]{64}", values[name]), name  # goes into a URL as it is
        assert values[name] not in first.stdout
    assert values["FLOORKEEPER_SECRETARIAT_TOKEN"] != values["FLOORKEEPER_REDIS_PASSWORD"]
    assert env_file.stat().st_mode & 0o077 == 0
    subprocess.run(run, env=env, capture_output=True, check=True)
    again = dict(line.split("=", 1) for line in env_file.read_text().splitlines())
    assert again == values, "a second run keeps the secrets"
