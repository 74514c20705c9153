"""A check-in's note is screened like every other word: one that suggests danger shows the
member the help panel and raises a flag only trained moderators read; nothing else of the
check-in reaches anyone."""
from sqlalchemy import select

from forum.extensions import db
from moderation.models import Flag
from tests.helpers import give_role, make_member, send, text
from tests.recovery.recovery_helpers import CRISIS, check_in

HEADING = "You don't have to carry this alone"


def _flag(app):
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
        db.session.expunge(flag)
        return flag


def test_a_crisis_check_in_shows_the_help_panel_and_raises_a_flag(app, member, moderator):
    response = check_in(member, mood="1", note=CRISIS, tags=["used"])
    flag = _flag(app)
    assert flag.checkin_id is not None and flag.severity in ("high", "imminent") and flag.source == "screening"
    assert response.location.endswith(f"/recovery#help-checkin-{flag.checkin_id}")
    page = text(member.client.get("/recovery"))
    assert f'id="help-checkin-{flag.checkin_id}" tabindex="-1">{HEADING}' in page
    assert "help.js" in page  # focuses the panel's heading, as after a post


def test_trained_moderators_read_the_note_and_nothing_else(app, member, moderator):
    check_in(member, mood="1", note=CRISIS, tags=["used", "urges"])
    flag = _flag(app)
    queue = text(moderator.client.get("/moderation"))
    assert "private check-in" in queue and "killing myself" in queue
    page = text(moderator.client.get(f"/moderation/flags/{flag.id}"))
    assert CRISIS in page and "A private daily check-in" in page
    assert "Used or drank" not in page and "Really struggling" not in page  # mood and tags stay private
    # Nothing to hide or reply to: a support room is how to reach them.
    assert "Hide it" not in page and "Reply in the thread" not in page
    assert "Open a private support conversation" in page
    refused = send(moderator.client, f"/moderation/flags/{flag.id}/hide", {"reason": ""})
    assert refused.status_code == 409 and "private to its member" in text(refused)


def test_nobody_else_reads_the_note(app, member, other, moderator):
    check_in(member, mood="1", note=CRISIS)
    flag = _flag(app)
    admin = make_member(app, "PlainAdmin30")
    give_role(app, admin.handle, "admin")  # an admin without training hears of flags, never their words
    for person in (other, admin):
        assert person.client.get(f"/moderation/flags/{flag.id}").status_code == 403
        assert CRISIS not in text(person.client.get("/moderation"))
        assert CRISIS not in text(person.client.get("/recovery"))


def test_a_moderator_opens_a_support_room_from_a_check_in_flag(app, member, moderator):
    check_in(member, mood="1", note=CRISIS)
    flag = _flag(app)
    response = send(moderator.client, f"/moderation/flags/{flag.id}/support")
    assert response.status_code == 302 and "/chat/" in response.location
