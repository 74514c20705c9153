"""Chat tables: rooms, messages, per-room mutes, and live connections (presence).

No table here stores a client address: a connection row holds only the Socket.IO id, who
it is and which room they are looking at.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Member, UTCDateTime, utcnow

ROOM_KINDS = ("group", "support")
BODY_MAX = 2000


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
