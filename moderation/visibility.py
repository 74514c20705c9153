"""Who may read a post's words: one rule for every page, form, list and search.

A post's words are withheld from a reader when
- a moderator hid the post: from every member (its place in the thread says so), or
- screening held it for review (method detail, safe messaging): from everyone but its
  author and trained moderators, until a moderator releases it;
and a post its author deleted has no words left to read.

A thread's title is part of its opening post (screening reads them together), so it is
shown exactly when that post's words are, and always to trained moderators, who reach a
thread from the queue. Reader pages call `may_read` (Python, on a Post or on a row with
the same columns) or `readable` (the same rule as an SQL condition), never the columns.
"""
from typing import NamedTuple

from flask_login import current_user
from sqlalchemy import and_, false, or_, true

from forum.models import Post

from . import access


class Reader(NamedTuple):
    id: int | None  # None: not signed in
    moderator: bool  # a trained moderator (role and a current training record)


def reader(member=None):
    """The Reader for `member` (the signed-in one by default): decided once per request."""
    member = current_user if member is None else member
    if member is None or not getattr(member, "is_authenticated", False):
        return Reader(None, False)
    return Reader(member.id, access.can_moderate(member))


def sees_held(post, reader):
    """Held words are for their author and trained moderators."""
    return reader.moderator or (reader.id is not None and post.author_id == reader.id)


def _not_withheld(post, reader):
    return post.hidden_at is None and (post.held_at is None or sees_held(post, reader))


def _not_withheld_sql(reader, post):
    if reader.moderator:
        held_ok = true()
    else:
        held_ok = or_(post.held_at.is_(None), post.author_id == reader.id if reader.id is not None else false())
    return and_(post.hidden_at.is_(None), held_ok)


def may_read(post, reader):
    """May this reader see this post's words (its body, its quote, an excerpt of it)?"""
    return post.deleted_at is None and _not_withheld(post, reader)


def readable(reader, post=Post):
    """may_read as an SQL condition on `post` (the Post entity or an alias of it)."""
    return and_(post.deleted_at.is_(None), _not_withheld_sql(reader, post))


def shows_title(opening, reader):
    """May this reader see the title of the thread that `opening` opens? (A thread whose
    author deleted their opening words keeps its title.)"""
    return reader.moderator or _not_withheld(opening, reader)


def title_shown(reader, opening):
    """shows_title as an SQL condition on `opening` (an alias of Post)."""
    return true() if reader.moderator else _not_withheld_sql(reader, opening)


def title_withheld(reader, opening):
    """SQL: NOT title_shown, written positively and with no NULL left undecided (an opening
    whose author's account is gone is held from everyone but moderators), so that it
    implies ix_post_opening_withheld's condition (hidden_at or held_at set) and PostgreSQL
    reads the few withheld openings from that index."""
    if reader.moderator:
        return false()
    held = opening.held_at.is_not(None)
    if reader.id is not None:
        held = and_(held, opening.author_id.is_distinct_from(reader.id))
    return or_(opening.hidden_at.is_not(None), held)
