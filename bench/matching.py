"""Benchmark: how long does matching's candidate query take, with 200 mentors and 2,000?

On PostgreSQL, built by the real migrations: mentors offering 3 to 6 of the topics, in
English and perhaps one other language, each with 0 to 2 active mentees, some with past fit
ratings (the query's subqueries must count them) and a few blocks. Then `--requests`
requests of 1 or 2 topics each ask forum.mentoring.matching.candidates() for the top 5;
each call is one SQL statement (checked), timed alone. Prints p50 and p99 per mentor count.

    .venv/bin/python bench/matching.py [--mentors 200 2000] [--requests 500]

Needs PostgreSQL on 127.0.0.1:5432 (LANTERN_BENCH_POSTGRES).
"""
import argparse
import random
import statistics
import sys
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import database_url, migrated_database  # noqa: E402 (after the path is set)
DB_NAME = "lantern_bench_matching"
DB_URL = database_url(DB_NAME)


def populate(count, rng):
    """`count` mentors with loads, fit ratings and blocks; returns the askers' ids."""
    from sqlalchemy import insert

    from forum.extensions import db
    from forum.models import MENTOR_TOPICS, Block, MentoringPair, MentoringSession, Room, utcnow
    from tests.mentoring.mentor_fixtures import add_members, add_mentors

    topics = list(MENTOR_TOPICS)
    ids = add_mentors([{"handle": f"Mentor{count}x{i}", "topics": rng.sample(topics, rng.randint(3, 6)),
                        "languages": ["en"] + rng.sample(["es", "fr", "de", "pl"], rng.randint(0, 1))}
                       for i in range(count)])
    askers = list(add_members([f"Asker{count}x{i}" for i in range(count * 2)]).values())
    now = utcnow()
    rooms, pairs = [], []
    for n, mentor_id in enumerate(ids.values()):
        for k in range(rng.randint(0, 2)):
            rooms.append({"slug": f"bench-{count}-{n}-{k}", "title": "Mentoring", "kind": "mentoring",
                          "member_id": askers[(n + k) % len(askers)], "created_at": now})
    room_ids = db.session.execute(insert(Room.__table__).returning(Room.__table__.c.id), rooms).scalars().all()
    for room_id, room in zip(room_ids, rooms, strict=True):
        mentor_id = list(ids.values())[int(room["slug"].split("-")[2])]
        pairs.append({"mentor_id": mentor_id, "mentee_id": room["member_id"], "room_id": room_id, "started_at": now,
                      "goals_summary": ""})
    pair_ids = db.session.execute(insert(MentoringPair.__table__).returning(MentoringPair.__table__.c.id),
                                  pairs).scalars().all()
    db.session.execute(insert(MentoringSession.__table__), [
        {"pair_id": p, "started_at": now, "fit": rng.choice(["helpful", "helpful", "not_for_me"])} for p in pair_ids])
    db.session.execute(insert(Block.__table__), [
        {"blocker_id": rng.choice(askers), "blocked_id": rng.choice(list(ids.values())), "created_at": now}
        for _ in range(count // 10)])
    db.session.commit()
    return askers, topics


def measure(askers, topics, requests, rng):
    from sqlalchemy import event

    from forum.extensions import db
    from forum.mentoring import matching
    from tests.mentoring.mentor_fixtures import request_for

    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *_: statements.append(1))
    timings = []
    for _ in range(requests):
        request = request_for(rng.choice(askers), rng.sample(topics, rng.randint(1, 2)),
                              "en" if rng.random() < .85 else rng.choice(["es", "fr", "de", "pl"]))
        statements.clear()
        started = time.perf_counter()
        matching.candidates(request)
        timings.append(time.perf_counter() - started)
        assert len(statements) == 1, f"candidates() ran {len(statements)} statements"
        db.session.rollback()
    return sorted(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentors", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    from forum import create_app
    from forum.extensions import db

    migrated_database(DB_NAME, seed=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": DB_URL, "SCREENING_MODEL": "off", "ASYNC_MODE": "threading"})
    rng = random.Random(15)
    print(f"matching.candidates() on PostgreSQL, top 5, {args.requests} requests each (one statement per call)")
    with app.app_context():
        total = 0
        for count in args.mentors:
            askers, topics = populate(count, rng)
            total += count  # each run adds to the last: 200, then 2,200
            measure(askers, topics, 20, rng)  # warm the pool and the plan cache
            timings = measure(askers, topics, args.requests, rng)
            p99 = timings[min(len(timings) - 1, int(len(timings) * .99))]
            print(f"  {total:>5} mentors: p50 {statistics.median(timings) * 1000:6.2f} ms   p99 {p99 * 1000:6.2f} ms")
            db.session.remove()


if __name__ == "__main__":
    main()
