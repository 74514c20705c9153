"""Fixtures for chat tests (imported by the chat test modules; not a conftest, so that the
root conftest keeps its module name)."""
import os
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forum.accounts.service import create_member
from forum.extensions import db
from forum.models import Member, Room
from forum.seed import seed_boards, seed_rooms
from moderation.admin import set_training
from tests.helpers import empty_redis
from tests.servers import PASSPHRASE, Peer, login, running_servers

MEMBER, OTHER, MODERATOR, ADMIN = "QuietHeron42", "BraveOtter17", "SteadyLark7", "KindOwl3"


@pytest.fixture
def chat_app(make_app):
    """An app on this test's database, with the seeded boards and rooms, and four people:
    two members, and a moderator and an admin whose training is current (chat rights follow
    moderation.access; tests/chat/test_chat_rights.py covers the untrained and expired)."""
    app = make_app(LIMIT_CHAT="1000 per second")
    with app.app_context():
        seed_boards()
        seed_rooms()
        for handle, role in ((MEMBER, "member"), (OTHER, "member"), (MODERATOR, "moderator"), (ADMIN, "admin")):
            person, _ = create_member(handle, PASSPHRASE, role=role)
            if role != "member":
                set_training(person, role, date.today() - timedelta(days=30), date.today() + timedelta(days=365), None)
        db.session.commit()
    return app


def member_id(app, handle):
    with app.app_context():
        return db.session.scalar(select(Member.id).where(Member.handle == handle))


def room_id(app, slug="evening-wind-down"):
    with app.app_context():
        return db.session.scalar(select(Room.id).where(Room.slug == slug))


@pytest.fixture
def serve(chat_app, database_url, tmp_path):
    """serve(count=1, redis_url=None, **FORUM_env) -> [Server]: live servers on this test's
    database, stopped after the test."""
    stack = []

    def start(count=1, redis_url=None, **env):
        context = running_servers(database_url, tmp_path, count=count, redis_url=redis_url, **env)
        stack.append(context)
        return context.__enter__()

    yield start
    for context in reversed(stack):
        context.__exit__(None, None, None)


@pytest.fixture
def peers():
    """peer(server_or_url, handle=None) -> a connected Peer (anonymous without a handle)."""
    made = []

    def connect(server, handle=None, **connect_options):
        base = getattr(server, "base_url", server)
        peer = Peer(base, login(base, handle) if handle else None)
        made.append(peer)
        return peer.connect(**connect_options)

    yield connect
    for peer in made:
        peer.close()


CHAT_REDIS_URL = os.environ.get("LANTERN_TEST_CHAT_REDIS", "redis://127.0.0.1:6379/13")


@pytest.fixture
def redis_url():
    """Redis DB 13 (chat tests only; pub/sub channels are made unique per server group)."""
    return empty_redis(CHAT_REDIS_URL)
