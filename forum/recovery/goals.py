"""Small, realistic goals with steps: add, tick a step done or not, mark the goal done
(or not yet), and the words a finished goal is shared to the Wins board with."""
from sqlalchemy import select

from ..extensions import db
from ..models import Goal, GoalStep, utcnow

STEPS_MAX = 12  # a goal with more steps than this is a plan: break it into smaller goals
OPEN_MAX = 30  # goals not yet done, at once


class TooMany(Exception):
    """str() says, kindly, what the limit is."""


def goal_of(member, goal_id):
    """The member's own goal, or None: another member's goal is as good as absent."""
    goal = db.session.get(Goal, goal_id)
    return goal if goal is not None and goal.member_id == member.id else None


def of_member(member):
    """(goals still going, newest first; goals done, most recently done first)."""
    goals = db.session.scalars(select(Goal).where(Goal.member_id == member.id).order_by(Goal.id.desc())).all()
    going = [goal for goal in goals if goal.done_at is None]
    done = sorted((goal for goal in goals if goal.done_at is not None), key=lambda goal: goal.done_at, reverse=True)
    return going, done


def add(member, title, steps):
    """A new goal with its first steps (blank lines left out)."""
    going, _ = of_member(member)
    if len(going) >= OPEN_MAX:
        raise TooMany(f"You have {OPEN_MAX} goals on the go already. Finishing or letting go of one makes room.")
    steps = [text.strip() for text in steps if text.strip()]
    if len(steps) > STEPS_MAX:
        raise TooMany(f"Please keep a goal to {STEPS_MAX} steps or fewer; a smaller goal is easier to finish.")
    goal = Goal(member_id=member.id, title=title.strip(), created_at=utcnow())
    goal.steps = [GoalStep(text=text, position=n) for n, text in enumerate(steps)]
    db.session.add(goal)
    db.session.flush()
    return goal


def add_step(goal, text):
    if len(goal.steps) >= STEPS_MAX:
        raise TooMany(f"This goal has {STEPS_MAX} steps already; a smaller goal is easier to finish.")
    goal.steps.append(GoalStep(text=text.strip(), position=len(goal.steps)))
    db.session.flush()


def tick(goal, step_id, done):
    """Mark a step done or not; False if the goal has no such step."""
    step = next((step for step in goal.steps if step.id == step_id), None)
    if step is None:
        return False
    step.done_at = (step.done_at or utcnow()) if done else None
    return True


def finish(goal, done):
    goal.done_at = (goal.done_at or utcnow()) if done else None


def remove(goal):
    db.session.delete(goal)


def share_words(goal):
    """(title, Markdown body) of the Wins thread the member sees before sharing."""
    lines = [f"I set myself a small goal and I did it: **{goal.title}**."]
    done = [step.text for step in goal.steps if step.done_at is not None]
    if done:
        lines += ["", "The steps I took:", *[f"- {text}" for text in done]]
    lines += ["", "Small steps count. If you're working on something too, you've got this."]
    return f"Goal done: {goal.title}"[:200], "\n".join(lines)
