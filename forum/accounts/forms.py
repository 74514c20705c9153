from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from . import handles

PASSPHRASE_HELP = "8 to 128 characters. A few unrelated words you can remember work well."


class HandleRules:
    def __call__(self, form, field):
        if reason := handles.problem(field.data or ""):
            raise ValidationError(reason)


def _passphrase(label="Passphrase"):
    return PasswordField(
        label,
        validators=[DataRequired(), Length(min=8, max=128, message="Passphrases are 8 to 128 characters long.")],
        description=PASSPHRASE_HELP,
    )


def _confirmation():
    return PasswordField(
        "Passphrase again",
        validators=[DataRequired(), EqualTo("passphrase", message="The two passphrases are not the same.")],
    )


def _handle():
    return StringField("Your handle", validators=[DataRequired(), HandleRules()],
                       description="How others will see you. Letters, digits, _ and -; 3 to 24 characters.")


class SignupForm(FlaskForm):
    handle = _handle()
    passphrase = _passphrase()
    confirm = _confirmation()
    reroll = SubmitField("Suggest another handle")
    submit = SubmitField("Join Lantern")


class TalkForm(FlaskForm):
    """Joining to talk to a moderator now: one step, so no passphrase twice (the recovery
    code, shown next, mends a typo)."""
    handle = _handle()
    passphrase = _passphrase()
    reroll = SubmitField("Suggest another handle")
    submit = SubmitField("Join and talk to a moderator")


class LoginForm(FlaskForm):
    handle = StringField("Handle", validators=[DataRequired(), Length(max=24)])
    passphrase = PasswordField("Passphrase", validators=[DataRequired(), Length(max=128)])
    submit = SubmitField("Log in")


class RecoverForm(FlaskForm):
    handle = StringField("Handle", validators=[DataRequired(), Length(max=24)])
    code = StringField("Recovery code", validators=[DataRequired(), Length(max=64)],
                       description="The code you saw when you joined, like ABCDE-FGHJK-MNPQR-STUVW.")
    passphrase = _passphrase("New passphrase")
    confirm = _confirmation()
    submit = SubmitField("Set new passphrase")


class DeleteAccountForm(FlaskForm):
    posts = RadioField(
        "What should happen to what you wrote?",
        choices=[
            SelectChoice("keep", "Keep my posts and chat messages, shown as written by “former member”"),
            SelectChoice("remove", "Remove my posts and chat messages (replies from others stay in place)"),
        ],
        default="keep",
        validators=[DataRequired()],
    )
    passphrase = PasswordField("Your passphrase, to confirm", validators=[DataRequired(), Length(max=128)])
    submit = SubmitField("Delete my account")


class LogoutEverywhereForm(FlaskForm):
    submit = SubmitField("Log out everywhere")
