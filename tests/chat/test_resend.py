"""A message stored by a process that died before it could tell the room: when its sender's
client sends it again (same client id), the members still in the room get it, once."""
import pytest
from sqlalchemy import func, select

from forum.chat import messages
from forum.extensions import db
from forum.models import Member, Message, Room
from tests.chat.chat_fixtures import MEMBER, OTHER, chat_app, member_id, peers, room_id, serve  # noqa: F401

pytestmark = pytest.mark.services  # real server processes


def stored_but_never_broadcast(app, room, handle, body, client_id):
    """What a process killed between COMMIT and its emit leaves behind: the row, and no
    one told. (Outside a server process the after-commit emit reaches no socket.)"""
    author_id = member_id(app, handle)
    with app.app_context():
        sent = messages.send_message(db.session.get(Room, room), db.session.get(Member, author_id), body, client_id)
        db.session.commit()
        return sent.message.id


def test_a_resend_delivers_a_message_the_room_never_heard(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    reader, sender = peers(server, OTHER), peers(server, MEMBER)
    reader.join(room), sender.join(room)
    lost = stored_but_never_broadcast(chat_app, room, MEMBER, "Is anyone around tonight?", "lost-ack-0001")
    assert lost not in [m["id"] for m in reader.messages()]

    again = sender.send(room, "Is anyone around tonight?", client_id="lost-ack-0001")
    assert again["ok"] and again["created"] is False and again["message"]["id"] == lost
    heard = reader.wait_for("message", lambda m: m["id"] == lost)
    assert heard["html"].strip() == "<p>Is anyone around tonight?</p>" and heard["author"] == MEMBER
    with chat_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Message)) == 1  # still one copy


def test_a_resend_of_a_removed_message_does_not_bring_it_back(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    reader, sender = peers(server, OTHER), peers(server, MEMBER)
    reader.join(room), sender.join(room)
    lost = stored_but_never_broadcast(chat_app, room, MEMBER, "words a facilitator took down", "lost-ack-0002")
    with chat_app.app_context():
        db.session.get(Message, lost).removed_at = db.func.now()
        db.session.commit()
    again = sender.send(room, "words a facilitator took down", client_id="lost-ack-0002")
    assert again["ok"] and again["created"] is False
    marker = sender.send(room, "marker")["message"]
    reader.wait_for("message", lambda m: m["id"] == marker["id"])
    assert [m["id"] for m in reader.messages()] == [marker["id"]]
