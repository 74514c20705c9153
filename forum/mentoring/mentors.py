"""Peer mentors: the role an admin grants with a training record (like a moderator's, it
counts only while current), the supervisor an admin assigns, and what a mentor chooses to
offer (lived-experience topics, languages, a weekly availability grid, a line about
themselves) and their pause.

Only a *current* mentor is offered requests or may take one: trained today, not paused,
account open; and only once they've said when they're usually around (refusal() tells them
so). Whether they have room (their cap) is matching's question (forum.mentoring.matching),
which counts their active pairs.
"""
from datetime import timedelta

from sqlalchemy import and_, delete, select
from sqlalchemy.orm import aliased

from moderation import access, audit

from ..extensions import db
from ..models import DAY_PARTS, MENTEE_CAP, MENTOR_LANGUAGES, MENTOR_TOPICS, WEEKDAYS, Member, MentorProfile, utcnow

CAP_MAX = 10  # a peer mentor is a volunteer: more than this is a caseload, not peer support


def today():
    return access.today()


def profile(member):
    return db.session.get(MentorProfile, member.id) if member is not None else None


def current_sql(day=None):
    """SQL, for a query joining Member to MentorProfile: a current mentor (trained today,
    not paused, account open). The cap is counted by matching."""
    day = day or today()
    return and_(Member.deleted_at.is_(None), MentorProfile.paused_at.is_(None),
                MentorProfile.trained_on <= day, MentorProfile.training_expires >= day)


def refusal(member, day=None):
    """Why this member can't take mentoring requests now, in plain words; None when they can
    (their cap aside: matching.has_room)."""
    record = profile(member)
    if record is None:
        return "Taking requests is for Lantern's trained peer mentors."
    if member.deleted_at is not None:
        return "This account is closed."
    day = day or today()
    if not record.trained(day):
        if record.training_expires and record.training_expires < day:
            return (f"Your mentor training record expired on {record.training_expires:%-d %B %Y}. "
                    "Please renew it with an admin before taking requests.")
        return "Your mentor training record isn't current yet. Please ask an admin about it."
    if record.paused_at is not None:
        return "You've paused mentoring, so no requests come to you. Resume it in your mentor settings."
    if not has_availability(record):
        return ("No requests come to you until you tick when you're usually around each week, in your mentor "
                "settings, so members know when they might hear from you. One part of one day is enough to start.")
    return None


def has_availability(record):
    """Has this mentor ticked any part of the week? (matching.has_availability_sql in SQL)"""
    return any((record.availability or {}).values())


# ---- what admins do (each audited) ------------------------------------------------------

def grant(member, trained_on, expires, actor, cap=None):
    """Give `member` the mentor role with a training record (or renew it). Returns the profile."""
    record = profile(member) or MentorProfile(member_id=member.id, topics=[], languages=[], availability={},
                                              intro="", cap=MENTEE_CAP)
    record.trained_on, record.training_expires = trained_on, expires
    if cap is not None:
        record.cap = cap
    db.session.add(record)
    audit.record(actor, "set mentor training", "member", member.id,
                 reason=f"trained_on={trained_on}, expires={expires}, cap={record.cap}")
    return record


def remove(member, actor):
    """Take the mentor role away: the record stays (their supervisor's history, their pairs)
    but ends yesterday and is paused, so no request reaches them. Pairs already running are
    theirs and their mentees' to end (forum.mentoring.pairs)."""
    record = profile(member)
    if record is None:
        return False
    yesterday = today() - timedelta(days=1)
    record.training_expires = min(record.training_expires or yesterday, yesterday)
    if record.trained_on and record.trained_on > record.training_expires:
        record.trained_on = record.training_expires
    record.paused_at = record.paused_at or utcnow()
    audit.record(actor, "removed mentor role", "member", member.id, reason=f"record ends {record.training_expires}")
    return True


def set_supervisor(record, supervisor, actor):
    """A moderator (or admin) supervises this mentor: sees their load, waits and flags."""
    record.supervisor_id = supervisor.id if supervisor is not None else None
    audit.record(actor, "set mentor supervisor", "member", record.member_id,
                 reason=f"supervisor={supervisor.handle if supervisor is not None else 'none'}")


def listing():
    """Every mentor with their supervisor's handle, for the admin page: (profile, member, supervisor handle)."""
    supervisor = aliased(Member)
    return db.session.execute(
        select(MentorProfile, Member, supervisor.handle)
        .join(Member, Member.id == MentorProfile.member_id)
        .outerjoin(supervisor, supervisor.id == MentorProfile.supervisor_id)
        .where(Member.deleted_at.is_(None)).order_by(Member.handle)).all()


# ---- what a mentor chooses ---------------------------------------------------------------

def clean_availability(ticked):
    """The weekly grid from the ticked "day-part" boxes ("mon-evening"), in the grid's order;
    anything not on the grid is dropped (the form refuses it before this)."""
    ticked = set(ticked)
    return {day: [part for part in DAY_PARTS if f"{day}-{part}" in ticked]
            for day in WEEKDAYS if any(f"{day}-{part}" in ticked for part in DAY_PARTS)}


def ticked_boxes(availability):
    return [f"{day}-{part}" for day, parts in (availability or {}).items() for part in parts]


def save_settings(record, topics, languages, availability, intro):
    record.topics = [t for t in MENTOR_TOPICS if t in set(topics)]
    record.languages = [code for code in MENTOR_LANGUAGES if code in set(languages)]
    record.availability = clean_availability(availability)
    record.intro = intro.strip()


def pause(record):
    record.paused_at = record.paused_at or utcnow()


def resume(record):
    record.paused_at = None


def availability_words(availability):
    """"Mon evening, Sat morning and afternoon": how a member reads a mentor's week."""
    days = []
    for day in WEEKDAYS:
        parts = (availability or {}).get(day) or []
        if parts:
            days.append(f"{day.capitalize()} {' and '.join(parts) if len(parts) < 3 else ', '.join(parts)}")
    return "; ".join(days) or "not said yet"


def export(member):
    """The member's mentor record, for their export (None when they aren't a mentor)."""
    record = profile(member)
    if record is None:
        return None

    def iso(moment):
        return moment.isoformat() if moment else None
    return {"trained_on": iso(record.trained_on), "training_expires": iso(record.training_expires),
            "topics": record.topics, "languages": record.languages, "availability": record.availability,
            "intro": record.intro, "cap": record.cap, "paused": iso(record.paused_at)}


def forget(member):
    db.session.execute(delete(MentorProfile).where(MentorProfile.member_id == member.id))

