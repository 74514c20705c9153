"""Form pieces shared by every blueprint: text checks and the double-submit token."""
import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import ValidationError

from .text import text_problem

POST_MAX = 20_000  # characters in one post or reply (a moderator's reply too)


class NoHiddenCharacters:
    """Refuse bidi controls, control characters and (in one-line fields) zero-width ones."""

    def __init__(self, single_line=False):
        self.single_line = single_line

    def __call__(self, form, field):
        if field.data and (reason := text_problem(field.data, single_line=self.single_line)):
            raise ValidationError(reason)


class IdempotentForm(FlaskForm):
    """A form whose submissions carry a token made when the form was shown, so that a
    double click or a resent request finds the first result instead of making another."""

    form_token = HiddenField(default=lambda: secrets.token_urlsafe(16))

    def token(self):
        value = (self.form_token.data or "").strip()
        return value[:64] or None
