"""The Redis message queue that lets several server processes share rooms, made to come
back quickly from a Redis outage and to say so to the clients.

python-socketio's RedisManager waits 1, 2, 4 ... up to 60 s between tries to subscribe
again, so a process stays deaf to the others for up to half a minute after Redis returns;
and what was published meanwhile is lost, with nobody told. `RedisQueue` tries again
every few seconds at most, logs one line per outage (forum.outages), and once subscribed
again tells its own clients to catch up: the chat asks for every message after the last
id it saw (static/chat.js), the moderation queue reloads itself from the table."""
import time

import socketio
from redis.backoff import NoBackoff
from redis.retry import Retry

from .outages import Outage

BACKOFF_MAX_SECONDS = 2  # longest wait between two tries to subscribe again
CATCH_UP = "catch_up"  # the event each process's clients get after an outage
NAMESPACES = ("/", "/moderation", "/notifications")


class RedisQueue(socketio.RedisManager):
    """socketio.RedisManager (python-socketio 5.18) with a capped reconnect backoff and a
    catch-up notice. It overrides RedisManager's listening loop and publish, whose shape
    is pinned with python-socketio in requirements.txt."""

    def __init__(self, url, channel, backoff_max=BACKOFF_MAX_SECONDS):
        # No silent retries inside redis-py: a lost connection must reach the loop below,
        # or a short outage would resubscribe without anyone catching up.
        super().__init__(url, channel=channel, redis_options={
            "retry": Retry(NoBackoff(), 0), "socket_connect_timeout": 2, "socket_keepalive": True})
        self.backoff_max = backoff_max
        self.outage = Outage(
            "The Socket.IO message queue (Redis)",
            "Chat and the live queue reach only people on the same process meanwhile; "
            "when it is back each process tells its clients to catch up.")

    def _redis_listen_with_retries(self):
        wait = min(1, self.backoff_max)
        subscribed = False
        while True:
            try:
                if not subscribed:
                    self._redis_connect()
                    self.pubsub.subscribe(self.channel)
                    subscribed, wait = True, min(1, self.backoff_max)
                    if self.outage.up():
                        self.tell_clients_to_catch_up()
                yield from self.pubsub.listen()
            except Exception as error:  # noqa: BLE001 - whatever Redis raised, try again
                self.outage.down(error)
                subscribed = False
                time.sleep(wait)
                wait = min(wait * 2, self.backoff_max)

    def _publish(self, data):
        for attempt in (1, 2):  # the first may meet a connection Redis dropped
            try:
                if not self.connected:
                    self._redis_connect()
                return self.redis.publish(self.channel, self.json.dumps(data))
            except Exception as error:  # noqa: BLE001
                self.connected = False
                if attempt == 2:
                    self.outage.down(error)
        return None

    def tell_clients_to_catch_up(self):
        """Every client of this process, in each namespace, is told to ask for what it missed
        (this process only: each process tells its own)."""
        for namespace in NAMESPACES:
            self.emit(CATCH_UP, {}, namespace=namespace, ignore_queue=True)
