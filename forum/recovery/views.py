"""The recovery space's pages: /recovery (today's check-in, the chart and the calendar),
/recovery/goals and /recovery/milestones, and sharing a finished goal or a milestone to
the Wins board after seeing the exact words.

Every address reads the signed-in member's own rows only: another member's goal or
milestone id answers 404, as if it did not exist. Sharing makes a thread through
forum.boards, which screens it like any post; that is why this module sits above the
features (.importlinter)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from moderation import help

from .. import content, ratelimit
from ..boards import service as boards
from ..errors import render_error
from ..extensions import db
from ..models import CHECKIN_TAGS, MOODS, Board
from . import chart, checkins, goals, milestones
from .forms import CheckInForm, ConfirmForm, GoalForm, MilestoneForm, StepForm, ToggleForm
from .reviewable import CheckIns

bp = Blueprint("recovery", __name__, url_prefix="/recovery")

WINS = "wins"  # the board shared goals and milestones go to (forum.seed)
SLOW_DOWN = "You've saved a lot in a short time. Please wait {wait} and try again; nothing you wrote is lost."
CHART_SPANS = (30, 90)


def register(app):
    """The pages, and check-ins as the moderator desk reviews their flags (moderation.review)."""
    from moderation import review

    app.register_blueprint(bp)
    review.register(app, CheckIns())


@bp.before_request
@login_required
def _members_only():
    """Every page here is the signed-in member's own."""


@bp.after_request
def _private(response):
    # Only its member may see it: no browser or proxy keeps a copy (a shared computer).
    response.headers["Cache-Control"] = "no-store"
    return response


def _slow():
    """None when the member may save once more; else the refusal page (429)."""
    if ratelimit.take("LIMIT_RECOVERY", ratelimit.member_key(current_user)):
        return None
    wait = ratelimit.retry_after("LIMIT_RECOVERY", ratelimit.member_key(current_user))
    return render_error(429, "Let's take a breath", SLOW_DOWN.format(wait=wait))


def _invalid(form):
    return render_error(400, "Please check that", " ".join(e for errors in form.errors.values() for e in errors))


# ---- check-ins ---------------------------------------------------------------------

def _span():
    value = request.args.get("days", "30")
    return int(value) if value.isdigit() and int(value) in CHART_SPANS else 30


def _checkin_page(form, status=200):
    today = checkins.today()
    mine = checkins.of_day(current_user, today)
    first = checkins.parse_month(request.args.get("month"), today)
    span = _span()
    raised = mine is not None and help.checkin_needs_help(current_user, mine.id)
    return render_template(
        "recovery/checkin.html", form=form, today=today, mine=mine, moods=MOODS, tags=CHECKIN_TAGS,
        span=span, spans=CHART_SPANS, chart=chart.draw(checkins.recent(current_user, span, today)),
        month=first, weeks=checkins.month(current_user, first.year, first.month),
        previous=checkins.shift_month(first, -1), following=checkins.shift_month(first, 1),
        raised=raised, help=help.help_for(current_user) if raised else None), status


@bp.route("", methods=["GET", "POST"])
def space():
    mine = checkins.of_day(current_user, checkins.today())
    data = {"mood": str(mine.mood), "note": mine.note, "tags": list(mine.tags)} if mine else None
    form = CheckInForm(data=data)  # what was sent, when a form was sent
    if request.method == "POST":
        if not form.validate_on_submit():
            return _checkin_page(form, 400)
        if refusal := _slow():
            return refusal
        try:
            row = checkins.save(current_user, int(form.mood.data), form.note.data, form.tags.data)
            db.session.commit()
        except IntegrityError:  # the same day sent twice at once (a double click): the second replaces the first
            db.session.rollback()
            row = checkins.save(current_user, int(form.mood.data), form.note.data, form.tags.data)
            db.session.commit()
        if help.checkin_needs_help(current_user, row.id):
            return redirect(url_for("recovery.space", _anchor=f"help-checkin-{row.id}"))
        flash("Thank you for checking in. Only you can see it.")
        return redirect(url_for("recovery.space"))
    return _checkin_page(form)


# ---- goals -------------------------------------------------------------------------

def _goal(goal_id):
    goal = goals.goal_of(current_user, goal_id)
    if goal is None:
        abort(404)
    return goal


def _goals_page(goal_form=None, status=200):
    going, done = goals.of_member(current_user)
    return render_template("recovery/goals.html", going=going, done=done, goal_form=goal_form or GoalForm(),
                           step_form=StepForm(), toggle=ToggleForm(), confirm=ConfirmForm()), status


@bp.route("/goals", methods=["GET", "POST"])
def goal_list():
    if request.method == "GET":
        return _goals_page()
    form = GoalForm()
    if not form.validate_on_submit():
        return _goals_page(form, 400)
    if refusal := _slow():
        return refusal
    try:
        goal = goals.add(current_user, form.title.data, (form.steps.data or "").splitlines())
    except goals.TooMany as too_many:
        form.form_errors.append(str(too_many))
        return _goals_page(form, 400)
    db.session.commit()
    flash("Your goal is added. One step at a time.")
    return redirect(url_for("recovery.goal_list", _anchor=f"goal-{goal.id}"))


@bp.post("/goals/<int:goal_id>/steps")
def add_step(goal_id):
    goal = _goal(goal_id)
    form = StepForm()
    if not form.validate_on_submit():
        return _invalid(form)
    if refusal := _slow():
        return refusal
    try:
        goals.add_step(goal, form.text.data)
    except goals.TooMany as too_many:
        return render_error(400, "That's a lot of steps", str(too_many))
    db.session.commit()
    return redirect(url_for("recovery.goal_list", _anchor=f"goal-{goal.id}"))


@bp.post("/goals/<int:goal_id>/steps/<int:step_id>")
def tick_step(goal_id, step_id):
    goal = _goal(goal_id)
    form = ToggleForm()
    if not form.validate_on_submit():
        return _invalid(form)
    if not goals.tick(goal, step_id, form.done.data == "1"):
        abort(404)
    db.session.commit()
    return redirect(url_for("recovery.goal_list", _anchor=f"step-{step_id}"))


@bp.post("/goals/<int:goal_id>/done")
def finish_goal(goal_id):
    goal = _goal(goal_id)
    form = ToggleForm()
    if not form.validate_on_submit():
        return _invalid(form)
    goals.finish(goal, form.done.data == "1")
    db.session.commit()
    flash("You did it. That took real effort." if goal.done_at else "It's back with your goals on the go.")
    return redirect(url_for("recovery.goal_list", _anchor=f"goal-{goal.id}"))


@bp.post("/goals/<int:goal_id>/remove")
def remove_goal(goal_id):
    goal = _goal(goal_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    goals.remove(goal)
    db.session.commit()
    flash("The goal is removed. Letting go of a goal that doesn't fit is okay too.")
    return redirect(url_for("recovery.goal_list"))


# ---- milestones --------------------------------------------------------------------

def _milestone(milestone_id):
    row = milestones.milestone_of(current_user, milestone_id)
    if row is None:
        abort(404)
    return row


@bp.route("/milestones", methods=["GET", "POST"])
def milestone_list():
    today = checkins.today()
    form = MilestoneForm(since=today) if request.method == "GET" else MilestoneForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            if refusal := _slow():
                return refusal
            try:
                row = milestones.add(current_user, form.title.data, form.since.data)
            except milestones.TooMany as too_many:
                form.form_errors.append(str(too_many))
            else:
                db.session.commit()
                flash("You're counting. Every day is one you chose.")
                return redirect(url_for("recovery.milestone_list", _anchor=f"milestone-{row.id}"))
        status = 400
    rows = milestones.of_member(current_user)
    shown = [(row, milestones.days(row, today), milestones.cheer(milestones.days(row, today)),
              milestones.longest(row, today)) for row in rows]
    return render_template("recovery/milestones.html", shown=shown, form=form, confirm=ConfirmForm()), status


@bp.post("/milestones/<int:milestone_id>/again")
def start_again(milestone_id):
    row = _milestone(milestone_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    count = milestones.start_again(row, checkins.today())
    db.session.commit()
    if count:
        unit = "day" if count == 1 else "days"
        flash(f"Starting again takes courage. Your {count} {unit} still happened, and they're kept here.")
    else:
        flash("Starting again takes courage. Today is day one, and that counts.")
    return redirect(url_for("recovery.milestone_list", _anchor=f"milestone-{row.id}"))


@bp.post("/milestones/<int:milestone_id>/remove")
def remove_milestone(milestone_id):
    row = _milestone(milestone_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    milestones.remove(row)
    db.session.commit()
    flash("The milestone is removed.")
    return redirect(url_for("recovery.milestone_list"))


# ---- sharing to Wins ---------------------------------------------------------------

def _share(what, title, body, back, shared, remember):
    """The confirmation page (GET) showing the exact words, or the thread it makes (POST).
    Shared once: a second press (a double click, the back button) goes to that thread."""
    form = ConfirmForm()
    if request.method == "POST" and shared is not None:
        return redirect(url_for("boards.thread", thread_id=shared))
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if current_user.muted():
            return render_error(403, "You're paused from posting for now", (
                f"A moderator paused your posting until {current_user.muted_until:%-d %b, %H:%M} UTC. "
                "Your goals and milestones are all still here."))
        if not ratelimit.take("LIMIT_THREAD", ratelimit.member_key(current_user)):
            return render_error(429, "Let's take a breath", "You've posted quickly. Please wait a few seconds "
                                "and share it again.")
        board = db.session.scalar(select(Board).where(Board.slug == WINS))
        if board is None:
            return render_error(404, "The Wins board isn't here", "Sharing needs the Wins board, and this forum "
                                "doesn't have one. Your progress is still saved here.")
        post, _ = boards.create_thread(board, current_user, title, body)
        remember(post.thread_id)
        db.session.commit()
        flash("Shared to Wins. Thank you for letting others see what's possible.")
        return redirect(url_for("boards.thread", thread_id=post.thread_id))
    # The preview is rendered as the post will be (forum.content), so what is seen is what is shared.
    return render_template("recovery/share.html", what=what, title=title, html=content.render(body), back=back,
                           form=form, shared=shared)


@bp.route("/goals/<int:goal_id>/share", methods=["GET", "POST"])
def share_goal(goal_id):
    goal = _goal(goal_id)
    if goal.done_at is None:
        return render_error(409, "Not quite yet", "A goal can be shared once it's done. Keep going: you're on your way.")
    title, body = goals.share_words(goal)
    return _share("goal", title, body, url_for("recovery.goal_list", _anchor=f"goal-{goal.id}"), goal.shared_thread_id,
                  lambda thread_id: setattr(goal, "shared_thread_id", thread_id))


@bp.route("/milestones/<int:milestone_id>/share", methods=["GET", "POST"])
def share_milestone(milestone_id):
    row = _milestone(milestone_id)
    title, body = milestones.share_words(row, checkins.today())
    return _share("milestone", title, body, url_for("recovery.milestone_list", _anchor=f"milestone-{row.id}"),
                  row.shared_thread_id, lambda thread_id: setattr(row, "shared_thread_id", thread_id))


