"""Chat rooms: finding them, who may enter, the rooms list, admin edits, and what a
facilitator does to a room or a member in it (mute, slow mode, lock).

Every function works in the caller's transaction; the Socket.IO handlers (events.py) and
the HTTP views (views.py) call these, then commit. What the room must hear of a change is
queued here (forum.notify) and leaves only with that commit.
"""
from datetime import timedelta

from sqlalchemy import delete, select

from moderation import access, audit

from ..extensions import db
from ..models import Member, Room, RoomMute, utcnow
from ..notify import emit_after_commit
from . import mentoring
from .channels import member_channel, room_channel
from .presence import presence, send_away

MUTE_MAX_MINUTES = 7 * 24 * 60
SLOW_MODE_MAX = 3600


class ChatError(Exception):
    """Something the member asked for that can't happen; str() is the copy they read."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.details = details


class NotAllowed(ChatError):
    pass


# ----- finding rooms, and rights -----------------------------------------------------

def room_by_id(room_id):
    return db.session.get(Room, room_id)


def room_by_slug(slug):
    return db.session.scalar(select(Room).where(Room.slug == slug))


def is_facilitator(member):
    """A moderator whose training is current (moderation.access, the queue's own rule):
    only they read held words, enter members' support rooms and facilitate. The role
    alone is not enough. Asked afresh on every event and page, never kept from the
    connection, so a record that lapses counts at once."""
    return bool(member is not None and member.is_authenticated and member.is_moderator
                and access.can_moderate(member))


def can_enter(room, member):
    """Group rooms are open to every member; a support room only to its member and to
    facilitators (trained moderators); a mentoring room to its pair, and to facilitators
    only while help is asked for there (forum.chat.mentoring.may_enter), and its mentee
    keeps reading it after the pairing ends and the room is archived. Other archived
    rooms are closed to all."""
    if room is None or not member.is_authenticated:
        return False
    if mentoring.is_mentoring(room):
        # An ended pairing archives its room, yet the mentee keeps reading it: their rule.
        return mentoring.may_enter(room, member, is_facilitator)
    if room.archived_at is not None:
        return False
    if room.is_private:
        return room.member_id == member.id or is_facilitator(member)
    return True


def check_enter(room, member):
    if not can_enter(room, member):
        # The same words whether the room is private or missing: no one learns which.
        raise NotAllowed("We couldn't find that room.")


def check_facilitator(room, member):
    check_enter(room, member)
    if not is_facilitator(member):
        raise NotAllowed("Only a facilitator can do that.")


def rooms_overview(viewer):
    """[(room, member count, moderator present)] for the rooms list: the group rooms, and
    for facilitators the open support rooms too."""
    kinds = ("group", "support") if is_facilitator(viewer) else ("group",)
    rooms = db.session.scalars(
        select(Room).where(Room.archived_at.is_(None), Room.kind.in_(kinds)).order_by(Room.kind, Room.position, Room.id)
    ).all()
    overview = []
    for room in rooms:
        handles, moderator_here = presence(room)
        overview.append((room, len(handles), moderator_here))
    return overview


def room_state(room):
    return {"room_id": room.id, "locked": room.locked, "slow_mode_s": room.slow_mode_s}


def _tell_state(room):
    """Queue the room's new state for everyone in it; returns the state."""
    state = room_state(room)
    emit_after_commit("room_state", state, to=room_channel(room.id))
    return state


def mentoring_ended(room):
    """The room's pair ended in the caller's transaction: after the commit the room hears
    it (the composer closes), then whoever may no longer enter (the mentor) leaves it, on
    every server process. In that order, so the mentor's open page hears it ended too."""
    emit_after_commit("ended", {"room_id": room.id, "text": mentoring.ENDED}, to=room_channel(room.id))
    send_away(room, lambda member: can_enter(room, member))


# ----- admins ------------------------------------------------------------------------

def create_room(title, slug, topic, guidelines, slow_mode_s=0, position=0):
    room = Room(title=title, slug=slug, topic=topic, guidelines=guidelines, kind="group",
                slow_mode_s=slow_mode_s, position=position)
    db.session.add(room)
    db.session.flush()
    return room


def update_room(room, *, title, topic, guidelines, slow_mode_s, locked, archived):
    now = utcnow()
    room.title, room.topic, room.guidelines, room.slow_mode_s = title, topic, guidelines, slow_mode_s
    room.locked_at = (room.locked_at or now) if locked else None
    room.archived_at = (room.archived_at or now) if archived else None
    return _tell_state(room)


# ----- facilitators ------------------------------------------------------------------

def mute(room, member_id, minutes, facilitator):
    """Pause one member's messages in this room; they hear it at once. Returns (member, until)."""
    check_facilitator(room, facilitator)
    if room.is_private:
        # A support conversation is where a member gets help: nothing may silence them there.
        raise NotAllowed("A private support conversation can't be muted: the member can always answer you here.")
    target = db.session.get(Member, member_id)
    if target is None or target.deleted_at is not None:
        raise ChatError("We couldn't find that member.")
    if target.is_moderator:
        raise NotAllowed("Facilitators can't be muted.")
    until = utcnow() + timedelta(minutes=minutes)
    db.session.execute(delete(RoomMute).where(RoomMute.room_id == room.id, RoomMute.member_id == target.id))
    db.session.add(RoomMute(room_id=room.id, member_id=target.id, until=until, by_id=facilitator.id))
    audit.record(facilitator, "muted in room", "member", target.id, reason=f"room {room.id} for {minutes} min")
    emit_after_commit("muted", {"room_id": room.id, "until": until.isoformat()}, to=member_channel(target.id))
    return target, until


def set_slow_mode(room, seconds, facilitator):
    """Returns the room's new state (which everyone in it hears after the commit)."""
    check_facilitator(room, facilitator)
    room.slow_mode_s = seconds
    audit.record(facilitator, "set slow mode", "room", room.id, reason=f"{seconds} s")
    return _tell_state(room)


def set_locked(room, locked, facilitator):
    """Returns the room's new state (which everyone in it hears after the commit)."""
    check_facilitator(room, facilitator)
    room.locked_at = (room.locked_at or utcnow()) if locked else None
    audit.record(facilitator, "locked room" if locked else "unlocked room", "room", room.id)
    return _tell_state(room)
