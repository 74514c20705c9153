"""The writing forms' shared steps, used by the thread, reply and edit views: a draft put
back into the form, a draft kept when a submit is refused, and the "Preview" submit (the
same page again, with the words rendered by forum.content.render, as the post will be)."""
from flask import flash, request, session
from flask_login import current_user

from .. import content, ratelimit
from ..extensions import db
from . import drafts

PREVIEW_SLOW_DOWN = "You've asked for a lot of previews in a short time. Please wait {wait}; your words are still here."
# Thread ids whose reply draft this browser saved: a thread page (read far more often than
# written) looks a draft up only where this says there may be one, so reading costs no
# query. A draft written on another device still waits on the reply page.
HINT, HINTS_KEPT = "draft_threads", 20
KEPT_WHILE_MUTED = ("What you wrote is kept as a draft: it will be waiting in the form when your pause ends. "
                    "Nobody else can see it.")


def note(kept, thread=None):
    """Remember (or forget) in this browser that `thread` holds the member's reply draft."""
    if thread is None:
        return
    hints = [t for t in session.get(HINT, []) if t != thread.id]
    if kept or hints != session.get(HINT, []):
        session[HINT] = (hints + [thread.id])[-HINTS_KEPT:] if kept else hints


def may_have_draft(thread):
    return thread.id in session.get(HINT, ())


def discard(thread=None, board=None):
    """The post is made (or the member threw the draft away): no draft here any more."""
    drafts.discard(current_user, thread, board)
    note(False, thread)


def values(form):
    """The draft's fields as the form holds them (a reply form has no title)."""
    return {name: form[name].data or "" for name in drafts.FIELDS if name in form._fields}


def restore(form, draft):
    """Put the member's draft into a form being shown afresh. True if there was one."""
    if draft is None:
        return False
    for name in drafts.FIELDS:
        if name in form._fields:
            form[name].data = getattr(draft, name)
    return True


def keep(form, thread=None, board=None):
    """A submit was refused (invalid, too fast, a preview): keep what was sent as the
    member's draft, when a draft may hold it, and commit. True if a draft is kept."""
    sent = values(form)
    if drafts.problem(sent) or drafts.already_posted(current_user, form.token()):
        return False
    kept = drafts.save(current_user, sent, thread, board) is not None
    db.session.commit()
    note(kept, thread)
    return kept


def keep_sent(thread=None, board=None):
    """Keep the words of a POST that a guard refused before its view ran (a mute)."""
    sent = {name: request.form.get(name, "") for name in drafts.FIELDS}
    if drafts.problem(sent) or drafts.already_posted(current_user, request.form.get("form_token")):
        return
    if drafts.save(current_user, sent, thread, board) is not None:
        db.session.commit()
        note(True, thread)
        flash(KEPT_WHILE_MUTED)


def before_posting(form, thread=None, board=None):
    """A writing form's first step: (what its page shows, the status of a preview or None).
    Shown afresh, the form gets the member's draft back; a "Preview" submit gets the words
    rendered, keeps them as the draft, and its page is the answer (the status is not None)."""
    if request.method == "GET":
        return {"restored": restore(form, drafts.find(current_user, thread, board))}, None
    if form.preview.data:
        shown, status = preview(form)
        return {"preview": shown, "restored": keep(form, thread, board)}, status
    return {}, None


def preview(form):
    """For a "Preview" submit: (the body as HTML or None, HTTP status). None comes with the
    reason on the form: its body's own checks, or the preview rate limit."""
    key = ratelimit.member_key(current_user)
    if not form.body.validate(form):
        return None, 400
    if not ratelimit.take("LIMIT_PREVIEW", key):
        form.form_errors.append(PREVIEW_SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_PREVIEW", key)))
        return None, 429
    return content.render(form.body.data), 200
