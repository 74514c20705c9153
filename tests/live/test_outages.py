"""When PostgreSQL or Redis goes away and comes back, on real server processes: members see a
calm page (and the crisis lines), sockets are refused at once, the operator reads one line
per outage and one when it is back, and chat clients are told to catch up."""
import html
import json
import socket
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.chat.chat_fixtures import MEMBER, OTHER, chat_app, peers, room_id, serve  # noqa: F401
from tests.databases import base_config, create_postgres_database, drop_postgres_database, migrate
from tests.helpers import POSTGRES_ADMIN_URL
from tests.servers import PASSPHRASE, Peer, free_port, login, running_servers

from forum import create_app
from forum.accounts.service import create_member
from forum.extensions import db
from forum.seed import seed_boards

pytestmark = pytest.mark.services
ROOT = Path(__file__).resolve().parents[2]
CRISIS_LINE = next(iter(json.loads((ROOT / "moderation" / "crisis_lines.json").read_text())["regions"].values()))[
    "lines"][0]["name"]


class Relay:
    """A TCP relay in front of a real service: `cut()` is the outage (nothing listens, open
    connections drop), `restore()` the recovery, on the same port."""

    def __init__(self, upstream):
        self.upstream, self.port, self.connections = upstream, free_port(), []
        self.restore()

    def restore(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            self.connections += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self):
        if self.listener.fileno() != -1:
            self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()
        self.connections = []


@pytest.fixture
def postgres_behind_relay(tmp_path):
    """A scratch PostgreSQL database reached through a Relay: (relay, url through it)."""
    name, url = create_postgres_database()
    migrate(url)
    app = create_app(base_config(url))
    with app.app_context():
        seed_boards()
        create_member(MEMBER, PASSPHRASE)
        db.session.commit()
        db.engine.dispose()
    host_port = POSTGRES_ADMIN_URL.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    relay = Relay((host, int(port)))
    yield relay, url.replace(host_port, f"127.0.0.1:{relay.port}")
    relay.cut()
    drop_postgres_database(name)


def test_without_postgresql_members_see_a_calm_page_and_the_crisis_lines(postgres_behind_relay, tmp_path):
    relay, url = postgres_behind_relay
    with running_servers(url, tmp_path) as (server,):
        base = server.base_url
        signed_in = login(base, MEMBER)
        relay.cut()

        for _ in range(20):
            page = requests.get(base + "/", timeout=10)
            assert page.status_code == 503
            assert int(page.headers["Retry-After"]) > 0
            assert "right back" in page.text and "Internal Server Error" not in page.text
        assert signed_in.get(base + "/account", timeout=10).status_code == 503

        for visitor in (requests.Session(), signed_in):  # a guest, and a member
            help_page = visitor.get(base + "/help", timeout=10)
            assert help_page.status_code == 200 and CRISIS_LINE in html.unescape(help_page.text)

        started = time.monotonic()
        peer = Peer(base, signed_in)
        with pytest.raises(Exception):  # refused, not left hanging
            peer.connect()
        assert time.monotonic() - started < 6

        relay.restore()
        deadline = time.monotonic() + 15
        while requests.get(base + "/", timeout=10).status_code != 200:
            assert time.monotonic() < deadline, "the forum did not come back with PostgreSQL"
            time.sleep(0.2)
        time.sleep(0.3)
        log = server.log()
    assert "Traceback" not in log, log
    assert log.count("The database is unreachable") == 1, log
    assert log.count("The database is back") == 1, log


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_after_redis_returns_every_process_tells_its_clients_to_catch_up(chat_app, serve, peers, throwaway_redis):
    room = room_id(chat_app)
    first, second = serve(count=2, redis_url=throwaway_redis.url)
    here, there = peers(first, MEMBER), peers(second, OTHER)
    here.join(room)
    there.join(room)
    before = here.send(room, "before the outage")["message"]
    there.wait_for("message", lambda m: m["id"] == before["id"])

    throwaway_redis.stop()
    time.sleep(0.5)
    during = here.send(room, "while Redis is away")  # stored and acknowledged all the same
    assert during["ok"], during
    throwaway_redis.start()

    there.wait_for("catch_up", timeout=5)  # within a few seconds, not half a minute
    here.wait_for("catch_up", timeout=5)
    caught_up = there.join(room, after=before["id"])["messages"]
    assert during["message"]["id"] in [m["id"] for m in caught_up]
    for server in (first, second):
        log = server.log()
        assert log.count("The Socket.IO message queue (Redis) is unreachable") == 1, log
        assert "The Socket.IO message queue (Redis) is back" in log, log
