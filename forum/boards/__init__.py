"""Boards, threads, nested replies, reactions and search."""
from flask import Blueprint

bp = Blueprint("boards", __name__)

from . import drafting, following_views, views  # noqa: F401  (routes register themselves on bp)


def register(app):
    """The routes, and posts as the moderator desk reviews them (moderation.review)."""
    from moderation import review

    from .reviewable import Posts

    app.register_blueprint(bp)
    review.register(app, Posts())
