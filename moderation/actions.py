"""What a moderator can do about the content and the member behind a flag. Each action
writes its audit entry in the same transaction as the change."""
from datetime import timedelta

from forum.boards import service as boards
from forum.extensions import db
from forum.models import Member, Post, utcnow

from . import audit
from .routing import Conflict

MUTE_CHOICES = {60: "1 hour", 24 * 60: "24 hours", 7 * 24 * 60: "7 days"}


def _post_of(flag):
    post = db.session.get(Post, flag.post_id) if flag.post_id else None
    if post is None:
        raise Conflict("This flag is about a chat message, not a post.")
    return post


def hide(flag, moderator, reason):
    post = _post_of(flag)
    if post.hidden_at is None:
        post.hidden_at, post.hidden_by_id = utcnow(), moderator.id
    audit.record(moderator, "hid post", "post", post.id, flag=flag, reason=reason)


def restore(flag, moderator, reason):
    post = _post_of(flag)
    post.hidden_at = post.hidden_by_id = None
    audit.record(moderator, "restored post", "post", post.id, flag=flag, reason=reason)


def release_hold(flag, moderator, reason):
    """The moderator reviewed held words and lets everyone see them."""
    post = _post_of(flag)
    post.held_at = None
    audit.record(moderator, "released hold", "post", post.id, flag=flag, reason=reason)


def reply(flag, moderator, body):
    """A reply in the thread, under the flagged post, from the moderator's own account."""
    post = _post_of(flag)
    new, _ = boards.reply(post.thread, moderator, body, parent=post)
    audit.record(moderator, "replied", "post", new.id, flag=flag)
    return new


def mute(flag, moderator, minutes, reason):
    member = db.session.get(Member, flag.member_id) if flag.member_id else None
    if member is None:
        raise Conflict("There is no member to mute.")
    member.muted_until = utcnow() + timedelta(minutes=minutes)
    audit.record(moderator, f"muted for {MUTE_CHOICES.get(minutes, f'{minutes} minutes')}", "member",
                 member.id, flag=flag, reason=reason)
