"""A mentoring room in real browsers: the mentee and the mentor talk live, each on their own
page; a phone number stays with its writer, who reads why, and never reaches the other;
and the room page passes axe in light and dark, on a phone and a desktop. (The pair is made
with the models: matching has its own tests.)"""
import pytest
from playwright.sync_api import expect

from forum.chat.boundaries import EXPLANATION
from tests.browser.browsing import DESKTOP, PHONE, assert_no_axe_violations, say_in_chat
from tests.mentoring.room_helpers import make_pair


def _open(browse, handle, slug, **options):
    page = browse(handle, **options)
    page.goto(f"/chat/{slug}")
    expect(page.locator("#chat-connection")).to_have_text("Connected.")
    return page


def _pair(site):
    mentee, mentor = site.member(), site.member()
    _, slug, _ = make_pair(site.app, mentee, mentor)
    return mentee, mentor, slug


def test_the_mentee_and_the_mentor_talk_live(browse, site):
    mentee, mentor, slug = _pair(site)
    mine, theirs = _open(browse, mentee, slug), _open(browse, mentor, slug)
    expect(mine.get_by_role("heading", level=1)).to_have_text(f"Mentoring with {mentor}")
    expect(theirs.get_by_role("heading", level=1)).to_have_text(f"Mentoring with {mentee}")
    expect(mine.locator("#chat-presence")).to_contain_text(mentor)

    say_in_chat(mine, f"Hello {mentor}, thank you for saying yes")
    expect(theirs.locator("#chat-messages")).to_contain_text(f"Hello {mentor}, thank you for saying yes")
    say_in_chat(theirs, f"Glad to, {mentee}. What would help most this week?")
    expect(mine.locator("#chat-messages")).to_contain_text(f"Glad to, {mentee}. What would help most this week?")


def test_a_phone_number_is_held_with_the_explanation_and_the_mentor_never_sees_it(browse, site):
    mentee, mentor, slug = _pair(site)
    mine, theirs = _open(browse, mentee, slug), _open(browse, mentor, slug)
    number = "07700 900" + mentee[-3:].rjust(3, "0")
    say_in_chat(mine, f"my number is {number}, text me")
    held = mine.locator("#chat-messages li", has_text=number)
    expect(held).to_contain_text("not passed on: only you can see this")
    expect(held).to_contain_text(EXPLANATION)

    # A line after it arrives, so the held one had its chance to arrive too: it never does.
    say_in_chat(mine, f"anyway, how was your day {mentor}?")
    expect(theirs.locator("#chat-messages")).to_contain_text(f"anyway, how was your day {mentor}?")
    expect(theirs.locator("#chat-messages")).not_to_contain_text(number)
    theirs.reload()
    expect(theirs.locator("#chat-messages")).to_contain_text(f"anyway, how was your day {mentor}?")
    expect(theirs.locator("#chat-messages")).not_to_contain_text(number)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_the_mentoring_room_passes_axe(browse, site, dark, width):
    mentee, _, slug = _pair(site)
    page = _open(browse, mentee, slug, dark=dark, width=width)
    say_in_chat(page, "I'll come to your place on Friday")  # a held line, with its explanation, on the page
    expect(page.locator(".kept-back-note")).to_have_text(EXPLANATION)
    expect(page.get_by_text("How mentoring works here")).to_be_visible()
    assert_no_axe_violations(page)
