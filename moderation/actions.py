"""What a moderator can do about the content and the member behind a flag. Each action
writes its audit entry in the same transaction as the change."""
from datetime import timedelta

from forum.extensions import db
from forum.models import Member, utcnow

from . import audit, review
from .models import MUTE_CHOICES, HandoffNote
from .routing import Conflict


def _act(flag, do):
    """do(reviewable, item id) on the flag's content, through its kind's reviewable
    (moderation.review): (reviewable, item id, what do returned). A refusal is a Conflict."""
    try:
        reviewable, item_id = review.content_of(flag)
        return reviewable, item_id, do(reviewable, item_id)
    except review.Refused as refused:
        raise Conflict(str(refused)) from None


def hide(flag, moderator, reason):
    """A hidden post shows as hidden; a chat message is removed (kept for the audit) and
    leaves every open room live."""
    reviewable, item_id, _ = _act(flag, lambda r, i: r.hide(i, moderator))
    audit.record(moderator, f"hid {reviewable.kind}", reviewable.kind, item_id, flag=flag, reason=reason)


def restore(flag, moderator, reason):
    reviewable, item_id, _ = _act(flag, lambda r, i: r.restore(i, moderator))
    audit.record(moderator, f"restored {reviewable.kind}", reviewable.kind, item_id, flag=flag, reason=reason)


def release_hold(flag, moderator, reason):
    """The moderator reviewed held words and lets everyone see them."""
    reviewable, item_id, _ = _act(flag, lambda r, i: r.release_hold(i, moderator))
    audit.record(moderator, "released hold", reviewable.kind, item_id, flag=flag, reason=reason)


def reply(flag, moderator, body):
    """A reply where the flagged content was written (a post's thread), from the
    moderator's own account. Returns the reply's id."""
    reviewable, _, new_id = _act(flag, lambda r, i: r.reply(i, moderator, body))
    audit.record(moderator, "replied", reviewable.kind, new_id, flag=flag)
    return new_id


def mute(flag, moderator, minutes, reason):
    member = db.session.get(Member, flag.member_id) if flag.member_id else None
    if member is None:
        raise Conflict("There is no member to mute.")
    member.muted_until = utcnow() + timedelta(minutes=minutes)
    audit.record(moderator, f"muted for {MUTE_CHOICES.get(minutes, f'{minutes} minutes')}", "member",
                 member.id, flag=flag, reason=reason)


def write_handoff_note(moderator, body):
    """A note for whoever is on duty next, audited like every desk action; returns it."""
    note = HandoffNote(author_id=moderator.id, body=body.strip())
    db.session.add(note)
    db.session.flush()  # the audit entry names the note
    audit.record(moderator, "wrote hand-off note", "handoff_note", note.id)
    return note
