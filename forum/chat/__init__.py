"""Live group rooms and private support rooms: HTTP pages plus Socket.IO events ("/").

Its tables are in forum/models.py with the rest; the views and event handlers are loaded by
`register(app)`.
"""
from flask import Blueprint

from ..signals import sessions_ended

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


def _disconnect(app, member_id):
    from .presence import disconnect_member

    disconnect_member(member_id)
