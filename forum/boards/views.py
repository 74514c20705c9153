from functools import wraps

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from moderation import help, visibility

from .. import following, ratelimit
from ..errors import render_error
from ..extensions import db
from ..filters import lens
from ..guards import require
from ..models import REACTIONS, Board, Post
from . import bp, compose, drafts, service
from . import search as search_module
from .forms import ActionForm, EditForm, ReplyForm, ThreadForm

SLOW_DOWN = "You're posting quickly. Please wait a few seconds and send it again; your words are still here."
EDITS_SLOW_DOWN = ("You've saved a lot of changes in a short time. Please wait {wait} and save again; "
                   "your words are still here.")
REACTIONS_SLOW_DOWN = ("You've given or taken back a lot of reactions in a short time. Please wait {wait} "
                       "and try again; the reactions you gave are all still there.")


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


def _post_url(post, anchor=None):
    page = service.page_of(post, current_app.config["POSTS_PER_PAGE"])
    return url_for("boards.thread", thread_id=post.thread_id, page=page if page > 1 else None,
                   _anchor=anchor or f"p{post.id}")


def _written_url(post, otherwise):
    """Where the author lands after writing or editing a post: at the help panel when their
    words raised it (it sits just above the post; static/help.js focuses its heading), so
    on a phone it is in view rather than off-screen above; else `otherwise`."""
    return _post_url(post, anchor=f"help-{post.id}") if help.post_needs_help(current_user, post) else otherwise


@bp.get("/")
def index():
    return render_template("boards/index.html", boards=service.boards_overview())


@bp.get("/b/<slug>")
def board(slug):
    board = _board(slug)
    page = _page()
    reader = visibility.reader()
    threads, more = service.board_threads(board, page, current_app.config["THREADS_PER_PAGE"], reader, lens.current())
    reading = following.threads_state(reader, [thread.id for thread, *_ in threads]) if reader.id else {}
    return render_template("boards/board.html", board=board, threads=threads, page=page, more=more,
                           reading=reading, action_form=ActionForm(),
                           board_followed=reader.id is not None and following.follows_board(reader.id, board.id))


def _keeping_draft(view):
    """A muted member's submit is refused (_unless_muted), but their words are kept as a draft."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user.is_authenticated and current_user.muted() and request.method == "POST":
            compose.keep_sent(**_draft_place(**kwargs))
        return view(*args, **kwargs)
    return wrapped


def _draft_place(thread_id=None, slug=None):
    return {"thread": _thread_as_seen(thread_id)[0]} if thread_id is not None else {"board": _board(slug)}


def _writing(template, status=200, **page):
    """A writing form's page: private once it may hold the member's draft."""
    response = current_app.make_response((render_template(template, **page), status))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/b/<slug>/new", methods=["GET", "POST"])
@login_required
@_keeping_draft
@_unless_muted
def new_thread(slug):
    board = _board(slug)
    form = ThreadForm()
    page = {"board": board, "form": form}
    shown, previewed = compose.before_posting(form, board=board)
    page.update(shown)
    if previewed:
        return _writing("boards/new_thread.html", previewed, **page)
    if form.validate_on_submit():
        if not ratelimit.take("LIMIT_THREAD", ratelimit.member_key(current_user)):
            form.form_errors.append(SLOW_DOWN)
            page["restored"] = compose.keep(form, board=board)
            return _writing("boards/new_thread.html", 429, **page)
        post, _ = service.create_thread(board, current_user, form.title.data, form.body.data,
                                        form.content_warning.data, form.token())
        compose.discard(board=board)
        db.session.commit()
        return redirect(_written_url(post, url_for("boards.thread", thread_id=post.thread_id)))
    if form.errors:
        page["restored"] = compose.keep(form, board=board)
    return _writing("boards/new_thread.html", 400 if form.errors else 200, **page)


@bp.get("/t/<int:thread_id>")
def thread(thread_id):
    thread, title, reader = _thread_as_seen(thread_id, with_board=True)
    page = _page()
    per_page = current_app.config["POSTS_PER_PAGE"]
    # How far the member had read, before this page moves it (guests have no reading).
    reading = following.thread_state(reader, thread.id) if reader.id else None
    posts = service.thread_page(thread, page, per_page, current_user, reader, lens.current())
    if not posts and page > 1:
        abort(404)
    pages = max(1, -(-thread.post_count // per_page))
    at_risk = help.posts_needing_help(current_user, thread.id)
    signed_in = current_user.is_authenticated
    # A guest is shown no forms (no reply box, no reaction buttons): none is made for them.
    reply_form, action_form = (ReplyForm(), ActionForm()) if signed_in else (None, None)
    restored = (signed_in and compose.may_have_draft(thread)
                and compose.restore(reply_form, drafts.find(current_user, thread=thread)))
    response = current_app.make_response(render_template(
        "boards/thread.html", thread=thread, title=title, posts=posts, page=page, pages=pages,
        reply_form=reply_form, restored=restored, action_form=action_form, reading=reading,
        first_unread_here=reading is not None and any(view.post.id == reading.first_unread for view in posts),
        at_risk=at_risk, help=help.help_for(current_user) if at_risk else None))
    # The page is rendered: the member has now been shown it up to its newest post. (After
    # rendering, so the commit expires nothing the template still reads.)
    newest = max((view.post.id for view in posts if view.shown), default=None)
    if reading is not None and newest is not None and newest > (reading.mark or 0):
        following.mark_read(reader.id, thread.id, newest)
        db.session.commit()
    if at_risk or restored:
        # The panel holds the member's own safety plan; a draft is theirs alone too.
        response.headers["Cache-Control"] = "no-store"
    return response


def _thread_as_seen(thread_id, with_board=False):
    """(thread, the title this reader may see, their Reader); 404 when none of the thread
    is theirs to see (visibility: held or hidden words)."""
    thread, opening = service.thread_with_opening(thread_id, with_board)  # one query, not two
    if thread is None:
        abort(404)
    reader = visibility.reader()
    title = service.thread_as_seen(thread, reader, opening)
    if title is None:
        abort(404)
    return thread, title, reader


@bp.route("/t/<int:thread_id>/reply", methods=["GET", "POST"])
@login_required
@_keeping_draft
@_unless_muted
def reply(thread_id):
    thread, title, reader = _thread_as_seen(thread_id)
    form = ReplyForm()
    parent_id = request.values.get("parent_id", "")
    parent = None
    if parent_id:
        parent = db.session.get(Post, int(parent_id)) if parent_id.isdigit() and len(parent_id) < 10 else None
        if parent is None or parent.thread_id != thread.id:
            abort(404)
        if not visibility.may_read(parent, reader):
            parent = None  # words they may not read (hidden or held since): a reply to the thread
    form.parent_id.data = str(parent.id) if parent else ""
    page = {"thread": thread, "title": title, "parent": parent, "form": form}
    shown, previewed = compose.before_posting(form, thread=thread)
    page.update(shown)
    if previewed:
        return _writing("boards/reply.html", previewed, **page)
    if form.validate_on_submit():
        if not ratelimit.take("LIMIT_POST", ratelimit.member_key(current_user)):
            form.form_errors.append(SLOW_DOWN)
            page["restored"] = compose.keep(form, thread=thread)
            return _writing("boards/reply.html", 429, **page)
        post, _ = service.reply(thread, current_user, form.body.data, parent, form.content_warning.data, form.token())
        compose.discard(thread=thread)
        db.session.commit()
        return redirect(_written_url(post, _post_url(post)))
    if form.errors:
        page["restored"] = compose.keep(form, thread=thread)
    return _writing("boards/reply.html", 400 if form.errors else 200, **page)


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
    if request.method == "POST" and form.preview.data:
        shown, status = compose.preview(form)
        return render_template("boards/edit.html", post=post, form=form, preview=shown), status
    if form.validate_on_submit():
        key = ratelimit.member_key(current_user)
        if not ratelimit.take("LIMIT_EDIT", key):
            form.form_errors.append(EDITS_SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_EDIT", key)))
            return render_template("boards/edit.html", post=post, form=form), 429
        service.edit_post(post, current_user, form.body.data, form.content_warning.data,
                          form.title.data if post.is_opening and form.title.data else None)
        db.session.commit()
        flash("Your changes are saved.")
        return redirect(_written_url(post, _post_url(post)))
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
    key = ratelimit.member_key(current_user)
    if not ratelimit.take("LIMIT_REACT", key):
        return render_error(429, detail=REACTIONS_SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_REACT", key)))
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
    boards = search_module.boards()
    # A board that isn't one (an old link) searches them all, rather than an error.
    board = next((b for b in boards if b.slug == request.args.get("board")), None)
    hits, more = search_module.search(query, visibility.reader(), page, board=board) if query.strip() else ([], False)
    seen = lens.current()  # the member's own filters and blocks tuck hits away in place
    tucked = {hit.post.id: seen.hides(hit.post.author_id, hit.title.striptags(), hit.post.content_warning,
                                      hit.post.body_md)
              for hit in hits}
    return render_template("boards/search.html", query=query, hits=hits, page=page, more=more, tucked=tucked,
                           has_words=bool(search_module.terms(query)), boards=boards, board=board,
                           board_names={b.id: b.name for b in boards})
