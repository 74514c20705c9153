"""The moderator desk guides: the flag page offers only what applies, asks for a ticked box
before showing held words to everyone (no script needed), and the flag page and queue in
their new states pass axe in light and dark, on a phone and a desktop."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.boards import service as boards
from forum.extensions import db
from forum.models import Board, Member, Post, SafetyPlan
from moderation import actions, routing
from moderation.models import Flag
from tests.browser.browsing import DESKTOP, PHONE, SCREENSHOTS, axe_violations
from tests.flags.flag_helpers import HIGH, METHOD


def _member(handle):
    return db.session.scalar(select(Member).where(Member.handle == handle))


def _flag_of(post):
    return db.session.scalar(select(Flag).where(Flag.post_id == post.id))


@pytest.fixture(scope="module")
def desk(site):
    """A member with a safety plan and two held threads (method detail), a flagged thread
    of theirs that a moderator hid (with Markdown in it) and one resolved; a trained
    moderator on duty, and their hand-off note."""
    writer, moderator = site.member(), site.member(role="moderator", on_duty=True)
    with site.app.app_context():
        person, mod = _member(writer), _member(moderator)
        board = db.session.scalar(select(Board).where(Board.slug == "depression"))
        held, _ = boards.create_thread(board, person, "Counting", METHOD)
        still_held, _ = boards.create_thread(board, person, "Counting again", METHOD)
        hidden, _ = boards.create_thread(board, person, "Too much", f"{HIGH}, it's **so** loud tonight")
        settled, _ = boards.create_thread(board, person, "Better now", f"{HIGH} last week")
        db.session.add(SafetyPlan(member_id=person.id, sections={"reasons": "my dog Biscuit"}))
        db.session.commit()
        held_flag, hidden_flag, settled_flag = _flag_of(held), _flag_of(hidden), _flag_of(settled)
        ids = {"held": held_flag.id, "still_held": _flag_of(still_held).id, "hidden": hidden_flag.id,
               "settled": settled_flag.id}
        actions.hide(hidden_flag, mod, "graphic")
        routing.resolve(settled_flag.id, mod, "supported", "talked it through")
        actions.write_handoff_note(mod, "Counting (the held thread) needs a check-in tonight.")
        db.session.commit()
    return {"writer": writer, "moderator": moderator, **ids}


def _held(site, flag_id):
    with site.app.app_context():
        return db.session.scalar(select(Post.held_at).join(Flag, Flag.post_id == Post.id)
                                 .where(Flag.id == flag_id)) is not None


def test_the_flag_page_offers_what_applies_and_asks_before_showing_held_words(browse, site, desk):
    other = site.member(role="moderator")
    page = browse(other, javascript=False)  # the confirmation needs no script
    page.goto(f"/moderation/flags/{desk['held']}")
    expect(page.get_by_role("button", name="Claim", exact=True)).to_be_visible()
    for absent in ("Renew claim", "Release", "Restore it"):
        expect(page.get_by_role("button", name=absent, exact=True)).to_have_count(0)
    about = page.locator("section", has=page.get_by_role("heading", name=f"About {desk['writer']}"))
    expect(about).to_contain_text("Has a safety plan.")
    expect(page.get_by_text("Biscuit")).to_have_count(0)

    page.get_by_role("button", name="Claim", exact=True).click()
    expect(page.get_by_text("It's yours for the next few minutes.")).to_be_visible()
    expect(page.get_by_role("button", name="Claim", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Renew claim")).to_be_visible()

    show = page.get_by_role("button", name="Show held words to everyone")
    show.click()  # not ticked: the browser keeps the form, and nothing is shown to anyone
    expect(page.get_by_role("heading", name="Actions")).to_be_visible()
    assert _held(site, desk["held"])
    page.get_by_label("I've read the held words: they're safe for everyone to see").check()
    show.click()
    expect(page.get_by_text("visible to everyone now")).to_be_visible()
    assert not _held(site, desk["held"])
    expect(page.get_by_role("button", name="Show held words to everyone")).to_have_count(0)
    page.get_by_role("button", name="Release", exact=True).click()
    expect(page.get_by_text("Released: it's back in the queue.")).to_be_visible()
    expect(page.get_by_role("button", name="Claim", exact=True)).to_be_visible()



@pytest.mark.parametrize("width", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_desk_in_its_new_states_passes_axe_and_fits_the_screen(browse, site, desk, dark, width):
    page = browse(desk["moderator"], dark=dark, width=width)
    states = {  # name (its screenshot's too): (path, what it shows)
        "queue with a hand-off note": ("/moderation", "Counting (the held thread) needs a check-in"),
        "a hidden post: restore, with its box": (f"/moderation/flags/{desk['hidden']}",
                                                 "it's safe for everyone to see again"),
        "resolved: a reply only": (f"/moderation/flags/{desk['settled']}", "Nothing more to do on this flag."),
        "held, claimed by me": (f"/moderation/flags/{desk['still_held']}", "Renew if you need longer."),
    }
    with site.app.app_context():
        routing.claim(desk["still_held"], _member(desk["moderator"]))
        db.session.commit()
    found, too_wide = {}, {}
    for name, (path, shows) in states.items():
        page.goto(path)
        expect(page.get_by_text(shows).first).to_be_visible()
        if name.startswith("queue"):
            expect(page.locator(".excerpt").first).not_to_contain_text("**")
            page.get_by_text("Live: new flags appear here by themselves.").wait_for()
        if problems := axe_violations(page):
            found[name] = problems
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            too_wide[name] = overflow
        SCREENSHOTS.mkdir(exist_ok=True)
        shot = name.split(":")[0].replace(",", "").replace(" ", "-")
        page.screenshot(path=SCREENSHOTS / f"desk-{shot}-{'dark' if dark else 'light'}-{width}.png", full_page=True)
    assert not found, "\n".join(f"{name}: {p}" for name, problems in found.items() for p in problems)
    assert not too_wide, f"wider than {width} px: {too_wide}"
