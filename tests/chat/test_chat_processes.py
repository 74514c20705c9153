"""Several server processes sharing PostgreSQL (or SQLite) and Redis; a process killed
mid-conversation; and the eventlet opt-in."""
import threading
import uuid

import pytest
from sqlalchemy import func, select

from tests.chat.chat_fixtures import (ADMIN, MEMBER, MODERATOR, OTHER, chat_app, peers, redis_url, room_id,  # noqa: F401
                           serve)
from forum.extensions import db
from forum.models import Message

pytestmark = pytest.mark.services


def test_two_processes_share_rooms_through_redis(chat_app, serve, peers, redis_url):
    room = room_id(chat_app)
    first, second = serve(count=2, redis_url=redis_url)
    here, there = peers(first, MEMBER), peers(second, OTHER)
    here.join(room)
    assert there.join(room)["presence"] == sorted([MEMBER, OTHER], key=str.casefold)  # presence spans processes
    sent = here.send(room, "Hello from the first process")["message"]
    assert there.wait_for("message", lambda m: m["id"] == sent["id"])["author"] == MEMBER
    assert there.call("typing", {"room_id": room, "typing": True})["ok"]
    here.wait_for("typing", lambda t: t["handle"] == OTHER and t["typing"])


def _keep_sending(peer, room, acked, unacked, stop):
    """Send until the connection dies: acked ids in `acked`, the rest in `unacked`."""
    while not stop.is_set():
        client_id = uuid.uuid4().hex
        try:
            answer = peer.call("send", {"room_id": room, "body": f"steady {client_id[:6]}", "client_id": client_id},
                               timeout=3)
        except Exception:  # the process died under us: this one is unacknowledged
            unacked.append(client_id)
            return
        if answer["ok"]:
            acked[client_id] = answer["message"]["id"]
        else:
            unacked.append(client_id)


def test_sigkill_loses_no_acked_message_and_duplicates_none(chat_app, serve, peers, redis_url):
    room = room_id(chat_app)
    doomed, survivor = serve(count=2, redis_url=redis_url)
    watcher = peers(survivor, OTHER)  # stays up throughout
    watcher.join(room)
    reader = peers(doomed, ADMIN)  # loses its server, comes back to the other one
    reader.join(room)
    senders = {MEMBER: peers(doomed, MEMBER), MODERATOR: peers(doomed, MODERATOR)}
    acked, unacked, stop = {}, {handle: [] for handle in senders}, threading.Event()
    for sender in senders.values():
        sender.join(room)
    threads = [threading.Thread(target=_keep_sending, args=(s, room, acked, unacked[h], stop))
               for h, s in senders.items()]
    for thread in threads:
        thread.start()
    watcher.wait_for("message", lambda m: len(acked) >= 20, timeout=30)  # a steady stream is flowing

    doomed.kill()
    for thread in threads:
        thread.join(15)
    stop.set()
    before_kill = dict(acked)
    seen_by_reader = [m["id"] for m in reader.messages()]

    # Every acknowledged message was committed before its ack: it is in the database.
    with chat_app.app_context():
        stored = dict(db.session.execute(select(Message.client_id, Message.id)).all())
    assert set(before_kill.items()) <= set(stored.items())

    # The senders come back (to the surviving process) and retry what was never acked,
    # with the same client ids, as the page's outbox does.
    for handle in senders:
        fresh = peers(survivor, handle)
        fresh.join(room)
        for client_id in unacked[handle]:
            answer = fresh.send(room, "retried", client_id=client_id)
            assert answer["ok"]
            acked[client_id] = answer["message"]["id"]
    with chat_app.app_context():
        per_client = db.session.execute(
            select(Message.client_id, func.count()).group_by(Message.member_id, Message.client_id)).all()
        total = db.session.scalar(select(func.count()).select_from(Message))
    assert all(count == 1 for _, count in per_client), "a retry never stores a second copy"
    assert set(acked) <= {cid for cid, _ in per_client} and total == len(per_client)

    # The reader reconnects and catches up from the last id it saw: together, what it saw
    # live and what it was sent now are every stored message, each exactly once.
    back = peers(survivor, ADMIN).join(room, after=max(seen_by_reader))
    everything = seen_by_reader + [m["id"] for m in back["messages"]]
    assert len(everything) == len(set(everything))
    assert set(acked.values()) <= set(everything)
    with chat_app.app_context():
        all_ids = set(db.session.scalars(select(Message.id)))
    assert set(everything) == all_ids

    # The watcher on the surviving process, which stayed connected throughout, has every
    # stored message: one the dead process committed but never broadcast reaches it with
    # its sender's retry (forum.chat.messages._retry). One that was broadcast and then
    # retried may come twice, always with the same id, which the page keeps once.
    for message_id in all_ids:
        watcher.wait_for("message", lambda m, i=message_id: m["id"] == i)
    watched = [m["id"] for m in watcher.messages()]
    assert set(watched) == all_ids


def test_eventlet_opt_in_serves_the_chat(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve(FORUM_ASYNC_MODE="eventlet")
    sender, reader = peers(server, MEMBER), peers(server, OTHER)
    sender.join(room), reader.join(room)
    sent = sender.send(room, "served by eventlet")
    assert sent["ok"] and sent["created"]
    reader.wait_for("message", lambda m: m["id"] == sent["message"]["id"])
