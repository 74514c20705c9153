"""Error pages in plain words: every failure a member can cause ends here as a 4xx; the
database being away ends here as a calm 503, logged once per outage (forum.outages)."""
import functools
import logging

from flask import g, render_template, request
from flask_socketio import ConnectionRefusedError
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from .extensions import db
from .outages import DATABASE

# What SQLAlchemy raises when the database cannot be reached (or the pool has no free
# connection in time): answered with 503, never a traceback in the log.
DATABASE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 30
# Pages that work without the database: a member's login is then simply not known.
WITHOUT_DATABASE = {"safety.help_page", "site.about", "static"}
log = logging.getLogger(__name__)
AWAY = "Lantern can't reach its records just now. Please try again in a minute."

MESSAGES = {
    400: ("Something in that request didn't look right", "Please go back and try again."),
    403: ("That isn't yours to change", "You can only change things you wrote yourself."),
    404: ("We couldn't find that page", "It may have been moved or removed."),
    405: ("That doesn't work here", "Please go back and use the page's own buttons."),
    409: ("That can't be done right now", "Please reload the page and try again."),
    410: ("This has been removed", "Its author removed it."),
    413: ("That was too much to send at once", "Please make it shorter and try again."),
    429: ("Let's slow down a little", "Please wait a moment and try again."),
    503: ("We'll be right back", "Lantern can't reach its records just now. Please try again in a "
                                 "minute. If you were writing something, your browser's Back button "
                                 "should still have it."),
}


def render_error(status, title=None, detail=None):
    default_title, default_detail = MESSAGES.get(status, ("Something went wrong", "Please try again."))
    return render_template("error.html", status=status, title=title or default_title,
                           detail=detail or default_detail), status


def database_away(error):
    """Note the outage (one log line per outage) and free the session for the error page."""
    g.database_away = True
    DATABASE.down(error)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the session is reset anyway
        pass


def log_failure(error, what):
    """Log a failure of background or event work: the database being away once per outage
    (forum.outages), anything else with its traceback."""
    db.session.rollback()
    if isinstance(error, DATABASE_ERRORS):
        DATABASE.down(error)
    else:
        log.error("%s failed", what, exc_info=error)


def degrade_user_loader(login_manager):
    """Wrap the login manager's user loader: while the database is away, pages that work
    without it (and the error page itself) see a guest instead of failing."""
    loader = login_manager._user_callback  # Flask-Login keeps the loader here (0.6)
    if loader is None or getattr(loader, "degrades", False):
        return

    @functools.wraps(loader)
    def load(user_id):
        if g.get("database_away"):
            return None
        try:
            return loader(user_id)
        except DATABASE_ERRORS as error:
            if request.endpoint not in WITHOUT_DATABASE:
                raise
            database_away(error)
            return None

    load.degrades = True
    login_manager.user_loader(load)


def socket_error(error):
    """Socket.IO's default error handler: with the database away, a new connection is
    refused at once (the page's script says it is trying again) and an event is answered
    with a kind error; anything else is raised as before."""
    if not isinstance(error, DATABASE_ERRORS):
        raise error
    database_away(error)
    if request.event["message"] == "connect":
        raise ConnectionRefusedError(AWAY) from None
    return {"ok": False, "error": AWAY}


def register(app):
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_error(error):
        database_away(error)
        page, status = render_error(503)
        return page, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "This form has expired",
                            "Please go back, reload the page and send it again. Nothing was posted.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400 or error.code >= 500:
            return error
        if request.path.startswith("/socket.io"):
            return error
        return render_error(error.code)
