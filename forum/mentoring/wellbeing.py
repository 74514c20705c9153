"""A mentor's weekly wellbeing check-in: how they are, a note, and "I'd like a break".

Holding other people's stories is tiring; the check-in is how a mentor says so before it
turns into burnout. Asking for a break pauses new requests at once (MentorProfile.paused_at:
matching offers nothing to a paused mentor) and tells their supervisor (or, without one,
the admins). Their current mentees are not affected. Only the mentor and their
supervisor read a check-in.
"""
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Member, MentorCheckIn, MentorProfile, utcnow
from ..notifications import service as notifications

# How the week has been, in words (1: the lowest), so it reads the same to everyone.
FEELINGS = {1: "Running on empty", 2: "Stretched thin", 3: "Getting by", 4: "Steady", 5: "Well rested"}
NOTE_MAX = 500


def week_of(day):
    """The Monday of the week `day` falls in: one check-in per mentor per week."""
    return day - timedelta(days=day.weekday())


def profile_of(member):
    """The member's mentor profile, or None when they are not a mentor."""
    return db.session.get(MentorProfile, member.id) if member.is_authenticated else None


def this_week(mentor_id, today):
    return db.session.scalar(select(MentorCheckIn).where(
        MentorCheckIn.mentor_id == mentor_id, MentorCheckIn.week == week_of(today)))


def latest(mentor_id):
    return db.session.scalar(select(MentorCheckIn).where(MentorCheckIn.mentor_id == mentor_id)
                             .order_by(MentorCheckIn.week.desc()).limit(1))


def _supervisors(profile):
    if profile.supervisor_id is not None:
        return [profile.supervisor_id]
    return list(db.session.scalars(select(Member.id).where(Member.role == "admin", Member.deleted_at.is_(None))))


def check_in(profile, today, feeling, note, wants_a_break):
    """Save this week's check-in (sending it again this week replaces it). Asking for a
    break pauses new requests and tells the supervisor, once per pause."""
    row = this_week(profile.member_id, today)
    if row is None:
        row = MentorCheckIn(mentor_id=profile.member_id, week=week_of(today))
        db.session.add(row)
    row.feeling, row.note, row.wants_a_break, row.created_at = feeling, (note or "").strip(), wants_a_break, utcnow()
    if wants_a_break and profile.paused_at is None:
        profile.paused_at = utcnow()
        notifications.mentoring(
            _supervisors(profile), f"{profile.member.handle}, a mentor you support, asked for a break from new "
            "requests in their wellbeing check-in.", actor_id=profile.member_id)
    db.session.flush()
    return row


def resume(profile):
    """The mentor is ready for new requests again."""
    profile.paused_at = None
