"""Shared fixtures: an app on each database engine, clients, and members.

Every test that uses `app` runs twice: on SQLite (the embedded default) and on
PostgreSQL. A machine without PostgreSQL or Redis skips those runs, except in CI
(CI=true), where a missing service fails the run instead.
"""
import shutil
import subprocess
import time

import pytest
import redis
from tests.databases import base_config, create_postgres_database, drop_postgres_database, migrate
from tests.helpers import give_role, go_on_duty, make_member, train
from tests.servers import free_port

from forum import create_app
from forum.extensions import db
from forum.seed import seed_boards


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'lantern.db'}"
        migrate(url)
        yield url
        return
    name, url = create_postgres_database()
    migrate(url)
    yield url
    drop_postgres_database(name)


def _empty_tables():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def make_app(database_url):
    """Build an app on this test's database; tables are emptied after the test."""
    apps = []

    def make(**extra):
        app = create_app(base_config(database_url, **extra))
        apps.append(app)
        return app

    yield make
    if apps:
        with apps[0].app_context():
            _empty_tables()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        seed_boards()
        db.session.commit()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def member(app):
    """A signed-up member with a logged-in client: member.client, member.handle."""
    return make_member(app, "QuietHeron42")


@pytest.fixture
def other(app):
    """A second member, to check that nobody can touch what another wrote."""
    return make_member(app, "BraveOtter17")


@pytest.fixture
def throwaway_redis(tmp_path):
    """A Redis of this test's own, to stop and start (never the machine's)."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()

    class Throwaway:
        url = f"redis://127.0.0.1:{port}/0"
        process = None

        def start(self):
            self.process = subprocess.Popen(["redis-server", "--port", str(port), "--save", "", "--appendonly", "no",
                                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while True:
                try:
                    redis.Redis.from_url(self.url).ping()
                    return
                except redis.ConnectionError:
                    assert time.monotonic() < deadline, "redis-server did not start"
                    time.sleep(0.05)

        def stop(self):
            self.process.kill()
            self.process.wait(10)

    server = Throwaway()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def untrained_moderator(app):
    """The moderator role, but no training record."""
    person = make_member(app, "NewHelper60")
    give_role(app, person.handle, "moderator")
    return person


@pytest.fixture
def expired_moderator(app):
    """A moderator whose training record ran out yesterday."""
    person = make_member(app, "OldHelper61")
    train(app, person.handle, valid_days=-1, trained_days_ago=400)
    return person


@pytest.fixture
def moderator(app):
    """A trained moderator, on duty."""
    person = make_member(app, "SteadyOwl50")
    train(app, person.handle)
    go_on_duty(app, person.handle)
    return person


@pytest.fixture
def second_moderator(app):
    """Another trained moderator, not on duty."""
    person = make_member(app, "GentleSeal51")
    train(app, person.handle)
    return person
