"""The escalation pager's outbox: the page is written with the escalation and delivered by
the sweeper, with retries, exactly once however the sweepers crash or race."""
import json
import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from forum.extensions import db
from forum.models import utcnow
from moderation import outbox, routing
from moderation.models import Flag, Outbox
from tests.databases import base_config
from tests.flags.flag_helpers import FLAG_COUNTS, HIGH, IMMINENT, post_thread
from tests.flags.pager_receiver import Receiver
from tests.helpers import text
from tests.servers import ROOT, free_port

PUBLIC_URL = "https://lantern.example"
BACKOFF = 10  # seconds (the tests that pin the clock never wait for it)
GIVE_UP = 3600


@pytest.fixture
def receiver():
    receiver = Receiver(200)
    yield receiver
    receiver.close()


@pytest.fixture
def paging(app, receiver):
    """The app, with the pager set up."""
    app.config.update(ESCALATION_WEBHOOK=receiver.url, PUBLIC_URL=PUBLIC_URL,
                      ESCALATION_WEBHOOK_BACKOFF_SECONDS=BACKOFF, ESCALATION_WEBHOOK_GIVE_UP_SECONDS=GIVE_UP)
    return app


def the_flag(app):
    with app.app_context():
        return db.session.scalars(select(Flag)).one()


def pages(app):
    """Every outbox row, read afresh (a new session, so never a stale snapshot)."""
    with app.app_context():
        return db.session.scalars(select(Outbox).order_by(Outbox.id)).all()


def escalate_at(app, when):
    with app.app_context():
        assert routing.escalate(db.session.scalars(select(Flag)).one(), None, "no answer in the thread", now=when)
        db.session.commit()


def deliver_at(app, when):
    with app.app_context():
        return outbox.deliver_due(now=when)


def eventually(check, timeout=20, every=0.05):
    deadline = time.monotonic() + timeout
    while not (result := check()):
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(every)
    return result


# ---- (a) written with the escalation, or not at all ----------------------------------

def test_the_page_is_written_in_the_escalations_own_transaction(paging, member, database_url):
    app = paging
    post_thread(member, HIGH)
    outside = sa.create_engine(database_url)  # another connection: sees only what is committed

    def committed():
        with outside.connect() as connection:
            return (connection.scalar(sa.text("SELECT count(*) FROM outbox")),
                    connection.scalar(sa.text("SELECT count(*) FROM flag WHERE escalated_at IS NOT NULL")))

    try:
        with app.app_context():
            flag = db.session.scalars(select(Flag)).one()
            assert routing.escalate(flag, None, "no answer in the thread")
            assert db.session.scalar(select(sa.func.count(Outbox.id))) == 1  # written, in this transaction
            assert committed() == (0, 0)  # ... and nothing of it is visible outside yet
            db.session.rollback()
            assert db.session.scalar(select(sa.func.count(Outbox.id))) == 0
        assert committed() == (0, 0)  # a rollback writes neither

        with app.app_context():
            assert routing.escalate(db.session.scalars(select(Flag)).one(), None, "no answer in the thread")
            db.session.commit()
            assert not routing.escalate(db.session.scalars(select(Flag)).one(), None, "again")  # escalates once
            db.session.commit()
        assert committed() == (1, 1)  # both, together
        (page,) = pages(app)
        assert page.kind == "pager" and page.flag_id == the_flag(app).id and page.attempts == 0
        assert page.payload["url"] == f"{PUBLIC_URL}/moderation/flags/{page.flag_id}"
    finally:
        outside.dispose()


def test_no_page_is_written_without_a_pager_and_the_url_is_a_path_without_public_url(app, member):
    post_thread(member, HIGH)
    escalate_at(app, utcnow())
    assert pages(app) == []
    app.config.update(ESCALATION_WEBHOOK="http://127.0.0.1:9/page", PUBLIC_URL=None)
    post_thread(member, IMMINENT, title="Tonight")  # imminent, nobody on duty: escalated as it is written
    (page,) = pages(app)
    assert page.payload["url"] == f"/moderation/flags/{page.flag_id}"


# ---- (b) a failing pager: retried with backoff, then delivered ---------------------------

def test_a_failing_pager_is_retried_with_backoff_then_delivered(paging, receiver, member, moderator):
    app = paging
    receiver.answer(500, 500, 200)
    post_thread(member, HIGH)  # high: escalates after 15 minutes unclaimed
    t0 = the_flag(app).created_at + timedelta(minutes=16)

    def sweep(when):
        with app.app_context():
            done = routing.sweep(now=when)
            db.session.commit()
            return {key: done[key] for key in FLAG_COUNTS}

    assert sweep(t0) == {"released": 0, "renotified": 0, "escalated": 1, "paged": 0}  # escalated; 1st try: 500
    (page,) = pages(app)
    assert page.attempts == 1 and page.last_error == "the pager answered 500"
    first_wait = (page.next_try_at - t0).total_seconds()
    assert BACKOFF <= first_wait <= 2 * BACKOFF  # base, plus up to base of jitter
    flag_page = text(moderator.client.get(f"/moderation/flags/{page.flag_id}"))
    assert "Paging: attempt 1 did not get through (the pager answered 500); next try at" in flag_page

    assert sweep(page.next_try_at - timedelta(seconds=1))["paged"] == 0  # not due yet: no request
    assert len(receiver.requests) == 1
    t1 = page.next_try_at
    assert sweep(t1)["paged"] == 0  # 2nd try: 500
    (page,) = pages(app)
    assert page.attempts == 2 and 2 * BACKOFF <= (page.next_try_at - t1).total_seconds() <= 3 * BACKOFF  # doubled
    assert sweep(page.next_try_at)["paged"] == 1  # 3rd try: accepted
    assert sweep(page.next_try_at + timedelta(hours=1))["paged"] == 0  # and never again

    (page,) = pages(app)
    assert page.delivered_at is not None and page.attempts == 3 and page.last_error is None
    assert [status for status, _, _ in receiver.requests] == [500, 500, 200]
    bodies = [body for _, body, _ in receiver.requests]
    assert bodies[0] == bodies[1] == bodies[2]  # the same page each time, with the same key
    assert len({headers["Idempotency-Key"] for _, _, headers in receiver.requests}) == 1
    call = bodies[-1]
    assert call["event"] == "flag.escalated" and call["severity"] == "high" and call["flag_id"] == page.flag_id
    assert call["url"] == f"{PUBLIC_URL}/moderation/flags/{page.flag_id}"  # absolute, with no request about
    assert "kill" not in json.dumps(call)  # the pager gets no words of the post
    assert "Paged on-call at" in text(moderator.client.get(f"/moderation/flags/{page.flag_id}"))


# ---- (c), (d) real sweeper processes: killed, or racing ----------------------------------

class SweeperProcess:
    """`tests/flags/sweeper_process.py`: the server's sweeper (gevent), alone in a process."""

    def __init__(self, database_url, log_dir, **settings):
        config = base_config(database_url, ASYNC_MODE="gevent", SCREENING_MODEL="off", **settings)
        self.log_path = Path(log_dir) / f"sweeper-{time.monotonic_ns()}.log"
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("sweeper_process.py"))], cwd=ROOT,
                env=dict(os.environ, LANTERN_SWEEPER_CONFIG=json.dumps(config)),
                stdout=log, stderr=subprocess.STDOUT)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while "ready" not in self.log():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the sweeper did not start:\n{self.log()}")
            time.sleep(0.05)
        return self

    def kill(self):
        """SIGKILL: no cleanup, no chance to record anything."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


@pytest.fixture
def sweepers(paging, receiver, database_url, tmp_path):
    """Start sweeper processes on this test's database, sweeping every second and paging
    `receiver` with short timeouts and backoff; all are killed at the end."""
    started = []

    def start(**settings):
        settings = {"SWEEP_SECONDS": 1, "ESCALATION_WEBHOOK": receiver.url, "PUBLIC_URL": PUBLIC_URL,
                    "ESCALATION_WEBHOOK_BACKOFF_SECONDS": 2, "ESCALATION_WEBHOOK_TIMEOUT_SECONDS": 1,
                    "OUTBOX_LEASE_SECONDS": 1, **settings}  # the lease: at least 3 timeouts, so 3 s
        started.append(SweeperProcess(database_url, tmp_path, **settings))
        return started[-1]

    yield start
    for sweeper in started:
        sweeper.kill()


@pytest.mark.parametrize("killed", ["while waiting to retry", "with its request in flight"])
def test_a_killed_sweeper_loses_no_page_and_the_next_one_sends_it_once(paging, receiver, sweepers, member, killed):
    app = paging
    if killed == "while waiting to retry":
        receiver.answer(500)
    else:
        receiver.answer(500, hold=30)  # it holds the request until the sender is dead
    post_thread(member, IMMINENT)  # imminent and nobody on duty: escalated, page written, with the post
    first = sweepers().wait_ready()
    receiver.wait_for(1)
    if killed == "while waiting to retry":
        # The failure is recorded and the next try is still ahead: the sweeper is backing off.
        # (2 to 4 s of backoff: the sweeper claims nothing before then).
        eventually(lambda: [p for p in pages(app) if p.attempts >= 1 and p.lease_until is None
                            and p.next_try_at > utcnow() + timedelta(seconds=1)])
    first.kill()
    failed = len(receiver.requests)
    (page,) = pages(app)
    assert page.delivered_at is None and page.attempts == failed
    if killed == "with its request in flight":
        assert page.lease_until is not None  # claimed, never recorded: the lease must run out first
    lease_until = page.lease_until

    receiver.answer(200)
    second = sweepers().wait_ready()
    page = eventually(lambda: [p for p in pages(app) if p.delivered_at is not None])[0]
    if killed == "with its request in flight":
        assert page.delivered_at >= lease_until  # nobody touched it before its lease ran out
    time.sleep(2)  # two more passes of the second sweeper
    assert second.process.poll() is None, second.log()
    assert len(receiver.accepted) == 1  # delivered exactly once
    assert len(receiver.requests) == failed + 1 == pages(app)[0].attempts
    assert receiver.accepted[0]["url"] == f"{PUBLIC_URL}/moderation/flags/{page.flag_id}"


def test_two_sweeper_processes_deliver_one_page_once(paging, receiver, sweepers, member):
    app = paging
    # A pager slower than a sweep interval: the other sweeper passes while the row is out.
    receiver.answer(200, hold=1.2)
    both = [sweepers(ESCALATION_WEBHOOK_TIMEOUT_SECONDS=3), sweepers(ESCALATION_WEBHOOK_TIMEOUT_SECONDS=3)]
    for sweeper in both:
        sweeper.wait_ready()
    post_thread(member, IMMINENT)  # due at once, for both
    eventually(lambda: [p for p in pages(app) if p.delivered_at is not None])
    time.sleep(2)  # four more passes between them
    assert all(sweeper.process.poll() is None for sweeper in both), [s.log() for s in both]
    assert len(receiver.requests) == 1 and len(receiver.accepted) == 1
    (page,) = pages(app)
    assert page.attempts == 1


# ---- (e) given up after a bounded time -----------------------------------------------

def test_a_page_that_never_gets_through_is_given_up_after_the_bound(paging, receiver, member, moderator, caplog):
    app = paging
    receiver.answer(500)
    post_thread(member, HIGH)
    t0 = utcnow()
    escalate_at(app, t0)
    assert deliver_at(app, t0) == {"delivered": 0, "retrying": 1, "gave_up": 0}
    assert deliver_at(app, t0 + timedelta(seconds=GIVE_UP - 1)) == {"delivered": 0, "retrying": 1, "gave_up": 0}
    (page,) = pages(app)
    assert page.next_try_at == t0 + timedelta(seconds=GIVE_UP)  # the last try falls on the bound
    with caplog.at_level(logging.ERROR, logger="moderation.outbox"):
        assert deliver_at(app, t0 + timedelta(seconds=GIVE_UP)) == {"delivered": 0, "retrying": 0, "gave_up": 1}
    assert any(r.levelno == logging.ERROR and "gave up paging" in r.getMessage() for r in caplog.records)
    assert deliver_at(app, t0 + timedelta(days=1)) == {"delivered": 0, "retrying": 0, "gave_up": 0}
    assert len(receiver.requests) == 3
    (page,) = pages(app)
    assert page.gave_up_at == t0 + timedelta(seconds=GIVE_UP) and page.delivered_at is None
    shown = text(moderator.client.get(f"/moderation/flags/{page.flag_id}"))
    assert "Paging gave up at" in shown and "after 3 attempts (the pager answered 500)" in shown


def test_an_unreachable_pager_is_retried_and_its_error_names_no_address(paging, member):
    app = paging
    app.config.update(ESCALATION_WEBHOOK=f"http://127.0.0.1:{free_port()}/page")  # nobody listens
    post_thread(member, HIGH)
    t0 = utcnow()
    escalate_at(app, t0)
    assert deliver_at(app, t0)["retrying"] == 1
    (page,) = pages(app)
    assert page.last_error == "could not connect to the pager" and page.delivered_at is None
