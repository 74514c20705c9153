"""The help panel and page: the region asked once and remembered, that region's lines
first and the rest folded, every number tap-to-call or tap-to-text from crisis_lines.json,
and the page after a risky post, reply or edit opening at the panel."""
import json
import re
from pathlib import Path

from tests.flags.flag_helpers import ELEVATED, HIGH, post_thread
from tests.helpers import Person, login, send, text

FILE = json.loads((Path(__file__).resolve().parents[2] / "moderation" / "crisis_lines.json").read_text())
FOLD = '<details class="other-regions">'


def _from_the_file():
    """Every tel:/sms:/https link the file allows, worked out here from its fields."""
    digits = lambda number: re.sub(r"[^\d+]", "", number)  # noqa: E731
    allowed = set()
    for region in FILE["regions"].values():
        allowed |= {f"tel:{n}" for n in re.findall(r"\d+", region["emergency"])}
        for line in region["lines"]:
            if "call" in line:
                allowed.add(f"tel:{digits(line['call'])}")
            if "text" in line:
                allowed.add(f"sms:{digits(line['text'])}" + (f"?&body={line['keyword']}" if "keyword" in line else ""))
            if "web" in line:
                allowed.add(line["web"])
    return allowed


def _phone_links(page):
    return set(re.findall(r'href="((?:tel:|sms:|https://)[^"]*)"', page.replace("&amp;", "&")))


def test_every_number_on_the_help_page_is_a_link_made_from_the_file(client):
    page = client.get("/help").get_data(as_text=True)
    assert _phone_links(page) == _from_the_file()  # all there, and nothing typed elsewhere
    assert 'href="tel:116123">Call 116 123</a>' in page and 'href="sms:988">Text 988</a>' in page
    assert '<a href="https://findahelpline.com">findahelpline.com</a>' in page


def test_with_no_region_the_page_asks_and_folds_every_region(client):
    page = text(client.get("/help"))
    assert "Where are you?" in page and FOLD not in page
    # Each region folded under its name: no region's lines are open.
    assert page.count('<details class="region">') == len(FILE["regions"])
    assert "<details class=\"region\" open" not in page


def test_a_guest_s_region_is_kept_for_their_browser_only(app, client):
    assert send(client, "/help", {"region": "GB"}).status_code == 302
    chosen, others = text(client.get("/help")).split(FOLD)
    assert "Call 116 123" in chosen and "988" not in chosen and "Call 988" in others
    assert "Where are you?" not in chosen
    assert FOLD not in text(app.test_client().get("/help"))  # another browser is asked afresh


def test_a_member_s_region_is_kept_on_their_account_across_devices(app, member):
    send(member.client, "/help", {"region": "AU"})
    phone = app.test_client()
    login(phone, member.handle)
    chosen, _ = text(phone.get("/help")).split(FOLD)
    assert "Call 13 11 14" in chosen and "Text 0477 13 11 14" in chosen and "Australia" in chosen
    thread_id = post_thread(Person(phone, member.handle, None), HIGH)
    chosen, _ = text(phone.get(f"/t/{thread_id}")).split(FOLD)  # the panel beside the post, too
    assert "Call 13 11 14" in chosen and "Call 988" not in chosen


def test_choosing_a_region_in_the_panel_goes_back_to_the_panel(app, member):
    thread_id = post_thread(member, HIGH)
    page = member.client.get(f"/t/{thread_id}").get_data(as_text=True)
    picker = page[page.index('class="region-picker"'):]
    back = re.search(r'name="next" value="([^"]+)"', picker).group(1)
    assert back.startswith(f"/t/{thread_id}#help-")
    response = send(member.client, "/help", {"region": "IE", "next": back})
    assert response.location == back
    assert send(member.client, "/help", {"region": "IE", "next": "//elsewhere.example/"}).location == "/"


def test_a_risky_reply_lands_on_its_help_panel_focusable_and_an_ordinary_one_on_the_post(app, member, other):
    thread_id = post_thread(other, "Rough week, but getting there.")
    calm = send(member.client, f"/t/{thread_id}/reply", {"body": "Glad you're getting there."})
    assert re.search(r"#p\d+$", calm.location)
    risky = send(member.client, f"/t/{thread_id}/reply", {"body": HIGH})
    post_id = int(re.search(r"#help-(\d+)$", risky.location).group(1))
    response = member.client.get(risky.location)
    page = response.get_data(as_text=True)
    # The anchor is the panel's heading, which can take focus; the panel comes before the post.
    assert f'<h2 id="help-{post_id}" tabindex="-1">' in page
    assert page.index(f'id="help-{post_id}"') < page.index(f'id="p{post_id}"')
    assert 'src="/static/help.js"' in page
    assert response.headers["Cache-Control"] == "no-store"  # the panel is this member's alone
    assert "help.js" not in other.client.get(f"/t/{thread_id}").get_data(as_text=True)


def test_a_risky_edit_or_new_thread_lands_on_the_panel_too(app, member):
    response = send(member.client, "/b/depression/new", {"title": "Tonight", "body": HIGH})
    assert re.search(r"/t/\d+#help-\d+$", response.location)
    thread_id = post_thread(member, "An ordinary day.")
    post_id = re.search(r'id="p(\d+)"', member.client.get(f"/t/{thread_id}").get_data(as_text=True)).group(1)
    edited = send(member.client, f"/p/{post_id}/edit", {"body": HIGH})
    assert edited.location.endswith(f"#help-{post_id}")
    assert send(member.client, f"/p/{post_id}/edit", {"body": ELEVATED}).location.endswith(f"#help-{post_id}"), \
        "the flag is still open: the panel stays"
