"""What a member at risk is shown at once: their own safety plan, crisis lines for their
chosen region, honest words about whether a moderator is around, and a way to talk to one
now."""
from flask import url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db
from forum.models import SAFETY_PLAN_SECTIONS, Post, SafetyPlan

from . import access, resources
from .models import ACTIVE, Flag

URGENT = ("high", "imminent")


# A plan longer than this opens folded in the panel, so the lines stay in sight on a phone.
PLAN_SHOWN_OPEN = 400


def help_for(member, region=None):
    """The help panel's content, as plain data (templates and Socket.IO both use it).

    `lines` holds every region, the chosen one first; with none chosen the panel asks
    which and folds them all. The plan is the member's own: the panel goes to them alone."""
    chosen = resources.region_or_none(region or getattr(member, "region", None))
    plan = safety_plan(member)
    return {
        "region": chosen,
        "regions": [(code, info["name"]) for code, info in resources.regions().items()],
        "lines": resources.lines_for(chosen),
        "plan": plan,
        "plan_open": sum(len(section["text"]) for section in plan) <= PLAN_SHOWN_OPEN,
        "moderator_on_duty": _anyone_on_duty(),
        "support_url": url_for("chat.support"),  # a private conversation with a moderator
    }


def safety_plan(member):
    """The member's own safety plan, the sections they filled in, in Stanley and Brown's
    order: [{"key", "heading", "prompt", "text"}]. Empty for a guest or with no plan."""
    if member is None or not getattr(member, "is_authenticated", False):
        return []
    try:
        row = db.session.get(SafetyPlan, member.id)
    except SQLAlchemyError:
        db.session.rollback()  # as with who is on duty: the lines show without it
        return []
    sections = row.sections if row is not None else {}
    return [{"key": key, "heading": heading, "prompt": prompt, "text": sections[key]}
            for key, (heading, prompt) in SAFETY_PLAN_SECTIONS.items() if sections.get(key, "").strip()]


def has_safety_plan(member_id):
    """Whether the member has a safety plan: all the moderator desk may know of it."""
    return db.session.scalar(select(SafetyPlan.member_id).where(SafetyPlan.member_id == member_id)) is not None


def _anyone_on_duty():
    """Whether a moderator is on duty; False when the database cannot say, so the member
    is pointed to the crisis lines, which never depend on it."""
    try:
        return access.anyone_on_duty()
    except SQLAlchemyError:
        db.session.rollback()
        return False


def post_needs_help(member, post):
    """Whether this post of the member's raises the help panel (as posts_needing_help): the
    page they land on after writing it opens at the panel."""
    return post.id in _needing_help(member, Post.id == post.id)


def posts_needing_help(member, thread_id):
    """Ids of this member's posts in the thread that screening rated high or imminent and
    whose flag is still open: the thread page shows the help panel beside them."""
    return _needing_help(member, Post.thread_id == thread_id)


def _needing_help(member, which):
    if member is None or not member.is_authenticated:
        return set()
    return set(db.session.scalars(
        select(Flag.post_id).join(Post, Post.id == Flag.post_id)
        .where(which, Flag.member_id == member.id, Flag.source == "screening",
               Flag.severity.in_(URGENT), Flag.status.in_(ACTIVE))))


def checkin_needs_help(member, checkin_id):
    """Whether the member's own check-in raised the help panel: screening rated its note
    high or imminent and the flag is still open (as for a post). Their recovery page then
    shows the panel beside it, and opens at it after saving."""
    if member is None or not member.is_authenticated or checkin_id is None:
        return False
    return db.session.scalar(
        select(Flag.id).where(Flag.checkin_id == checkin_id, Flag.member_id == member.id,
                              Flag.source == "screening", Flag.severity.in_(URGENT),
                              Flag.status.in_(ACTIVE)).limit(1)) is not None
