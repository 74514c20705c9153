from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import POST_MAX, IdempotentForm, NoHiddenCharacters

TITLE_MAX = 200
CW_MAX = 100


def _body():
    return TextAreaField(
        "Your words",
        validators=[DataRequired(message="Please write something first."),
                    Length(max=POST_MAX, message=f"Posts can be up to {POST_MAX:,} characters."),
                    NoHiddenCharacters()],
        description="You can use Markdown: *emphasis*, **bold**, > quotes, lists and links.",
    )


def _content_warning():
    return StringField(
        "Content warning (optional)",
        validators=[Optional(), Length(max=CW_MAX, message=f"Keep the warning under {CW_MAX} characters."),
                    NoHiddenCharacters(single_line=True)],
        description="For example “self-harm mention” or “relapse”. Readers will see only this until they choose to open your post.",
    )


def _title():
    return StringField(
        "Title",
        validators=[DataRequired(message="Please give your thread a title."),
                    Length(max=TITLE_MAX, message=f"Titles can be up to {TITLE_MAX} characters."),
                    NoHiddenCharacters(single_line=True)],
    )


def _preview():
    # After the form's own submit button, so that Enter in a one-line field still posts.
    return SubmitField("Preview")


class ThreadForm(IdempotentForm):
    title = _title()
    content_warning = _content_warning()
    body = _body()
    submit = SubmitField("Post thread")
    preview = _preview()


class ReplyForm(IdempotentForm):
    parent_id = HiddenField()
    content_warning = _content_warning()
    body = _body()
    submit = SubmitField("Post reply")
    preview = _preview()


class EditForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=TITLE_MAX), NoHiddenCharacters(single_line=True)])
    content_warning = _content_warning()
    body = _body()
    submit = SubmitField("Save changes")
    preview = _preview()


class ActionForm(FlaskForm):
    """A bare form for one-button actions (react, delete): it carries the CSRF token."""
