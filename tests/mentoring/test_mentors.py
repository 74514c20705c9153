"""Peer mentors: admins grant and remove the role with a training record (page and command,
audited); a mentor chooses topics, languages, a weekly grid and a line; pausing; an expired
or removed mentor takes no request."""
from datetime import date, timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.mentoring import matching, mentors
from forum.models import Member, MentoringRequest, MentorProfile
from moderation.models import AuditEntry
from tests.helpers import send, text, train
from tests.mentoring.mentor_fixtures import add_members, request_for


def _profile(app, handle):
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        return db.session.get(MentorProfile, member.id)


def _grant_form(admin, handle, expires=None, cap="3"):
    return send(admin.client, "/mentoring/admin/grant", {
        "handle": handle, "trained_on": date.today().isoformat(),
        "training_expires": (expires or date.today() + timedelta(days=180)).isoformat(), "cap": cap})


def test_an_admin_grants_the_role_on_the_page_and_it_is_audited(app, member, other):
    train(app, other.handle, role="admin")
    assert member.client.get("/mentoring/admin").status_code == 403
    assert _grant_form(other, member.handle).status_code == 302
    assert _profile(app, member.handle).trained(date.today())
    assert member.handle in text(other.client.get("/mentoring/admin"))
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "set mentor training"))
    for data, words in [({"handle": "NoSuchMember"}, "There's no member with that handle."),
                        ({"handle": member.handle, "expires": date.today() - timedelta(days=1)}, "can't end before the training"),
                        ({"handle": member.handle, "cap": "0"}, "A cap is a whole number from 1 to 10.")]:
        response = _grant_form(other, data["handle"], data.get("expires"), data.get("cap", "3"))
        assert response.status_code == 400 and words in text(response)
    # A supervisor is a moderator.
    bad = send(other.client, "/mentoring/admin/supervisor", {"supervise-handle": member.handle,
                                                              "supervise-supervisor": member.handle})
    assert bad.status_code == 400 and "A supervisor is a moderator" in text(bad)
    assert send(other.client, "/mentoring/admin/supervisor", {"supervise-handle": member.handle,
                                                              "supervise-supervisor": other.handle}).status_code == 302
    assert other.handle in text(other.client.get("/mentoring/admin"))
    assert send(other.client, "/mentoring/admin/remove", {"remove-handle": member.handle}).status_code == 302
    assert not _profile(app, member.handle).trained(date.today())
    assert "isn't current" in text(member.client.get("/mentoring/settings")) or \
        "expired" in text(member.client.get("/mentoring/settings"))


def test_the_command_grants_and_removes(app, member):
    runner = app.test_cli_runner()
    until = (date.today() + timedelta(days=90)).isoformat()
    result = runner.invoke(args=["mentoring", "train", member.handle, "--until", until, "--cap", "2"])
    assert result.exit_code == 0, result.output
    assert _profile(app, member.handle).cap == 2
    past = runner.invoke(args=["mentoring", "train", member.handle, "--until", "2020-01-01"])
    assert past.exit_code != 0 and "already passed" in past.output
    assert runner.invoke(args=["mentoring", "train", "NoSuchMember", "--until", until]).exit_code != 0
    assert runner.invoke(args=["mentoring", "remove", member.handle]).exit_code == 0
    assert not _profile(app, member.handle).trained(date.today())


def test_a_mentor_saves_settings_and_pauses(app, member):
    app.test_cli_runner().invoke(args=["mentoring", "train", member.handle, "--until",
                                       (date.today() + timedelta(days=90)).isoformat()])
    saved = send(member.client, "/mentoring/settings", {"topics": ["gambling", "grief"], "languages": ["en", "cy"],
                                                        "availability": ["mon-evening", "sat-morning"],
                                                        "intro": "Eight years without gambling."})
    assert saved.status_code == 302
    record = _profile(app, member.handle)
    assert (record.topics, record.languages, record.availability) == (
        ["gambling", "grief"], ["en", "cy"], {"mon": ["evening"], "sat": ["morning"]})
    page = text(member.client.get("/mentoring/settings"))
    assert "Eight years without gambling." in page and "You're taking requests: 0 of 3" in page
    bad = send(member.client, "/mentoring/settings", {"topics": ["gambling"], "languages": [],
                                                      "availability": ["moon-evening"]})
    assert bad.status_code == 400 and "Please choose at least one language." in text(bad)
    assert send(member.client, "/mentoring/settings/pause").status_code == 302
    assert "You've paused mentoring" in text(member.client.get("/mentoring/settings"))
    with app.app_context():
        asker = add_members(["PausedAsker"])["PausedAsker"]
        assert matching.candidates(request_for(asker, topics=["gambling"])) == []
        db.session.rollback()
    send(member.client, "/mentoring/settings/pause", {"resume": "1"})
    assert _profile(app, member.handle).paused_at is None


def test_a_mentor_who_has_not_said_when_they_are_around_is_told_and_takes_no_request(app, member, other):
    app.test_cli_runner().invoke(args=["mentoring", "train", other.handle, "--until",
                                       (date.today() + timedelta(days=90)).isoformat()])
    send(other.client, "/mentoring/settings", {"topics": ["alcohol"], "languages": ["en"]})
    waiting = "No requests come to you until you tick when you're usually around"
    assert waiting in text(other.client.get("/mentoring/settings"))
    send(member.client, "/mentoring/ask", {"topics": ["alcohol"], "language": "en", "adult": "yes"})
    with app.app_context():
        asked = db.session.scalar(select(MentoringRequest))
        assert matching.candidates(asked) == []
    taken = send(other.client, f"/mentoring/requests/{asked.id}/accept")  # not even from the queue
    assert taken.status_code == 409 and waiting in text(taken)
    send(other.client, "/mentoring/settings", {"topics": ["alcohol"], "languages": ["en"],
                                               "availability": ["thu-afternoon"]})
    page = text(other.client.get("/mentoring/settings"))
    assert waiting not in page and "You're taking requests: 0 of 3" in page
    with app.app_context():
        assert [c.handle for c in matching.candidates(db.session.get(MentoringRequest, asked.id))] == [other.handle]


def test_an_expired_mentor_is_not_offered_and_cannot_take_a_request(app, member, other):
    with app.app_context():
        person = db.session.scalar(select(Member).where(Member.handle == other.handle))
        mentors.grant(person, date.today() - timedelta(days=400), date.today() - timedelta(days=1), None)
        db.session.get(MentorProfile, person.id).topics = ["alcohol"]
        db.session.get(MentorProfile, person.id).languages = ["en"]
        db.session.get(MentorProfile, person.id).availability = {"mon": ["evening"]}  # only expiry stops them
        db.session.commit()
    send(member.client, "/mentoring/ask", {"topics": ["alcohol"], "language": "en", "adult": "yes"})
    with app.app_context():
        asked = db.session.scalar(select(MentoringRequest))
        assert matching.candidates(asked) == []
    taken = send(other.client, f"/mentoring/requests/{asked.id}/accept")
    assert taken.status_code == 409 and "expired" in text(taken)
    assert "expired" in text(other.client.get("/mentoring/offers"))


def test_the_header_links_mentoring_pages_only_for_those_who_can_use_them(app, member, other):
    def header(person):
        page = person.client.get("/").get_data(as_text=True)
        return page.split('<nav aria-label="Main">', 1)[1].split("</nav>", 1)[0]

    assert "/mentoring" not in header(member) and "/mentoring" not in header(other)
    until = (date.today() + timedelta(days=90)).isoformat()
    app.test_cli_runner().invoke(args=["mentoring", "train", member.handle, "--until", until])
    assert 'href="/mentoring">Mentoring<' in header(member) and "Supervision" not in header(member)
    train(app, other.handle, role="moderator")
    assert "/mentoring" not in header(other)  # a moderator supervising nobody has nothing to see there
    with app.app_context():
        mentor_id = db.session.scalar(select(Member.id).where(Member.handle == member.handle))
        record = db.session.get(MentorProfile, mentor_id)
        record.supervisor_id = db.session.scalar(select(Member.id).where(Member.handle == other.handle))
        db.session.commit()
    assert 'href="/mentoring/supervision">Supervision<' in header(other) and "Mentoring<" not in header(other)
    app.test_cli_runner().invoke(args=["mentoring", "remove", member.handle])
    assert "/mentoring" not in header(member)  # a lapsed mentor is offered nothing, so is linked nothing
