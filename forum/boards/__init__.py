"""Boards, threads, nested replies, reactions and search."""
from flask import Blueprint

bp = Blueprint("boards", __name__)

from . import drafting, following_views, views  # noqa: F401  (routes register themselves on bp)


def register(app):
    """The routes, posts as the moderator desk reviews them (moderation.review), and a
    thread page's posts as HTML for its template (templates/boards/thread.html)."""
    from moderation import review

    from . import post_html
    from .reviewable import Posts

    app.register_blueprint(bp)
    review.register(app, Posts())
    app.add_template_global(post_html.thread_posts, "thread_posts_html")
