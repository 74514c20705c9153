"""send_message when a retry's client id is taken between the lookup and the insert (the
same message sent from two connections at once): the INSERT ... ON CONFLICT DO NOTHING path."""
from tests.chat.chat_fixtures import MEMBER, chat_app, member_id, room_id  # noqa: F401
from sqlalchemy import func, select

from forum.chat import messages
from forum.extensions import db
from forum.models import Member, Message, Room


def test_a_client_id_taken_after_the_lookup_returns_the_stored_message(chat_app, monkeypatch):
    room = room_id(chat_app)
    with chat_app.app_context():
        author = db.session.get(Member, member_id(chat_app, MEMBER))
        first = messages.send_message(db.session.get(Room, room), author, "Hello there", "raced-client-id")
        db.session.commit()
        first_id = first.message.id
    # The other connection's message is committed, but this send's lookup missed it.
    monkeypatch.setattr(messages, "_lookups", lambda room, member, client_id: (None, None))
    with chat_app.app_context():
        author = db.session.get(Member, member_id(chat_app, MEMBER))
        again = messages.send_message(db.session.get(Room, room), author, "Hello there", "raced-client-id")
        assert not again.created and again.message.id == first_id
        assert messages.message_payload(again.message)["client_id"] == "raced-client-id"
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Message)) == 1


def test_a_new_message_comes_back_whole_from_the_insert(chat_app):
    room = room_id(chat_app)
    with chat_app.app_context():
        author = db.session.get(Member, member_id(chat_app, MEMBER))
        sent = messages.send_message(db.session.get(Room, room), author, "Hello *there*", "new-client-id")
        payload = messages.message_payload(sent.message)
        db.session.commit()
        stored = db.session.get(Message, payload["id"])
        assert sent.created and payload == messages.message_payload(stored)
        assert payload["author"] == MEMBER and payload["html"].strip() == "<p>Hello <em>there</em></p>"
