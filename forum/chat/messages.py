"""Chat messages: reading them, what a client is sent of one, the send pipeline (clean,
check, screen, store, flag), and every later change to a message (removed, restored,
released from a hold).

Every function works in the caller's transaction. Each one that changes a message queues
what the room must hear (forum.notify), so it reaches open rooms right after the caller's
commit and never after a rollback: the Socket.IO handlers, the HTTP views and the
moderator desk (through forum.chat.reviewable) all share this one path.
"""
import time
from typing import NamedTuple

from flask import current_app, get_template_attribute
from limits import RateLimitItemPerSecond
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from moderation import audit, flags
from moderation.help import help_for
from moderation.screening import screen
from moderation.screening.result import NOTHING

from .. import content, ratelimit
from ..extensions import db, limiter
from ..models import MESSAGE_MAX, Message, Room, RoomMute, utcnow
from ..notify import emit_after_commit
from ..offload import run_blocking
from ..text import text_problem
from . import boundaries, mentoring
from .channels import member_channel, room_channel
from .presence import facilitator_sockets
from .rooms import ChatError, NotAllowed, check_enter, check_facilitator, is_facilitator


class Sent(NamedTuple):
    message: Message
    created: bool  # False: a retry of a message already stored (delivered again, see _retry)
    screening: object  # moderation.screening.Screening
    payload: dict  # message_payload(message), made before the commit


# ----- reading -----------------------------------------------------------------------

def _visible_to(viewer, room):
    """Removed messages are gone for everyone; held ones show to their sender and to
    facilitators (trained moderators: rooms.is_facilitator), though not to a mentor who is
    one, in their own mentoring room: what was kept from them stays kept."""
    if is_facilitator(viewer) and not (mentoring.is_mentoring(room) and mentoring.is_party(room, viewer)):
        return Message.removed_at.is_(None)
    return Message.removed_at.is_(None) & (Message.held_at.is_(None) | (Message.member_id == viewer.id))


# message_payload names each message's author: loaded with the messages in one more query,
# not one query per author (a 500-message catch-up in a busy room names hundreds of them).
_AUTHORS = selectinload(Message.member)


def history(room, viewer, before=None, limit=None):
    """Up to `limit` messages before id `before` (or the latest), oldest first."""
    limit = limit or current_app.config["CHAT_HISTORY"]
    query = select(Message).options(_AUTHORS).where(Message.room_id == room.id, _visible_to(viewer, room))
    if before is not None:
        query = query.where(Message.id < before)
    rows = db.session.scalars(query.order_by(Message.id.desc()).limit(limit)).all()
    return rows[::-1]


def catch_up(room, viewer, after):
    """What a reconnecting client missed: messages after id `after`, oldest first. Returns
    (messages, more): with more=True, the client asks again from the last one."""
    limit = current_app.config["CHAT_CATCH_UP_MAX"]
    rows = db.session.scalars(
        select(Message).options(_AUTHORS)
        .where(Message.room_id == room.id, Message.id > after, _visible_to(viewer, room))
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
        # Why, when it is held for contact details: the words the writer reads beside it.
        "held_note": boundaries.EXPLANATION if kept_back(message) else None,
    }


def kept_back(message):
    """Whether a held message is held for the boundaries of mentoring (contact details or a
    plan to meet) rather than for a moderator's review. Read again from its words, which
    the detector judges the same way every time, so no column records it. Only a held
    message's room is looked at (from the session, already loaded when it is sent)."""
    return (message.held_at is not None and mentoring.is_mentoring(message.room)
            and boundaries.has_contact_details(message.body_md))


def _recipients(room, author_id, held):
    """Who a message goes to: a group room's every socket; or, while it is held or when
    the room is a member's private support room, only the people it is for (its author,
    the room's member) and the facilitators' sockets in the room, chosen now from the
    tables (presence.facilitator_sockets): a moderator whose training lapsed stops
    hearing at once, though their socket joined the room while it was current. In a
    mentoring room, the people are the mentee and the active mentor, and facilitators
    hear only while help is asked for there (forum.chat.mentoring.help_requested)."""
    if mentoring.is_mentoring(room):
        pair = mentoring.people(room)
        people = {author_id} if held else {author_id} | pair
        helpers = facilitator_sockets(room.id, excluding=pair) if mentoring.help_requested(room) else []
        return helpers + [member_channel(m) for m in sorted(people - {None})]
    if not held and not room.is_private:
        return room_channel(room.id)
    people = {author_id} if held else {author_id, room.member_id}
    return facilitator_sockets(room.id) + [member_channel(m) for m in sorted(people - {None})]


def _deliver(payload, to):
    """Queue a message for `to` (_recipients), after the commit. `payload` is made now,
    inside the transaction: the commit expires the message's attributes."""
    emit_after_commit("message", payload, to=to)


# ----- sending ------------------------------------------------------------------------

def clean_body(body):
    """The message text, or ChatError with words the member can act on."""
    if not isinstance(body, str):
        raise ChatError("A message needs some text.")
    body = body.strip()
    if not body:
        raise ChatError("A message needs some text.")
    if len(body) > MESSAGE_MAX:
        raise ChatError(f"That message is {len(body):,} characters; the most is {MESSAGE_MAX:,}. "
                        "You could split it into two.", limit=MESSAGE_MAX)
    # The posts' own policy (forum.text), so chat refuses what a post refuses, in the same
    # words: bidi controls, control characters (NUL too, which PostgreSQL can't store) and
    # lone surrogates, which JSON can carry ("\\ud83d") but no database can encode.
    if problem := text_problem(body):
        raise ChatError(problem)
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
    facilitator = is_facilitator(member)
    if mentoring.is_mentoring(room) and not mentoring.may_send(room, member, is_facilitator):
        raise NotAllowed(mentoring.ENDED)
    if room.locked and not facilitator:
        raise NotAllowed("This room is paused by a facilitator for now. You can still read along.")
    # A mute never reaches a private support room: there, a member answers the moderator
    # who is helping them, whatever they were muted for elsewhere.
    if not room.is_private and (until := _muted_until(member, room_mute_until)):
        raise NotAllowed(f"A facilitator has paused your messages here until {until:%H:%M} UTC. "
                         "You can still read along.", until=until.isoformat())
    if not ratelimit.take("LIMIT_CHAT", ratelimit.member_key(member)):
        raise ChatError("You're sending quickly. Please wait a few seconds and send it again; "
                        "your words are still here.")
    if room.slow_mode_s and not facilitator:
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


def _retry(message, room, member):
    """The stored message, for a client that sends it again (created=False), delivered
    again to whoever may see it now.

    Why again: a retry means its sender never had the ack, and the server cannot tell
    whether the process that stored it died before or after telling the room (COMMIT,
    then the emit, then the ack). Knowing would take a second write after every
    broadcast ("delivered_at"), on every message, and even that would only say the emit
    was handed over, not that anyone received it: Socket.IO delivers at most once. So
    the copy goes out again; clients keep one message per id (static/chat.js addMessage,
    as for catch-up), so someone who had it sees nothing new and someone who never had
    it gets it. Not for a removed message, nor into a room other than the one it was
    stored in; and each re-delivery counts against the sender's chat limit (a quiet
    drop over it: the ack still comes), so resends can't be used to flood a room."""
    payload = message_payload(message)
    if (message.removed_at is None and message.room_id == room.id
            and ratelimit.take("LIMIT_CHAT", ratelimit.member_key(member))):
        _deliver(payload, _recipients(room, message.member_id, payload["held"]))
    return Sent(message, False, NOTHING, payload)


def send_message(room, member, body, client_id):
    """Screen and store the message, and queue its delivery for after the commit. A retry
    with a client id already used by this member returns the stored message with
    created=False, and delivers it again (see _retry)."""
    body = clean_body(body)
    stored_id, room_mute_until = _lookups(room, member, client_id)
    if stored_id is not None:
        return _retry(db.session.get(Message, stored_id), room, member)
    check_enter(room, member)
    _check_may_send(room, member, room_mute_until)
    # In a native thread (forum.offload): the model's reading takes milliseconds of pure
    # computation that releases the GIL, so the event loop keeps delivering meanwhile.
    screening = run_blocking(screen, body)
    held = bool(screening.hold) or _keeps_boundaries(room, member, body)
    # Who hears it is read before the room is locked (a held message, or a private room's,
    # goes to the facilitators present, which takes a query).
    to = _recipients(room, member.id, held)
    values = {"room_id": room.id, "member_id": member.id, "client_id": client_id, "body_md": body,
              "body_html": content.render_inline(body), "held_at": utcnow() if held else None}
    # Lock the room row until commit, so that ids in a room are committed in order and a
    # reconnecting client asking for "after N" can never miss one (no-op on SQLite,
    # where writers are serialised anyway). Every other sender to the room waits on this
    # lock, so from here to the commit is kept to two statements: nothing is rendered or
    # read while it is held.
    db.session.execute(select(Room.id).where(Room.id == room.id).with_for_update())
    message = _insert(values)
    if message is None:  # the same client id raced in from another connection
        if existing := _existing(member, client_id):
            return _retry(existing, room, member)
        raise RuntimeError(f"message {client_id!r} conflicted but is not stored")
    # The flag commits with the message, or neither does; moderators hear after commit.
    flag = flags.flag_content(member=member, screening=screening, message=message)
    if flag is not None and mentoring.is_mentoring(room):
        # The pair hears that help is on its way: a trained moderator may enter now.
        emit_after_commit("help_asked", {"room_id": room.id, "text": mentoring.HELP_ASKED}, to=room_channel(room.id))
    # The payload is made from what this transaction wrote (the INSERT returned the whole
    # row, and the author is the member in hand): no statement while the lock is held.
    payload = message_payload(message)
    _deliver(payload, to)
    return Sent(message, True, screening, payload)


def _keeps_boundaries(room, member, body):
    """Whether this message is held for carrying contact details or a plan to meet: in a
    mentoring room, from the pair (not from a moderator helping there), without a
    moderator's flag (screening decides that on its own). Not in a support room: there
    the only readers are trained moderators, who see held words anyway, and a member in
    crisis must never be told their whereabouts were not passed on."""
    if not mentoring.is_mentoring(room) or not boundaries.has_contact_details(body):
        return False
    return not is_facilitator(member) or member.id in mentoring.people(room)


def help_payload(member, screening):
    """What the sender's private help panel shows: the data, and the panel itself rendered
    by the same template as beside a post, so both say the same words."""
    help = help_for(member)
    panel = get_template_attribute("moderation/_help_panel.html", "help_panel")
    return {"severity": str(screening.severity), **help, "html": str(panel(help, "chat-help-heading"))}


# ----- changing a stored message -----------------------------------------------------

def remove(message, by):
    """Take the message down for everyone (kept, with who and when, for the audit); open
    rooms drop it after the commit. True if it was showing."""
    if message.removed_at is not None:
        return False
    message.removed_at, message.removed_by_id = utcnow(), by.id
    to = [room_channel(message.room_id)] + ([member_channel(message.member_id)] if message.member_id else [])
    emit_after_commit("removed", {"id": message.id, "room_id": message.room_id}, to=to)
    return True


def restore(message):
    """Undo a removal: open rooms get the message again, in its place (or, while it is
    held, its sender and the room's moderators do). True if it was removed. Words that
    left with their author's account (Message.erased) never come back."""
    if message.removed_at is None or not message.body_md:
        return False
    message.removed_at = message.removed_by_id = None
    payload = message_payload(message)
    _deliver(payload, _recipients(message.room, message.member_id, payload["held"]))
    return True


def release_hold(message):
    """A moderator reviewed held words: everyone in the room sees them now (unless the
    message is removed). True if it was held."""
    if message.held_at is None or kept_back(message):
        # Contact details in a mentoring room stay with their writer: a moderator reviewing
        # a flag on the same message releases nothing of them.
        return False
    message.held_at = None
    if message.removed_at is None:
        _deliver(message_payload(message), _recipients(message.room, message.member_id, False))
    return True


def remove_message(message_id, facilitator):
    """A facilitator removes a message from the room (the chat's own Remove button)."""
    message = db.session.get(Message, message_id) if isinstance(message_id, int) else None
    if message is None:
        raise ChatError("We couldn't find that message.")
    check_facilitator(message.room, facilitator)
    if remove(message, facilitator):
        audit.record(facilitator, "removed message", "message", message.id)
    return message
