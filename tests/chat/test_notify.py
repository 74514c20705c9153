"""forum.notify: what a transaction queues for sockets goes out after its COMMIT, once, and
never after a ROLLBACK (nor from a SAVEPOINT that rolled back)."""
from sqlalchemy import select

from forum.chat import messages
from forum.chat.channels import member_channel
from forum.extensions import db, socketio
from forum.models import Member, Message, Room
from forum.notify import emit_after_commit
from forum.seed import seed_rooms


def listening(app, person):
    """A Socket.IO test client logged in as `person`, and the channel that reaches it."""
    client = socketio.test_client(app, flask_test_client=person.client)
    assert client.is_connected()
    with app.app_context():
        me = db.session.scalar(select(Member.id).where(Member.handle == person.handle))
    client.get_received()
    return client, member_channel(me)


def received(client, name):
    return [event["args"][0] for event in client.get_received() if event["name"] == name]


def test_a_transaction_that_rolls_back_sends_nothing(app, member):
    client, channel = listening(app, member)
    with app.app_context():
        emit_after_commit("ping", {"n": 1}, to=channel)
        emit_after_commit("ping", {"n": 2}, to=channel)
        db.session.rollback()
        db.session.commit()  # a later commit does not send what the rollback dropped
    assert received(client, "ping") == []


def test_queued_emits_leave_after_the_commit_once(app, member):
    client, channel = listening(app, member)
    with app.app_context():
        emit_after_commit("ping", {"n": 1}, to=channel)
        db.session.scalar(select(Member.id).limit(1))
        assert received(client, "ping") == []  # nothing before the commit
        db.session.commit()
        db.session.commit()
    assert received(client, "ping") == [{"n": 1}]


def test_a_savepoint_waits_for_the_commit_and_one_rolled_back_drops_only_its_own(app, member):
    client, channel = listening(app, member)
    with app.app_context():
        emit_after_commit("ping", {"n": "outer"}, to=channel)
        with db.session.begin_nested():
            emit_after_commit("ping", {"n": "released"}, to=channel)
        assert received(client, "ping") == []  # releasing a SAVEPOINT is not the COMMIT
        try:
            with db.session.begin_nested():
                emit_after_commit("ping", {"n": "rolled back"}, to=channel)
                raise LookupError
        except LookupError:
            pass
        db.session.commit()
    assert received(client, "ping") == [{"n": "outer"}, {"n": "released"}]


def test_a_chat_change_rolled_back_reaches_no_one(app, member):
    """The chat service's own path: a removal that rolls back tells no socket; the same
    removal committed does."""
    client, _ = listening(app, member)
    with app.app_context():
        seed_rooms()
        me = db.session.scalar(select(Member).where(Member.handle == member.handle))
        room = db.session.scalar(select(Room).where(Room.slug == "daily-check-in"))
        message_id = messages.send_message(room, me, "a quiet evening", "rollback-0001").message.id
        db.session.commit()
    client.get_received()
    with app.app_context():
        me = db.session.scalar(select(Member).where(Member.handle == member.handle))
        assert messages.remove(db.session.get(Message, message_id), me)
        db.session.rollback()
    assert received(client, "removed") == []
    with app.app_context():
        assert db.session.get(Message, message_id).removed_at is None
        me = db.session.scalar(select(Member).where(Member.handle == member.handle))
        messages.remove(db.session.get(Message, message_id), me)
        db.session.commit()
    assert [r["id"] for r in received(client, "removed")] == [message_id]
