"""Test databases: the test app's settings, throwaway PostgreSQL databases, and schemas
built by the real migrations. Shared by the root conftest and the browser tests."""
import uuid

from forum import create_app
from forum.config import normalise_database_url
from forum.extensions import db
from tests.helpers import POSTGRES_ADMIN_URL, service_missing


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
        "LIMIT_LOGIN_ACCOUNT": "1000 per second",
        "LIMIT_EDIT": "1000 per second",
        "LIMIT_REACT": "1000 per second",
        "LIMIT_DRAFT": "1000 per second",
        "LIMIT_PREVIEW": "1000 per second",
        "LIMIT_PROFILE": "1000 per second",
    }
    config.update(extra)
    return config


def create_postgres_database():
    """A new empty PostgreSQL database: (name, SQLAlchemy URL). Skips (fails in CI)
    without PostgreSQL."""
    import psycopg

    name = f"lantern_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        service_missing("PostgreSQL", error)
    return name, normalise_database_url(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name)


def drop_postgres_database(name):
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
