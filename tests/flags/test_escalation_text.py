"""What moderators read about time and history on a flag: targets phrased as people say
them, whatever the SLA setting's unit, and a member's *earlier* flags, newest first."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import utcnow
from forum.seed import seed_boards
from forum.text import duration
from moderation import routing
from moderation.models import AuditEntry, Flag
from tests.flags.flag_helpers import ELEVATED, HIGH, IMMINENT, post_thread
from tests.helpers import text


@pytest.fixture
def app(make_app):
    """Short targets, as a small community might set them: 30 s, 90 s and 5 minutes."""
    app = make_app(SLA_IMMINENT=30, SLA_HIGH=90, SLA_ELEVATED=300)
    with app.app_context():
        seed_boards()
        db.session.commit()
    return app


def flag_ids(app):
    with app.app_context():
        return db.session.scalars(select(Flag.id).order_by(Flag.id)).all()


@pytest.mark.parametrize("severity_text", [IMMINENT, HIGH, ELEVATED])
def test_escalation_says_how_long_the_target_was_in_plain_words(app, member, moderator, severity_text):
    post_thread(member, severity_text)
    (flag_id,) = flag_ids(app)
    with app.app_context():
        severity = db.session.get(Flag, flag_id).severity
        sla = routing.sla_seconds(severity)
        # screening decides the level; the words follow the level's own target
        said = {30: "30 seconds", 90: "1 minute 30 seconds", 300: "5 minutes"}[sla]
        assert routing.sweep(now=utcnow() + timedelta(seconds=sla + 1))["escalated"] == 1
        db.session.commit()
        reason = db.session.scalar(select(AuditEntry.reason).where(AuditEntry.action == "escalated"))
    assert reason == f"unclaimed past its target of {said}"
    flag_page = text(moderator.client.get(f"/moderation/flags/{flag_id}"))
    assert f"target {said}" in flag_page and "target 0 min" not in flag_page
    queue = text(moderator.client.get("/moderation"))
    assert f"target {said}" in queue and "target 0 min" not in queue


def test_durations_read_naturally():
    assert [duration(s) for s in (1, 30, 60, 90, 300, 3600, 5400, 86400)] == [
        "1 second", "30 seconds", "1 minute", "1 minute 30 seconds", "5 minutes", "1 hour",
        "1 hour 30 minutes", "24 hours"]


def test_earlier_flags_lists_only_earlier_ones_about_the_same_member_newest_first(app, member, other, moderator):
    post_thread(member, ELEVATED, title="first")
    post_thread(other, ELEVATED, title="someone else")
    post_thread(member, HIGH, title="second")
    post_thread(member, ELEVATED, title="third")
    first, someone_else, second, third = flag_ids(app)

    def listed(flag_id):
        page = moderator.client.get(f"/moderation/flags/{flag_id}").get_data(as_text=True)
        if 'id="earlier-heading"' not in page:
            return []
        section = page.split('id="earlier-heading"', 1)[1].split("</section>", 1)[0]
        return [int(i) for i in re.findall(r'/moderation/flags/(\d+)"', section)]

    assert listed(first) == []
    assert listed(second) == [first]
    assert listed(third) == [second, first]
