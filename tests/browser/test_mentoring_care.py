"""Peer mentoring's care in a real browser (PostgreSQL + Redis): a crisis message in a
mentoring room shows the mentor "A trained moderator has been asked to join." and brings a
moderator from the live queue into the room; the mentor's hand-off button does the same;
the pair, wellbeing and supervision pages pass axe in light and dark at 360 and 1280 px."""
import re
import secrets
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, MentoringPair, MentorProfile, Room
from tests.browser.browsing import DESKTOP, PHONE, SCREENSHOTS, axe_violations, say_in_chat

LINE = "A trained moderator has been asked to join."


def _pair(site, mentor, mentee, supervisor=None):
    """A mentor (with a profile) and a mentee in a pair with its room: (pair id, room slug)."""
    with site.app.app_context():
        ids = dict(db.session.execute(select(Member.handle, Member.id).where(
            Member.handle.in_([h for h in (mentor, mentee, supervisor) if h])), ).all())
        today = date.today()
        db.session.add(MentorProfile(member_id=ids[mentor], trained_on=today - timedelta(days=5),
                                     training_expires=today + timedelta(days=300), topics=["anxiety"],
                                     languages=["en"], availability={}, supervisor_id=ids.get(supervisor)))
        room = Room(slug=f"mentoring-{secrets.token_hex(6)}", title="Your mentoring conversation", kind="mentoring",
                    member_id=ids[mentee])
        pair = MentoringPair(mentor_id=ids[mentor], mentee_id=ids[mentee], room=room)
        db.session.add(pair)
        db.session.commit()
        return pair.id, room.slug


def _moderator_joins(queue, words, slug):
    """From the live queue to the flag's page, claim, and into the room by its link."""
    flag = queue.locator(".flag", has_text=words)
    expect(flag).to_be_visible()
    flag.get_by_role("link").first.click()
    queue.get_by_role("button", name="Claim", exact=True).click()
    queue.locator(f"a[href='/chat/{slug}']").click()
    expect(queue).to_have_url(re.compile(f"/chat/{slug}$"))


def test_a_crisis_message_in_a_mentoring_room_brings_a_moderator_in(browse, site):
    moderator, mentor, mentee = site.member(role="moderator"), site.member(), site.member()
    pair_id, slug = _pair(site, mentor, mentee)
    queue = browse(moderator)
    queue.goto("/moderation")
    queue.get_by_role("button", name="Go on duty").click()
    expect(queue.get_by_text("Live: new flags appear here by themselves.")).to_be_visible()

    helper = browse(mentor)
    helper.goto(f"/mentoring/pairs/{pair_id}")
    expect(helper.locator("#help-coming")).to_have_count(0)
    talker = browse(mentee, width=PHONE)
    talker.goto(f"/chat/{slug}")
    words = "i have the pills counted out and i am taking them all tonight"
    say_in_chat(talker, words)
    expect(talker.locator("#chat-help")).to_contain_text("Call 988")

    helper.reload()
    expect(helper.locator("#help-coming")).to_have_text(LINE)
    _moderator_joins(queue, words, slug)
    say_in_chat(queue, "Hi, I'm one of the trained moderators. I'm here with you both.")
    expect(talker.locator("#chat-messages")).to_contain_text("I'm here with you both.")
    expect(talker.locator("#chat-presence")).to_contain_text(moderator)


def test_the_mentor_s_hand_off_button_brings_a_moderator_in(browse, site):
    moderator, mentor, mentee = site.member(role="moderator", on_duty=True), site.member(), site.member()
    pair_id, slug = _pair(site, mentor, mentee)
    talker = browse(mentee)
    talker.goto(f"/chat/{slug}")
    say_in_chat(talker, "Everything at home is falling apart again and I can't think straight")

    helper = browse(mentor, width=PHONE)
    helper.goto(f"/mentoring/pairs/{pair_id}")
    helper.get_by_role("button", name="Ask a trained moderator to join").click()
    expect(helper.locator(".notice").first).to_contain_text(LINE)
    expect(helper.locator("#help-coming")).to_have_text(LINE)
    expect(talker.locator("#chat-messages")).to_contain_text(LINE)  # live, in the room, for both

    queue = browse(moderator)
    queue.goto("/moderation")
    _moderator_joins(queue, "falling apart again", slug)
    expect(queue.locator("#chat-messages")).to_contain_text("I can't think straight")


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_mentoring_care_pages_pass_axe(browse, site, dark, width):
    supervisor, mentor, mentee = site.member(role="moderator"), site.member(), site.member()
    pair_id, _ = _pair(site, mentor, mentee, supervisor=supervisor)
    SCREENSHOTS.mkdir(exist_ok=True)
    found, too_wide = {}, {}

    def check(page, name, path):
        assert page.goto(path).status == 200, path
        if problems := axe_violations(page):
            found[name] = problems
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[name] = overflow
        page.screenshot(path=SCREENSHOTS / f"{name}-{'dark' if dark else 'light'}-{width}.png", full_page=True)

    as_mentee = browse(mentee, dark=dark, width=width)
    as_mentee.goto(f"/mentoring/pairs/{pair_id}")
    as_mentee.get_by_label("Your goals summary").fill("Walk each morning\nRing my sister on Sundays")
    as_mentee.get_by_role("button", name="Save my goals").click()
    as_mentee.get_by_role("button", name="Start a session").click()
    as_mentee.get_by_role("button", name="End this session").click()
    expect(as_mentee.get_by_role("heading", name="How was that session for you?")).to_be_visible()
    check(as_mentee, "pair-mentee", f"/mentoring/pairs/{pair_id}")

    as_mentor = browse(mentor, dark=dark, width=width)
    check(as_mentor, "pair-mentor", f"/mentoring/pairs/{pair_id}")
    as_mentor.goto("/mentoring/wellbeing")
    as_mentor.get_by_label("2: Stretched thin").check()
    as_mentor.get_by_label("I'd like a break from new requests").check()
    as_mentor.get_by_role("button", name="Save my check-in").click()
    expect(as_mentor.locator(".notice")).to_contain_text("You're on a break from new requests")
    check(as_mentor, "wellbeing", "/mentoring/wellbeing")

    check(browse(supervisor, dark=dark, width=width), "supervision", "/mentoring/supervision")
    assert not found, found
    assert not too_wide, too_wide
