"""HTTP benchmark: Lantern's thread page and board list against a bare Flask view.

Both apps are served the same way (gunicorn, gevent worker, one process) and loaded with
wrk at 20 concurrent connections (saturation: throughput), then 20 clients sharing a
steady request rate (latency: at saturation latency only measures the queue).
Lantern runs on PostgreSQL and shows the whole 200-post thread on one page.
Also prints the SQL queries per thread page for threads of 20, 200 and 1,000 posts.

    .venv/bin/python bench/pages.py [--seconds 10] [--connections 20] [--runs 3]

With --runs N the measurements are taken N times (each run serves both apps again) and
the median of each figure, and of each run's ratios, is reported: on a shared machine one
run's absolute numbers are noise, the ratios taken within one run much less so.
Targets (issue "Fast at a real community's size"): the thread page's throughput at least
75% of the bare view's, and its p99 at the steady rate no more than 2x the bare view's.

Needs wrk (apt-get install wrk) and PostgreSQL on 127.0.0.1:5432.
"""
import argparse
import os
import statistics
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import database_url, migrated_database

DB_NAME = "lantern_bench_http"
DB_URL = database_url(DB_NAME)


def prepare_database():
    migrated_database(DB_NAME, "--demo")
    os.environ["FORUM_DATABASE_URL"] = DB_URL
    from sqlalchemy import event, select

    from forum import create_app
    from forum.boards import service
    from forum.extensions import db
    from forum.models import Board, Member

    app = create_app({"ASYNC_MODE": "threading"})
    threads = {}
    with app.app_context():
        board = db.session.scalar(select(Board).where(Board.slug == "depression"))
        people = db.session.scalars(select(Member)).all()
        for size in (20, 200, 1000):
            opening, _ = service.create_thread(board, people[0], f"A thread of {size} posts", "How is everyone?")
            parent = opening
            for i in range(size - 1):
                parent = opening if i % 5 == 0 else parent
                parent, _ = service.reply(opening.thread, people[i % len(people)],
                                          f"Reply number {i}. **Thank you** for sharing, it helps to know "
                                          "I'm not alone. " * 3, parent=parent)
            threads[size] = opening.thread_id
        db.session.commit()
        engine = db.engine
    counts = {}
    client = app.test_client()
    for size, thread_id in threads.items():
        seen = []
        listener = lambda *a: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        client.get(f"/t/{thread_id}")
        event.remove(engine, "before_cursor_execute", listener)
        counts[size] = len(seen)
    return threads, counts


def serve(module, port, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1", "-b", f"127.0.0.1:{port}", module],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except urllib.error.HTTPError:
            break
        except OSError:
            time.sleep(0.1)
    return process


def wrk(url, seconds, connections):
    urllib.request.urlopen(url).read()  # warm up
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label):
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rate": rate, "p50": ms("50"), "p99": ms("99"), "errors": int(errors.group(1)) if errors else 0}


def paced(url, clients, rate, seconds):
    """Latency at a steady load: `clients` keep-alive connections sharing `rate` requests/s.
    Each request is timed from when it was due, so a slow server can't hide its queue."""
    import http.client
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    interval = clients / rate
    latencies, failures = [], []
    start = time.perf_counter() + 0.5

    def client(index):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        due = start + index * interval / clients
        while due < start + seconds:
            time.sleep(max(0.0, due - time.perf_counter()))
            conn.request("GET", target)
            response = conn.getresponse()
            response.read()
            (latencies if response.status == 200 else failures).append(time.perf_counter() - due)
            due += interval

    workers = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {"rate": len(latencies) / seconds, "p50": pick(0.50), "p99": pick(0.99), "errors": len(failures)}


THROUGHPUT_TARGET = 0.75  # the thread page's req/s over the bare view's, at least
LATENCY_TARGET = 2.0  # the thread page's p99 at the steady rate over the bare view's, at most
THREAD, BOARDS, BARE = "lantern thread (200 posts)", "lantern board list", "bare flask (200 posts)"


def measure(threads, args):
    """One run: both apps served afresh and loaded in turn. ({page: wrk figures}, {page: paced figures})."""
    results, paced_results = {}, {}
    # One page holds the whole 200-post thread, so both sides render the same 200 posts.
    lantern = serve("wsgi:app", 8091, {"FORUM_DATABASE_URL": DB_URL, "FORUM_POSTS_PER_PAGE": "200"})
    try:
        results[THREAD] = wrk(f"http://127.0.0.1:8091/t/{threads[200]}?page=1", args.seconds, args.connections)
        results[BOARDS] = wrk("http://127.0.0.1:8091/", args.seconds, args.connections)
        paced_results[THREAD] = paced(f"http://127.0.0.1:8091/t/{threads[200]}", args.connections, args.rate,
                                      args.seconds)
    finally:
        lantern.terminate()
        lantern.wait()
    bare = serve("bench.bare_app:app", 8092)
    try:
        results[BARE] = wrk("http://127.0.0.1:8092/thread", args.seconds, args.connections)
        paced_results[BARE] = paced("http://127.0.0.1:8092/thread", args.connections, args.rate, args.seconds)
    finally:
        bare.terminate()
        bare.wait()
    return results, paced_results


def _median(runs):
    """Each figure's median over the runs' {page: {figure: value}}."""
    return {page: {key: statistics.median(run[page][key] for run in runs) for key in runs[0][page]}
            for page in runs[0]}


def _met(ok):
    return "met" if ok else "NOT MET"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--rate", type=float, default=40, help="requests/s for the paced latency run")
    parser.add_argument("--runs", type=int, default=1, help="measure this many times and report the medians")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    threads, queries = prepare_database()
    runs = [measure(threads, args) for _ in range(args.runs)]
    ratios = [r[THREAD]["rate"] / r[BARE]["rate"] for r, _ in runs]
    p99_ratios = [p[THREAD]["p99"] / p[BARE]["p99"] for _, p in runs]
    results, paced_results = _median([r for r, _ in runs]), _median([p for _, p in runs])
    of = f"median of {args.runs} runs" if args.runs > 1 else "one run"

    print(f"\nwrk, 1 thread, {args.connections} connections, {args.seconds}s each; gunicorn -k gevent -w 1; {of}")
    print(f"{'page':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in results.items():
        print(f"{name:28} {r['rate']:9.1f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:8.0f}")
    print(f"\nsteady load: {args.connections} clients sharing {args.rate:g} requests/s, latency from when each was due")
    print(f"{'page':28} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8}")
    for name, r in paced_results.items():
        print(f"{name:28} {r['rate']:9.1f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:8.0f}")
    ratio, p99_ratio = statistics.median(ratios), statistics.median(p99_ratios)
    each = lambda values, fmt: "" if len(values) == 1 else "  runs: " + ", ".join(fmt.format(v) for v in values)  # noqa: E731
    print(f"\nthread page / bare view throughput: {ratio:.0%}  (target >= {THROUGHPUT_TARGET:.0%}: "
          f"{_met(ratio >= THROUGHPUT_TARGET)}){each(ratios, '{:.0%}')}")
    print(f"thread page / bare view p99 at {args.rate:g} req/s: {p99_ratio:.2f}x  (target <= {LATENCY_TARGET:g}x: "
          f"{_met(p99_ratio <= LATENCY_TARGET)}){each(p99_ratios, '{:.2f}x')}")
    print("SQL queries per thread page: " + ", ".join(f"{n} posts: {q}" for n, q in queries.items()))


if __name__ == "__main__":
    main()
