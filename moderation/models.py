"""Moderation tables: flags, reports, moderator training, and the audit trail.

A flag is written in the same transaction as the content it is about and is never deleted
with it: it keeps a snapshot of the words, so a moderator can act even after the author
removed the post.
"""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.models import Member, Post, UTCDateTime, utcnow

SEVERITIES = ("elevated", "high", "imminent")  # what a flag can be, least urgent first
STATUSES = ("open", "claimed", "escalated", "resolved")
ACTIVE = ("open", "claimed", "escalated")
MUTE_CHOICES = {60: "1 hour", 24 * 60: "24 hours", 7 * 24 * 60: "7 days"}  # minutes: how it reads
OUTCOMES = {
    "supported": "Supported the member",
    "referred": "Referred to a crisis line",
    "emergency": "Emergency services contacted by the member",
    "no_risk": "No risk found",
    "spam_abuse": "Spam or abuse",
}
REPORT_REASONS = {
    "crisis": "I'm worried about this person's safety",
    "harassment": "Harassment or unkindness",
    "spam": "Spam",
    "other": "Something else",
}


# What a check-in's flag says once the check-in left with its member's account (its
# checkin_id is then empty): the flag keeps its kind by it.
CHECKIN_GONE = "(A private check-in: its words left with the member's account.)"
KIND_NOUNS = {"post": "post", "message": "chat message", "checkin": "private check-in"}


class Flag(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message.id"), index=True)  # chat
    # A member's private daily check-in (forum.recovery): its note reaches trained moderators
    # only through this flag. SET NULL: the check-in leaves with its member's account.
    checkin_id: Mapped[int | None] = mapped_column(sa.ForeignKey("check_in.id", ondelete="SET NULL"), index=True)
    member_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"), index=True)  # who wrote it
    source: Mapped[str] = mapped_column(sa.String(16))  # screening | member_report
    severity: Mapped[str] = mapped_column(sa.String(16))
    categories: Mapped[list] = mapped_column(sa.JSON, default=list)
    matches: Mapped[list] = mapped_column(sa.JSON, default=list)
    snapshot: Mapped[str] = mapped_column(sa.Text, default="")  # the words as they were flagged
    report_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(16), default="open")
    claimed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"))
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    renotified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(sa.String(32))
    notes: Mapped[str | None] = mapped_column(sa.Text)
    # Bumped by every transition; an action names the version it saw, so a double submit
    # or a stale page changes nothing.
    version: Mapped[int] = mapped_column(default=1)

    post: Mapped[Post | None] = relationship()
    member: Mapped[Member | None] = relationship(foreign_keys=[member_id])
    claimed_by: Mapped[Member | None] = relationship(foreign_keys=[claimed_by_id])

    __table_args__ = (
        sa.Index("ix_flag_queue", "status", "severity", "created_at"),
        # The queue's order over the active flags alone (0016_scale_indexes; moderation.routing).
        sa.Index("ix_flag_active_queue", sa.text("(CASE severity WHEN 'imminent' THEN 3 WHEN 'high' THEN 2 "
                                                 "WHEN 'elevated' THEN 1 ELSE 0 END) DESC"), "created_at", "id",
                 postgresql_where=sa.text("status IN ('open', 'claimed', 'escalated')"),
                 sqlite_where=sa.text("status IN ('open', 'claimed', 'escalated')")),
    )

    @property
    def is_active(self):
        return self.status in ACTIVE

    @property
    def kind(self):
        """The content kind it is about (moderation.review): post, message or checkin."""
        if self.post_id:
            return "post"
        if self.checkin_id or (self.message_id is None and self.snapshot == CHECKIN_GONE):
            return "checkin"
        return "message"

    @property
    def noun(self):
        return KIND_NOUNS[self.kind]


class Report(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(sa.ForeignKey("flag.id"), index=True)
    post_id: Mapped[int | None] = mapped_column(sa.ForeignKey("post.id"))
    message_id: Mapped[int | None] = mapped_column(sa.ForeignKey("message.id"))
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(16))
    detail: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    flag: Mapped[Flag] = relationship()
    reporter: Mapped[Member] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("reporter_id", "post_id", name="uq_report_reporter_post"),
        sa.UniqueConstraint("reporter_id", "message_id", name="uq_report_reporter_message"),
    )


class ModeratorProfile(db.Model):
    member_id: Mapped[int] = mapped_column(sa.ForeignKey("member.id"), primary_key=True)
    trained_on: Mapped[date | None] = mapped_column(sa.Date)
    training_expires: Mapped[date | None] = mapped_column(sa.Date)
    on_duty_since: Mapped[datetime | None] = mapped_column(UTCDateTime)

    member: Mapped[Member] = relationship()

    def trained(self, today):
        return bool(self.trained_on and self.training_expires and self.trained_on <= today <= self.training_expires)


class AuditEntry(db.Model):
    """Who did what to which thing, when and why. A flag's history is its entries."""

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id"))  # None: the system
    action: Mapped[str] = mapped_column(sa.String(40))
    flag_id: Mapped[int | None] = mapped_column(sa.ForeignKey("flag.id"), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(16))  # flag | post | message | member | room
    target_id: Mapped[int | None] = mapped_column()
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[Member | None] = relationship()


OUTBOX_KINDS = ("pager",)  # what the outbox carries: "pager" is the escalation webhook


class Outbox(db.Model):
    """What must reach the outside world (the on-call pager), written in the same
    transaction as the change it reports and delivered by the sweeper (moderation.outbox):
    a crash between the two loses nothing, and a rollback sends nothing."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(16))
    # Flags are never deleted; SET NULL keeps the row (and its history) if one ever were.
    flag_id: Mapped[int | None] = mapped_column(sa.ForeignKey("flag.id", ondelete="SET NULL"), index=True)
    payload: Mapped[dict] = mapped_column(sa.JSON)  # the JSON body, as written
    attempts: Mapped[int] = mapped_column(default=0)  # deliveries started (counted when claimed)
    next_try_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by the sweeper that claimed the row for one attempt: no other sweeper touches it
    # until then, so two processes never deliver the same row at once.
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    gave_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.String(200))  # e.g. "answered 503"; never an address
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The sweeper's "due" query: pending rows by next_try_at. Partial, so the index stays as
    # small as the backlog while delivered rows accumulate.
    __table_args__ = (
        sa.Index("ix_outbox_due", "next_try_at",
                 postgresql_where=sa.text("delivered_at IS NULL AND gave_up_at IS NULL"),
                 sqlite_where=sa.text("delivered_at IS NULL AND gave_up_at IS NULL")),
    )

    @property
    def pending(self):
        return self.delivered_at is None and self.gave_up_at is None


class HandoffNote(db.Model):
    """A moderator's note for whoever is on duty next ("flag 12 is waiting on a reply"),
    shown on the queue until the next on duty has seen it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("member.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

