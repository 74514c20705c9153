"""When a service the forum needs is away (PostgreSQL, Redis): one line for the operator
when it goes, one when it is back, never one per request; and the rate limiter that keeps
counting in this process's memory meanwhile.

Each `Outage` belongs to one process and one service. The lines name the service and the
error, never a member or a client address."""
import logging
import threading
import time

from limits.errors import StorageError
from limits.storage import MemoryStorage

log = logging.getLogger(__name__)

# While the rate-limit storage is away, look for it again at most this often (a request
# that looks pays at most the connect timeout; the others count in memory at once).
PROBE_SECONDS = 5


def describe(error):
    """An error in one short line: its kind and the first line of its text."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return f"{type(error).__name__}: {text[:200]}" if text else type(error).__name__


class Outage:
    """One service's state in this process: `down(error)` logs the first failure of an
    outage, `up()` logs its end; both are silent otherwise, and cheap when nothing changed."""

    def __init__(self, service, meanwhile):
        self.service, self.meanwhile = service, meanwhile
        self.since = None  # time.monotonic() of the first failure, while it lasts
        self._lock = threading.Lock()

    @property
    def active(self):
        return self.since is not None

    def down(self, error):
        """Note a failure; True (and one log line) when it starts an outage."""
        if self.since is not None:
            return False
        with self._lock:
            if self.since is not None:
                return False
            self.since = time.monotonic()
        log.error("%s is unreachable (%s). %s Logged once; another line follows when it is back.",
                  self.service, describe(error), self.meanwhile)
        return True

    def up(self):
        """Note a success; True (and one log line) when it ends an outage."""
        if self.since is None:
            return False
        with self._lock:
            if self.since is None:
                return False
            lasted, self.since = time.monotonic() - self.since, None
        log.warning("%s is back after %d seconds.", self.service, round(lasted))
        return True


class FallbackRateLimiter:
    """A `limits` rate limiter that counts in this process's memory while its storage (Redis)
    is unreachable, and in the storage again once it answers: a limit then holds per process
    instead of across processes, and no member ever sees an error because Redis went away.

    Flask-Limiter's own in-memory fallback covers only limits declared with its decorators;
    Lantern checks its limits inside views (to keep what the member typed), so it wraps the
    strategy instead. Needs the storage built with `wrap_exceptions=True`."""

    def __init__(self, primary):
        self.primary = primary
        self.memory = type(primary)(MemoryStorage())
        self.outage = Outage("The rate-limit storage (Redis)",
                             "Rate limits count in each process's memory meanwhile (per process, not shared).")
        self._next_probe = 0.0

    def _call(self, method, *args, **kwargs):
        if self.outage.active and time.monotonic() < self._next_probe:
            return getattr(self.memory, method)(*args, **kwargs)
        try:
            result = getattr(self.primary, method)(*args, **kwargs)
        except StorageError as error:
            self.outage.down(error.storage_error)
            self._next_probe = time.monotonic() + PROBE_SECONDS
            return getattr(self.memory, method)(*args, **kwargs)
        self.outage.up()
        return result

    def hit(self, item, *identifiers, cost=1):
        return self._call("hit", item, *identifiers, cost=cost)

    def test(self, item, *identifiers, cost=1):
        return self._call("test", item, *identifiers, cost=cost)

    def get_window_stats(self, item, *identifiers):
        return self._call("get_window_stats", item, *identifiers)

    def clear(self, item, *identifiers):
        return self._call("clear", item, *identifiers)


# This process's view of the database: forum.errors notes failures (a calm 503 page for
# members), an engine "connect" event notes the return (forum/__init__.py).
DATABASE = Outage("The database", "Pages answer 503 with a calm page; /help still shows the crisis lines.")
