"""What `python wsgi.py` writes: where it listens, and never a client's address or port
(the README promises no log holds one), even for a bad request or a closed WebSocket."""
import re
import socket
import time

import pytest

from tests.chat.chat_fixtures import MEMBER, chat_app, peers, room_id, serve  # noqa: F401

# One engine is enough: this is about the server's output, not the database.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def test_the_server_says_where_it_listens(serve):
    server, = serve()
    assert f"Lantern is listening on {server.base_url}" in server.log()


def test_no_log_line_holds_a_client_address(chat_app, serve, peers):
    server, = serve()
    port = int(server.base_url.rsplit(":", 1)[1])
    client_ports = []

    bad = socket.create_connection(("127.0.0.1", port))  # a request that is not HTTP
    client_ports.append(bad.getsockname()[1])
    bad.sendall(b"NOT HTTP AT ALL\r\n\r\n")
    assert bad.recv(100).startswith(b"HTTP/1.1 400")
    bad.close()

    dropped = peers(server, MEMBER)  # a WebSocket whose network goes away
    dropped.join(room_id(chat_app))
    client_ports.append(dropped.sio.eio.ws.sock.getsockname()[1])
    dropped.drop()
    closed = peers(server, MEMBER)  # and one closed politely
    client_ports.append(closed.sio.eio.ws.sock.getsockname()[1])
    closed.close()
    time.sleep(1)  # let the server notice and write whatever it writes
    server.process.terminate()
    server.process.wait(10)

    written = server.log().replace(f"Lantern is listening on {server.base_url}", "")
    assert "127.0.0.1" not in written, written
    for client_port in client_ports:
        assert not re.search(rf"\b{client_port}\b", written), written
