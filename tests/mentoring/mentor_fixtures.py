"""Peer mentors and requests built straight in the tables (fast, in bulk), for the matching
and request tests; pages are exercised through the test client where they matter."""
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select

from forum.accounts.service import create_member
from forum.extensions import db
from forum.mentoring import mentors
from forum.models import Member, MentoringRequest, MentorProfile, utcnow
from tests.servers import PASSPHRASE


def add_members(handles):
    """Members (no passphrase) in one INSERT: {handle: id}."""
    now = utcnow()
    db.session.execute(insert(Member.__table__), [
        {"handle": h, "handle_key": h.lower(), "role": "member", "created_at": now, "notifications_off": []}
        for h in handles])
    return dict(db.session.execute(select(Member.handle, Member.id).where(Member.handle.in_(handles))).all())


def add_mentors(specs, valid_days=365):
    """Mentors in bulk: specs are dicts with handle and optional topics, languages, cap,
    paused, expired. Returns {handle: id}."""
    ids = add_members([s["handle"] for s in specs])
    today, now = date.today(), utcnow()
    rows = []
    for s in specs:
        expired = s.get("expired", False)
        rows.append({
            "member_id": ids[s["handle"]], "trained_on": today - timedelta(days=400 if expired else 30),
            "training_expires": today - timedelta(days=1) if expired else today + timedelta(days=valid_days),
            "topics": s.get("topics", ["alcohol"]), "languages": s.get("languages", ["en"]),
            "availability": s.get("availability", {"mon": ["evening"]}), "intro": s.get("intro", ""),
            "cap": s.get("cap", 3), "paused_at": now if s.get("paused") else None, "last_offered_at": None,
            "created_at": now})
    db.session.execute(insert(MentorProfile.__table__), rows)
    return ids


def request_for(member_id, topics=("alcohol",), language="en", declined=()):
    """A request row (added to the session, flushed)."""
    request = MentoringRequest(member_id=member_id, topics=list(topics), language=language, note="", status="waiting",
                               offers=0, declined_by=list(declined), created_at=utcnow())
    db.session.add(request)
    db.session.flush()
    return request


def who(member_id):
    return SimpleNamespace(id=member_id)


def mentor_who_logs_in(app, handle):
    """`handle` (made with the test passphrase if new) as a current mentor for alcohol, in
    English, around on Monday evenings (matching offers nothing to a mentor who gave no
    time), through mentors.grant: for live tests, where people log in. Returns their id."""
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle)) or create_member(handle, PASSPHRASE)[0]
        record = mentors.grant(member, date.today() - timedelta(days=3), date.today() + timedelta(days=300), None)
        record.topics, record.languages, record.availability = ["alcohol"], ["en"], {"mon": ["evening"]}
        db.session.commit()
        return member.id
