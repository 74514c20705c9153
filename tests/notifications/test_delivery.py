"""Live delivery across two server processes sharing PostgreSQL and Redis: a notification
made on one process reaches the member's page connected to the other, and a page that
loses its connection catches up on reconnect with none lost and none twice."""
import re
import threading
import time

import pytest
import socketio
from sqlalchemy import select

from forum.boards import service as boards
from forum.extensions import db
from forum.models import Board, Member, Notification
from tests.chat.chat_fixtures import MEMBER, OTHER, chat_app, member_id, redis_url, serve  # noqa: F401
from tests.servers import TIMEOUT, cookie_header, login

pytestmark = pytest.mark.services
NAMESPACE = "/notifications"
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class Page:
    """What static/notifications.js does, in Python: joins the member's room and, on every
    (re)connect and every live poke, asks for the unread notifications after the last id
    it has seen; each is shown once, by id."""

    def __init__(self, base_url, handle):
        self.http = login(base_url, handle)
        self.shown, self.times_shown, self.pokes, self.last_id = {}, {}, 0, 0
        self._changed = threading.Condition()
        self._asking = threading.Lock()
        self.sio = self.base_url = None

    def connect(self, base_url):
        self.base_url = base_url
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("notification", self._poked, namespace=NAMESPACE)
        self.sio.connect(base_url, headers={"Cookie": cookie_header(self.http)}, transports=["websocket"],
                         namespaces=[NAMESPACE], wait_timeout=TIMEOUT)
        self._catch_up()

    def _poked(self, payload):
        assert payload == {}  # a poke says nothing: no words travel on the message queue
        self.pokes += 1
        self._catch_up()

    def _catch_up(self):
        with self._asking:
            missed = self.http.get(f"{self.base_url}/notifications/since", params={"after": self.last_id},
                                   timeout=TIMEOUT)
            for item in missed.json()["items"]:
                self._show(item)

    def _show(self, item):
        with self._changed:
            self.times_shown[item["id"]] = self.times_shown.get(item["id"], 0) + 1
            self.shown.setdefault(item["id"], item)
            self.last_id = max(self.last_id, item["id"])
            self._changed.notify_all()

    def wait_for(self, count):
        deadline = time.monotonic() + TIMEOUT
        with self._changed:
            while len(self.shown) < count:
                assert self._changed.wait(max(0, deadline - time.monotonic())), f"only {self.shown}"

    def drop(self):
        self.sio.disconnect()


def reply(http, base_url, thread_id, body):
    token = _CSRF.search(http.get(f"{base_url}/about", timeout=TIMEOUT).text).group(1)
    response = http.post(f"{base_url}/t/{thread_id}/reply", data={"body": body, "csrf_token": token},
                         allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302, response.text


def test_notifications_cross_processes_and_survive_a_reconnect(chat_app, serve, redis_url, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share PostgreSQL in production")
    with chat_app.app_context():
        author = db.session.scalar(select(Member).where(Member.handle == MEMBER))
        board = db.session.scalar(select(Board).where(Board.slug == "depression"))
        opening, _ = boards.create_thread(board, author, "Two weeks without", "Some days are easier.")
        thread_id = opening.thread_id
        db.session.commit()
    first, second = serve(count=2, redis_url=redis_url, FORUM_LIMIT_POST="1000 per second")
    replier = login(first.base_url, OTHER)  # one login serves both processes (one secret key)

    page = Page(second.base_url, MEMBER)
    page.connect(second.base_url)
    reply(replier, first.base_url, thread_id, "Proud of you.")  # made on the other process
    page.wait_for(1)
    assert list(page.shown.values())[0]["text"] == f"{OTHER} replied in your thread “Two weeks without”"

    page.drop()
    for n in range(3):  # while the page is away
        reply(replier, first.base_url, thread_id, f"Still here for you ({n}).")
    page.connect(first.base_url)  # back, on the other process this time
    reply(replier, second.base_url, thread_id, "And again tomorrow.")
    page.wait_for(5)

    with chat_app.app_context():
        stored = db.session.scalars(select(Notification.id).where(
            Notification.member_id == member_id(chat_app, MEMBER)).order_by(Notification.id)).all()
    assert sorted(page.shown) == stored  # none lost
    assert set(page.times_shown.values()) == {1}  # none shown twice
    assert page.pokes == 2  # live: one before the gap, one after it
