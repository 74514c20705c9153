"""Every write is screened; content and its flag commit together; help shows at once."""
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post, Thread
from moderation.models import AuditEntry, Flag
from tests.flags.flag_helpers import ELEVATED, HIGH, IMMINENT, METHOD, post_thread
from tests.helpers import send, text


def flags(app):
    with app.app_context():
        return db.session.scalars(select(Flag).order_by(Flag.id)).all()


def test_a_crisis_post_is_stored_with_its_flag(app, member):
    thread_id = post_thread(member, HIGH)
    (flag,) = flags(app)
    assert flag.severity == "high" and flag.source == "screening" and "suicidal_ideation" in flag.categories
    assert flag.matches and flag.matches[0]["phrase"].lower() in HIGH.lower()
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.thread_id == thread_id))
        assert flag.post_id == post.id and flag.snapshot.endswith(HIGH)
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.flag_id == flag.id)).action == "flagged"


def test_replies_and_edits_are_screened_too(app, member, other):
    thread_id = post_thread(member, "Rough day, but I'm okay.")
    assert flags(app) == []
    reply = send(other.client, f"/t/{thread_id}/reply", {"body": ELEVATED})
    post_id = reply.location.rsplit("#p", 1)[1]
    (flag,) = flags(app)
    assert flag.severity == "elevated"
    send(other.client, f"/p/{post_id}/edit", {"body": IMMINENT})
    (flag,) = flags(app)  # the edit joined the open flag and raised it
    assert flag.severity == "imminent" and flag.snapshot == IMMINENT


def test_everyday_words_raise_no_flag(app, member):
    post_thread(member, "This exam is killing me, I'm dying to get it over with")
    assert flags(app) == []


def test_post_and_flag_commit_together_or_not_at_all(app, member, monkeypatch):
    import moderation.flags

    def broken_audit(*args, **kwargs):
        raise RuntimeError("the database went away between the two inserts")

    monkeypatch.setattr(moderation.flags.audit, "record", broken_audit)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = send(member.client, "/b/depression/new", {"title": "t", "body": HIGH})
    assert response.status_code == 500
    with app.app_context():
        assert db.session.scalar(select(Post).where(Post.body_md == HIGH)) is None
        assert db.session.scalar(select(Thread).where(Thread.title == "t")) is None
    assert flags(app) == []


def test_the_author_sees_help_at_once_and_others_do_not(app, member, other):
    thread_id = post_thread(member, HIGH)
    page = text(member.client.get(f"/t/{thread_id}"))
    assert "You don't have to carry this alone" in page
    assert "Call 988" in page and "Call 116 123" in page and "13 11 14" in page
    assert "aren't online right now" in page and "has been told" not in page
    assert HIGH in page  # the post is not blocked
    assert "carry this alone" not in text(other.client.get(f"/t/{thread_id}"))


def test_help_says_a_moderator_was_told_only_when_one_is_on_duty(app, member, moderator):
    thread_id = post_thread(member, HIGH)
    page = text(member.client.get(f"/t/{thread_id}"))
    assert "A trained peer moderator has been told" in page


def test_help_shows_the_lines_of_the_region_the_member_chose(app, member):
    send(member.client, "/help", {"region": "AU"})
    thread_id = post_thread(member, HIGH)
    page = text(member.client.get(f"/t/{thread_id}"))
    chosen, others = page.split('<details class="other-regions">')  # the rest folded below
    assert "Lifeline" in chosen and "13 11 14" in chosen and "988" not in chosen and "988" in others


def test_elevated_posts_flag_quietly_without_the_panel(app, member):
    thread_id = post_thread(member, ELEVATED)
    assert flags(app)[0].severity == "elevated"
    assert "carry this alone" not in text(member.client.get(f"/t/{thread_id}"))


def test_method_detail_is_held_for_review_and_explained_kindly(app, member, other, moderator):
    thread_id = post_thread(member, "hello")
    reply = send(member.client, f"/t/{thread_id}/reply", {"body": METHOD})
    assert reply.status_code == 302
    own = text(member.client.get(f"/t/{thread_id}"))
    assert METHOD in own and "Only you and our moderators can see this post" in own
    assert "You haven't done anything wrong" in own
    assert METHOD not in text(other.client.get(f"/t/{thread_id}"))
    assert METHOD not in text(other.client.get("/search?q=overdose"))
    assert METHOD in text(moderator.client.get(f"/t/{thread_id}"))
    (flag,) = flags(app)
    assert "method_detail" in flag.categories
    send(moderator.client, f"/moderation/flags/{flag.id}/release-hold", {"reason": "reviewed, safe", "confirm": "yes"})
    assert METHOD in text(other.client.get(f"/t/{thread_id}"))


def test_a_held_opening_post_keeps_its_thread_off_the_board_for_others(app, member, other):
    post_thread(member, METHOD, title="so tired")
    assert "so tired" in text(member.client.get("/b/depression"))
    assert "so tired" not in text(other.client.get("/b/depression"))


def test_imminent_with_nobody_on_duty_escalates_at_once(app, member):
    post_thread(member, IMMINENT)
    (flag,) = flags(app)
    assert flag.severity == "imminent" and flag.status == "escalated" and flag.escalated_at is not None


def test_imminent_with_someone_on_duty_waits_for_them(app, member, moderator):
    post_thread(member, IMMINENT)
    (flag,) = flags(app)
    assert flag.status == "open" and flag.escalated_at is None


def test_deleting_the_post_or_the_account_keeps_flags_and_audit(app, member):
    thread_id = post_thread(member, HIGH)
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))
    send(member.client, f"/p/{post_id}/delete")
    send(member.client, "/account/delete", {"posts": "remove", "passphrase": "a calm river at dusk"})
    (flag,) = flags(app)
    assert flag.post_id == post_id and HIGH in flag.snapshot
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.flag_id == flag.id)) is not None
