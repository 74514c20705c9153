"""Benchmark: does following 1,000 threads make the thread page or the board list dearer?

One run, on PostgreSQL, through the real views (the Flask test client: the session, the
page's queries, the template): a board of 1,000 threads of 6 posts; one member follows
all of them, with a read mark two posts in (four unread each), the other follows nothing
and has read nothing. Each page is fetched in rounds alternating between the two members
request by request, so drift and the machine's other load stay out of the comparison;
then 50 more posts land in the thread and the board, and the SQL statements per request
are counted again (before_cursor_execute): the count must not grow with the threads
followed nor with the posts.

    .venv/bin/python bench/unread.py [--threads 1000] [--rounds 15] [--requests 40]

Needs PostgreSQL on 127.0.0.1:5432 (LANTERN_BENCH_POSTGRES).
"""
import argparse
import statistics
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import database_url, migrated_database  # noqa: E402 (after the path is set)

from tests.helpers import count_queries

DB_NAME = "lantern_bench_unread"
DB_URL = database_url(DB_NAME)
PASSPHRASE = "a calm river at dusk"
POSTS = 6  # per thread
TARGET = 0.90  # throughput with 1,000 follows / with none


def _add_posts(thread_ids, author_id, count, now, first_key=None):
    """Core inserts of `count` replies in each thread (the benchmark times reading, not
    screening, so the posts are written straight to the tables)."""
    from sqlalchemy import func, insert, select, update

    from forum.extensions import db
    from forum.models import Post, Thread

    next_id = db.session.scalar(select(func.coalesce(func.max(Post.id), 0))) + 1
    rows = []
    for thread_id in thread_ids:
        for _ in range(count):
            rows.append({"id": next_id, "thread_id": thread_id, "author_id": author_id,
                         "parent_id": first_key.get(thread_id) if first_key else None,
                         "sort_key": (f"{first_key[thread_id]:010d}/" if first_key else "") + f"{next_id:010d}",
                         "depth": 1 if first_key else 0, "body_md": "Thinking of you.",
                         "body_html": "<p>Thinking of you.</p>", "created_at": now})
            next_id += 1
    db.session.execute(insert(Post), rows)
    db.session.execute(update(Thread).where(Thread.id.in_(thread_ids))
                       .values(post_count=Thread.post_count + count, last_post_at=now))
    db.session.execute(db.text("SELECT setval('post_id_seq', (SELECT max(id) FROM post))"))
    return rows


def build(threads):
    """The app, the two members' clients, the board's slug and the thread timed."""
    from sqlalchemy import func, insert, select

    from forum import create_app
    from forum.accounts.service import create_member
    from forum.extensions import db
    from forum.models import Board, Post, ReadMark, Thread, ThreadFollow, utcnow
    from forum.seed import seed_boards

    app = create_app({"SQLALCHEMY_DATABASE_URI": DB_URL, "ASYNC_MODE": "threading", "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "bench"})
    with app.app_context():
        seed_boards()
        board = db.session.scalar(select(Board).where(Board.slug == "depression"))
        author, _ = create_member("SteadyWriter", PASSPHRASE)
        follower, _ = create_member("FollowsAThousand", PASSPHRASE)
        create_member("FollowsNothing", PASSPHRASE)
        db.session.flush()
        now = utcnow()
        ids = db.session.scalars(insert(Thread).returning(Thread.id), [
            {"board_id": board.id, "author_id": author.id, "title": f"Thread {i}", "created_at": now,
             "last_post_at": now, "post_count": 0} for i in range(threads)]).all()
        openings = _add_posts(ids, author.id, 1, now)
        first_key = {row["thread_id"]: row["id"] for row in openings}
        _add_posts(ids, author.id, POSTS - 1, now, first_key)
        second = dict(db.session.execute(select(Post.thread_id, func.min(Post.id)).where(Post.parent_id.is_not(None))
                                         .group_by(Post.thread_id)).all())
        db.session.execute(insert(ThreadFollow), [{"member_id": follower.id, "thread_id": t, "following": True,
                                                   "created_at": now} for t in ids])
        db.session.execute(insert(ReadMark), [{"member_id": follower.id, "thread_id": t,
                                               "last_read_post_id": second[t], "updated_at": now} for t in ids])
        db.session.commit()
        timed = ids[-1]
    clients = {}
    for handle in ("FollowsNothing", "FollowsAThousand"):
        client = app.test_client()
        response = client.post("/login", data={"handle": handle, "passphrase": PASSPHRASE,
                                               "csrf_token": _csrf(client)})
        assert response.status_code == 302, response.status_code
        clients[handle] = client
    return app, clients, "depression", timed, ids


def _csrf(client):
    import re

    page = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def timed_get(client, url):
    start = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1000, help="threads the follower follows")
    parser.add_argument("--rounds", type=int, default=15, help="alternating rounds per page and member")
    parser.add_argument("--requests", type=int, default=40, help="requests in each round")
    args = parser.parse_args()
    migrated_database(DB_NAME, seed=False)
    app, clients, slug, timed, ids = build(args.threads)
    pages = {"thread page": f"/t/{timed}", "board list": f"/b/{slug}"}

    for client in clients.values():  # warm up; the follower's first visit moves its mark
        for url in pages.values():
            for _ in range(5):
                timed_get(client, url)
    counted = {(page, who): count_queries(app, client, url) for page, url in pages.items()
               for who, client in clients.items()}
    # Request by request, the two members in turn (the machine's load changes by the second):
    # a round's rate is its requests over their summed time, and the table shows the median round.
    rates = {(page, who): [] for page in pages for who in clients}
    for _ in range(args.rounds):
        for page, url in pages.items():
            spent = dict.fromkeys(clients, 0.0)
            for _ in range(args.requests):
                for who, client in clients.items():
                    spent[who] += timed_get(client, url)
            for who in clients:
                rates[(page, who)].append(args.requests / spent[who])

    # More posts in the thread timed and across the board: the statements stay the same.
    from sqlalchemy import select

    from forum.extensions import db
    from forum.models import Member, utcnow

    with app.app_context():
        author_id = db.session.scalar(select(Member.id).where(Member.handle == "SteadyWriter"))
        _add_posts([timed] + ids[:49], author_id, 1, utcnow())
        db.session.commit()
    for client in clients.values():
        client.get(pages["thread page"])  # (the new post moves the marks once)
    grown = {(page, who): count_queries(app, client, url) for page, url in pages.items()
             for who, client in clients.items()}

    print(f"{args.threads} threads of {POSTS} posts on one board; PostgreSQL; Flask test client, one process; "
          f"{args.rounds} alternating rounds of {args.requests} requests")
    print(f"{'page':12} {'member':18} {'req/s':>8} {'vs none':>8} {'SQL/req':>8} {'+50 posts':>10}")
    worst = 1.0
    for page in pages:
        reference = statistics.median(rates[(page, "FollowsNothing")])
        for who in clients:
            median = statistics.median(rates[(page, who)])
            worst = min(worst, median / reference)
            print(f"{page:12} {who:18} {median:8.1f} {median / reference:8.0%} {counted[(page, who)]:8d} "
                  f"{grown[(page, who)]:10d}")
    constant = all(counted[key] == grown[key] for key in counted) and all(
        counted[(page, "FollowsAThousand")] == counted[(page, "FollowsNothing")] for page in pages)
    print(f"throughput with {args.threads} follows / none, worst page: {worst:.0%} "
          f"(target >= {TARGET:.0%}: {'met' if worst >= TARGET else 'NOT met'}); "
          f"SQL per request constant: {'yes' if constant else 'NO'}")


if __name__ == "__main__":
    main()
