from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Regexp

from ..forms import NoHiddenCharacters
from .rooms import SLOW_MODE_MAX


class RoomForm(FlaskForm):
    """What an admin sets on a group room."""

    title = StringField("Name", validators=[DataRequired(message="Please give the room a name."), Length(max=100),
                                            NoHiddenCharacters(single_line=True)])
    slug = StringField("Web address", description="Lower-case letters, digits and hyphens, e.g. evening-wind-down.",
                       validators=[DataRequired(message="Please choose a web address."), Length(max=60),
                                   Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$", message="Use lower-case letters, digits and hyphens.")])
    topic = TextAreaField("Topic", validators=[Length(max=500), NoHiddenCharacters()])
    guidelines = TextAreaField("Guidelines", validators=[Length(max=2000), NoHiddenCharacters()])
    slow_mode_s = IntegerField("Slow mode (seconds between messages; 0 for off)", default=0,
                               validators=[NumberRange(min=0, max=SLOW_MODE_MAX)])
    locked = BooleanField("Locked (members can read but not send)")
    archived = BooleanField("Archived (hidden and closed)")
    submit = SubmitField("Save room")


class ActionForm(FlaskForm):
    """A button that only needs its CSRF token."""
