"""Every moderator action, and every change the system makes to a flag, leaves an entry."""
from sqlalchemy import exists, select

from forum.extensions import db

from .models import AuditEntry

# What counts as someone having reached out to the member about a flag.
OUTREACH = ("replied", "opened support room")


def record(actor, action, target_type, target_id=None, *, flag=None, reason=""):
    """Add an audit entry to the current transaction (it commits with the action itself)."""
    db.session.add(AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        flag_id=flag.id if flag is not None else None,
        target_type=target_type,
        target_id=target_id,
        reason=reason or "",
    ))


def reached_out(flag_id):
    """Has a moderator replied to the member or opened a support room about this flag?"""
    return db.session.scalar(select(exists().where(AuditEntry.flag_id == flag_id, AuditEntry.action.in_(OUTREACH))))
