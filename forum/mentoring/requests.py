"""Asking for a mentor, and the request's way to a match.

A member asks (topics, a language, a short note; one open request at a time; never when they
said they are under 18). They choose one of the suggested mentors or let Lantern choose: the
request is offered to ONE mentor at a time, who is told and accepts or declines. Accepting
makes the pair and its private room in one transaction; declining (or letting the offer pass
MENTORING_OFFER_MINUTES) offers it to the next candidate; a request unmatched after
MENTORING_ESCALATE_MINUTES, or with nobody left to offer it to, is handed to trained
moderators (told, and audited). Current mentors see the waiting requests in a queue and may
take one that has no offer out.

Every transition is one conditional UPDATE naming the state it expects, so a mentor's click,
the member's withdrawal and the sweepers of several processes can race and one wins.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, func, select, update

from moderation import access, audit

from ..chat import mentoring as mentoring_rooms
from ..extensions import db
from ..models import MENTOR_TOPICS, Member, MentoringPair, MentoringRequest, MentorProfile, utcnow
from ..notifications import service as notifications
from ..text import duration
from . import matching, mentors

OPEN = ("waiting", "offered", "escalated")
ROOM_TITLE = "Mentoring: {mentee} and {mentor}"


class Refused(Exception):
    """The step can't be taken; the message says why, in words for the person."""


def offer_minutes():
    return current_app.config["MENTORING_OFFER_MINUTES"]


def target_minutes():
    """The time target a request is matched within (members and mentors see it)."""
    return current_app.config["MENTORING_ESCALATE_MINUTES"]


def topic_words(topics):
    return ", ".join(MENTOR_TOPICS[t].lower() for t in topics if t in MENTOR_TOPICS) or "anything on their mind"


def open_request(member_id):
    """The member's open request (waiting, offered or escalated), or None."""
    return db.session.scalar(select(MentoringRequest).where(
        MentoringRequest.member_id == member_id, MentoringRequest.status.in_(OPEN))
        .order_by(MentoringRequest.id.desc()).limit(1))


def _transition(request_id, expected, values):
    """One conditional UPDATE: (won, the request as it is now)."""
    won = db.session.execute(
        update(MentoringRequest).where(MentoringRequest.id == request_id, expected).values(**values)
        .execution_options(synchronize_session=False)).rowcount == 1
    request = db.session.get(MentoringRequest, request_id)
    if request is not None:
        db.session.refresh(request)
    return won, request


# ---- the member ---------------------------------------------------------------------------

def ask(member, topics, language, note, now=None):
    """Open a request (status waiting, not yet offered: the member chooses next)."""
    if member.stated_under_18:
        raise Refused("One-to-one mentoring is for members 18 and over.")
    if open_request(member.id) is not None:
        raise Refused("You already have a request waiting. You can follow it, or withdraw it, on the mentoring page.")
    request = MentoringRequest(member_id=member.id, topics=[t for t in MENTOR_TOPICS if t in set(topics)],
                               language=language, note=note.strip(), status="waiting", offers=0, declined_by=[],
                               created_at=now or utcnow())
    db.session.add(request)
    db.session.flush()
    return request


def choose(request, mentor_id=None, now=None):
    """The member chose a mentor (or, with None, let Lantern choose): offer the request to
    them if they still may take it, else to the best candidate. Returns the mentor's id, or
    None when the request went to moderators because no mentor is free."""
    if request.status != "waiting" or request.offered_to_id is not None:
        raise Refused("This request is already with a mentor.")
    if mentor_id is not None and not matching.eligible(request, mentor_id):
        mentor_id = None  # taken meanwhile, or paused: the next best, rather than a dead end
    if mentor_id is not None:
        request.chosen_mentor_id = mentor_id
        return mentor_id if offer(request, mentor_id, now) else None
    return offer_next(request, now)


def withdraw(request, member, now=None):
    won, _ = _transition(request.id, MentoringRequest.status.in_(OPEN) & (MentoringRequest.member_id == member.id),
                         {"status": "withdrawn", "offered_to_id": None})
    return won


# ---- offering ---------------------------------------------------------------------------------

def offer(request, mentor_id, now=None, expected_offer=None):
    """Offer `request` to this mentor, if it is still offered to `expected_offer` (None: to
    nobody). The mentor is told; their `last_offered_at` moves on (fairness)."""
    now = now or utcnow()
    expected = MentoringRequest.status.in_(OPEN) & (
        MentoringRequest.offered_to_id.is_(None) if expected_offer is None
        else MentoringRequest.offered_to_id == expected_offer)
    # An escalated request offered again stays escalated: moderators keep seeing it.
    status = "escalated" if request.status == "escalated" else "offered"
    won, request = _transition(request.id, expected, {
        "offered_to_id": mentor_id, "offered_at": now, "offers": MentoringRequest.offers + 1, "status": status})
    if not won:
        return False
    db.session.execute(update(MentorProfile).where(MentorProfile.member_id == mentor_id)
                       .values(last_offered_at=now).execution_options(synchronize_session=False))
    notifications.mentoring(
        [mentor_id], f"A member would like a mentor for {topic_words(request.topics)}. "
        f"Please accept or decline within {duration(offer_minutes() * 60)}.", actor_id=request.member_id)
    return True


def offer_next(request, now=None, passed=None):
    """Offer the request to the best candidate it hasn't been offered to; `passed`: the mentor
    who declined or let it pass (never offered it again). With nobody left, moderators are
    asked. Returns the mentor's id, or None."""
    now = now or utcnow()
    declined = list(request.declined_by or [])
    if passed is not None and passed not in declined:
        declined.append(passed)
        won, request = _transition(request.id, MentoringRequest.offered_to_id == passed,
                                   {"declined_by": declined, "offered_to_id": None, "offered_at": None,
                                    "status": "escalated" if request.status == "escalated" else "waiting"})
        if not won:
            return None
    for candidate in matching.candidates(request, limit=1):
        if offer(request, candidate.member_id, now):
            return candidate.member_id
        return None  # someone else moved it on meanwhile
    escalate(request, now, "no mentor is free to take it")
    return None


def escalate(request, now=None, reason=""):
    """Hand the request to trained moderators (once): told, and audited. It stays open and
    in the queue, where a mentor may still take it."""
    now = now or utcnow()
    won, request = _transition(request.id, MentoringRequest.status.in_(("waiting", "offered"))
                               & MentoringRequest.escalated_at.is_(None),
                               {"status": "escalated", "escalated_at": now})
    if not won:
        return False
    audit.record(None, "mentoring request escalated", "mentoring", request.id, reason=reason)
    notifications.mentoring(
        access.trained_moderator_ids(), f"A request for a mentor ({topic_words(request.topics)}) needs help: "
        f"{reason}. It is in the mentoring queue.")
    return True


# ---- the mentor --------------------------------------------------------------------------------

def accept(request_id, mentor, now=None):
    """The mentor takes the request: offered to them, or waiting with no offer out (from the
    queue). Makes the pair and its private room in the caller's transaction; the member is
    told, with the room. Raises Refused with the reason when it can't be."""
    now = now or utcnow()
    if reason := mentors.refusal(mentor):
        raise Refused(reason)
    # Lock the mentor's record so that two accepts at once can't take them past their cap.
    record = db.session.scalar(select(MentorProfile).where(MentorProfile.member_id == mentor.id).with_for_update())
    request = db.session.get(MentoringRequest, request_id)
    if request is None or request.status not in OPEN:
        raise Refused("This request has already been answered or withdrawn.")
    if request.offered_to_id not in (None, mentor.id):
        raise Refused("This request is with another mentor right now.")
    if not matching.has_room(record):
        raise Refused(f"You already have {record.cap} mentees, your cap. Thank you: it can wait for another mentor.")
    if not matching.eligible(request, mentor.id):
        raise Refused("This request isn't one you can take (its language or topics, or you passed on it).")
    won, request = _transition(request.id, MentoringRequest.status.in_(OPEN) & (
        (MentoringRequest.offered_to_id == mentor.id) | MentoringRequest.offered_to_id.is_(None)),
        {"status": "matched", "matched_at": now, "offered_to_id": None})
    if not won:
        raise Refused("This request has just been answered or withdrawn.")
    mentee = db.session.get(Member, request.member_id)
    room = mentoring_rooms.new_room(mentee, mentor, ROOM_TITLE.format(mentee=mentee.handle, mentor=mentor.handle))
    pair = MentoringPair(request_id=request.id, mentor_id=mentor.id, mentee_id=mentee.id, room_id=room.id,
                         started_at=now, goals_summary="")
    db.session.add(pair)
    db.session.flush()
    notifications.mentoring([mentee.id], f"{mentor.handle} will be your peer mentor. Your private room is open.",
                            room_id=room.id, actor_id=mentor.id)
    return pair


def decline(request_id, mentor, now=None):
    """The mentor can't take it (no reason asked): the next candidate is offered it."""
    request = db.session.get(MentoringRequest, request_id)
    if request is None or request.offered_to_id != mentor.id or request.status not in OPEN:
        raise Refused("This request is no longer offered to you.")
    offer_next(request, now, passed=mentor.id)


def offered_to(mentor_id):
    """The requests offered to this mentor now, oldest first, with each member's handle."""
    return db.session.execute(
        select(MentoringRequest, Member.handle).join(Member, Member.id == MentoringRequest.member_id)
        .where(MentoringRequest.offered_to_id == mentor_id, MentoringRequest.status.in_(OPEN))
        .order_by(MentoringRequest.created_at)).all()


def queue(limit=100):
    """The open requests, oldest first: what the queue page shows (never the note or who)."""
    return db.session.scalars(select(MentoringRequest).where(MentoringRequest.status.in_(OPEN))
                              .order_by(MentoringRequest.created_at, MentoringRequest.id).limit(limit)).all()


def waiting_count():
    return db.session.scalar(select(func.count()).select_from(MentoringRequest)
                             .where(MentoringRequest.status.in_(OPEN)))


# ---- the sweeper's pass (moderation.routing.add_pass) ---------------------------------------

def sweep(now=None):
    """Offers unanswered in MENTORING_OFFER_MINUTES go to the next mentor; requests the member
    left unchosen that long are offered to the best; requests unmatched after
    MENTORING_ESCALATE_MINUTES go to moderators. Each step is conditional (several processes)."""
    now = now or utcnow()
    offer_by, escalate_by = now - timedelta(minutes=offer_minutes()), now - timedelta(minutes=target_minutes())
    done = {"mentoring re-offered": 0, "mentoring escalated": 0}
    for request in db.session.scalars(select(MentoringRequest).where(
            MentoringRequest.status.in_(("waiting", "offered")), MentoringRequest.created_at < escalate_by)).all():
        done["mentoring escalated"] += escalate(request, now, f"unmatched past its target of "
                                                              f"{duration(target_minutes() * 60)}")
    stale = select(MentoringRequest).where(MentoringRequest.status.in_(OPEN), (
        (MentoringRequest.offered_to_id.is_not(None) & (MentoringRequest.offered_at < offer_by))
        | (MentoringRequest.offered_to_id.is_(None) & (MentoringRequest.status == "waiting")
           & (MentoringRequest.created_at < offer_by))))
    for request in db.session.scalars(stale).all():
        if offer_next(request, now, passed=request.offered_to_id) is not None:
            done["mentoring re-offered"] += 1
    return done


# ---- the member's data ----------------------------------------------------------------------------

def export(member):
    """The member's requests, for their export (their own words included)."""
    def iso(moment):
        return moment.isoformat() if moment else None
    rows = db.session.scalars(select(MentoringRequest).where(MentoringRequest.member_id == member.id)
                              .order_by(MentoringRequest.id)).all()
    return [{"topics": r.topics, "language": r.language, "note": r.note, "status": r.status,
             "asked": iso(r.created_at), "matched": iso(r.matched_at)} for r in rows]


def forget(member, now=None):
    """At account deletion: their requests go, and their pairs (as mentor or mentee) end."""
    now = now or utcnow()
    # Requests offered to them go back to waiting: the next sweep offers them to someone else.
    db.session.execute(update(MentoringRequest).where(MentoringRequest.offered_to_id == member.id,
                                                      MentoringRequest.status.in_(OPEN))
                       .values(offered_to_id=None, offered_at=None,
                               status=case((MentoringRequest.status == "escalated", "escalated"), else_="waiting"))
                       .execution_options(synchronize_session=False))
    db.session.execute(MentoringRequest.__table__.delete().where(MentoringRequest.member_id == member.id))
    db.session.execute(update(MentoringPair).where(
        (MentoringPair.mentor_id == member.id) | (MentoringPair.mentee_id == member.id),
        MentoringPair.ended_at.is_(None)).values(ended_at=now, ended_by_id=member.id, end_reason="account_closed")
        .execution_options(synchronize_session=False))
