"""Members report posts; reports join open flags; the reporter hears it was reviewed."""
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from moderation.models import Flag, Report
from tests.flags.flag_helpers import HIGH, post_thread
from tests.helpers import make_member, send, text


def first_post(app, thread_id):
    with app.app_context():
        return db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))


def test_a_report_opens_a_flag_and_the_reporter_later_sees_it_was_reviewed(app, member, other, moderator):
    post_id = first_post(app, post_thread(member, "You're all pathetic."))
    response = send(other.client, f"/p/{post_id}/report", {"reason": "harassment", "detail": "unkind"})
    assert response.status_code == 302
    with app.app_context():
        flag = db.session.scalars(select(Flag)).one()
    assert flag.source == "member_report" and flag.severity == "elevated" and flag.report_count == 1
    assert "Waiting for a moderator" in text(other.client.get("/reports"))
    send(moderator.client, f"/moderation/flags/{flag.id}/resolve",
         {"outcome": "spam_abuse", "version": str(flag.version)})
    page = text(other.client.get("/reports"))
    assert "A moderator reviewed this" in page and "spam" not in page.lower().split("reviewed")[1][:50]


def test_reports_join_an_open_flag_and_raise_it(app, member, other):
    post_id = first_post(app, post_thread(member, "Feeling like a burden to everyone lately."))
    third = make_member(app, "KindWren70")
    send(other.client, f"/p/{post_id}/report", {"reason": "crisis"})
    send(third.client, f"/p/{post_id}/report", {"reason": "other", "detail": "please check in"})
    with app.app_context():
        (flag,) = db.session.scalars(select(Flag)).all()
        assert flag.report_count == 2 and flag.severity == "high"
        assert db.session.scalar(select(Report).where(Report.detail == "please check in")).flag_id == flag.id


def test_a_member_reports_an_item_once(app, member, other):
    post_id = first_post(app, post_thread(member, HIGH))
    send(other.client, f"/p/{post_id}/report", {"reason": "crisis"})
    again = send(other.client, f"/p/{post_id}/report", {"reason": "crisis"}, follow_redirects=True)
    assert "already reported" in text(again)
    with app.app_context():
        assert len(db.session.scalars(select(Report)).all()) == 1
        assert db.session.scalars(select(Flag)).one().report_count == 1


def test_oversized_or_missing_reasons_are_refused_with_no_change(app, member, other):
    post_id = first_post(app, post_thread(member, "Just a normal day."))
    huge = send(other.client, f"/p/{post_id}/report", {"reason": "other", "detail": "x" * 1_000_000})
    assert huge.status_code == 413 and "too much" in text(huge)
    long = send(other.client, f"/p/{post_id}/report", {"reason": "other", "detail": "x" * 1_001})
    assert long.status_code == 400 and "under 1,000 characters" in text(long)
    missing = send(other.client, f"/p/{post_id}/report", {"detail": "no reason"})
    assert missing.status_code == 400 and "choose what the concern is" in text(missing)
    forged = send(other.client, f"/p/{post_id}/report", {"reason": "made-up"})
    assert forged.status_code == 400
    assert send(other.client, "/p/99999999/report", {"reason": "spam"}).status_code == 404
    with app.app_context():
        assert db.session.scalars(select(Flag)).all() == [] and db.session.scalars(select(Report)).all() == []


def test_help_page_lists_lines_and_remembers_the_chosen_region(client, member):
    page = text(client.get("/help"))
    for line in ("988", "116 123", "13 11 14", "1737", "findahelpline.com"):
        assert line in page
    send(client, "/help", {"region": "NZ"})
    chosen, others = text(client.get("/help")).split('<details class="other-regions">')  # the rest folded
    assert "1737" in chosen and "988" not in chosen and "988" in others
    assert send(client, "/help", {"region": "XX"}).status_code == 200  # not a choice: nothing changes
    assert "1737" in text(client.get("/help"))
