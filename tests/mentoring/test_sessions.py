"""Sessions the pair starts and ends; the mentee's private "helpful / not for me", never
shown to the mentor; the goals summary only the mentee edits, copied to their recovery
goals if they like."""
from sqlalchemy import select

from forum.extensions import db
from forum.models import Goal, MentoringPair, MentoringSession
from tests.helpers import send, text
from tests.mentoring.care_helpers import make_mentor, make_pair


def _sessions(app):
    with app.app_context():
        return db.session.execute(select(MentoringSession.started_at, MentoringSession.ended_at,
                                         MentoringSession.fit)).all()


def test_either_side_starts_and_ends_a_session_and_a_double_start_is_one(app, member, other):
    make_mentor(app, member)
    pair_id, _ = make_pair(app, member, other)
    send(member.client, f"/mentoring/pairs/{pair_id}/session/start")
    send(other.client, f"/mentoring/pairs/{pair_id}/session/start")  # both at once: still one session
    assert len(_sessions(app)) == 1
    assert "A session is going on" in text(other.client.get(f"/mentoring/pairs/{pair_id}"))
    send(other.client, f"/mentoring/pairs/{pair_id}/session/end")
    (_started, ended, fit), = _sessions(app)
    assert ended is not None and fit is None


def test_only_the_mentee_rates_and_the_mentor_never_sees_it(app, member, other):
    make_mentor(app, member)
    pair_id, _ = make_pair(app, member, other)
    send(member.client, f"/mentoring/pairs/{pair_id}/session/start")
    send(member.client, f"/mentoring/pairs/{pair_id}/session/end")
    assert "How was that session for you?" not in text(member.client.get(f"/mentoring/pairs/{pair_id}"))
    page = text(other.client.get(f"/mentoring/pairs/{pair_id}"))
    assert "How was that session for you?" in page and "your mentor never sees this" in page
    with app.app_context():
        session_id = db.session.scalar(select(MentoringSession.id))
    refused = send(member.client, f"/mentoring/pairs/{pair_id}/sessions/{session_id}/fit", {"fit": "helpful"})
    assert refused.status_code == 400 and "Only the person being mentored rates a session" in text(refused)
    bad = send(other.client, f"/mentoring/pairs/{pair_id}/sessions/{session_id}/fit", {"fit": "great"})
    assert bad.status_code == 400 and "Not a valid choice" in text(bad)
    send(other.client, f"/mentoring/pairs/{pair_id}/sessions/{session_id}/fit", {"fit": "not_for_me"})
    assert _sessions(app)[0].fit == "not_for_me"
    assert "you said: Not for me" in text(other.client.get(f"/mentoring/pairs/{pair_id}"))
    mentor_page = text(member.client.get(f"/mentoring/pairs/{pair_id}"))
    assert "Not for me" not in mentor_page and "not_for_me" not in mentor_page


def test_the_goals_summary_is_the_mentee_s_and_copies_to_their_recovery_goals(app, member, other):
    make_mentor(app, member)
    pair_id, _ = make_pair(app, member, other)
    send(other.client, f"/mentoring/pairs/{pair_id}/goals", {"summary": "- Walk every morning\n\n- Ring my sister on Sundays"})
    assert "Ring my sister on Sundays" in text(member.client.get(f"/mentoring/pairs/{pair_id}"))
    refused = send(member.client, f"/mentoring/pairs/{pair_id}/goals", {"summary": "Something else"})
    assert refused.status_code == 403
    too_long = send(other.client, f"/mentoring/pairs/{pair_id}/goals", {"summary": "x" * 2001})
    assert too_long.status_code == 400 and "Please keep it under 2,000 characters" in text(too_long)
    with app.app_context():
        assert db.session.get(MentoringPair, pair_id).goals_summary.startswith("- Walk every morning")
    send(other.client, f"/mentoring/pairs/{pair_id}/goals/copy")
    with app.app_context():
        goal = db.session.scalars(select(Goal)).one()
        assert goal.title == "What I'm working on with my mentor"
        assert [step.text for step in goal.steps] == ["Walk every morning", "Ring my sister on Sundays"]
    assert send(member.client, f"/mentoring/pairs/{pair_id}/goals/copy").status_code == 409
    assert "Ring my sister on Sundays" in text(other.client.get("/recovery/goals"))


def test_no_session_starts_once_the_mentoring_ended(app, member, other):
    make_mentor(app, member)
    pair_id, _ = make_pair(app, member, other)
    send(other.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "goals_met"})
    refused = send(member.client, f"/mentoring/pairs/{pair_id}/session/start")
    assert refused.status_code == 409 and "This mentoring has ended" in text(refused)
    assert _sessions(app) == []
