"""Edits and reactions have limits, as posting does: a burst of edits (each one screened,
audited and perhaps sent to the queue) or of reactions is slowed down kindly, and nothing
the member wrote or had is lost."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, Reaction
from forum.seed import seed_boards
from moderation.models import Flag
from tests.helpers import make_member, send, start_thread, text

HIGH = "I keep thinking about killing myself"


@pytest.fixture
def limited(make_app):
    """An app with the real edit and reaction limits, made small enough to reach."""
    app = make_app(LIMIT_EDIT="2 per minute;30 per hour", LIMIT_REACT="3 per minute")
    with app.app_context():
        seed_boards()
        db.session.commit()
    return app


def opening_post(app, thread_id):
    with app.app_context():
        return db.session.scalar(select(Post).where(Post.thread_id == thread_id, Post.parent_id.is_(None)))


def test_editing_too_fast_is_refused_kindly_and_keeps_what_was_typed(limited):
    person = make_member(limited, "QuickFinch12")
    post_id = opening_post(limited, start_thread(person.client, title="Day one", body="first words")).id
    for n in (1, 2):
        assert send(person.client, f"/p/{post_id}/edit", {"body": f"edit number {n}"}).status_code == 302
    refused = send(person.client, f"/p/{post_id}/edit", {"body": "my third careful rewrite"})
    assert refused.status_code == 429
    page = text(refused)
    assert "my third careful rewrite" in page  # still in the form
    assert "minute" in page and "still here" in page  # when to try again, and that nothing is lost
    with limited.app_context():
        assert db.session.get(Post, post_id).body_md == "edit number 2"


def test_a_burst_of_crisis_word_edits_does_not_flood_the_queue(limited):
    person = make_member(limited, "QuickFinch13")
    post_id = opening_post(limited, start_thread(person.client, title="Tonight", body="hello")).id
    statuses = [send(person.client, f"/p/{post_id}/edit", {"body": f"{HIGH} ({n})"}).status_code for n in range(6)]
    assert statuses.count(302) == 2 and statuses.count(429) == 4
    with limited.app_context():
        flagged = db.session.scalar(select(func.count()).select_from(Flag).where(Flag.post_id == post_id))
        assert flagged <= 2


def test_reacting_too_fast_is_refused_and_nothing_is_lost(limited):
    author, reader = make_member(limited, "QuickFinch14"), make_member(limited, "QuietHeron43")
    post_id = opening_post(limited, start_thread(author.client, title="Small win", body="a week sober")).id
    for kind in ("hug", "strength", "thanks"):
        assert send(reader.client, f"/p/{post_id}/react/{kind}").status_code == 302
    refused = send(reader.client, f"/p/{post_id}/react/me_too")
    assert refused.status_code == 429
    assert "reactions" in text(refused).lower() and "minute" in text(refused)
    with limited.app_context():
        kinds = set(db.session.scalars(select(Reaction.kind).where(Reaction.post_id == post_id)))
    assert kinds == {"hug", "strength", "thanks"}
    assert "Small win" in text(reader.client.get(f"/p/{post_id}", follow_redirects=True))
