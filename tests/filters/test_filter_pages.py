"""A member's filters and blocks, as they rely on them: what they chose is tucked away on
the board, in the thread and in search (a line that opens in place, no JavaScript), never
for anyone else and never their own words; the settings page refuses bad input kindly."""
import json
import re

from sqlalchemy import event, select

from forum.extensions import db
from forum.models import Block, MemberFilter
from tests.filters.filtering import block, set_filters, tucked
from tests.helpers import PASSPHRASE, make_member, send, start_thread, text


def test_a_filtered_thread_is_tucked_away_on_the_board_in_the_thread_and_in_search(member, other):
    thread = start_thread(other.client, title="Nights are hard", body="The urge to drink is loud tonight.")
    start_thread(other.client, title="Gardening helps", body="Tomatoes are up.")
    set_filters(member, words="drink*")

    board = member.client.get("/b/anxiety").get_data(as_text=True)
    assert tucked(board) == ["1 thread hidden by your filters"]
    # Still there, one click away, inside the <details>: nothing needs JavaScript.
    details = re.search(r'<li class="card tucked">\s*<details>(.*?)</details>', board, re.DOTALL).group(1)
    assert "Nights are hard" in details and "Gardening helps" not in details

    page = member.client.get(f"/t/{thread}").get_data(as_text=True)
    assert tucked(page) == ["1 post hidden by your filters"]
    assert "The urge to drink" in re.search(r'<details class="tucked[^"]*">(.*?)</details>', page, re.DOTALL).group(1)

    assert tucked(member.client.get("/search?q=urge").get_data(as_text=True)) == ["1 post hidden by your filters"]
    # Only for the member who chose it; and a member's own words are never tucked away.
    for person in (other,):
        assert tucked(person.client.get(f"/t/{thread}").get_data(as_text=True)) == []
    mine = start_thread(member.client, title="My drinking story", body="Day 30 today.")
    assert tucked(member.client.get(f"/t/{mine}").get_data(as_text=True)) == []


def test_topics_match_the_content_warning_as_well_as_the_words(member, other):
    thread = start_thread(other.client, title="Something heavy", body="Writing it out helps.",
                          content_warning="suicide")
    set_filters(member, topics=["suicide"])
    assert tucked(member.client.get(f"/t/{thread}").get_data(as_text=True)) == ["1 post hidden by your filters"]
    set_filters(member)  # choosing nothing turns the filter off
    assert tucked(member.client.get(f"/t/{thread}").get_data(as_text=True)) == []


def test_a_blocked_members_posts_are_tucked_away_and_they_are_never_told(app, member, other):
    thread = start_thread(other.client, title="Checking in", body="Hello all")
    send(member.client, f"/t/{thread}/reply", {"body": "Welcome!"})
    block(member, other.handle.lower())  # any case

    page = member.client.get(f"/t/{thread}").get_data(as_text=True)
    assert tucked(page) == ["1 post from a member you blocked"]  # my own reply shows as it is
    assert tucked(member.client.get("/b/anxiety").get_data(as_text=True)) == ["1 thread from a member you blocked"]
    listed = text(member.client.get("/filters"))
    assert other.handle in listed and "Unblock" in listed
    # Nothing on their side says so.
    for url in (f"/t/{thread}", "/notifications", "/b/anxiety"):
        assert "blocked" not in text(other.client.get(url)).lower()

    with app.app_context():
        other_id = db.session.scalar(select(Block.blocked_id))
    assert send(member.client, f"/filters/unblock/{other_id}").status_code == 302
    assert tucked(member.client.get(f"/t/{thread}").get_data(as_text=True)) == []
    assert "You haven't blocked anyone." in text(member.client.get("/filters"))


def test_the_settings_page_refuses_what_it_cannot_keep_with_words(member):
    def refused(url, data, status=400):
        response = send(member.client, url, data)
        assert response.status_code == status, response.get_data(as_text=True)
        return text(response)

    assert "under 40 characters" in refused("/filters", {"words": "x" * 41})
    assert "letters, numbers, spaces, hyphens and apostrophes" in refused("/filters", {"words": "(drink|beer)"})
    assert "up to 50" in refused("/filters", {"words": "\n".join(f"word{i}" for i in range(51))})
    assert "more words than we can keep" in refused("/filters", {"words": "a," * 2000})
    refused("/filters", {"topics": ["not-a-topic"]})
    assert "couldn't find a member called “NoSuchOne1”" in refused("/filters/block", {"handle": "NoSuchOne1"})
    assert "can't block yourself" in refused("/filters/block", {"handle": member.handle})
    assert "type the handle" in refused("/filters/block", {"handle": ""})
    # Without the form's CSRF token, nothing changes.
    assert member.client.post("/filters", data={"words": "drink"}).status_code == 400
    # Repeats and spacing are tidied; what was kept shows on the page.
    set_filters(member, words="Drink*, drink* \n  last   call")
    assert "Drink*\nlast call</textarea>" in text(member.client.get("/filters"))


def test_changes_are_rate_limited(make_app):
    app = make_app(LIMIT_FILTERS="2 per minute")
    person = make_member(app, "SteadyFinch31")
    set_filters(person, words="one")
    set_filters(person, words="two")
    response = send(person.client, "/filters", {"words": "three"})
    assert response.status_code == 429 and "Please wait" in text(response)


def test_export_has_the_filters_and_blocks_and_deletion_removes_them_both_ways(app, member, other):
    set_filters(member, topics=["eating"], words="payday")
    block(member, other.handle)
    block(other, member.handle)
    data = json.loads(member.client.get("/account/export.json").get_data(as_text=True))
    assert data["filters_and_blocks"]["topics"] == ["Eating and body weight"]
    assert data["filters_and_blocks"]["muted_words"] == ["payday"]
    assert [b["handle"] for b in data["filters_and_blocks"]["blocked_members"]] == [other.handle]

    response = send(member.client, "/account/delete", {"posts": "keep", "passphrase": PASSPHRASE})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(MemberFilter)).all() == []
        assert db.session.scalars(select(Block)).all() == []  # theirs, and the one naming them


def test_a_thread_page_with_filters_takes_a_constant_number_of_queries(app, member, other):
    thread_id = start_thread(other.client, body="opening")
    with app.app_context():
        from forum.boards import service
        from forum.models import Member, Thread

        thread = db.session.get(Thread, thread_id)
        author = db.session.scalar(select(Member).where(Member.handle == other.handle))
        for i in range(120):
            service.reply(thread, author, f"reply {i}" + (" about beer" if i % 3 else ""))
        db.session.commit()
    set_filters(member, topics=["substances"], words="tomatoes")
    block(member, make_member(app, "DistantLark55").handle)

    def queries(url):
        count = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: count.append(1)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            page = member.client.get(url)
            assert page.status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(count), page.get_data(as_text=True)

    (first, page1), (last, page3) = queries(f"/t/{thread_id}"), queries(f"/t/{thread_id}?page=3")
    assert first == last <= 10  # the thread page's budget (tests/integration/test_boards.py)
    beer = [i % 3 != 0 for i in range(120)]  # page 1: the opening and replies 0-48; page 3: replies 99-119
    assert len(tucked(page1)) == sum(beer[:49]) and len(tucked(page3)) == sum(beer[99:])
