"""Who may do what in chat: a moderator's rights there follow the queue's own rule (a
moderator role *and* a current training record, moderation.access), read afresh on every
event; and a mute never stops a member answering in their private support room."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db, socketio
from forum.models import Member, Message, Room, utcnow
from forum.seed import seed_rooms
from moderation.models import ModeratorProfile
from tests.helpers import make_member, send, text, train

HELD = "how many of my pills would it take to overdose, I have 40 of them"  # screened: held
NOT_FOUND = "We couldn't find that room."
FACILITATORS_ONLY = "Only a facilitator can do that."


@pytest.fixture
def group_room(app):
    with app.app_context():
        seed_rooms()
        db.session.commit()
        return db.session.scalar(select(Room.id).where(Room.slug == "evening-wind-down"))


@pytest.fixture
def trained(app):
    person = make_member(app, "SteadyOwl50")
    train(app, person.handle)
    return person


def connect(app, person):
    client = socketio.test_client(app, flask_test_client=person.client)
    assert client.is_connected()
    return client


def call(client, event, data):
    return client.emit(event, data, callback=True)


def open_support_room(app, person):
    """The member presses "Talk to a moderator now"; returns (slug, room id)."""
    response = send(person.client, "/chat/support")
    assert response.status_code == 302 and "/chat/support-" in response.location
    slug = response.location.rsplit("/", 1)[1]
    with app.app_context():
        return slug, db.session.scalar(select(Room.id).where(Room.slug == slug))


def lapse_training(app, handle):
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        db.session.get(ModeratorProfile, member.id).training_expires = utcnow().date() - timedelta(days=1)
        db.session.commit()


def received(client, event):
    # Flask-SocketIO's test client gives a "message" event's data as is, others in a list.
    return [e["args"] if event == "message" else e["args"][0] for e in client.get_received() if e["name"] == event]


# ----- item 4: untrained or expired moderators are members in chat ------------------------

@pytest.mark.parametrize("who", ["untrained_moderator", "expired_moderator"])
def test_an_untrained_or_expired_moderator_cannot_open_a_members_support_room(app, member, who, request):
    helper = request.getfixturevalue(who)
    slug, room = open_support_room(app, member)
    mine = connect(app, member)
    assert call(mine, "join", {"room_id": room})["ok"]
    said = call(mine, "send", {"room_id": room, "body": "I'm having a hard night", "client_id": "support-0001"})
    assert said["ok"]

    assert helper.client.get(f"/chat/{slug}").status_code == 404
    assert slug not in text(helper.client.get("/chat/"))
    theirs = connect(app, helper)
    for event, data in [("join", {"room_id": room}), ("join", {"room_id": room, "after": 0}),
                        ("history", {"room_id": room, "before": said["message"]["id"] + 1}),
                        ("send", {"room_id": room, "body": "hello", "client_id": "helper-0001"})]:
        answer = call(theirs, event, data)
        assert answer["ok"] is False and answer["error"] == NOT_FOUND, (event, answer)
    assert received(theirs, "message") == []
    with app.app_context():
        assert db.session.scalars(select(Message.body_md).where(Message.room_id == room)).all() == [
            "I'm having a hard night"]


@pytest.mark.parametrize("who", ["untrained_moderator", "expired_moderator"])
def test_an_untrained_or_expired_moderator_sees_no_held_words_and_cannot_facilitate(
        app, member, other, group_room, who, request):
    helper = request.getfixturevalue(who)
    theirs = connect(app, helper)
    assert call(theirs, "join", {"room_id": group_room})["ok"]
    author = connect(app, member)
    call(author, "join", {"room_id": group_room})
    held = call(author, "send", {"room_id": group_room, "body": HELD, "client_id": "held-000001"})["message"]
    plain = call(author, "send", {"room_id": group_room, "body": "evening all", "client_id": "plain-00001"})["message"]
    assert held["held"]

    assert [m["id"] for m in received(theirs, "message")] == [plain["id"]]
    assert [m["id"] for m in call(theirs, "join", {"room_id": group_room})["messages"]] == [plain["id"]]
    assert "40 of them" not in text(helper.client.get("/chat/evening-wind-down"))
    attempts = [("remove", {"message_id": plain["id"]}), ("lock", {"room_id": group_room, "locked": True}),
                ("slow_mode", {"room_id": group_room, "seconds": 60}),
                ("mute", {"room_id": group_room, "member_id": held["author_id"], "minutes": 15})]
    for event, data in attempts:
        assert call(theirs, event, data) == {"ok": False, "error": FACILITATORS_ONLY}, event
    with app.app_context():
        room = db.session.get(Room, group_room)
        assert not room.locked and room.slow_mode_s == 0
        assert db.session.get(Message, plain["id"]).removed_at is None
    assert call(author, "send", {"room_id": group_room, "body": "still free to talk", "client_id": "plain-00002"})["ok"]


def test_chat_rights_are_read_again_on_every_event_not_kept_from_the_connection(app, member, trained, group_room):
    slug, support = open_support_room(app, member)
    theirs = connect(app, trained)
    assert call(theirs, "join", {"room_id": support})["ok"]  # trained: welcome
    assert call(theirs, "lock", {"room_id": group_room, "locked": False})["ok"]
    lapse_training(app, trained.handle)  # while the socket stays open

    mine = connect(app, member)
    call(mine, "join", {"room_id": support})
    theirs.get_received()
    said = call(mine, "send", {"room_id": support, "body": "are you still there?", "client_id": "support-0002"})
    assert said["ok"]
    assert received(theirs, "message") == []  # held or not, a private room is no longer theirs to read
    for event, data in [("history", {"room_id": support, "before": said["message"]["id"] + 1}),
                        ("send", {"room_id": support, "body": "yes", "client_id": "helper-0002"}),
                        ("join", {"room_id": support, "after": 0})]:
        assert call(theirs, event, data) == {"ok": False, "error": NOT_FOUND}, event
    assert call(theirs, "lock", {"room_id": group_room, "locked": True}) == {"ok": False, "error": FACILITATORS_ONLY}

    assert call(theirs, "join", {"room_id": group_room})["ok"]
    call(mine, "join", {"room_id": group_room})
    theirs.get_received()
    held = call(mine, "send", {"room_id": group_room, "body": HELD, "client_id": "held-000002"})["message"]
    assert held["held"] and received(theirs, "message") == []  # held words go to trained moderators only
    assert trained.client.get(f"/chat/{slug}").status_code == 404


def test_a_member_asking_for_help_is_announced_to_trained_moderators_only(app, member, trained, untrained_moderator):
    listening, not_listening = connect(app, trained), connect(app, untrained_moderator)
    open_support_room(app, member)
    assert len(received(listening, "support_requested")) == 1
    assert received(not_listening, "support_requested") == []


# ----- item 6: a mute never stops a support conversation ---------------------------------

def test_a_muted_member_can_still_answer_a_moderator_in_their_support_room(app, member, trained, group_room):
    with app.app_context():  # muted from the flag page (member.muted_until), for a day
        db.session.scalar(select(Member).where(Member.handle == member.handle)).muted_until = utcnow() + timedelta(days=1)
        db.session.commit()
    slug, support = open_support_room(app, member)
    moderator, mine = connect(app, trained), connect(app, member)
    call(moderator, "join", {"room_id": support})
    call(mine, "join", {"room_id": support})
    assert call(moderator, "send", {"room_id": support, "body": "I'm here. How are you doing?",
                                    "client_id": "mod-000001"})["ok"]
    moderator.get_received()

    answer = call(mine, "send", {"room_id": support, "body": "Not great, but thank you", "client_id": "answer-0001"})
    assert answer["ok"], answer
    assert [m["id"] for m in received(moderator, "message")] == [answer["message"]["id"]]

    # A room mute cannot be put on a support conversation either: it would silence them here.
    refused = call(moderator, "mute", {"room_id": support, "member_id": answer["message"]["author_id"], "minutes": 15})
    assert refused["ok"] is False and "private support" in refused["error"]
    assert call(mine, "send", {"room_id": support, "body": "still here", "client_id": "answer-0002"})["ok"]

    # The mute still holds in group rooms.
    call(mine, "join", {"room_id": group_room})
    paused = call(mine, "send", {"room_id": group_room, "body": "hello all", "client_id": "group-00001"})
    assert paused["ok"] is False and "paused your messages" in paused["error"]
