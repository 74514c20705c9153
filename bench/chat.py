"""Chat benchmark: Lantern's full chat path against a bare Flask-SocketIO broadcast server and
a minimal Node.js socket.io server, under the same load, side by side.

    python bench/chat.py [--sizes 50,200,500] [--repeats 3] [--procs 1] [--paced 10] [--saturate 8]
    python bench/chat.py --servers 2 [--sizes 200,500]   # scale-out: 1 vs 2 Lantern processes

Each configuration runs --repeats times (the repeats interleaved, so that drift from other
work on the machine reaches every server alike); the tables give the median and the spread
(min-max), and the ratios are taken between runs of the same repeat, then their median.

For each server and each N: N socket.io clients join one room. They are made by a Node
load generator (bench/node/load.js, --procs processes, default one), which holds hundreds
of clients on a fraction of a core, so the server, not the generator, is measured. Paced:
every client sends one message every 5 s. Saturation (once the paced backlog, if any, has
been delivered): 10 clients send as fast as their acks come back. Rates count deliveries
that arrive within 1 s of their phase's end; latencies include later ones. Every client receives every broadcast; the body carries the send time, so
each delivery gives a send→receive latency. Memory per connection is the server's RSS
growth / N after the clients connect and join.

Server CPU per 1,000 deliveries: the server process's own counters (/proc/<pid>/stat
utime+stime, its threads included: gevent's threadpool, onnxruntime; plus any waited-for
children), read just before the saturation phase and after it, divided by the deliveries
of that phase (all of them, late ones too). For Lantern, the PostgreSQL backends serving
its database (pg_stat_activity.datname, read from /proc the same way) are counted
separately ("+pg"). The Redis server is shared with other work on the machine, so its CPU
is not attributed to anyone.

Scale-out (--servers 2): Lantern with one process, then with two processes sharing the
PostgreSQL database and the Redis message queue, the clients split half and half between
them (as a load balancer would: at least one load generator per server), in the same
repeat. Target: two processes deliver >= 1.6x one process's deliveries/s.

Lantern runs as in production: `python wsgi.py` (gevent), PostgreSQL (a scratch database),
the Redis message queue and rate-limit storage (LANTERN_BENCH_REDIS, a unique channel),
login sessions, same-origin check, screening (rules and the learned ONNX model: the bench
sets FORUM_SCREENING_MODEL=on and checks that the server has onnxruntime loaded), storage,
ack, broadcast. Its per-member rate
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
REDIS = os.environ.get("LANTERN_BENCH_REDIS", "redis://127.0.0.1:6379/0")
TARGET_RATIO, TARGET_MEMORY, TARGET_SCALE = 0.85, 1.25, 1.6
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


def cpu_seconds(pid):
    """utime + stime (+ cutime + cstime) of a process, all its threads, in seconds; 0 if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


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
                        FORUM_SOCKETIO_CHANNEL=f"bench-{uuid.uuid4().hex}", FORUM_REDIS_URL=REDIS,
                        FORUM_SCREENING_MODEL="on")
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

    def start(self, servers=1):
        self.ports, self.processes = [], []
        for _ in range(servers):
            port = free_port()
            env = dict(self.env, FORUM_PORT=str(port))
            process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            self.ports.append(port)
            self.processes.append(process)
        for port, process in zip(self.ports, self.processes):
            wait_port(port, process, timeout=60)
            # The screening model must be in the path: create_app loads it (configure("on"))
            # and the process then has onnxruntime mapped.
            if "onnxruntime" not in Path(f"/proc/{process.pid}/maps").read_text():
                raise SystemExit("Lantern started without the screening model (onnxruntime not loaded)")

    def helper_pids(self):
        """The PostgreSQL backends serving this run's database."""
        import psycopg

        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            return [r[0] for r in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (self.db,))]

    def close(self):
        import psycopg

        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


class Bare:
    name = "bare Flask-SocketIO"
    cookies, room_id = None, 1

    def start(self, servers=1):
        port = free_port()
        self.ports, self.processes = [port], [subprocess.Popen(
            [sys.executable, __file__, "--serve-bare", str(port)], cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        wait_port(port, self.processes[0])

    def helper_pids(self):
        return []

    def close(self):
        pass


class Node:
    name = "Node socket.io"
    cookies, room_id = None, 1

    def start(self, servers=1):
        port = free_port()
        self.ports, self.processes = [port], [subprocess.Popen(
            ["node", "server.js", str(port)], cwd=NODE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
        wait_port(port, self.processes[0])

    def helper_pids(self):
        return []

    def close(self):
        pass


# ----- the load generator (bench/node/load.js) -----------------------------------------

def run(target, n, procs, paced_s, saturate_s, servers=1):
    """One server (or `servers` processes of it), N clients: returns the rates, latencies,
    memory per connection and CPU per 1,000 deliveries."""
    target.start(servers)
    procs = max(procs, len(target.ports))  # at least one generator per server: a half/half split
    workers, scratch = [], Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    try:
        pids = [p.pid for p in target.processes]
        base_rss = sum(rss_kb(pid) for pid in pids)
        cookies = target.cookies[:n] if target.cookies else [None] * n
        shares = [cookies[i::procs] for i in range(procs)]
        senders = [len(share) * SATURATING_SENDERS // n for share in shares]
        senders[0] += SATURATING_SENDERS - sum(senders)
        for i, share in enumerate(shares):
            config = scratch / f"load{i}.json"
            # The cookies go in a file in a private (0700) scratch directory, not on a command line.
            config.write_text(json.dumps({
                "url": f"http://127.0.0.1:{target.ports[i % len(target.ports)]}",
                "cookies": share if target.cookies else None, "count": len(share),
                "room_id": target.room_id, "pace_s": PACE_SECONDS, "paced_s": paced_s, "saturate_s": saturate_s,
                "saturating": senders[i], "out": str(scratch / f"out{i}.json")}))
            workers.append(subprocess.Popen(["node", "load.js", str(config)], cwd=NODE_DIR, text=True,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE))
        connected = sum(_line(w, "ready", 300) for w in workers)
        rss_per_conn = (sum(rss_kb(pid) for pid in pids) - base_rss) / connected
        _start(workers, time.time() + 1)
        # Saturation starts once every generator has heard the paced backlog out (an
        # overloaded server is still sending it), so that it measures a fresh start.
        for w in workers:
            _line(w, "drained", paced_s + 120)
        helpers = target.helper_pids()
        cpu_before = {pid: cpu_seconds(pid) for pid in pids + helpers}
        _start(workers, time.time() + 1)
        for w in workers:
            _line(w, "done", saturate_s + 120)
            w.wait(30)
        helpers = sorted(set(helpers) | set(target.helper_pids()))  # a backend opened meanwhile counts from 0
        cpu_server = sum(cpu_seconds(pid) - cpu_before[pid] for pid in pids)
        # A backend that ended meanwhile (the pool recycled it) is not counted: its last CPU is unknown.
        cpu_helpers = sum(max(0.0, cpu_seconds(pid) - cpu_before.get(pid, 0.0)) for pid in helpers)
        parts = [json.loads((scratch / f"out{i}.json").read_text()) for i in range(len(workers))]
        paced = [x for p in parts for x in p["paced"]]
        sat = [x for p in parts for x in p["saturate"]]
        paced_in_time = sum(p["in_time"]["paced"] for p in parts)
        sat_in_time = sum(p["in_time"]["saturate"] for p in parts)
        delivered = max(len(sat), 1)
        return {
            "paced_rate": paced_in_time / paced_s, "paced_p50": pct(paced, 50), "paced_p99": pct(paced, 99),
            "sat_rate": sat_in_time / saturate_s, "sat_p50": pct(sat, 50), "sat_p99": pct(sat, 99),
            "kb_per_conn": rss_per_conn, "errors": sum(p["errors"] for p in parts),
            "cpu_ms_per_k": cpu_server * 1e6 / delivered, "pg_ms_per_k": cpu_helpers * 1e6 / delivered,
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
        for process in target.processes:
            process.terminate()
        for process in target.processes:
            process.wait(10)


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


COLUMNS = (("paced msg/s", "paced_rate", 13, ".0f"), ("p50 ms", "paced_p50", 9, ".1f"),
           ("p99 ms", "paced_p99", 9, ".1f"), ("sat msg/s", "sat_rate", 11, ".0f"), ("p50 ms", "sat_p50", 9, ".1f"),
           ("p99 ms", "sat_p99", 9, ".1f"), ("KiB/conn", "kb_per_conn", 10, ".1f"),
           ("cpu ms/1k", "cpu_ms_per_k", 11, ".0f"), ("+pg ms/1k", "pg_ms_per_k", 11, ".0f"),
           ("errors", "errors", 8, ".0f"))


def _row(name, n, cells):
    return f"{name:<24}{n:>5}" + "".join(f"{cell:>{width}}" for cell, (_, _, width, _) in zip(cells, COLUMNS))


def _header(first="server"):
    header = f"{first:<24}{'N':>5}" + "".join(f"{title:>{width}}" for title, _, width, _ in COLUMNS)
    return header + "\n" + "-" * len(header)


def _median_row(name, n, results):
    """Median of each column, with the spread (min-max) of the saturation rate."""
    cells = []
    for _, key, _, fmt in COLUMNS:
        values = [r[key] for r in results]
        cells.append(format(statistics.median(values), fmt))
    return _row(name, n, cells) + f"   sat spread {min(r['sat_rate'] for r in results):.0f}-" \
                                  f"{max(r['sat_rate'] for r in results):.0f}"


def _ratios(a, b, key):
    """Per-repeat ratios a[i]/b[i] (runs of the same repeat), and their median."""
    ratios = [x[key] / y[key] if y[key] else float("nan") for x, y in zip(a, b)]
    return statistics.median(ratios), ratios


def _verdict(ok):
    return "met" if ok else "NOT met"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200,500")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each configuration (median reported)")
    parser.add_argument("--procs", type=int, default=1, help="load generator (Node) processes")
    parser.add_argument("--paced", type=float, default=10, help="seconds of paced load (one message / 5 s / client)")
    parser.add_argument("--saturate", type=float, default=8, help="seconds of saturation")
    parser.add_argument("--servers", type=int, default=1,
                        help="2: scale-out mode, Lantern with one process against this many (Redis between them)")
    parser.add_argument("--only", default="lantern,bare,node", help="which servers (comparison mode)")
    parser.add_argument("--serve-bare", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        return serve_bare(args.serve_bare)
    sizes = [int(s) for s in args.sizes.split(",")]
    lantern = Lantern(max(sizes))
    if args.servers > 1:
        configs = [("Lantern x1 process", lantern, 1), (f"Lantern x{args.servers} processes", lantern, args.servers)]
    else:
        chosen = args.only.split(",")
        configs = [(t.name, t, 1) for key, t in (("lantern", lantern), ("bare", Bare()), ("node", Node()))
                   if key in chosen]
    table = {}
    print(_header(), flush=True)
    try:
        for n in sizes:
            for repeat in range(args.repeats):
                for name, target, servers in configs:
                    r = run(target, n, args.procs, args.paced, args.saturate, servers)
                    table.setdefault((name, n), []).append(r)
                    print(_row(f"{name} #{repeat + 1}", n, [format(r[key], fmt) for _, key, _, fmt in COLUMNS]),
                          flush=True)
    finally:
        lantern.close()
    print(f"\nmedians of {args.repeats} runs:\n" + _header(), flush=True)
    for n in sizes:
        for name, _, _ in configs:
            print(_median_row(name, n, table[(name, n)]))
    names = [name for name, _, _ in configs]
    if args.servers > 1:
        print(f"\nscale-out: {names[1]} / {names[0]}, saturation deliveries/s (target >= {TARGET_SCALE}x):")
        for n in sizes:
            median, each = _ratios(table[(names[1], n)], table[(names[0], n)], "sat_rate")
            print(f"  N={n:<4} {median:.2f}x  (per run: {', '.join(f'{x:.2f}' for x in each)})  "
                  f"{_verdict(median >= TARGET_SCALE)}")
        return
    if Lantern.name in names and Bare.name in names:
        print(f"\nLantern / bare Flask-SocketIO (per-repeat ratios, median; targets: saturation >= {TARGET_RATIO:.0%},"
              f" memory/conn <= {TARGET_MEMORY}x):")
        for n in sizes:
            full, bare = table[(Lantern.name, n)], table[(Bare.name, n)]
            sat, each = _ratios(full, bare, "sat_rate")
            mem, _ = _ratios(full, bare, "kb_per_conn")
            cpu, _ = _ratios(full, bare, "cpu_ms_per_k")
            print(f"  N={n:<4} saturation {sat:.0%} (per run: {', '.join(f'{x:.0%}' for x in each)}) "
                  f"{_verdict(sat >= TARGET_RATIO)};  memory/conn {mem:.2f}x {_verdict(mem <= TARGET_MEMORY)};  "
                  f"server CPU/1k deliveries {cpu:.2f}x (+pg: "
                  f"{statistics.median(r['pg_ms_per_k'] for r in full):.0f} ms/1k)")
    if Lantern.name in names and Node.name in names:
        for n in sizes:
            ratio, _ = _ratios(table[(Lantern.name, n)], table[(Node.name, n)], "sat_rate")
            print(f"  N={n:<4} Lantern / Node socket.io saturation = {ratio:.0%} (reference)")


if __name__ == "__main__":
    main()
