"""A mentoring pair's own page (/mentoring/pairs/<id>): sessions started and ended, the
mentee's private "helpful / not for me", the goals summary the mentee keeps, ending the
mentoring (with an optional reason and an optional block), and the mentor's hand-off.

Only the pair's two people see it; to anyone else, moderators included, it answers 404 as
if it did not exist (a moderator joins the ROOM when help is asked for, never this page).
Every change is a plain form (CSRF, checked on the server, rate limited), so it all works
without JavaScript; the room's page links here (templates/mentoring/pair_link.html).
"""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from .. import ratelimit
from ..errors import render_error
from ..extensions import db
from ..forms import NoHiddenCharacters
from ..recovery.goals import TooMany
from . import handoff, pairs, sessions

bp = Blueprint("mentoring_pairs", __name__, url_prefix="/mentoring")

SLOW_DOWN = "You've made a lot of changes in a short time. Please wait {wait} and try again; nothing is lost."


class PlainForm(FlaskForm):
    """A button alone: CSRF is all it carries."""


class FitForm(FlaskForm):
    fit = RadioField("How was this session for you?", choices=[SelectChoice(key, words) for key, words in sessions.FITS.items()],
                     validators=[InputRequired("Please choose “Helpful” or “Not for me”.")])


class GoalsForm(FlaskForm):
    summary = TextAreaField(
        "Your goals summary", description="In your own words: what you want to keep working on. "
        "Your mentor can read it; only you can change it. One goal per line.",
        validators=[Length(max=sessions.GOALS_MAX, message=f"Please keep it under {sessions.GOALS_MAX:,} characters."),
                    NoHiddenCharacters()])


class EndForm(FlaskForm):
    reason = RadioField("If you'd like to say why (you don't have to)", default="no_reason",
                        validators=[InputRequired("Please choose one, or “I'd rather not say”.")])
    block = BooleanField("Also block them, so we don't see each other's words anywhere on Lantern")


def register(app):
    app.register_blueprint(bp)


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"  # a pair's page is theirs alone
    return response


def _pair(pair_id):
    pair = pairs.pair_of(current_user, pair_id)
    if pair is None:
        abort(404)
    return pair


def _slowed():
    """None while the member may change something, else the refusal page (429)."""
    key = ratelimit.member_key(current_user)
    if ratelimit.take("LIMIT_MENTORING_CARE", key):
        return None
    return render_error(429, "Let's take a breath", SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_MENTORING_CARE", key)))


def _end_form(pair, blank=False):
    """The ending form with this side's reasons; `blank`: not filled from the request."""
    form = EndForm(formdata=None) if blank else EndForm()
    form.reason.choices = [SelectChoice(key, words) for key, words in pairs.choices_for(pair, current_user).items()]
    return form


def _page(pair, goals_form=None, end_form=None, status=200):
    mentee = current_user.id == pair.mentee_id
    return render_template(
        "mentoring/pair.html", pair=pair, mentee=mentee, other=pairs.other_side(pair, current_user),
        session=sessions.current(pair), history=sessions.of_pair(pair),
        to_rate=sessions.to_rate(pair, current_user), fit_form=FitForm(formdata=None),
        goals_form=goals_form or GoalsForm(formdata=None, summary=pair.goals_summary),
        end_form=end_form or _end_form(pair, blank=True), plain=PlainForm(),
        notice=handoff.notice(pair, current_user)), status


def _back(pair, anchor=None):
    return redirect(url_for("mentoring_pairs.pair", pair_id=pair.id, _anchor=anchor))


@bp.get("/pairs/<int:pair_id>")
@login_required
def pair(pair_id):
    return _page(_pair(pair_id))


def _checked(form):
    """None when the form is sound, else a 400 page in words."""
    if form.validate_on_submit():
        return None
    words = " ".join(e for errors in form.errors.values() for e in errors)
    return render_error(400, "Please check that", words or None)


def _button(pair_id, act, done, anchor=None):
    """A one-button change: CSRF, the limit, then `act(pair)`; a refusal is a 409 in words."""
    pair = _pair(pair_id)
    if (refusal := _checked(PlainForm())) or (refusal := _slowed()):
        return refusal
    try:
        act(pair)
    except (sessions.Refused, TooMany) as refused:
        return render_error(409, "That can't be done now", str(refused))
    db.session.commit()
    flash(done)
    return _back(pair, anchor)


@bp.post("/pairs/<int:pair_id>/session/start")
@login_required
def start_session(pair_id):
    return _button(pair_id, lambda pair: sessions.start(pair, current_user), "Session started. Take your time.",
                   "sessions")


@bp.post("/pairs/<int:pair_id>/session/end")
@login_required
def end_session(pair_id):
    pair = _pair(pair_id)
    if (refusal := _checked(PlainForm())) or (refusal := _slowed()):
        return refusal
    ended = sessions.end(pair)
    db.session.commit()
    flash("Session ended. Thank you both." if ended else "No session was going.")
    return _back(pair, "rate" if current_user.id == pair.mentee_id and ended else "sessions")


@bp.post("/pairs/<int:pair_id>/sessions/<int:session_id>/fit")
@login_required
def rate(pair_id, session_id):
    pair = _pair(pair_id)
    form = FitForm()
    if (refusal := _checked(form)) or (refusal := _slowed()):
        return refusal
    try:
        sessions.rate(pair, current_user, session_id, form.fit.data)
    except sessions.Refused as refused:
        return render_error(400, "Please check that", str(refused))
    db.session.commit()
    flash("Thank you for telling us. Your mentor never sees this; it only helps us match people well.")
    return _back(pair, "sessions")


@bp.post("/pairs/<int:pair_id>/goals")
@login_required
def goals(pair_id):
    pair = _pair(pair_id)
    if current_user.id != pair.mentee_id:
        return render_error(403, "That isn't yours to change", "The goals summary is written by the person being mentored.")
    form = GoalsForm()
    if not form.validate_on_submit():
        return _page(pair, goals_form=form, status=400)
    if refusal := _slowed():
        return refusal
    sessions.save_goals(pair, current_user, form.summary.data)
    db.session.commit()
    flash("Your goals summary is saved.")
    return _back(pair, "goals")


@bp.post("/pairs/<int:pair_id>/goals/copy")
@login_required
def copy_goals(pair_id):
    return _button(pair_id, lambda pair: sessions.copy_to_recovery(pair, current_user),
                   "Copied to your recovery space as a goal, one step per line.", "goals")


@bp.post("/pairs/<int:pair_id>/end")
@login_required
def end(pair_id):
    pair = _pair(pair_id)
    form = _end_form(pair)
    if not form.validate_on_submit():
        return _page(pair, end_form=form, status=400)
    if refusal := _slowed():
        return refusal
    blocked = pairs.end(pair, current_user, form.reason.data, form.block.data)
    db.session.commit()
    flash("The mentoring has ended. Thank you for the time you gave it."
          + (f" You've blocked {blocked}; you can undo that in your filters." if blocked else ""))
    return _back(pair)


@bp.post("/pairs/<int:pair_id>/handoff")
@login_required
def hand_off(pair_id):
    """Never rate limited: a mentor asking for help must always get through (pressing it
    again joins the same open flag)."""
    pair = _pair(pair_id)
    if refusal := _checked(PlainForm()):
        return refusal
    try:
        handoff.hand_off(pair, current_user)
    except handoff.Refused as refused:
        return render_error(409, "That can't be done now", str(refused))
    db.session.commit()
    flash(f"{handoff.HANDOFF_LINE} You don't have to carry this alone; stay with them if you can.")
    return _back(pair)
