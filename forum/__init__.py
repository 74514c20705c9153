"""Lantern: an anonymous peer-support forum."""
from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .extensions import csrf, db, limiter, login_manager, migrate, socketio
from .security import IdConverter, add_security_headers

PROJECT_ROOT = config_module.INSTANCE_DIR.parent


def create_app(config=None):
    """Build the app: settings from FORUM_* environment variables, then `config` on top."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    config_module.load(app.config, config)  # raises ConfigError, naming the bad variable
    app.url_map.converters["int"] = IdConverter
    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    _init_screening(app)
    _init_database(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to do that."
    login_manager.session_protection = None  # our server-side sessions do this job
    # Socket.IO handlers must be declared before the first init_app: Flask-SocketIO copies
    # the handlers it knows onto each new server, but one declared after a server exists
    # reaches only that server (and tests build many apps).
    from moderation import live  # noqa: F401

    from .chat import events  # noqa: F401
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["REDIS_URL"],
        max_http_buffer_size=64 * 1024,
        cors_allowed_origins=app.config.get("SOCKETIO_ORIGINS"),  # None: same origin only
        channel=app.config["SOCKETIO_CHANNEL"],
        logger=False,
        engineio_logger=False,
    )

    from moderation import admin as moderation_admin
    from moderation import safety
    from moderation import views as moderation_views

    from . import accounts, boards, chat, cli, errors, views

    app.register_blueprint(accounts.bp)
    boards.register(app)
    app.register_blueprint(views.bp)
    chat.register(app)
    app.register_blueprint(safety.bp)
    app.register_blueprint(moderation_views.bp)
    app.register_blueprint(moderation_admin.bp)
    errors.register(app)
    cli.register(app)
    app.after_request(add_security_headers)
    return app


class ScreeningModelMissing(RuntimeError):
    """The crisis-screening model cannot load: the forum refuses to start without it."""


def _init_screening(app):
    from moderation.screening import configure
    from moderation.screening.model import ModelUnavailable

    try:
        configure(app.config["SCREENING_MODEL"])
    except (ModelUnavailable, ValueError) as error:
        raise ScreeningModelMissing(
            f"Lantern will not start: crisis screening's learned model cannot load ({error}). "
            "Restore moderation/screening/model/ from git, or set FORUM_SCREENING_MODEL=off to "
            "screen with the rules alone, on purpose.") from error


def _init_database(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # One connection per process: SQLite allows one writer, and a writer waiting on a
        # lock inside SQLite would block every greenlet; waiting for the pool does not.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_size": 1, "max_overflow": 0, "pool_timeout": 30}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            _tune_sqlite(db.engine)


def _tune_sqlite(engine):
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _):
        # Let SQLAlchemy, not the driver, begin transactions, so SAVEPOINTs work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")
