"""Progressive enhancement: with JavaScript off, reading, posting, reporting, moderating
and the theme toggle all work; the chat room says plainly that it needs JavaScript. With
it on, the toggle changes the theme in place and the choice follows the member."""
from playwright.sync_api import expect

from tests.browser.browsing import start_thread

DARK_BACKGROUND = "rgb(21, 24, 28)"  # --bg in dark mode
LIGHT_BACKGROUND = "rgb(251, 250, 247)"


def expect_background(page, colour):
    """The page's background, once it has settled (a theme change or a reload may still be
    applying its stylesheet when a busy machine gets here)."""
    expect(page.locator("body")).to_have_css("background-color", colour)


def test_read_post_report_and_moderate_without_javascript(browse, site):
    author, reader, moderator = site.member(), site.member(), site.member(role="moderator")
    thread_url = start_thread(browse(author, javascript=False), "Sleep after detox", "Week two and I can finally "
                              "sleep four hours.", board="addiction-recovery", content_warning="withdrawal")

    page = browse(reader, javascript=False)
    page.goto(thread_url)
    page.get_by_text("Content warning: withdrawal").click()  # <details>: no script needed
    expect(page.get_by_text("finally sleep four hours")).to_be_visible()
    page.get_by_label("Your words").fill("Four hours is real progress.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Four hours is real progress.")).to_be_visible()
    page.locator("article.post").first.get_by_role("link", name="Report").click()
    page.get_by_label("I'm worried about this person's safety").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("Thank you for telling us.")).to_be_visible()

    queue = browse(moderator, javascript=False)
    queue.goto("/moderation")
    expect(queue.get_by_text("otherwise, reload the page")).to_be_visible()
    queue.locator(".flag", has_text="finally sleep four hours").get_by_role("link").click()
    queue.get_by_role("button", name="Claim", exact=True).click()
    expect(queue.get_by_text("It's yours for the next few minutes.")).to_be_visible()
    queue.get_by_label("Outcome").select_option(label="No risk found")
    queue.get_by_label("Resolve it anyway").check()  # a worried report nobody has reached out about
    queue.get_by_role("button", name="Resolve", exact=True).click()
    expect(queue.get_by_text("Resolved.")).to_be_visible()


def test_the_chat_room_says_it_needs_javascript(browse, site):
    page = browse(site.member(), javascript=False)
    page.goto("/chat/daily-check-in")
    expect(page.get_by_text("The live chat needs JavaScript")).to_be_visible()
    expect(page.get_by_label("Your message")).to_be_hidden()  # no Send button that can't work


def test_the_theme_toggle_works_without_javascript_and_comes_back_to_the_same_page(browse):
    page = browse(javascript=False)
    page.goto("/search?q=sleep")
    expect_background(page, LIGHT_BACKGROUND)
    with page.expect_navigation():  # a plain form post, answered with a redirect back
        page.get_by_role("button", name="Dark mode").click()
    assert page.url.endswith("/search?q=sleep")
    expect_background(page, DARK_BACKGROUND)
    expect(page.get_by_role("button", name="Dark mode")).to_have_attribute("aria-pressed", "true")


def test_the_device_setting_is_followed_until_a_member_picks_and_then_the_pick_follows_them(browse, site):
    handle = site.member()
    phone = browse(handle, dark=True)
    expect_background(phone, DARK_BACKGROUND)
    toggle = phone.get_by_role("button", name="Dark mode")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    phone.evaluate("window.stillTheSamePage = true")  # no reload: nothing typed is lost
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect_background(phone, LIGHT_BACKGROUND)
    assert phone.evaluate("window.stillTheSamePage") is True

    laptop = browse(handle, dark=True)  # another device, also set to dark
    expect_background(laptop, LIGHT_BACKGROUND)
    laptop.get_by_role("button", name="Dark mode").click()
    expect(laptop.get_by_role("button", name="Dark mode")).to_have_attribute("aria-pressed", "true")
    phone.reload()
    expect_background(phone, DARK_BACKGROUND)
