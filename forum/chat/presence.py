"""Who is in a chat room right now: one row per live socket, shared by every server
process, refreshed by a heartbeat; and closing a member's sockets everywhere."""
from datetime import timedelta

from sqlalchemy import delete, exists, select, update

from moderation import access
from moderation.models import ModeratorProfile

from ..extensions import db, socketio
from ..models import ChatConnection, Member, Room, utcnow
from ..notify import after_commit, emit_after_commit
from .channels import room_channel

PRESENCE_TTL = timedelta(seconds=60)  # a connection not refreshed for this long is gone
HEARTBEAT_SECONDS = 20


def _fresh():
    return ChatConnection.seen_at > utcnow() - PRESENCE_TTL


def presence(room):
    """(handles of members in the room right now, on every server process, sorted; whether
    a facilitator, a trained moderator, is among them)."""
    rows = db.session.execute(
        select(Member.handle, access.trained_now()).join(ChatConnection, ChatConnection.member_id == Member.id)
        .outerjoin(ModeratorProfile, ModeratorProfile.member_id == Member.id)
        .where(ChatConnection.room_id == room.id, _fresh()).distinct()
    ).all()
    return sorted({handle for handle, _ in rows}, key=str.casefold), any(bool(f) for _, f in rows)


def facilitator_sockets(room_id, excluding=()):
    """The sockets in this room, on every server process, of people who may moderate now
    (moderation.access): where held words, and a support room's conversation, are sent.
    Read when the message goes out, so a record that lapsed while its socket stayed open
    stops it hearing at once. `excluding`: member ids that are not there as moderators (a
    mentor who is also one is told as a mentor, and held words are not for them)."""
    query = (select(ChatConnection.sid).join(Member, Member.id == ChatConnection.member_id)
             .join(ModeratorProfile, ModeratorProfile.member_id == Member.id)
             .where(ChatConnection.room_id == room_id, access.trained_now()))
    if excluding:
        query = query.where(ChatConnection.member_id.not_in(list(excluding)))
    return db.session.scalars(query).all()


def broadcast(room_id):
    """Tell the room who is in it. Called after the commit that moved a socket in or out.
    A direct emit, not notify.emit_after_commit: it is computed from the live connection
    rows, a read that cannot run in the after-commit hook, and it states the current truth
    (a late or repeated one is harmless), not a change that a rollback could undo."""
    room = db.session.get(Room, room_id)
    if room is None:
        return
    handles, moderator_here = presence(room)
    socketio.emit("presence", {"room_id": room_id, "handles": handles, "moderator_present": moderator_here},
                  to=room_channel(room_id))


def connection_opened(sid, member, server_id):
    db.session.add(ChatConnection(sid=sid, member_id=member.id, server_id=server_id))


def connection_moved(sid, room):
    """The socket now looks at `room` (None: no room). Returns the room it left, if any."""
    connection = db.session.get(ChatConnection, sid)
    if connection is None:
        return None
    left = connection.room_id
    connection.room_id, connection.seen_at = (room.id if room else None), utcnow()
    return left if left != (room.id if room else None) else None


def connection_closed(sid):
    """Forget the socket; returns the id of the room it was in, if any."""
    connection = db.session.get(ChatConnection, sid)
    if connection is None:
        return None
    room_id = connection.room_id
    db.session.delete(connection)
    return room_id


def send_away(room, may_stay):
    """Take out of `room` the sockets, on every server process, of those who may no longer
    be there (`may_stay(member)` is false: chat's own rule, asked by the caller), in the
    caller's transaction: their rows stop placing them in the room now, and once it
    commits their sockets leave its channel (so no typing, presence or message reaches
    them) and the room hears who is left. Returns the sids sent away."""
    rows = db.session.execute(select(ChatConnection.sid, Member).join(Member, Member.id == ChatConnection.member_id)
                              .where(ChatConnection.room_id == room.id)).all()
    sids = [sid for sid, member in rows if not may_stay(member)]
    if not sids:
        return []
    db.session.execute(update(ChatConnection).where(ChatConnection.sid.in_(sids)).values(room_id=None)
                       .execution_options(synchronize_session=False))
    after_commit(lambda: _leave(sids, room_channel(room.id)))
    # Made now, from the rows as this transaction leaves them (the hook cannot read).
    handles, moderator_here = presence(room)
    emit_after_commit("presence", {"room_id": room.id, "handles": handles, "moderator_present": moderator_here},
                      to=room_channel(room.id))
    return sids


def _leave(sids, channel):
    server = socketio.server
    if server is None:
        return
    for sid in sids:
        # With a message queue, python-socketio forwards this to the process that owns
        # the socket; without one, there is only this process.
        server.leave_room(sid, channel, namespace="/")


def heartbeat(server_id):
    """Refresh this process's connections and drop any that no process refreshed (the
    process died): run every HEARTBEAT_SECONDS by each server."""
    now = utcnow()
    db.session.execute(update(ChatConnection).where(ChatConnection.server_id == server_id).values(seen_at=now))
    db.session.execute(delete(ChatConnection).where(ChatConnection.seen_at < now - PRESENCE_TTL))


def disconnect_member(member_id):
    """Close every chat socket of this member, on every server process (logout, account
    deletion). Call after the commit that ended their sessions: a reconnect is refused."""
    sids = db.session.scalars(select(ChatConnection.sid).where(ChatConnection.member_id == member_id)).all()
    server = socketio.server
    if server is None:
        return
    for sid in sids:
        # With a message queue, python-socketio forwards this to the process that owns
        # the socket; without one, there is only this process.
        server.disconnect(sid, namespace="/")


def is_member_connected(member_id):
    return db.session.scalar(select(exists().where(ChatConnection.member_id == member_id, _fresh())))
