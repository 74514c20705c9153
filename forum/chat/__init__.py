"""Live group rooms and private support rooms: HTTP pages plus Socket.IO events ("/").

Its tables are in forum/models.py with the rest; the views and event handlers are loaded by
`register(app)`.
"""
from flask import Blueprint

from ..signals import mentoring_ended, sessions_ended, support_wanted

bp = Blueprint("chat", __name__, url_prefix="/chat")


def register(app):
    """The routes and event handlers, and chat messages as the moderator desk reviews
    them (moderation.review)."""
    from moderation import review

    from . import events, views  # noqa: F401  (handlers and routes register themselves)
    from .reviewable import Messages

    app.register_blueprint(bp)
    review.register(app, Messages())
    sessions_ended.connect(_disconnect, sender=app)
    support_wanted.connect(_open_support_room, sender=app)
    mentoring_ended.connect(_mentoring_ended, sender=app)


def _disconnect(app, member_id):
    from .presence import disconnect_member

    disconnect_member(member_id)


def _mentoring_ended(app, room_id):
    from . import rooms

    room = rooms.room_by_id(room_id)
    if room is not None:
        rooms.mentoring_ended(room)


def _open_support_room(app, member):
    """The room's address; moderators are told after the sender's commit."""
    from flask import url_for

    from .support import open_support_room

    return url_for("chat.room", slug=open_support_room(member).slug)
