"""Shared fixtures: an app on each database engine, clients, and members.

Every test that uses `app` runs twice: on SQLite (the embedded default) and on
PostgreSQL. A machine without PostgreSQL or Redis skips those runs, except in CI
(CI=true), where a missing service fails the run instead.
"""
import uuid

import pytest

from forum import create_app
from forum.extensions import db
from forum.seed import seed_boards
from helpers import POSTGRES_ADMIN_URL, make_member, service_missing


def base_config(database_url, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ASYNC_MODE": "threading",
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        # Generous limits by default; tests of the limits set the real values.
        "LIMIT_POST": "1000 per second",
        "LIMIT_THREAD": "1000 per second",
        "LIMIT_SIGNUP": "1000 per second",
        "LIMIT_LOGIN_FAILURES": "1000 per second",
    }
    config.update(extra)
    return config


def _create_postgres_database():
    import psycopg

    name = f"lantern_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        service_missing("PostgreSQL", error)
    return name, POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def _drop_postgres_database(name):
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def migrate(url):
    """Build the schema the way production does: the Alembic revisions, from empty."""
    from flask_migrate import upgrade

    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'lantern.db'}"
        migrate(url)
        yield url
        return
    name, url = _create_postgres_database()
    from forum.config import normalise_database_url

    url = normalise_database_url(url)
    migrate(url)
    yield url
    _drop_postgres_database(name)


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
