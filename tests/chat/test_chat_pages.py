"""Chat pages over HTTP (Flask test client): the rooms list, a room, admin room forms."""
import re

from sqlalchemy import select

from tests.chat.chat_fixtures import ADMIN, MEMBER, chat_app  # noqa: F401
from forum.extensions import db
from forum.models import Room
from forum.seed import seed_rooms
from tests.helpers import login, send, text


def _client(app, handle):
    client = app.test_client()
    assert login(client, handle).status_code == 302
    return client


def test_rooms_list_shows_the_seeded_rooms_with_topic_count_and_facilitator(chat_app):
    page = text(chat_app.test_client().get("/chat/"))
    for title in ("Daily check-in", "Evening wind-down", "Recovery circle", "Carers' corner"):
        assert title in page
    assert "0 people here" in page and "no facilitator right now" in page
    assert "Room guidelines" in page


def test_seeding_rooms_twice_changes_nothing(chat_app):
    with chat_app.app_context():
        seed_rooms()
        db.session.commit()
        assert len(db.session.scalars(select(Room)).all()) == 4


def test_a_room_page_needs_a_login_and_loads_the_local_client(chat_app):
    assert chat_app.test_client().get("/chat/evening-wind-down").status_code == 302
    page = text(_client(chat_app, MEMBER).get("/chat/evening-wind-down"))
    assert 'role="log" aria-live="polite"' in page and '<label for="chat-body">Your message</label>' in page
    assert "/static/vendor/socket.io.min.js" in page and "/static/chat.js" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from another host
    assert _client(chat_app, MEMBER).get("/chat/no-such-room").status_code == 404


def test_only_admins_create_edit_lock_and_archive_rooms(chat_app):
    member = _client(chat_app, MEMBER)
    assert member.get("/chat/rooms/new").status_code == 403
    assert send(member, "/chat/evening-wind-down/edit", {"title": "Mine"}).status_code == 403

    admin = _client(chat_app, ADMIN)
    created = send(admin, "/chat/rooms/new", {"title": "Morning coffee", "slug": "morning-coffee",
                                              "topic": "Start the day gently.", "guidelines": "Be kind.",
                                              "slow_mode_s": "0"})
    assert created.status_code == 302 and created.location.endswith("/chat/morning-coffee")
    taken = send(admin, "/chat/rooms/new", {"title": "Again", "slug": "morning-coffee", "slow_mode_s": "0"})
    assert taken.status_code == 400 and "already uses that web address" in text(taken)

    edited = send(admin, "/chat/morning-coffee/edit", {"title": "Morning coffee", "slug": "morning-coffee",
                                                       "topic": "New topic", "slow_mode_s": "10", "locked": "y"})
    assert edited.status_code == 302
    with chat_app.app_context():
        room = db.session.scalar(select(Room).where(Room.slug == "morning-coffee"))
        assert room.locked and room.slow_mode_s == 10 and room.topic == "New topic"
    send(admin, "/chat/morning-coffee/edit", {"title": "Morning coffee", "slug": "morning-coffee",
                                              "slow_mode_s": "0", "archived": "y"})
    assert "Morning coffee" not in text(chat_app.test_client().get("/chat/"))
    assert admin.get("/chat/morning-coffee").status_code == 404
