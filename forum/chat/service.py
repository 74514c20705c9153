"""Chat rooms and messages: the writes, the reads, and the rights.

Like forum.boards.service, every function takes plain values and works in the caller's
transaction; the Socket.IO handlers (events.py) and the HTTP views (views.py) both call
these, and commit. Nothing here talks to sockets except `deliver`, `notify` and
`disconnect_member`, which the callers run after their commit.
"""
import secrets
import time
from datetime import timedelta
from typing import NamedTuple

from flask import current_app, get_template_attribute, url_for
from limits import RateLimitItemPerSecond
from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from moderation import audit, flags
from moderation.help import help_for
from moderation.screening import screen
from moderation.screening.result import NOTHING

from .. import content, ratelimit
from ..extensions import db, limiter, socketio
from ..models import Member, utcnow
from .models import BODY_MAX, ChatConnection, Message, Room, RoomMute

PRESENCE_TTL = timedelta(seconds=60)  # a connection not refreshed for this long is gone
HEARTBEAT_SECONDS = 20
MUTE_MAX_MINUTES = 7 * 24 * 60
SLOW_MODE_MAX = 3600


class ChatError(Exception):
    """Something the member asked for that can't happen; str() is the copy they read."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.details = details


class NotAllowed(ChatError):
    pass


class Sent(NamedTuple):
    message: Message
    created: bool  # False: a retry of a message already stored (nothing new to broadcast)
    screening: object  # moderation.screening.Screening


# Socket.IO rooms. Everyone in a chat room is in room_channel; moderators also join
# mods_channel, which is where held messages go. member_channel reaches all of one
# member's sockets (private `help`, held messages to their sender, session end).
def room_channel(room_id):
    return f"room:{room_id}"


def mods_channel(room_id):
    return f"room:{room_id}:mods"


def member_channel(member_id):
    return f"member:{member_id}"


MODERATORS_CHANNEL = "moderators"


# ----- rooms -------------------------------------------------------------------------

def room_by_id(room_id):
    return db.session.get(Room, room_id)


def room_by_slug(slug):
    return db.session.scalar(select(Room).where(Room.slug == slug))


def can_enter(room, member):
    """Group rooms are open to every member; a support room only to its member and to
    moderators. Archived rooms are closed to all."""
    if room is None or room.archived_at is not None or not member.is_authenticated:
        return False
    if room.is_private:
        return member.is_moderator or room.member_id == member.id
    return True


def check_enter(room, member):
    if not can_enter(room, member):
        # The same words whether the room is private or missing: no one learns which.
        raise NotAllowed("We couldn't find that room.")


def check_facilitator(room, member):
    check_enter(room, member)
    if not member.is_moderator:
        raise NotAllowed("Only a facilitator can do that.")


def _fresh():
    return ChatConnection.seen_at > utcnow() - PRESENCE_TTL


def presence(room):
    """Handles of members in the room right now (every server process), sorted."""
    rows = db.session.execute(
        select(Member.handle, Member.role).join(ChatConnection, ChatConnection.member_id == Member.id)
        .where(ChatConnection.room_id == room.id, _fresh()).distinct()
    ).all()
    return sorted({handle for handle, _ in rows}, key=str.casefold), any(r in ("moderator", "admin") for _, r in rows)


def rooms_overview(viewer):
    """[(room, member count, moderator present)] for the rooms list: the group rooms, and
    for moderators the open support rooms too."""
    kinds = ("group", "support") if viewer.is_authenticated and viewer.is_moderator else ("group",)
    rooms = db.session.scalars(
        select(Room).where(Room.archived_at.is_(None), Room.kind.in_(kinds)).order_by(Room.kind, Room.position, Room.id)
    ).all()
    overview = []
    for room in rooms:
        handles, moderator_here = presence(room)
        overview.append((room, len(handles), moderator_here))
    return overview


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


def open_support_room(member, moderator=None):
    """The member's open private support room, made if needed (idempotent). `moderator`
    is who opened it from a flag, or None when the member asked to talk to someone."""
    room = db.session.scalar(
        select(Room).where(Room.kind == "support", Room.member_id == member.id, Room.archived_at.is_(None))
        .order_by(Room.id.desc()).limit(1))
    if room is not None:
        return room
    room = Room(slug=f"support-{secrets.token_hex(6)}", title="Private support", kind="support",
                topic="A private conversation with a moderator. Only you and moderators can see it.",
                guidelines="Take your time. A moderator will be with you as soon as they can.",
                member_id=member.id, opened_by_id=moderator.id if moderator is not None else None)
    db.session.add(room)
    db.session.flush()
    return room


def invite_to_support(room):
    """After the commit that opened it from a flag: the member's open chat pages show the
    way into their private support room (it is also on their rooms list)."""
    socketio.emit("support_opened", {"url": url_for("chat.room", slug=room.slug)}, to=member_channel(room.member_id))


# ----- reading messages --------------------------------------------------------------

def _visible_to(viewer):
    """Removed messages are gone for everyone; held ones show to their sender and moderators."""
    if viewer.is_moderator:
        return Message.removed_at.is_(None)
    return Message.removed_at.is_(None) & (Message.held_at.is_(None) | (Message.member_id == viewer.id))


def history(room, viewer, before=None, limit=None):
    """Up to `limit` messages before id `before` (or the latest), oldest first."""
    limit = limit or current_app.config["CHAT_HISTORY"]
    query = select(Message).where(Message.room_id == room.id, _visible_to(viewer))
    if before is not None:
        query = query.where(Message.id < before)
    rows = db.session.scalars(query.order_by(Message.id.desc()).limit(limit)).all()
    return rows[::-1]


def catch_up(room, viewer, after):
    """What a reconnecting client missed: messages after id `after`, oldest first. Returns
    (messages, more): with more=True, the client asks again from the last one."""
    limit = current_app.config["CHAT_CATCH_UP_MAX"]
    rows = db.session.scalars(
        select(Message).where(Message.room_id == room.id, Message.id > after, _visible_to(viewer))
        .order_by(Message.id).limit(limit + 1)).all()
    return rows[:limit], len(rows) > limit


def message_payload(message):
    author = message.member
    return {
        "id": message.id,
        "room_id": message.room_id,
        "client_id": message.client_id,
        "author": author.display_handle if author else "former member",
        "author_id": message.member_id,
        "html": message.body_html,
        "created_at": message.created_at.isoformat(),
        "held": message.held_at is not None,
    }


# ----- sending ------------------------------------------------------------------------

def clean_body(body):
    """The message text, or ChatError with words the member can act on."""
    if not isinstance(body, str):
        raise ChatError("A message needs some text.")
    body = body.replace("\x00", "").strip()  # NUL: PostgreSQL text cannot hold it
    if not body:
        raise ChatError("A message needs some text.")
    if len(body) > BODY_MAX:
        raise ChatError(f"That message is {len(body):,} characters; the most is {BODY_MAX:,}. "
                        "You could split it into two.", limit=BODY_MAX)
    return body


def _existing(member, client_id):
    return db.session.scalar(select(Message).where(Message.member_id == member.id, Message.client_id == client_id))


def _lookups(room, member, client_id):
    """(id of the message this member already stored under client_id, or None; their room
    mute's end if it has not passed, or None): the two reads every send needs, in one
    round trip, since a statement costs more in Python and on the wire than in the database."""
    stored = select(Message.id).where(Message.member_id == member.id, Message.client_id == client_id)
    muted = select(RoomMute.until).where(
        RoomMute.room_id == room.id, RoomMute.member_id == member.id, RoomMute.until > utcnow())
    return db.session.execute(select(stored.scalar_subquery(), muted.scalar_subquery())).one()


def _muted_until(member, room_mute_until):
    now = utcnow()
    until = room_mute_until
    if member.muted_until and member.muted_until > now:
        until = max(until or now, member.muted_until)
    return until


def _take(item, *key):
    """Count one message against `item` if it fits (limits' test-then-hit)."""
    if not limiter.limiter.test(item, *key):
        return False
    return limiter.limiter.hit(item, *key)


def _retry_after(item, *key):
    reset = limiter.limiter.get_window_stats(item, *key).reset_time
    return max(1, round(reset - time.time()))


def _check_may_send(room, member, room_mute_until):
    if room.locked and not member.is_moderator:
        raise NotAllowed("This room is paused by a facilitator for now. You can still read along.")
    if until := _muted_until(member, room_mute_until):
        raise NotAllowed(f"A facilitator has paused your messages here until {until:%H:%M} UTC. "
                         "You can still read along.", until=until.isoformat())
    if not ratelimit.take("LIMIT_CHAT", ratelimit.member_key(member)):
        raise ChatError("You're sending quickly. Please wait a few seconds and send it again; "
                        "your words are still here.")
    if room.slow_mode_s and not member.is_moderator:
        item = RateLimitItemPerSecond(1, room.slow_mode_s)
        key = ("chat-slow", str(room.id), str(member.id))
        if not _take(item, *key):
            wait = _retry_after(item, *key)
            raise ChatError(f"Slow mode is on: one message every {room.slow_mode_s} seconds. "
                            f"You can send again in {wait} seconds.", retry_after=wait)


_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert(values):
    """INSERT ... ON CONFLICT (member_id, client_id) DO NOTHING RETURNING the new row, as a
    Message in the session; None if this member already used the client id. One statement
    where an ORM add in a SAVEPOINT (to survive the IntegrityError) takes three, all while
    the room is locked. PostgreSQL waits for a conflicting insert in flight to commit or
    roll back before it decides, so None means the other message is committed."""
    insert = _INSERT[db.session.get_bind().dialect.name]
    statement = insert(Message).values(**values).on_conflict_do_nothing(
        index_elements=[Message.member_id, Message.client_id])
    return db.session.scalar(statement.returning(Message))


def send_message(room, member, body, client_id):
    """Screen, store and return the message. A retry with a client id already used by this
    member returns the stored message with created=False, and counts against no limit."""
    body = clean_body(body)
    stored_id, room_mute_until = _lookups(room, member, client_id)
    if stored_id is not None:
        return Sent(db.session.get(Message, stored_id), False, NOTHING)
    check_enter(room, member)
    _check_may_send(room, member, room_mute_until)
    screening = screen(body)
    values = {"room_id": room.id, "member_id": member.id, "client_id": client_id, "body_md": body,
              "body_html": content.render_inline(body), "held_at": utcnow() if screening.hold else None}
    # Lock the room row until commit, so that ids in a room are committed in order and a
    # reconnecting client asking for "after N" can never miss one (no-op on SQLite,
    # where writers are serialised anyway). Every other sender to the room waits on this
    # lock, so from here to the commit is kept to two statements: nothing is rendered or
    # read while it is held.
    db.session.execute(select(Room.id).where(Room.id == room.id).with_for_update())
    message = _insert(values)
    if message is None:  # the same client id raced in from another connection
        if existing := _existing(member, client_id):
            return Sent(existing, False, NOTHING)
        raise RuntimeError(f"message {client_id!r} conflicted but is not stored")
    # The flag commits with the message, or neither does; moderators hear after commit.
    flags.flag_content(member=member, screening=screening, message=message)
    return Sent(message, True, screening)


def help_payload(member, screening):
    """What the sender's private help panel shows: the data, and the panel itself rendered
    by the same template as beside a post, so both say the same words."""
    help = help_for(member)
    panel = get_template_attribute("moderation/_help_panel.html", "help_panel")
    return {"severity": str(screening.severity), **help, "html": str(panel(help, "chat-help-heading"))}


def deliver(message, payload=None):
    """Broadcast a stored message (after commit): to the room, or, while it is held, only
    to its sender and the room's moderators. `payload` is message_payload(message) made
    before the commit; routing reads it rather than `message`, whose attributes the commit
    expired (reading them would reload the row)."""
    if payload is None:
        payload = message_payload(message)
    if not payload["held"]:
        socketio.emit("message", payload, to=room_channel(payload["room_id"]))
    else:
        socketio.emit("message", payload, to=[mods_channel(payload["room_id"]), member_channel(payload["author_id"])])


# ----- facilitators ------------------------------------------------------------------

def remove_message(message_id, facilitator):
    message = db.session.get(Message, message_id) if isinstance(message_id, int) else None
    if message is None:
        raise ChatError("We couldn't find that message.")
    check_facilitator(message.room, facilitator)
    if message.removed_at is None:
        message.removed_at, message.removed_by_id = utcnow(), facilitator.id
        audit.record(facilitator, "removed message", "message", message.id)
    return message


def mute(room, member_id, minutes, facilitator):
    check_facilitator(room, facilitator)
    target = db.session.get(Member, member_id)
    if target is None or target.deleted_at is not None:
        raise ChatError("We couldn't find that member.")
    if target.is_moderator:
        raise NotAllowed("Facilitators can't be muted.")
    until = utcnow() + timedelta(minutes=minutes)
    db.session.execute(delete(RoomMute).where(RoomMute.room_id == room.id, RoomMute.member_id == target.id))
    db.session.add(RoomMute(room_id=room.id, member_id=target.id, until=until, by_id=facilitator.id))
    audit.record(facilitator, "muted in room", "member", target.id, reason=f"room {room.id} for {minutes} min")
    return target, until


def set_slow_mode(room, seconds, facilitator):
    check_facilitator(room, facilitator)
    room.slow_mode_s = seconds
    audit.record(facilitator, "set slow mode", "room", room.id, reason=f"{seconds} s")


def set_locked(room, locked, facilitator):
    check_facilitator(room, facilitator)
    room.locked_at = (room.locked_at or utcnow()) if locked else None
    audit.record(facilitator, "locked room" if locked else "unlocked room", "room", room.id)


def room_state(room):
    return {"room_id": room.id, "locked": room.locked, "slow_mode_s": room.slow_mode_s}


# ----- connections and presence ------------------------------------------------------

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
