"""The journeys people make on Lantern, end to end in a real browser against the real
server. Each person is a separate browser context, as on separate devices."""
import json
import re

from playwright.sync_api import expect

from tests.browser.browsing import log_in, say_in_chat, start_thread
from tests.servers import PASSPHRASE

HELP_HEADING = "You don't have to carry this alone"


def test_join_with_a_generated_handle_keep_the_recovery_code_log_out_and_back_in(browse):
    page = browse()
    page.goto("/")
    page.get_by_role("link", name="Join").click()
    handle = page.get_by_label("Your handle").input_value()
    assert re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]+\d{2}", handle), handle
    page.get_by_label("Passphrase", exact=True).fill(PASSPHRASE)
    page.get_by_label("Passphrase again").fill(PASSPHRASE)
    page.get_by_role("button", name="Join Lantern").click()

    expect(page.get_by_role("heading", name=f"Welcome, {handle}")).to_be_visible()
    code = page.locator(".recovery-code code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{5}(-[A-Z2-9]{5}){3}", code), code
    page.get_by_role("link", name="I've saved it, take me to the boards").click()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You're logged out. Take care.")).to_be_visible()
    expect(page.get_by_role("link", name=handle, exact=True)).to_have_count(0)

    log_in(page, handle)
    expect(page.get_by_role("link", name=handle, exact=True)).to_be_visible()

    # The code they noted is their way back in when the passphrase is forgotten.
    page.get_by_role("button", name="Log out").click()
    page.goto("/recover")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Recovery code").fill(code.lower())
    page.get_by_label("New passphrase", exact=True).fill("a new passphrase for spring")
    page.get_by_label("Passphrase again").fill("a new passphrase for spring")
    page.get_by_role("button", name="Set new passphrase").click()
    expect(page.get_by_role("heading", name="Your passphrase is changed")).to_be_visible()
    expect(page.get_by_role("link", name=handle, exact=True)).to_be_visible()


def test_a_thread_behind_a_content_warning_is_opened_replied_to_reacted_to_and_found(browse, site):
    author, reader = site.member(), site.member()
    writer = browse(author)
    thread_url = start_thread(writer, "Small steps on a heavy week", "I slipped on Tuesday. Today I went for "
                              "a **short walk** anyway.", content_warning="relapse")
    writer.get_by_label("Your words").fill("Update: I walked again this morning.")
    writer.get_by_role("button", name="Post reply").click()
    expect(writer.get_by_text("Update: I walked again this morning.")).to_be_visible()

    page = browse(reader)
    page.goto("/b/depression")
    card = page.locator(".thread-list li", has_text="Small steps on a heavy week")
    expect(card.get_by_text("Content warning: relapse")).to_be_visible()
    card.get_by_role("link", name="Small steps on a heavy week").click()
    opening = page.locator("article.post").first
    expect(opening.get_by_text("short walk")).to_be_hidden()  # only the warning until they choose
    opening.get_by_text("Content warning: relapse").click()
    expect(opening.get_by_text("short walk")).to_be_visible()

    update = page.locator("article.post", has_text="Update: I walked again")
    update.get_by_role("link", name=f"Reply to {author}").click()
    expect(page.get_by_role("heading", name=f"Reply to {author}")).to_be_visible()
    page.get_by_label("Your words").fill("Two walks in a week is a lot. Well done.")
    page.get_by_role("button", name="Post reply").click()
    nested = page.locator("article.post", has_text="Two walks in a week")
    expect(nested).to_have_class(re.compile(r"\bdepth-2\b"))  # under the reply it answers
    assert page.url.startswith(thread_url)

    hug = page.locator("article.post").first.get_by_role("button", name=re.compile("^Hug"))
    expect(hug).to_have_attribute("aria-pressed", "false")
    hug.click()
    hug = page.locator("article.post").first.get_by_role("button", name=re.compile("^Hug"))
    expect(hug).to_have_attribute("aria-pressed", "true")
    expect(hug.locator(".count")).to_have_text("1")

    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search threads and posts").fill("heavy week")
    page.get_by_role("button", name="Search").click()
    result = page.locator(".results li", has_text="Small steps on a heavy week")
    expect(result.get_by_text("Content warning: relapse")).to_be_visible()  # no excerpt past the warning
    result.get_by_role("link", name="Small steps on a heavy week").click()  # (the other link: its author)
    expect(page.get_by_role("heading", name="Small steps on a heavy week")).to_be_visible()


def test_two_members_chat_live_see_typing_and_presence_and_catch_up_after_a_reload(browse, site):
    first, second = site.member(), site.member()
    one, two = browse(first), browse(second)
    one.goto("/chat/")
    one.get_by_role("link", name="Recovery circle").click()
    two.goto("/chat/recovery-circle")
    expect(one.locator("#chat-presence")).to_contain_text(second)
    expect(two.locator("#chat-presence")).to_contain_text(first)

    two.get_by_label("Your message").press_sequentially("Evening all")
    expect(one.locator("#chat-typing")).to_have_text(f"{second} is typing…")
    two.get_by_label("Your message").press("Enter")
    expect(one.locator("#chat-messages li", has_text="Evening all")).to_contain_text(second)
    expect(one.locator("#chat-typing")).to_have_text("")

    say_in_chat(one, "Hi! Day 12 for me.")
    expect(two.locator("#chat-messages li", has_text="Day 12 for me")).to_be_visible()

    # `one` steps away; `two` carries on; `one` comes back and has missed nothing.
    one.goto("/chat/")
    expect(two.locator("#chat-presence")).not_to_contain_text(first)
    say_in_chat(two, "Brewing tea, back soon.")
    say_in_chat(two, "Back. Still here if anyone needs a chat.")
    one.go_back()
    one.reload()
    texts = one.locator("#chat-messages li").all_inner_texts()
    order = [i for phrase in ("Evening all", "Day 12", "Brewing tea", "Back. Still here")
             for i, t in enumerate(texts) if phrase in t]
    assert len(order) == 4 and order == sorted(order), texts
    expect(two.locator("#chat-presence")).to_contain_text(first)
    say_in_chat(two, "Welcome back!")
    expect(one.locator("#chat-messages li", has_text="Welcome back!")).to_be_visible()


def test_crisis_words_bring_help_at_once_and_reach_the_moderators_live_queue(browse, site):
    moderator, writer, chatter = site.member(role="moderator"), site.member(), site.member()
    queue = browse(moderator)
    queue.goto("/moderation")
    queue.get_by_role("button", name="Go on duty").click()
    expect(queue.get_by_text("Live: new flags appear here by themselves.")).to_be_visible()
    queue.evaluate("window.stillTheSamePage = true")

    poster = browse(writer)
    start_thread(poster, "Can't see a way through", "I want to kill myself, nothing has felt worth it since the move")
    panel = poster.get_by_role("note").filter(has_text=HELP_HEADING)
    expect(panel).to_contain_text("A trained peer moderator has been told")
    expect(panel).to_contain_text("Call 988")  # a line from crisis_lines.json, for every region

    talker = browse(chatter)
    talker.goto("/chat/evening-wind-down")
    say_in_chat(talker, "honestly i just want to die tonight, i cant do this anymore")
    chat_panel = talker.locator("#chat-help")
    expect(chat_panel.get_by_role("heading", name=HELP_HEADING)).to_be_visible()
    expect(chat_panel).to_contain_text("Call 988")

    thread_flag = queue.locator(".flag", has_text="nothing has felt worth it since the move")
    chat_flag = queue.locator(".flag", has_text="i cant do this anymore")
    expect(thread_flag).to_contain_text("High")
    expect(chat_flag).to_contain_text("Imminent")
    expect(chat_flag).to_contain_text("chat message")
    assert queue.evaluate("window.stillTheSamePage") is True  # arrived live, no reload

    chat_flag.get_by_role("link").click()
    expect(queue.get_by_role("heading", name=re.compile(r"^Flag #\d+: imminent"))).to_be_visible()
    flag_url = queue.url
    queue.get_by_role("button", name="Claim", exact=True).click()
    expect(queue.get_by_text("It's yours for the next few minutes.")).to_be_visible()
    queue.get_by_role("button", name=f"Open a private support conversation with {chatter}").click()
    expect(queue).to_have_url(re.compile(r"/chat/support-"))
    say_in_chat(queue, f"Hi {chatter}, I'm one of the peer moderators. I'm here with you.")

    expect(talker.locator("#chat-status")).to_contain_text("A moderator has opened a private conversation with you.")
    talker.get_by_role("link", name="Go to your private conversation").click()
    expect(talker.get_by_role("heading", name="Private support")).to_be_visible()
    expect(talker.locator("#chat-messages")).to_contain_text("I'm here with you.")

    queue.goto(flag_url)
    queue.get_by_label("Outcome").select_option(label="Supported the member")
    queue.get_by_label("Notes").fill("Talked in a support room; they have a friend with them now.")
    queue.get_by_role("button", name="Resolve", exact=True).click()
    expect(queue.get_by_text("Resolved. Thank you for looking after them.")).to_be_visible()
    history = queue.locator("section", has=queue.get_by_role("heading", name="History"))
    for step in ("claimed", "opened support room", "resolved"):
        expect(history).to_contain_text(f"{moderator}: {step}")
    queue.get_by_role("link", name="Queue").click()
    expect(queue.locator(".flag", has_text="i cant do this anymore")).to_have_count(0)
    expect(queue.locator(".flag", has_text="nothing has felt worth it since the move")).to_have_count(1)


def test_a_reporter_hears_back_once_a_moderator_has_reviewed_the_post(browse, site):
    author, reporter, moderator = site.member(), site.member(), site.member(role="moderator")
    thread_url = start_thread(browse(author), "Rant about my sponsor", "My sponsor is useless and so is everyone here.")

    page = browse(reporter)
    page.goto(thread_url)
    page.locator("article.post").first.get_by_role("link", name="Report").click()
    page.get_by_label("Harassment or unkindness").check()
    page.get_by_label("Anything else a moderator should know? (optional)").fill("It felt like a dig at all of us.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you for telling us.")).to_be_visible()
    page.get_by_role("link", name="Your reports").click()
    expect(page.get_by_text("Waiting for a moderator to review it.")).to_be_visible()

    queue = browse(moderator)
    queue.goto("/moderation")
    queue.locator(".flag", has_text="My sponsor is useless").get_by_role("link").click()
    expect(queue.get_by_text("It felt like a dig at all of us.")).to_be_visible()
    queue.get_by_label("Outcome").select_option(label="No risk found")
    queue.get_by_role("button", name="Resolve", exact=True).click()
    expect(queue.get_by_text("Resolved.")).to_be_visible()

    page.reload()
    expect(page.get_by_text("A moderator reviewed this. Thank you for speaking up.")).to_be_visible()
    expect(page.get_by_text("Waiting for a moderator")).to_have_count(0)


def test_export_downloads_my_words_and_deleting_the_account_logs_out_and_the_handle_is_gone(browse, site):
    handle = site.member()
    page = browse(handle)
    thread_url = start_thread(page, "What got me through November", "Audiobooks on long walks.", board="wins")

    # The header's link (the post's handle beside it links to their profile).
    page.get_by_role("banner").get_by_role("link", name=handle, exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(download.value.path().read_text())
    assert download.value.suggested_filename == f"lantern-{handle}.json"
    assert data["handle"] == handle
    assert [p["body_markdown"] for p in data["posts"]] == ["Audiobooks on long walks."]

    page.get_by_label("Keep my posts and chat messages, shown as written by “former member”").check()
    page.get_by_label("Your passphrase, to confirm").fill(PASSPHRASE)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.goto(thread_url)
    expect(page.locator("article.post").first).to_contain_text("former member")
    expect(page.locator("article.post").first).to_contain_text("Audiobooks on long walks.")
    assert handle not in page.content()
    assert not site.member_exists(handle)
    page.goto("/login")
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That handle and passphrase don't match.")).to_be_visible()
