"""Writing in a real browser: a draft saved as the member types survives a reload and a
refused submit, and can be discarded; "Preview" shows the words rendered and sanitised,
in place with JavaScript and as a page without; a handle leads to the member's profile.
axe on the profile page, the profile form and a form with a preview shown (light and
dark, 360 and 1280 px)."""
import re

from playwright.sync_api import expect

from tests.browser.browsing import DESKTOP, PHONE, assert_no_axe_violations, start_thread

MARKDOWN = "Some **bold hope** and <script>window.hacked = 1</script> [a link](javascript:alert(1))"


def every_look(browse, handle, path, ready):
    """axe on `path` in light and dark, on a phone and a desktop; `ready(page)` first."""
    for dark in (False, True):
        for width in (PHONE, DESKTOP):
            look = browse(handle, dark=dark, width=width)
            look.goto(path)
            ready(look)
            assert_no_axe_violations(look)


def test_a_reply_draft_survives_a_reload_and_can_be_discarded(browse, site):
    author, replier = site.member(), site.member()
    thread_url = start_thread(browse(author), "Draft journey thread", "How are your evenings going?")
    page = browse(replier)
    page.goto(thread_url)
    words = page.get_by_label("Your words")
    words.fill("Evenings are calmer since I started reading again")
    expect(page.get_by_role("status").filter(has_text="Draft saved")).to_be_visible()

    page.reload()
    expect(words).to_have_value("Evenings are calmer since I started reading again")
    expect(page.get_by_text("Your draft is back, just as you left it.")).to_be_visible()

    page.get_by_role("button", name="Discard draft").click()
    expect(words).to_have_value("")
    expect(page.get_by_role("status").filter(has_text="Draft discarded")).to_be_visible()
    page.reload()
    expect(words).to_have_value("")


def test_a_refused_new_thread_keeps_the_words_with_and_without_javascript(browse, site):
    for javascript in (True, False):
        handle = site.member()
        page = browse(handle, javascript=javascript)
        page.goto("/b/wins/new")
        body = f"Ninety days today, written {'with' if javascript else 'without'} a script"
        page.get_by_label("Your words").fill(body)
        page.get_by_role("button", name="Post thread").click()  # no title: refused
        expect(page.get_by_text("Please give your thread a title.")).to_be_visible()
        expect(page.get_by_label("Your words")).to_have_value(body)

        page.goto("/b/wins")  # away, and back: the server kept the draft
        page.goto("/b/wins/new")
        expect(page.get_by_label("Your words")).to_have_value(body)
        page.get_by_label("Title").fill(f"Ninety days ({handle})")
        page.get_by_role("button", name="Post thread").click()
        expect(page.get_by_role("heading", name=f"Ninety days ({handle})")).to_be_visible()
        page.goto("/b/wins/new")  # posted: the draft is gone
        expect(page.get_by_label("Your words")).to_have_value("")


def _preview_shown(page):
    region = page.get_by_role("region", name="Preview")
    expect(region).to_be_visible()
    expect(region.locator("strong")).to_have_text("bold hope")
    expect(region).to_contain_text("<script>window.hacked = 1</script>")  # words, never a script
    expect(region.locator("script")).to_have_count(0)
    expect(region.locator("a[href^='javascript']")).to_have_count(0)
    return region


def test_preview_shows_the_words_rendered_and_sanitised(browse, site):
    handle = site.member()
    page = browse(handle)
    page.goto("/b/depression/new")
    page.get_by_label("Your words").fill(MARKDOWN)
    page.get_by_role("button", name="Preview").click()
    _preview_shown(page)
    expect(page.get_by_role("status").filter(has_text="Preview shown below your words.")).to_be_visible()
    assert page.url.endswith("/b/depression/new")  # in place: nothing was posted or reloaded
    assert page.evaluate("window.hacked") is None

    plain = browse(handle, javascript=False)  # without JavaScript: the page again, with the preview
    plain.goto("/b/depression/new")
    expect(plain.get_by_label("Your words")).to_have_value(MARKDOWN)  # the draft the script saved
    plain.get_by_role("button", name="Preview").click()
    _preview_shown(plain)
    expect(plain.get_by_label("Your words")).to_have_value(MARKDOWN)

    def with_preview(look):
        look.get_by_label("Your words").fill(MARKDOWN)
        look.get_by_role("button", name="Preview").click()
        _preview_shown(look)
    every_look(browse, handle, "/b/depression/new", with_preview)


def test_a_handle_leads_to_the_members_profile(browse, site):
    author, reader = site.member(), site.member()
    writing = browse(author)
    writing.goto("/account/profile")
    writing.get_by_label("A line about you (optional)").fill("Learning to be kind to myself")
    writing.get_by_label("In recovery since (optional)").fill("2022-05")
    writing.get_by_role("button", name="Save my profile").click()
    expect(writing.get_by_role("heading", name=author, exact=True)).to_be_visible()
    thread_url = start_thread(writing, "Profile journey thread", "Small steps this week.", board="wins")

    page = browse(reader)
    page.goto(thread_url)
    page.get_by_role("main").get_by_role("link", name=author, exact=True).click()
    expect(page.get_by_role("heading", name=author, exact=True)).to_be_visible()
    expect(page.get_by_text("Learning to be kind to myself")).to_be_visible()
    expect(page.get_by_text("May 2022")).to_be_visible()
    expect(page.get_by_role("region", name="Active in").get_by_role("link", name="Wins")).to_be_visible()
    posts = page.get_by_role("region", name="Posts")
    posts.get_by_role("link", name="Profile journey thread").click()
    expect(page).to_have_url(re.compile(r"/t/\d+"))

    every_look(browse, reader, f"/m/{author}",
               lambda look: expect(look.get_by_role("heading", name=author, exact=True)).to_be_visible())
    every_look(browse, author, "/account/profile",
               lambda look: expect(look.get_by_role("heading", name="Your profile")).to_be_visible())
