"""A pair's sessions, the mentee's private fit rating, and the goals summary they keep.

A session is a time the pair chose to talk: either of them starts it and either ends it.
Afterwards the MENTEE alone is asked "helpful / not for me": the answer informs matching and
is never shown to the mentor, on any page, nor counted against them. The goals summary is
the mentee's own words about what they want to keep working on: only they edit it (the
mentor reads it), and they may copy it into their recovery space as a goal with steps.
"""
from sqlalchemy import select

from ..extensions import db
from ..models import MentoringSession, utcnow
from ..recovery import goals

FITS = {"helpful": "Helpful", "not_for_me": "Not for me"}
GOALS_MAX = 2000  # characters in a goals summary: a few lines, not a journal
RECOVERY_GOAL_TITLE = "What I'm working on with my mentor"


class Refused(ValueError):
    """Something that can't happen now, with the words to say why."""


def current(pair):
    """The session going on now, or None."""
    return db.session.scalar(select(MentoringSession).where(
        MentoringSession.pair_id == pair.id, MentoringSession.ended_at.is_(None)).limit(1))


def of_pair(pair):
    """Every session of the pair, newest first."""
    return db.session.scalars(select(MentoringSession).where(MentoringSession.pair_id == pair.id)
                              .order_by(MentoringSession.id.desc())).all()


def start(pair, member):
    """Start a session; one already going is returned as it is (a double click, or both at once)."""
    if pair.ended_at is not None:
        raise Refused("This mentoring has ended, so there are no more sessions.")
    session = current(pair)
    if session is None:
        session = MentoringSession(pair_id=pair.id, started_by_id=member.id, started_at=utcnow())
        db.session.add(session)
        db.session.flush()
    return session


def end(pair):
    """End the session going on now; returns it (None if none was going)."""
    session = current(pair)
    if session is not None:
        session.ended_at = utcnow()
    return session


def to_rate(pair, member):
    """The latest ended session the mentee hasn't rated yet, or None (always None for the mentor)."""
    if member.id != pair.mentee_id:
        return None
    return db.session.scalar(select(MentoringSession).where(
        MentoringSession.pair_id == pair.id, MentoringSession.ended_at.is_not(None),
        MentoringSession.fit.is_(None)).order_by(MentoringSession.id.desc()).limit(1))


def rate(pair, member, session_id, fit):
    """The mentee's private rating of an ended session; rating again changes it."""
    if member.id != pair.mentee_id:
        raise Refused("Only the person being mentored rates a session.")
    if fit not in FITS:
        raise Refused("Please choose “Helpful” or “Not for me”.")
    session = db.session.get(MentoringSession, session_id)
    if session is None or session.pair_id != pair.id or session.ended_at is None:
        raise Refused("We couldn't find that session. It may still be going.")
    session.fit = fit


def save_goals(pair, member, text):
    if member.id != pair.mentee_id:
        raise Refused("The goals summary is written by the person being mentored.")
    text = (text or "").strip()
    if len(text) > GOALS_MAX:
        raise Refused(f"Please keep the summary under {GOALS_MAX:,} characters; it has {len(text):,}.")
    pair.goals_summary = text


def copy_to_recovery(pair, member):
    """The summary as a goal in the mentee's recovery space, one step per line. Raises
    Refused with nothing to copy, goals.TooMany past the recovery space's limits."""
    if member.id != pair.mentee_id:
        raise Refused("The goals summary is written by the person being mentored.")
    lines = [line.strip(" -*•\t")[:200] for line in pair.goals_summary.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise Refused("There's nothing in the summary to copy yet.")
    return goals.add(member, RECOVERY_GOAL_TITLE, lines)
