"""What members see of notifications in a real browser: a mention reaches its member live
(the bell changes without a reload), also while they are muted; a moderator reaching out
shows a banner live on a board page, one click from the private room; a reporter is told
what happened, naming the post. axe on /notifications and on a page with the banner."""
import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select, update

from forum.extensions import db
from forum.models import Member, Post, utcnow
from moderation.models import Flag
from tests.browser.browsing import DESKTOP, PHONE, assert_no_axe_violations, start_thread
from tests.servers import login

ELEVATED = "I feel like a burden to my family"  # screens as elevated: a flag for the moderator
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')



def post_form(site, handle, path, data):
    """A moderator's or member's form sent over plain HTTP, as their browser would."""
    http = login(site.base_url, handle)
    token = _CSRF.search(http.get(site.base_url + "/about").text).group(1)
    response = http.post(site.base_url + path, data={**data, "csrf_token": token}, allow_redirects=False)
    assert response.status_code in (302, 303), response.text
    return response


def opening_post_id(site, title):
    from forum.models import Thread

    with site.app.app_context():
        return db.session.scalar(select(Post.id).join(Thread, Thread.id == Post.thread_id)
                                 .where(Thread.title == title, Post.parent_id.is_(None)))


def bell(page):
    return page.get_by_role("link", name=re.compile(r"^Notifications"))


def test_a_mention_reaches_its_member_live_even_while_muted(browse, site):
    writer, named = site.member(), site.member()
    reader = browse(named)
    reader.goto("/b/depression")
    expect(bell(reader)).to_have_accessible_name("Notifications")

    start_thread(browse(writer), "Small wins today", f"Thank you @{named} for the tip about walks.")
    expect(bell(reader)).to_have_accessible_name("Notifications 1 unread")  # no reload
    expect(reader.locator("#notification-announcer")).to_have_text(
        f"{writer} mentioned you in “Small wins today”")

    with site.app.app_context():  # a moderator paused their posting: their news still comes
        db.session.execute(update(Member).where(Member.handle == named)
                           .values(muted_until=utcnow() + timedelta(hours=1)))
        db.session.commit()
    start_thread(browse(writer), "Another small win", f"@{named} the walks helped me too.")
    expect(bell(reader)).to_have_accessible_name("Notifications 2 unread")
    bell(reader).click()
    expect(reader.get_by_role("link", name=f"{writer} mentioned you in “Another small win”")).to_be_visible()


def test_a_moderator_reaching_out_shows_a_banner_live_one_click_from_the_room(browse, site):
    member, moderator = site.member(), site.member(role="moderator", on_duty=True)
    writing = browse(member)
    start_thread(writing, "Not doing well", ELEVATED)
    writing.goto("/b/depression")  # a board page, not a chat room
    banner = writing.get_by_role("region", name="A moderator would like to talk with you")
    expect(banner).to_have_count(0)

    with site.app.app_context():
        flag_id = db.session.scalar(select(Flag.id).where(Flag.post_id == opening_post_id(site, "Not doing well")))
    room_url = post_form(site, moderator, f"/moderation/flags/{flag_id}/support", {}).headers["Location"]
    expect(banner).to_be_visible()  # live, without a reload

    # It shows on every page until opened or put aside; axe on it, light and dark, phone and desktop.
    for dark in (False, True):
        for width in (PHONE, DESKTOP):
            look = browse(member, dark=dark, width=width)
            look.goto("/search")
            expect(look.get_by_role("region", name="A moderator would like to talk with you")).to_be_visible()
            assert_no_axe_violations(look)

    banner.get_by_role("link", name="Open the private room").click()
    expect(writing.get_by_role("heading", name="Private support")).to_be_visible()
    assert writing.url.endswith(room_url)
    writing.goto("/b/depression")
    expect(banner).to_have_count(0)


def test_a_reporter_is_told_what_happened_naming_the_post(browse, site):
    author, reporter = site.member(), site.member()
    moderator = site.member(role="moderator", on_duty=True)
    start_thread(browse(author), "Quit complaining", "Everyone here is weak and you should all give up whining.")
    post_id = opening_post_id(site, "Quit complaining")
    post_form(site, reporter, f"/p/{post_id}/report", {"reason": "harassment"})
    with site.app.app_context():
        flag = db.session.scalars(select(Flag).where(Flag.post_id == post_id)).one()
    post_form(site, moderator, f"/moderation/flags/{flag.id}/resolve",
              {"outcome": "spam_abuse", "version": str(flag.version)})

    page = browse(reporter)
    page.goto("/b/depression")
    expect(bell(page)).to_have_accessible_name("Notifications 1 unread")
    bell(page).click()
    told = page.get_by_role("link", name="Your report of a post in “Quit complaining”: a moderator reviewed it "
                                         "and dealt with it as spam or abuse.")
    expect(told).to_be_visible()
    for dark in (False, True):
        for width in (PHONE, DESKTOP):
            look = browse(reporter, dark=dark, width=width)
            look.goto("/notifications")
            expect(look.get_by_role("heading", name="What to tell me about")).to_be_visible()
            assert_no_axe_violations(look)
    told.click()
    expect(page.locator(f"#p{post_id}")).to_be_visible()
    expect(bell(page)).to_have_accessible_name("Notifications")
