"""How fast a crisis post reaches an on-duty moderator's live queue.

Starts Lantern (`python wsgi.py`, gevent) on PostgreSQL, signs a member and a trained,
on-duty moderator in, connects the moderator to the /moderation Socket.IO namespace, then
writes N crisis replies one after another and times each from the start of the POST to
the flag.new event arriving at the moderator. Plain replies go in between, so the thread
grows as a real one does.

    .venv/bin/python bench/flags.py [--posts 200]
"""
import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg
import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("LANTERN_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
DB_NAME = "lantern_bench_flags"
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
PASSPHRASE = "bench passphrase"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(env):
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    flask = [sys.executable, "-m", "flask", "--app", "forum"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["seed"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run(flask + ["create-moderator", "BenchKeeper", "--passphrase", PASSPHRASE], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    os.environ["FORUM_DATABASE_URL"] = DB_URL
    from forum import create_app
    from forum.accounts import service as accounts
    from forum.extensions import db
    from forum.models import Member, utcnow
    from moderation.admin import set_training
    from moderation.models import ModeratorProfile
    from sqlalchemy import select

    app = create_app()
    with app.app_context():
        keeper = db.session.scalar(select(Member).where(Member.handle == "BenchKeeper"))
        set_training(keeper, "moderator", date.today(), date.today() + timedelta(days=30), None)
        db.session.flush()
        db.session.get(ModeratorProfile, keeper.id).on_duty_since = utcnow()
        accounts.create_member("BenchMember", PASSPHRASE)
        db.session.commit()
        db.engine.dispose()


def login(base, handle):
    session = requests.Session()
    page = session.get(f"{base}/login").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = session.post(f"{base}/login", data={"handle": handle, "passphrase": PASSPHRASE, "csrf_token": token},
                            allow_redirects=False)
    assert response.status_code == 302, response.text
    return session, re.search(r'name="csrf-token" content="([^"]+)"', session.get(f"{base}/about").text).group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    args = parser.parse_args()
    port = free_port()
    env = dict(os.environ, FORUM_DATABASE_URL=DB_URL, FORUM_PORT=str(port), FORUM_SECRET_KEY="bench",
               FORUM_LIMIT_POST="100000 per second", FORUM_LIMIT_THREAD="100000 per second", FORUM_SWEEP_SECONDS="0")
    prepare(env)
    server = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/about", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        member, member_token = login(base, "BenchMember")
        keeper, _ = login(base, "BenchKeeper")
        arrived, seen = threading.Event(), []
        client = socketio.Client()

        @client.on("flag.new", namespace="/moderation")
        def on_flag(data):
            seen.append((time.perf_counter(), data["id"]))
            arrived.set()

        cookie = "; ".join(f"{c.name}={c.value}" for c in keeper.cookies)
        client.connect(base, namespaces=["/moderation"], headers={"Cookie": cookie}, transports=["websocket"])
        page = member.post(f"{base}/b/depression/new", data={
            "title": "Checking in", "body": "Hello all", "csrf_token": member_token}, allow_redirects=False)
        thread_url = base + page.headers["Location"] + "/reply"

        def write(body):
            start = time.perf_counter()
            response = member.post(thread_url, data={"body": body, "csrf_token": member_token}, allow_redirects=False)
            assert response.status_code == 302, response.status_code
            return start

        to_queue = []
        for i in range(args.posts):
            write(f"Just checking in, day {i}. Went for a walk.")
            arrived.clear()
            start = write(f"I want to kill myself tonight ({i})")
            if not arrived.wait(10):
                raise SystemExit(f"flag {i} never reached the moderator")
            to_queue.append((seen[-1][0] - start) * 1000)
        client.disconnect()
    finally:
        server.terminate()
        server.wait(10)

    def pct(values, q):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    print(f"\n{args.posts} posts, PostgreSQL, python wsgi.py (gevent), moderator on a websocket")
    print(f"{'':40} {'p50 ms':>8} {'p99 ms':>8}")
    print(f"{'crisis post written -> in live queue':40} {statistics.median(to_queue):8.1f} {pct(to_queue, .99):8.1f}")


if __name__ == "__main__":
    main()
