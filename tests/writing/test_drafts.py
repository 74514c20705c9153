"""Drafts: what a member is writing is kept on the server, given back when they return,
kept when a submit is refused (invalid, too fast, muted), gone when the post succeeds or
they discard it, private, limited like posts, and never screened into flags."""
from datetime import timedelta

from sqlalchemy import func, select, update

from forum.extensions import db
from forum.models import Draft, Member, utcnow
from moderation.models import Flag
from tests.helpers import login, make_member, send, start_thread, text

JSON = {"Accept": "application/json"}


def drafts_of(app, handle):
    with app.app_context():
        return db.session.scalars(select(Draft).join(Member, Member.id == Draft.member_id)
                                  .where(Member.handle == handle)).all()


def autosave(person, url, **fields):
    return send(person.client, url, fields, headers=JSON)


def test_a_reply_draft_saved_as_you_type_is_back_on_the_thread_and_the_reply_page(app, member, other):
    thread_id = start_thread(member.client, "Evenings", "How do you spend evenings?")
    saved = autosave(other, f"/t/{thread_id}/draft", body="I go for a *short* walk", content_warning="")
    assert saved.status_code == 200 and saved.get_json() == {"saved": True}
    for page in (f"/t/{thread_id}", f"/t/{thread_id}/reply"):
        shown = other.client.get(page)
        assert "I go for a *short* walk" in text(shown) and "Your draft is back" in text(shown)
        assert shown.headers["Cache-Control"] == "no-store"
    # On another device the reply page has it (the thread page reads no drafts it has no
    # sign of: see forum/boards/compose.py, HINT).
    elsewhere = app.test_client()
    login(elsewhere, other.handle)
    assert "I go for a *short* walk" in text(elsewhere.get(f"/t/{thread_id}/reply"))
    # Saving again updates the one draft rather than adding another.
    autosave(other, f"/t/{thread_id}/draft", body="I go for a long walk")
    assert [d.body for d in drafts_of(app, other.handle)] == ["I go for a long walk"]


def test_nobody_else_sees_a_draft(app, member, other):
    thread_id = start_thread(member.client, "Mornings", "What helps in the morning?")
    autosave(other, f"/t/{thread_id}/draft", body="my private half-thought")
    assert "my private half-thought" not in text(member.client.get(f"/t/{thread_id}"))
    assert "my private half-thought" not in text(member.client.get(f"/t/{thread_id}/reply"))
    assert "my private half-thought" not in text(app.test_client().get(f"/t/{thread_id}"))
    assert "my private half-thought" not in member.client.get("/account/export.json").get_data(as_text=True)


def test_a_new_thread_draft_is_kept_per_board_and_goes_when_the_thread_is_posted(app, member):
    autosave(member, "/b/anxiety/draft", title="Sleep", body="Lying awake again")
    autosave(member, "/b/depression/draft", title="Other board", body="different words")
    shown = text(member.client.get("/b/anxiety/new"))
    assert 'value="Sleep"' in shown and "Lying awake again" in shown and "different words" not in shown
    start_thread(member.client, "Sleep", "Lying awake again, any tips?", board="anxiety")
    assert [d.title for d in drafts_of(app, member.handle)] == ["Other board"]
    assert "Lying awake again" not in text(member.client.get("/b/anxiety/new"))


def test_a_reply_that_posts_removes_the_draft_and_a_late_autosave_does_not_bring_it_back(app, member, other):
    thread_id = start_thread(member.client)
    autosave(other, f"/t/{thread_id}/draft", body="thank you for this", form_token="tok-1")
    assert send(other.client, f"/t/{thread_id}/reply", {"body": "thank you for this", "form_token": "tok-1"}
                ).status_code == 302
    assert drafts_of(app, other.handle) == []
    late = autosave(other, f"/t/{thread_id}/draft", body="thank you for this", form_token="tok-1")
    assert late.status_code == 200 and late.get_json()["saved"] is False
    assert drafts_of(app, other.handle) == []


def test_a_refused_submit_keeps_the_words_in_the_form_and_as_a_draft(app, member):
    thread_id = start_thread(member.client)
    refused = send(member.client, f"/t/{thread_id}/reply", {"body": "words\u202e hidden", "content_warning": "x"})
    assert refused.status_code == 400 and "text-direction" in text(refused)
    assert drafts_of(app, member.handle) == []  # a draft keeps only what a post could hold
    refused = send(member.client, "/b/anxiety/new", {"title": "", "body": "no title yet, but my words"})
    assert refused.status_code == 400 and "no title yet, but my words" in text(refused)
    assert [d.body for d in drafts_of(app, member.handle)] == ["no title yet, but my words"]
    assert "no title yet, but my words" in text(member.client.get("/b/anxiety/new"))


def test_posting_too_fast_keeps_a_draft(limited_app):
    app = limited_app(LIMIT_POST="1 per minute")
    person = make_member(app, "HastyWren31")
    thread_id = start_thread(person.client)
    assert send(person.client, f"/t/{thread_id}/reply", {"body": "first"}).status_code == 302
    fast = send(person.client, f"/t/{thread_id}/reply", {"body": "second, too soon"})
    assert fast.status_code == 429
    assert [d.body for d in drafts_of(app, person.handle)] == ["second, too soon"]


def test_a_muted_member_keeps_what_they_wrote_as_a_draft(app, member):
    thread_id = start_thread(member.client)
    with app.app_context():
        db.session.execute(update(Member).where(Member.handle == member.handle)
                           .values(muted_until=utcnow() + timedelta(hours=1)))
        db.session.commit()
    refused = send(member.client, f"/t/{thread_id}/reply", {"body": "written just as the pause began"})
    assert refused.status_code == 403 and "kept as a draft" in text(refused)
    assert [d.body for d in drafts_of(app, member.handle)] == ["written just as the pause began"]
    assert autosave(member, f"/t/{thread_id}/draft", body="still writing").status_code == 200


def test_discarding_a_draft_with_and_without_javascript(app, member):
    thread_id = start_thread(member.client)
    autosave(member, f"/t/{thread_id}/draft", body="not sure about this")
    gone = send(member.client, f"/t/{thread_id}/draft/discard", {"body": "not sure about this"})
    assert gone.status_code == 302 and gone.location.endswith(f"/t/{thread_id}/reply")
    assert drafts_of(app, member.handle) == []
    autosave(member, "/b/anxiety/draft", body="a thought")
    assert send(member.client, "/b/anxiety/draft/discard", {}, headers=JSON).get_json() == {"discarded": True}
    assert drafts_of(app, member.handle) == []
    # Emptying the form is discarding too.
    autosave(member, "/b/anxiety/draft", body="again")
    assert autosave(member, "/b/anxiety/draft", body="  ").get_json() == {"saved": False}
    assert drafts_of(app, member.handle) == []


def test_drafts_are_limited_like_posts_with_words_not_a_500(app, member):
    thread_id = start_thread(member.client)
    too_long = autosave(member, f"/t/{thread_id}/draft", body="x" * 20_001)
    assert too_long.status_code == 400 and "20,000 characters" in too_long.get_json()["error"]
    nul = autosave(member, f"/t/{thread_id}/draft", body="a\x00b")
    assert nul.status_code == 400 and "control characters" in nul.get_json()["error"]
    assert autosave(member, "/t/999999/draft", body="x").status_code == 404
    assert drafts_of(app, member.handle) == []
    assert app.test_client().post(f"/t/{thread_id}/draft", data={"body": "x"}).status_code == 400  # no CSRF


def test_drafts_are_rate_limited(limited_app):
    app = limited_app(LIMIT_DRAFT="2 per minute")
    person = make_member(app, "ChattyLark88")
    assert autosave(person, "/b/anxiety/draft", body="one").status_code == 200
    assert autosave(person, "/b/anxiety/draft", body="two").status_code == 200
    slow = autosave(person, "/b/anxiety/draft", body="three")
    assert slow.status_code == 429 and "try again" in slow.get_json()["error"]
    assert [d.body for d in drafts_of(app, person.handle)] == ["two"]


def test_drafts_are_never_screened_into_flags(app, member):
    thread_id = start_thread(member.client)
    autosave(member, f"/t/{thread_id}/draft", body="I have a plan to end my life tonight")
    autosave(member, "/b/anxiety/draft", title="goodbye", body="I have a plan to end my life tonight")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 0
