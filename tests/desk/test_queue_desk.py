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


def test_the_queue_pages_most_urgent_first_counts_them_all_and_shows_a_new_flag_on_page_one(
        monkeypatch, app, member, moderator):
    """A page of the queue at a time (a full queue rendered every flag, growing with it), with
    the count of every active flag and a plain next-page link; a flag that just arrived
    shows on the first page even when more urgent or older flags fill it."""
    from moderation import routing
    from moderation.models import Flag

    monkeypatch.setattr(routing, "QUEUE_PAGE", 3)
    now = utcnow()
    with app.app_context():
        for i, severity in enumerate(["elevated", "imminent", "high", "imminent", "elevated", "high", "elevated"]):
            db.session.add(Flag(source="screening", severity=severity, snapshot=f"words {i}", status="open",
                                created_at=now - timedelta(minutes=60 - i)))
        db.session.add(Flag(source="screening", severity="elevated", snapshot="words old", status="resolved",
                            created_at=now - timedelta(minutes=90)))
        db.session.commit()
        expected = [f.snapshot for f in db.session.scalars(select(Flag).where(Flag.status != "resolved"))]
    order = ["words 1", "words 3", "words 2", "words 5", "words 0", "words 4", "words 6"]
    assert sorted(order) == sorted(expected)
    seen, url = [], "/moderation"
    for page in (1, 2, 3):
        body = moderator.client.get(url).get_data(as_text=True)
        assert "7 active flags" in body
        main = body.split('class="newest-flags"')[0]
        seen += _excerpts(main)
        if page == 1:  # the newest, not among the three most urgent, below them
            assert _excerpts(body.split('class="newest-flags"')[1])[:1] == ["words 6"]
        nxt = re.search(r'href="([^"]+)" rel="next">Next page', body)
        if page < 3:
            url = nxt.group(1).replace("&amp;", "&")
        else:
            assert nxt is None
    assert seen == order
    # The live refresh of the second page is the second page.
    assert _excerpts(moderator.client.get("/moderation?fragment=1&page=2").get_data(as_text=True)) == order[3:6]
