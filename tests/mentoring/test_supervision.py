"""Supervision: a mentor's supervisor (or an admin) sees loads against caps, waits,
endings and why, hand-offs, flags in their rooms and the latest wellbeing check-in, and
never a word of a conversation; the metrics; the mentor's weekly check-in, whose "I'd
like a break" pauses new requests and tells the supervisor."""
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import MentoringRequest, MentorProfile, Notification, utcnow
from moderation.models import AuditEntry, Flag
from tests.helpers import make_member, send, text, train
from tests.mentoring.care_helpers import make_mentor, make_pair, member_id, say_in_room

WORDS = "the lighthouse keeper's daughter knows about the blue boat"


def test_the_supervisor_sees_loads_flags_and_endings_and_never_the_words(app, member, other, moderator):
    make_mentor(app, member, supervisor=moderator, cap=2)
    pair_id, room_id = make_pair(app, member, other)
    third = make_member(app, "KindFinch71")
    ended_id, _ = make_pair(app, member, third)
    send(third.client, f"/mentoring/pairs/{ended_id}/end", {"reason": "goals_met"})
    say_in_room(app, other, room_id, WORDS)
    say_in_room(app, other, room_id, "I have the pills here and I'm going to take them all tonight")
    send(member.client, f"/mentoring/pairs/{pair_id}/handoff")
    send(member.client, "/mentoring/wellbeing", {"feeling": "2", "note": "a heavy week, sleeping badly"})
    with app.app_context():
        flag_ids = db.session.scalars(select(Flag.id)).all()
        db.session.add(MentoringRequest(member_id=member_id(third.handle), note="my private note about dad",
                                        topics=["grief"], created_at=utcnow() - timedelta(minutes=40)))
        db.session.commit()
    response = moderator.client.get("/mentoring/supervision")
    page = text(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert member.handle in page and "1 of 2" in page
    assert "We reached what we set out to do 1" in page and "Hand-offs: 1" in page
    assert "Stretched thin" in page and "a heavy week, sleeping badly" in page
    assert flag_ids and all(f"/moderation/flags/{i}" in page for i in flag_ids)
    assert "Grief and loss" in page and "40 min" in page
    for secret in (WORDS, "lighthouse", "pills", "my private note about dad"):
        assert secret not in page
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.actor_id).where(
            AuditEntry.action == "viewed mentor supervision")) == member_id(moderator.handle)


def test_only_their_supervisor_and_admins_see_a_mentor(app, member, other, moderator, second_moderator):
    make_mentor(app, member, supervisor=moderator)
    assert second_moderator.client.get("/mentoring/supervision").status_code == 404  # supervises nobody
    assert other.client.get("/mentoring/supervision").status_code == 404
    admin = make_member(app, "WiseHeron72")
    train(app, admin.handle, role="admin")
    assert member.handle in text(admin.client.get("/mentoring/supervision"))


def test_the_metrics_count_requests_matches_pairs_endings_and_hand_offs(app, member, other, moderator):
    make_mentor(app, member, supervisor=moderator)
    now = utcnow()
    with app.app_context():
        requests = [MentoringRequest(member_id=member_id(other.handle), status="matched",
                                     created_at=now - timedelta(minutes=m), matched_at=now) for m in (10, 30, 90)]
        db.session.add_all(requests + [MentoringRequest(member_id=member_id(other.handle), created_at=now)])
        db.session.commit()
        ids = [r.id for r in requests]
    matched = [make_pair(app, member, other, request_id=request_id)[0] for request_id in ids]
    pair_id, _ = make_pair(app, member, other)
    send(other.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "not_a_fit"})
    send(member.client, f"/mentoring/pairs/{matched[0]}/handoff")
    page = text(moderator.client.get("/mentoring/supervision"))
    metrics = page[page.index('id="metrics"'):page.index('id="mentors"')]
    assert "<dt>Requests</dt><dd>4</dd>" in metrics and "<dt>Waiting now</dt><dd>1</dd>" in metrics
    assert "<dt>Median time to match</dt><dd>30 min</dd>" in metrics
    assert "<dt>Active pairs</dt><dd>3</dd>" in metrics and "<dt>Hand-offs to moderators</dt><dd>1</dd>" in metrics
    assert "It wasn't the right fit: 1" in metrics


def test_asking_for_a_break_pauses_new_requests_and_tells_the_supervisor(app, member, other, moderator):
    make_mentor(app, member, supervisor=moderator)
    assert other.client.get("/mentoring/wellbeing").status_code == 404  # not a mentor
    page = text(member.client.get("/mentoring/wellbeing"))
    assert "1: Running on empty" in page and "5: Well rested" in page
    bad = send(member.client, "/mentoring/wellbeing", {"feeling": "9"})
    assert bad.status_code == 400 and "Not a valid choice" in text(bad)
    done = send(member.client, "/mentoring/wellbeing", {"feeling": "1", "note": "", "wants_a_break": "y"},
                follow_redirects=True)
    assert "You're on a break from new requests, and your supervisor knows" in text(done)
    with app.app_context():
        assert db.session.get(MentorProfile, member_id(member.handle)).paused_at is not None
        told = db.session.scalars(select(Notification).where(Notification.kind == "mentoring")).one()
        assert told.member_id == member_id(moderator.handle) and member.handle in told.text
    assert "asked for a break from new requests" in text(moderator.client.get("/notifications"))
    send(member.client, "/mentoring/wellbeing/ready")
    with app.app_context():
        assert db.session.get(MentorProfile, member_id(member.handle)).paused_at is None
