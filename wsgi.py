"""The server entry point: `app` for WSGI servers, and `python wsgi.py` to serve.

`python wsgi.py` serves the forum and Socket.IO with the production async server
(gevent by default, eventlet with FORUM_ASYNC_MODE=eventlet) on FORUM_HOST:FORUM_PORT.
For several processes, run gunicorn's gevent worker: `gunicorn -k gevent -w 1 wsgi:app`.
"""
import os

_mode = os.environ.get("FORUM_ASYNC_MODE", "gevent").strip().lower()  # read before any import: patching comes first
# numpy's BLAS (the screening model's neighbour search, a 4,495 x 384 product per message)
# would start a thread per core that spins while it waits: on a busy 2-core server that
# made the product ~10x slower (8 ms, not 0.8) and took a core from the event loop. One
# thread, as onnxruntime is given (moderation.screening.model). Set before numpy loads.
for _blas in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_blas, "1")
if __name__ == "__main__" and _mode == "gevent":
    from gevent import monkey

    monkey.patch_all()
elif __name__ == "__main__" and _mode == "eventlet":
    import eventlet

    eventlet.monkey_patch()

import gc  # noqa: E402
import re  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402

from forum import ScreeningModelMissing, create_app  # noqa: E402
from forum.config import ConfigError  # noqa: E402
from forum.extensions import socketio  # noqa: E402
from moderation.routing import start_sweeper  # noqa: E402

try:
    app = create_app()
except (ConfigError, ScreeningModelMissing) as error:
    sys.exit(str(error))  # a clear sentence, not a traceback
start_sweeper(app)  # flags past their SLA escalate even when nobody is looking
# What start-up made (the app, its templates, the screening model's objects: ~175,000)
# lives as long as the process. Left to the collector, every full collection walked it
# all again, ~65 ms in the middle of some request: the p99 of an export or a chat join.
# Frozen, it is never walked again; what requests make is collected as before.
gc.freeze()


class WithoutAddresses:
    """gevent's error log (a bad request, a WebSocket that ended oddly) without the client's
    address and port, which gevent writes into every such line: we never keep them."""

    _SOCKET = re.compile(r"<[^<>]*socket[^<>]*>: ")  # its repr may name both ends
    _FROM = re.compile(r" ?\(from \([^()]*\)\)")  # "(from ('203.0.113.9', 51234))"
    _ADDRESS = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-fA-F]*:[0-9a-fA-F:]+:[0-9a-fA-F]+\]?")

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        text = self._ADDRESS.sub("[address]", self._FROM.sub("", self._SOCKET.sub("", text)))
        self.stream.write(text)
        self.stream.flush()

    def flush(self):
        self.stream.flush()


def no_delay_handler():
    """gevent's WSGI handler with Nagle's algorithm off on each connection.

    gevent writes a response's headers and its body in two sends. On a kept-alive
    connection Nagle then holds the body back until the client acknowledges the headers,
    which the client delays by 40 ms (delayed ACK): every page after a browser's first
    took 40 ms longer than the work it needed (bench/scale.py showed it as 9 ms pages
    taking 50). Node and gunicorn turn Nagle off for the same reason."""
    from gevent.pywsgi import WSGIHandler

    class NoDelay(WSGIHandler):
        def __init__(self, sock, address, server, rfile=None):
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().__init__(sock, address, server, rfile)

    return NoDelay


def listening_url(host, port):
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


if __name__ == "__main__":
    host, port = app.config["HOST"], app.config["PORT"]
    print(f"Lantern is listening on {listening_url(host, port)}", flush=True)
    # No access log (log_output=False): it would record client addresses, which we never
    # keep. gevent's error log is kept, without them.
    server_options = {}
    if socketio.async_mode == "gevent":
        server_options = {"error_log": WithoutAddresses(sys.stderr), "handler_class": no_delay_handler()}
    socketio.run(app, host=host, port=port, log_output=False, **server_options)
