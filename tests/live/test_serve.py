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
