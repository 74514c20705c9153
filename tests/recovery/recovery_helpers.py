"""Helpers for the recovery space's tests: a check-in, a goal, a milestone, sent through
the real forms, and a member's rows read back."""
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import Goal, Member, Milestone
from forum.recovery.checkins import today
from tests.helpers import send

CALM = "Walked the dog, rang my mum, early night"
CRISIS = "I keep thinking about killing myself, I can't do this any more"


def check_in(person, mood="4", note="", tags=()):
    return send(person.client, "/recovery", {"mood": mood, "note": note, "tags": list(tags)})


def add_goal(person, title, steps=()):
    response = send(person.client, "/recovery/goals", {"title": title, "steps": "\n".join(steps)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("#goal-", 1)[1])


def add_milestone(person, title, days_ago=0):
    since = (today() - timedelta(days=days_ago)).isoformat()
    response = send(person.client, "/recovery/milestones", {"title": title, "since": since})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("#milestone-", 1)[1])


def member_id(app, handle):
    with app.app_context():
        return db.session.scalar(select(Member.id).where(Member.handle == handle))


def goal_steps(app, goal_id):
    """[(step id, text, done?)] of the goal."""
    with app.app_context():
        goal = db.session.get(Goal, goal_id)
        return [(s.id, s.text, s.done_at is not None) for s in goal.steps]


def milestone(app, milestone_id):
    with app.app_context():
        row = db.session.get(Milestone, milestone_id)
        db.session.expunge(row)
        return row
