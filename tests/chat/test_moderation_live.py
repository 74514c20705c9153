"""The moderators' live queue against real server processes and real Socket.IO clients."""
import threading

import pytest
import socketio

from chat_fixtures import MEMBER, MODERATOR, OTHER, chat_app, peers, redis_url, room_id, serve  # noqa: F401
from helpers import go_on_duty, train
from servers import TIMEOUT, cookie_header, login

pytestmark = pytest.mark.services


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
