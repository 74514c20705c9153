"""What a person sees of the hardening: a second moderator taking over a claimed flag (the
holder told live), and logging out everywhere from the account page."""
import pytest
from playwright.sync_api import expect

from tests.browser.browsing import DESKTOP, PHONE, assert_no_axe_violations, start_thread

HIGH = "I keep thinking about killing myself"



def _open_flag(page, text):
    page.goto("/moderation")
    page.locator(".flag", has_text=text).get_by_role("link").first.click()
    page.get_by_role("heading", name="Actions").wait_for()


def test_a_second_moderator_takes_over_a_claimed_flag_and_the_first_is_told(browse, site):
    first, second, writer = site.member(role="moderator"), site.member(role="moderator"), site.member()
    words = f"{HIGH}, it has been building for weeks"
    start_thread(browse(writer), "Building for weeks", words)

    holder = browse(first)
    _open_flag(holder, "building for weeks")
    holder.get_by_role("button", name="Claim", exact=True).click()
    expect(holder.get_by_text("It's yours for the next few minutes.")).to_be_visible()

    other = browse(second)
    _open_flag(other, "building for weeks")
    expect(other.get_by_role("heading", name=f"{first} is looking after this")).to_be_visible()
    for dark in (False, True):
        for width in (PHONE, DESKTOP):
            look = browse(second, dark=dark, width=width)
            look.goto(other.url)
            look.get_by_role("heading", name=f"{first} is looking after this").wait_for()
            assert_no_axe_violations(look)
    # While they hold it, taking over is the only thing offered (the server refuses the rest:
    # tests/flags/test_claim_rule.py).
    for action in ("Claim", "Release", "Renew claim", "Hide it", "Resolve"):
        expect(other.get_by_role("button", name=action, exact=True)).to_have_count(0)
    other.get_by_label(f"I'm taking this flag over from {first}").check()
    other.get_by_role("button", name="Take over").click()
    expect(other.get_by_text(f"It's yours now, for the next few minutes. We've let {first} know.")).to_be_visible()
    expect(holder.locator("#flag-announcer")).to_contain_text(f"{second} has taken over flag")


@pytest.mark.parametrize("dark", [False, True])
def test_logging_out_everywhere_ends_the_other_browser_too(browse, site, dark):
    me = site.member()
    phone, laptop = browse(me, dark=dark, width=PHONE), browse(me, dark=dark)
    laptop.goto("/account")
    expect(laptop.get_by_role("heading", name="Where you're logged in")).to_be_visible()
    assert_no_axe_violations(laptop)
    laptop.get_by_role("button", name="Log out everywhere").click()
    expect(laptop.get_by_text("You're logged out everywhere")).to_be_visible()
    phone.goto("/account")
    expect(phone.get_by_role("heading", name="Log in")).to_be_visible()
    expect(phone.get_by_text("You were signed out")).to_be_visible()
