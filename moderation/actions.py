"""What a moderator can do about the content and the member behind a flag. Each action
writes its audit entry in the same transaction as the change."""
from datetime import timedelta

from forum.boards import service as boards
from forum.extensions import db
from forum.models import Member, Message, Post, utcnow

from . import audit
from .routing import Conflict

MUTE_CHOICES = {60: "1 hour", 24 * 60: "24 hours", 7 * 24 * 60: "7 days"}


def _post_of(flag):
    post = db.session.get(Post, flag.post_id) if flag.post_id else None
    if post is None:
        raise Conflict("This flag is about a chat message, not a post.")
    return post


def _content_of(flag):
    """The flagged post or chat message, and its audit target type."""
    if flag.post_id:
        return db.session.get(Post, flag.post_id), "post"
    return db.session.get(Message, flag.message_id), "message"


def hide(flag, moderator, reason):
    """A hidden post shows as hidden; a chat message is removed (kept for the audit)."""
    item, kind = _content_of(flag)
    if kind == "post" and item.hidden_at is None:
        item.hidden_at, item.hidden_by_id = utcnow(), moderator.id
    elif kind == "message" and item.removed_at is None:
        item.removed_at, item.removed_by_id = utcnow(), moderator.id
    audit.record(moderator, f"hid {kind}", kind, item.id, flag=flag, reason=reason)


def restore(flag, moderator, reason):
    post = _post_of(flag)
    post.hidden_at = post.hidden_by_id = None
    audit.record(moderator, "restored post", "post", post.id, flag=flag, reason=reason)


def release_hold(flag, moderator, reason):
    """The moderator reviewed held words and lets everyone see them."""
    item, kind = _content_of(flag)
    item.held_at = None
    audit.record(moderator, "released hold", kind, item.id, flag=flag, reason=reason)


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
