"""Which mentors a request is offered to, best first, in one query.

Who may be offered a request: a current mentor (forum.mentoring.mentors.current_sql) who
has said when they're usually around (at least one part of the week ticked: a mentor who
ticked nothing hasn't said they're around at all), with room (fewer active mentees than
their cap), speaking the language asked for, sharing at least one of the topics asked about,
not the member themself, not already their mentor, not one who declined (or let pass) this
request, and nobody either of them blocked. A request doesn't say when the member would like
to talk, so availability excludes but doesn't rank; the member choosing reads each mentor's
week in words (templates/mentoring/choose.html) and picks someone around when they are.

Their order, which is the fairness rule the tests measure (tests/mentoring/test_matching.py):
1. topics shared with the request, most first; a mentor whose members mostly said "not for
   me" (at least FIT_RATINGS_MIN ratings, more than half of them) counts half a topic less,
   which reorders but never excludes: a low fit informs matching, it does not punish;
2. then fewest active mentees (load is spread before anyone gets a second);
3. then least recently offered anything (`last_offered_at`, never offered first), so among
   equals the offers rotate and no mentor is always first;
4. then the member id, so the order is the same on every engine.
"""
from dataclasses import dataclass

from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select

from ..extensions import db
from ..models import DAY_PARTS, Block, Member, MentoringPair, MentoringSession, MentorProfile
from . import mentors

SUGGESTED = 5  # mentors a member is shown to choose from
FIT_RATINGS_MIN = 2  # ratings before a mentor's fit counts at all


@dataclass(slots=True)
class Candidate:
    """A mentor as a member choosing sees them: never their load or their fit."""
    member_id: int
    handle: str
    intro: str
    shared_topics: list
    languages: list
    availability: dict
    score: int  # twice the shared topics, less one for a low fit
    active: int


def _contains(json_list_column, key):
    """SQL: a JSON list column holds the string `key` (keys are plain words from a fixed
    list, so a quoted key in the list's text is that key, on SQLite and PostgreSQL alike)."""
    return func.coalesce(cast(json_list_column, String), "").like(f'%"{key}"%')


def has_availability_sql():
    """SQL: the mentor has ticked at least one part of the week (mentors.has_availability).
    Days are the grid's keys and parts only its values, so a quoted part in its text is a
    ticked box."""
    return or_(*(_contains(MentorProfile.availability, part) for part in DAY_PARTS))


def active_counts():
    """Subquery: (mentor_id, active) for every mentor with an active pair."""
    return (select(MentoringPair.mentor_id.label("mentor_id"), func.count().label("active"))
            .where(MentoringPair.ended_at.is_(None)).group_by(MentoringPair.mentor_id).subquery())


def loads():
    """{mentor id: active mentees} for every mentor with any (supervisors' and admins' pages)."""
    counts = active_counts()
    return dict(db.session.execute(select(counts.c.mentor_id, counts.c.active)).all())


def active_mentees(mentor_id):
    """How many mentees this mentor has now."""
    return db.session.scalar(select(func.count()).select_from(MentoringPair).where(
        MentoringPair.mentor_id == mentor_id, MentoringPair.ended_at.is_(None)))


def active_pair(mentor_id, mentee_id):
    """Their running pair, or None."""
    return db.session.scalar(select(MentoringPair).where(
        MentoringPair.mentor_id == mentor_id, MentoringPair.mentee_id == mentee_id, MentoringPair.ended_at.is_(None)))


def has_room(record):
    return active_mentees(record.member_id) < record.cap


def _fit():
    """Subquery: (mentor_id, rated, not_for_me): the fit their mentees gave after sessions."""
    return (select(MentoringPair.mentor_id.label("mentor_id"), func.count().label("rated"),
                   func.sum(case((MentoringSession.fit == "not_for_me", 1), else_=0)).label("not_for_me"))
            .join(MentoringPair, MentoringPair.id == MentoringSession.pair_id)
            .where(MentoringSession.fit.is_not(None)).group_by(MentoringPair.mentor_id).subquery())


def _blocked_either_way(member_id):
    return or_(exists().where(Block.blocker_id == member_id, Block.blocked_id == Member.id),
               exists().where(Block.blocker_id == Member.id, Block.blocked_id == member_id))


def candidates(request, limit=SUGGESTED, only=None, day=None):
    """The mentors `request` may be offered to, best first (the order above): one query,
    whatever the number of mentors. `only`: just this mentor, if they qualify."""
    topics = list(request.topics or [])
    shared = [case((_contains(MentorProfile.topics, t), 1), else_=0) for t in topics]
    overlap = sum(shared[1:], shared[0]) if shared else literal(0)
    active, fit = active_counts(), _fit()
    load = func.coalesce(active.c.active, 0)
    low_fit = case((and_(fit.c.rated >= FIT_RATINGS_MIN, fit.c.not_for_me * 2 > fit.c.rated), 1), else_=0)
    score = overlap * 2 - low_fit
    query = (
        select(Member.id, Member.handle, MentorProfile.intro, MentorProfile.topics, MentorProfile.languages,
               MentorProfile.availability, score.label("score"), load.label("active"))
        .join(MentorProfile, MentorProfile.member_id == Member.id)
        .outerjoin(active, active.c.mentor_id == Member.id)
        .outerjoin(fit, fit.c.mentor_id == Member.id)
        .where(mentors.current_sql(day), has_availability_sql(), load < MentorProfile.cap,
               Member.id != request.member_id, _contains(MentorProfile.languages, request.language),
               ~_blocked_either_way(request.member_id),
               ~exists().where(MentoringPair.mentor_id == Member.id, MentoringPair.mentee_id == request.member_id,
                               MentoringPair.ended_at.is_(None)))
        .order_by(score.desc(), load, MentorProfile.last_offered_at.is_not(None), MentorProfile.last_offered_at,
                  Member.id)
        .limit(limit))
    if topics:
        query = query.where(overlap > 0)
    declined = [int(i) for i in (request.declined_by or [])]
    if declined:
        query = query.where(Member.id.not_in(declined))
    if only is not None:
        query = query.where(Member.id == only)
    wanted = set(topics)
    return [Candidate(row.id, row.handle, row.intro, [t for t in row.topics if t in wanted], row.languages,
                      row.availability, row.score, row.active)
            for row in db.session.execute(query)]


def eligible(request, mentor_id, day=None):
    """May this request go to this mentor now (current, around some time, room, language,
    topics, no block)?"""
    return bool(candidates(request, limit=1, only=mentor_id, day=day))
