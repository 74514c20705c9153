"""Peer mentoring in a real browser: a member asks and is matched (the mentor accepts; both
land in the pair's private room); a mentor at their cap is not offered; an expired mentor
cannot take requests; and each new page passes axe in light and dark, on a phone and a
desktop. The site is shared: each test uses its own language, so other tests' mentors
never match its requests."""
import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.mentoring import mentors
from forum.models import Member, MentoringRequest
from tests.browser.browsing import DESKTOP, PHONE, assert_no_axe_violations


def _mentor(site, languages, topics=("alcohol",), cap=3, expired=False, intro=""):
    handle = site.member()
    with site.app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        today = date.today()
        record = mentors.grant(member, today - timedelta(days=400 if expired else 10),
                               today - timedelta(days=1) if expired else today + timedelta(days=200), None, cap)
        record.topics, record.languages, record.intro = list(topics), list(languages), intro
        record.availability = {"tue": ["evening"]}
        db.session.commit()
    return handle


def _ask(page, language, note="Evenings are the hardest."):
    page.goto("/mentoring")
    page.get_by_role("link", name="Ask for a mentor").click()
    page.get_by_label("Alcohol").check()
    page.get_by_label("Language you'd like to talk in").select_option(language)
    page.get_by_label("A short note for your mentor (optional)").fill(note)
    page.get_by_label("Yes, I'm 18 or over").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Choose a mentor")).to_be_visible()


def test_a_member_asks_and_is_matched_and_both_land_in_the_room(browse, site):
    mentor = _mentor(site, ["cy"], intro="Five years sober; the first winter was the hardest.")
    asker = site.member()
    page = browse(asker, width=PHONE)
    _ask(page, "cy")
    card = page.locator("#suggested li", has_text=mentor)
    expect(card).to_contain_text("Five years sober")
    expect(card).to_contain_text("Topics you share: Alcohol")
    card.get_by_role("button", name=f"Ask {mentor}").click()
    expect(page.locator(".notice")).to_contain_text("Your request is with a mentor now")

    mentor_page = browse(mentor)
    mentor_page.goto("/mentoring")
    mentor_page.get_by_role("link", name="Requests for you (1)").click()
    offer = mentor_page.locator("#offers li", has_text=asker)
    expect(offer).to_contain_text("Evenings are the hardest.")
    offer.get_by_role("button", name=re.compile("^Accept")).click()
    expect(mentor_page).to_have_url(re.compile(r"/chat/mentoring-[0-9a-f]+$"))
    room_url = mentor_page.url

    page.goto("/notifications")
    page.get_by_role("link", name=re.compile(f"{mentor} will be your peer mentor")).click()
    expect(page).to_have_url(room_url)
    page.goto("/mentoring")
    expect(page.get_by_role("link", name=re.compile("Open your private room"))).to_have_attribute(
        "href", re.compile(r"/chat/mentoring-"))


def test_a_mentor_at_their_cap_is_not_offered(browse, site):
    full = _mentor(site, ["pl"], cap=1)
    free = _mentor(site, ["pl"], cap=1)
    first = browse(site.member())
    _ask(first, "pl")
    first.get_by_role("button", name=f"Ask {full}").click()
    taker = browse(full)
    taker.goto("/mentoring/offers")
    taker.get_by_role("button", name=re.compile("^Accept")).click()
    expect(taker).to_have_url(re.compile("/chat/mentoring-"))
    # Now at their cap: the next member is shown only the mentor with room.
    second = browse(site.member())
    _ask(second, "pl")
    expect(second.locator("#suggested li")).to_have_count(1)
    expect(second.locator("#suggested")).to_contain_text(free)
    expect(second.locator("#suggested")).not_to_contain_text(full)


def test_an_expired_mentor_cannot_take_requests(browse, site):
    expired = _mentor(site, ["nl"], expired=True)
    asker = site.member()
    page = browse(asker)
    _ask(page, "nl")
    expect(page.locator("#suggested")).to_have_count(0)  # nobody to suggest
    expect(page.get_by_text("No mentor is free for this right now")).to_be_visible()
    with site.app.app_context():
        request_id = db.session.scalar(select(MentoringRequest.id).join(Member, Member.id == MentoringRequest.member_id)
                                       .where(Member.handle == asker))
    mentor_page = browse(expired)
    mentor_page.goto("/mentoring/offers")
    expect(mentor_page.locator(".notice")).to_contain_text("Your mentor training record expired")
    mentor_page.goto("/mentoring/queue")
    expect(mentor_page.get_by_role("button", name=re.compile("Take this request"))).to_have_count(0)
    # Even a hand-made request to take it is refused, in words.
    answer = mentor_page.request.post(f"/mentoring/requests/{request_id}/accept",
                                      form={"csrf_token": mentor_page.locator("meta[name=csrf-token]")
                                            .get_attribute("content")})
    assert answer.status == 409 and "expired" in answer.text()


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_mentoring_page_passes_axe(browse, site, dark, width):
    mentor = _mentor(site, ["it"], intro="Carer for my dad for six years.", topics=("carers", "alcohol"))
    admin = site.member(role="admin")
    asker = site.member()
    page = browse(asker, dark=dark, width=width)
    pages = []
    page.goto("/mentoring")
    pages.append(("mentoring", page.url))
    assert_no_axe_violations(page)
    page.goto("/mentoring/ask")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Continue").click()  # the form with its errors
    expect(page.locator(".error").first).to_be_visible()
    assert_no_axe_violations(page)
    _ask(page, "it")
    assert_no_axe_violations(page)  # choose
    page.get_by_role("button", name=f"Ask {mentor}").click()
    assert_no_axe_violations(page)  # home with a request
    young = browse(site.member(), dark=dark, width=width)
    young.goto("/mentoring/ask")
    young.get_by_label("Alcohol").check()
    young.get_by_label("No, I'm under 18").check()
    young.get_by_role("button", name="Continue").click()
    expect(young.get_by_role("heading", name="Support for you")).to_be_visible()
    assert_no_axe_violations(young)
    mentor_page = browse(mentor, dark=dark, width=width)
    for path in ("/mentoring/offers", "/mentoring/queue", "/mentoring/settings"):
        mentor_page.goto(path)
        assert_no_axe_violations(mentor_page)
    admin_page = browse(admin, dark=dark, width=width)
    admin_page.goto("/mentoring/admin")
    assert_no_axe_violations(admin_page)
    # Nothing is wider than the screen.
    for each in (page, mentor_page, admin_page):
        wide = each.evaluate("""[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-scroll')
            && e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.tagName + '.' + e.className)""")
        assert each.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (each.url, wide[:5])
