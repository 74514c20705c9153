"""Helpers for moderation tests: texts that screen at each level, training, duty."""
from datetime import date, timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, utcnow
from helpers import send
from moderation.admin import set_training
from moderation.models import ModeratorProfile

HIGH = "I want to kill myself"
IMMINENT = "I want to kill myself tonight, I have the pills ready"
METHOD = "how many of my pills would it take to overdose, I have 40 of them"
ELEVATED = "I feel like such a burden to everyone"


def train(app, handle, role="moderator", valid_days=365, trained_days_ago=30):
    """Give a member a role and a training record (valid_days < 0: already expired)."""
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        today = date.today()
        set_training(member, role, today - timedelta(days=trained_days_ago), today + timedelta(days=valid_days), None)
        db.session.commit()


def go_on_duty(app, handle):
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == handle))
        db.session.get(ModeratorProfile, member.id).on_duty_since = utcnow()
        db.session.commit()


def post_thread(person, body, title="Tonight", board="depression", **extra):
    response = send(person.client, f"/b/{board}/new", {"title": title, "body": body, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])
