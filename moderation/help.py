"""What a member at risk is shown at once: crisis lines for their chosen region, honest
words about whether a moderator is around, and a way to talk to one now."""
from flask import url_for
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post

from . import access, resources
from .models import ACTIVE, Flag

URGENT = ("high", "imminent")


def help_for(member, region=None):
    """The help panel's content, as plain data (templates and Socket.IO both use it)."""
    chosen = resources.region_or_none(region or getattr(member, "region", None))
    return {
        "region": chosen,
        "lines": [{"code": code, **info} for code, info in resources.lines_for(chosen)],
        "moderator_on_duty": access.anyone_on_duty(),
        "support_url": url_for("chat.support"),  # a private conversation with a moderator
    }


def posts_needing_help(member, thread_id):
    """Ids of this member's posts in the thread that screening rated high or imminent and
    whose flag is still open: the thread page shows the help panel beside them."""
    if member is None or not member.is_authenticated:
        return set()
    return set(db.session.scalars(
        select(Flag.post_id).join(Post, Post.id == Flag.post_id)
        .where(Post.thread_id == thread_id, Flag.member_id == member.id, Flag.source == "screening",
               Flag.severity.in_(URGENT), Flag.status.in_(ACTIVE))))
