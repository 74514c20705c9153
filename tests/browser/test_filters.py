"""A member's filters and blocks in a real browser: a muted word tucks a post away on the
board, in its thread, in search and in notifications (each one click from showing, no
reload); a block applies live in chat (the blocked member's new line arrives tucked away
for the blocker, while a third member reads it as usual). axe on the settings page and on
a thread with a tucked-away post, light and dark, phone and desktop."""
import uuid

from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Room
from tests.browser.browsing import DESKTOP, PHONE, SCREENSHOTS, assert_no_axe_violations, say_in_chat, start_thread


def choose_muted_words(page, words):
    page.goto("/filters")
    page.get_by_label("Muted words").fill(words)
    page.get_by_role("button", name="Save filters").click()
    expect(page.get_by_text("Your filters are saved.")).to_be_visible()


def reply(page, thread_url, body):
    page.goto(thread_url)
    page.get_by_label("Your words").fill(body)
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text(body).first.wait_for()


def test_a_muted_word_tucks_a_post_away_everywhere_it_appears(browse, site):
    reader, writer = site.member(), site.member()
    word = f"quokka{uuid.uuid4().hex[:6]}"  # a word nothing else on the shared site says
    mine = start_thread(browse(reader), f"My week {word[-6:]}", "Some ups and downs.")
    writing = browse(writer)
    theirs = start_thread(writing, f"Cravings {word[-6:]}", f"Tonight the {word} cravings are loud.")
    reply(writing, mine, f"The {word} thing got me too.")
    reply(writing, mine, "Glad you wrote, take it slow.")

    page = browse(reader)
    choose_muted_words(page, f"{word}, nothing else*")

    page.goto("/b/depression")  # the board: the thread is one line, opened in place
    tucked = page.locator("li.card.tucked").filter(has_text="1 thread hidden by your filters")
    expect(tucked).to_have_count(1)
    title = page.get_by_role("link", name=f"Cravings {word[-6:]}")
    expect(title).to_be_hidden()
    tucked.get_by_text("1 thread hidden by your filters").click()
    expect(title).to_be_visible()

    page.goto(theirs)  # its thread
    note = page.get_by_text("1 post hidden by your filters")
    expect(note).to_be_visible()
    expect(page.get_by_text(f"Tonight the {word} cravings are loud.")).to_be_hidden()

    page.goto(f"/search?q={word}")  # search: both posts, each tucked away
    expect(page.locator("ol.results li.tucked")).to_have_count(2)
    expect(page.get_by_text(f"Tonight the {word}")).to_be_hidden()

    page.goto("/notifications")  # the reply with the word is neither listed nor counted
    expect(page.locator("li.notification")).to_have_count(1)
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()

    for dark in (False, True):
        for width in (PHONE, DESKTOP):
            look = browse(reader, dark=dark, width=width)
            for name, path in (("filters", "/filters"), ("thread-tucked", theirs)):
                look.goto(path)
                look.get_by_role("heading", level=1).wait_for()
                assert_no_axe_violations(look)
                look.screenshot(path=SCREENSHOTS / f"{name}-{'dark' if dark else 'light'}-{width}.png",
                                full_page=True)
    # Opened, the post reads as any other.
    page.goto(theirs)
    page.get_by_text("1 post hidden by your filters").click()
    expect(page.get_by_text(f"Tonight the {word} cravings are loud.")).to_be_visible()


def test_a_block_applies_live_in_chat_for_the_blocker_alone(browse, site):
    blocker, blocked, bystander = site.member(), site.member(), site.member()
    slug = f"filters-{uuid.uuid4().hex[:8]}"
    with site.app.app_context():
        db.session.add(Room(slug=slug, title="A side room", topic="Somewhere to talk."))
        db.session.commit()

    mine = browse(blocker)
    mine.goto("/filters")
    mine.get_by_label("Their handle").fill(blocked)
    mine.get_by_role("button", name="Block", exact=True).click()
    expect(mine.locator("#block-list")).to_contain_text(blocked)

    pages = {}
    for person in (blocker, bystander, blocked):
        pages[person] = browse(person)
        pages[person].goto(f"/chat/{slug}")
        expect(pages[person].locator("#chat-connection")).to_have_text("Connected.")

    say_in_chat(pages[blocked], "Hi all, rough evening here.")
    line = pages[blocker].locator("#chat-messages li.tucked")
    expect(line).to_have_count(1)  # arrived live, tucked away
    expect(line.locator("summary")).to_have_text("1 message from a member you blocked · show")
    expect(pages[blocker].get_by_text("Hi all, rough evening here.")).to_be_hidden()
    expect(pages[bystander].get_by_text("Hi all, rough evening here.")).to_be_visible()
    expect(pages[bystander].locator("#chat-messages li.tucked")).to_have_count(0)
    expect(pages[blocked].locator("#chat-messages li.tucked")).to_have_count(0)  # and they aren't told

    say_in_chat(pages[bystander], "Sending good thoughts.")
    expect(pages[blocker].get_by_text("Sending good thoughts.")).to_be_visible()
    line.locator("summary").click()
    expect(pages[blocker].get_by_text("Hi all, rough evening here.")).to_be_visible()
