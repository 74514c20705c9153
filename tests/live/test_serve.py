"""`python wsgi.py` serves the forum and Socket.IO with the production async server."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited: {process.stderr.read().decode()}")
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


@pytest.fixture
def served(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'served.db'}"
    env = dict(os.environ, FORUM_DATABASE_URL=db_url, FORUM_PORT=str(free_port()), FORUM_SECRET_KEY="x")
    flask = [sys.executable, "-m", "flask", "--app", "forum"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["seed", "--demo"], cwd=ROOT, env=env, check=True, capture_output=True)
    process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    yield f"http://127.0.0.1:{env['FORUM_PORT']}", process
    process.terminate()
    process.wait(10)


def test_python_wsgi_serves_pages_and_socketio_with_gevent(served):
    base, process = served
    home = wait_for(base + "/", process)
    assert home.status == 200 and "Introductions" in home.read().decode()
    handshake = urllib.request.urlopen(base + "/socket.io/?EIO=4&transport=polling", timeout=5).read().decode()
    assert '"sid"' in handshake and "websocket" in handshake
    process.terminate()
    _, err = process.communicate(timeout=10)
    # No access log: it would write client addresses down.
    assert b"127.0.0.1" not in err and b"GET /" not in err


def test_pages_on_a_kept_alive_connection_are_not_held_back_by_nagle(served):
    """A browser keeps its connection open between pages. gevent sends a response's headers
    and body in two writes; with Nagle's algorithm on, the body waited for the client's
    delayed ACK, 40 ms on Linux, on every page after the first."""
    import http.client
    import statistics
    from urllib.parse import urlsplit

    base, process = served
    wait_for(base + "/about", process)
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=10)
    times = []
    for _ in range(9):
        started = time.perf_counter()
        connection.request("GET", "/about")
        response = connection.getresponse()
        assert response.status == 200 and b"Lantern" in response.read()
        times.append(time.perf_counter() - started)
    connection.close()
    # The same connection throughout (kept alive), and no 40 ms wait on any typical page.
    assert statistics.median(times[1:]) < 0.030, times


def test_chat_websockets_are_not_compressed_frame_by_frame(served):
    """Browsers offer per-message compression on every WebSocket. Accepted, the server
    deflated each frame for each socket on its own (a room's message to 200 members, 200
    times over) and kept a zlib state per connection: the server declines the offer."""
    import base64
    import secrets
    from urllib.parse import urlsplit

    base, process = served
    wait_for(base + "/about", process)
    host, port = urlsplit(base).hostname, urlsplit(base).port
    key = base64.b64encode(secrets.token_bytes(16)).decode()
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
                      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                      f"Sec-WebSocket-Key: {key}\r\n"
                      "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").encode())
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(4096)
            assert chunk, answer
            answer += chunk
    head = answer.split(b"\r\n\r\n")[0].decode().lower()
    assert head.startswith("http/1.1 101"), head  # the WebSocket opened
    assert "sec-websocket-extensions" not in head and "deflate" not in head, head
