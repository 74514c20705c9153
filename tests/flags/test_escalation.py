"""SLAs: the sweeper re-notifies, then escalates, exactly once (the on-call page: test_outbox.py)."""
import threading
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db, socketio
from forum.models import utcnow
from moderation import routing
from moderation.models import AuditEntry, Flag
from tests.flags.flag_helpers import ELEVATED, FLAG_COUNTS, HIGH, IMMINENT, post_thread


def sweep_at(app, minutes_later):
    with app.app_context():
        done = routing.sweep(now=utcnow() + timedelta(minutes=minutes_later))
        db.session.commit()
        return {key: done[key] for key in FLAG_COUNTS}  # (the features' own passes add theirs)


def the_flag(app):
    with app.app_context():
        return db.session.scalars(select(Flag)).one()


def test_unclaimed_flags_are_renotified_then_escalated_once(app, member, moderator):
    post_thread(member, HIGH)  # high: 15-minute target
    assert sweep_at(app, 5) == {"released": 0, "renotified": 0, "escalated": 0, "paged": 0}
    assert sweep_at(app, 8)["renotified"] == 1
    assert sweep_at(app, 9)["renotified"] == 0
    assert sweep_at(app, 16)["escalated"] == 1
    assert sweep_at(app, 20)["escalated"] == 0
    flag = the_flag(app)
    assert flag.status == "escalated" and flag.escalated_at is not None
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.flag_id == flag.id))]
    assert actions == ["flagged", "re-notified", "escalated"]


def test_claimed_flags_do_not_escalate(app, member, moderator):
    from tests.helpers import send

    post_thread(member, ELEVATED)
    send(moderator.client, f"/moderation/flags/{the_flag(app).id}/claim")
    assert sweep_at(app, 9)["escalated"] == 0  # lease still running (10 minutes)


def test_sweepers_in_parallel_escalate_once(app, member, moderator):
    post_thread(member, ELEVATED)
    barrier = threading.Barrier(4)
    results = []

    def run():
        with app.app_context():
            barrier.wait(timeout=30)
            try:
                results.append(routing.sweep(now=utcnow() + timedelta(minutes=61))["escalated"])
                db.session.commit()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 1
    with app.app_context():
        assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "escalated")).all().__len__() == 1


def test_live_queue_hears_new_flags_after_commit(app, member, moderator):
    watcher = socketio.test_client(app, namespace=routing.NAMESPACE, flask_test_client=moderator.client)
    assert watcher.is_connected(routing.NAMESPACE)
    watcher.get_received(routing.NAMESPACE)
    post_thread(member, IMMINENT)
    events = watcher.get_received(routing.NAMESPACE)
    new = [e for e in events if e["name"] == "flag.new"]
    assert len(new) == 1 and new[0]["args"][0]["severity"] == "imminent"
    assert "kill myself" in new[0]["args"][0]["excerpt"]
    watcher.emit("queue", namespace=routing.NAMESPACE)
    (queue,) = [e for e in watcher.get_received(routing.NAMESPACE) if e["name"] == "queue"]
    assert [f["severity"] for f in queue["args"][0]] == ["imminent"]


def test_logging_out_stops_the_live_queue_on_open_sockets(app, member, moderator):
    watcher = socketio.test_client(app, namespace=routing.NAMESPACE, flask_test_client=moderator.client)
    assert watcher.is_connected(routing.NAMESPACE)
    from tests.helpers import send

    send(moderator.client, "/logout")
    watcher.get_received(routing.NAMESPACE)
    post_thread(member, IMMINENT)
    assert [e for e in watcher.get_received(routing.NAMESPACE) if e["name"].startswith("flag")] == []


def test_a_lapsed_training_record_stops_the_live_queue_at_once(app, member, moderator):
    from moderation.models import ModeratorProfile

    watcher = socketio.test_client(app, namespace=routing.NAMESPACE, flask_test_client=moderator.client)
    watcher.get_received(routing.NAMESPACE)
    with app.app_context():
        for record in db.session.scalars(select(ModeratorProfile)):
            record.training_expires = record.trained_on
        db.session.commit()
    post_thread(member, HIGH)
    assert [e for e in watcher.get_received(routing.NAMESPACE) if e["name"].startswith("flag")] == []
