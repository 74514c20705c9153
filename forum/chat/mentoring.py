"""Who is in a mentoring room: the rule forum.chat asks on every page and event, and what
the room shows of the pair.

A mentoring room (Room.kind "mentoring") belongs to its mentee (room.member_id). While the
pair is active (a MentoringPair with this room_id and no ended_at) the mentee and the
mentor read and write there. When the pair ends, nobody writes; the mentee keeps reading
their own conversation, the mentor no longer enters (it is the mentee's story, and they may
have ended it to step away from that mentor). Trained moderators (chat's is_facilitator)
enter only while help is asked for in the room, `help_requested`: a flag still active on
one of its messages (screening raised it, someone reported a message, or the mentor's
hand-off button raised it). So supervisors never read the words otherwise.

On the safety-core floor (.importlinter), below the features: forum.chat asks it, and the
mentoring feature's own modules can too, without either importing the other.
"""
import secrets

from sqlalchemy import exists, select

from moderation.models import ACTIVE, Flag

from ..extensions import db
from ..models import Member, MentoringPair, Message, Room

KIND = "mentoring"
# What the mentor and mentee see while a moderator has been asked in (the flag is active).
HELP_ASKED = "A trained moderator has been asked to join."
ENDED = "This mentoring has ended, so nothing more can be sent here. You can still read what you both wrote."
# The room's guidelines: the boundaries of one-to-one mentoring, in plain words.
GUIDELINES = (
    "This is a private space for the two of you. Share what feels right, at your own pace. "
    "Lantern doesn't pass on phone numbers, emails, social accounts, addresses or plans to meet, "
    "and mentoring stays here, not somewhere else: that keeps you both safe. "
    "A mentor is a peer who has been there, not a therapist or a crisis service. "
    "Either of you can end the mentoring at any time, without giving a reason. "
    "If things feel unsafe, a trained moderator can join."
)


def is_mentoring(room):
    return room is not None and room.kind == KIND


def new_room(mentee, mentor=None, title="Mentoring"):
    """A mentoring room for this mentee (added to the session, flushed): the one way one is
    made, so every mentoring room says the same things."""
    room = Room(slug=f"mentoring-{secrets.token_hex(6)}", title=title, kind=KIND, member_id=mentee.id,
                opened_by_id=mentor.id if mentor is not None else None,
                topic="A private conversation between you and your mentor.", guidelines=GUIDELINES)
    db.session.add(room)
    db.session.flush()
    return room


def active_pair(room):
    """The pair talking in this room now, or None once it has ended."""
    return db.session.scalar(select(MentoringPair).where(MentoringPair.room_id == room.id,
                                                         MentoringPair.ended_at.is_(None))
                             .order_by(MentoringPair.id.desc()).limit(1))


def latest_pair(room):
    """The pair of this room, active or not (the heading names the other person)."""
    return db.session.scalar(select(MentoringPair).where(MentoringPair.room_id == room.id)
                             .order_by(MentoringPair.id.desc()).limit(1))


def help_requested(room):
    """Whether help is asked for in this room: a moderation flag still active (open,
    claimed or escalated) on one of its messages. The one rule that lets trained
    moderators in; M3's hand-off raises such a flag to do exactly that."""
    return bool(db.session.scalar(select(exists().where(
        Flag.message_id == Message.id, Message.room_id == room.id, Flag.status.in_(ACTIVE)))))


def is_party(room, member):
    """The mentee (always: it is their conversation) or the mentor of the active pair."""
    if member is None or not member.is_authenticated:
        return False
    if room.member_id == member.id:
        return True
    pair = active_pair(room)
    return pair is not None and pair.mentor_id == member.id


def people(room):
    """Member ids a message in the room is for: the mentee, and the active mentor."""
    pair = active_pair(room)
    return {room.member_id} | ({pair.mentor_id} if pair is not None else set())


def may_enter(room, member, is_facilitator):
    """Read the room: the mentee, the active mentor, or a facilitator (`is_facilitator`,
    chat's rule, asked afresh) while help is requested."""
    return is_party(room, member) or (is_facilitator(member) and help_requested(room))


def may_send(room, member, is_facilitator):
    """Write in the room: the pair while it is active; a facilitator while help is requested."""
    pair = active_pair(room)
    if pair is not None and member.id in (pair.mentee_id, pair.mentor_id):
        return True
    return is_facilitator(member) and help_requested(room)


def heading(room, viewer):
    """"Mentoring with <the other person>" for the pair; both handles for a moderator."""
    pair = latest_pair(room)
    if pair is None:
        return "Mentoring"
    mentee, mentor = db.session.get(Member, pair.mentee_id), db.session.get(Member, pair.mentor_id)
    if viewer.id == pair.mentee_id:
        return f"Mentoring with {mentor.display_handle}"
    if viewer.id == pair.mentor_id:
        return f"Mentoring with {mentee.display_handle}"
    return f"Mentoring: {mentee.display_handle} with {mentor.display_handle}"
