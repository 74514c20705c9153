"""What browser tests share: where chromium is, the screen sizes, logging in, and the
record of what a page asked for."""
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError

from tests.servers import PASSPHRASE

CHROMIUM = "/usr/bin/chromium"
# The flags a headless browser needs on a closed network as root: no sandbox (root), and
# none of Chromium's own background traffic (updates, sync, safe browsing).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]
SCREENSHOTS = Path(__file__).with_name("screenshots")
PHONE, DESKTOP = 360, 1280
WAIT_MS = 15_000  # every wait ends on what the page shows; this only bounds a failure
_axe = Axe()


def axe_violations(page):
    """What axe finds wrong with the page as it stands: one line per rule, with where. Run
    on a loaded page; a run cut short because a click's navigation replaced the document
    under it is run again on the new one (an error, never a result, is what is retried)."""
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            found = _axe.run(page).response["violations"]
            break
        except PlaywrightError:
            if attempt == 2:
                raise
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found]


def assert_no_axe_violations(page):
    assert not (found := axe_violations(page)), found


def log_in(page, handle):
    page.goto("/login")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name="Log out").wait_for()


class Traffic:
    """What one browser context asked for, and what its scripts threw."""

    def __init__(self, origin):
        self.origin, self.urls, self.errors = origin, [], []

    def watch(self, page):
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("websocket", lambda socket: self.urls.append(socket.url))
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def off_site(self):
        """URLs whose host is not the app's own (data: and blob: URLs never leave the page)."""
        return [u for u in self.urls
                if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != self.origin]


def start_thread(page, title, body, board="depression", content_warning=None):
    """Start a thread through the board's form, as a member would; returns its URL."""
    page.goto(f"/b/{board}")
    page.get_by_role("link", name="Start a thread").click()
    page.get_by_label("Title").fill(title)
    if content_warning:
        page.get_by_label("Content warning (optional)").fill(content_warning)
    page.get_by_label("Your words").fill(body)
    page.get_by_role("button", name="Post thread").click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    return page.url


def say_in_chat(page, text):
    """Type a chat message and press Enter; returns once the server has stored it."""
    page.get_by_label("Your message").fill(text)
    page.get_by_label("Your message").press("Enter")
    page.locator("#chat-messages li[data-id]", has_text=text).wait_for()
