"""A crisis message in chat raises a flag as fast as a post does, and helps its sender."""
from sqlalchemy import select

from forum.extensions import db, socketio
from forum.models import Room
from moderation import routing
from moderation.models import Flag
from moderation.screening import screen
from tests.flags.flag_helpers import HIGH, METHOD
from tests.helpers import join_chat, send, text


def joined(app, person):
    client, room_id = join_chat(app, person)
    client.get_received()
    return client, room_id


def test_crisis_message_flags_notifies_and_shows_help(app, member, moderator):
    watcher = socketio.test_client(app, namespace=routing.NAMESPACE, flask_test_client=moderator.client)
    watcher.get_received(routing.NAMESPACE)
    peer, room_id = joined(app, member)
    ack = peer.emit("send", {"room_id": room_id, "body": HIGH, "client_id": "crisis-0001"}, callback=True)
    assert ack["created"] is True
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
    assert flag.message_id == ack["message"]["id"] and flag.post_id is None
    assert flag.severity == screen(HIGH).severity >= "high"  # the flag carries screening's reading
    (new,) = [e for e in watcher.get_received(routing.NAMESPACE) if e["name"] == "flag.new"]
    assert new["args"][0]["kind"] == "message"
    (help_event,) = [e for e in peer.get_received() if e["name"] == "help"]
    panel = help_event["args"][0]
    assert panel["moderator_on_duty"] is True and any(r["code"] == "US" for r in panel["lines"])
    # The same client id again: the same message, no second flag.
    again = peer.emit("send", {"room_id": room_id, "body": HIGH, "client_id": "crisis-0001"}, callback=True)
    assert again["created"] is False
    with app.app_context():
        assert len(db.session.scalars(select(Flag)).all()) == 1
    page = text(moderator.client.get(f"/moderation/flags/{flag.id}"))
    assert HIGH in page  # the moderator reads the words that were flagged


def test_method_detail_in_chat_is_held_and_flagged(app, member, other, moderator):
    peer, room_id = joined(app, member)
    ack = peer.emit("send", {"room_id": room_id, "body": METHOD, "client_id": "held-00001"}, callback=True)
    assert ack["created"] is True
    with app.app_context():
        assert "method_detail" in db.session.scalars(select(Flag)).one().categories
    watcher, _ = joined(app, other)
    history = watcher.emit("join", {"room_id": room_id}, callback=True)["messages"]
    assert all(m["id"] != ack["message"]["id"] for m in history)


def test_a_moderator_opens_a_private_support_room_from_a_flag(app, member, moderator):
    peer, room_id = joined(app, member)
    peer.emit("send", {"room_id": room_id, "body": HIGH, "client_id": "crisis-0002"}, callback=True)
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
    response = send(moderator.client, f"/moderation/flags/{flag.id}/support")
    assert response.status_code == 302 and "/chat/support-" in response.location
    assert member.client.get(response.location).status_code == 200
    with app.app_context():
        room = db.session.scalar(select(Room).where(Room.kind == "support"))
        assert room.member_id is not None


def test_flag_page_shows_the_chat_around_the_message_and_can_release_a_hold(app, member, other, moderator):
    peer, room_id = joined(app, member)
    peer.emit("send", {"room_id": room_id, "body": "Evening all, rough day.", "client_id": "before-001"}, callback=True)
    held = peer.emit("send", {"room_id": room_id, "body": METHOD, "client_id": "held-00002"}, callback=True)
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
    page = text(moderator.client.get(f"/moderation/flags/{flag.id}"))
    assert "Evening all, rough day." in page and "flagged message" in page and "Evening wind-down" in page
    send(moderator.client, f"/moderation/flags/{flag.id}/release-hold", {"reason": "reviewed", "confirm": "yes"})
    watcher, _ = joined(app, other)
    history = watcher.emit("join", {"room_id": room_id}, callback=True)["messages"]
    assert any(m["id"] == held["message"]["id"] for m in history)
