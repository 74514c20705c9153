"""One rule for acting on a claimed flag: while a moderator holds it, only they act on it;
another trained moderator may take it over, on purpose, and that is audited and the holder
is told. An unclaimed flag (or one whose lease ran out) is anyone's to act on."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db, socketio
from forum.models import Member, Post, Room, utcnow
from moderation import routing
from moderation.models import AuditEntry, Flag
from tests.flags.flag_helpers import HIGH, post_thread
from tests.helpers import send, text

CONTENT_ACTIONS = {
    "hide": {"reason": "b says hide"},
    "restore": {"reason": "b says restore", "confirm": "yes"},
    "release-hold": {"reason": "b says release", "confirm": "yes"},
    "reply": {"body": "b replies"},
    "escalate": {"reason": "b escalates"},
    "mute": {"minutes": "60", "reason": "b mutes", "confirm": "yes"},
    "support": {},
}


@pytest.fixture
def claimed(app, member, moderator):
    """A flagged thread, claimed by the first moderator (SteadyOwl50)."""
    post_thread(member, HIGH)
    with app.app_context():
        flag_id = db.session.scalars(select(Flag.id)).one()
    assert send(moderator.client, f"/moderation/flags/{flag_id}/claim").status_code == 302
    return flag_id


def state(app, flag_id):
    with app.app_context():
        flag = db.session.get(Flag, flag_id)
        post = db.session.get(Post, flag.post_id)
        author = db.session.get(Member, flag.member_id)
        return {"claimed_by": flag.claimed_by.handle if flag.claimed_by else None, "escalated": flag.escalated_at,
                "hidden": post.hidden_at, "muted": author.muted_until,
                "posts": db.session.scalar(select(db.func.count()).select_from(Post)),
                "rooms": db.session.scalar(select(db.func.count()).select_from(Room)),
                "audit": db.session.scalars(select(AuditEntry.action).where(AuditEntry.flag_id == flag_id)
                                            .order_by(AuditEntry.id)).all()}


@pytest.mark.parametrize("action", CONTENT_ACTIONS)
def test_while_a_flag_is_claimed_only_its_holder_acts_on_it(app, claimed, moderator, second_moderator, action):
    before = state(app, claimed)
    response = send(second_moderator.client, f"/moderation/flags/{claimed}/{action}", CONTENT_ACTIONS[action])
    assert response.status_code == 409, action
    page = text(response)
    assert "SteadyOwl50 is looking after this flag" in page and "Take over" in page
    assert state(app, claimed) == before  # nothing changed, nothing audited

    # The holder acts as before.
    assert send(moderator.client, f"/moderation/flags/{claimed}/{action}", CONTENT_ACTIONS[action]).status_code == 302


def test_an_unclaimed_or_lapsed_flag_is_anyones_to_act_on(app, member, moderator, second_moderator):
    post_thread(member, HIGH)
    with app.app_context():
        flag_id = db.session.scalars(select(Flag.id)).one()
    assert send(second_moderator.client, f"/moderation/flags/{flag_id}/hide", {"reason": "x"}).status_code == 302
    assert send(moderator.client, f"/moderation/flags/{flag_id}/claim").status_code == 302
    with app.app_context():  # the first moderator's lease runs out
        db.session.get(Flag, flag_id).lease_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert send(second_moderator.client, f"/moderation/flags/{flag_id}/restore",
                {"reason": "x", "confirm": "yes"}).status_code == 302


def test_the_flag_page_offers_take_over_with_a_confirmation_that_works_without_javascript(
        app, claimed, moderator, second_moderator):
    page = text(second_moderator.client.get(f"/moderation/flags/{claimed}"))
    form = re.search(r'<form[^>]+action="/moderation/flags/%d/take-over".*?</form>' % claimed, page, re.DOTALL)
    assert form, "someone else holds it: the page offers Take over"
    assert 'type="checkbox"' in form.group(0) and "required" in form.group(0) and "SteadyOwl50" in form.group(0)
    # The holder is not offered to take over from themselves.
    assert "/take-over" not in text(moderator.client.get(f"/moderation/flags/{claimed}"))


def test_taking_over_needs_the_confirmation_is_audited_and_tells_the_holder(app, claimed, moderator, second_moderator):
    holder = socketio.test_client(app, namespace=routing.NAMESPACE, flask_test_client=moderator.client)
    holder.get_received(routing.NAMESPACE)

    unconfirmed = send(second_moderator.client, f"/moderation/flags/{claimed}/take-over")
    assert unconfirmed.status_code == 400 and "tick" in text(unconfirmed)
    assert state(app, claimed)["claimed_by"] == "SteadyOwl50"

    taken = send(second_moderator.client, f"/moderation/flags/{claimed}/take-over", {"confirm": "yes"})
    assert taken.status_code == 302
    after = state(app, claimed)
    assert after["claimed_by"] == "GentleSeal51"
    assert after["audit"][-1] == "took over claim"
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.flag_id == claimed)
                                   .order_by(AuditEntry.id.desc())).first()
        assert entry.actor.handle == "GentleSeal51" and "SteadyOwl50" in entry.reason
    told = [e["args"][0] for e in holder.get_received(routing.NAMESPACE) if e["name"] == "flag.taken"]
    assert len(told) == 1 and told[0]["id"] == claimed and told[0]["by"] == "GentleSeal51"

    # Now the new holder acts, and the first one is the one asked to take over.
    assert send(second_moderator.client, f"/moderation/flags/{claimed}/hide", {"reason": "x"}).status_code == 302
    assert send(moderator.client, f"/moderation/flags/{claimed}/restore", {"reason": "x"}).status_code == 409
