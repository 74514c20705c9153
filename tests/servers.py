"""Real Lantern server processes and real python-socketio clients, for live chat tests.

Reusable from any test: `running_servers(database_url, count=2, redis_url=...)` starts
`python wsgi.py` processes (gevent, the production server) on free ports against one
database (and one Redis message queue), and yields their base URLs; `login(base, handle)`
returns a requests.Session logged in over HTTP (`post_form` sends its forms); `Peer(base, session)` is a
socketio.Client sending that session's cookie, which records every event it receives.
"""
import functools
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "a calm river at dusk"
TIMEOUT = 15  # generous: CI machines are slow, and every wait below ends on an event
_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')

GENEROUS_LIMITS = {
    "FORUM_LIMIT_CHAT": "1000 per second",
    "FORUM_LIMIT_CHAT_TYPING": "1000 per second",
    "FORUM_LIMIT_LOGIN_FAILURES": "1000 per second",
    "FORUM_LIMIT_LOGIN_ACCOUNT": "1000 per second",
    "FORUM_LIMIT_EDIT": "1000 per second",
    "FORUM_LIMIT_REACT": "1000 per second",
    "FORUM_LIMIT_SIGNUP": "1000 per second",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, base_url, process, log_path):
        self.base_url, self.process, self.log_path = base_url, process, log_path

    def log(self):
        return Path(self.log_path).read_text(errors="replace")

    def kill(self):
        """SIGKILL: no cleanup, no goodbye to any socket."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


def _wait_ready(server, deadline):
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"server exited early:\n{server.log()}")
        try:
            if requests.get(server.base_url + "/about", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{server.base_url} did not answer:\n{server.log()}")


def start_server(database_url, tmp_dir, redis_url=None, channel=None, **env):
    """One `python wsgi.py` process; env overrides FORUM_* settings (e.g. FORUM_LIMIT_CHAT)."""
    port = free_port()
    environment = dict(
        os.environ,
        FORUM_DATABASE_URL=database_url,
        FORUM_SECRET_KEY="live-test-secret",  # shared: any process accepts any login
        FORUM_HOST="127.0.0.1",
        FORUM_PORT=str(port),
        FORUM_SOCKETIO_CHANNEL=channel or f"lantern-test-{uuid.uuid4().hex}",
        **GENEROUS_LIMITS,
    )
    environment.pop("FORUM_REDIS_URL", None)
    if redis_url:
        environment["FORUM_REDIS_URL"] = redis_url
    environment.update(env)
    log_path = Path(tmp_dir) / f"server-{port}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=environment,
                                   stdout=log, stderr=subprocess.STDOUT)
    return Server(f"http://127.0.0.1:{port}", process, log_path)


@contextmanager
def running_servers(database_url, tmp_dir, count=1, redis_url=None, **env):
    """`count` server processes sharing the database (and Redis, when given, on one
    Socket.IO channel unique to this call). Yields the list of Server objects."""
    channel = f"lantern-test-{uuid.uuid4().hex}"
    servers = [start_server(database_url, tmp_dir, redis_url, channel, **env) for _ in range(count)]
    try:
        deadline = time.monotonic() + 30
        for server in servers:
            _wait_ready(server, deadline)
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.process.terminate()
        for server in servers:
            try:
                server.process.wait(10)
            except subprocess.TimeoutExpired:
                server.process.kill()


def login(base_url, handle, passphrase=PASSPHRASE):
    """A requests.Session logged in as `handle` through the real login form."""
    http = requests.Session()
    token = _CSRF.search(http.get(base_url + "/about", timeout=TIMEOUT).text).group(1)
    response = http.post(base_url + "/login", data={"handle": handle, "passphrase": passphrase, "csrf_token": token},
                         allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302, response.text
    return http


def post_form(http, base_url, path, data=None):
    """POST a form as a browser does, with the CSRF token of `http`'s session; the response,
    redirects not followed (its `location` says where the page goes next)."""
    token = _CSRF.search(http.get(base_url + "/about", timeout=TIMEOUT).text).group(1)
    return http.post(base_url + path, data={**(data or {}), "csrf_token": token}, allow_redirects=False,
                     timeout=TIMEOUT)


def cookie_header(http):
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


class Peer:
    """A python-socketio client that keeps every event it receives, in order."""

    def __init__(self, base_url, http=None, **client_options):
        self.base_url, self.http = base_url, http
        self.sio = socketio.Client(reconnection=False, **client_options)
        self.received = []  # (event, data)
        self._changed = threading.Condition()
        self.sio.on("*", self._record)
        self.sio.on("disconnect", lambda *reason: self._record("disconnect", reason))
        self.sio.on("connect_error", lambda data=None: self._record("connect_error", data))

    def _record(self, event, data=None):
        with self._changed:
            self.received.append((event, data))
            self._changed.notify_all()

    def connect(self, headers=None):
        headers = dict(headers or {})
        if self.http is not None:
            headers["Cookie"] = cookie_header(self.http)
        self.sio.connect(self.base_url, headers=headers, transports=["websocket"], wait_timeout=TIMEOUT)
        return self

    def call(self, event, data=None, timeout=TIMEOUT):
        return self.sio.call(event, data, timeout=timeout)

    def join(self, room_id, after=None):
        answer = self.call("join", {"room_id": room_id, **({"after": after} if after is not None else {})})
        assert answer["ok"], answer
        return answer

    def send(self, room_id, body, client_id=None):
        return self.call("send", {"room_id": room_id, "body": body, "client_id": client_id or uuid.uuid4().hex})

    def wait_for(self, event, match=lambda data: True, timeout=TIMEOUT):
        """The first `event` received (already, or within `timeout`) whose data matches."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for name, data in self.received:
                    if name == event and match(data):
                        return data
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {event!r} matching within {timeout}s; got {self.events()}")
                self._changed.wait(remaining)

    def events(self, event=None):
        with self._changed:
            return [(n, d) for n, d in self.received if event is None or n == event]

    def messages(self):
        return [d for n, d in self.events("message")]

    def close(self):
        if self.sio.connected:
            ws = getattr(self.sio.eio, "ws", None)
            if ws is not None:
                # websocket-client waits 3 s for the server's close frame; a test needn't.
                ws.close = functools.partial(ws.close, timeout=0.2)
            self.sio.disconnect()

    def drop(self):
        """The network goes away: the TCP connection ends with no Socket.IO goodbye."""
        self.sio.eio.ws.sock.shutdown(socket.SHUT_RDWR)
        self.wait_for("disconnect")
