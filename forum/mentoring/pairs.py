"""A mentoring pair's life as its two people see it: finding their own pair, and ending it.

Either side may end the mentoring at any time and owes nobody a reason: the reason is a
choice they may make ("I'd rather not say" is one), never a question they must answer.
Ending can also block the other person, through the filters' own Block (forum.filters),
so they stop seeing each other's words everywhere, not only here. Ending archives the
pair's private room (forum.mentoring.pair_records.close).
"""
from ..extensions import db
from ..filters import settings as filter_settings
from ..models import PAIR_END_REASONS, MentoringPair
from . import pair_records

# What a person ending it may choose ("account_closed" is the system's, for a deletion).
# Stepping back and handing to a moderator are a mentor's reasons only.
ENDING_CHOICES = {key: PAIR_END_REASONS[key]
                  for key in ("no_reason", "goals_met", "not_a_fit", "mentor_capacity", "handed_off")}
MENTEE_CHOICES = {key: words for key, words in ENDING_CHOICES.items() if key not in ("mentor_capacity", "handed_off")}


def pair_of(member, pair_id):
    """The pair if `member` is its mentor or mentee, else None: to anyone else it doesn't exist."""
    pair = db.session.get(MentoringPair, pair_id)
    if pair is None or member.id not in (pair.mentor_id, pair.mentee_id):
        return None
    return pair


def is_mentor(pair, member):
    return pair.mentor_id == member.id


def other_side(pair, member):
    return pair.mentee if is_mentor(pair, member) else pair.mentor


def choices_for(pair, member):
    """The reasons this side may give: only a mentor says they need to step back."""
    return ENDING_CHOICES if is_mentor(pair, member) else MENTEE_CHOICES


def end(pair, member, reason="no_reason", block=False):
    """`member` ends their mentoring. Returns the handle of the person they blocked, or None.
    Ending twice (a double click) changes nothing the second time."""
    if reason not in choices_for(pair, member):
        reason = "no_reason"
    if pair.ended_at is None:
        pair_records.close(pair, member.id, reason)
    if not block:
        return None
    other = other_side(pair, member)
    try:
        return filter_settings.block(member, other.handle).display_handle
    except filter_settings.Refused:  # they closed their account, or the block list is full
        return None
