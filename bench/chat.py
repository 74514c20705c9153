"""Chat benchmark: Lantern's full chat path against a bare Flask-SocketIO broadcast server and
a minimal Node.js socket.io server, under the same load, side by side.

    python bench/chat.py [--sizes 50,200,500] [--procs 1] [--paced 10] [--saturate 8]

For each server and each N: N socket.io clients join one room. They are made by a Node
load generator (bench/node/load.js, --procs processes, default one), which holds hundreds
of clients on a fraction of a core, so the server, not the generator, is measured. Paced:
every client sends one message every 5 s. Saturation (once the paced backlog, if any, has
been delivered): 10 clients send as fast as their acks come back. Rates count deliveries
that arrive within 1 s of their phase's end; latencies include later ones. Every client receives every broadcast; the body carries the send time, so
each delivery gives a send→receive latency. Memory per connection is the server's RSS
growth / N after the clients connect and join.

Lantern runs as in production: `python wsgi.py` (gevent), PostgreSQL (a scratch database),
login sessions, same-origin check, screening, storage, ack, broadcast. Its per-member rate
limit is lifted for the run (it would otherwise refuse the saturation phase by design).
Needs PostgreSQL (LANTERN_BENCH_POSTGRES) and `npm ci` in bench/node. Lantern's clients
log in with the session cookies made here, passed to the generator in a scratch file.
"""
import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGRES = os.environ.get("LANTERN_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
PACE_SECONDS = 5
SATURATING_SENDERS = 10
SECRET = "bench-secret"
NODE_DIR = ROOT / "bench" / "node"


# ----- the bare Flask-SocketIO reference server ----------------------------------------

def serve_bare(port):
    from gevent import monkey

    monkey.patch_all()
    from flask import Flask
    from flask_socketio import SocketIO, join_room

    app = Flask(__name__)
    sio = SocketIO(app, async_mode="gevent", max_http_buffer_size=64 * 1024)
    counter = {"id": 0}

    @sio.on("join")
    def join(data):
        join_room(f"room:{data['room_id']}")
        return {"ok": True, "messages": []}

    @sio.on("send")
    def send(data):
        counter["id"] += 1
        message = {"id": counter["id"], "room_id": data["room_id"], "client_id": data["client_id"], "html": data["body"]}
        sio.emit("message", message, to=f"room:{data['room_id']}")
        return {"ok": True, "message": message, "created": True}

    sio.run(app, host="127.0.0.1", port=port, log_output=False)


# ----- servers -----------------------------------------------------------------------

def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def wait_port(port, process, timeout=30):
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on {port} exited")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"server on {port} did not start")


class Lantern:
    """A scratch PostgreSQL database with N members and their login sessions (made
    directly, so that the bench measures chat, not argon2), and `python wsgi.py`."""

    name = "Lantern (full path)"

    def __init__(self, max_clients):
        import psycopg

        self.db = f"lantern_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.db}"')
        self.url = POSTGRES.rsplit("/", 1)[0] + "/" + self.db
        self.env = dict(os.environ, FORUM_DATABASE_URL=self.url, FORUM_SECRET_KEY=SECRET,
                        FORUM_LIMIT_CHAT="100000 per second", FORUM_LIMIT_CHAT_TYPING="100 per second",
                        FORUM_SOCKETIO_CHANNEL=f"bench-{uuid.uuid4().hex}")
        self.env.pop("FORUM_REDIS_URL", None)
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        subprocess.run(flask + ["seed"], cwd=ROOT, env=self.env, check=True, capture_output=True)
        self.cookies, self.room_id = self._members(max_clients)

    def _members(self, count):
        os.environ.update({k: v for k, v in self.env.items() if k.startswith("FORUM_")})
        from sqlalchemy import insert, select

        from forum import create_app
        from forum.accounts import service
        from forum.extensions import db
        from forum.models import LoginSession, Member, Room

        app = create_app({"ASYNC_MODE": "threading"})
        cookies = []
        with app.app_context():
            template, _ = service.create_member("BenchPeer0", "bench passphrase")
            db.session.execute(insert(Member), [
                {"handle": f"BenchPeer{i}", "handle_key": f"benchpeer{i}", "passphrase_hash": template.passphrase_hash,
                 "role": "member"} for i in range(1, count)])
            ids = db.session.scalars(select(Member.id).order_by(Member.id)).all()
            serializer = app.session_interface.get_signing_serializer(app)
            tokens = []
            for member_id in ids:
                token = secrets.token_urlsafe(32)
                tokens.append({"token_hash": service._token_hash(token), "member_id": member_id})
                cookie = serializer.dumps({"sid": token, "_user_id": str(member_id), "_fresh": True})
                cookies.append(f"lantern_session={cookie}")
            db.session.execute(insert(LoginSession), tokens)
            room_id = db.session.scalar(select(Room.id).where(Room.slug == "evening-wind-down"))
            db.session.commit()
            db.engine.dispose()
        return cookies, room_id

    def start(self):
        self.port = free_port()
        env = dict(self.env, FORUM_PORT=str(self.port))
        self.process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.process)

    def close(self):
        import psycopg

        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


class Bare:
    name = "bare Flask-SocketIO"
    cookies, room_id = None, 1

    def start(self):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, __file__, "--serve-bare", str(self.port)], cwd=ROOT,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.process)

    def close(self):
        pass


class Node:
    name = "Node socket.io"
    cookies, room_id = None, 1

    def start(self):
        self.port = free_port()
        self.process = subprocess.Popen(["node", "server.js", str(self.port)], cwd=NODE_DIR,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port, self.process)

    def close(self):
        pass


# ----- the load generator (bench/node/load.js) -----------------------------------------

def run(target, n, procs, paced_s, saturate_s):
    """One server, N clients: returns the rates, latencies and memory per connection."""
    target.start()
    workers, scratch = [], Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    try:
        url = f"http://127.0.0.1:{target.port}"
        base_rss = rss_kb(target.process.pid)
        cookies = target.cookies[:n] if target.cookies else [None] * n
        shares = [cookies[i::procs] for i in range(procs)]
        senders = [len(share) * SATURATING_SENDERS // n for share in shares]
        senders[0] += SATURATING_SENDERS - sum(senders)
        for i, share in enumerate(shares):
            config = scratch / f"load{i}.json"
            # The cookies go in a file in a private (0700) scratch directory, not on a command line.
            config.write_text(json.dumps({
                "url": url, "cookies": share if target.cookies else None, "count": len(share),
                "room_id": target.room_id, "pace_s": PACE_SECONDS, "paced_s": paced_s, "saturate_s": saturate_s,
                "saturating": senders[i], "out": str(scratch / f"out{i}.json")}))
            workers.append(subprocess.Popen(["node", "load.js", str(config)], cwd=NODE_DIR, text=True,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE))
        connected = sum(_line(w, "ready", 300) for w in workers)
        rss_per_conn = (rss_kb(target.process.pid) - base_rss) / connected
        _start(workers, time.time() + 1)
        # Saturation starts once every generator has heard the paced backlog out (an
        # overloaded server is still sending it), so that it measures a fresh start.
        for w in workers:
            _line(w, "drained", paced_s + 120)
        _start(workers, time.time() + 1)
        for w in workers:
            _line(w, "done", saturate_s + 120)
            w.wait(30)
        parts = [json.loads((scratch / f"out{i}.json").read_text()) for i in range(len(workers))]
        paced = [x for p in parts for x in p["paced"]]
        sat = [x for p in parts for x in p["saturate"]]
        paced_in_time = sum(p["in_time"]["paced"] for p in parts)
        sat_in_time = sum(p["in_time"]["saturate"] for p in parts)
        return {
            "paced_rate": paced_in_time / paced_s, "paced_p50": pct(paced, 50), "paced_p99": pct(paced, 99),
            "sat_rate": sat_in_time / saturate_s, "sat_p50": pct(sat, 50), "sat_p99": pct(sat, 99),
            "kb_per_conn": rss_per_conn, "errors": sum(p["errors"] for p in parts),
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
        target.process.terminate()
        target.process.wait(10)


def _start(workers, at):
    for w in workers:
        w.stdin.write(f"{at:.6f}\n")
        w.stdin.flush()


def _line(worker, key, timeout):
    """The value of `key` in the next JSON line a load generator prints."""
    timer = threading.Timer(timeout, worker.kill)  # a stuck generator ends the run, not the bench
    timer.start()
    try:
        line = worker.stdout.readline()
    finally:
        timer.cancel()
    if not line:
        raise SystemExit(f"load generator exited ({worker.wait()}) before '{key}'")
    return json.loads(line)[key]


def pct(values, p):
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--procs", type=int, default=1, help="load generator (Node) processes")
    parser.add_argument("--paced", type=float, default=10, help="seconds of paced load (one message / 5 s / client)")
    parser.add_argument("--saturate", type=float, default=8, help="seconds of saturation")
    parser.add_argument("--serve-bare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        return serve_bare(args.serve_bare)
    sizes = [int(s) for s in args.sizes.split(",")]
    lantern = Lantern(max(sizes))
    targets = [lantern, Bare(), Node()]
    table = {}
    header = (f"{'server':<22}{'N':>5}{'paced msg/s':>13}{'p50 ms':>9}{'p99 ms':>9}"
              f"{'sat msg/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'KiB/conn':>10}{'errors':>8}")
    print(header + "\n" + "-" * len(header), flush=True)
    try:
        for n in sizes:
            for target in targets:
                r = table[(target.name, n)] = run(target, n, args.procs, args.paced, args.saturate)
                print(f"{target.name:<22}{n:>5}{r['paced_rate']:>13.0f}{r['paced_p50']:>9.1f}{r['paced_p99']:>9.1f}"
                      f"{r['sat_rate']:>11.0f}{r['sat_p50']:>9.1f}{r['sat_p99']:>9.1f}{r['kb_per_conn']:>10.1f}"
                      f"{r['errors']:>8}", flush=True)
    finally:
        lantern.close()
    print("\nsaturation throughput ratios (delivered messages/s):")
    for n in sizes:
        full = table[(lantern.name, n)]["sat_rate"]
        bare, node = table[(Bare.name, n)]["sat_rate"], table[(Node.name, n)]["sat_rate"]
        print(f"  N={n:<4} Lantern / bare Flask-SocketIO = {full / bare:.0%} (target >= 60%)   "
              f"Lantern / Node socket.io = {full / node:.0%} (target >= 40%)")
    p99 = table.get((lantern.name, 200), {}).get("paced_p99")
    if p99 is not None:
        print(f"  Lantern p99 at 200 clients, one message / 5 s each: {p99:.0f} ms (target < 150 ms)")


if __name__ == "__main__":
    main()
