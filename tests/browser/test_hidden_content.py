"""Replying to a post behind a content warning: the reply form quotes it behind the same
warning, closed until the reader chooses to open it, as the thread page does."""
from playwright.sync_api import expect

from tests.browser.browsing import assert_no_axe_violations, start_thread

BODY = "The night I relapsed I sat in the car park for an hour before going in."


def test_the_reply_form_keeps_the_content_warning_closed_until_opened(browse, site):
    author, reader = site.member(), site.member()
    start_thread(browse(author), "After a slip", BODY, content_warning="relapse")

    page = browse(reader)
    page.goto("/b/depression")
    page.get_by_role("link", name="After a slip").click()
    page.locator("article.post").first.get_by_role("link", name="Reply").click()
    page.get_by_role("heading", name=f"Reply to {author}").wait_for()

    quote = page.locator("blockquote.quoted")
    expect(quote.get_by_text("Content warning: relapse")).to_be_visible()
    expect(quote.get_by_text(BODY)).to_be_hidden()
    quote.get_by_text("Content warning: relapse").click()
    expect(quote.get_by_text(BODY)).to_be_visible()
    assert_no_axe_violations(page)
