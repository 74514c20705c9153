"""Scratch PostgreSQL databases and a served Lantern for the benches.

Each bench makes its own database by name (never touching another), builds the schema with
the project's migrations (`flask db upgrade`), and may serve the app on it as production does.
LANTERN_BENCH_POSTGRES names the server's admin database (trust auth by default).
"""
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("LANTERN_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
FLASK = [sys.executable, "-m", "flask", "--app", "forum"]


def database_url(name):
    return ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def recreate_database(name):
    """Drop `name` (closing its connections) and create it empty; its URL."""
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return database_url(name)


def drop_database(name):
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flask(url, *args):
    """Run `flask --app forum <args>` against the database at `url`."""
    env = dict(os.environ, FORUM_DATABASE_URL=url)
    subprocess.run(FLASK + list(args), cwd=ROOT, env=env, check=True, capture_output=True)


def migrated_database(name, *seed_args, seed=True):
    """A new database `name` at the migrations' head, seeded with `flask seed <seed_args>`
    (unless `seed` is false: the bench makes all its own rows)."""
    url = recreate_database(name)
    flask(url, "db", "upgrade")
    if seed:
        flask(url, "seed", *seed_args)
    return url


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_wsgi(url, port, **settings):
    """`python wsgi.py` (gevent: the production server) on `url`, once it answers."""
    import requests

    env = dict(os.environ, FORUM_DATABASE_URL=url, FORUM_PORT=str(port), FORUM_SECRET_KEY="bench",
               FORUM_SWEEP_SECONDS="0", **{f"FORUM_{k}": str(v) for k, v in settings.items()})
    process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            requests.get(f"http://127.0.0.1:{port}/about", timeout=1)
            return process
        except requests.ConnectionError:
            if process.poll() is not None:
                raise RuntimeError("the server stopped on start-up")
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("the server never answered")


_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def login(base, handle, passphrase):
    """A requests.Session signed in as `handle` through the login form."""
    import requests

    session = requests.Session()
    token = _CSRF.search(session.get(f"{base}/about").text).group(1)
    response = session.post(f"{base}/login", data={"handle": handle, "passphrase": passphrase, "csrf_token": token},
                            allow_redirects=False)
    assert response.status_code == 302, response.text
    return session
