"""The outbox: what must reach the outside world (today, the on-call pager).

A row is written in the same transaction as the change it reports (`routing.escalate`
writes the page together with `escalated_at`), so a crash cannot lose it and a rollback
never sends it. The sweeper delivers the due rows (`deliver_due`, at the end of every
pass), one at a time:

1. claim the row with a conditional UPDATE that sets a lease, and COMMIT: every other
   sweeper, in this process or another, skips it while the lease runs;
2. POST its JSON with a short timeout, outside any transaction (no lock and no database
   connection is held while the pager answers);
3. record the outcome: delivered; or the next try, after an exponential backoff with jitter
   (tenacity's `wait_exponential_jitter`); or, once the row is older than the give-up bound
   and one more try has failed, given up (logged as an error, shown on the flag's page).

A process killed between 1 and 3 leaves a leased row that is due again when its lease ends,
so delivery is at least once; every POST carries the same `Idempotency-Key` header and
`dedup_key` field, so a receiver can drop the rare repeat.

Its settings are app.config keys, declared with the rest in forum/config.py.
"""
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from flask import current_app
from sqlalchemy import and_, or_, select, update
from tenacity import RetryCallState, wait_exponential_jitter

from forum.extensions import db
from forum.models import utcnow

from .models import Outbox

log = logging.getLogger(__name__)

PAGER = "pager"
def setting(name):
    """One of the pager's settings (forum/config.py lists them all, with their meaning)."""
    return current_app.config[name]


# ---- writing (inside the caller's transaction) ---------------------------------------

def flag_url(flag_id):
    """The flag's page, absolute when PUBLIC_URL (the site's public base URL) is set.
    Built from configuration alone: the sweeper has no request, and a request's Host
    header is not ours to trust."""
    path = f"/moderation/flags/{flag_id}"
    base = current_app.config.get("PUBLIC_URL")
    return f"{base.rstrip('/')}{path}" if base else path


def enqueue_page(flag, reason, now):
    """Write the on-call page for a flag that has just escalated, in the current
    transaction, when ESCALATION_WEBHOOK is set. The pager gets no words of the content."""
    if not current_app.config.get("ESCALATION_WEBHOOK"):
        return None
    row = Outbox(kind=PAGER, flag_id=flag.id, attempts=0, next_try_at=now, created_at=now, payload={
        "event": "flag.escalated",
        "dedup_key": f"lantern-flag-{flag.id}-escalated",
        "flag_id": flag.id,
        "severity": flag.severity,
        "categories": list(flag.categories or []),
        "created_at": flag.created_at.isoformat(),
        "escalated_at": now.isoformat(),
        "reason": reason,
        "url": flag_url(flag.id),
    })
    db.session.add(row)
    db.session.flush()  # written now, in the escalation's own transaction
    return row


def page_for(flag_id):
    """The flag's on-call page (the latest, should there ever be more), or None."""
    return db.session.scalar(select(Outbox).where(Outbox.flag_id == flag_id, Outbox.kind == PAGER)
                             .order_by(Outbox.id.desc()).limit(1))


# ---- delivering (the sweeper) --------------------------------------------------------

def _due(now):
    return and_(Outbox.delivered_at.is_(None), Outbox.gave_up_at.is_(None), Outbox.next_try_at <= now,
                or_(Outbox.lease_until.is_(None), Outbox.lease_until < now))


@dataclass(frozen=True)
class _Claim:
    id: int
    lease_until: datetime
    attempt: int
    flag_id: int | None
    payload: dict
    created_at: datetime


def deliver_due(now=None):
    """Deliver the due outbox rows: at most OUTBOX_BATCH, and none started after
    OUTBOX_PASS_SECONDS, so a slow pager never holds the sweeper for long. Commits the
    session first (what the pass wrote is settled before anything leaves). `now` pins the
    clock (tests); by default every step reads the time afresh."""
    done = {"delivered": 0, "retrying": 0, "gave_up": 0}
    url = current_app.config.get("ESCALATION_WEBHOOK")
    if not url:
        return done
    clock = (lambda: now) if now is not None else utcnow
    db.session.commit()
    candidates = db.session.scalars(select(Outbox.id).where(_due(clock()))
                                    .order_by(Outbox.next_try_at, Outbox.id).limit(setting("OUTBOX_BATCH"))).all()
    # End the read: each claim below is the first statement of its own transaction (on
    # SQLite a write that follows an older read in the same transaction cannot wait its turn).
    db.session.commit()
    started = time.monotonic()
    for row_id in candidates:
        if time.monotonic() - started > setting("OUTBOX_PASS_SECONDS"):
            break
        claim = _claim(row_id, clock())
        if claim is not None:  # None: another sweeper has it, or it is no longer due
            done[_attempt(url, claim, clock)] += 1
    return done


def _lease_seconds():
    return max(setting("OUTBOX_LEASE_SECONDS"), 3 * setting("ESCALATION_WEBHOOK_TIMEOUT_SECONDS"))


def _claim(row_id, now):
    """Lease the row to this sweeper (one conditional UPDATE, like routing's transitions)
    and COMMIT the lease; None if another sweeper won it or it is no longer due."""
    lease_until = now + timedelta(seconds=_lease_seconds())
    result = db.session.execute(
        update(Outbox).where(Outbox.id == row_id, _due(now))
        .values(lease_until=lease_until, attempts=Outbox.attempts + 1)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.commit()
        return None
    row = db.session.execute(select(Outbox.attempts, Outbox.flag_id, Outbox.payload, Outbox.created_at)
                             .where(Outbox.id == row_id)).one()
    db.session.commit()  # the claim is durable before anything leaves
    return _Claim(row_id, lease_until, row.attempts, row.flag_id, row.payload, row.created_at)


def _attempt(url, claim, clock):
    error = _post(url, claim)
    now = clock()
    if error is None:
        # A success is recorded even if our lease ran out meanwhile: nobody should send it again.
        _record(claim, Outbox.delivered_at.is_(None), delivered_at=now, lease_until=None, last_error=None)
        log.info("on-call paged for flag %s (attempt %d)", claim.flag_id, claim.attempt)
        return "delivered"
    give_up_at = claim.created_at + timedelta(seconds=setting("ESCALATION_WEBHOOK_GIVE_UP_SECONDS"))
    if now >= give_up_at:
        _record(claim, Outbox.lease_until == claim.lease_until, gave_up_at=now, lease_until=None, last_error=error)
        log.error("gave up paging on-call for flag %s after %d attempts since %s: %s",
                  claim.flag_id, claim.attempt, claim.created_at.isoformat(timespec="seconds"), error)
        return "gave_up"
    # The last try falls on the give-up time itself, so no page is given up untried.
    next_try_at = min(now + timedelta(seconds=backoff(claim.attempt)), give_up_at)
    _record(claim, Outbox.lease_until == claim.lease_until, next_try_at=next_try_at, lease_until=None,
            last_error=error)
    log.warning("paging on-call for flag %s failed (attempt %d: %s); next try at %s",
                claim.flag_id, claim.attempt, error, next_try_at.isoformat(timespec="seconds"))
    return "retrying"


def backoff(attempt):
    """Seconds to wait after failed attempt number `attempt` (1, 2, ...): base * 2**(attempt-1)
    plus up to `base` of random jitter, capped at the maximum."""
    base = setting("ESCALATION_WEBHOOK_BACKOFF_SECONDS")
    wait = wait_exponential_jitter(multiplier=base, jitter=base, max=setting("ESCALATION_WEBHOOK_BACKOFF_MAX_SECONDS"))
    state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})
    state.attempt_number = attempt
    return wait(state)


def _record(claim, condition, **values):
    result = db.session.execute(update(Outbox).where(Outbox.id == claim.id, condition).values(**values)
                                .execution_options(synchronize_session=False))
    db.session.commit()
    if result.rowcount != 1:
        log.warning("outbox row %s changed hands during its attempt; left as the other sweeper has it", claim.id)


def _post(url, claim):
    """POST the row; None on a 2xx answer, else a short reason (never the URL or an address)."""
    timeout = setting("ESCALATION_WEBHOOK_TIMEOUT_SECONDS")
    try:
        with requests.post(url, json=claim.payload, timeout=(timeout, timeout), allow_redirects=False,
                           headers={"Idempotency-Key": claim.payload.get("dedup_key", f"lantern-outbox-{claim.id}")}
                           ) as response:
            return None if 200 <= response.status_code < 300 else f"the pager answered {response.status_code}"
    except requests.Timeout:
        return "the pager did not answer in time"
    except requests.ConnectionError:
        return "could not connect to the pager"
    except requests.RequestException as error:
        return f"the request failed ({type(error).__name__})"
