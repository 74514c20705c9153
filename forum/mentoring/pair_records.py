"""A member's mentoring pairs, sessions and wellbeing check-ins in their data export, and
what happens to them when the account closes.

Deliberately low (the safety core's floor, .importlinter) so that forum.accounts can call
it: it reads and writes the tables alone, and tells chat that a pairing ended by signal
(forum.signals.mentoring_ended). The export holds what is the member's own: the dates of
each pairing, the end reason when they chose it, their own goals summary (as the
mentee), their own fit ratings, and their check-ins as a mentor. Closing the account ends
every pairing still going ("account_closed"; the room is archived), and removes their
check-ins and the ratings they gave; a mentee's conversations go with them.
"""
from flask import current_app
from sqlalchemy import delete, or_, select, update

from ..extensions import db
from ..models import MentorCheckIn, MentoringPair, MentoringSession, Message, Room, utcnow
from ..signals import mentoring_ended


def _when(moment):
    return moment.isoformat() if moment else None


def _pairs(member):
    return db.session.scalars(select(MentoringPair).where(
        or_(MentoringPair.mentor_id == member.id, MentoringPair.mentee_id == member.id)).order_by(MentoringPair.id)).all()


def export(member):
    pairs = _pairs(member)
    sessions = {}
    for session in db.session.scalars(select(MentoringSession).where(
            MentoringSession.pair_id.in_([p.id for p in pairs])).order_by(MentoringSession.id)):
        sessions.setdefault(session.pair_id, []).append(session)
    return {"mentoring": {
        "pairs": [{
            "as": "mentee" if pair.mentee_id == member.id else "mentor",
            "started": _when(pair.started_at), "ended": _when(pair.ended_at),
            "ended_by_you": pair.ended_at is not None and pair.ended_by_id == member.id,
            # The reason is theirs only when they chose it.
            "end_reason_you_chose": pair.end_reason if pair.ended_by_id == member.id else None,
            "goals_summary": pair.goals_summary if pair.mentee_id == member.id else None,
            "sessions": [{"started": _when(s.started_at), "ended": _when(s.ended_at),
                          **({"your_rating": s.fit} if pair.mentee_id == member.id else {})}
                         for s in sessions.get(pair.id, [])],
        } for pair in pairs],
        "wellbeing_check_ins": [
            {"week": c.week.isoformat(), "feeling": c.feeling, "note": c.note, "wanted_a_break": c.wants_a_break}
            for c in db.session.scalars(select(MentorCheckIn).where(MentorCheckIn.mentor_id == member.id)
                                        .order_by(MentorCheckIn.week))],
    }}


def close(pair, by_id, reason, now=None):
    """End the pair with `reason`, a session still going with it, and archive its room:
    nobody writes there again, the mentee still reads it, the mentor leaves it. Every way
    a pairing ends comes here (forum.mentoring.pairs for a member's choice, forget() for a
    closing account)."""
    now = now or utcnow()
    pair.ended_at, pair.ended_by_id, pair.end_reason = now, by_id, reason
    db.session.execute(update(MentoringSession).where(
        MentoringSession.pair_id == pair.id, MentoringSession.ended_at.is_(None)).values(ended_at=now))
    db.session.execute(update(Room).where(Room.id == pair.room_id, Room.archived_at.is_(None)).values(archived_at=now))
    # Chat closes the room live: the pair hears it ended, and the mentor's sockets leave it.
    mentoring_ended.send(current_app._get_current_object(), room_id=pair.room_id)


def forget(member):
    """The account is closing: its pairings end, its check-ins and ratings go, and the
    goals summary it wrote as a mentee is emptied."""
    now = utcnow()
    for pair in _pairs(member):
        if pair.ended_at is None:
            close(pair, member.id, "account_closed", now)
    mentee_pairs = select(MentoringPair.id).where(MentoringPair.mentee_id == member.id)
    db.session.execute(update(MentoringSession).where(MentoringSession.pair_id.in_(mentee_pairs))
                       .values(fit=None))
    db.session.execute(update(MentoringPair).where(MentoringPair.mentee_id == member.id).values(goals_summary=""))
    # A mentoring conversation is the mentee's own (forum.chat.mentoring): both sides' words
    # leave with their account, as nobody else may read the room once its pairs have ended.
    db.session.execute(update(Message).where(Message.room_id.in_(
        select(MentoringPair.room_id).where(MentoringPair.mentee_id == member.id))).values(**Message.erased(member.id, now)))
    db.session.execute(delete(MentorCheckIn).where(MentorCheckIn.mentor_id == member.id))
