"""On a flag's page the moderator sees the member around the flag: their latest posts
anyone can read, their other open flags, and whether they have a safety plan, never what
their safety plan says."""
from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, Post, SafetyPlan
from moderation.models import Flag
from tests.flags.flag_helpers import HIGH, post_thread
from tests.helpers import send, text

PLAN_WORDS = "call my sister Ana, walk to the river bench"


def _member_id(app, handle):
    with app.app_context():
        return db.session.scalar(select(Member.id).where(Member.handle == handle))


def _about(page):
    """The "About <member>" section of the flag page."""
    start = page.index('id="about-heading"')
    return page[start:page.index("</section>", start)]


def test_the_flag_page_says_whether_the_member_has_a_safety_plan_but_never_what_it_says(
        app, member, flagged, moderator):
    assert "No safety plan yet." in _about(text(moderator.client.get(f"/moderation/flags/{flagged}")))
    with app.app_context():
        db.session.add(SafetyPlan(member_id=_member_id(app, member.handle),
                                  sections={"warning_signs": PLAN_WORDS, "reasons": PLAN_WORDS}))
        db.session.commit()
    page = text(moderator.client.get(f"/moderation/flags/{flagged}"))
    assert "Has a safety plan." in _about(page)
    assert "Ana" not in page and "river bench" not in page


def test_the_flag_page_lists_the_member_s_readable_posts_and_other_open_flags(app, member, moderator):
    post_thread(member, HIGH, title="First")
    calm = post_thread(member, "Made soup and called a friend today.", title="Soup day")
    hidden_thread = post_thread(member, "The garden has tomatoes now.", title="Taken down")
    post_thread(member, f"{HIGH} again", title="Second")
    with app.app_context():
        first, second = db.session.scalars(select(Flag).order_by(Flag.id)).all()
        first_id, second_id = first.id, second.id
        calm_post = db.session.scalar(select(Post.id).where(Post.thread_id == calm))
        hidden_post = db.session.scalar(select(Post).where(Post.thread_id == hidden_thread))
        hidden_post.hidden_at = hidden_post.created_at
        hidden_id = hidden_post.id
        db.session.commit()

    about = _about(text(moderator.client.get(f"/moderation/flags/{second_id}")))
    assert f'href="/p/{calm_post}"' in about and "Soup day" in about
    assert f'href="/p/{hidden_id}"' not in about  # hidden from members: not "their posts" to others
    assert f'href="/moderation/flags/{first_id}"' in about  # still open
    assert f'href="/moderation/flags/{second_id}"' not in about  # not this one

    with app.app_context():
        version = db.session.get(Flag, first_id).version
    send(moderator.client, f"/moderation/flags/{first_id}/resolve",
         {"outcome": "supported", "notes": "", "version": str(version), "confirm": "yes"})
    about = _about(text(moderator.client.get(f"/moderation/flags/{second_id}")))
    assert f'href="/moderation/flags/{first_id}"' not in about and "None." in about
