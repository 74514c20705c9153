"""Crisis hand-off in a mentoring room: a peer mentor is not a crisis worker, so one button
brings in a trained moderator, and screening does the same on its own.

The mentor's hand-off is a member's report of the mentee's latest words ("I'm worried
about this person's safety", moderation.flags.report): it joins an open flag on them or
opens one at "high", so moderators are paged exactly as for any flag (queue, SLA, sweeper,
pager), and the flag page shows the words in their context. The room hears the line
"A trained moderator has been asked to join." from the mentor, and the hand-off is audited
(HANDOFF_ACTION), which is what the supervisors' metrics count.

This module sits above the features (.importlinter) because it writes into the room
through forum.chat's own send path: screened, persisted, in order, delivered after commit.
"""
import secrets

from sqlalchemy import select

from moderation import audit, flags
from moderation.models import ACTIVE, Flag

from ..chat import mentoring as rooms
from ..chat import messages
from ..chat.mentoring import HELP_ASKED
from ..chat.rooms import ChatError
from ..extensions import db
from ..models import Message

HANDOFF_LINE = HELP_ASKED  # the words the room shows too (forum.chat.mentoring)
HANDOFF_ACTION = "mentoring hand-off"
DETAIL = "A peer mentor handed this mentoring conversation to a trained moderator."


class Refused(ValueError):
    """A hand-off we can't make, with the words to say why."""


def notice(pair, viewer):
    """The line the pair page shows `viewer` while help is on its way: to the mentor, who
    must know a moderator is coming; the mentee has the help panel and the room's line."""
    if viewer.id == pair.mentor_id and pair.ended_at is None and rooms.help_requested(pair.room):
        return HANDOFF_LINE
    return None


def _latest_from(room, member_id):
    return db.session.scalar(select(Message).where(
        Message.room_id == room.id, Message.member_id == member_id, Message.removed_at.is_(None))
        .order_by(Message.id.desc()).limit(1))


def _room_flag(room):
    return db.session.scalar(select(Flag).join(Message, Message.id == Flag.message_id).where(
        Message.room_id == room.id, Flag.status.in_(ACTIVE)).order_by(Flag.id.desc()).limit(1))


def _say(room, mentor):
    """The line into the room, through chat's send path; None if chat refused it (the
    mentor's own chat limit): the flag matters more than the line, and the pair page
    says it anyway while help is on its way."""
    try:
        return messages.send_message(room, mentor, HANDOFF_LINE, f"handoff-{secrets.token_hex(8)}").message
    except ChatError:
        return None


def _report(pair, mentor, line):
    """Report the mentee's latest words; when the mentor reported those already, the
    room's open flag stands (or the line itself is reported, to open a fresh one)."""
    for message in (_latest_from(pair.room, pair.mentee_id), line):
        if message is None:
            continue
        try:
            return flags.report(reporter=mentor, reason="crisis", detail=DETAIL, message=message)
        except flags.AlreadyReported:
            if (flag := _room_flag(pair.room)) is not None:
                return flag
    return _room_flag(pair.room)


def hand_off(pair, mentor):
    """The mentor's one button. Returns the flag moderators were paged with."""
    if mentor.id != pair.mentor_id:
        raise Refused("Only the mentor hands a conversation to a moderator. "
                      "You can always use “Need help now?” or “Talk to a moderator now”.")
    if pair.ended_at is not None:
        raise Refused("This mentoring has ended. If you're worried about them, please report their words.")
    line = _say(pair.room, mentor)
    flag = _report(pair, mentor, line)
    if flag is None:
        raise Refused("We couldn't reach the moderators from here just now. Please press the button again.")
    audit.record(mentor, HANDOFF_ACTION, "room", pair.room_id, flag=flag, reason=f"mentoring pair {pair.id}")
    return flag
