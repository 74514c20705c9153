"""What static/drafts.js calls while a member writes: save the draft (debounced, as they
type), discard it, and preview the words. Each answers JSON to the script; discarding is
also the plain form's "Discard draft" button, which comes back to the form."""
from flask import flash, jsonify, redirect, request, url_for
from flask_login import current_user, login_required

from .. import content, ratelimit
from ..extensions import db
from ..forms import POST_MAX
from ..text import text_problem
from . import bp, compose, drafts
from .views import _board, _thread_as_seen

SAVE_SLOW_DOWN = "Not saved just now: lots of saves in a short time. We'll try again in a moment."
PREVIEW_SLOW_DOWN = "Lots of previews in a short time. Please wait a moment and try again."


def _wants_json():
    return request.accept_mimetypes.best == "application/json"


def _save(thread=None, board=None):
    sent = {name: request.form.get(name, "") for name in drafts.FIELDS}
    if reason := drafts.problem(sent):
        return jsonify(error=reason), 400
    if drafts.already_posted(current_user, request.form.get("form_token")):
        return jsonify(saved=False, posted=True)  # a late save after the post went through
    if not ratelimit.take("LIMIT_DRAFT", ratelimit.member_key(current_user)):
        return jsonify(error=SAVE_SLOW_DOWN), 429
    draft = drafts.save(current_user, sent, thread, board)
    db.session.commit()
    compose.note(draft is not None, thread)
    return jsonify(saved=draft is not None)


def _discard(back, thread=None, board=None):
    compose.discard(thread, board)
    db.session.commit()
    if _wants_json():
        return jsonify(discarded=True)
    flash("Your draft is discarded.")
    return redirect(back)


# Muted members may still save and discard: a draft is theirs alone, and it waits for them.
@bp.post("/t/<int:thread_id>/draft")
@login_required
def save_reply_draft(thread_id):
    return _save(thread=_thread_as_seen(thread_id)[0])


@bp.post("/t/<int:thread_id>/draft/discard")
@login_required
def discard_reply_draft(thread_id):
    thread = _thread_as_seen(thread_id)[0]
    return _discard(url_for("boards.reply", thread_id=thread.id), thread=thread)


@bp.post("/b/<slug>/draft")
@login_required
def save_thread_draft(slug):
    return _save(board=_board(slug))


@bp.post("/b/<slug>/draft/discard")
@login_required
def discard_thread_draft(slug):
    board = _board(slug)
    return _discard(url_for("boards.new_thread", slug=board.slug), board=board)


@bp.post("/preview")
@login_required
def preview():
    """The words as they will look once posted: the post's own renderer and sanitiser."""
    body = request.form.get("body", "")
    if len(body) > POST_MAX:
        return jsonify(error=f"Posts can be up to {POST_MAX:,} characters."), 400
    if reason := text_problem(body):
        return jsonify(error=reason), 400
    if not ratelimit.take("LIMIT_PREVIEW", ratelimit.member_key(current_user)):
        return jsonify(error=PREVIEW_SLOW_DOWN), 429
    if not body.strip():
        return jsonify(html="", empty="Nothing to preview yet: write something first.")
    return jsonify(html=content.render(body))
