"""Lantern: an anonymous peer-support forum."""
from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as config_module
from .extensions import csrf, db, limiter, login_manager, migrate, socketio
from .message_queue import RedisQueue
from .outages import DATABASE
from .security import IdConverter, SecurityHeaders, add_security_headers
from . import content
from .text import duration, handle_link, time_html
from .websocket import WithoutCompression

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
    from .notifications import views as notification_views
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        **_message_queue(app.config["REDIS_URL"], app.config["SOCKETIO_CHANNEL"]),
        max_http_buffer_size=64 * 1024,
        cors_allowed_origins=app.config.get("SOCKETIO_ORIGINS"),  # None: same origin only
        logger=False,
        engineio_logger=False,
    )

    from moderation import admin as moderation_admin
    from moderation import safety
    from moderation import views as moderation_views

    from . import accounts, boards, chat, cli, errors, installable, profiles, safety_plan, views
    from . import mentoring
    from .filters import views as filter_views
    from .mentoring import pair_views as mentoring_pair_views
    from .mentoring import supervision_views as mentoring_supervision_views
    from .recovery import views as recovery_views

    app.register_blueprint(accounts.bp)
    boards.register(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(installable.bp)
    chat.register(app)
    notification_views.register(app)
    app.register_blueprint(safety.bp)
    app.register_blueprint(safety_plan.bp)
    app.register_blueprint(filter_views.bp)
    recovery_views.register(app)
    mentoring_pair_views.register(app)
    mentoring_supervision_views.register(app)
    app.register_blueprint(profiles.bp)
    mentoring.register(app)
    app.register_blueprint(moderation_views.bp)
    app.register_blueprint(moderation_admin.bp)
    errors.register(app)
    errors.degrade_user_loader(login_manager)
    socketio.on_error_default(errors.socket_error)
    cli.register(app)
    app.add_template_filter(duration)  # "5 minutes", "2 hours": one way to say a span of time
    app.add_template_global(handle_link, "handle_link_html")  # templates/_macros.html handle_link
    app.add_template_global(time_html)  # templates/_macros.html when
    app.add_template_global(content.post_body_html)  # the reply and report forms' quote
    app.after_request(add_security_headers)
    app.wsgi_app = SecurityHeaders(app.wsgi_app, https=app.config["HTTPS"])  # Socket.IO's answers too
    app.wsgi_app = WithoutCompression(app.wsgi_app)  # Socket.IO's WebSockets: forum.websocket
    return app


def _message_queue(url, channel):
    """Socket.IO's client manager: RedisQueue (a capped reconnect, and a catch-up notice
    after an outage) for Redis; Flask-SocketIO's choice for another queue; none without.
    Always explicit, so an app never inherits the manager of one built before it."""
    if url and url.startswith(("redis://", "rediss://")):
        return {"message_queue": url, "client_manager": RedisQueue(url, channel=channel)}
    if url:
        return {"message_queue": url, "channel": channel}
    return {"message_queue": None, "client_manager": None}


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
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # With the database away, a request fails in seconds rather than hanging: connecting
        # gives up after 3 s, waiting for a pooled connection after 5 s (forum.errors: 503).
        # Times come back in UTC whatever the server's own zone: pages say "UTC" of them
        # as they are (forum.text.time_html), with no conversion per value.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_timeout": 5, **options,
            "connect_args": {"connect_timeout": 3, "options": "-c timezone=UTC", **options.get("connect_args", {})}}
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # One connection per process: SQLite allows one writer, and a writer waiting on a
        # lock inside SQLite would block every greenlet; waiting for the pool does not.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_size": 1, "max_overflow": 0, "pool_timeout": 30}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    with app.app_context():
        # A new connection after an outage: one line says the database is back.
        event.listen(db.engine, "connect", lambda *_: DATABASE.up())
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
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
        # IMMEDIATE takes the write lock at the start. A deferred transaction that reads and
        # then writes fails at once ("database is locked", no busy wait) when another
        # connection (the CLI, a second process) wrote in between; Rails and Django chose
        # IMMEDIATE for SQLite for the same reason. A process has one connection, so this
        # serialises nothing that was not serialised already.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
