"""The help panel at 3 a.m., in a real browser: a member on a phone whose reply raises it
finds it in view and focused (and without JavaScript, at least in view); in chat it is
focused the moment it arrives; and every new page (the safety plan, the help page with
and without a region, the one-step sign-up to talk) passes axe in light and dark, on a
phone and a desktop."""
import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.boards import service as boards
from forum.extensions import db
from forum.models import Board, Member, SafetyPlan
from tests.browser.browsing import DESKTOP, PHONE, axe_violations, say_in_chat

HEADING = "You don't have to carry this alone"
RISKY = "I keep thinking about killing myself, every night this week"
REASON = "My sister's kids, and the allotment in spring"


def _long_thread(site, handle):
    """A thread with enough replies that a new one lands far below the top of a phone."""
    with site.app.app_context():
        author = db.session.scalar(select(Member).where(Member.handle == handle))
        board = db.session.scalar(select(Board).where(Board.slug == "depression"))
        opening, _ = boards.create_thread(board, author, "Getting through the evenings", "What helps you?")
        for n in range(8):
            boards.reply(opening.thread, author, f"Reply {n}: tea, a walk, an early night. " * 6)
        db.session.commit()
        return opening.thread_id


def _write_plan(site, handle):
    with site.app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        db.session.merge(SafetyPlan(member_id=member.id, sections={"reasons": REASON}))
        db.session.commit()


def _in_viewport(page, locator, within_s=5):
    """Whether the top of `locator` (its first 200 px) comes to rest inside the window. Asked
    again for a few seconds: the browser scrolls to the page's #anchor as it finishes
    loading, and help.js scrolls once more when its deferred script runs."""
    height = page.viewport_size["height"]
    deadline = time.monotonic() + within_s
    while True:
        box = locator.bounding_box()
        if box is not None and 0 <= box["y"] < height and box["y"] + min(box["height"], 200) <= height:
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(100)


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_member_on_a_phone_replies_in_crisis_and_the_help_panel_is_in_view_and_focused(browse, site, javascript):
    me = site.member()
    _write_plan(site, me)
    thread_id = _long_thread(site, site.member())
    page = browse(me, width=PHONE, javascript=javascript)
    page.goto(f"/t/{thread_id}")
    page.get_by_label("Your words").fill(RISKY)
    page.get_by_role("button", name="Post reply").click()
    expect(page).to_have_url(re.compile(r"#help-\d+$"))
    heading = page.get_by_role("heading", name=HEADING)
    panel = page.locator(".help-panel").filter(has=heading)
    expect(panel).to_contain_text(REASON)  # their own plan, at the top
    assert _in_viewport(page, panel), panel.bounding_box()
    assert _in_viewport(page, heading)
    if javascript:
        expect(heading).to_be_focused()
        assert page.evaluate("document.activeElement.closest('.help-panel') !== null")
    panel.locator("summary", has_text="United States").click()  # no region chosen yet: each folded
    expect(panel.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")


def test_in_chat_the_panel_is_shown_and_focused_when_it_arrives(browse, site):
    page = browse(site.member(), width=PHONE)
    page.goto("/chat/evening-wind-down")
    say_in_chat(page, "i just want to die tonight, i'm done with all of it")
    heading = page.locator("#chat-help").get_by_role("heading", name=HEADING)
    expect(heading).to_be_focused()
    assert _in_viewport(page, heading)
    # Choosing a region there comes back to the room.
    page.locator("#chat-help").get_by_label(re.compile("Where are you")).select_option("GB")
    page.locator("#chat-help").get_by_role("button", name="Show my lines").click()
    expect(page).to_have_url(re.compile(r"/chat/evening-wind-down$"))



@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_new_pages_pass_axe(browse, site, dark, width):
    member = site.member()
    _write_plan(site, member)
    guest, me = browse(dark=dark, width=width), browse(member, dark=dark, width=width)
    me.goto("/help")
    me.get_by_label(re.compile("Where are you")).select_option("NZ")
    me.get_by_role("button", name="Show my lines").click()
    found = {}
    for name, page, path in [("help, no region", guest, "/help"), ("talk", guest, "/join/talk"),
                             ("help, region chosen", me, "/help"), ("safety plan", me, "/safety-plan")]:
        assert page.goto(path).status == 200
        if name == "help, region chosen":
            expect(page.get_by_role("link", name="Call 1737")).to_be_visible()
            page.get_by_text("Lines in other places").click()  # the folded part, open
        if name == "help, no region":
            page.locator("summary", has_text="Australia").click()
        if problems := axe_violations(page):
            found[name] = problems
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"), name
    assert not found, found
