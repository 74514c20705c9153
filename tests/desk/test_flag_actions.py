"""The flag's page offers what applies to the flag's state and to who holds it, and asks
for a ticked box before anything that shows words to more people or can't be undone; the
server refuses those actions without it, whatever sent them."""
import html
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, Post, utcnow
from moderation.models import AuditEntry, Flag
from tests.desk.conftest import form_for, offered
from tests.flags.flag_helpers import ELEVATED, METHOD, post_thread
from tests.helpers import send, text

CONTENT = {"hide", "restore", "release-hold"}
WORK = {"support", "resolve", "reply", "mute", "escalate"}


def test_an_unclaimed_flag_offers_claim_and_what_anyone_may_do_but_no_restore_of_a_visible_post(
        app, flagged, moderator):
    assert offered(moderator.client, flagged) == {"claim", "hide"} | WORK


def test_the_holder_is_offered_renew_and_release_not_claim(app, flagged, moderator):
    send(moderator.client, f"/moderation/flags/{flagged}/claim")
    assert offered(moderator.client, flagged) == {"renew", "release", "hide"} | WORK
    page = text(moderator.client.get(f"/moderation/flags/{flagged}"))
    assert "It's yours until" in page


def test_someone_else_s_live_claim_leaves_only_take_over_and_a_lapsed_one_is_claimable(
        app, flagged, moderator, second_moderator):
    send(moderator.client, f"/moderation/flags/{flagged}/claim")
    assert offered(second_moderator.client, flagged) == {"take-over"}
    with app.app_context():  # the lease runs out: the flag is anyone's again
        db.session.get(Flag, flagged).lease_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert offered(second_moderator.client, flagged) == {"claim", "hide"} | WORK


def test_a_hidden_post_offers_restore_instead_of_hide(app, flagged, moderator):
    send(moderator.client, f"/moderation/flags/{flagged}/hide", {"reason": "graphic"})
    actions = offered(moderator.client, flagged)
    assert "restore" in actions and "hide" not in actions and "release-hold" not in actions


def test_held_words_offer_release_hold_beside_hide(app, member, moderator):
    post_thread(member, METHOD)
    with app.app_context():
        flag_id = db.session.scalars(select(Flag.id)).one()
    actions = offered(moderator.client, flag_id) & CONTENT
    assert actions == {"hide", "release-hold"}


def test_a_resolved_flag_offers_nothing_but_a_reply(app, flagged, moderator):
    with app.app_context():
        version = db.session.get(Flag, flagged).version
    assert send(moderator.client, f"/moderation/flags/{flagged}/resolve",
                {"outcome": "supported", "notes": "", "version": str(version), "confirm": "yes"}).status_code == 302
    assert offered(moderator.client, flagged) == {"reply"}


def _audit(app, flag_id):
    with app.app_context():
        return db.session.scalars(select(AuditEntry.action).where(AuditEntry.flag_id == flag_id)
                                  .order_by(AuditEntry.id)).all()


def _post(app, flag_id):
    with app.app_context():
        post = db.session.get(Post, db.session.get(Flag, flag_id).post_id)
        return {"hidden": post.hidden_at is not None, "held": post.held_at is not None}


def _muted(app, handle):
    with app.app_context():
        until = db.session.scalar(select(Member.muted_until).where(Member.handle == handle))
        return until is not None and until > utcnow()


def test_restore_asks_for_a_ticked_box_and_is_refused_without_it(app, flagged, moderator):
    send(moderator.client, f"/moderation/flags/{flagged}/hide", {"reason": "graphic"})
    form = form_for(moderator.client, flagged, "restore")
    assert 'type="checkbox"' in form and 'name="confirm"' in form and "required" in form
    before = _audit(app, flagged)

    refused = send(moderator.client, f"/moderation/flags/{flagged}/restore", {"reason": "fine"})
    assert refused.status_code == 400 and "tick the box" in text(refused)
    assert _post(app, flagged)["hidden"] and _audit(app, flagged) == before

    assert send(moderator.client, f"/moderation/flags/{flagged}/restore",
                {"reason": "fine", "confirm": "yes"}).status_code == 302
    assert not _post(app, flagged)["hidden"] and _audit(app, flagged)[-1] == "restored post"


def test_showing_held_words_to_everyone_asks_for_a_ticked_box_and_is_refused_without_it(
        app, member, other, moderator):
    thread_id = post_thread(member, METHOD)
    with app.app_context():
        flag_id = db.session.scalars(select(Flag.id)).one()
    form = form_for(moderator.client, flag_id, "release-hold")
    assert 'name="confirm"' in form and "required" in form and "safe for everyone to see" in html.unescape(form)

    refused = send(moderator.client, f"/moderation/flags/{flag_id}/release-hold", {"reason": "ok"})
    assert refused.status_code == 400 and "tick the box" in text(refused)
    assert _post(app, flag_id)["held"] and METHOD not in text(other.client.get(f"/t/{thread_id}"))

    assert send(moderator.client, f"/moderation/flags/{flag_id}/release-hold",
                {"reason": "ok", "confirm": "yes"}).status_code == 302
    assert METHOD in text(other.client.get(f"/t/{thread_id}"))


def _resolve(client, flag_id, app, **extra):
    with app.app_context():
        version = db.session.get(Flag, flag_id).version
    return send(client, f"/moderation/flags/{flag_id}/resolve",
                {"outcome": "no_risk", "notes": "", "version": str(version), **extra})


def _status(app, flag_id):
    with app.app_context():
        return db.session.get(Flag, flag_id).status


def test_resolving_a_high_flag_nobody_reached_out_about_asks_for_a_ticked_box(app, flagged, moderator):
    form = form_for(moderator.client, flagged, "resolve")
    assert 'name="confirm"' in form and "required" in form and "Nobody has replied" in html.unescape(form)
    refused = _resolve(moderator.client, flagged, app)
    assert refused.status_code == 400 and "tick the box" in text(refused)
    assert _status(app, flagged) == "open" and "resolved" not in _audit(app, flagged)
    assert _resolve(moderator.client, flagged, app, confirm="yes").status_code == 302
    assert _status(app, flagged) == "resolved"


def test_after_a_reply_to_the_member_resolving_needs_no_ticked_box(app, flagged, moderator):
    assert send(moderator.client, f"/moderation/flags/{flagged}/reply",
                {"body": "I'm here if you want to talk. How are you doing right now?"}).status_code == 302
    assert 'name="confirm"' not in form_for(moderator.client, flagged, "resolve")
    assert _resolve(moderator.client, flagged, app).status_code == 302
    assert _status(app, flagged) == "resolved"


def test_an_elevated_flag_resolves_without_a_ticked_box(app, member, moderator):
    post_thread(member, ELEVATED)
    with app.app_context():
        flag_id = db.session.scalars(select(Flag.id)).one()
    assert _resolve(moderator.client, flag_id, app).status_code == 302
    assert _status(app, flag_id) == "resolved"


def test_mute_asks_for_a_ticked_box_and_is_refused_without_it(app, member, flagged, moderator):
    form = form_for(moderator.client, flagged, "mute")
    assert 'name="confirm"' in form and "required" in form
    refused = send(moderator.client, f"/moderation/flags/{flagged}/mute", {"minutes": "60", "reason": ""})
    assert refused.status_code == 400 and not _muted(app, member.handle)
    assert "muted for 1 hour" not in _audit(app, flagged)
    assert send(moderator.client, f"/moderation/flags/{flagged}/mute",
                {"minutes": "60", "reason": "", "confirm": "yes"}).status_code == 302
    assert _muted(app, member.handle)


@pytest.mark.parametrize("action", ["restore", "release-hold", "mute"])
def test_a_confirmation_does_not_get_round_the_claim_rule(app, flagged, moderator, second_moderator, action):
    """Ticking the box is not a way past someone else's claim (routing.check_may_act)."""
    send(moderator.client, f"/moderation/flags/{flagged}/claim")
    response = send(second_moderator.client, f"/moderation/flags/{flagged}/{action}",
                    {"reason": "x", "minutes": "60", "confirm": "yes"})
    assert response.status_code == 409 and "SteadyOwl50 is looking after this flag" in text(response)

