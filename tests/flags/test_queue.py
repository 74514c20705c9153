"""The moderators' queue: who may use it, claims and leases, actions, history, metrics."""
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db, socketio
from forum.models import Member, utcnow
from moderation import routing
from moderation.models import AuditEntry, Flag
from moderation.screening.severity import Severity
from tests.flags.flag_helpers import ELEVATED, HIGH, IMMINENT, post_thread
from tests.helpers import make_member, send, text, train

MODERATION_GETS = ["/moderation", "/moderation/flags/{id}", "/moderation/metrics", "/moderation?fragment=1"]
MODERATION_POSTS = ["/moderation/duty"] + [f"/moderation/flags/{{id}}/{a}" for a in (
    "claim", "renew", "release", "resolve", "escalate", "hide", "restore", "release-hold", "reply", "mute")]


def only_flag(app):
    with app.app_context():
        return db.session.scalars(select(Flag)).one()


def history(app, flag_id):
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.flag_id == flag_id)
                                                        .order_by(AuditEntry.id))]


@pytest.fixture
def flagged(app, member):
    """A member's high-severity thread, flagged."""
    post_thread(member, HIGH)
    return only_flag(app)


def test_members_untrained_and_expired_moderators_are_refused_everywhere(
        app, flagged, other, untrained_moderator, expired_moderator):
    for person, message in [(other, "for trained peer moderators"), (untrained_moderator, "no training record yet"),
                            (expired_moderator, "training record expired")]:
        for url in MODERATION_GETS:
            response = person.client.get(url.format(id=flagged.id))
            assert response.status_code == 403 and message in text(response), (person.handle, url)
        for url in MODERATION_POSTS:
            response = send(person.client, url.format(id=flagged.id), {"reason": "x", "outcome": "supported",
                                                                        "version": "1", "body": "x", "minutes": "60"})
            assert response.status_code == 403, (person.handle, url)
        client = socketio.test_client(app, namespace=routing.NAMESPACE, flask_test_client=person.client)
        assert not client.is_connected(routing.NAMESPACE)
    assert only_flag(app).status == "open" and history(app, flagged.id) == ["flagged"]


def test_anonymous_visitors_are_sent_to_log_in(app, client, flagged):
    assert "/login" in client.get("/moderation").location
    anonymous = socketio.test_client(app, namespace=routing.NAMESPACE, flask_test_client=client)
    assert not anonymous.is_connected(routing.NAMESPACE)


def test_queue_orders_by_severity_then_age_and_shows_why(app, member, other, moderator):
    post_thread(member, ELEVATED, title="first")
    post_thread(other, HIGH, title="second")
    post_thread(member, IMMINENT, title="third")
    page = text(moderator.client.get("/moderation"))
    order = re.findall(r'<span class="severity">(\w+)</span>', page)
    with app.app_context():  # what screening made of each, oldest first
        flags = db.session.scalars(select(Flag).order_by(Flag.created_at, Flag.id)).all()
        assert flags[-1].severity == "imminent"
        rank = {s: i for i, s in enumerate(Severity)}
        expected = sorted(flags, key=lambda f: -rank[Severity(f.severity)])  # stable: oldest first within a level
    assert order == [f.severity.capitalize() for f in expected]
    assert "suicidal_ideation" in page and "target 5 min" in page and "SteadyOwl50" in page


def test_flag_page_shows_context_reasons_reports_and_earlier_flags(app, member, other, moderator):
    post_thread(member, ELEVATED, title="earlier")
    thread_id = post_thread(member, "Before all this, a normal post.")
    send(other.client, f"/t/{thread_id}/reply", {"body": "Thinking of you, friend."})
    send(member.client, f"/t/{thread_id}/reply", {"body": HIGH})
    send(other.client, f"/t/{thread_id}/reply", {"body": "Please stay with us."})
    with app.app_context():
        flag = db.session.scalars(select(Flag).order_by(Flag.id.desc())).first()
    send(other.client, f"/p/{flag.post_id}/report", {"reason": "crisis", "detail": "worried about them"})
    page = text(moderator.client.get(f"/moderation/flags/{flag.id}"))
    for expected in ("Thinking of you, friend.", HIGH, "Please stay with us.", "flagged post", "suicidal_ideation",
                     "worried about them", "earlier flags", "QuietHeron42"):
        assert expected in page, expected


def test_claim_is_exclusive_and_tells_who_has_it(app, flagged, moderator, second_moderator):
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/claim").status_code == 302
    response = send(second_moderator.client, f"/moderation/flags/{flagged.id}/claim")
    assert response.status_code == 409 and "SteadyOwl50 has claimed this flag" in text(response)
    flag = only_flag(app)
    assert flag.status == "claimed" and flag.first_response_at is not None
    assert send(second_moderator.client, f"/moderation/flags/{flagged.id}/release").status_code == 409
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/release").status_code == 302
    assert send(second_moderator.client, f"/moderation/flags/{flagged.id}/claim").status_code == 302


def test_concurrent_claims_have_exactly_one_winner(app, flagged, moderator):
    handles = [f"RaceMod{i}" for i in range(6)]
    for handle in handles:
        make_member(app, handle)
        train(app, handle)
    barrier = threading.Barrier(len(handles))
    outcomes = []

    def attempt(handle):
        with app.app_context():
            me = db.session.scalar(select(Member).where(Member.handle == handle))
            db.session.commit()  # hand the connection back before the race (SQLite has one)
            barrier.wait(timeout=30)
            try:
                routing.claim(flagged.id, me)
                db.session.commit()
                outcomes.append(("won", handle))
            except routing.Conflict as conflict:
                db.session.rollback()
                outcomes.append(("lost", str(conflict)))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(h,)) for h in handles]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [h for result, h in outcomes if result == "won"]
    assert len(winners) == 1, outcomes
    assert all(f"{winners[0]} has claimed this flag" in m for result, m in outcomes if result == "lost")
    assert only_flag(app).claimed_by_id is not None
    assert history(app, flagged.id).count("claimed") == 1


def test_an_expired_lease_puts_the_flag_back(app, flagged, moderator, second_moderator):
    send(moderator.client, f"/moderation/flags/{flagged.id}/claim")
    with app.app_context():
        done = routing.sweep(now=utcnow() + timedelta(minutes=11))
        db.session.commit()
    assert done["released"] == 1
    flag = only_flag(app)
    assert flag.status == "open" and flag.claimed_by_id is None
    assert "claim expired" in history(app, flagged.id)
    assert send(second_moderator.client, f"/moderation/flags/{flagged.id}/claim").status_code == 302


def test_renewing_extends_the_lease(app, flagged, moderator):
    send(moderator.client, f"/moderation/flags/{flagged.id}/claim")
    before = only_flag(app).lease_until
    send(moderator.client, f"/moderation/flags/{flagged.id}/renew")
    assert only_flag(app).lease_until > before


def test_resolve_records_outcome_and_refuses_stale_or_double_submits(app, flagged, moderator):
    send(moderator.client, f"/moderation/flags/{flagged.id}/claim")
    stale = send(moderator.client, f"/moderation/flags/{flagged.id}/resolve",
                 {"outcome": "supported", "notes": "", "version": str(flagged.version), "confirm": "yes"})
    assert stale.status_code == 409 and "changed while you were looking" in text(stale)
    current = only_flag(app).version
    data = {"outcome": "supported", "notes": "talked in private", "version": str(current), "confirm": "yes"}
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/resolve", data).status_code == 302
    again = send(moderator.client, f"/moderation/flags/{flagged.id}/resolve", data)
    assert again.status_code == 409 and "already resolved" in text(again)
    flag = only_flag(app)
    assert flag.status == "resolved" and flag.outcome == "supported" and flag.notes == "talked in private"
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/claim").status_code == 409
    assert history(app, flagged.id) == ["flagged", "claimed", "resolved"]


def test_bad_action_input_is_refused_with_no_change(app, flagged, moderator):
    assert send(moderator.client, "/moderation/flags/999999/claim").status_code == 404
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/teleport").status_code == 404
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/resolve",
                {"outcome": "made-up", "version": "1"}).status_code == 400
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/escalate", {"reason": ""}).status_code == 400
    assert moderator.client.post(f"/moderation/flags/{flagged.id}/claim").status_code == 400  # no CSRF token
    assert moderator.client.get(f"/moderation/flags/{flagged.id}/claim").status_code == 405
    assert only_flag(app).status == "open" and history(app, flagged.id) == ["flagged"]


def test_content_and_member_actions_are_audited(app, member, flagged, moderator, other):
    base = f"/moderation/flags/{flagged.id}"
    send(moderator.client, f"{base}/hide", {"reason": "graphic"})
    hidden = other.client.get(f"/p/{flagged.post_id}", follow_redirects=True)
    # The thread's only post is hidden: nothing of it, not even its title, is left to show.
    assert hidden.status_code == 404 and HIGH not in text(hidden) and "A hard week" not in text(hidden)
    send(moderator.client, f"{base}/restore", {"reason": "fine after all", "confirm": "yes"})
    assert HIGH in text(other.client.get(f"/p/{flagged.post_id}", follow_redirects=True))
    send(moderator.client, f"{base}/reply", {"body": "We're here with you. I've sent you a message."})
    assert "We're here with you" in text(member.client.get(f"/p/{flagged.post_id}", follow_redirects=True))
    send(moderator.client, f"{base}/mute", {"minutes": "60", "reason": "cooling off", "confirm": "yes"})
    with app.app_context():
        muted = db.session.scalar(select(Member).where(Member.handle == member.handle))
        assert muted.muted_until > utcnow() + timedelta(minutes=59)
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.flag_id == flagged.id)).all()
        assert all(e.actor_id is not None for e in entries if e.action != "flagged")
    assert history(app, flagged.id) == ["flagged", "hid post", "restored post", "replied", "muted for 1 hour"]


def test_muted_members_cannot_post_until_the_mute_ends(app, member, flagged, moderator):
    send(moderator.client, f"/moderation/flags/{flagged.id}/mute", {"minutes": "60", "reason": "", "confirm": "yes"})
    response = send(member.client, "/b/anxiety/new", {"title": "x", "body": "still here"})
    assert response.status_code == 403 and "paused from posting" in text(response)


def test_escalate_by_hand_alerts_once(app, flagged, moderator):
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/escalate", {"reason": "needs a second pair of eyes"}).status_code == 302
    assert send(moderator.client, f"/moderation/flags/{flagged.id}/escalate", {"reason": "again"}).status_code == 409
    assert only_flag(app).status == "escalated"
    assert history(app, flagged.id).count("escalated") == 1


def test_duty_toggle_shows_who_is_on_duty(app, moderator, second_moderator):
    page = text(second_moderator.client.get("/moderation"))
    assert "SteadyOwl50 (since" in page and "GentleSeal51 (since" not in page
    send(second_moderator.client, "/moderation/duty")
    assert "GentleSeal51 (since" in text(moderator.client.get("/moderation"))


def test_metrics_report_times_and_breaches(app, member, moderator):
    post_thread(member, HIGH)
    flag = only_flag(app)
    with app.app_context():
        record = db.session.get(Flag, flag.id)
        record.created_at = utcnow() - timedelta(minutes=30)
        db.session.commit()
    send(moderator.client, f"/moderation/flags/{flag.id}/claim")
    page = text(moderator.client.get("/moderation/metrics?days=7"))
    assert "Time to claim, median</th><td>30.0 min" in page
    assert "Past their target (SLA breaches)</th><td>1" in page
    assert moderator.client.get("/moderation/metrics?days=abc").status_code == 200


def test_a_flag_the_model_raised_explains_itself(app, member, moderator):
    """The rules find nothing here; the moderator sees the model's severity, how sure it is,
    and the three labelled examples it reads like."""
    post_thread(member, "Bought a gun today. I know what I'm going to use it for.", title="today")
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
    assert flag.severity == "imminent" and "learned_model" in flag.categories
    page = text(moderator.client.get(f"/moderation/flags/{flag.id}"))
    assert "The learned model" in page and "Reads it as <strong>imminent</strong>" in page and "% sure" in page
    assert "raised" in page and "Reads like these labelled examples" in page
    reading = next(m for m in flag.matches if "model" in m)
    for neighbour in reading["model"]["neighbours"]:
        assert neighbour["text"][:40] in page
