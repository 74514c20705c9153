"""A mentor and a mentee paired in a mentoring room, made directly with the models (the
matching that makes pairs in the product is forum/mentoring's own)."""
from datetime import date, timedelta

from sqlalchemy import select

from forum.chat import mentoring as mentoring_rooms
from forum.extensions import db
from forum.mentoring import pair_records
from forum.models import Member, MentoringPair, MentorProfile


def _member(handle):
    return db.session.scalar(select(Member).where(Member.handle == handle))


def make_pair(app, mentee_handle, mentor_handle):
    """Make `mentor_handle` a current mentor and pair them with `mentee_handle` in a new
    mentoring room: returns (room id, room slug, pair id)."""
    with app.app_context():
        mentee, mentor = _member(mentee_handle), _member(mentor_handle)
        if db.session.get(MentorProfile, mentor.id) is None:
            today = date.today()
            db.session.add(MentorProfile(member_id=mentor.id, trained_on=today - timedelta(days=10),
                                         training_expires=today + timedelta(days=355), topics=["alcohol"],
                                         languages=["en"], availability={"mon": ["evening"]}))
        room = mentoring_rooms.new_room(mentee)
        pair = MentoringPair(mentor_id=mentor.id, mentee_id=mentee.id, room_id=room.id)
        db.session.add(pair)
        db.session.commit()
        return room.id, room.slug, pair.id


def end_pair(app, pair_id, by_handle):
    with app.app_context():
        # The product's one way a pairing ends (it archives the room too).
        pair_records.close(db.session.get(MentoringPair, pair_id), _member(by_handle).id, "no_reason")
        db.session.commit()
