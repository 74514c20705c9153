"""Private support rooms: one member and the moderators, opened when the member asks to
talk to someone now, or by a moderator from a flag (the moderator desk calls this)."""
import secrets

from flask import url_for
from sqlalchemy import select

from moderation import access

from ..extensions import db
from ..models import Room
from ..notifications import service as notifications
from ..notify import emit_after_commit
from .channels import member_channel


def open_support_room(member, moderator=None):
    """The member's open private support room, made if needed (idempotent). `moderator`
    is who opened it from a flag, or None when the member asked to talk to someone.

    After the commit, the other side hears of it: the chat pages of the moderators who may
    answer now (trained and current, moderation.access) that a member is waiting, or the
    member the way in: their open chat pages at once, and every page of theirs, now and
    until they open it or put it aside, a banner (forum.notifications: outreach)."""
    room = db.session.scalar(
        select(Room).where(Room.kind == "support", Room.member_id == member.id, Room.archived_at.is_(None))
        .order_by(Room.id.desc()).limit(1))
    if room is None:
        room = Room(slug=f"support-{secrets.token_hex(6)}", title="Private support", kind="support",
                    topic="A private conversation with a moderator. Only you and moderators can see it.",
                    guidelines="Take your time. A moderator will be with you as soon as they can.",
                    member_id=member.id, opened_by_id=moderator.id if moderator is not None else None)
        db.session.add(room)
        db.session.flush()
    url = url_for("chat.room", slug=room.slug)
    if moderator is None:
        moderators = [member_channel(m) for m in access.trained_moderator_ids()]
        if moderators:
            emit_after_commit("support_requested", {"room": room.slug, "url": url}, to=moderators)
    else:
        emit_after_commit("support_opened", {"url": url}, to=member_channel(member.id))
        notifications.outreach(member, room, moderator)
    return room
