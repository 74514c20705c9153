"""Following threads and boards (POST forms), the Following page, and "jump to the first
unread post". The reading itself (read marks, unread counts) is forum.following's, which
the thread and board pages (views) call too."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from moderation import visibility

from .. import following, ratelimit
from ..errors import render_error
from ..extensions import db
from ..models import Post
from ..security import safe_next
from . import bp, service
from .forms import ActionForm
from .views import _board, _page, _post_url, _thread_as_seen

FOLLOWS_SLOW_DOWN = ("You've followed and unfollowed a lot in a short time. Please wait {wait} and try "
                     "again; nothing you chose before has changed.")


def _may_change():
    """CSRF and the rate limit for a follow button; None when the change may go ahead."""
    if not ActionForm().validate_on_submit():
        abort(400)
    key = ratelimit.member_key(current_user)
    if not ratelimit.take("LIMIT_FOLLOW", key):
        return render_error(429, detail=FOLLOWS_SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_FOLLOW", key)))
    return None


@bp.post("/t/<int:thread_id>/follow", defaults={"on": True}, endpoint="follow_thread")
@bp.post("/t/<int:thread_id>/unfollow", defaults={"on": False}, endpoint="unfollow_thread")
@login_required
def follow_thread(thread_id, on):
    thread, title, _ = _thread_as_seen(thread_id)
    if refused := _may_change():
        return refused
    following.follow_thread(current_user.id, thread.id, on)
    db.session.commit()
    flash(f"You're following “{title}”. Replies will show in your notifications." if on else
          f"You've stopped following “{title}”. You won't be told of its replies.")
    return redirect(safe_next(request.form.get("next") or url_for("boards.thread", thread_id=thread.id)))


@bp.post("/b/<slug>/follow", defaults={"on": True}, endpoint="follow_board")
@bp.post("/b/<slug>/unfollow", defaults={"on": False}, endpoint="unfollow_board")
@login_required
def follow_board(slug, on):
    board = _board(slug)
    if refused := _may_change():
        return refused
    following.follow_board(current_user.id, board.id, on)
    db.session.commit()
    flash(f"You're following {board.name}. New threads there will show in your notifications." if on else
          f"You've stopped following {board.name}.")
    return redirect(safe_next(request.form.get("next") or url_for("boards.board", slug=board.slug)))


@bp.get("/t/<int:thread_id>/unread")
@login_required
def first_unread(thread_id):
    """The thread at its first post the member has not read (where they left off), or at
    its start when there is none."""
    thread, _, reader = _thread_as_seen(thread_id)
    state = following.thread_state(reader, thread.id)
    post = db.session.get(Post, state.first_unread) if state.first_unread else None
    return redirect(_post_url(post) if post else url_for("boards.thread", thread_id=thread.id))


@bp.get("/following")
@login_required
def following_page():
    page = _page()
    reader = visibility.reader()
    threads, more = following.followed_threads(reader, page)
    titles = {f.thread.id: service.shown_title(f.thread, f.opening, reader) for f in threads}
    return render_template("boards/following.html", threads=threads, titles=titles, page=page, more=more,
                           boards=following.followed_boards(current_user.id), action_form=ActionForm())
