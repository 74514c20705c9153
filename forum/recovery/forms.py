"""The recovery space's forms. Every message is said kindly: these are private pages a
member may open on a hard day."""
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import NoHiddenCharacters
from ..models import CHECKIN_NOTE_MAX, CHECKIN_TAGS, MOODS
from .checkins import today
from .goals import STEPS_MAX
from .milestones import EARLIEST

STEP_MAX = 200  # characters in a step (GoalStep.text)


class CheckInForm(FlaskForm):
    # The choices are checked by validate_mood, in plain words, rather than WTForms' own.
    mood = RadioField("How is today going?", choices=[SelectChoice(str(n), f"{n}: {words}") for n, words in MOODS.items()],
                      validate_choice=False, validators=[InputRequired("Please choose how today is going, from 1 to 5.")])
    note = TextAreaField("A line about today (optional)", validators=[
        Optional(), Length(max=CHECKIN_NOTE_MAX, message=f"Please keep it under {CHECKIN_NOTE_MAX} characters."),
        NoHiddenCharacters()], description="Just for you: what helped, what was hard, anything.")
    tags = SelectMultipleField("Today I…", choices=[SelectChoice(key, label) for key, label in CHECKIN_TAGS.items()], validate_choice=False,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    submit = SubmitField("Save today's check-in")

    def validate_mood(self, field):
        if field.data not in {str(n) for n in MOODS}:
            raise ValidationError("Please choose how today is going, from 1 to 5.")

    def validate_tags(self, field):
        if any(tag not in CHECKIN_TAGS for tag in field.data or []):
            raise ValidationError("Please choose from the listed things only.")


def _title(label, most, description):
    return StringField(label, description=description, validators=[
        DataRequired("Please give it a few words."),
        Length(max=most, message=f"Please keep it under {most} characters."), NoHiddenCharacters(single_line=True)])


class GoalForm(FlaskForm):
    title = _title("Your goal", 200, "Something small and realistic, like \u201cCall my sister this week\u201d.")
    steps = TextAreaField("Steps, one per line (optional)", description="Little steps that get you there.",
                          validators=[Optional(), Length(max=STEPS_MAX * (STEP_MAX + 1),
                                                         message="That's a lot of steps: please keep them short."),
                                      NoHiddenCharacters()])
    submit = SubmitField("Add this goal")

    def validate_steps(self, field):
        if any(len(line.strip()) > STEP_MAX for line in (field.data or "").splitlines()):
            raise ValidationError(f"Please keep each step under {STEP_MAX} characters.")


class StepForm(FlaskForm):
    text = _title("Add a step", STEP_MAX, None)
    submit = SubmitField("Add step")


class ToggleForm(FlaskForm):
    """A step or goal done ("1") or not ("0")."""
    done = HiddenField(validators=[DataRequired()])

    def validate_done(self, field):
        if field.data not in ("0", "1"):
            raise ValidationError("Something went wrong with that button. Please try again.")


class MilestoneForm(FlaskForm):
    title = _title("What are you counting?", 100, "For example \u201csober\u201d, \u201cself-harm free\u201d or "
                   "\u201cno gambling\u201d. It's only shown to you.")
    since = DateField("Since", validators=[InputRequired("Please give the date you started.")],
                      description="The day you started. You can pick today.")
    submit = SubmitField("Start counting")

    def validate_since(self, field):
        if field.data is None:  # typed without a date picker, and not a date: say how, kindly
            field.errors.clear()  # (in place of WTForms' "Not a valid date value.")
            raise StopValidation("Please give the date as year-month-day, like 2026-03-14.")
        if field.data > today():
            raise ValidationError("That date is still to come. Please pick today or a day before.")
        if field.data < EARLIEST:
            raise ValidationError("Please pick a date after 1900.")


class ConfirmForm(FlaskForm):
    """A button that needs nothing but its CSRF token: sharing, starting again, removing."""
    submit = SubmitField("Yes")



