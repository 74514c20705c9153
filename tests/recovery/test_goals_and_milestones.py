"""Goals with steps to tick and untick, a done history, and sharing a finished goal to
Wins after seeing the words; milestones that count days, celebrate the marks, and start
again gently, keeping what came before."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models import Board, Post, Thread
from forum.recovery import milestones
from tests.helpers import send, text
from tests.recovery.recovery_helpers import add_goal, add_milestone, goal_steps, milestone


def _squashed(response):
    """The page's words, without tags, each run of spaces one space."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text(response)))


def test_a_goal_s_steps_are_ticked_and_unticked_and_the_goal_is_kept_when_done(app, member):
    goal_id = add_goal(member, "Call my sister this week", ["Find her number", "Pick a quiet time", "Ring"])
    steps = goal_steps(app, goal_id)
    assert [text_ for _, text_, _ in steps] == ["Find her number", "Pick a quiet time", "Ring"]
    first, second = steps[0][0], steps[1][0]
    send(member.client, f"/recovery/goals/{goal_id}/steps/{first}", {"done": "1"})
    send(member.client, f"/recovery/goals/{goal_id}/steps/{second}", {"done": "1"})
    send(member.client, f"/recovery/goals/{goal_id}/steps/{second}", {"done": "0"})
    assert [done for _, _, done in goal_steps(app, goal_id)] == [True, False, False]
    send(member.client, f"/recovery/goals/{goal_id}/steps", {"text": "Say hello from me to the kids"})
    assert goal_steps(app, goal_id)[-1][1] == "Say hello from me to the kids"
    page = _squashed(member.client.get("/recovery/goals"))
    assert "1 of 4 steps done" in page
    send(member.client, f"/recovery/goals/{goal_id}/done", {"done": "1"})
    page = text(member.client.get("/recovery/goals"))
    done = page[page.index('id="done-heading"'):]
    assert "Call my sister this week" in done and "Done on" in done


def test_a_finished_goal_is_shared_to_wins_once_with_the_words_shown_first(app, member):
    goal_id = add_goal(member, "Walk to the park twice", ["Monday", "Thursday"])
    for step_id, _, _ in goal_steps(app, goal_id):
        send(member.client, f"/recovery/goals/{goal_id}/steps/{step_id}", {"done": "1"})
    assert member.client.get(f"/recovery/goals/{goal_id}/share").status_code == 409  # not done yet
    send(member.client, f"/recovery/goals/{goal_id}/done", {"done": "1"})
    preview = text(member.client.get(f"/recovery/goals/{goal_id}/share"))
    assert "Goal done: Walk to the park twice" in preview and "<li>Thursday</li>" in preview
    assert f"as <strong>{member.handle}</strong>" in preview
    with app.app_context():
        assert db.session.scalar(select(Thread.id)) is None  # nothing posted by looking
    shared = send(member.client, f"/recovery/goals/{goal_id}/share")
    again = send(member.client, f"/recovery/goals/{goal_id}/share")  # a double click
    assert shared.location == again.location
    with app.app_context():
        thread = db.session.scalars(select(Thread)).one()
        assert db.session.get(Board, thread.board_id).slug == "wins"
        assert thread.title == "Goal done: Walk to the park twice" and thread.author.handle == member.handle
        assert "I did it: **Walk to the park twice**" in db.session.scalars(select(Post)).one().body_md
    assert "Shared to Wins: see the thread" in text(member.client.get("/recovery/goals"))


def test_a_milestone_counts_the_days_and_celebrates_a_mark(app, member):
    week = add_milestone(member, "sober", days_ago=7)
    add_milestone(member, "no gambling", days_ago=12)
    page = _squashed(member.client.get("/recovery/milestones"))
    assert "7 days today! A whole week." in page
    assert f"7 days since {milestone(app, week).since:%-d %B %Y}" in page
    assert "12 days since" in page and "12 days today" not in page


def test_starting_again_is_gentle_and_keeps_the_run(app, member):
    row_id = add_milestone(member, "self-harm free", days_ago=43)
    response = send(member.client, f"/recovery/milestones/{row_id}/again", follow_redirects=True)
    page = _squashed(response)
    assert "Starting again takes courage. Your 43 days still happened" in page
    assert "Your longest run: 43 days." in page and "43 days, until" in page
    row = milestone(app, row_id)
    assert row.longest_days == 43 and row.runs[0]["days"] == 43
    assert "failed" not in page.lower() and "relapse" not in page.lower()


def test_a_milestone_is_shared_to_wins(app, member):
    row_id = add_milestone(member, "sober", days_ago=30)
    preview = text(member.client.get(f"/recovery/milestones/{row_id}/share"))
    assert "30 days: sober" in preview
    send(member.client, f"/recovery/milestones/{row_id}/share")
    with app.app_context():
        assert db.session.scalars(select(Thread.title)).one() == "30 days: sober"


def test_milestone_dates_are_checked_kindly(app, member):
    for since, words in [("2999-01-01", "That date is still to come"), ("not a date", "Please give the date as year-month-day"),
                         ("", "Please give the date you started.")]:
        response = send(member.client, "/recovery/milestones", {"title": "sober", "since": since})
        assert response.status_code == 400 and words in text(response), since
    response = send(member.client, "/recovery/goals", {"title": "", "steps": ""})
    assert response.status_code == 400 and "Please give it a few words." in text(response)


def test_the_marks():
    assert [milestones.mark(n) for n in (0, 1, 6, 7, 29, 30, 90, 200, 364, 365, 800)] == \
        [None, 1, 1, 7, 7, 30, 90, 180, 180, 365, 730]
    assert milestones.cheer(7) == ("A whole week. Seven days of choosing this, one at a time.", True)
    assert milestones.cheer(8)[1] is False
    assert milestones.cheer(730)[0].startswith("2 years.")
