import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from ..forms import NoHiddenCharacters
from ..models import ABOUT_MAX

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class NotInTheFuture:
    def __call__(self, form, field):
        month = as_month(field.data)
        if month is not None and month > date.today():
            raise ValidationError("That month hasn't come yet. Please pick this month or an earlier one.")
        if month is not None and month.year < 1900:
            raise ValidationError("Please pick a month from 1900 on.")


def as_month(value):
    """'2021-03' as the first day of that month, or None (empty or not a month)."""
    if not value or not re.match(MONTH, value):
        return None
    year, month = value.split("-")
    return date(int(year), int(month), 1)


class ProfileForm(FlaskForm):
    about = StringField(
        "A line about you (optional)",
        validators=[Optional(), Length(max=ABOUT_MAX, message=f"Please keep it under {ABOUT_MAX} characters."),
                    NoHiddenCharacters(single_line=True)],
        description="For example “Dad of two, one day at a time” or “Learning to be kind to myself”.",
    )
    recovery_since = StringField(
        "In recovery since (optional)",
        validators=[Optional(), Length(max=7),
                    Regexp(MONTH, message="Please give a month like 2021-03 (year, then month)."), NotInTheFuture()],
        description="A month is enough, written like 2021-03. Leave it empty if you'd rather not say.",
        render_kw={"type": "month", "placeholder": "2021-03"},
    )
    submit = SubmitField("Save my profile")
