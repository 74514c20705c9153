"""Profiles: the member's own fields, and what anyone may read of what they wrote.

A profile shows only what every visitor may read (moderation.visibility with a reader who
is not signed in), whoever looks: held, hidden and deleted posts never appear, nor posts
in a thread whose title is withheld."""
from sqlalchemy import and_, func, select
from sqlalchemy.orm import aliased

from moderation import visibility

from ..extensions import db
from ..models import Board, Member, Post, Profile, Thread, utcnow

EVERYONE = visibility.Reader(None, False)
BOARDS_SHOWN = 6


def find(handle):
    """The current (not deleted) member with exactly this handle, or None."""
    return db.session.scalar(select(Member).where(Member.handle == handle, Member.deleted_at.is_(None)))


def profile_of(member):
    return db.session.get(Profile, member.id)


def save(member, about, recovery_since):
    """Keep the member's profile fields; with both empty there is no profile row at all."""
    about = (about or "").strip()
    row = profile_of(member)
    if not about and recovery_since is None:
        if row is not None:
            db.session.delete(row)
        return None
    if row is None:
        row = Profile(member_id=member.id)
        db.session.add(row)
    row.about, row.recovery_since, row.updated_at = about, recovery_since, utcnow()
    return row


def _public(member):
    """The member's posts that everyone may read, in threads whose title everyone may see."""
    opening = aliased(Post)
    return (
        select(Post)
        .join(Thread, Thread.id == Post.thread_id)
        .join(opening, and_(opening.thread_id == Thread.id, opening.parent_id.is_(None)))
        .where(Post.author_id == member.id, visibility.readable(EVERYONE), visibility.title_shown(EVERYONE, opening))
    )


def public_posts(member, before=None, per_page=20):
    """(posts with their thread and board, more?): newest first, paged by post id."""
    query = _public(member).add_columns(Thread.title, Board.slug, Board.name).join(Board, Board.id == Thread.board_id)
    if before is not None:
        query = query.where(Post.id < before)
    rows = db.session.execute(query.order_by(Post.id.desc()).limit(per_page + 1)).all()
    return rows[:per_page], len(rows) > per_page


def active_boards(member):
    """[(board, public posts there)], where the member writes most, up to BOARDS_SHOWN."""
    public = _public(member).with_only_columns(Post.id, Thread.board_id).subquery()
    return db.session.execute(
        select(Board, func.count(public.c.id))
        .join(public, public.c.board_id == Board.id)
        .group_by(Board.id)
        .order_by(func.count(public.c.id).desc(), Board.position)
        .limit(BOARDS_SHOWN)
    ).all()
