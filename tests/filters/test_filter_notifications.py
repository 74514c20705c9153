"""Notifications and chat under a member's filters and blocks: a blocked member can't
notify the blocker at all (no row is written), a notification about a filtered post is
neither listed nor counted, chat history is tucked away as posts are, and nothing shuts
a member out of a moderator's help."""
import re
import uuid

from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, Notification, Post, Room
from moderation.models import Flag
from tests.filters.filtering import block, set_filters, tucked
from tests.helpers import join_chat, make_member, send, start_thread, text

BELL = re.compile(r'id="bell-count"(?: hidden)?>(\d+)<')


def unread(person):
    return int(BELL.search(person.client.get("/").get_data(as_text=True)).group(1))


def kinds(app, person):
    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.handle == person.handle))
        return [n.kind for n in db.session.scalars(select(Notification).where(Notification.member_id == member_id))]


def test_a_blocked_member_cannot_reply_mention_or_react_their_way_in(app, member, other):
    third = make_member(app, "KindWren70")
    block(member, other.handle)
    thread = start_thread(member.client, title="Small wins", body="Made my bed today.")
    send(other.client, f"/t/{thread}/reply", {"body": f"Well done @{member.handle}"})
    with app.app_context():
        opening = db.session.scalar(select(Post.id).where(Post.thread_id == thread, Post.parent_id.is_(None)))
    send(other.client, f"/p/{opening}/react/hug")
    start_thread(other.client, title="Hello", body=f"Hi @{member.handle}")
    assert kinds(app, member) == [] and unread(member) == 0
    # Everyone else hears them as before.
    send(third.client, f"/t/{thread}/reply", {"body": f"Go you! @{other.handle}"})
    assert "mention" in kinds(app, other) and "reply" in kinds(app, member)


def test_a_notification_about_a_filtered_post_is_neither_listed_nor_counted(app, member, other):
    thread = start_thread(member.client, title="Weekend plans", body="Anyone doing anything?")
    send(other.client, f"/t/{thread}/reply", {"body": "A friend's party, lots of vodka. Nervous."})
    send(other.client, f"/t/{thread}/reply", {"body": "Also a long walk."})
    assert unread(member) == 2
    set_filters(member, topics=["substances"])
    assert unread(member) == 1
    page = member.client.get("/notifications").get_data(as_text=True)
    assert page.count('class="card notification') == 1
    set_filters(member)
    assert unread(member) == 2


def test_blocking_a_moderator_never_hides_their_outreach_or_the_support_room(app, member, moderator):
    block(member, moderator.handle)
    start_thread(member.client, title="Hard day", body="I feel like a burden to my family.")
    with app.app_context():
        flag_id = db.session.scalar(select(Flag.id))
    room_url = send(moderator.client, f"/moderation/flags/{flag_id}/support").location
    assert kinds(app, member) == ["outreach"] and unread(member) == 1
    assert "A moderator would like to talk with you" in text(member.client.get("/"))

    slug = room_url.rstrip("/").rsplit("/", 1)[1]
    chat, room_id = join_chat(app, moderator, slug)
    chat.emit("send", {"room_id": room_id, "body": "I'm here with you.", "client_id": uuid.uuid4().hex},
              callback=True)
    page = member.client.get(room_url).get_data(as_text=True)
    assert "I'm here with you." in page and tucked(page) == []
    assert 'data-blocked=""' in page and 'data-filter=""' in page  # the live page tucks nothing either
    chat.disconnect()


def test_chat_history_is_tucked_away_for_the_blocker_alone(app, member, other):
    third = make_member(app, "KindWren70")
    block(member, other.handle)
    set_filters(member, words="payday")
    chat, room_id = join_chat(app, other)
    for body in ("Evening all", "Payday tomorrow, finally"):
        chat.emit("send", {"room_id": room_id, "body": body, "client_id": uuid.uuid4().hex}, callback=True)
    mine, _ = join_chat(app, third)
    mine.emit("send", {"room_id": room_id, "body": "payday blues", "client_id": uuid.uuid4().hex}, callback=True)

    page = member.client.get("/chat/evening-wind-down").get_data(as_text=True)
    assert tucked(page) == ["1 message from a member you blocked"] * 2 + ["1 message hidden by your filters"]
    with app.app_context():
        other_id = db.session.scalar(select(Member.id).where(Member.handle == other.handle))
        assert db.session.scalar(select(Room.kind).where(Room.id == room_id)) == "group"
    # The page's script gets the same choices, to tuck away what arrives live.
    assert f'data-blocked="{other_id}"' in page and "payday" in re.search(r'data-filter="([^"]*)"', page).group(1)
    assert tucked(third.client.get("/chat/evening-wind-down").get_data(as_text=True)) == []
    chat.disconnect()
    mine.disconnect()
