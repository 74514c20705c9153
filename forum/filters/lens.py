"""What a member chose not to see: one rule for every page that shows posts, threads,
search hits, chat lines and notifications (as moderation.visibility is for held and
hidden words).

A post, thread or chat line is tucked away for its viewer (never removed: a quiet
"1 post hidden by your filters · show" takes its place) when
- its author is someone the viewer blocked ("blocked"), or
- its content warning, title or words match a topic or muted word they chose, case
  insensitively on whole words ("filtered").
A member's own words are never tucked away. Their Lens is loaded once per request (one
query); pages call `hides` (Python, on one item) or `hidden_sql` (the same rule as an SQL
expression, where a list is queried). Support rooms and a moderator's outreach are never
filtered (a member can't shut out help), and the moderator desk never reads a Lens.

The words are matched by one regular expression, built from forum.filters.topics and the
member's words, which reads the same in Python, PostgreSQL (`~`), SQLite (SQLAlchemy's
REGEXP function: Python's re) and the chat page's script (static/chat.js), so the live
chat hides exactly what the server-rendered history does.
"""
import re
from functools import lru_cache
from typing import NamedTuple

from flask import g
from flask_login import current_user
from sqlalchemy import String, and_, case, exists, false, func, literal, null, or_, select, true

from ..extensions import db
from ..models import Block, Member, MemberFilter
from . import topics

BLOCKED, FILTERED = "blocked", "filtered"


def _term(term):
    """One term (forum.filters.topics explains the signs) as a regular expression."""
    star = term.endswith("*")
    words = [w.replace("-", r"[-\s]?").replace("'", "['’]") for w in term.rstrip("*").split()]
    return r"\s+".join(words) + (r"\w*" if star else "")


def pattern(topic_keys, words):
    """The expression for these topics and words (without flags: each engine adds case
    insensitivity its own way), or None when there is nothing to hide."""
    terms = list(dict.fromkeys(t.casefold() for t in [*topics.terms(topic_keys), *words]))
    if not terms:
        return None
    return r"(^|\W)(?:" + "|".join(_term(t) for t in terms) + r")(\W|$)"


class Lens(NamedTuple):
    member_id: int | None  # None: not signed in, nothing to hide
    blocked: frozenset  # member ids
    pattern: str | None  # see pattern()

    @property
    def active(self):
        return bool(self.blocked or self.pattern)

    # ---- Python: one item ----------------------------------------------------------

    def hides(self, author_id, *texts):
        """BLOCKED, FILTERED or None for an item by `author_id` with these texts (its
        content warning, title, words; None for missing ones)."""
        if self.member_id is None or author_id == self.member_id:
            return None
        if author_id in self.blocked:
            return BLOCKED
        if self.pattern and any(t and _compiled(self.pattern).search(t) for t in texts):
            return FILTERED
        return None

    # ---- SQL: a list ---------------------------------------------------------------

    def matches_sql(self, *texts):
        """SQL: one of these text columns matches the member's filters."""
        if not self.pattern:
            return false()
        # "(?i)" works as a leading option in both Python's re and PostgreSQL's AREs.
        return or_(*(func.coalesce(t, "").regexp_match("(?i)" + self.pattern) for t in texts))

    def blocked_sql(self, author):
        """SQL: `author` (a member id column) is someone this member blocked."""
        if not self.blocked:
            return false()
        return and_(author.is_not(None), author.in_(select(Block.blocked_id).where(Block.blocker_id == self.member_id).scalar_subquery()))

    def hidden_sql(self, author, *texts):
        """`hides` as an SQL expression: BLOCKED, FILTERED or NULL, labelled "hidden_by"."""
        if not self.active:
            return null().label("hidden_by")
        return case((author == self.member_id, null()), (self.blocked_sql(author), literal(BLOCKED, String)),
                    (self.matches_sql(*texts), literal(FILTERED, String)), else_=null()).label("hidden_by")

    def shown_sql(self, author, *texts):
        """SQL condition: the item is not hidden (for counts that leave hidden items out)."""
        if not self.active:
            return true()
        return or_(author == self.member_id, and_(~self.blocked_sql(author), ~self.matches_sql(*texts)))


NOBODY = Lens(None, frozenset(), None)


@lru_cache(maxsize=256)
def _compiled(source):
    return re.compile(source, re.IGNORECASE)


def load(member_id):
    """The Lens of this member, read in one query."""
    rows = db.session.execute(
        select(MemberFilter.topics, MemberFilter.words, Block.blocked_id).select_from(Member)
        .outerjoin(MemberFilter, MemberFilter.member_id == Member.id)
        .outerjoin(Block, Block.blocker_id == Member.id)
        .where(Member.id == member_id)).all()
    if not rows:
        return Lens(member_id, frozenset(), None)
    topic_keys, words, _ = rows[0]
    return Lens(member_id, frozenset(r.blocked_id for r in rows if r.blocked_id is not None),
                pattern(topic_keys or (), words or ()))


def of(member_id):
    """This member's Lens, loaded once per request (NOBODY for a guest)."""
    if member_id is None:
        return NOBODY
    lens = g.get("filters_lens")
    if lens is None or lens.member_id != member_id:
        lens = g.filters_lens = load(member_id)
    return lens


def current():
    """The signed-in member's Lens (NOBODY for a guest)."""
    return of(current_user.id if getattr(current_user, "is_authenticated", False) else None)


def not_blocked_by(member, actor_id):
    """SQL: `member` (a member id column) has not blocked `actor_id`: the condition that
    keeps a blocked member's replies, mentions and reactions from notifying the blocker
    (forum.notifications.service)."""
    if actor_id is None:
        return true()
    return ~exists().where(Block.blocker_id == member, Block.blocked_id == actor_id)
