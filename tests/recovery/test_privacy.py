"""The recovery space is its member's alone: no address opens another member's, a
moderator sees no more than anyone else, nothing is cached, everything is in the export
and it all leaves with the account."""
import json

from sqlalchemy import select

from forum.extensions import db
from forum.models import CheckIn, Goal, GoalStep, Milestone
from moderation.models import Flag
from tests.helpers import PASSPHRASE, send, text
from tests.recovery.recovery_helpers import CALM, CRISIS, add_goal, add_milestone, check_in, goal_steps

SECRET_GOAL = "Tell Dr Okafor about the nights"


def test_another_member_or_a_moderator_cannot_open_or_change_someone_s_space(app, member, other, moderator):
    check_in(member, mood="2", note=CALM, tags=["urges"])
    goal_id = add_goal(member, SECRET_GOAL, ["Book the appointment"])
    step_id = goal_steps(app, goal_id)[0][0]
    row_id = add_milestone(member, "sober", days_ago=9)
    send(member.client, f"/recovery/goals/{goal_id}/done", {"done": "1"})
    for person in (other, moderator):
        for address in ("/recovery", "/recovery/goals", "/recovery/milestones"):
            page = text(person.client.get(address))
            assert CALM not in page and SECRET_GOAL not in page and "9 days" not in page
        assert person.client.get(f"/recovery/goals/{goal_id}/share").status_code == 404
        assert person.client.get(f"/recovery/milestones/{row_id}/share").status_code == 404
        for address, data in [(f"/recovery/goals/{goal_id}/steps/{step_id}", {"done": "0"}),
                              (f"/recovery/goals/{goal_id}/steps", {"text": "sneaky"}),
                              (f"/recovery/goals/{goal_id}/done", {"done": "0"}),
                              (f"/recovery/goals/{goal_id}/share", {}),
                              (f"/recovery/goals/{goal_id}/remove", {}),
                              (f"/recovery/milestones/{row_id}/again", {}),
                              (f"/recovery/milestones/{row_id}/share", {}),
                              (f"/recovery/milestones/{row_id}/remove", {})]:
            assert send(person.client, address, data).status_code == 404, address
    assert [done for _, _, done in goal_steps(app, goal_id)] == [False]
    with app.app_context():
        assert db.session.get(Milestone, row_id).runs == [] and db.session.get(Goal, goal_id).done_at is not None
    guest = app.test_client()
    assert guest.get("/recovery").status_code == 302 and "/login" in guest.get("/recovery").location


def test_no_browser_or_proxy_keeps_a_copy(app, member):
    for address in ("/recovery", "/recovery/goals", "/recovery/milestones"):
        assert member.client.get(address).headers["Cache-Control"] == "no-store"


def test_everything_is_in_the_export(app, member):
    check_in(member, mood="5", note=CALM, tags=["slept", "moved"])
    goal_id = add_goal(member, SECRET_GOAL, ["Book the appointment", "Go"])
    send(member.client, f"/recovery/goals/{goal_id}/steps/{goal_steps(app, goal_id)[0][0]}", {"done": "1"})
    row_id = add_milestone(member, "self-harm free", days_ago=20)
    send(member.client, f"/recovery/milestones/{row_id}/again")
    data = json.loads(text(member.client.get("/account/export.json")))
    [day] = data["check_ins"]
    assert (day["mood"], day["mood_words"], day["note"], day["tags"]) == (5, "Good", CALM, ["slept", "moved"])
    [goal] = data["goals"]
    assert goal["title"] == SECRET_GOAL and [s["text"] for s in goal["steps"]] == ["Book the appointment", "Go"]
    assert goal["steps"][0]["done"] is not None and goal["steps"][1]["done"] is None
    [kept] = data["milestones"]
    assert kept["title"] == "self-harm free" and kept["earlier_runs"][0]["days"] == 20


def test_it_all_leaves_with_the_account_and_a_flag_keeps_no_words(app, member, moderator):
    check_in(member, mood="1", note=CRISIS)
    add_goal(member, SECRET_GOAL, ["Book the appointment"])
    add_milestone(member, "sober", days_ago=3)
    response = send(member.client, "/account/delete", {"posts": "keep", "passphrase": PASSPHRASE})
    assert response.status_code == 302
    with app.app_context():
        for model in (CheckIn, Goal, GoalStep, Milestone):
            assert db.session.scalar(select(model.id)) is None, model
        flag = db.session.scalars(select(Flag)).one()
        assert flag.checkin_id is None and flag.kind == "checkin" and flag.matches == []
        assert "killing" not in flag.snapshot
    page = text(moderator.client.get(f"/moderation/flags/{flag.id}"))
    assert page.count("killing myself") == 0 and "A private daily check-in" in page
