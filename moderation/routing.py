"""Who is told, claims with a lease, SLAs and escalation.

Every transition is one conditional UPDATE (it names the state it expects), so two
moderators, two browser tabs or two server processes can race and exactly one wins, on
SQLite and PostgreSQL alike. Notifications leave only after the transaction commits.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, case, func, literal_column, or_, select, update
from sqlalchemy.orm import selectinload

from forum import content
from forum.errors import log_failure
from forum.extensions import db, socketio
from forum.models import Member, utcnow
from forum.notifications import service as notifications
from forum.notify import emit_after_commit
from forum.text import duration

from . import access, audit, outbox
from .models import ACTIVE, Flag

NAMESPACE = "/moderation"



def moderator_room(member_id):
    """Each queue socket sits in its moderator's own room: the live queue is sent to the
    rooms of those allowed to see it right now, and logging out closes the room."""
    return f"moderator:{member_id}"


class Conflict(Exception):
    """The flag is not in the state this action needs; the message says why."""


# ---- telling moderators ------------------------------------------------------------

def summary(flag, words=True):
    """What the live queue shows of a flag (no more of the words than the queue needs).
    `words=False` leaves out the excerpt: for admins without a current training record, who
    hear of every flag (they must hear escalations) but may not read held words."""
    claimed_by = db.session.get(Member, flag.claimed_by_id) if flag.claimed_by_id else None
    return {
        "id": flag.id,
        "severity": flag.severity,
        "status": flag.status,
        "source": flag.source,
        "categories": list(flag.categories or []),
        "report_count": flag.report_count,
        "created_at": flag.created_at.isoformat(),
        "sla_seconds": sla_seconds(flag.severity),
        "claimed_by": claimed_by.handle if claimed_by else None,
        "lease_until": flag.lease_until.isoformat() if flag.lease_until else None,
        "escalated": flag.escalated_at is not None,
        "excerpt": content.excerpt(flag.snapshot) if words else "",
        "kind": flag.kind,
        "url": f"/moderation/flags/{flag.id}",
        "version": flag.version,
    }


def announce(flag, event):
    """Tell every moderator watching the queue, once the current transaction commits.
    Who may hear is decided now, from the tables: a moderator whose training lapsed or
    whose role was taken away stops hearing at once, even on a socket already open."""
    trained = set(access.trained_moderator_ids())
    for ids, words in ((trained, True), (set(access.listeners()) - trained, False)):
        if ids:
            emit_after_commit(event, summary(flag, words), to=[moderator_room(i) for i in sorted(ids)],
                              namespace=NAMESPACE)


# How urgent a flag is: most urgent highest. Written out (no bound parameters) so that it
# is, word for word, the expression ix_flag_active_queue holds (0016_scale_indexes): the
# queue's page is then read in index order, however many flags are active.
URGENCY_SQL = "CASE severity WHEN 'imminent' THEN 3 WHEN 'high' THEN 2 WHEN 'elevated' THEN 1 ELSE 0 END"
_URGENCY = literal_column(URGENCY_SQL.replace("CASE severity", "CASE flag.severity"))
QUEUE_PAGE = 50  # flags on a page of the queue
NEWEST_SHOWN = 5  # the newest flags the queue's first page shows besides its most urgent


def active_flags(limit=None, offset=0):
    """Open, claimed and escalated flags: most urgent first, then oldest first (a page of
    `limit` of them after `offset`, or all)."""
    statement = (select(Flag).options(selectinload(Flag.claimed_by)).where(Flag.status.in_(ACTIVE))
                 .order_by(_URGENCY.desc(), Flag.created_at, Flag.id))
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    return db.session.scalars(statement).all()


def active_count():
    """How many flags are active: counted in ix_flag_active_queue, which holds them alone."""
    return db.session.scalar(select(func.count()).select_from(Flag).where(Flag.status.in_(ACTIVE)))


def newest_active(leaving_out, limit=NEWEST_SHOWN):
    """The newest active flags, newest first, but those in `leaving_out` (ids): a flag that
    just arrived shows on the queue's first page even when fifty more urgent or older ones
    fill it. Read backwards by id: the newest flags are nearly always still active."""
    return db.session.scalars(
        select(Flag).options(selectinload(Flag.claimed_by))
        .where(Flag.status.in_(ACTIVE), Flag.id.not_in(leaving_out))
        .order_by(Flag.id.desc()).limit(limit)).all()


# ---- SLAs ----------------------------------------------------------------------------

def sla_seconds(severity):
    return current_app.config["MODERATION_SLA"][severity]


def lease_length():
    return timedelta(seconds=current_app.config["CLAIM_LEASE_SECONDS"])


# ---- transitions ---------------------------------------------------------------------

def _transition(flag_id, expected, values):
    """UPDATE flag SET values WHERE id = flag_id AND expected; True if this call won."""
    result = db.session.execute(
        update(Flag).where(Flag.id == flag_id, expected).values(version=Flag.version + 1, **values)
        .execution_options(synchronize_session=False))
    flag = db.session.get(Flag, flag_id)
    if flag is not None:
        db.session.refresh(flag)
    return result.rowcount == 1, flag


def _claimable(moderator_id, now):
    return or_(Flag.status.in_(("open", "escalated")),
               and_(Flag.status == "claimed", or_(Flag.lease_until < now, Flag.claimed_by_id == moderator_id)))


# What a flag goes back to when its claim ends, decided in the UPDATE itself so a
# concurrent escalation is never undone.
_UNCLAIMED_STATUS = case((Flag.escalated_at.is_(None), "open"), else_="escalated")


def _who_has(flag):
    if flag is None:
        raise Conflict("There is no such flag.")
    if flag.status == "resolved":
        raise Conflict("This flag is already resolved.")
    if flag.status == "claimed" and flag.claimed_by is not None:
        raise Conflict(f"{flag.claimed_by.handle} has claimed this flag.")
    raise Conflict("This flag changed while you were looking. Please reload.")


def _check_version(flag, version):
    if flag is None or flag.status == "resolved":
        _who_has(flag)
    if version is not None and version != flag.version:
        raise Conflict("This flag changed while you were looking. Please reload.")


def claim(flag_id, moderator, now=None):
    now = now or utcnow()
    won, flag = _transition(flag_id, _claimable(moderator.id, now), {
        "status": "claimed", "claimed_by_id": moderator.id, "lease_until": now + lease_length(),
        "first_response_at": func.coalesce(Flag.first_response_at, now)})
    if not won:
        _who_has(flag)
    audit.record(moderator, "claimed", "flag", flag.id, flag=flag)
    announce(flag, "flag.updated")
    return flag


def _held_by(moderator_id):
    return and_(Flag.status == "claimed", Flag.claimed_by_id == moderator_id)


def _free_for(moderator_id, now):
    """Nobody else holds a live claim: unclaimed, claimed by this moderator, or a claim
    whose lease ran out."""
    return or_(Flag.status != "claimed", Flag.claimed_by_id == moderator_id, Flag.lease_until < now)


def check_may_act(flag, moderator, now=None):
    """The one rule for acting on a flag (hide, restore, release a hold, reply, mute,
    escalate, open a support room, renew, release, resolve): every action the desk takes
    on a flag passes here first (moderation.views.act; no flag action arrives over
    Socket.IO, whose /moderation namespace only reads the queue).

    - While a moderator holds a live claim, only they act on the flag. Anyone else is
      refused, told who has it, and may press "Take over" (take_over): deliberate,
      audited, and the holder is told at once.
    - An unclaimed flag (open, escalated, or a claim whose lease ran out) is any trained
      moderator's to act on, and acting does not claim it: a claim is a promise to stay
      with it, which only Claim makes. Resolving one records who resolved it.

    A conditional UPDATE that changes nothing, not a read: it takes the flag row's lock
    (a write lock on SQLite) until the action commits, so a claim racing this action
    either lands first and refuses it, or waits for it. Raises Conflict."""
    now = now or utcnow()
    result = db.session.execute(
        update(Flag).where(Flag.id == flag.id, _free_for(moderator.id, now))
        .values(lease_until=Flag.lease_until).execution_options(synchronize_session=False))
    if result.rowcount == 1:
        return
    db.session.refresh(flag)
    holder = flag.claimed_by.handle if flag.claimed_by is not None else "Another moderator"
    raise Conflict(f"{holder} is looking after this flag until {flag.lease_until:%H:%M} UTC, so only they "
                   "can act on it. If it can't wait, use “Take over” on the flag's page: they'll be told.")


def take_over(flag_id, moderator, now=None):
    """Take a flag someone else holds: the claim passes to `moderator` with a new lease,
    the audit says from whom, and the previous holder hears it live (flag.taken). When
    nobody else holds it any more, this is an ordinary claim."""
    now = now or utcnow()
    flag = db.session.get(Flag, flag_id)
    if flag is None or flag.status != "claimed" or flag.claimed_by_id in (None, moderator.id) \
            or flag.lease_until < now:
        return claim(flag_id, moderator, now)
    previous_id, previous_handle = flag.claimed_by_id, flag.claimed_by.handle
    won, flag = _transition(flag_id, _held_by(previous_id), {
        "claimed_by_id": moderator.id, "lease_until": now + lease_length(),
        "first_response_at": func.coalesce(Flag.first_response_at, now)})
    if not won:
        _who_has(flag)
    audit.record(moderator, "took over claim", "flag", flag.id, flag=flag, reason=f"from {previous_handle}")
    announce(flag, "flag.updated")
    emit_after_commit("flag.taken", {"id": flag.id, "by": moderator.handle, "url": f"/moderation/flags/{flag.id}"},
                      to=moderator_room(previous_id), namespace=NAMESPACE)
    return flag


def renew(flag_id, moderator, now=None):
    now = now or utcnow()
    won, flag = _transition(flag_id, _held_by(moderator.id), {"lease_until": now + lease_length()})
    if not won:
        _who_has(flag)
    audit.record(moderator, "renewed claim", "flag", flag.id, flag=flag)
    announce(flag, "flag.updated")
    return flag


def release(flag_id, moderator):
    won, flag = _transition(flag_id, _held_by(moderator.id), {
        "status": _UNCLAIMED_STATUS, "claimed_by_id": None, "lease_until": None})
    if not won:
        _who_has(flag)
    audit.record(moderator, "released claim", "flag", flag.id, flag=flag)
    announce(flag, "flag.updated")
    return flag


def resolve(flag_id, moderator, outcome, notes, version=None, now=None):
    """Close the flag. The moderator must hold it, or it must be unclaimed."""
    now = now or utcnow()
    _check_version(db.session.get(Flag, flag_id), version)
    won, flag = _transition(flag_id, _claimable(moderator.id, now), {
        "status": "resolved", "outcome": outcome, "notes": notes, "resolved_at": now,
        "claimed_by_id": moderator.id, "lease_until": None,
        "first_response_at": func.coalesce(Flag.first_response_at, now)})
    if not won:
        _who_has(flag)
    audit.record(moderator, "resolved", "flag", flag.id, flag=flag, reason=f"{outcome}: {notes}".strip(": "))
    announce(flag, "flag.resolved")
    notifications.report_resolved(flag)  # each member who reported it hears what happened
    return flag


def escalate(flag, actor, reason, now=None):
    """Mark the flag escalated (once), alert every moderator and admin, and write the
    on-call page into the outbox in this same transaction (the sweeper delivers it)."""
    now = now or utcnow()
    # A claimed flag stays with its moderator; an unclaimed one shows as escalated.
    won, flag = _transition(flag.id, and_(Flag.status.in_(ACTIVE), Flag.escalated_at.is_(None)), {
        "escalated_at": now, "status": case((Flag.status == "claimed", "claimed"), else_="escalated")})
    if not won:
        return False
    audit.record(actor, "escalated", "flag", flag.id, flag=flag, reason=reason)
    announce(flag, "flag.escalated")
    outbox.enqueue_page(flag, reason, now)
    return True


# ---- the sweeper ---------------------------------------------------------------------

def add_pass(app, name, sweep_pass):
    """A feature above the safety core sweeps with the flags (peer mentoring re-offers and
    escalates waiting requests): routing may not import a feature, so the feature hands its
    pass in when the app registers it. `sweep_pass(now)` returns {what: how many}; like
    every change here, each it makes must be conditional (several processes sweep)."""
    app.extensions.setdefault("sweep_passes", {})[name] = sweep_pass


def start_sweeper(app):
    """Sweep every SWEEP_SECONDS in the background of this server process. Several
    processes may each run one: every change a sweep makes is conditional."""
    interval = app.config["SWEEP_SECONDS"]
    if interval > 0:
        socketio.start_background_task(_sweep_forever, app, interval)


def _sweep_forever(app, interval):
    while True:
        socketio.sleep(interval)
        with app.app_context():
            try:
                sweep()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - a bad pass must not end the sweeper; the next retries
                log_failure(error, "sweep")
            finally:
                db.session.remove()


def sweep(now=None):
    """One pass: put expired claims back, re-notify flags halfway to their SLA, escalate
    flags past it, then deliver the outbox's due pages (which commits the pass). Safe to
    run in several processes at once: each change is conditional, each page is leased."""
    pinned, now = now, now or utcnow()
    done = {"released": 0, "renotified": 0, "escalated": 0, "paged": 0}
    for flag in db.session.scalars(select(Flag).where(Flag.status == "claimed", Flag.lease_until < now)):
        won, flag = _transition(flag.id, and_(Flag.status == "claimed", Flag.lease_until < now), {
            "status": _UNCLAIMED_STATUS, "claimed_by_id": None, "lease_until": None})
        if won:
            audit.record(None, "claim expired", "flag", flag.id, flag=flag)
            announce(flag, "flag.updated")
            done["released"] += 1
    for flag in db.session.scalars(select(Flag).where(Flag.status.in_(("open", "escalated")))):
        age = (now - flag.created_at).total_seconds()
        sla = sla_seconds(flag.severity)
        if flag.escalated_at is None and age >= sla:
            if escalate(flag, None, f"unclaimed past its target of {duration(sla)}", now):
                done["escalated"] += 1
        elif flag.renotified_at is None and flag.escalated_at is None and age >= sla / 2:
            won, flag = _transition(flag.id, Flag.renotified_at.is_(None), {"renotified_at": now})
            if won:
                audit.record(None, "re-notified", "flag", flag.id, flag=flag,
                             reason="unclaimed at half its target time")
                announce(flag, "flag.reminder")
                done["renotified"] += 1
    for sweep_pass in current_app.extensions.get("sweep_passes", {}).values():
        done.update(sweep_pass(now))
    # Last, and bounded (a few rows, a few seconds): a slow pager never delays the work above.
    done["paged"] = outbox.deliver_due(pinned)["delivered"]
    return done
