"""Every page, as the person who would see it, in light and dark mode, on a 360 px phone
and a 1280 px desktop: axe-core finds no violation of any impact, nothing scrolls
sideways, and a screenshot is kept in tests/browser/screenshots/."""
import pytest
from sqlalchemy import select

from forum.boards import service as boards
from forum.extensions import db
from forum.models import Board, Member
from moderation.models import Flag
from tests.browser.browsing import DESKTOP, PHONE, SCREENSHOTS, axe_violations

CW_BODY = "Some days the cravings are loud. Here is what I **wrote down** when it passed."


@pytest.fixture(scope="module")
def scene(site):
    """A thread with a content warning and nested replies, one reply by `writer` that
    screening rates high (so they see the help panel, and a flag exists), and an admin
    who is a trained moderator."""
    writer, peer, admin = site.member(), site.member(), site.member(role="admin", on_duty=True)
    with site.app.app_context():
        people = {m.handle: m for m in db.session.scalars(select(Member).where(Member.handle.in_((writer, peer))))}
        board = db.session.scalar(select(Board).where(Board.slug == "addiction-recovery"))
        opening, _ = boards.create_thread(board, people[peer], "Riding out a craving", CW_BODY,
                                          content_warning="alcohol, cravings")
        first, _ = boards.reply(opening.thread, people[writer], "Thank you for writing this down.")
        second, _ = boards.reply(opening.thread, people[peer], "It helps me to read it back too.", parent=first)
        boards.reply(opening.thread, people[writer], "I want to kill myself some nights.", parent=second)
        db.session.commit()
        flag_id = db.session.scalar(select(Flag.id).where(Flag.member_id == people[writer].id))
        thread_id, post_id = opening.thread_id, opening.id
    return {"writer": writer, "admin": admin, "thread": thread_id, "post": post_id, "flag": flag_id}


def pages(scene):
    """(viewer, name, path) for every page; viewer None is someone not logged in."""
    t, p, f = scene["thread"], scene["post"], scene["flag"]
    return [
        (None, "home", "/"),
        (None, "sign-up", "/join"),
        (None, "login", "/login"),
        (None, "recovery", "/recover"),
        (None, "about", "/about"),
        ("writer", "board", "/b/addiction-recovery"),
        ("writer", "thread", f"/t/{t}"),
        ("writer", "new-thread", "/b/addiction-recovery/new"),
        ("writer", "reply", f"/t/{t}/reply?parent_id={p}"),
        ("writer", "report", f"/p/{p}/report"),
        ("writer", "search", "/search?q=craving"),
        ("writer", "account", "/account"),
        ("writer", "crisis-lines", "/help"),
        ("writer", "your-reports", "/reports"),
        ("writer", "chat-rooms", "/chat/"),
        ("writer", "chat-room", "/chat/evening-wind-down"),
        ("admin", "moderation-queue", "/moderation"),
        ("admin", "flag", f"/moderation/flags/{f}"),
        ("admin", "metrics", "/moderation/metrics"),
        ("admin", "admin", "/admin"),
    ]


def settle(page, name):
    """Wait for what scripts add to the page, so axe sees it as a person would."""
    if name == "chat-room":
        page.locator("#chat-presence li").first.wait_for()
    if name == "moderation-queue":
        page.get_by_text("Live: new flags appear here by themselves.").wait_for()
    if name == "thread":  # the content warning and the nested replies, open
        page.locator("details.cw summary").first.click()



@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_page_passes_axe_fits_the_screen_and_is_photographed(browse, scene, dark, width):
    viewers = {None: browse(dark=dark, width=width), "writer": browse(scene["writer"], dark=dark, width=width),
               "admin": browse(scene["admin"], dark=dark, width=width)}
    SCREENSHOTS.mkdir(exist_ok=True)
    found, too_wide = {}, {}
    for viewer, name, path in pages(scene):
        page = viewers[viewer]
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        settle(page, name)
        assert page.title().endswith("· Lantern") and len(page.title()) > len("· Lantern") + 2, page.title()
        if problems := axe_violations(page):
            found[name] = problems
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[name] = overflow
        mode = "dark" if dark else "light"
        page.screenshot(path=SCREENSHOTS / f"{name}-{mode}-{width}.png", full_page=True)
    assert not found, "\n".join(f"{name}: {p}" for name, problems in found.items() for p in problems)
    assert not too_wide, f"pages wider than {width} px (extra px): {too_wide}"
