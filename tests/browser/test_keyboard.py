"""Keyboard only: the skip link, posting a thread and sending a chat message with Tab,
typing and Enter, and a visible focus ring on everything focus lands on."""
from playwright.sync_api import expect

FOCUSED = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  const label = el.labels && el.labels.length ? el.labels[0].textContent : "";
  return {name: (label || el.getAttribute("aria-label") || el.textContent || el.value || "").trim(),
          ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2};
}"""


def tab_to(page, name, limit=40):
    """Press Tab until focus reaches the control called `name`; every stop on the way must
    show where focus is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["ring"]:  # a busy machine may not have applied :focus styles yet
            page.wait_for_timeout(300)
            focused = page.evaluate(FOCUSED)
        assert focused["ring"], f"no visible focus on {focused['name']!r}"
        if focused["name"].startswith(name):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_the_skip_link_is_the_first_stop_and_jumps_to_the_content(browse):
    page = browse()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_posting_a_thread_with_the_keyboard_alone(browse, site):
    page = browse(site.member())
    page.goto("/b/grief")
    tab_to(page, "Start a thread")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Start a thread in Grief & loss")).to_be_visible()
    tab_to(page, "Title")
    page.keyboard.type("A year since Mum")
    tab_to(page, "Content warning")
    page.keyboard.type("bereavement")
    tab_to(page, "Your words")
    page.keyboard.type("Lit a candle tonight and wrote her a letter.")
    tab_to(page, "Post thread")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="A year since Mum")).to_be_visible()
    expect(page.get_by_text("Content warning: bereavement")).to_be_visible()


def test_sending_a_chat_message_with_the_keyboard_alone(browse, site):
    page = browse(site.member())
    page.goto("/chat/daily-check-in")
    expect(page.locator("#chat-presence li")).not_to_have_count(0)
    tab_to(page, "Your message")
    page.keyboard.type("Slept better last night.")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Small win.")
    page.keyboard.press("Enter")
    expect(page.locator("#chat-messages li[data-id]", has_text="Slept better last night.")).to_contain_text("Small win.")
    expect(page.get_by_label("Your message")).to_have_value("")
    expect(page.get_by_label("Your message")).to_be_focused()
