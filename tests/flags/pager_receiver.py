"""A stand-in for the on-call pager: a real HTTP server on a free local port, in a thread of
the test process, that counts every request it gets."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """Answers each POST with the next status of its script (the last one repeats), after
    holding it `hold` seconds (or until `close`). `requests` keeps every request in the
    order it arrived: (status, body, headers)."""

    def __init__(self, *answers, hold=0.0):
        self.requests = []
        self._script, self._hold = list(answers or (200,)), hold
        self._changed = threading.Condition()
        self._closing = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with receiver._changed:
                    status = receiver._script.pop(0) if len(receiver._script) > 1 else receiver._script[0]
                    hold = receiver._hold
                    receiver.requests.append((status, body, dict(self.headers)))
                    receiver._changed.notify_all()
                if hold:
                    receiver._closing.wait(hold)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender was killed while we held its request
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/page"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, *answers, hold=0.0):
        """From the next request on: answer with these statuses (the last one repeats)."""
        with self._changed:
            self._script, self._hold = list(answers), hold

    @property
    def accepted(self):
        """The bodies of the requests answered with a 2xx."""
        with self._changed:
            return [body for status, body, _ in self.requests if 200 <= status < 300]

    def wait_for(self, count, timeout=15):
        """Wait until at least `count` requests have arrived; returns them all."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"the pager got {len(self.requests)} requests, not {count}, in {timeout}s")
                self._changed.wait(remaining)
            return list(self.requests)

    def close(self):
        self._closing.set()
        self.server.shutdown()
        self.server.server_close()
