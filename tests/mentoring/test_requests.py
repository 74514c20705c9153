"""Asking for a mentor and the request's way to a match: choosing, offers, accepting (the
pair and its private room), declining, the sweeper's re-offers and escalation, the under-18
rule, one open request, bad input, and the member's export and deletion."""
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.mentoring import requests
from forum.models import Member, MentoringPair, MentoringRequest, Notification, Room, utcnow
from moderation.models import AuditEntry
from moderation.routing import sweep
from tests.helpers import make_member, send, text
from tests.mentoring.mentor_fixtures import add_mentors


def _grant(app, person, topics=("alcohol",), cap=3):
    from forum.mentoring import mentors

    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == person.handle))
        record = mentors.grant(member, utcnow().date() - timedelta(days=3), utcnow().date() + timedelta(days=300), None,
                               cap)
        record.topics, record.languages, record.availability = list(topics), ["en"], {"wed": ["evening"]}
        db.session.commit()
        return member.id


def _ask(person, topics=("alcohol",), note="Early days, and evenings are hard.", adult="yes"):
    return send(person.client, "/mentoring/ask", {"topics": list(topics), "language": "en", "note": note,
                                                   "adult": adult})


def _request_of(app, handle):
    with app.app_context():
        return db.session.scalar(select(MentoringRequest).join(Member, Member.id == MentoringRequest.member_id)
                                 .where(Member.handle == handle).order_by(MentoringRequest.id.desc()))


def _offered_by_lantern(app, member, *mentor_handles):
    """These mentors exist, `member` asks and lets Lantern choose: (mentors' ids by handle,
    the request as first offered)."""
    with app.app_context():
        ids = add_mentors([{"handle": handle} for handle in mentor_handles])
        db.session.commit()
    _ask(member)
    asked = _request_of(app, member.handle)
    send(member.client, f"/mentoring/requests/{asked.id}/choose", {"mentor": "lantern"})
    return ids, asked


def test_a_member_asks_chooses_a_mentor_who_accepts_and_both_have_the_room(app, member, other):
    mentor_id = _grant(app, other, topics=("alcohol", "grief"))
    response = _ask(member)
    assert response.status_code == 302 and "/choose" in response.location
    page = text(member.client.get(response.location))
    assert other.handle in page and "Topics you share: Alcohol" in page and "Let Lantern choose" in page
    asked = _request_of(app, member.handle)
    assert send(member.client, f"/mentoring/requests/{asked.id}/choose", {"mentor": str(mentor_id)}).status_code == 302
    assert "It's with a mentor now" in text(member.client.get("/mentoring"))
    offers = text(other.client.get("/mentoring/offers"))
    assert member.handle in offers and "Early days, and evenings are hard." in offers
    with app.app_context():
        told = db.session.scalar(select(Notification).where(Notification.member_id == mentor_id))
        assert told.kind == "mentoring" and "alcohol" in told.text
    accepted = send(other.client, f"/mentoring/requests/{asked.id}/accept")
    assert accepted.status_code == 302 and accepted.location.startswith("/chat/mentoring-")
    with app.app_context():
        pair = db.session.scalar(select(MentoringPair))
        room = db.session.get(Room, pair.room_id)
        mentee = db.session.scalar(select(Member).where(Member.handle == member.handle))
        assert (pair.mentor_id, pair.mentee_id, room.kind, room.member_id) == (mentor_id, mentee.id, "mentoring",
                                                                                 mentee.id)
        assert room.title == f"Mentoring: {member.handle} and {other.handle}"
        assert db.session.get(MentoringRequest, asked.id).status == "matched"
        news = db.session.scalar(select(Notification).where(Notification.member_id == mentee.id))
    # The mentee's notification opens the room.
    opened = member.client.get(f"/notifications/{news.id}/open")
    assert opened.location == accepted.location
    assert accepted.location in member.client.get("/mentoring").get_data(as_text=True)
    # ... and the mentor finds the room, and the pair's page, on their own mentoring page.
    mine = other.client.get("/mentoring").get_data(as_text=True).split('id="my-mentees"', 1)[1]
    assert member.handle in mine and accepted.location in mine and f"/mentoring/pairs/{pair.id}" in mine


def test_declining_offers_it_to_the_next_and_never_back(app, member):
    ids, asked = _offered_by_lantern(app, member, "FirstMentor", "SecondMentor")
    with app.app_context():
        first = db.session.get(MentoringRequest, asked.id).offered_to_id
        requests.decline(asked.id, db.session.get(Member, first))
        second = db.session.get(MentoringRequest, asked.id)
        assert second.offered_to_id in ids.values() and second.offered_to_id != first
        assert first in second.declined_by
        requests.decline(asked.id, db.session.get(Member, second.offered_to_id))
        db.session.commit()
        # Nobody left: it goes to moderators, and stays open in the queue.
        assert db.session.get(MentoringRequest, asked.id).status == "escalated"


def test_the_sweeper_reoffers_an_unanswered_offer_then_escalates_to_moderators(app, member, moderator):
    _, asked = _offered_by_lantern(app, member, "SlowMentor", "SlowerMentor")
    with app.app_context():
        first = db.session.get(MentoringRequest, asked.id).offered_to_id
        assert sweep()["mentoring re-offered"] == 0  # not yet past its time
        later = utcnow() + timedelta(minutes=31)
        assert sweep(later)["mentoring re-offered"] == 1
        db.session.commit()
        moved = db.session.get(MentoringRequest, asked.id)
        assert moved.offered_to_id != first and moved.status == "offered"
        done = sweep(utcnow() + timedelta(minutes=241))
        db.session.commit()
        assert done["mentoring escalated"] == 1
        assert db.session.get(MentoringRequest, asked.id).status == "escalated"
        assert sweep(utcnow() + timedelta(minutes=242))["mentoring escalated"] == 0  # once
        mod = db.session.scalar(select(Member).where(Member.handle == moderator.handle))
        assert db.session.scalar(select(Notification).where(Notification.member_id == mod.id,
                                                            Notification.kind == "mentoring"))
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "mentoring request escalated"))
    assert "moderators asked to help" in text(moderator.client.get("/mentoring/queue"))


def test_under_18_is_never_matched_one_to_one(app, member, other):
    _grant(app, other)
    page = _ask(member, adult="no")
    assert page.status_code == 200 and "One-to-one mentoring is for members 18 and over" in text(page)
    assert "Help lines" in text(page)
    assert _request_of(app, member.handle) is None
    again = member.client.get("/mentoring/ask")
    assert "Support for you" in text(again)
    with app.app_context():
        person = db.session.scalar(select(Member).where(Member.handle == member.handle))
        assert person.stated_under_18 is True
        try:
            requests.ask(person, ["alcohol"], "en", "")
        except requests.Refused:
            pass
        else:
            raise AssertionError("a member under 18 could open a request")


def test_one_open_request_and_bad_input_is_refused_with_words(app, member):
    cases = [({"topics": [], "language": "en", "adult": "yes"}, "Please choose at least one thing"),
             ({"topics": ["alcohol"], "language": "xx", "adult": "yes"}, "Not a valid choice"),
             ({"topics": ["tarot"], "language": "en", "adult": "yes"}, "not a valid choice"),
             ({"topics": ["alcohol"], "language": "en"}, "Please tell us whether you're 18 or over."),
             ({"topics": ["alcohol"], "language": "en", "adult": "yes", "note": "x" * 501}, "under 500 characters")]
    for data, words in cases:
        response = send(member.client, "/mentoring/ask", data)
        assert response.status_code == 400 and words.lower() in text(response).lower(), (data, text(response)[:200])
    assert _request_of(app, member.handle) is None
    assert _ask(member).status_code == 302
    second = _ask(member)
    assert second.status_code == 302 and "/choose" in second.location
    with app.app_context():
        assert db.session.scalar(select(MentoringRequest.id).where(MentoringRequest.status == "waiting")) is not None
        assert len(db.session.scalars(select(MentoringRequest)).all()) == 1
    assert send(member.client, "/mentoring/requests/999999/choose", {"mentor": "lantern"}).status_code == 404
    asked = _request_of(app, member.handle)
    assert send(member.client, f"/mentoring/requests/{asked.id}/choose", {"mentor": "nobody"}).status_code == 400


def test_asking_is_rate_limited(make_app):
    from forum.seed import seed_boards

    app = make_app(LIMIT_MENTORING="2 per minute")
    with app.app_context():
        seed_boards()
        db.session.commit()
    person = make_member(app, "HastyHeron33")
    _ask(person)
    asked = _request_of(app, person.handle)
    send(person.client, f"/mentoring/requests/{asked.id}/withdraw")
    response = _ask(person)
    assert response.status_code == 429 and "Please wait" in text(response)


def test_export_has_requests_and_mentor_profile_and_deletion_ends_pairs(app, member, other):
    mentor_id = _grant(app, other)
    _ask(member, note="My own words")
    asked = _request_of(app, member.handle)
    send(member.client, f"/mentoring/requests/{asked.id}/choose", {"mentor": str(mentor_id)})
    send(other.client, f"/mentoring/requests/{asked.id}/accept")
    from forum.accounts import service as accounts
    with app.app_context():
        mine = accounts.export(db.session.scalar(select(Member).where(Member.handle == member.handle)))
        theirs = accounts.export(db.session.get(Member, mentor_id))
        assert mine["mentoring_requests"][0]["note"] == "My own words" and mine["mentor_profile"] is None
        assert theirs["mentor_profile"]["topics"] == ["alcohol"]
        accounts.delete_account(db.session.get(Member, mentor_id), remove_posts=False)
        db.session.commit()
        pair = db.session.scalar(select(MentoringPair))
        assert pair.ended_at is not None and pair.end_reason == "account_closed"
        from forum.models import MentorProfile
        assert db.session.get(MentorProfile, mentor_id) is None
        accounts.delete_account(db.session.scalar(select(Member).where(Member.id == pair.mentee_id)),
                                remove_posts=False)
        db.session.commit()
        assert db.session.scalars(select(MentoringRequest)).all() == []


def test_moderators_only_see_the_queue_without_notes_or_handles(app, member, other, moderator):
    _ask(member, note="Something private")
    page = text(moderator.client.get("/mentoring/queue"))
    assert "Alcohol" in page and "Something private" not in page and member.handle not in page
    assert other.client.get("/mentoring/queue").status_code == 403
