"""EXPLAIN (ANALYZE, BUFFERS) every statement a page runs, at both of bench/scale.py's sizes.

HTTP timings on a shared machine are noisy; the planner's own execution times are not, and
they say which statement grows with the data. Requests the page in-process (Flask test
client, signed in as bench/scale.py's member or moderator if asked), captures each SELECT
with its parameters, and runs it again under EXPLAIN on a separate connection:

    .venv/bin/python bench/explain.py /b/<slug>?page=34             # a guest
    .venv/bin/python bench/explain.py /moderation --who BenchKeeper --plans
    .venv/bin/python bench/explain.py "/search?q=sleep" --sizes full --repeat 5

Prints, per size, each statement's execution time (the best of --repeat runs), its first
line and with --plans the whole plan. Needs the databases bench/scale.py seeded.
"""
import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scale import PASSPHRASE  # (after the path is set)
from bench.scratch import database_url


def captured(url, path, who):
    """The SELECT statements (with parameters) one request for `path` runs."""
    from sqlalchemy import event

    from forum import create_app
    from forum.extensions import db

    app = create_app({"DATABASE_URL": url, "ASYNC_MODE": "threading", "SECRET_KEY": "bench", "SWEEP_SECONDS": 0,
                      "LIMIT_LOGIN_FAILURES": "1000 per minute", "LIMIT_LOGIN_ACCOUNT": "1000 per minute"})
    with app.app_context():
        engine = db.engine
    client = app.test_client()
    if who:
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/about").text).group(1)
        assert client.post("/login", data={"handle": who, "passphrase": PASSPHRASE,
                                           "csrf_token": token}).status_code == 302
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            seen.append((statement, parameters))
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return app, engine, seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--who", help="sign in as this bench member (BenchKeeper, BenchMember)")
    parser.add_argument("--sizes", default="tenth,full")
    parser.add_argument("--repeat", type=int, default=3, help="EXPLAIN runs per statement (the best is shown)")
    parser.add_argument("--plans", action="store_true", help="print each plan in full")
    parser.add_argument("--min-ms", type=float, default=0.0, help="list only statements at least this slow")
    args = parser.parse_args()
    for size in args.sizes.split(","):
        url = database_url(f"lantern_bench_scale_{size}")
        app, engine, statements = captured(url, args.path, args.who)
        total = 0.0
        print(f"== {size}: {args.path} ({len(statements)} SELECTs)")
        with app.app_context():
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                for statement, parameters in statements:
                    best, plan = None, None
                    for _ in range(args.repeat):
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                        lines = [r[0] for r in cursor.fetchall()]
                        ms = float(next(line for line in lines if line.startswith("Execution Time")).split()[2])
                        if best is None or ms < best:
                            best, plan = ms, lines
                    raw.rollback()
                    total += best
                    if best < args.min_ms:
                        continue
                    first = " ".join(statement.split())[:110]
                    print(f"{best:9.3f} ms  {first}")
                    if args.plans:
                        print("\n".join("            " + line for line in plan))
            finally:
                raw.close()
            engine.dispose()
        print(f"{total:9.3f} ms  total")


if __name__ == "__main__":
    main()
