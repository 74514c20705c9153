"""Finding the mentoring pages from the header, in a real browser: a mentor clicks
"Mentoring" and on to their requests, weekly check-in and settings (told kindly that no
request comes until they say when they're around); their supervisor clicks "Supervision";
an ordinary member sees neither link and finds "Ask for a mentor" in their recovery space.
Every page reached passes axe and doesn't scroll sideways, light and dark, 360 and 1280 px,
including the busiest header (an admin who is also a mentor) on a phone."""
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, MentorProfile
from tests.browser.browsing import DESKTOP, PHONE, SCREENSHOTS, axe_violations


def _make_mentor(site, handle, supervisor=None):
    """A current mentor who hasn't ticked when they're around yet (as a newly granted one)."""
    with site.app.app_context():
        ids = dict(db.session.execute(select(Member.handle, Member.id).where(
            Member.handle.in_([h for h in (handle, supervisor) if h]))).all())
        today = date.today()
        db.session.add(MentorProfile(member_id=ids[handle], trained_on=today - timedelta(days=5),
                                     training_expires=today + timedelta(days=300), topics=["anxiety"],
                                     languages=["en"], availability={}, supervisor_id=ids.get(supervisor)))
        db.session.commit()


@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_mentors_and_supervisors_reach_their_pages_from_the_header(browse, site, dark, width):
    supervisor, mentor, member, busiest = (site.member(role="moderator"), site.member(), site.member(),
                                           site.member(role="admin"))
    _make_mentor(site, mentor, supervisor=supervisor)
    _make_mentor(site, busiest)
    SCREENSHOTS.mkdir(exist_ok=True)
    found, too_wide = {}, {}

    def check(page, name, heading):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        if problems := axe_violations(page):
            found[name] = problems
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[name] = overflow
        page.screenshot(path=SCREENSHOTS / f"nav-{name.replace(' ', '-')}-{'dark' if dark else 'light'}-{width}.png")

    def header(page):
        return page.get_by_role("navigation", name="Main")

    as_mentor = browse(mentor, dark=dark, width=width)
    as_mentor.goto("/")
    expect(header(as_mentor).get_by_role("link", name="Supervision")).to_have_count(0)
    header(as_mentor).get_by_role("link", name="Mentoring").click()
    check(as_mentor, "mentoring-home", "Peer mentoring")
    for link, heading in [("Requests for you (0)", "Requests for you"),
                          ("Your weekly check-in", "Your wellbeing check-in"),
                          ("Your mentor settings", "Your mentor settings")]:
        header(as_mentor).get_by_role("link", name="Mentoring").click()
        as_mentor.get_by_role("link", name=link).click()
        check(as_mentor, link, heading)
    expect(as_mentor.locator("#mentor-status")).to_contain_text(
        "No requests come to you until you tick when you're usually around")

    as_supervisor = browse(supervisor, dark=dark, width=width)
    as_supervisor.goto("/")
    expect(header(as_supervisor).get_by_role("link", name="Mentoring")).to_have_count(0)
    header(as_supervisor).get_by_role("link", name="Supervision").click()
    check(as_supervisor, "supervision", "Mentor supervision")
    expect(as_supervisor.locator("main")).to_contain_text(mentor)

    as_member = browse(member, dark=dark, width=width)
    as_member.goto("/")
    for name in ("Mentoring", "Supervision"):
        expect(header(as_member).get_by_role("link", name=name)).to_have_count(0)
    header(as_member).get_by_role("link", name="Your recovery").click()
    as_member.get_by_role("link", name="Ask for a mentor").click()
    check(as_member, "ask", "Ask for a mentor")

    as_busiest = browse(busiest, dark=dark, width=width)
    as_busiest.goto("/")
    for name in ("Moderation", "Admin", "Mentoring", "Supervision"):
        expect(header(as_busiest).get_by_role("link", name=name)).to_be_visible()
    check(as_busiest, "busiest-header", "Boards")
    assert not found, found
    assert not too_wide, too_wide
