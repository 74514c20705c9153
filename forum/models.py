"""The forum's tables. Nothing here stores an email, a real name or a client address."""
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow():
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """Aware UTC datetimes on every engine (SQLite keeps no zone, so we restore it)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use forum.models.utcnow()")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def result_processor(self, dialect, coltype):
        # PostgreSQL's timestamptz comes back aware: nothing to restore, and no Python call
        # per value (a thread page reads 1,000 of them).
        if dialect.name == "postgresql":
            return None
        return super().result_processor(dialect, coltype)


ROLES = ("member", "moderator", "admin")
THEMES = ("light", "dark")
REACTIONS = {  # kind -> label shown to members
    "hug": "Hug",
    "me_too": "Me too",
    "strength": "Strength",
    "thanks": "Thanks",
}


class Member(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(sa.String(40))
    # Look-alike skeleton of the handle (case, 0/o, 1/l/I, rn/m ...): unique, so that
    # nobody can pass for an existing member.
    handle_key: Mapped[str] = mapped_column(sa.String(40), unique=True)
    passphrase_hash: Mapped[str | None] = mapped_column(sa.String(255))
    recovery_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16), default="member")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    muted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Crisis lines region, chosen by the member (never guessed from their address).
    region: Mapped[str | None] = mapped_column(sa.String(8))
    # "light" or "dark" when the member picked one; None follows their device's setting.
    theme: Mapped[str | None] = mapped_column(sa.String(8))
    # Said by the member themself (asking for a mentor): under 18 is never matched one-to-one.
    stated_under_18: Mapped[bool | None] = mapped_column()
    # Notification kinds the member turned off (NOTIFICATION_KINDS; never "outreach").
    notifications_off: Mapped[list] = mapped_column(sa.JSON, default=list)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def display_handle(self):
        return "former member" if self.deleted_at else self.handle

    def muted(self, now=None):
        """True while a moderator's mute is running."""
        return self.muted_until is not None and self.muted_until > (now or utcnow())

    @property
    def is_moderator(self):
        return self.role in ("moderator", "admin")

    @property
    def is_admin(self):
        return self.role == "admin"


class LoginSession(db.Model):
    """One row per signed-in browser: logout or account deletion deletes it, which ends
    that session even though the cookie itself is still signed."""

    token_hash: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moved forward at most once a minute (not on every request): the idle timeout's clock.
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Board(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text)
    guidelines: Mapped[str] = mapped_column(sa.Text)
    position: Mapped[int] = mapped_column(default=0)


class Thread(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(sa.ForeignKey("board.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept up to date on every reply so that a board page needs no aggregate per thread.
    last_post_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    post_count: Mapped[int] = mapped_column(default=0)

    board: Mapped[Board] = relationship()
    author: Mapped[Member | None] = relationship()

    # A board's page, latest activity first: read in index order, no sort (0016_scale_indexes).
    __table_args__ = (sa.Index("ix_thread_board_latest", "board_id", "last_post_at", "id"),)


_WITHHELD_OPENING = "parent_id IS NULL AND (hidden_at IS NOT NULL OR held_at IS NOT NULL)"


class Post(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("thread.id"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id"))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"), index=True)
    # Displayed nesting (capped); the real parent stays in parent_id.
    depth: Mapped[int] = mapped_column(default=0)
    # Materialised path of zero-padded ids: ORDER BY sort_key is the thread in tree order,
    # so any page of a long thread is one indexed range query.
    sort_key: Mapped[str] = mapped_column(sa.String(255))
    body_md: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)  # rendered once, at write time
    content_warning: Mapped[str | None] = mapped_column(sa.String(100))
    # Made by the form when it is shown: a double submit finds the first post instead
    # of writing a second one.
    client_token: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"))
    # Method or means detail (safe messaging): only its author and moderators see it until
    # a moderator reviews it.
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    thread: Mapped[Thread] = relationship()
    author: Mapped[Member | None] = relationship(foreign_keys=[author_id])
    parent: Mapped["Post | None"] = relationship(remote_side=[id])

    __table_args__ = (
        sa.Index("ix_post_thread_order", "thread_id", "sort_key"),
        # Each thread's opening post, for the board page's join (0016_scale_indexes).
        sa.Index("ix_post_opening", "thread_id", postgresql_where=sa.text("parent_id IS NULL"),
                 sqlite_where=sa.text("parent_id IS NULL")),
        # The few opening posts withheld from readers (hidden or held): the threads a board
        # page leaves out, found without reading every opening (0016_scale_indexes).
        sa.Index("ix_post_opening_withheld", "thread_id", postgresql_where=sa.text(_WITHHELD_OPENING),
                 sqlite_where=sa.text(_WITHHELD_OPENING)),
        sa.UniqueConstraint("author_id", "client_token", name="uq_post_author_client_token"),
    )

    @property
    def is_opening(self):
        return self.parent_id is None

    @property
    def is_visible(self):
        return self.deleted_at is None and self.hidden_at is None and self.held_at is None


class Reaction(db.Model):
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("post.id"), primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ---- chat: rooms, messages, per-room mutes, and live connections (presence). No chat
# table stores a client address: a connection row holds only the Socket.IO id, who it is
# and which room they are looking at.

ROOM_KINDS = ("group", "support", "mentoring")
MESSAGE_MAX = 2000  # characters in one chat message


class Room(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(60), unique=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    topic: Mapped[str] = mapped_column(sa.Text, default="")
    guidelines: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[str] = mapped_column(sa.String(16), default="group")  # group | support
    # A support room belongs to one member; only they and moderators may enter it.
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"), index=True)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"))
    slow_mode_s: Mapped[int] = mapped_column(default=0)  # 0: off
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member | None] = relationship(foreign_keys=[member_id])

    @property
    def is_private(self):
        """A support room (a member and moderators) or a mentoring room (a mentee and their
        mentor): never listed, never muted, its messages go only to the people it is for."""
        return self.kind in ("support", "mentoring")

    @property
    def locked(self):
        return self.locked_at is not None


class Message(db.Model):
    # Ids only grow, and the send path locks the room row, so within a room id order is
    # commit order: "everything after id N" is exactly what a reconnecting client missed.
    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id"))
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"))
    # Made by the sender's client: a retry with the same id finds the stored message.
    client_id: Mapped[str] = mapped_column(sa.String(64))
    body_md: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)  # rendered once, at write time
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Safe messaging: only the sender and moderators see it until a moderator reviews it.
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Removed by a facilitator: gone for everyone, kept (with who and when) for the audit.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"))

    room: Mapped[Room] = relationship()
    member: Mapped[Member | None] = relationship(foreign_keys=[member_id])

    @classmethod
    def erased(cls, by_id, now):
        """UPDATE values that take a message's words away for good (its author closed their
        account): gone for everyone like a removal, with nothing left to restore. A removal
        a moderator made keeps its who and when for the audit."""
        return {"body_md": "", "body_html": "", "removed_at": sa.func.coalesce(cls.removed_at, now),
                "removed_by_id": sa.case((cls.removed_at.is_(None), by_id), else_=cls.removed_by_id)}

    __table_args__ = (
        sa.Index("ix_message_room_order", "room_id", "id"),
        sa.UniqueConstraint("member_id", "client_id", name="uq_message_member_client_id"),
    )


class RoomMute(db.Model):
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"))


class ChatConnection(db.Model):
    """One row per live socket, shared by every server process: presence lists, member
    counts and "disconnect this member everywhere" read it. `seen_at` is refreshed by the
    owning process, so the rows of a process that died fade out on their own."""

    sid: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id", ondelete="SET NULL"), index=True)
    server_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# What a member can be told in the notification centre, and whether they may turn it off.
NOTIFICATION_KINDS = {
    "reply": "Replies to your posts and threads",
    "mention": "Mentions of your handle",
    "reactions": "Reactions to your posts (gathered, never one per click)",
    "report": "What happened to posts you reported",
    "new_thread": "Threads started in boards you follow",
    # Peer mentoring's news (Notification.text holds the whole sentence, no one's words): a
    # request offered to a mentor, a match, a request waiting too long, a mentor asking for a break.
    "mentoring": "Peer mentoring: requests, matches, and news for mentors and their supervisors",
    "outreach": "A moderator would like to talk with you",  # never turned off
}
ALWAYS_ON = frozenset({"outreach"})


class Notification(db.Model):
    """One thing to tell one member, shown in their notification centre and delivered live.
    It points at what it is about (a post, a chat room, a flag's outcome) rather than
    copying its words, so hidden or deleted content disappears from it by itself."""

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(16))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id", ondelete="CASCADE"), index=True)
    room_id: Mapped[int | None] = mapped_column(sa.ForeignKey("room.id", ondelete="CASCADE"))
    # Plain words that carry no content of anyone's post (e.g. a report's outcome).
    text: Mapped[str | None] = mapped_column(sa.String(300))
    count: Mapped[int] = mapped_column(default=1)  # reactions gathered into this one
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (sa.Index("ix_notification_member_unread", "member_id", "read_at", "id"),)


# Stanley & Brown's safety plan, in their order: field name -> (heading, prompt).
SAFETY_PLAN_SECTIONS = {
    "warning_signs": ("Warning signs", "Thoughts, feelings or situations that tell me a crisis may be starting"),
    "coping": ("Things I can do on my own", "Ways to take my mind off things, without contacting anyone"),
    "people_places": ("People and places that help", "People and social settings that distract me or lift me"),
    "ask_for_help": ("People I can ask for help", "People I can tell that I'm struggling"),
    "professionals": ("Professionals and crisis lines", "Clinicians, services and lines I can contact"),
    "safer_environment": ("Making my surroundings safer", "How I can keep away from what I could use to hurt myself"),
    "reasons": ("My reasons for living", "What matters most to me and is worth living for"),
}


class SafetyPlan(db.Model):
    """A member's own safety plan: private to them. Moderators learn only whether one
    exists, never what it says."""

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    sections: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # SAFETY_PLAN_SECTIONS key -> text
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)



# ---- filters and blocks (forum.filters): what a member chose not to see. Their own
# choice, private to them: nobody is told they were blocked, and moderators' pages never
# read these tables.

class MemberFilter(db.Model):
    """The topics (forum.filters.topics keys) and muted words one member hides."""

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    topics: Mapped[list] = mapped_column(sa.JSON, default=list)
    words: Mapped[list] = mapped_column(sa.JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Block(db.Model):
    """`blocker` no longer sees `blocked`'s posts and chat lines, nor hears from them."""

    blocker_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    blocked_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ---- recovery space: a member's own daily check-ins, goals and milestones. Private to
# them: no address shows anyone else's, it is in their export, and it leaves with their
# account. A check-in's note alone is screened, as every word written here is; trained
# moderators see it only through the flag it raises when it suggests danger.

# Words, not only faces: what each mood means is said, so it reads the same to everyone.
MOODS = {1: "Really struggling", 2: "Low", 3: "Getting by", 4: "Okay", 5: "Good"}
CHECKIN_TAGS = {"slept": "Slept well", "ate": "Ate", "moved": "Moved my body", "used": "Used or drank",
                "urges": "Had urges"}
CHECKIN_NOTE_MAX = 500  # one line (or a few) about the day, not a journal entry
# Days since a milestone's start that are celebrated.
MILESTONE_MARKS = (1, 7, 30, 90, 180, 365)


class CheckIn(db.Model):
    """How a member's day went: one per member per day (UTC); saving again replaces it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(sa.Date)
    mood: Mapped[int] = mapped_column()  # a key of MOODS
    note: Mapped[str] = mapped_column(sa.Text, default="")
    tags: Mapped[list] = mapped_column(sa.JSON, default=list)  # keys of CHECKIN_TAGS
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The calendar and chart read one member's days in order: one indexed range.
    __table_args__ = (sa.UniqueConstraint("member_id", "day", name="uq_check_in_member_day"),)

    @property
    def mood_words(self):
        return MOODS.get(self.mood, "")


class Goal(db.Model):
    """A small, realistic goal the member set, with steps to tick off."""

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Shared to the Wins board by the member (the thread is theirs, like any other).
    shared_thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("thread.id", ondelete="SET NULL"))

    steps: Mapped[list["GoalStep"]] = relationship(order_by="GoalStep.position, GoalStep.id",
                                                   cascade="all, delete-orphan", passive_deletes=True)


class GoalStep(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(sa.ForeignKey("goal.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Milestone(db.Model):
    """Days since a date the member chose (sober, self-harm-free, anything they name).
    Starting again keeps every earlier run in `runs`, and the longest is remembered."""

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(100))
    since: Mapped[date] = mapped_column(sa.Date)
    # Earlier runs, oldest first: [{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "days": n}].
    runs: Mapped[list] = mapped_column(sa.JSON, default=list)
    longest_days: Mapped[int] = mapped_column(default=0)  # of the earlier runs
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    shared_thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("thread.id", ondelete="SET NULL"))


# ---- drafts and profiles (issue 14: the everyday forum)

class Draft(db.Model):
    """What a member is writing and has not posted yet: one per thread (a reply) or per
    board (a new thread). Private to them: never shown to anyone else, never screened
    (nothing is published), gone when the post succeeds or they discard it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"))
    # Exactly one of the two: a reply in a thread, or a new thread on a board.
    thread_id: Mapped[int | None] = mapped_column(sa.ForeignKey("thread.id", ondelete="CASCADE"))
    board_id: Mapped[int | None] = mapped_column(sa.ForeignKey("board.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    content_warning: Mapped[str] = mapped_column(sa.String(100), default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("member_id", "thread_id", name="uq_draft_member_thread"),
        sa.UniqueConstraint("member_id", "board_id", name="uq_draft_member_board"),
        sa.CheckConstraint("(thread_id IS NULL) <> (board_id IS NULL)", name="one_place"),
    )


ABOUT_MAX = 160  # characters in a profile's "about me" line


class Profile(db.Model):
    """The little a member chooses to say about themselves, all optional and public on
    their profile page. Nothing identifying is asked for."""

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    about: Mapped[str] = mapped_column(sa.String(ABOUT_MAX), default="")
    # Month precision: always the first day of the month the member gave.
    recovery_since: Mapped[date | None] = mapped_column(sa.Date)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# ---- following and unread: which threads and boards a member follows, and how far they
# have read each thread. Private to the member (in their export, gone with their account).

class ThreadFollow(db.Model):
    """A member follows a thread: they hear of its replies. Writing in a thread follows it;
    unfollowing keeps the row with `following` false, so that writing there again does not
    quietly follow it again against the member's choice."""

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True)
    following: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # A reply tells the thread's followers: one index range.
    __table_args__ = (sa.Index("ix_thread_follow_thread", "thread_id", "following", "member_id"),)


class BoardFollow(db.Model):
    """A member follows a board: they hear of each new thread in it."""

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    board_id: Mapped[int] = mapped_column(sa.ForeignKey("board.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.Index("ix_board_follow_board", "board_id", "member_id"),)


class ReadMark(db.Model):
    """How far a member has read a thread: the newest post a page of it showed them. The
    posts after it that they may read are their unread ones (counted with ix_post_thread_id)."""

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    thread_id: Mapped[int] = mapped_column(sa.ForeignKey("thread.id", ondelete="CASCADE"), primary_key=True)
    last_read_post_id: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Unread counts: the posts of a thread after a read mark, one index range.
sa.Index("ix_post_thread_id", Post.thread_id, Post.id)


# ---- peer mentoring (issue 15): trained peers with lived experience, one-to-one with a
# member who asked. A mentor's training is recorded like a moderator's (only current mentors
# take requests); a pair talks in a private Room of kind "mentoring"; supervisors (moderators)
# see loads, waits and flags, never the words unless a flag or a complaint opens them.

MENTOR_TOPICS = {
    "alcohol": "Alcohol", "opioids": "Opioids", "stimulants": "Stimulants", "cannabis": "Cannabis",
    "gambling": "Gambling", "depression": "Depression", "anxiety": "Anxiety", "eating": "Eating",
    "self_harm": "Self-harm", "grief": "Grief and loss", "carers": "Caring for someone", "trauma": "Trauma",
}
MENTOR_LANGUAGES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "pt": "Portuguese", "it": "Italian",
    "pl": "Polish", "nl": "Dutch", "ar": "Arabic", "hi": "Hindi", "zh": "Chinese", "cy": "Welsh",
}
# Weekly availability: days x parts of the day, e.g. {"mon": ["evening"], "sat": ["morning", "afternoon"]}.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_PARTS = ("morning", "afternoon", "evening", "night")
MENTEE_CAP = 3  # active mentees per mentor, unless an admin sets another cap
# Why a pairing ended, as the person ending it chose (never required: "no_reason" is a choice).
PAIR_END_REASONS = {
    "no_reason": "I'd rather not say", "goals_met": "We reached what we set out to do",
    "not_a_fit": "It wasn't the right fit", "mentor_capacity": "The mentor needed to step back",
    "handed_off": "Handed to a trained moderator", "account_closed": "An account was closed",
}
REQUEST_STATUSES = ("waiting", "offered", "matched", "withdrawn", "escalated")


class MentorProfile(db.Model):
    """A member who is a peer mentor: granted by an admin, with a training record."""

    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), primary_key=True)
    trained_on: Mapped[date | None] = mapped_column(sa.Date)
    training_expires: Mapped[date | None] = mapped_column(sa.Date)
    topics: Mapped[list] = mapped_column(sa.JSON, default=list)  # keys of MENTOR_TOPICS they offer
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)  # keys of MENTOR_LANGUAGES
    availability: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # WEEKDAYS -> [DAY_PARTS]
    intro: Mapped[str] = mapped_column(sa.String(300), default="")  # a line of lived experience, their words
    cap: Mapped[int] = mapped_column(default=MENTEE_CAP)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # taking no new requests for now
    supervisor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    last_offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # fairness: least recent first
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    member: Mapped[Member] = relationship(foreign_keys=[member_id])

    def trained(self, today):
        return bool(self.trained_on and self.training_expires and self.trained_on <= today <= self.training_expires)


class MentoringRequest(db.Model):
    """A member asking for a mentor: what they'd like support with. Waits in a visible queue;
    offered to one mentor at a time, re-offered when unanswered, escalated to moderators last."""

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    topics: Mapped[list] = mapped_column(sa.JSON, default=list)
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    status: Mapped[str] = mapped_column(sa.String(16), default="waiting", index=True)  # REQUEST_STATUSES
    chosen_mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    offered_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"), index=True)
    offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    offers: Mapped[int] = mapped_column(default=0)  # how many mentors it was offered to
    declined_by: Mapped[list] = mapped_column(sa.JSON, default=list)  # mentor ids not to offer again
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    matched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class MentoringPair(db.Model):
    """A mentor and a mentee, from the match until either ends it (no reason needed)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_request.id", ondelete="SET NULL"))
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id"), index=True)
    room_id: Mapped[int] = mapped_column(sa.ForeignKey("room.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    end_reason: Mapped[str | None] = mapped_column(sa.String(24))  # PAIR_END_REASONS
    goals_summary: Mapped[str] = mapped_column(sa.Text, default="")  # the mentee's goals, their words

    mentor: Mapped[Member] = relationship(foreign_keys=[mentor_id])
    mentee: Mapped[Member] = relationship(foreign_keys=[mentee_id])
    room: Mapped[Room] = relationship()


class MentoringSession(db.Model):
    """One conversation the pair started and ended, with the mentee's private fit rating."""

    id: Mapped[int] = mapped_column(primary_key=True)
    pair_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_pair.id", ondelete="CASCADE"), index=True)
    started_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fit: Mapped[str | None] = mapped_column(sa.String(16))  # "helpful" | "not_for_me": the mentee's, private


class MentorCheckIn(db.Model):
    """A mentor's weekly wellbeing check-in (burnout): seen by them and their supervisor."""

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id", ondelete="CASCADE"), index=True)
    week: Mapped[date] = mapped_column(sa.Date)  # the Monday of the week
    feeling: Mapped[int] = mapped_column()  # 1 (running on empty) .. 5 (well rested)
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    wants_a_break: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.UniqueConstraint("mentor_id", "week", name="uq_mentor_check_in_week"),)
