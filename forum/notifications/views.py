"""The notification centre's pages: /notifications (the list, marking read, the settings),
the header's bell and the outreach banner on every page, the JSON a page's script asks
for (what it missed; handles for @mention autocomplete), and the live namespace."""
from flask import Blueprint, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_socketio import ConnectionRefusedError, Namespace, join_room
from sqlalchemy import func, select

from moderation import visibility

from ..errors import DATABASE_ERRORS, database_away
from ..extensions import db, socketio
from ..models import Member
from ..security import safe_next
from ..signals import sessions_ended
from . import service

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
HANDLES_SHOWN = 8


def _wants_json():
    return request.accept_mimetypes.best == "application/json"


def _number(name):
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


@bp.app_context_processor
def header_state():
    """The bell's unread count and the outreach banner, on every page a member opens."""
    def state():
        if g.get("database_away") or not current_user.is_authenticated:
            return None
        try:
            unread, last_id, outreach = service.header(visibility.reader())
            return {"unread": unread, "last_id": last_id, "outreach": outreach}
        except DATABASE_ERRORS as error:  # the page still renders; its own queries decide its fate
            database_away(error)
            return None
    return {"notification_state": state}


@bp.get("")
@login_required
def index():
    before = _number("before")
    items, more = service.listing(visibility.reader(), before)
    return render_template("notifications/index.html", items=items, more=more,
                           kinds=service.settable_kinds(), off=set(current_user.notifications_off or ()))


@bp.get("/<int:notification_id>/open")
@login_required
def open(notification_id):  # noqa: A001 - the route's name, as members see it: open a notification
    """Go to what the notification is about, and count it read."""
    shown = service.one(visibility.reader(), notification_id)
    if shown is None:
        flash("That notification is no longer there: what it was about may have been removed.")
        return redirect(url_for("notifications.index"))
    service.mark_read(current_user.id, notification_id)
    db.session.commit()
    if shown.room_slug:
        return redirect(url_for("chat.room", slug=shown.room_slug))
    if shown.post_id:
        return redirect(url_for("boards.post", post_id=shown.post_id))
    if shown.kind == "mentoring":
        return redirect(url_for("mentoring.home"))
    return redirect(url_for("safety.my_reports"))


def _done(message):
    if _wants_json():
        return "", 204
    flash(message)
    return redirect(safe_next(request.form.get("next")) if request.form.get("next") else url_for("notifications.index"))


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id):
    service.mark_read(current_user.id, notification_id)
    db.session.commit()
    return _done("Marked as read.")


@bp.post("/read")
@login_required
def read_all():
    service.mark_read(current_user.id)
    db.session.commit()
    return _done("All your notifications are marked as read.")


@bp.post("/settings")
@login_required
def settings():
    service.set_kinds_on(current_user, request.form.getlist("on"))
    db.session.commit()
    flash("Your notification settings are saved.")
    return redirect(url_for("notifications.index", _anchor="settings"))


@bp.get("/since")
@login_required
def since():
    """What a page missed while its live connection was away (static/notifications.js)."""
    return jsonify(service.since(visibility.reader(), _number("after") or 0))


@bp.get("/handles")
@login_required
def handles():
    """Handles that start with ?q=, for @mention autocomplete in the post forms. Only
    what every post already shows: members' handles."""
    prefix = request.args.get("q", "")[:24].casefold()
    if len(prefix) < 2 or not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in prefix):
        return jsonify({"handles": []})
    found = db.session.scalars(
        select(Member.handle).where(func.lower(Member.handle).startswith(prefix, autoescape=True),
                                    Member.deleted_at.is_(None), Member.id != current_user.id)
        .order_by(func.lower(Member.handle)).limit(HANDLES_SHOWN)).all()
    return jsonify({"handles": found})


class NotificationsNamespace(Namespace):
    """Every signed-in page joins its member's room here; nothing is sent up but the
    connection (what a page missed is asked over HTTP: /notifications/since)."""

    def on_connect(self, auth=None):
        if not current_user.is_authenticated:
            raise ConnectionRefusedError("Please log in.")
        join_room(service.channel(current_user.id))


def _close(app, member_id):
    """The member's sessions ended: their open pages stop hearing, on every process."""
    socketio.close_room(service.channel(member_id), namespace=service.NAMESPACE)


# Registered on the unbound SocketIO before any app is made (forum.create_app imports this
# module first), so every app gets it.
socketio.on_namespace(NotificationsNamespace(service.NAMESPACE))


def register(app):
    app.register_blueprint(bp)
    sessions_ended.connect(_close, sender=app)
