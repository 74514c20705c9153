"""The queue shows a flag's words as a reader sees them (not raw Markdown, never markup),
and carries moderators' hand-off notes from one shift to the next, each one audited."""
import re
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, utcnow
from moderation.models import AuditEntry, HandoffNote, ModeratorProfile
from tests.flags.flag_helpers import HIGH, post_thread
from tests.helpers import send, text

MARKED_UP = f"{HIGH}. It's **really** bad, see [my notes](https://example.org/n) <b>tonight</b> <script>x()</script>"


def _excerpts(page):
    return re.findall(r'<p class="excerpt">(.*?)</p>', page, re.S)


def test_the_queue_excerpt_is_rendered_text_without_markdown_or_markup(app, member, moderator):
    post_thread(member, MARKED_UP, title="A *bad* night")
    for url in ("/moderation", "/moderation?fragment=1"):  # the page, and the live queue's refresh
        [excerpt] = _excerpts(moderator.client.get(url).get_data(as_text=True))
        assert "A bad night" in excerpt and "It's really bad, see my notes" in excerpt.replace("&#39;", "'")
        assert "*" not in excerpt and "](" not in excerpt
        assert "<b>" not in excerpt and "<script>" not in excerpt and "<a " not in excerpt
        assert "&lt;b&gt;tonight&lt;/b&gt;" in excerpt  # what the member typed, shown as text


def test_a_long_excerpt_is_cut_at_a_word(app, member, moderator):
    post_thread(member, f"{HIGH} " + "and the nights are long " * 40)
    [excerpt] = _excerpts(text(moderator.client.get("/moderation")))
    assert excerpt.endswith("…") and len(excerpt) <= 281 and not excerpt[:-1].endswith(" ")
    assert excerpt[:-1].split()[-1] in {"and", "the", "nights", "are", "long"}


def _write_note(person, body):
    return send(person.client, "/moderation/handoff", {"body": body})


def test_a_hand_off_note_is_shown_to_the_next_on_duty_and_audited(app, moderator, second_moderator):
    note = "Flag 12 is waiting on a reply from the member; please check in around 9."
    assert _write_note(moderator, note).status_code == 302
    with app.app_context():
        author = db.session.scalar(select(Member).where(Member.handle == moderator.handle))
        written = db.session.scalars(select(HandoffNote)).one()
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "wrote hand-off note")).one()
        assert (entry.actor_id, entry.target_type, entry.target_id) == (author.id, "handoff_note", written.id)

    send(second_moderator.client, "/moderation/duty")  # comes on duty
    queue = text(second_moderator.client.get("/moderation"))
    assert note in queue and f"{moderator.handle}," in queue


def test_notes_older_than_a_day_are_shown_only_to_whoever_has_been_on_duty_since(
        app, moderator, second_moderator):
    _write_note(moderator, "Yesterday's note about the evening room.")
    with app.app_context():  # it was written 30 hours ago; the first moderator has been on for 40
        db.session.scalars(select(HandoffNote)).one().created_at = utcnow() - timedelta(hours=30)
        mine = db.session.scalar(select(Member.id).where(Member.handle == moderator.handle))
        db.session.get(ModeratorProfile, mine).on_duty_since = utcnow() - timedelta(hours=40)
        db.session.commit()
    send(second_moderator.client, "/moderation/duty")
    fresh = text(second_moderator.client.get("/moderation"))
    assert "Yesterday's note" not in fresh and "No notes from the last 24 hours." in fresh
    assert "Yesterday's note" in text(moderator.client.get("/moderation"))  # still in their own shift


def test_an_empty_note_is_refused_and_members_cannot_write_one(app, member, moderator):
    assert _write_note(moderator, "   ").status_code == 400
    assert _write_note(member, "hello").status_code == 403
    with app.app_context():
        assert db.session.scalars(select(HandoffNote)).all() == []
