"""The forum's tables. Nothing here stores an email, a real name or a client address."""
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow():
    return datetime.now(timezone.utc)


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
            value = value.replace(tzinfo=timezone.utc)
        return value


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

    __table_args__ = (sa.Index("ix_thread_board_recent", "board_id", "last_post_at"),)


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

ROOM_KINDS = ("group", "support")
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
        return self.kind == "support"

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
