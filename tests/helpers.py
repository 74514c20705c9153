"""Helpers that tests call: forms sent with CSRF tokens, members signed up through the real form."""
import html
import os
import re
from urllib.parse import urlsplit

import pytest

PASSPHRASE = "a calm river at dusk"
POSTGRES_ADMIN_URL = os.environ.get("LANTERN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("LANTERN_TEST_REDIS", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def service_missing(what, error):
    """Skip a test whose service is absent, but fail in CI, where it must be there."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but unreachable: {error}")
    pytest.skip(f"{what} unreachable: {error}")

def empty_redis(url):
    """An empty Redis database at `url` (returned): skipped without Redis, failed in CI."""
    import redis

    try:
        redis.Redis.from_url(url, socket_timeout=2).flushdb()
    except redis.exceptions.ConnectionError as error:
        service_missing("Redis", error)
    return url


def train(app, handle, role="moderator", valid_days=365, trained_days_ago=30):
    """Give a member a role and a training record (valid_days < 0: already expired)."""
    from datetime import date, timedelta

    from sqlalchemy import select

    from forum.extensions import db
    from forum.models import Member
    from moderation.admin import set_training

    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        today = date.today()
        set_training(member, role, today - timedelta(days=trained_days_ago), today + timedelta(days=valid_days), None)
        db.session.commit()


def give_role(app, handle, role):
    """The role alone, without a training record (an untrained moderator or admin)."""
    from sqlalchemy import update

    from forum.extensions import db
    from forum.models import Member

    with app.app_context():
        db.session.execute(update(Member).where(Member.handle == handle).values(role=role))
        db.session.commit()


def go_on_duty(app, handle):
    from sqlalchemy import select

    from forum.extensions import db
    from forum.models import Member, utcnow
    from moderation.models import ModeratorProfile

    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        db.session.get(ModeratorProfile, member.id).on_duty_since = utcnow()
        db.session.commit()


_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client):
    page = client.get("/about").get_data(as_text=True)
    return _CSRF.search(page).group(1)


def send(client, url, data=None, **kwargs):
    """POST a form the way a browser would: with the page's CSRF token."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def signup(client, handle, passphrase=PASSPHRASE):
    """Join through the real form; returns the recovery code shown once."""
    response = send(client, "/join", {"handle": handle, "passphrase": passphrase, "confirm": passphrase,
                                      "submit": "Join Lantern"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return re.search(r"<code>([A-Z0-9-]+)</code>", response.get_data(as_text=True)).group(1)


def login(client, handle, passphrase=PASSPHRASE):
    return send(client, "/login", {"handle": handle, "passphrase": passphrase})


def start_thread(client, title="A thread", body="Some words", board="anxiety", **extra):
    response = send(client, f"/b/{board}/new", {"title": title, "body": body, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(urlsplit(response.location).path.rsplit("/", 1)[1])  # (words that raise help add #help-<id>)


class Person:
    def __init__(self, client, handle, recovery_code):
        self.client, self.handle, self.recovery_code = client, handle, recovery_code


def make_member(app, handle):
    client = app.test_client()
    code = signup(client, handle)
    return Person(client, handle, code)


def text(response):
    """The page as a reader sees it (entities such as &#39; turned back into characters, and
    the <mark> around the words a search matched left out, as they are read)."""
    return html.unescape(re.sub(r"</?mark>", "", response.get_data(as_text=True)))


def count_queries(app, client, url):
    """How many SQL statements `client` getting `url` runs (the page must answer 200)."""
    from sqlalchemy import event

    from forum.extensions import db

    count = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: count.append(1)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(count)


def join_chat(app, person, slug="evening-wind-down"):
    """`person` in a seeded chat room over an in-process Socket.IO client: (client, room id)."""
    from sqlalchemy import select

    from forum.extensions import db, socketio
    from forum.models import Room
    from forum.seed import seed_rooms

    with app.app_context():
        seed_rooms()
        db.session.commit()
        room_id = db.session.scalar(select(Room.id).where(Room.slug == slug))
    client = socketio.test_client(app, flask_test_client=person.client)
    assert client.is_connected()
    answer = client.emit("join", {"room_id": room_id}, callback=True)
    assert answer["ok"] and answer.get("room"), answer
    return client, room_id
