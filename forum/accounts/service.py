"""Accounts: sign-up, passphrases, recovery codes, sessions, export and deletion."""
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, exists, or_, select, update
from sqlalchemy.orm import aliased

from moderation import flags

from .. import following
from ..extensions import db
from ..filters import settings as filter_settings
from ..models import (
    MOODS,
    SAFETY_PLAN_SECTIONS,
    Board,
    CheckIn,
    Draft,
    Goal,
    LoginSession,
    Member,
    MentorProfile,
    Message,
    Milestone,
    Post,
    Profile,
    Reaction,
    Room,
    SafetyPlan,
    Thread,
    utcnow,
)
from ..signals import closing_account, exporting
from . import handles

# argon2id with the library's RFC 9106 "low memory" defaults.
_hasher = PasswordHasher()
# Verifying against this when a handle does not exist keeps the timing the same, so the
# login form does not reveal which handles exist.
_DUMMY_HASH = _hasher.hash("lantern-dummy-passphrase")


class HandleTaken(Exception):
    pass


def new_recovery_code():
    """Four groups of five characters, easy to write down (no 0/O, 1/I/L)."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    groups = ("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))
    return "-".join(groups)


def _normalise_code(code):
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _verify(hash_, secret):
    try:
        return _hasher.verify(hash_ or _DUMMY_HASH, secret) and hash_ is not None
    except (VerificationError, InvalidHashError):
        return False


def handle_available(handle):
    return db.session.scalar(select(Member.id).where(Member.handle_key == handles.skeleton(handle))) is None


def find_member(handle):
    """The current member with this handle, or with one that looks just like it; None.

    The exact handle wins: members who joined before the look-alike rules grew may share
    a skeleton with another (their key kept the older rules, see migration 0008)."""
    return db.session.scalar(
        select(Member)
        .where(or_(Member.handle == handle, Member.handle_key == handles.skeleton(handle)),
               Member.deleted_at.is_(None))
        .order_by((Member.handle == handle).desc(), Member.id).limit(1))


def create_member(handle, passphrase, role="member"):
    """A new member and their one-time recovery code (only its hash is kept)."""
    if not handle_available(handle):
        raise HandleTaken(handle)
    code = new_recovery_code()
    member = Member(
        handle=handle,
        handle_key=handles.skeleton(handle),
        passphrase_hash=_hasher.hash(passphrase),
        recovery_hash=_hasher.hash(_normalise_code(code)),
        role=role,
    )
    db.session.add(member)
    db.session.flush()
    return member, code


def authenticate(handle, passphrase):
    member = find_member(handle)
    ok = _verify(member.passphrase_hash if member else None, passphrase)
    return member if ok else None


def recover(handle, code, new_passphrase):
    """Set a new passphrase with the recovery code. Returns the member and a fresh code
    (the old one is spent), or None. Every existing session ends."""
    member = find_member(handle)
    if not _verify(member.recovery_hash if member else None, _normalise_code(code)):
        return None
    fresh = new_recovery_code()
    member.passphrase_hash = _hasher.hash(new_passphrase)
    member.recovery_hash = _hasher.hash(_normalise_code(fresh))
    end_all_sessions(member)
    return member, fresh


_SEEN_GRAIN = timedelta(minutes=1)


def _token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(member):
    """A new server-side session; the returned token goes in the signed cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token_hash=_token_hash(token), member_id=member.id))
    return token


@dataclass(frozen=True, slots=True)
class MentoringFacts:
    """What the header's mentoring links need of a signed-in member, read with their session."""
    trained_on: date | None  # their MentorProfile's, None without one
    training_expires: date | None
    supervises_mentor: bool  # named as some mentor's supervisor

    trained = MentorProfile.trained  # the one rule: trained_on <= today <= training_expires


def session_member(member_id, token, *, idle, longest):
    """(member, changed): the member if this cookie's session is still open, else None;
    `changed` is True when the session row was changed and wants a commit.

    A session ends after `idle` without a request and `longest` after it began (timedeltas;
    OWASP ASVS V7.3); an ended one is deleted. Its last-seen time moves at most once a
    minute, so reading pages does not write on every request."""
    if not token or not str(member_id).isdigit():
        return None, False
    now = utcnow()
    supervised = aliased(MentorProfile)
    row = db.session.execute(
        select(Member, LoginSession, MentorProfile.trained_on, MentorProfile.training_expires,
               exists().where(supervised.supervisor_id == Member.id).label("supervises_mentor"))
        .join(LoginSession, LoginSession.member_id == Member.id)
        .outerjoin(MentorProfile, MentorProfile.member_id == Member.id)
        .where(LoginSession.token_hash == _token_hash(token), Member.id == int(member_id),
               Member.deleted_at.is_(None))
    ).first()
    if row is None:
        return None, False
    member, login = row.Member, row.LoginSession
    # The header's mentoring links ask these on every page (forum.mentoring.views.mentoring_nav):
    # read with the session, not by a query of their own.
    member.mentoring_facts = MentoringFacts(row.trained_on, row.training_expires, row.supervises_mentor)
    if login.last_seen_at < now - idle or login.created_at < now - longest:
        db.session.delete(login)
        return None, True
    if login.last_seen_at < now - _SEEN_GRAIN:
        login.last_seen_at = now
        return member, True
    return member, False


def end_session(token):
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(token)))


def end_all_sessions(member):
    db.session.execute(delete(LoginSession).where(LoginSession.member_id == member.id))


def export(member):
    """Everything this member wrote or chose, as plain data."""
    posts = db.session.scalars(select(Post).where(Post.author_id == member.id).order_by(Post.id)).all()
    reactions = db.session.scalars(select(Reaction).where(Reaction.member_id == member.id)).all()
    plan = db.session.get(SafetyPlan, member.id)
    profile = db.session.get(Profile, member.id)
    return {
        "handle": member.handle,
        "joined": member.created_at.isoformat(),
        "role": member.role,
        "threads": [
            {"id": t.id, "board": t.board.slug, "title": t.title, "created": t.created_at.isoformat()}
            for t in db.session.scalars(select(Thread).where(Thread.author_id == member.id).order_by(Thread.id))
        ],
        "posts": [
            {
                "id": p.id,
                "thread_id": p.thread_id,
                "in_reply_to": p.parent_id,
                "content_warning": p.content_warning,
                "body_markdown": p.body_md,
                "created": p.created_at.isoformat(),
                "edited": p.edited_at.isoformat() if p.edited_at else None,
                "deleted": p.deleted_at.isoformat() if p.deleted_at else None,
            }
            for p in posts
        ],
        "reactions": [{"post_id": r.post_id, "kind": r.kind} for r in reactions],
        "chat_messages": [
            {"id": m.id, "room": room, "body_markdown": m.body_md, "created": m.created_at.isoformat(),
             "removed": m.removed_at.isoformat() if m.removed_at else None}
            for m, room in db.session.execute(select(Message, Room.slug).join(Room, Room.id == Message.room_id)
                                              .where(Message.member_id == member.id).order_by(Message.id))
        ],
        "settings": {"crisis_lines_region": member.region, "theme": member.theme},
        "profile": None if profile is None else {
            "about": profile.about,
            "in_recovery_since": profile.recovery_since.strftime("%Y-%m") if profile.recovery_since else None},
        # Unposted words: a reply being written in a thread, or a new thread on a board.
        "drafts": [
            {"thread_id": d.thread_id, "board": board, "title": d.title or None,
             "content_warning": d.content_warning or None, "body_markdown": d.body, "updated": d.updated_at.isoformat()}
            for d, board in db.session.execute(select(Draft, Board.slug).outerjoin(Board, Board.id == Draft.board_id)
                                               .where(Draft.member_id == member.id).order_by(Draft.id))
        ],
        **following.exported(member.id),
        # The member's own words, under the headings they wrote them for, in the plan's order.
        "safety_plan": None if plan is None else {
            "updated": plan.updated_at.isoformat(),
            "sections": {heading: plan.sections[key] for key, (heading, _) in SAFETY_PLAN_SECTIONS.items()
                         if plan.sections.get(key)}},
        # What they chose not to see: topics, muted words and whom they blocked.
        "filters_and_blocks": filter_settings.export(member),
        **_recovery_space(member),
        # What the features above accounts hold of theirs (peer mentoring), by signal.
        **{key: value for _, part in exporting.send(current_app._get_current_object(), member=member)
           for key, value in (part or {}).items()},
    }


def _recovery_space(member):
    """The member's check-ins, goals (with their steps) and milestones (with earlier runs)."""
    def when(moment):
        return moment.isoformat() if moment else None
    mine = {"member_id": member.id}
    return {
        "check_ins": [
            {"day": c.day.isoformat(), "mood": c.mood, "mood_words": MOODS.get(c.mood), "note": c.note,
             "tags": list(c.tags or []), "updated": when(c.updated_at)}
            for c in db.session.scalars(select(CheckIn).filter_by(**mine).order_by(CheckIn.day))],
        "goals": [
            {"title": g.title, "created": when(g.created_at), "done": when(g.done_at),
             "shared_thread_id": g.shared_thread_id,
             "steps": [{"text": s.text, "done": when(s.done_at)} for s in g.steps]}
            for g in db.session.scalars(select(Goal).filter_by(**mine).order_by(Goal.id))],
        "milestones": [
            {"title": m.title, "since": m.since.isoformat(), "earlier_runs": list(m.runs or []),
             "longest_earlier_run_days": m.longest_days, "shared_thread_id": m.shared_thread_id}
            for m in db.session.scalars(select(Milestone).filter_by(**mine).order_by(Milestone.id))],
    }


def delete_account(member, remove_posts):
    """Close the account. The member row stays (without handle or secrets) so that what
    others wrote in reply keeps its place; with remove_posts, their words go too."""
    now = utcnow()
    if remove_posts:
        db.session.execute(
            update(Post)
            .where(Post.author_id == member.id, Post.deleted_at.is_(None))
            .values(deleted_at=now, body_md="", body_html="", content_warning=None)
        )
        db.session.execute(
            update(Thread).where(Thread.author_id == member.id).values(title="Thread removed by its author")
        )
        db.session.execute(update(Message).where(Message.member_id == member.id).values(**Message.erased(member.id, now)))
    db.session.execute(delete(Reaction).where(Reaction.member_id == member.id))
    # The row stays, so its ON DELETE CASCADE never fires: the private plan goes here.
    db.session.execute(delete(SafetyPlan).where(SafetyPlan.member_id == member.id))
    filter_settings.forget(member)  # their filters, and blocks both ways
    # The recovery space goes the same way (goal steps with their goal, by ON DELETE CASCADE),
    # and so do the words of any flag a check-in raised.
    flags.forget_checkin_words(member.id)
    db.session.execute(delete(CheckIn).where(CheckIn.member_id == member.id))
    db.session.execute(delete(Goal).where(Goal.member_id == member.id))
    db.session.execute(delete(Milestone).where(Milestone.member_id == member.id))
    db.session.execute(delete(Draft).where(Draft.member_id == member.id))
    db.session.execute(delete(Profile).where(Profile.member_id == member.id))
    following.forget(member.id)
    closing_account.send(current_app._get_current_object(), member=member)
    end_all_sessions(member)
    member.handle = f"former-{member.id}"
    member.handle_key = f"#former-{member.id}"  # frees the handle; '#' never occurs in a chosen one
    member.passphrase_hash = None
    member.recovery_hash = None
    member.deleted_at = now
