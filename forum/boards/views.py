from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from moderation import access, help

from .. import ratelimit
from ..guards import require
from ..extensions import db
from ..models import REACTIONS, Board, Post, Thread
from . import bp, search as search_module, service
from .forms import ActionForm, EditForm, ReplyForm, ThreadForm

SLOW_DOWN = "You're posting quickly. Please wait a few seconds and send it again; your words are still here."


def _muted(member):
    if member.muted():
        return (f"A moderator paused your posting until {member.muted_until:%-d %b, %H:%M} UTC to keep the "
                "space calm. You can still read, and reach out on the Need help now? page.")
    return None


# Muted members can read, but not write, until their mute ends.
_unless_muted = require(_muted, "You're paused from posting for now")


def _page():
    """The ?page= number; anything odd reads as page 1 rather than an error."""
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 100_000 else 1


def _get_or_404(model, ident, *options):
    item = db.session.get(model, ident, options=options)
    if item is None:
        abort(404)
    return item


def _board(slug):
    board = db.session.scalar(select(Board).where(Board.slug == slug))
    if board is None:
        abort(404)
    return board


def _post_url(post):
    page = service.page_of(post, current_app.config["POSTS_PER_PAGE"])
    return url_for("boards.thread", thread_id=post.thread_id, page=page if page > 1 else None, _anchor=f"p{post.id}")


@bp.get("/")
def index():
    return render_template("boards/index.html", boards=service.boards_overview())


@bp.get("/b/<slug>")
def board(slug):
    board = _board(slug)
    page = _page()
    threads, more = service.board_threads(board, page, current_app.config["THREADS_PER_PAGE"],
                                          viewer_id=current_user.id if current_user.is_authenticated else None,
                                          show_held=access.can_moderate(current_user))
    return render_template("boards/board.html", board=board, threads=threads, page=page, more=more)


@bp.route("/b/<slug>/new", methods=["GET", "POST"])
@login_required
@_unless_muted
def new_thread(slug):
    board = _board(slug)
    form = ThreadForm()
    if form.validate_on_submit():
        if not ratelimit.take("LIMIT_THREAD", ratelimit.member_key(current_user)):
            form.form_errors.append(SLOW_DOWN)
            return render_template("boards/new_thread.html", board=board, form=form), 429
        post, _ = service.create_thread(board, current_user, form.title.data, form.body.data,
                                        form.content_warning.data, form.token())
        db.session.commit()
        return redirect(url_for("boards.thread", thread_id=post.thread_id))
    return render_template("boards/new_thread.html", board=board, form=form), 400 if form.errors else 200


@bp.get("/t/<int:thread_id>")
def thread(thread_id):
    thread = _get_or_404(Thread, thread_id, joinedload(Thread.board))
    page = _page()
    per_page = current_app.config["POSTS_PER_PAGE"]
    posts = service.thread_page(thread, page, per_page, current_user)
    if not posts and page > 1:
        abort(404)
    pages = max(1, -(-thread.post_count // per_page))
    at_risk = help.posts_needing_help(current_user, thread.id)
    return render_template("boards/thread.html", thread=thread, posts=posts, page=page, pages=pages,
                           reply_form=ReplyForm(), action_form=ActionForm(),
                           can_see_held=access.can_moderate(current_user),
                           at_risk=at_risk, help=help.help_for(current_user) if at_risk else None)


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
@_unless_muted
def reply(thread_id):
    thread = _get_or_404(Thread, thread_id)
    form = ReplyForm()
    parent_id = request.values.get("parent_id", "")
    parent = None
    if parent_id:
        parent = db.session.get(Post, int(parent_id)) if parent_id.isdigit() and len(parent_id) < 10 else None
        if parent is None or parent.thread_id != thread.id:
            abort(404)
    form.parent_id.data = str(parent.id) if parent else ""
    if form.validate_on_submit():
        if not ratelimit.take("LIMIT_POST", ratelimit.member_key(current_user)):
            form.form_errors.append(SLOW_DOWN)
            return render_template("boards/reply.html", thread=thread, parent=parent, form=form), 429
        post, _ = service.reply(thread, current_user, form.body.data, parent, form.content_warning.data, form.token())
        db.session.commit()
        return redirect(_post_url(post))
    status = 400 if form.errors else 200
    return render_template("boards/reply.html", thread=thread, parent=parent, form=form), status


@bp.get("/p/<int:post_id>")
def post(post_id):
    return redirect(_post_url(_get_or_404(Post, post_id)))


def _own_post(post_id):
    """The post, if the signed-in member wrote it: every change goes through this check."""
    post = _get_or_404(Post, post_id)
    if post.author_id != current_user.id:
        abort(403)
    if post.deleted_at is not None:
        abort(410)
    return post


@bp.route("/p/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@_unless_muted
def edit(post_id):
    post = _own_post(post_id)
    form = EditForm(obj=None if request.method == "POST" else post)
    if request.method == "GET":
        form.body.data = post.body_md
        form.title.data = post.thread.title if post.is_opening else None
    if form.validate_on_submit():
        service.edit_post(post, current_user, form.body.data, form.content_warning.data,
                          form.title.data if post.is_opening and form.title.data else None)
        db.session.commit()
        flash("Your changes are saved.")
        return redirect(_post_url(post))
    return render_template("boards/edit.html", post=post, form=form), 400 if form.errors else 200


@bp.post("/p/<int:post_id>/delete")
@login_required
def delete(post_id):
    post = _own_post(post_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    service.delete_post(post, current_user)
    db.session.commit()
    flash("Your post is removed. Replies to it stay in place.")
    return redirect(_post_url(post))


@bp.post("/p/<int:post_id>/react/<kind>")
@login_required
def react(post_id, kind):
    post = _get_or_404(Post, post_id)
    if kind not in REACTIONS:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        service.toggle_reaction(post, current_user, kind)
    except service.NotAllowed:
        abort(409)
    db.session.commit()
    return redirect(_post_url(post))


@bp.get("/search")
def search():
    query = request.args.get("q", "")[:200]
    page = _page()
    hits, more = search_module.search(query, page) if query.strip() else ([], False)
    return render_template("boards/search.html", query=query, hits=hits, page=page, more=more)
