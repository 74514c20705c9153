"""A member's filters and blocks: reading and changing them, their export, and their
removal with the account. Private to the member: nobody learns they were blocked."""
import re

from sqlalchemy import delete, func, or_, select

from ..extensions import db
from ..models import Block, Member, MemberFilter, utcnow
from . import topics

WORD_MAX = 40  # characters in one muted word or phrase
WORDS_MAX = 50  # muted words one member keeps
BLOCKS_MAX = 500  # members one member blocks (loaded on every page they open)
# Words of letters and digits (with inner hyphens and apostrophes), separated by single
# spaces, and an optional * at the end: forum.filters.topics explains why no other signs.
_WORD = re.compile(r"\w[\w'’-]*(?: \w[\w'’-]*)*\*?")
WORD_RULE = ("Muted words can use letters, numbers, spaces, hyphens and apostrophes, with a * at the end "
             "to match the start of a word.")


class Refused(ValueError):
    """A change we can't make, with the words to tell the member why."""


def muted_words(text):
    """The muted words in `text` (one per line or separated by commas), checked and
    without repeats; Refused says kindly what to change."""
    words = []
    for raw in re.split(r"[,\n]", text or ""):
        word = " ".join(raw.split())
        if not word:
            continue
        if len(word) > WORD_MAX:
            raise Refused(f"Please keep each muted word or phrase under {WORD_MAX} characters: “{word[:WORD_MAX]}…”.")
        if not _WORD.fullmatch(word):
            raise Refused(f"{WORD_RULE} Please check “{word}”.")
        if word.casefold() not in {w.casefold() for w in words}:
            words.append(word)
    if len(words) > WORDS_MAX:
        raise Refused(f"You can mute up to {WORDS_MAX} words or phrases; this list has {len(words)}.")
    return words


def filters_of(member_id):
    """(topic keys, muted words) the member chose."""
    row = db.session.get(MemberFilter, member_id)
    return (list(row.topics), list(row.words)) if row is not None else ([], [])


def save_filters(member, topic_keys, words):
    """Keep these topics and words; choosing none removes the row."""
    topic_keys = [key for key in topics.TOPICS if key in set(topic_keys)]
    row = db.session.get(MemberFilter, member.id)
    if not topic_keys and not words:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = MemberFilter(member_id=member.id)
        db.session.add(row)
    row.topics, row.words, row.updated_at = topic_keys, list(words), utcnow()


def blocks_of(member_id):
    """[(blocked member, since)], by handle."""
    return db.session.execute(
        select(Member, Block.created_at).join(Block, Block.blocked_id == Member.id)
        .where(Block.blocker_id == member_id).order_by(func.lower(Member.handle))).all()


def block(member, handle):
    """Block the member with this handle; returns them. Nobody is told."""
    handle = (handle or "").strip().lstrip("@")
    # Handles are unique by a case-folded look-alike key, so this names one member at most.
    other = db.session.scalar(select(Member).where(func.lower(Member.handle) == handle.casefold(),
                                                   Member.deleted_at.is_(None)))
    if other is None:
        raise Refused(f"We couldn't find a member called “{handle}”. Check the spelling, or copy it from their post.")
    if other.id == member.id:
        raise Refused("That's you. You can't block yourself.")
    if db.session.get(Block, (member.id, other.id)) is None:
        count = db.session.scalar(select(func.count()).select_from(Block).where(Block.blocker_id == member.id))
        if count >= BLOCKS_MAX:
            raise Refused(f"You've blocked {BLOCKS_MAX} members, the most we can keep. Unblock someone first.")
        db.session.add(Block(blocker_id=member.id, blocked_id=other.id))
    return other


def unblock(member, other_id):
    """Stop blocking `other_id`; returns their handle, or None if they weren't blocked."""
    row = db.session.get(Block, (member.id, other_id))
    if row is None:
        return None
    db.session.delete(row)
    other = db.session.get(Member, other_id)
    return other.display_handle if other is not None else "former member"


def export(member):
    """The member's filters and blocks, for their data export."""
    topic_keys, words = filters_of(member.id)
    return {
        "topics": [topics.label(key) for key in topic_keys if key in topics.TOPICS],
        "muted_words": words,
        "blocked_members": [{"handle": other.display_handle, "since": since.isoformat()}
                            for other, since in blocks_of(member.id)],
    }


def forget(member):
    """The account is closing: its filters go, and its blocks in both directions (the
    member row stays, so its ON DELETE CASCADE never fires)."""
    db.session.execute(delete(MemberFilter).where(MemberFilter.member_id == member.id))
    db.session.execute(delete(Block).where(or_(Block.blocker_id == member.id, Block.blocked_id == member.id)))
