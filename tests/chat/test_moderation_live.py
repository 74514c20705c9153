"""The moderators' live queue, and the desk's actions on chat messages reaching open rooms, against
real server processes and real Socket.IO clients."""
import re
import threading

import pytest
import socketio
from tests.chat.chat_fixtures import MEMBER, MODERATOR, OTHER, chat_app, peers, redis_url, room_id, serve  # noqa: F401
from tests.helpers import go_on_duty, train
from tests.servers import TIMEOUT, cookie_header, login
from sqlalchemy import select

from forum.extensions import db
from forum.models import Message
from moderation.models import AuditEntry, Flag

pytestmark = pytest.mark.services

HIGH = "I keep thinking about killing myself"  # flagged high, shown to the room
METHOD = "how many of my pills would it take to overdose, I have 40 of them"  # flagged and held


def on_duty(app, handle):
    """A trained moderator, on duty."""
    train(app, handle)
    go_on_duty(app, handle)


class QueueWatcher:
    """A real python-socketio client on the /moderation namespace."""

    def __init__(self, base_url, handle):
        self.events, self.changed = [], threading.Condition()
        self.client = socketio.Client(reconnection=False)
        for name in ("flag.new", "flag.updated", "flag.escalated"):
            self.client.on(name, self._recorder(name), namespace="/moderation")
        self.client.connect(base_url, namespaces=["/moderation"], transports=["websocket"],
                            headers={"Cookie": cookie_header(login(base_url, handle))}, wait_timeout=TIMEOUT)

    def _recorder(self, name):
        def record(data):
            with self.changed:
                self.events.append((name, data))
                self.changed.notify_all()
        return record

    def wait_for(self, name, match):
        with self.changed:
            found = self.changed.wait_for(
                lambda: next((d for n, d in self.events if n == name and match(d)), None), timeout=TIMEOUT)
        assert found, self.events
        return found

    def close(self):
        self.client.disconnect()


def test_a_crisis_message_on_one_process_reaches_the_queue_on_another(chat_app, serve, peers, redis_url):
    on_duty(chat_app, MODERATOR)
    first, second = serve(count=2, redis_url=redis_url)
    watcher = QueueWatcher(second.base_url, MODERATOR)
    try:
        peer = peers(first, MEMBER)
        peer.join(room_id(chat_app))
        sent = peer.send(room_id(chat_app), "I want to kill myself tonight, I have the pills ready")["message"]
        flag = watcher.wait_for("flag.new", lambda f: f["kind"] == "message")
        assert flag["severity"] == "imminent" and "kill myself" in flag["excerpt"]
        help_panel = peer.wait_for("help")
        assert help_panel["moderator_on_duty"] is True
        assert sent["id"]
    finally:
        watcher.close()


def test_a_crisis_post_reaches_a_live_moderator_and_members_cannot_listen(chat_app, serve):
    on_duty(chat_app, MODERATOR)
    (server,) = serve(count=1)
    watcher = QueueWatcher(server.base_url, MODERATOR)
    try:
        http = login(server.base_url, OTHER)
        token = http.get(server.base_url + "/about").text.split('name="csrf-token" content="')[1].split('"')[0]
        response = http.post(server.base_url + "/b/depression/new", allow_redirects=False, data={
            "title": "a bad week", "body": "I keep thinking about killing myself", "csrf_token": token})
        assert response.status_code == 302
        severity = watcher.wait_for("flag.new", lambda f: f["kind"] == "post")["severity"]
        assert severity in ("high", "imminent")
        intruder = socketio.Client(reconnection=False)
        with pytest.raises(socketio.exceptions.ConnectionError):
            intruder.connect(server.base_url, namespaces=["/moderation"], transports=["websocket"],
                             headers={"Cookie": cookie_header(login(server.base_url, MEMBER))}, wait_timeout=5)
    finally:
        watcher.close()


# ----- the desk acts on a chat message; open rooms see it at once ------------------------

def _flag_of(app, message_id):
    with app.app_context():
        return db.session.scalar(select(Flag.id).where(Flag.message_id == message_id))


def _from_the_flag_page(base_url, handle, flag_id, action):
    """A moderator presses `action` on the flag's page (a real form POST, with its CSRF
    token, from a logged-in browser session)."""
    http = login(base_url, handle)
    page = http.get(f"{base_url}/moderation/flags/{flag_id}", timeout=TIMEOUT)
    assert page.status_code == 200 and f'/moderation/flags/{flag_id}/{action}"' in page.text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    response = http.post(f"{base_url}/moderation/flags/{flag_id}/{action}", allow_redirects=False,
                         data={"csrf_token": token, "reason": "reviewed live", "confirm": "yes"}, timeout=TIMEOUT)
    assert response.status_code == 302, response.text


def test_hiding_a_flagged_chat_message_removes_it_from_the_open_room(chat_app, serve, peers):
    train(chat_app, MODERATOR)
    room = room_id(chat_app)
    [server] = serve()
    author, reader = peers(server, MEMBER), peers(server, OTHER)
    author.join(room), reader.join(room)
    said = author.send(room, HIGH)["message"]
    reader.wait_for("message", lambda m: m["id"] == said["id"])

    _from_the_flag_page(server.base_url, MODERATOR, _flag_of(chat_app, said["id"]), "hide")
    assert reader.wait_for("removed", lambda r: r["id"] == said["id"]) == {"id": said["id"], "room_id": room}
    author.wait_for("removed", lambda r: r["id"] == said["id"])
    assert said["id"] not in [m["id"] for m in peers(server, OTHER).join(room)["messages"]]


def test_restoring_a_removed_chat_message_brings_it_back_to_the_open_room(chat_app, serve, peers):
    train(chat_app, MODERATOR)
    room = room_id(chat_app)
    [server] = serve()
    author = peers(server, MEMBER)
    author.join(room)
    said = author.send(room, HIGH)["message"]
    flag_id = _flag_of(chat_app, said["id"])
    _from_the_flag_page(server.base_url, MODERATOR, flag_id, "hide")
    author.wait_for("removed", lambda r: r["id"] == said["id"])
    # Someone who came in while it was removed, and so never had it.
    reader = peers(server, OTHER)
    assert said["id"] not in [m["id"] for m in reader.join(room)["messages"]]

    _from_the_flag_page(server.base_url, MODERATOR, flag_id, "restore")
    restored = reader.wait_for("message", lambda m: m["id"] == said["id"])
    assert restored == {**said, "held": False}  # the same message, as the room's script renders any other
    with chat_app.app_context():
        assert db.session.get(Message, said["id"]).removed_at is None
        actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.flag_id == flag_id)).all()
        assert actions[-2:] == ["hid message", "restored message"]


def test_releasing_a_held_chat_message_shows_it_to_the_open_room(chat_app, serve, peers):
    train(chat_app, MODERATOR)
    room = room_id(chat_app)
    [server] = serve()
    author, reader = peers(server, MEMBER), peers(server, OTHER)
    author.join(room), reader.join(room)
    held = author.send(room, METHOD)["message"]
    assert held["held"]
    marker = author.send(room, "marker")["message"]
    reader.wait_for("message", lambda m: m["id"] == marker["id"])
    assert held["id"] not in [m["id"] for m in reader.messages()]

    _from_the_flag_page(server.base_url, MODERATOR, _flag_of(chat_app, held["id"]), "release-hold")
    released = reader.wait_for("message", lambda m: m["id"] == held["id"])
    assert not released["held"] and released["html"] == held["html"]
    author.wait_for("message", lambda m: m["id"] == held["id"] and not m["held"])  # their copy loses its label
