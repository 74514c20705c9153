"""Peer mentoring's pages: asking for a mentor and choosing one, a mentor's "Requests for
you", the queue of waiting requests, a mentor's settings, and the admins' page that grants
the mentor role. Plain forms (CSRF, checked on the server, rate limited); a refused one
keeps what was typed, answers 400 and says why."""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from moderation import access

from .. import ratelimit
from ..accounts import service as accounts
from ..errors import DATABASE_ERRORS, database_away, render_error
from ..extensions import db
from ..forms import NoHiddenCharacters
from ..guards import require
from ..models import DAY_PARTS, MENTOR_LANGUAGES, MENTOR_TOPICS, WEEKDAYS, MentoringPair, MentoringRequest, utcnow
from . import bp, matching, mentors, supervision
from . import requests as mentoring_requests

SLOW_DOWN = "That's a lot of changes in a short time. Please wait {wait} and try again."


def _checkboxes(label, choices, **kwargs):
    return SelectMultipleField(label, choices=[SelectChoice(k, v) for k, v in choices], widget=ListWidget(
        prefix_label=False), option_widget=CheckboxInput(), validate_choice=True, **kwargs)


class AskForm(FlaskForm):
    topics = _checkboxes("What would you like support with?", MENTOR_TOPICS.items(),
                         description="Choose one or more. Mentors offer the topics they have lived through.")
    language = SelectField("Language you'd like to talk in", choices=[SelectChoice(k, v) for k, v in MENTOR_LANGUAGES.items()], default="en")
    note = TextAreaField("A short note for your mentor (optional)", description=(
        "A line or two about what you're hoping for. Only the mentor it is offered to reads it. Please leave out "
        "anything that identifies you."), validators=[
        Length(max=500, message="Please keep the note under 500 characters."), NoHiddenCharacters()])
    adult = RadioField("Are you 18 or over?", choices=[SelectChoice("yes", "Yes, I'm 18 or over"),
                                                            SelectChoice("no", "No, I'm under 18")],
                       validators=[InputRequired("Please tell us whether you're 18 or over.")])

    def validate_topics(self, field):
        if not field.data:
            raise ValidationError("Please choose at least one thing you'd like support with.")


class ActionForm(FlaskForm):
    """A button that changes something: its CSRF token is all it carries."""


class SettingsForm(FlaskForm):
    topics = _checkboxes("Topics you offer, from your own lived experience", MENTOR_TOPICS.items())
    languages = _checkboxes("Languages you can mentor in", MENTOR_LANGUAGES.items())
    availability = _checkboxes("When you're usually around (each week)", [
        (f"{day}-{part}", f"{day.capitalize()} {part}") for day in WEEKDAYS for part in DAY_PARTS])
    intro = StringField("A line about you, for members choosing a mentor", description=(
        "For example: \"Eight years without gambling; I remember the first weeks.\" No contact details, please."),
        validators=[Length(max=300, message="Please keep it under 300 characters."), NoHiddenCharacters(True)])

    def validate_languages(self, field):
        if not field.data:
            raise ValidationError("Please choose at least one language.")

    def validate_topics(self, field):
        if not field.data:
            raise ValidationError("Please choose at least one topic you can offer.")


class GrantForm(FlaskForm):
    handle = StringField("Handle", validators=[DataRequired("Please type the member's handle."),
                                               Length(max=40, message="Handles are shorter than that.")])
    trained_on = DateField("Mentor training done on", validators=[DataRequired("Please give the training date.")])
    training_expires = DateField("Training valid until", validators=[DataRequired("Please give the last valid day.")])
    cap = IntegerField("Most active mentees at once", default=3, validators=[
        InputRequired("Please give a cap."),
        NumberRange(1, mentors.CAP_MAX, f"A cap is a whole number from 1 to {mentors.CAP_MAX}.")])

    def validate_training_expires(self, field):
        if self.trained_on.data and field.data and field.data < self.trained_on.data:
            raise ValidationError("The record can't end before the training was done.")
        if field.data and field.data < mentors.today():
            raise ValidationError("That day has passed, so the record would not let them mentor.")

    def validate_trained_on(self, field):
        if field.data and field.data > mentors.today():
            raise ValidationError("Training can't be recorded before it happens.")


class HandleForm(FlaskForm):
    handle = StringField("Handle", validators=[DataRequired("Please type the mentor's handle."), Length(max=40)])


class SupervisorForm(FlaskForm):
    handle = StringField("Mentor's handle", validators=[DataRequired("Please type the mentor's handle."),
                                                        Length(max=40)])
    supervisor = StringField("Supervisor's handle (a moderator)", validators=[
        DataRequired("Please type the supervisor's handle."), Length(max=40)])


admin_required = require(lambda member: None if member.is_admin else "This page is for Lantern's admins.",
                         "Admins only")
mentor_required = require(lambda member: None if mentors.profile(member) else
                          "This page is for Lantern's trained peer mentors.", "Peer mentors only")


def _queue_refusal(member):
    if mentors.profile(member) is not None or access.can_moderate(member):
        return None
    return "The queue of waiting requests is for peer mentors and trained moderators."


def _slowed():
    """None while the member may make a change, else the words to wait by."""
    key = ratelimit.member_key(current_user)
    if ratelimit.take("LIMIT_MENTORING", key):
        return None
    return SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_MENTORING", key))


def _own_request(request_id):
    found = db.session.get(MentoringRequest, request_id)
    if found is None or found.member_id != current_user.id:
        abort(404)
    return found


def _waited(found, now):
    return (now - found.created_at).total_seconds()


@bp.app_context_processor
def mentoring_nav():
    """The header's mentoring links, for those who can use them (base.html asks once per
    page): "Mentoring" for a mentor trained today (paused too: their check-in is how they
    come back), "Supervision" for whoever may open it. A lapsed mentor and an ordinary
    member see neither; members find "Ask for a mentor" in their recovery space."""
    def links():
        if g.get("database_away") or not current_user.is_authenticated:
            return None
        # Read with the member's session (forum.accounts.service.session_member): no query
        # of its own on every page. A member loaded another way is asked the long way.
        try:
            record = getattr(current_user, "mentoring_facts", None) or mentors.profile(current_user)
            return {"mentor": record is not None and record.trained(mentors.today()),
                    "supervises": supervision.supervises(current_user)}
        except DATABASE_ERRORS as error:  # the page still renders; its own queries decide its fate
            database_away(error)
            return None
    return {"mentoring_nav": links}


# ---- members -----------------------------------------------------------------------------

def _active_pairs(column):
    """The member's running pairs, on the side `column` names (mentee or mentor), oldest first."""
    return db.session.execute(select(MentoringPair).where(column == current_user.id, MentoringPair.ended_at.is_(None))
                              .order_by(MentoringPair.started_at)).scalars().all()


@bp.get("")
@login_required
def home():
    record = mentors.profile(current_user)
    return render_template(
        "mentoring/home.html", open_request=mentoring_requests.open_request(current_user.id),
        pairs=_active_pairs(MentoringPair.mentee_id), mentees=_active_pairs(MentoringPair.mentor_id) if record else [],
        record=record, refusal=mentors.refusal(current_user) if record else None, form=ActionForm(),
        target=mentoring_requests.target_minutes() * 60, now=utcnow(),
        offered=len(mentoring_requests.offered_to(current_user.id)) if record else 0,
        topic_words=mentoring_requests.topic_words)


@bp.route("/ask", methods=["GET", "POST"])
@login_required
def ask():
    form = AskForm()
    if (existing := mentoring_requests.open_request(current_user.id)) is not None:
        flash("You already have a request waiting: here it is.")
        return redirect(url_for("mentoring.home") if existing.status != "waiting" or existing.offered_to_id
                        else url_for("mentoring.choose", request_id=existing.id))
    if request.method == "GET" and current_user.stated_under_18:
        return render_template("mentoring/under_18.html")
    status, error = 200, None
    if form.is_submitted():
        if not form.validate():
            status = 400
        elif error := _slowed():
            status = 429
        else:
            current_user.stated_under_18 = form.adult.data == "no"
            if current_user.stated_under_18:
                db.session.commit()
                return render_template("mentoring/under_18.html")
            asked = mentoring_requests.ask(current_user, form.topics.data, form.language.data, form.note.data or "")
            db.session.commit()
            return redirect(url_for("mentoring.choose", request_id=asked.id))
    return render_template("mentoring/ask.html", form=form, error=error,
                           target=mentoring_requests.target_minutes() * 60), status


@bp.get("/requests/<int:request_id>/choose")
@login_required
def choose(request_id):
    found = _own_request(request_id)
    if found.status != "waiting" or found.offered_to_id is not None:
        return redirect(url_for("mentoring.home"))
    return render_template("mentoring/choose.html", found=found, suggested=matching.candidates(found),
                           form=ActionForm(), topics=MENTOR_TOPICS, languages=MENTOR_LANGUAGES,
                           availability_words=mentors.availability_words)


@bp.post("/requests/<int:request_id>/choose")
@login_required
def chosen(request_id):
    found = _own_request(request_id)
    form = ActionForm()
    if not form.validate():
        return render_error(400, "Please try again", "That form had expired. Please choose again.")
    if error := _slowed():
        return render_error(429, "Please wait a moment", error)
    choice = request.form.get("mentor", "")
    mentor_id = int(choice) if choice.isdigit() and len(choice) < 12 else None
    if choice != "lantern" and mentor_id is None:
        return render_error(400, "Please choose a mentor", "Please choose one of the mentors, or let Lantern choose.")
    try:
        offered = mentoring_requests.choose(found, mentor_id)
    except mentoring_requests.Refused as refused:
        return render_error(409, "Already on its way", str(refused))
    db.session.commit()
    flash("Your request is with a mentor now. We'll tell you here and in your notifications when they answer."
          if offered else "No mentor is free right now, so a trained moderator has been asked to help find one. "
          "Your request stays in the queue.")
    return redirect(url_for("mentoring.home"))


@bp.post("/requests/<int:request_id>/withdraw")
@login_required
def withdraw(request_id):
    found = _own_request(request_id)
    if not ActionForm().validate():
        return render_error(400, "Please try again", "That form had expired. Please try again.")
    if error := _slowed():
        return render_error(429, "Please wait a moment", error)
    mentoring_requests.withdraw(found, current_user)
    db.session.commit()
    flash("Your request is withdrawn. You can ask again whenever you like.")
    return redirect(url_for("mentoring.home"))


# ---- mentors ------------------------------------------------------------------------------

@bp.get("/offers")
@mentor_required
def offers():
    return render_template("mentoring/offers.html", rows=mentoring_requests.offered_to(current_user.id),
                           form=ActionForm(), refusal=mentors.refusal(current_user), topics=MENTOR_TOPICS,
                           languages=MENTOR_LANGUAGES, offer_minutes=mentoring_requests.offer_minutes() * 60,
                           now=utcnow())


def _answer(request_id, answer):
    if not ActionForm().validate():
        return render_error(400, "Please try again", "That form had expired. Please try again.")
    if error := _slowed():
        return render_error(429, "Please wait a moment", error)
    try:
        outcome = answer(request_id, current_user)
    except mentoring_requests.Refused as refused:
        db.session.rollback()
        return render_error(409, "This request can't be taken", str(refused))
    db.session.commit()
    return outcome


@bp.post("/requests/<int:request_id>/accept")
@mentor_required
def accept(request_id):
    pair = _answer(request_id, mentoring_requests.accept)
    if not isinstance(pair, MentoringPair):
        return pair
    flash("Thank you for taking this on. Your private room with your mentee is open.")
    return redirect(url_for("chat.room", slug=pair.room.slug))


@bp.post("/requests/<int:request_id>/decline")
@mentor_required
def decline(request_id):
    outcome = _answer(request_id, mentoring_requests.decline)
    if outcome is not None:
        return outcome
    flash("Thank you for letting us know. The request goes to another mentor.")
    return redirect(url_for("mentoring.offers"))


@bp.get("/queue")
@require(_queue_refusal, "Peer mentors and moderators")
def queue():
    now = utcnow()
    rows = [(found, _waited(found, now)) for found in mentoring_requests.queue()]
    return render_template("mentoring/queue.html", rows=rows, form=ActionForm(), topics=MENTOR_TOPICS,
                           languages=MENTOR_LANGUAGES, target=mentoring_requests.target_minutes() * 60,
                           may_take=mentors.refusal(current_user) is None)


@bp.route("/settings", methods=["GET", "POST"])
@mentor_required
def settings():
    record = mentors.profile(current_user)
    form = SettingsForm() if request.method == "POST" else SettingsForm(
        formdata=None, topics=record.topics, languages=record.languages,
        availability=mentors.ticked_boxes(record.availability), intro=record.intro)
    status, error = 200, None
    if form.is_submitted():
        if not form.validate():
            status = 400
        elif error := _slowed():
            status = 429
        else:
            mentors.save_settings(record, form.topics.data, form.languages.data, form.availability.data,
                                  form.intro.data or "")
            db.session.commit()
            flash("Your mentor settings are saved.")
            return redirect(url_for("mentoring.settings"))
    return render_template("mentoring/settings.html", form=form, record=record, pause_form=ActionForm(),
                           error=error, refusal=mentors.refusal(current_user), weekdays=WEEKDAYS,
                           day_parts=DAY_PARTS, active=matching.active_mentees(current_user.id)), status


@bp.post("/settings/pause")
@mentor_required
def pause():
    if not ActionForm().validate():
        return render_error(400, "Please try again", "That form had expired. Please try again.")
    if error := _slowed():
        return render_error(429, "Please wait a moment", error)
    record = mentors.profile(current_user)
    if request.form.get("resume"):
        mentors.resume(record)
        flash("Welcome back: requests can come to you again.")
    else:
        mentors.pause(record)
        flash("Mentoring is paused: no new requests come to you. Your mentees can still talk with you.")
    db.session.commit()
    return redirect(url_for("mentoring.settings"))


# ---- admins -------------------------------------------------------------------------------

def _admin_page(grant_form=None, remove_form=None, supervisor_form=None, status=200):
    return render_template(
        "mentoring/admin.html", rows=mentors.listing(), today=mentors.today(),
        grant_form=grant_form or GrantForm(formdata=None, trained_on=mentors.today()),
        remove_form=remove_form or HandleForm(formdata=None, prefix="remove"),
        supervisor_form=supervisor_form or SupervisorForm(formdata=None, prefix="supervise"),
        active=matching.loads()), status


@bp.get("/admin")
@admin_required
def admin():
    return _admin_page()


@bp.post("/admin/grant")
@admin_required
def grant():
    form = GrantForm()
    if form.validate():
        member = accounts.find_member(form.handle.data)
        if member is None:
            form.handle.errors.append("There's no member with that handle.")
        else:
            mentors.grant(member, form.trained_on.data, form.training_expires.data, current_user, form.cap.data)
            return _saved(f"Saved: {member.handle} is a peer mentor, trained until {form.training_expires.data:%-d %B %Y}.")
    return _admin_page(grant_form=form, status=400)


@bp.post("/admin/remove")
@admin_required
def remove():
    form = HandleForm(prefix="remove")
    if form.validate():
        member = accounts.find_member(form.handle.data)
        if member is None or not mentors.remove(member, current_user):
            form.handle.errors.append("There's no peer mentor with that handle.")
        else:
            return _saved(f"{member.handle} is no longer a peer mentor: no requests reach them.")
    return _admin_page(remove_form=form, status=400)


@bp.post("/admin/supervisor")
@admin_required
def supervisor():
    form = SupervisorForm(prefix="supervise")
    if form.validate():
        member = accounts.find_member(form.handle.data)
        boss = accounts.find_member(form.supervisor.data)
        record = mentors.profile(member)
        if record is None:
            form.handle.errors.append("There's no peer mentor with that handle.")
        elif boss is None or not boss.is_moderator or boss.id == member.id:
            form.supervisor.errors.append("A supervisor is a moderator (not the mentor themself).")
        else:
            mentors.set_supervisor(record, boss, current_user)
            return _saved(f"{boss.handle} now supervises {member.handle}.")
    return _admin_page(supervisor_form=form, status=400)


def _saved(message):
    """An admin change is done: commit it (its audit entry with it) and say so."""
    db.session.commit()
    flash(message)
    return redirect(url_for("mentoring.admin"))

