"""Looking after the mentors: their weekly wellbeing check-in (/mentoring/wellbeing) and
the supervisors' page (/mentoring/supervision: loads, the queue's waits, endings,
hand-offs, flags raised in their rooms, check-ins, and the metrics).

The supervision page shows no words of any conversation or request (forum.mentoring.
supervision reads none); a flag is a link to the desk's own page, which checks training
and keeps its audit. Opening the supervision page is itself audited, so who looked at
which mentors' records is on file.
"""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from moderation import audit

from .. import ratelimit
from ..errors import render_error
from ..extensions import db
from ..forms import NoHiddenCharacters
from ..models import MENTOR_TOPICS, PAIR_END_REASONS, utcnow
from . import supervision, wellbeing

bp = Blueprint("mentoring_care", __name__, url_prefix="/mentoring")

SLOW_DOWN = "You've saved a lot in a short time. Please wait {wait} and try again; nothing is lost."


class CheckInForm(FlaskForm):
    feeling = RadioField("How has this week been for you?", coerce=int,
                         choices=[SelectChoice(n, f"{n}: {words}") for n, words in wellbeing.FEELINGS.items()],
                         validators=[InputRequired("Please choose how the week has been, from 1 to 5.")])
    note = TextAreaField("Anything you'd like your supervisor to know (optional)",
                         description="Only you and your supervisor read it.",
                         validators=[Length(max=wellbeing.NOTE_MAX, message=f"Please keep the note under "
                                                                              f"{wellbeing.NOTE_MAX} characters."),
                                     NoHiddenCharacters()])
    wants_a_break = BooleanField("I'd like a break from new requests",
                                 description="No new requests come to you until you say you're ready. "
                                             "The people you mentor now stay with you.")


class PlainForm(FlaskForm):
    """A button alone: CSRF is all it carries."""


def register(app):
    app.register_blueprint(bp)


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _mentor_profile():
    profile = wellbeing.profile_of(current_user)
    if profile is None:
        abort(404)
    return profile


def _wellbeing_page(profile, form, status=200):
    today = utcnow().date()
    return render_template("mentoring/wellbeing.html", form=form, profile=profile, feelings=wellbeing.FEELINGS,
                           mine=wellbeing.this_week(profile.member_id, today), week=wellbeing.week_of(today),
                           plain=PlainForm()), status


@bp.route("/wellbeing", methods=["GET", "POST"])
@login_required
def check_in():
    profile = _mentor_profile()
    mine = wellbeing.this_week(profile.member_id, utcnow().date())
    form = CheckInForm(data={"feeling": mine.feeling, "note": mine.note} if mine else None)
    if not form.is_submitted():
        return _wellbeing_page(profile, form)
    if not form.validate():
        return _wellbeing_page(profile, form, 400)
    key = ratelimit.member_key(current_user)
    if not ratelimit.take("LIMIT_MENTORING_CARE", key):
        return render_error(429, "Let's take a breath",
                            SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_MENTORING_CARE", key)))
    was_paused = profile.paused_at is not None
    wellbeing.check_in(profile, utcnow().date(), form.feeling.data, form.note.data, form.wants_a_break.data)
    db.session.commit()
    if form.wants_a_break.data and not was_paused:
        flash("Thank you for checking in. You're on a break from new requests, and your supervisor knows. Rest well.")
    else:
        flash("Thank you for checking in.")
    return redirect(url_for("mentoring_care.check_in"))


@bp.post("/wellbeing/ready")
@login_required
def ready():
    profile = _mentor_profile()
    if not PlainForm().validate_on_submit():
        return render_error(400)
    wellbeing.resume(profile)
    db.session.commit()
    flash("Welcome back. New requests can come to you again.")
    return redirect(url_for("mentoring_care.check_in"))


@bp.get("/supervision")
@login_required
def overview():
    if not supervision.supervises(current_user):
        abort(404)
    rows = supervision.mentors(current_user)
    audit.record(current_user, "viewed mentor supervision", "member", current_user.id,
                 reason=f"{len(rows)} mentor(s)")
    page = render_template(
        "mentoring/supervision.html", rows=rows, queue=supervision.queue(current_user),
        metrics=supervision.metrics(current_user), window=supervision.WINDOW_DAYS, now=utcnow(),
        reasons=PAIR_END_REASONS, topics=MENTOR_TOPICS, feelings=wellbeing.FEELINGS)
    db.session.commit()
    return page
