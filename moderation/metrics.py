"""Queue health over a period: open flags, time to claim and resolve, SLA breaches."""
from datetime import timedelta
from statistics import median

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import utcnow

from .models import ACTIVE, SEVERITIES, Flag

PERIODS = {1: "last 24 hours", 7: "last 7 days", 30: "last 30 days", 90: "last 90 days"}


def _p90(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] if ordered else None


def _minutes(seconds):
    return None if seconds is None else round(seconds / 60, 1)


def summary(days):
    since = utcnow() - timedelta(days=days)
    open_now = dict(db.session.execute(
        select(Flag.severity, func.count()).where(Flag.status.in_(ACTIVE)).group_by(Flag.severity)).all())
    flags = db.session.scalars(select(Flag).where(Flag.created_at >= since)).all()
    sla = current_app.config["MODERATION_SLA"]
    to_claim = [(f.first_response_at - f.created_at).total_seconds() for f in flags if f.first_response_at]
    to_resolve = [(f.resolved_at - f.created_at).total_seconds() for f in flags if f.resolved_at]
    breaches = sum(
        1 for f in flags
        if f.escalated_at or (f.first_response_at and (f.first_response_at - f.created_at).total_seconds() > sla[f.severity]))
    return {
        "period": PERIODS.get(days, f"last {days} days"),
        "open": {severity: open_now.get(severity, 0) for severity in reversed(SEVERITIES)},
        "flags": len(flags),
        "claim_median": _minutes(median(to_claim) if to_claim else None),
        "claim_p90": _minutes(_p90(to_claim)),
        "resolve_median": _minutes(median(to_resolve) if to_resolve else None),
        "resolve_p90": _minutes(_p90(to_resolve)),
        "breaches": breaches,
    }
