"""Following and unread in a real browser: a member follows a board and hears of a new
thread in it, follows the thread, and finds what came since on the board (a count), in
the thread ("new since your last visit", a jump to the first unread) and on the Following
page; axe on the board and thread pages with their unread markers and on the Following
page, light and dark, phone and desktop."""
import re

from playwright.sync_api import expect
from sqlalchemy import select, update

from forum.extensions import db
from forum.models import Member, ReadMark, Thread
from tests.browser.browsing import DESKTOP, PHONE, assert_no_axe_violations, start_thread

LOOKS = [(dark, width) for dark in (False, True) for width in (PHONE, DESKTOP)]


def reply(page, thread_url, body):
    page.goto(thread_url)
    page.get_by_label("Your words").fill(body)
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text(body)).to_be_visible()


def forget_reading(site, handle, title, up_to_opening=True):
    """Put the member's read mark back at the thread's opening post: each look at the
    thread page (axe, light and dark, phone and desktop) reads it anew."""
    from forum.models import Post

    with site.app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.handle == handle))
        thread_id = db.session.scalar(select(Thread.id).where(Thread.title == title))
        opening = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id, Post.parent_id.is_(None)))
        db.session.execute(update(ReadMark).where(ReadMark.member_id == member_id, ReadMark.thread_id == thread_id)
                           .values(last_read_post_id=opening))
        db.session.commit()


def test_following_a_board_and_a_thread_and_reading_what_is_new(browse, site):
    writer, reader = site.member(), site.member()
    title = f"Evenings without a drink {reader}"
    me = browse(reader)
    me.goto("/b/depression")
    me.get_by_role("button", name="Follow this board").click()
    expect(me.get_by_text("You're following Depression")).to_be_visible()
    expect(me.get_by_role("button", name="Stop following this board")).to_be_visible()

    author = browse(writer)
    thread_url = start_thread(author, title, "What do you do at seven o'clock?")
    me.goto("/notifications")
    expect(me.get_by_role("link", name=f"{writer} started “{title}” in Depression")).to_be_visible()
    me.get_by_role("link", name=f"{writer} started “{title}” in Depression").click()
    expect(me.get_by_role("heading", name=title)).to_be_visible()
    me.get_by_role("button", name="Follow this thread").click()
    expect(me.get_by_role("button", name="Stop following this thread")).to_be_visible()

    for n in range(3):
        reply(author, thread_url, f"Idea {n}: a walk round the block, then tea. {reader}")

    # The board: how much is new, linked to the first unread.
    me.goto("/b/depression")
    card = me.get_by_role("listitem").filter(has=me.get_by_role("heading", name=title))
    expect(card.get_by_role("link", name=re.compile(r"3 new replies since you last read it"))).to_be_visible()
    for dark, width in LOOKS:
        look = browse(reader, dark=dark, width=width)
        look.goto("/b/depression")
        assert_no_axe_violations(look)

    # The thread: the count, the line, and the jump to the first unread.
    for dark, width in LOOKS:
        forget_reading(site, reader, title)
        look = browse(reader, dark=dark, width=width)
        look.goto(thread_url)
        expect(look.get_by_text("3 new posts since your last visit")).to_be_visible()
        expect(look.get_by_text("New since your last visit", exact=True)).to_be_visible()
        assert_no_axe_violations(look)
    forget_reading(site, reader, title)
    me.goto("/b/depression")
    card.get_by_role("link", name=re.compile("new replies")).click()
    expect(me).to_have_url(re.compile(r"#p\d+$"))
    first_unread = me.url.rsplit("#", 1)[1]
    expect(me.locator(f"#{first_unread}")).to_contain_text("Idea 0")
    me.reload()  # read now: nothing is new
    expect(me.get_by_text("New since your last visit", exact=True)).to_have_count(0)

    # Hearing of replies: the follower is told.
    me.goto("/notifications")
    expect(me.get_by_role("link", name=f"{writer} replied in “{title}”").first).to_be_visible()

    # The Following page lists the thread and the board, each with its own button.
    me.get_by_role("link", name="Following", exact=True).click()
    expect(me.get_by_role("heading", name="Following", level=1)).to_be_visible()
    expect(me.get_by_role("link", name=title)).to_be_visible()
    expect(me.get_by_role("button", name=f"Stop following {title}")).to_be_visible()
    expect(me.get_by_role("button", name="Stop following Depression")).to_be_visible()
    for dark, width in LOOKS:
        look = browse(reader, dark=dark, width=width)
        look.goto("/following")
        assert_no_axe_violations(look)
    me.get_by_role("button", name=f"Stop following {title}").click()
    expect(me.get_by_text(f"You've stopped following “{title}”")).to_be_visible()
    expect(me).to_have_url(re.compile(r"/following$"))
    expect(me.get_by_role("link", name=title)).to_have_count(0)


def test_guests_see_no_follow_buttons(browse, site):
    guest = browse()
    guest.goto("/b/depression")
    expect(guest.get_by_role("button", name=re.compile("Follow"))).to_have_count(0)
    expect(guest.get_by_role("link", name="Following", exact=True)).to_have_count(0)
