"""Mentors and pairs made straight in the tables (matching and the room's access rules
are other parts' work), for the tests of a pair's life, hand-off and supervision."""
import secrets
from datetime import date, timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, MentoringPair, MentorProfile, Room


def member_id(handle):
    return db.session.scalar(select(Member.id).where(Member.handle == handle))


def make_mentor(app, mentor, supervisor=None, cap=3):
    with app.app_context():
        today = date.today()
        db.session.add(MentorProfile(member_id=member_id(mentor.handle), trained_on=today - timedelta(days=10),
                                     training_expires=today + timedelta(days=300), topics=["alcohol"],
                                     languages=["en"], availability={}, cap=cap,
                                     supervisor_id=member_id(supervisor.handle) if supervisor else None))
        db.session.commit()


def make_pair(app, mentor, mentee, **pair):
    """A pair with its private room: (pair id, room id)."""
    with app.app_context():
        room = Room(slug=f"mentoring-{secrets.token_hex(6)}", title="Mentoring", kind="mentoring",
                    member_id=member_id(mentee.handle))
        row = MentoringPair(mentor_id=member_id(mentor.handle), mentee_id=member_id(mentee.handle), room=room, **pair)
        db.session.add(row)
        db.session.commit()
        return row.id, room.id


def say_in_room(app, person, room_id, body):
    """`person` sends `body` into the room over an in-process Socket.IO client (chat's own path)."""
    from forum.extensions import socketio

    client = socketio.test_client(app, flask_test_client=person.client)
    assert client.emit("join", {"room_id": room_id}, callback=True)["ok"]
    answer = client.emit("send", {"room_id": room_id, "client_id": secrets.token_hex(8), "body": body}, callback=True)
    assert answer["ok"], answer
    client.disconnect()
    return answer
