"""Peer mentors and requests built straight in the tables (fast, in bulk), for the matching
and request tests; pages are exercised through the test client where they matter."""
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select

from forum.extensions import db
from forum.models import Member, MentoringRequest, MentorProfile, utcnow


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
