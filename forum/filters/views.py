"""The filters and blocks page (/filters): choose topics and muted words, block a member
by handle, unblock. Each change is a plain form (CSRF, checked on the server, rate
limited); a refused one keeps what was typed and says why."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from .. import ratelimit
from ..extensions import db
from ..forms import NoHiddenCharacters
from . import settings, topics

bp = Blueprint("filters", __name__, url_prefix="/filters")

SLOW_DOWN = "You've changed your filters a lot in a short time. Please wait {wait} and try again."
WORDS_FIELD_MAX = 3_000  # characters in the muted words box: room for WORDS_MAX words


class FiltersForm(FlaskForm):
    topics = SelectMultipleField("Topics to hide", choices=[SelectChoice(key, label)
                                                            for key, (label, _) in topics.TOPICS.items()],
                                 widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                                 validate_choice=True)
    words = TextAreaField("Muted words", description=(
        "One per line, or separated by commas. Whole words only: add a * to also match longer words "
        "(drink* hides drinks and drinking). Up to 50."), validators=[
        Length(max=WORDS_FIELD_MAX, message="That's more words than we can keep. Please shorten the list."),
        NoHiddenCharacters()])
    save = SubmitField("Save filters")


class BlockForm(FlaskForm):
    handle = StringField("Their handle", description="As it shows on their posts, for example CalmOtter12.",
                         validators=[DataRequired("Please type the handle of the member to block."),
                                     Length(max=40, message="Handles are shorter than that. Please check it.")])
    block = SubmitField("Block")


class UnblockForm(FlaskForm):
    pass


@bp.after_request
def _private(response):
    response.headers["Cache-Control"] = "no-store"  # whom a member blocks is theirs alone
    return response


def _page(filters_form=None, block_form=None, status=200, error=None):
    topic_keys, words = settings.filters_of(current_user.id)
    if filters_form is None:
        filters_form = FiltersForm(formdata=None, topics=topic_keys, words="\n".join(words))
    if block_form is None:
        block_form = BlockForm(formdata=None, handle=request.args.get("block", "")[:40])
    return render_template("filters/settings.html", filters_form=filters_form, block_form=block_form,
                           unblock_form=UnblockForm(), blocks=settings.blocks_of(current_user.id),
                           error=error), status


def _slowed():
    """None while the member may change their filters, else the words to wait by."""
    key = ratelimit.member_key(current_user)
    if ratelimit.take("LIMIT_FILTERS", key):
        return None
    return SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_FILTERS", key))


@bp.get("")
@login_required
def show():
    return _page()


@bp.post("")
@login_required
def save():
    form = FiltersForm()
    if not form.validate_on_submit():
        return _page(filters_form=form, status=400)
    try:
        words = settings.muted_words(form.words.data)
    except settings.Refused as refused:
        form.words.errors = [str(refused)]
        return _page(filters_form=form, status=400)
    if slowed := _slowed():
        return _page(filters_form=form, status=429, error=slowed)
    settings.save_filters(current_user, form.topics.data or [], words)
    db.session.commit()
    flash("Your filters are saved. Posts and messages they match are tucked away, with a way to show each one.")
    return redirect(url_for("filters.show"))


@bp.post("/block")
@login_required
def block():
    form = BlockForm()
    if not form.validate_on_submit():
        return _page(block_form=form, status=400)
    if slowed := _slowed():
        return _page(block_form=form, status=429, error=slowed)
    try:
        other = settings.block(current_user, form.handle.data)
    except settings.Refused as refused:
        form.handle.errors = [str(refused)]
        return _page(block_form=form, status=400)
    handle = other.handle
    db.session.commit()
    flash(f"You've blocked {handle}. Their posts and chat messages are tucked away for you, and they can't "
          "notify you. They aren't told.")
    return redirect(url_for("filters.show"))


@bp.post("/unblock/<int:member_id>")
@login_required
def unblock(member_id):
    if not UnblockForm().validate_on_submit():
        return _page(status=400, error="That form had expired. Please try again.")
    if slowed := _slowed():
        return _page(status=429, error=slowed)
    handle = settings.unblock(current_user, member_id)
    db.session.commit()
    if handle is not None:
        flash(f"You've unblocked {handle}. Their posts and messages show again.")
    return redirect(url_for("filters.show"))
