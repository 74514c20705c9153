from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from forum.forms import POST_MAX, NoHiddenCharacters

from .models import MUTE_CHOICES, OUTCOMES, REPORT_REASONS

NOTES_MAX = 2_000
DETAIL_MAX = 1_000


def _reason(label="Why (kept in the audit log)", required=False):
    return TextAreaField(label, validators=[DataRequired() if required else Optional(),
                                            Length(max=NOTES_MAX), NoHiddenCharacters()])


class ResolveForm(FlaskForm):
    outcome = SelectField("Outcome", choices=[SelectChoice(k, v) for k, v in OUTCOMES.items()],
                          validators=[DataRequired()])
    notes = _reason("Notes")
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class EscalateForm(FlaskForm):
    reason = _reason("Why escalate?", required=True)


class ReasonForm(FlaskForm):
    reason = _reason()


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply in the thread", validators=[
        DataRequired(), Length(max=POST_MAX), NoHiddenCharacters()])


class MuteForm(FlaskForm):
    minutes = SelectField("For how long", choices=[SelectChoice(str(k), v) for k, v in MUTE_CHOICES.items()],
                          validators=[DataRequired()])
    reason = _reason()


class HandoffForm(FlaskForm):
    body = TextAreaField("Note for the next person on duty", validators=[
        DataRequired(message="Please write the note first."), Length(max=NOTES_MAX), NoHiddenCharacters()])


class ReportForm(FlaskForm):
    reason = RadioField("What's the concern?", choices=[SelectChoice(k, v) for k, v in REPORT_REASONS.items()],
                        validators=[DataRequired(message="Please choose what the concern is.")])
    detail = TextAreaField("Anything else a moderator should know? (optional)", validators=[
        Optional(), Length(max=DETAIL_MAX, message=f"Please keep it under {DETAIL_MAX:,} characters."),
        NoHiddenCharacters()])


class RegionForm(FlaskForm):
    region = RadioField("Where are you?", validators=[DataRequired()])


class TrainingForm(FlaskForm):
    handle = StringField("Handle", validators=[DataRequired(), Length(max=24)])
    role = SelectField("Role", choices=[SelectChoice("member", "Member"), SelectChoice("moderator", "Moderator"),
                                        SelectChoice("admin", "Admin")])
    trained_on = DateField("Trained on", validators=[Optional()])
    training_expires = DateField("Training valid until", validators=[Optional()])
