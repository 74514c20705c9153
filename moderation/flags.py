"""Raising flags: from screening on every write, and from members' reports.

Both run inside the caller's transaction, so the content and its flag commit together;
moderators are told only after that commit (forum.notify).
"""
from sqlalchemy import select, update

from forum.extensions import db
from forum.models import utcnow

from . import access, audit, routing
from .models import ACTIVE, CHECKIN_GONE, SEVERITIES, Flag, Report

SNAPSHOT_MAX = 20_000


def _rank(severity):
    return SEVERITIES.index(severity)


def _about(post=None, message=None, checkin=None):
    """The flag column that points at this content, and the content's id."""
    if post is not None:
        return Flag.post_id, post.id
    if message is not None:
        return Flag.message_id, message.id
    return Flag.checkin_id, checkin.id


def _active_flag(post=None, message=None, checkin=None):
    column, value = _about(post, message, checkin)
    return db.session.scalar(
        select(Flag).where(column == value, Flag.status.in_(ACTIVE)).order_by(Flag.id.desc()).limit(1))


def _snapshot(post=None, message=None, checkin=None):
    if post is not None:
        title = post.thread.title if post.parent_id is None and post.thread is not None else ""
        return (f"{title}\n\n{post.body_md}" if title else post.body_md)[:SNAPSHOT_MAX]
    if checkin is not None:
        return (checkin.note or "")[:SNAPSHOT_MAX]
    return (message.body_md or "")[:SNAPSHOT_MAX]


def _raise(flag, severity):
    """Severity only ever goes up while a flag is open."""
    if _rank(severity) > _rank(flag.severity):
        flag.severity = severity
        return True
    return False


def flag_content(*, member, screening, post=None, message=None, checkin=None):
    """The flag for this content when screening rates it elevated or higher, else None.

    An edit that screens again joins the content's open flag (raising it if needed)
    rather than opening a second one.
    """
    if screening.severity < "elevated":
        return None
    severity = str(screening.severity)
    found = screening.to_dict()
    found["matches"] = screening.evidence()
    flag = _active_flag(post, message, checkin)
    if flag is not None:
        raised = _raise(flag, severity)
        flag.categories = sorted(set(flag.categories or []) | set(found["categories"]))
        flag.matches = list(flag.matches or []) + found["matches"]
        flag.snapshot = _snapshot(post, message, checkin)
        flag.version += 1
        db.session.flush()
        audit.record(None, "screened again", "flag", flag.id, flag=flag,
                     reason=f"edited; screening says {severity}" + (" (raised)" if raised else ""))
        routing.announce(flag, "flag.updated")
        return flag
    flag = Flag(
        post_id=post.id if post is not None else None,
        message_id=message.id if message is not None else None,
        checkin_id=checkin.id if checkin is not None else None,
        member_id=member.id,
        source="screening",
        severity=severity,
        categories=found["categories"],
        matches=found["matches"],
        snapshot=_snapshot(post, message, checkin),
        created_at=utcnow(),
    )
    db.session.add(flag)
    db.session.flush()
    audit.record(None, "flagged", "flag", flag.id, flag=flag, reason=f"screening: {severity}")
    routing.announce(flag, "flag.new")
    if severity == "imminent" and not access.anyone_on_duty():
        routing.escalate(flag, None, "imminent, and no moderator is on duty")
    return flag


def forget_checkin_words(member_id):
    """The member closed their account: their check-ins go, and so do the words of the
    flags those raised (the note, and the phrases screening quoted from it). The flag
    itself stays, with its severity and history, as a record of what moderators did."""
    db.session.execute(
        update(Flag).where(Flag.member_id == member_id, Flag.checkin_id.is_not(None))
        .values(snapshot=CHECKIN_GONE, matches=[]))


class AlreadyReported(Exception):
    pass


def report(*, reporter, reason, detail, post=None, message=None):
    """A member's report. It joins the content's open flag and raises its priority, or
    opens a new flag. A member reports an item once."""
    column, value = (Report.post_id, post.id) if post is not None else (Report.message_id, message.id)
    if db.session.scalar(select(Report.id).where(column == value, Report.reporter_id == reporter.id)):
        raise AlreadyReported()
    severity = "high" if reason == "crisis" else "elevated"
    flag = _active_flag(post, message)
    if flag is None:
        author_id = post.author_id if post is not None else message.member_id
        flag = Flag(post_id=post.id if post is not None else None,
                    message_id=message.id if message is not None else None,
                    member_id=author_id, source="member_report", severity=severity,
                    categories=[f"report:{reason}"], matches=[], snapshot=_snapshot(post, message),
                    created_at=utcnow())
        db.session.add(flag)
        db.session.flush()
        audit.record(reporter, "reported", "flag", flag.id, flag=flag, reason=reason)
        event = "flag.new"
    else:
        _raise(flag, severity)
        flag.categories = sorted(set(flag.categories or []) | {f"report:{reason}"})
        flag.version += 1
        audit.record(reporter, "report joined", "flag", flag.id, flag=flag, reason=reason)
        event = "flag.updated"
    flag.report_count += 1
    db.session.add(Report(flag_id=flag.id, post_id=post.id if post is not None else None,
                          message_id=message.id if message is not None else None,
                          reporter_id=reporter.id, reason=reason, detail=detail or ""))
    db.session.flush()
    routing.announce(flag, event)
    return flag
