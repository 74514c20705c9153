"""Scale benchmark: do Lantern's pages stay flat as a community's data grows?

Seeds two scratch PostgreSQL databases with the project's migrations and set-based SQL:
`lantern_bench_scale_full` (200,000 posts in 20,000 threads over the boards, 10 per thread
nested up to 4 deep; 2,000 members; 5,000 flags, 1,000 open, the rest resolved with their
claimed/resolved audit entries; 500,000 chat messages over the seeded rooms) and
`lantern_bench_scale_tenth` (a tenth of each). Each member writes about 100 posts and 250
messages at either size. Post text is drawn from a ~300-word vocabulary with a steep
(Zipf-like) skew, so "sleep" is in about a third of posts and "kintsugi" in 1 of 5,000.
Then VACUUM ANALYZE.

Serves each database with `python wsgi.py` (gevent, the production server) at once and
measures, over real HTTP with keep-alive, sequentially and unloaded, alternating the two
servers request by request (the machine is shared, so ratios taken in one run are what to
compare, not absolute times):
board page 1 and its last page, a thread page, search for a common and a rare word, the
moderation queue (a trained moderator), a member's /account/export.json, and a chat
Socket.IO `join` with `after` = the id 500 messages back (python-socketio client, the
member's cookie). Prints one table:

    page | p50 tenth | p99 tenth | p50 full | p99 full | p99 full/tenth | SQL full | target

target: p99 full/tenth <= 1.5 and p99 full < 100 ms. "SQL" is the statements one request
runs (counted in-process with the Flask test client / Socket.IO test client on the full DB).

    .venv/bin/python bench/scale.py                  # seed both (about 2-3 min), measure
    .venv/bin/python bench/scale.py --reuse          # measure the databases already seeded
    .venv/bin/python bench/scale.py --requests 60 --drop   # more samples; drop the DBs after

Needs PostgreSQL on 127.0.0.1:5432 (LANTERN_BENCH_POSTGRES to change). Not run in CI.
"""
import argparse
import math
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.scratch import (  # noqa: I001 (after the path is set)
    database_url, drop_database, free_port, login, migrated_database, serve_wsgi)

PASSPHRASE = "bench passphrase"
MEMBER, KEEPER = "BenchMember", "BenchKeeper"
COMMON, RARE = "sleep", "kintsugi"
FULL = {"threads": 20_000, "members": 2_000, "flags": 5_000, "open_flags": 1_000, "messages": 500_000}
SIZES = {"tenth": 0.1, "full": 1.0}
PER_THREAD = 10
CATCH_UP = 500

# A reply tree every thread shares: (parent's place or None, place path from the opening post).
TREE = [(None, [0]), (0, [0, 1]), (1, [0, 1, 2]), (0, [0, 3]), (3, [0, 3, 4]), (4, [0, 3, 4, 5]),
        (0, [0, 6]), (2, [0, 1, 2, 7]), (7, [0, 1, 2, 7, 8]), (0, [0, 9])]

# Most frequent first: a word's chance falls steeply with its place (see _BODY).
WORDS = """
i the and to feel it today my a was of that sleep not but me in just is have so this
with for really been day tired anxious better night work talk help week again know about
friends family hope still trying time thanks think thank good hard people want going things
better little bit lot morning evening because walk tea therapist doctor meds appointment breathing
calm panic heart chest worry worried sad lonely alone okay fine mum dad sister brother partner
kids school job boss shift meeting email phone call message weekend monday friday holiday rain
sun garden dog cat music book film show game cooking dinner lunch breakfast coffee water shower
bed pillow dream nightmare insomnia rest nap alarm clock routine habit journal notes list goals
small steps progress setback relapse recovery craving urge drink drinking sober clean days count
streak proud ashamed guilty angry frustrated overwhelmed numb empty hopeful grateful relieved safe
kind gentle patient honest brave strong weak scared nervous shaky dizzy headache stomach appetite
eating skipped meal snack weight exercise gym run yoga stretch bike swim park beach forest river
bus train car drive traffic city town village home flat room window door light dark cold warm
winter spring summer autumn birthday anniversary christmas new year plan future past memory
grief loss miss remember letter photo laugh cry tears smile hug support group forum thread reply
post read share listen heard seen understood believe trust boundaries space quiet noise crowd
shop queue bills money rent debt budget savings landlord neighbour council form letterbox parcel
""".split()  # noqa: SIM905 (a paragraph reads better than 300 quoted words)


def _dedupe(words):
    seen, out = set(), []
    for w in words:
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


WORDS = _dedupe(WORDS)
# n words from the vocabulary, the i-th most frequent with chance ~ (i+1)^(1/3) - i^(1/3).
# (`g` in the word's place, else the aggregate would belong to the outer query.)
_BODY = ("(SELECT string_agg(v.w[1 + floor({n} * random() ^ 3)::int + 0 * g], ' ') "
         "FROM generate_series(1, {count}) AS g)")


def _members(count):
    """`count` handles whose skeletons (the unique key) differ, with those keys."""
    from forum.accounts.handles import skeleton

    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "do", "fe", "gu", "ho", "ju", "we"]
    handles, keys, i = [], set(), 0
    while len(handles) < count:
        a, b, c = i % 16, i // 16 % 16, i // 256 % 16
        handle = f"{syllables[c].title()}{syllables[b]}{syllables[a]}{i // 4096 or ''}"
        i += 1
        key = skeleton(handle)
        if key not in keys:
            keys.add(key)
            handles.append((handle, key))
    return handles


def seed(name, factor):
    """Migrate and fill database `name` at `factor` of FULL; its URL."""
    started = time.perf_counter()
    url = migrated_database(name)  # boards and rooms
    n = {k: max(1, int(v * factor)) for k, v in FULL.items()}
    _people(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        hash_ = conn.execute("SELECT passphrase_hash FROM member WHERE handle = %s", (MEMBER,)).fetchone()[0]
        handles = _members(n["members"] - 2)
        conn.execute(
            """INSERT INTO member (handle, handle_key, passphrase_hash, role, created_at, notifications_off)
               SELECT h, k, %s, 'member', now() - interval '900 days' + i * interval '7 minutes', '[]'
               FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(h, k, i)""",
            (hash_, [h for h, _ in handles], [k for _, k in handles]))
        m0, nm = conn.execute("SELECT min(id), count(*) FROM member").fetchone()
        assert conn.execute("SELECT max(id) FROM member").fetchone()[0] == m0 + nm - 1
        boards = [r[0] for r in conn.execute("SELECT id FROM board ORDER BY id")]
        rooms = [r[0] for r in conn.execute("SELECT id FROM room WHERE kind = 'group' ORDER BY id")]
        words = WORDS
        T, M, F = n["threads"], n["messages"], n["flags"]
        # Threads: one every 26 minutes back from now (last activity 4.5 hours after).
        conn.execute(
            f"""INSERT INTO thread (id, board_id, author_id, title, created_at, last_post_at, post_count)
                SELECT t, (%(boards)s::int[])[1 + t %% %(nb)s], %(m0)s + (t::bigint * 7919) %% %(nm)s,
                       initcap({_BODY.format(n=len(words), count="4 + t %% 5")}),
                       now() - (%(T)s - t) * interval '26 minutes' - interval '5 hours',
                       now() - (%(T)s - t) * interval '26 minutes' - interval '5 hours' + interval '270 minutes',
                       {PER_THREAD}
                FROM generate_series(1, %(T)s) AS t, (SELECT %(w)s::text[] AS w) AS v""",
            {"boards": boards, "nb": len(boards), "m0": m0, "nm": nm, "T": T, "w": words})
        # Posts: ids (thread-1)*10+1.., each thread the TREE; the search trigger fills search_vector.
        tree = [(k, parent, len(path) - 1, path) for k, (parent, path) in enumerate(TREE)]
        conn.execute("CREATE TEMP TABLE tree (k int, parent int, depth int, path int[])")
        with conn.cursor().copy("COPY tree FROM STDIN") as copy:
            for row in tree:
                copy.write_row(row)
        conn.execute(
            f"""INSERT INTO post (id, thread_id, parent_id, author_id, depth, sort_key, body_md, body_html, created_at)
                SELECT b.id, th.id, CASE WHEN tr.parent IS NULL THEN NULL ELSE b.base + tr.parent + 1 END,
                       %(m0)s + (b.id::bigint * 104729) %% %(nm)s, tr.depth,
                       (SELECT string_agg(lpad((b.base + j + 1)::text, 10, '0'), '/' ORDER BY o)
                        FROM unnest(tr.path) WITH ORDINALITY AS u(j, o)),
                       body.md, '<p>' || body.md || '</p>', th.created_at + tr.k * interval '30 minutes'
                FROM thread th CROSS JOIN tree tr CROSS JOIN (SELECT %(w)s::text[] AS w) AS v
                CROSS JOIN LATERAL (SELECT (th.id - 1) * {PER_THREAD} AS base,
                                           (th.id - 1) * {PER_THREAD} + tr.k + 1 AS id) AS b
                CROSS JOIN LATERAL (SELECT initcap(left(x, 1)) || substr(x, 2) || '.'
                                           || CASE WHEN b.id %% 5000 = 7 THEN ' {RARE} bowl' ELSE '' END AS md
                                    FROM (SELECT {_BODY.format(n=len(words), count="12 + b.id %% 30")} AS x)
                                    AS x) AS body""",
            {"m0": m0, "nm": nm, "w": words})
        conn.execute("SELECT setval('thread_id_seq', (SELECT max(id) FROM thread))")
        conn.execute("SELECT setval('post_id_seq', (SELECT max(id) FROM post))")
        posts = T * PER_THREAD
        keeper = conn.execute("SELECT id FROM member WHERE handle = %s", (KEEPER,)).fetchone()[0]
        # Flags: the open ones in the last day, the resolved ones older, each with its audit.
        conn.execute(
            """INSERT INTO flag (post_id, member_id, source, severity, categories, matches, snapshot, report_count,
                                 status, claimed_by_id, created_at, first_response_at, resolved_at, outcome,
                                 notes, version)
               SELECT p.id, p.author_id, 'screening', (ARRAY['elevated', 'high', 'imminent'])[1 + i %% 3],
                      '["self_harm"]', '[]', left(p.body_md, 300), 0,
                      CASE WHEN i > %(F)s - %(open)s THEN 'open' ELSE 'resolved' END,
                      CASE WHEN i > %(F)s - %(open)s THEN NULL ELSE %(keeper)s END,
                      now() - (%(F)s - i) * interval '90 seconds',
                      CASE WHEN i > %(F)s - %(open)s THEN NULL
                           ELSE now() - (%(F)s - i) * interval '90 seconds' + interval '5 minutes' END,
                      CASE WHEN i > %(F)s - %(open)s THEN NULL
                           ELSE now() - (%(F)s - i) * interval '90 seconds' + interval '20 minutes' END,
                      CASE WHEN i > %(F)s - %(open)s THEN NULL ELSE 'supported' END,
                      NULL, CASE WHEN i > %(F)s - %(open)s THEN 1 ELSE 3 END
               FROM generate_series(1, %(F)s) AS i JOIN post p ON p.id = 1 + (i * 39) %% %(posts)s""",
            {"F": F, "open": n["open_flags"], "keeper": keeper, "posts": posts})
        conn.execute(
            """INSERT INTO audit_entry (actor_id, action, flag_id, target_type, target_id, reason, created_at)
               SELECT claimed_by_id, a.action, id, 'flag', id, a.reason,
                      CASE a.action WHEN 'claimed' THEN first_response_at ELSE resolved_at END
               FROM flag, (VALUES ('claimed', ''), ('resolved', 'supported: checked in')) AS a(action, reason)
               WHERE status = 'resolved' ORDER BY id, a.action""")
        # Chat: every 20 seconds back from now, over the group rooms.
        conn.execute(
            f"""INSERT INTO message (room_id, member_id, client_id, body_md, body_html, created_at)
                SELECT (%(rooms)s::int[])[1 + i %% %(nr)s], %(m0)s + (i::bigint * 7919) %% %(nm)s, 'bench-' || i,
                       b.md, '<p>' || b.md || '</p>', now() - (%(M)s - i) * interval '20 seconds'
                FROM generate_series(1, %(M)s) AS i
                CROSS JOIN (SELECT %(w)s::text[] AS w) AS v
                CROSS JOIN LATERAL (SELECT {_BODY.format(n=len(words), count="3 + i %% 12")} AS md) AS b""",
            {"rooms": rooms, "nr": len(rooms), "m0": m0, "nm": nm, "M": M, "w": words})
        conn.execute("VACUUM ANALYZE")
        counts = conn.execute("""SELECT (SELECT count(*) FROM post), (SELECT count(*) FROM thread),
            (SELECT count(*) FROM member), (SELECT count(*) FROM flag), (SELECT count(*) FROM flag WHERE status='open'),
            (SELECT count(*) FROM audit_entry), (SELECT count(*) FROM message),
            (SELECT count(*) FROM post WHERE search_vector IS NULL)""").fetchone()
    print(f"seeded {name} in {time.perf_counter() - started:.0f}s: posts {counts[0]}, threads {counts[1]}, "
          f"members {counts[2]}, flags {counts[3]} ({counts[4]} open), audit {counts[5]}, messages {counts[6]}, "
          f"posts without a search vector {counts[7]}", flush=True)
    return url


def _people(url):
    """The moderator (trained) and the member whose export is measured, through the app."""
    from forum import create_app
    from forum.accounts import service as accounts
    from forum.extensions import db
    from moderation.admin import set_training

    app = create_app({"DATABASE_URL": url, "ASYNC_MODE": "threading"})
    with app.app_context():
        keeper, _ = accounts.create_member(KEEPER, PASSPHRASE, role="moderator")
        set_training(keeper, "moderator", date.today(), date.today() + timedelta(days=30), None)
        accounts.create_member(MEMBER, PASSPHRASE)
        db.session.commit()
        db.engine.dispose()


# ---- measuring ------------------------------------------------------------------------

def targets(url):
    """What to request on this database: page name -> (who, path or chat room/after)."""
    with psycopg.connect(url) as conn:
        slug, board_id = conn.execute("SELECT slug, id FROM board ORDER BY position, id LIMIT 1").fetchone()
        on_board = conn.execute("SELECT count(*) FROM thread WHERE board_id = %s", (board_id,)).fetchone()[0]
        thread = conn.execute("SELECT id FROM thread WHERE board_id = %s ORDER BY id LIMIT 1 OFFSET %s",
                              (board_id, on_board // 2)).fetchone()[0]
        room = conn.execute("SELECT room_id FROM message ORDER BY id DESC LIMIT 1").fetchone()[0]
        after = conn.execute("SELECT id FROM message WHERE room_id = %s ORDER BY id DESC LIMIT 1 OFFSET %s",
                             (room, CATCH_UP)).fetchone()[0]
    last = max(1, math.ceil(on_board / 30))
    return {
        "board page 1": (None, f"/b/{slug}"),
        "board last page": (None, f"/b/{slug}?page={last}"),
        "thread page": (None, f"/t/{thread}"),
        f"search common ({COMMON})": (None, f"/search?q={COMMON}"),
        f"search rare ({RARE})": (None, f"/search?q={RARE}"),
        "moderation queue": (KEEPER, "/moderation"),
        "export.json": (MEMBER, "/account/export.json"),
        f"chat join, catch-up {CATCH_UP}": (MEMBER, ("chat", room, after)),
    }


class Site:
    """One served database: its signed-in sessions and chat client."""

    def __init__(self, url):
        self.port = free_port()
        self.process = serve_wsgi(url, self.port, LIMIT_LOGIN_FAILURES='"1000 per minute"',
                                  LIMIT_LOGIN_ACCOUNT='"1000 per minute"')
        self.base = f"http://127.0.0.1:{self.port}"
        import requests

        self.sessions = {None: requests.Session(), KEEPER: login(self.base, KEEPER, PASSPHRASE),
                         MEMBER: login(self.base, MEMBER, PASSPHRASE)}
        self.targets = targets(url)
        self.chat = None

    def request(self, page):
        who, what = self.targets[page]
        if isinstance(what, tuple):
            _, room, after = what
            if self.chat is None:
                import socketio

                self.chat = socketio.Client(reconnection=False)
                cookie = "; ".join(f"{c.name}={c.value}" for c in self.sessions[who].cookies)
                self.chat.connect(self.base, headers={"Cookie": cookie}, transports=["websocket"])
            start = time.perf_counter()
            answer = self.chat.call("join", {"room_id": room, "after": after}, timeout=30)
            elapsed = time.perf_counter() - start
            assert len(answer["messages"]) == CATCH_UP, (len(answer["messages"]), answer.get("error"))
            return elapsed
        start = time.perf_counter()
        response = self.sessions[who].get(self.base + what)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, (page, response.status_code)
        return elapsed

    def close(self):
        if self.chat is not None:
            self.chat.disconnect()
        self.process.terminate()
        self.process.wait(10)


def statements(url, pages):
    """SQL statements per request, counted in-process on the database at `url`."""
    from sqlalchemy import event

    from forum import create_app
    from forum.extensions import db, socketio

    app = create_app({"DATABASE_URL": url, "ASYNC_MODE": "threading", "SECRET_KEY": "bench", "SWEEP_SECONDS": 0,
                      "LIMIT_LOGIN_FAILURES": "1000 per minute", "LIMIT_LOGIN_ACCOUNT": "1000 per minute"})
    with app.app_context():
        engine = db.engine
    clients = {}
    for who in (None, KEEPER, MEMBER):
        client = app.test_client()
        if who:
            import re

            token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/about").text).group(1)
            assert client.post("/login", data={"handle": who, "passphrase": PASSPHRASE,
                                               "csrf_token": token}).status_code == 302
        clients[who] = client
    counts = {}
    for page, (who, what) in pages.items():
        seen = []
        listener = lambda *a: seen.append(1)  # noqa: B023
        chat = None
        if isinstance(what, tuple):
            chat = socketio.test_client(app, flask_test_client=clients[who])
        event.listen(engine, "before_cursor_execute", listener)
        try:
            if chat is not None:
                chat.emit("join", {"room_id": what[1], "after": what[2]}, callback=True)
            else:
                assert clients[who].get(what).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        if chat is not None:
            chat.disconnect()
        counts[page] = len(seen)
    with app.app_context():
        db.engine.dispose()
    return counts


def pct(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page and size")
    parser.add_argument("--reuse", action="store_true", help="measure the databases already seeded")
    parser.add_argument("--drop", action="store_true", help="drop the databases when done")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    args = parser.parse_args()
    names = {size: f"lantern_bench_scale_{size}" for size in SIZES}
    urls = {size: database_url(name) if args.reuse else seed(name, SIZES[size]) for size, name in names.items()}
    sites = {}
    try:
        for size, url in urls.items():
            sites[size] = Site(url)
        pages = [p for p in sites["full"].targets if not args.only or args.only in p]
        times = {page: {size: [] for size in SIZES} for page in pages}
        for page in pages:
            for site in sites.values():  # warm up: caches, pools, the first template render
                for _ in range(3):
                    site.request(page)
            for _ in range(args.requests):
                for size, site in sites.items():  # alternating: the two sizes see the same noise
                    times[page][size].append(site.request(page))
    finally:
        for site in sites.values():
            site.close()
    queries = {size: statements(urls[size], {p: sites[size].targets[p] for p in pages}) for size in SIZES}
    print(f"\n{args.requests} sequential requests per page and size, keep-alive HTTP to `python wsgi.py` (gevent), "
          "the two sizes alternating; times in ms")
    header = (f"{'page':30} {'p50 tenth':>9} {'p99 tenth':>9} {'p50 full':>9} {'p99 full':>9} {'p99 ratio':>9} "
              f"{'SQL 1/10':>8} {'SQL full':>8}  target (ratio <= 1.5, p99 full < 100 ms)")
    print(header)
    print("-" * len(header))
    for page in pages:
        t, f = times[page]["tenth"], times[page]["full"]
        ratio = pct(f, .99) / pct(t, .99)
        met = ratio <= 1.5 and pct(f, .99) < 100
        print(f"{page:30} {pct(t, .5):9.1f} {pct(t, .99):9.1f} {pct(f, .5):9.1f} {pct(f, .99):9.1f} {ratio:9.2f} "
              f"{queries['tenth'][page]:8d} {queries['full'][page]:8d}  {'met' if met else 'NOT met'}")
    print("(p50 ratio, less noisy: " + ", ".join(
        f"{page}: {statistics.median(times[page]['full']) / statistics.median(times[page]['tenth']):.2f}"
        for page in pages) + ")")
    if args.drop:
        for name in names.values():
            drop_database(name)


if __name__ == "__main__":
    main()
