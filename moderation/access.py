"""Who may work the queue: the moderator (or admin) role *and* a current training record.

The one rule for every moderator right, the queue's and the chat's alike (forum.chat asks
`can_moderate` on every event, and `trained_now` when it picks who hears held words): it is
read from the tables each time, never remembered from a login or a connection, so a lapsed
record or a removed role counts at once.
"""
from datetime import datetime, timezone

from sqlalchemy import and_, or_, select

from forum.extensions import db
from forum.models import Member

from .models import ModeratorProfile


def today():
    return datetime.now(timezone.utc).date()


def profile(member):
    return db.session.get(ModeratorProfile, member.id) if member is not None else None


def refusal(member):
    """Why this member can't work the queue, in plain words; None when they can."""
    if member is None or not getattr(member, "is_authenticated", False):
        return "Please log in as a moderator."
    if not member.is_moderator:
        return "The moderation queue is for trained peer moderators."
    record = profile(member)
    if record is None or not record.trained_on:
        return "You have the moderator role, but no training record yet. Please ask an admin to add it."
    if not record.trained(today()):
        return (f"Your moderator training record expired on {record.training_expires:%-d %B %Y}. "
                "Please renew it with an admin before working the queue.")
    return None


def can_moderate(member):
    return refusal(member) is None


MODERATOR_ROLES = ("moderator", "admin")


def trained_now():
    """The SQL form of can_moderate, for a query joining Member to ModeratorProfile: a
    live account with a moderator role and a training record current today."""
    now = today()
    return and_(Member.deleted_at.is_(None), Member.role.in_(MODERATOR_ROLES),
                ModeratorProfile.trained_on <= now, ModeratorProfile.training_expires >= now)


def trained_moderator_ids():
    """Ids of everyone who may moderate right now (can_moderate), for telling them."""
    return db.session.scalars(
        select(Member.id).join(ModeratorProfile, ModeratorProfile.member_id == Member.id).where(trained_now())).all()


def on_duty():
    """Trained moderators on duty now, longest-serving first."""
    rows = db.session.execute(
        select(Member, ModeratorProfile)
        .join(ModeratorProfile, ModeratorProfile.member_id == Member.id)
        .where(ModeratorProfile.on_duty_since.is_not(None), trained_now())
        .order_by(ModeratorProfile.on_duty_since)
    ).all()
    return [(member, record.on_duty_since) for member, record in rows]


def anyone_on_duty():
    return bool(on_duty())


def listeners():
    """Ids of everyone the live queue speaks to: trained moderators (and trained admins),
    plus every admin, who must hear escalations."""
    now = today()
    trained = and_(ModeratorProfile.trained_on <= now, ModeratorProfile.training_expires >= now)
    return db.session.scalars(
        select(Member.id).outerjoin(ModeratorProfile, ModeratorProfile.member_id == Member.id)
        .where(Member.deleted_at.is_(None),
               or_(Member.role == "admin", and_(Member.role == "moderator", trained)))).all()
