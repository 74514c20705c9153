"""Lantern on a phone with no signal: the service worker shows the crisis lines, tap-to-call
and tap-to-text, instead of the browser's own error; and that page passes axe in light and
dark on a phone and a desktop. Also: the worker is registered by the page's own script, and
the search page (with its board select and marked words) passes axe."""
import pytest
from playwright.sync_api import expect

from tests.browser.browsing import DESKTOP, PHONE, SCREENSHOTS, axe_violations, start_thread


def _ready_for_offline(page):
    """Wait until the page's service worker is installed and in charge."""
    page.goto("/about")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # installed and active
    page.reload()  # now the worker controls the page
    page.wait_for_function("navigator.serviceWorker.controller !== null")


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_offline_a_navigation_shows_the_crisis_lines(browse, dark, width):
    page = browse(dark=dark, width=width)
    _ready_for_offline(page)
    page.context.set_offline(True)
    try:
        page.goto("/b/anxiety")
        expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
        page.get_by_text("United States").click()
        expect(page.locator('a[href="tel:988"]').first).to_be_visible()
        expect(page.locator('a[href^="sms:741741"]')).to_be_visible()
        expect(page.locator("body")).not_to_have_css("background-color", "rgba(0, 0, 0, 0)")  # styles kept too
        mode = "dark" if dark else "light"
        page.screenshot(path=SCREENSHOTS / f"offline-{mode}-{width}.png", full_page=True)
        assert not (found := axe_violations(page)), found
    finally:
        page.context.set_offline(False)
    page.goto("/b/anxiety")  # back online: the board itself, not the offline page
    expect(page.get_by_role("heading", name="You're offline")).to_have_count(0)


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_search_page_with_marked_results_passes_axe(browse, site, dark, width):
    handle = site.member()
    page = browse(handle, dark=dark, width=width)
    word = f"lamplight{width}{'d' if dark else 'l'}"
    start_thread(page, f"Evenings by {word}", f"Reading by {word} helps me wind down <b>slowly</b>")
    page.goto(f"/search?q={word}&board=depression")
    expect(page.locator("mark").first).to_be_visible()
    expect(page.get_by_label("Board")).to_have_value("depression")
    assert not (found := axe_violations(page)), found
