"""Ending a mentoring: either side, any time, no reason needed (a reason is a choice), an
optional block through the filters' own Block; only the pair sees their page; the export
holds what is the member's own and deletion ends their pairings (a mentee's conversations
go with them; a mentor's words go when they choose to remove what they wrote)."""
import json
from datetime import date

from sqlalchemy import select

from forum.extensions import db
from forum.models import Block, MentorCheckIn, MentoringPair, MentoringSession, Message, Room
from tests.helpers import make_member, send, text
from tests.mentoring.care_helpers import make_mentor, make_pair, member_id, say_in_room


def _pair(app, pair_id):
    with app.app_context():
        pair = db.session.get(MentoringPair, pair_id)
        db.session.expunge(pair)
        return pair


def test_only_the_pair_sees_their_page_anyone_else_gets_404(app, member, other, moderator):
    make_mentor(app, member)
    pair_id, _ = make_pair(app, member, other)
    assert member.client.get(f"/mentoring/pairs/{pair_id}").status_code == 200
    assert other.client.get(f"/mentoring/pairs/{pair_id}").status_code == 200
    stranger = make_member(app, "CuriousLark70")
    for person in (stranger, moderator):
        assert person.client.get(f"/mentoring/pairs/{pair_id}").status_code == 404
        assert send(person.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "no_reason"}).status_code == 404
    assert member.client.get(f"/mentoring/pairs/{pair_id}").headers["Cache-Control"] == "no-store"
    assert _pair(app, pair_id).ended_at is None


def test_the_mentee_ends_it_without_a_reason_and_the_room_closes(app, member, other):
    make_mentor(app, member)
    pair_id, room_id = make_pair(app, member, other)
    send(other.client, f"/mentoring/pairs/{pair_id}/session/start")
    page = text(other.client.get(f"/mentoring/pairs/{pair_id}"))
    assert "without giving a reason" in page and "I'd rather not say" in page
    assert "The mentor needed to step back" not in page  # a mentor's reason, not the mentee's
    response = send(other.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "no_reason"}, follow_redirects=True)
    assert "The mentoring has ended" in text(response)
    pair = _pair(app, pair_id)
    assert pair.ended_by_id is not None and pair.end_reason == "no_reason"
    with app.app_context():
        assert db.session.get(Room, room_id).archived_at is not None
        assert db.session.scalar(select(MentoringSession.ended_at)) is not None  # the session ended with it
    again = send(member.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "goals_met"})  # too late: no change
    assert again.status_code == 302 and _pair(app, pair_id).end_reason == "no_reason"


def test_the_mentor_ends_it_with_a_reason_and_blocks(app, member, other):
    make_mentor(app, member)
    pair_id, _ = make_pair(app, member, other)
    response = send(member.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "mentor_capacity", "block": "y"},
                    follow_redirects=True)
    assert f"You've blocked {other.handle}" in text(response)
    assert _pair(app, pair_id).end_reason == "mentor_capacity"
    with app.app_context():
        assert db.session.get(Block, (member_id(member.handle), member_id(other.handle))) is not None
    assert other.handle in text(member.client.get("/filters"))  # undone where every block is


def test_a_reason_that_isn_t_theirs_to_choose_is_a_400_in_words(app, member, other):
    make_mentor(app, member)
    pair_id, _ = make_pair(app, member, other)
    response = send(other.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "mentor_capacity"})
    assert response.status_code == 400 and "Not a valid choice" in text(response)
    assert _pair(app, pair_id).ended_at is None


def test_the_export_holds_the_member_s_own_and_deletion_ends_their_pairings(app, member, other):
    make_mentor(app, member)
    pair_id, room_id = make_pair(app, member, other, goals_summary="Walk every morning\nCall my brother")
    send(other.client, f"/mentoring/pairs/{pair_id}/session/start")
    send(other.client, f"/mentoring/pairs/{pair_id}/session/end")
    with app.app_context():
        session_id = db.session.scalar(select(MentoringSession.id))
        db.session.add(MentorCheckIn(mentor_id=member_id(member.handle), week=date(2026, 11, 23),
                                     feeling=2, note="tired this week"))
        db.session.commit()
    send(other.client, f"/mentoring/pairs/{pair_id}/sessions/{session_id}/fit", {"fit": "helpful"})
    mine = json.loads(other.client.get("/account/export.json").get_data(as_text=True))["mentoring"]
    assert mine["pairs"][0]["as"] == "mentee" and mine["pairs"][0]["goals_summary"].startswith("Walk every morning")
    assert mine["pairs"][0]["sessions"][0]["your_rating"] == "helpful"
    theirs = json.loads(member.client.get("/account/export.json").get_data(as_text=True))["mentoring"]
    assert theirs["pairs"][0]["as"] == "mentor" and theirs["pairs"][0]["goals_summary"] is None
    assert "your_rating" not in theirs["pairs"][0]["sessions"][0]  # the mentee's, never the mentor's
    assert theirs["wellbeing_check_ins"][0]["note"] == "tired this week"

    send(other.client, "/account/delete", {"passphrase": "a calm river at dusk", "posts": "keep"})
    pair = _pair(app, pair_id)
    assert pair.end_reason == "account_closed" and pair.goals_summary == ""
    with app.app_context():
        assert db.session.scalar(select(MentoringSession.fit)) is None
        assert db.session.get(Room, room_id).archived_at is not None
    send(member.client, "/account/delete", {"passphrase": "a calm river at dusk", "posts": "keep"})
    with app.app_context():
        assert db.session.scalar(select(MentorCheckIn.id)) is None


def _words(app, room_id):
    """{body: removed?} of every message stored in the room, by what it said."""
    with app.app_context():
        return [(m.body_md, m.removed_at is not None)
                for m in db.session.scalars(select(Message).where(Message.room_id == room_id).order_by(Message.id))]


def _talk_then_close(app, mentor, mentee, closing, posts, lines):
    """The mentee then the mentor say `lines`; `closing` (one of them) deletes their account,
    keeping or removing what they wrote (`posts`). The room's id."""
    make_mentor(app, mentor)
    _, room_id = make_pair(app, mentor, mentee)
    for person, line in zip((mentee, mentor), lines):
        say_in_room(app, person, room_id, line)
    send(closing.client, "/account/delete", {"passphrase": "a calm river at dusk", "posts": posts})
    return room_id


def test_the_mentee_closing_their_account_takes_the_whole_conversation_with_it(app, member, other):
    room_id = _talk_then_close(app, member, other, other, "keep", (
        "I keep thinking about the night I left home", "That took courage. What helped you that week?"))
    # Their own conversation, both sides: nobody may read the room once its pair has ended.
    assert _words(app, room_id) == [("", True), ("", True)]


def test_the_mentor_closing_leaves_the_mentee_their_conversation_unless_they_remove_their_words(app, member, other):
    from forum.chat import messages
    from forum.extensions import socketio

    room_id = _talk_then_close(app, member, other, member, "remove", (
        "Day nine without a drink", "Nine days is real. I remember mine."))
    assert _words(app, room_id) == [("Day nine without a drink", False), ("", True)]
    # The mentee still reads their side; the mentor's words are gone from the room.
    client = socketio.test_client(app, flask_test_client=other.client)
    shown = client.emit("join", {"room_id": room_id}, callback=True)["messages"]
    assert [m["html"] for m in shown] == ["<p>Day nine without a drink</p>\n"]
    with app.app_context():
        # A moderator's "restore" can't bring back words that left with their author.
        erased = db.session.scalar(select(Message).where(Message.body_md == ""))
        assert messages.restore(erased) is False and erased.removed_at is not None


def test_a_mentor_keeping_their_words_leaves_the_conversation_whole_for_the_mentee(app, member, other):
    lines = ("Rough evening, but I went to the meeting", "Going anyway is the hard part. Well done.")
    room_id = _talk_then_close(app, member, other, member, "keep", lines)
    assert _words(app, room_id) == [(line, False) for line in lines]
