"""Benchmark: does telling a thread's 200 participants slow the reply that tells them?

One run, on PostgreSQL (and Redis as the Socket.IO message queue, when it answers): a
thread with 200 participants (each follows it: writing in a thread follows it); one member
then posts replies through the real reply view (the Flask test client: screening, the
write, the commit, the redirect), alternating
between the shipped code, which writes ~200 notifications in one INSERT ... SELECT (in the
reply's transaction: they commit with it) and pokes their pages with one event to all their
rooms after the commit, and the same code with notifying switched off.
Alternating keeps drift (the thread and the tables grow) out of the comparison.

    .venv/bin/python bench/notify.py [--replies 300] [--participants 200]

Needs PostgreSQL on 127.0.0.1:5432 (LANTERN_BENCH_POSTGRES); Redis at LANTERN_BENCH_REDIS
(default redis://127.0.0.1:6379/14) is used when it answers.
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import database_url, migrated_database  # noqa: E402 (after the path is set)
REDIS_URL = os.environ.get("LANTERN_BENCH_REDIS", "redis://127.0.0.1:6379/14")
DB_NAME = "lantern_bench_notify"
DB_URL = database_url(DB_NAME)
PASSPHRASE = "a calm river at dusk"
# Telling 200 people costs their rows, written in the reply's own transaction; the rest of
# the telling (the live events, what each page shows) must not weigh on the reply.
TARGET = 1.25


def redis_or_none():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
        return REDIS_URL
    except redis.exceptions.ConnectionError:
        return None


def build(participants):
    """The app, a logged-in client for the replier, and a thread with `participants`."""
    from sqlalchemy import select

    from forum import create_app
    from forum.accounts.service import create_member
    from forum.boards import service
    from forum.extensions import db
    from forum.models import Board, Member
    from forum.seed import seed_boards

    redis_url = redis_or_none()
    app = create_app({"SQLALCHEMY_DATABASE_URI": DB_URL, "ASYNC_MODE": "threading", "REDIS_URL": redis_url,
                      "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"})
    with app.app_context():
        seed_boards()
        board = db.session.scalar(select(Board).where(Board.slug == "depression"))
        people = [Member(handle=f"Bench{i:03d}", handle_key=f"bench{i:03d}") for i in range(participants)]
        db.session.add_all(people)
        replier, _ = create_member("SteadyReplier", PASSPHRASE)
        db.session.flush()
        opening, _ = service.create_thread(board, people[0], "Two hundred voices", "How is everyone this week?")
        for person in people[1:]:
            service.reply(opening.thread, person, "Checking in: one day at a time.")
        db.session.commit()
        thread_id = opening.thread_id
    client = app.test_client()
    response = client.post("/login", data={"handle": "SteadyReplier", "passphrase": PASSPHRASE})
    assert response.status_code == 302, response.status_code
    return app, client, thread_id, redis_url


def p(samples, q):
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=300, help="replies timed in each mode")
    parser.add_argument("--participants", type=int, default=200)
    args = parser.parse_args()
    migrated_database(DB_NAME, seed=False)
    app, client, thread_id, redis_url = build(args.participants)

    from sqlalchemy import func, select

    from forum.boards import service
    from forum.extensions import db
    from forum.models import Notification

    notifying = service.notifications.posted
    times = {"notifying": [], "not notifying": []}

    def post(i):
        start = time.perf_counter()
        response = client.post(f"/t/{thread_id}/reply", data={"body": f"Thank you all, reply {i}."})
        elapsed = time.perf_counter() - start
        assert response.status_code == 302, response.status_code
        return elapsed * 1000

    for i in range(20):  # warm up both paths
        post(-i)
    for i in range(args.replies * 2):
        mode = "notifying" if i % 2 == 0 else "not notifying"
        service.notifications.posted = notifying if mode == "notifying" else (lambda *a, **k: [])
        times[mode].append(post(i))
    service.notifications.posted = notifying
    with app.app_context():
        told = db.session.scalar(select(func.count()).select_from(Notification))

    print(f"reply to a thread with {args.participants} participants; {args.replies} replies each way, alternating; "
          f"PostgreSQL, Socket.IO queue: {'Redis' if redis_url else 'none (Redis not answering)'}")
    print(f"{'mode':16} {'p50 ms':>8} {'p99 ms':>8}")
    for mode, samples in times.items():
        print(f"{mode:16} {statistics.median(samples):8.2f} {p(samples, 99):8.2f}")
    ratio = p(times["notifying"], 99) / p(times["not notifying"], 99)
    print(f"p99 notifying / not notifying: {ratio:.2f}  ({told} notifications written); "
          f"target <= {TARGET:.2f}: {'met' if ratio <= TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
