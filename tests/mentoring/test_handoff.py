"""Crisis hand-off: the mentor's one button pages trained moderators like any flag (about
the mentee's words), says "A trained moderator has been asked to join." in the room, and
is audited; a crisis message screened in a mentoring room shows the mentor the same line."""
import re

from sqlalchemy import func, select

from forum.chat.mentoring import help_requested
from forum.extensions import db
from forum.mentoring.handoff import HANDOFF_ACTION, HANDOFF_LINE
from forum.models import Message, Room
from moderation.models import AuditEntry, Flag
from tests.helpers import send, text
from tests.mentoring.care_helpers import make_mentor, make_pair, member_id, say_in_room


def _notice(person, pair_id):
    """The line the pair page shows at its top while help is on its way, or None."""
    found = re.search(r'id="help-coming">([^<]*)<', text(person.client.get(f"/mentoring/pairs/{pair_id}")))
    return found.group(1) if found else None


def _flags(app):
    with app.app_context():
        return db.session.scalars(select(Flag)).all()


def test_the_mentor_s_hand_off_pages_moderators_about_the_mentee_s_words(app, member, other, moderator):
    make_mentor(app, member)
    pair_id, room_id = make_pair(app, member, other)
    say_in_room(app, other, room_id, "Thanks for listening today, it was a rough week at the harbour")
    assert _notice(member, pair_id) is None
    response = send(member.client, f"/mentoring/pairs/{pair_id}/handoff", follow_redirects=True)
    assert HANDOFF_LINE in text(response)
    flag, = _flags(app)
    assert flag.status == "open" and flag.severity == "high" and flag.source == "member_report"
    with app.app_context():
        assert flag.member_id == member_id(other.handle)  # about the mentee, whom a moderator reaches
    assert "rough week at the harbour" in flag.snapshot
    with app.app_context():
        room = db.session.get(Room, room_id)
        assert help_requested(room)
        lines = db.session.scalars(select(Message.body_md).where(Message.room_id == room_id).order_by(Message.id)).all()
        assert lines[-1] == HANDOFF_LINE  # in the room, for both of them
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == HANDOFF_ACTION)).one()
        assert entry.actor_id == member_id(member.handle) and entry.flag_id == flag.id
    # The mentor sees it on the pair page while help is on its way; the queue has the flag.
    assert _notice(member, pair_id) == HANDOFF_LINE
    assert f"/moderation/flags/{flag.id}" in text(moderator.client.get("/moderation"))


def test_pressing_it_again_joins_the_open_flag(app, member, other):
    make_mentor(app, member)
    pair_id, room_id = make_pair(app, member, other)
    say_in_room(app, other, room_id, "I don't know what to do any more")
    send(member.client, f"/mentoring/pairs/{pair_id}/handoff")
    send(member.client, f"/mentoring/pairs/{pair_id}/handoff")
    assert len([f for f in _flags(app) if f.status == "open"]) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == HANDOFF_ACTION)) == 2


def test_only_the_mentor_hands_off_and_not_after_the_end(app, member, other):
    make_mentor(app, member)
    pair_id, _ = make_pair(app, member, other)
    refused = send(other.client, f"/mentoring/pairs/{pair_id}/handoff")
    assert refused.status_code == 409 and "Talk to a moderator now" in text(refused)
    assert "Ask a trained moderator to join" not in text(other.client.get(f"/mentoring/pairs/{pair_id}"))
    send(other.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "no_reason"})
    assert send(member.client, f"/mentoring/pairs/{pair_id}/handoff").status_code == 409
    assert _flags(app) == []


def test_a_crisis_message_in_a_mentoring_room_shows_the_mentor_the_line(app, member, other, moderator):
    make_mentor(app, member)
    pair_id, room_id = make_pair(app, member, other)
    say_in_room(app, other, room_id, "I have the pills here and I'm going to take them all tonight")
    flag, = _flags(app)
    assert flag.source == "screening"
    assert _notice(member, pair_id) == HANDOFF_LINE
    assert _notice(other, pair_id) is None  # they have the help panel
    send(moderator.client, f"/moderation/flags/{flag.id}/claim")
    version = _flags(app)[0].version
    resolved = send(moderator.client, f"/moderation/flags/{flag.id}/resolve",
                    {"version": str(version), "outcome": "supported", "notes": "", "confirm": "yes"})
    assert resolved.status_code == 302
    with app.app_context():  # help came: the line goes
        assert not help_requested(db.session.get(Room, room_id))
    assert _notice(member, pair_id) is None
