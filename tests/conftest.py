"""Shared fixtures: an app on each database engine, clients, and members.

Every test that uses `app` runs twice: on SQLite (the embedded default) and on
PostgreSQL. A machine without PostgreSQL or Redis skips those runs, except in CI
(CI=true), where a missing service fails the run instead.
"""
import pytest
from tests.databases import base_config, create_postgres_database, drop_postgres_database, migrate
from tests.helpers import make_member

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
