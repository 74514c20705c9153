"""What a supervisor sees of the mentors they support, and the metrics of mentoring.

A supervisor is the moderator named on a mentor's profile (MentorProfile.supervisor_id);
admins supervise every mentor. They see loads against caps, the request queue's waits,
how pairs ended (as chosen), hand-offs, flags raised in their mentors' rooms (as links to
the desk's flag pages, which check training and keep their own audit) and the latest
wellbeing check-in. Never the words of a conversation or of a request: nothing here reads
Message.body_md, Flag.snapshot or MentoringRequest.note.
"""
import statistics
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from moderation.models import AuditEntry, Flag

from ..extensions import db
from ..models import Member, MentorCheckIn, MentoringPair, MentoringRequest, MentorProfile, Message, utcnow
from .handoff import HANDOFF_ACTION

WINDOW_DAYS = 30  # the metrics' window: recent enough to act on
FLAGS_SHOWN = 30  # most recent flags listed on the page
QUEUE_SHOWN = 50  # requests listed (oldest first: the longest waits matter most)
WAITING = ("waiting", "offered", "escalated")


def supervises(viewer):
    """Admins, and moderators named as some mentor's supervisor."""
    if not viewer.is_authenticated or not viewer.is_moderator:
        return False
    if viewer.is_admin:
        return True
    # Read with the login session (forum.accounts.service.session_member) when it was.
    if (facts := getattr(viewer, "mentoring_facts", None)) is not None:
        return facts.supervises_mentor
    return db.session.scalar(select(MentorProfile.member_id).where(MentorProfile.supervisor_id == viewer.id)
                             .limit(1)) is not None


def _profiles(viewer):
    query = select(MentorProfile).join(Member, Member.id == MentorProfile.member_id).where(Member.deleted_at.is_(None))
    if not viewer.is_admin:
        query = query.where(MentorProfile.supervisor_id == viewer.id)
    return db.session.scalars(query.order_by(func.lower(Member.handle))).all()


@dataclass
class MentorRow:
    profile: MentorProfile
    active: int = 0
    handoffs: int = 0
    ended: dict = field(default_factory=dict)  # end reason -> pairs
    check_in: MentorCheckIn | None = None
    flags: list = field(default_factory=list)  # [(flag id, severity, status, created_at)]

    @property
    def full(self):
        return self.active >= self.profile.cap


def mentors(viewer):
    """[MentorRow] for the viewer's mentors, by handle."""
    profiles = _profiles(viewer)
    ids = [p.member_id for p in profiles]
    rows = {p.member_id: MentorRow(p) for p in profiles}
    if not ids:
        return []
    for mentor_id, count in db.session.execute(
            select(MentoringPair.mentor_id, func.count()).where(MentoringPair.mentor_id.in_(ids),
                                                                MentoringPair.ended_at.is_(None))
            .group_by(MentoringPair.mentor_id)):
        rows[mentor_id].active = count
    for mentor_id, reason, count in db.session.execute(
            select(MentoringPair.mentor_id, MentoringPair.end_reason, func.count())
            .where(MentoringPair.mentor_id.in_(ids), MentoringPair.ended_at.is_not(None))
            .group_by(MentoringPair.mentor_id, MentoringPair.end_reason)):
        rows[mentor_id].ended[reason or "no_reason"] = count
    for mentor_id, count in db.session.execute(
            select(AuditEntry.actor_id, func.count()).where(AuditEntry.action == HANDOFF_ACTION,
                                                            AuditEntry.actor_id.in_(ids))
            .group_by(AuditEntry.actor_id)):
        rows[mentor_id].handoffs = count
    newest = select(MentorCheckIn.mentor_id, func.max(MentorCheckIn.week).label("week")).where(
        MentorCheckIn.mentor_id.in_(ids)).group_by(MentorCheckIn.mentor_id).subquery()
    for check_in in db.session.scalars(select(MentorCheckIn).join(
            newest, (newest.c.mentor_id == MentorCheckIn.mentor_id) & (newest.c.week == MentorCheckIn.week))):
        rows[check_in.mentor_id].check_in = check_in
    for flag_id, severity, status, created_at, mentor_id in db.session.execute(
            select(Flag.id, Flag.severity, Flag.status, Flag.created_at, MentoringPair.mentor_id)
            .join(Message, Message.id == Flag.message_id)
            .join(MentoringPair, MentoringPair.room_id == Message.room_id)
            .where(MentoringPair.mentor_id.in_(ids)).order_by(Flag.id.desc()).limit(FLAGS_SHOWN)):
        rows[mentor_id].flags.append((flag_id, severity, status, created_at))
    return [rows[i] for i in ids]


@dataclass
class Waiting:
    id: int
    status: str
    since: object  # created_at
    offers: int
    offered_to: str | None
    topics: list


def queue(viewer):
    """Requests still waiting for a mentor, longest wait first: how long, and to whom
    they're offered. Not who asked, nor their note."""
    offered = Member.handle.label("offered_to")
    query = (select(MentoringRequest, offered).outerjoin(Member, Member.id == MentoringRequest.offered_to_id)
             .where(MentoringRequest.status.in_(WAITING)).order_by(MentoringRequest.created_at).limit(QUEUE_SHOWN))
    return [Waiting(r.id, r.status, r.created_at, r.offers, handle, list(r.topics or []))
            for r, handle in db.session.execute(query)]


@dataclass
class Metrics:
    requests: int
    waiting: int
    median_minutes_to_match: float | None
    active_pairs: int
    ended: dict  # end reason -> pairs ended in the window
    handoffs: int


def metrics(viewer, now=None):
    """Mentoring over the last WINDOW_DAYS for the viewer's mentors (requests: all, as
    the queue is shared)."""
    since = (now or utcnow()) - timedelta(days=WINDOW_DAYS)
    ids = [p.member_id for p in _profiles(viewer)]
    mine = MentoringPair.mentor_id.in_(ids)
    requests = db.session.scalar(select(func.count()).select_from(MentoringRequest)
                                 .where(MentoringRequest.created_at >= since))
    waiting = db.session.scalar(select(func.count()).select_from(MentoringRequest)
                                .where(MentoringRequest.status.in_(WAITING)))
    matched = db.session.execute(
        select(MentoringRequest.created_at, MentoringRequest.matched_at)
        .join(MentoringPair, MentoringPair.request_id == MentoringRequest.id)
        .where(mine, MentoringRequest.matched_at.is_not(None), MentoringRequest.matched_at >= since)).all()
    waits = [(matched_at - created).total_seconds() / 60 for created, matched_at in matched]
    active = db.session.scalar(select(func.count()).select_from(MentoringPair).where(
        mine, MentoringPair.ended_at.is_(None)))
    ended = {}
    for reason, count in db.session.execute(select(MentoringPair.end_reason, func.count()).where(
            mine, MentoringPair.ended_at >= since).group_by(MentoringPair.end_reason)):
        ended[reason or "no_reason"] = ended.get(reason or "no_reason", 0) + count
    handoffs = db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == HANDOFF_ACTION, AuditEntry.actor_id.in_(ids), AuditEntry.created_at >= since))
    return Metrics(requests, waiting, round(statistics.median(waits), 1) if waits else None, active, ended, handoffs)
