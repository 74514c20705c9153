"""Boards, threads, posts and reactions: the writes, and the reads that pages need.

Every function takes plain values and does its work in the caller's transaction, so the
HTTP views and (later) Socket.IO handlers share one path, and a caller can add more to
the same transaction before it commits.
"""
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import and_, bindparam, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload, selectinload

from moderation import flags, visibility
from moderation.screening import screen

from .. import content, following
from ..extensions import db
from ..filters.lens import NOBODY
from ..models import REACTIONS, Board, Member, Post, Reaction, Thread, utcnow
from ..notifications import service as notifications
from ..offload import run_blocking

KEY_WIDTH = 10  # zero-padded ids in sort keys: ordered as strings up to 10^10 posts
# Shown instead of a thread's title to a reader who may not read its opening post.
WITHHELD_TITLE = "Title hidden for now"


class NotAllowed(Exception):
    """The member may not do this to this item."""


def _key(post_id):
    return str(post_id).zfill(KEY_WIDTH)


def _existing(author, token):
    if not token:
        return None
    return db.session.scalar(select(Post).where(Post.author_id == author.id, Post.client_token == token))


def _add_post(thread, author, body_md, content_warning, token, screening, parent=None):
    """Insert a post, give it its place in the thread's tree, and flag it if its screening
    says so: the post and its flag commit together, or neither does."""
    cap = current_app.config["REPLY_DEPTH_CAP"]
    post = Post(
        thread=thread,
        author_id=author.id,
        parent_id=parent.id if parent else None,
        body_md=body_md,
        body_html=content.render(body_md),
        content_warning=content_warning or None,
        client_token=token,
        sort_key="",
        depth=0 if parent is None else min(parent.depth + 1, cap),
    )
    db.session.add(post)
    db.session.flush()  # the id is part of the sort key
    if parent is None:
        post.sort_key = _key(post.id)
    elif parent.depth < cap:
        post.sort_key = f"{parent.sort_key}/{_key(post.id)}"
    else:
        # At the cap, a reply sits beside what it answers, in time order, and the page
        # says whom it answers.
        post.sort_key = f"{parent.sort_key.rsplit('/', 1)[0]}/{_key(post.id)}"
    thread.post_count = (thread.post_count or 0) + 1
    thread.last_post_at = post.created_at
    _apply(post, author, screening)
    return post


def _words(body_md, title=None):
    """What is screened: an opening post with its thread's title."""
    return body_md if title is None else f"{title}\n\n{body_md}"


def _screened(text):
    """Screen a post's words before anything is written.

    The learned model takes about a tenth of a second on a 5,000-character post, so it runs
    first, in a native thread (run_blocking), with no row or write lock held, and with the
    request's read-only transaction ended so that its pooled connection (SQLite's only one)
    serves other members meanwhile."""
    session = db.session()  # (the scoped proxy has no in_transaction)
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        session.commit()
    return run_blocking(screen, text)


def _apply(post, author, screening):
    if screening.hold:
        post.held_at = utcnow()
    flags.flag_content(member=author, screening=screening, post=post)


def _write_once(author, token, text, write):
    """Screen `text` and run write(screening), unless this token already made a post; a
    concurrent duplicate that loses the race on the unique index also finds the first post."""
    if existing := _existing(author, token):
        return existing, False
    screening = _screened(text)
    try:
        with db.session.begin_nested():
            return write(screening), True
    except IntegrityError:
        if existing := _existing(author, token):
            return existing, False
        raise


def create_thread(board, author, title, body_md, content_warning=None, token=None):
    """Returns (opening post, created?)."""
    def write(screening):
        thread = Thread(board=board, author_id=author.id, title=title.strip(), created_at=utcnow())
        db.session.add(thread)
        post = _add_post(thread, author, body_md, content_warning, token, screening)
        following.auto_follow(author.id, thread.id)
        notifications.posted(post, thread, author)
        return post
    return _write_once(author, token, _words(body_md, title.strip()), write)


def reply(thread, author, body_md, parent=None, content_warning=None, token=None):
    """Returns (post, created?). `parent` defaults to the thread's opening post."""
    if parent is None:
        parent = opening_post(thread)
    if parent.thread_id != thread.id:
        raise NotAllowed("that post is in another thread")

    def write(screening):
        post = _add_post(thread, author, body_md, content_warning, token, screening, parent)
        following.auto_follow(author.id, thread.id)
        notifications.posted(post, thread, author, parent)
        return post
    return _write_once(author, token, body_md, write)


def _own(post, member):
    if post.author_id != member.id or post.deleted_at is not None:
        raise NotAllowed("only its author can change a post")


def edit_post(post, member, body_md, content_warning=None, title=None):
    _own(post, member)
    title = title.strip() if title is not None and post.is_opening else None
    heading = (post.thread.title if title is None else title) if post.is_opening else None
    screening = _screened(_words(body_md, heading))
    before = post.body_md
    post.body_md = body_md
    post.body_html = content.render(body_md)
    post.content_warning = content_warning or None
    post.edited_at = utcnow()
    if title is not None:
        post.thread.title = title
    _apply(post, member, screening)
    notifications.posted(post, post.thread, member, before_md=before)  # whom the edit newly mentions


def delete_post(post, member):
    """The post keeps its place (replies stay under it) but loses its words."""
    _own(post, member)
    post.deleted_at = utcnow()
    post.body_md = post.body_html = ""
    post.content_warning = None


def hide_post(post, moderator):
    """A moderator hides the post: it keeps its place, and says it is hidden. True if it showed."""
    if post.hidden_at is not None:
        return False
    post.hidden_at, post.hidden_by_id = utcnow(), moderator.id
    return True


def restore_post(post):
    """Undo hide_post. True if it was hidden."""
    if post.hidden_at is None:
        return False
    post.hidden_at = post.hidden_by_id = None
    return True


def release_post(post):
    """A moderator reviewed held words: everyone can read them now. True if it was held."""
    if post.held_at is None:
        return False
    post.held_at = None
    return True


def toggle_reaction(post, member, kind):
    if kind not in REACTIONS:
        raise NotAllowed("unknown reaction")
    if not post.is_visible:
        raise NotAllowed("this post can't take reactions")
    removed = db.session.execute(
        delete(Reaction).where(Reaction.post_id == post.id, Reaction.member_id == member.id, Reaction.kind == kind)
    ).rowcount
    if not removed:
        try:
            with db.session.begin_nested():
                reaction = Reaction(post_id=post.id, member_id=member.id, kind=kind)
                db.session.add(reaction)
        except IntegrityError:
            return  # a double click: the reaction is already there, as wanted
        notifications.reacted(post, member, reaction.created_at)  # taking one back tells nobody


def opening_post(thread):
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id, Post.parent_id.is_(None)))


@cache
def _thread_query(with_board):
    """The thread and its opening post, built once (bound parameter: thread_id)."""
    opening = aliased(Post)
    query = (select(Thread, opening)
             .outerjoin(opening, and_(opening.thread_id == Thread.id, opening.parent_id.is_(None)))
             .where(Thread.id == bindparam("thread_id")))
    return query.options(joinedload(Thread.board)) if with_board else query


def thread_with_opening(thread_id, with_board=False):
    """(thread, its opening post or None), in one query; (None, None) when there is no
    such thread. `with_board`: load thread.board with it."""
    row = db.session.execute(_thread_query(with_board), {"thread_id": thread_id}).first()
    return (row[0], row[1]) if row is not None else (None, None)


# ---- reads -------------------------------------------------------------------------

def boards_overview():
    """Every board with its thread count and latest activity, in one query."""
    rows = db.session.execute(
        select(Board, func.count(Thread.id), func.max(Thread.last_post_at))
        .outerjoin(Thread, Thread.board_id == Board.id)
        .group_by(Board.id)
        .order_by(Board.position, Board.id)
    ).all()
    return [(board, count, latest) for board, count, latest in rows]


def board_threads(board, page, per_page, reader, lens=NOBODY):
    """A page of the board's threads, latest activity first, as `reader` may see them:
    (thread, title to show, opening post's content warning or None, what tucks it away
    for the reader: forum.filters.lens BLOCKED, FILTERED or None). A thread whose
    opening post is withheld from the reader (visibility) shows no title, and is listed
    only while some other post in it is theirs to read.

    Thread ids first, then their rows: the page's ids come from the thread table alone,
    in ix_thread_board_latest's order (an index-only scan that skips OFFSET entries, not
    a join of every thread to its opening post before the OFFSET: 38 ms for the last page
    of a 2,500-thread board), and only those ids are joined to their opening posts and
    authors. The threads listed to nobody of the reader's kind are a small set found by
    ix_post_opening_withheld (_unlisted), left out of the ids as they were from the join."""
    ids = select(Thread.id).where(Thread.board_id == board.id)
    if not reader.moderator:  # (a trained moderator sees every title: nothing is left out)
        ids = ids.where(Thread.id.not_in(_unlisted(reader)))
    ids = db.session.scalars(ids.order_by(Thread.last_post_at.desc(), Thread.id.desc())
                             .limit(per_page + 1).offset((page - 1) * per_page)).all()
    more, ids = len(ids) > per_page, ids[:per_page]
    if not ids:
        return [], more
    opening = aliased(Post)
    hidden_by = lens.hidden_sql(Thread.author_id, Thread.title, opening.content_warning, opening.body_md)
    rows = db.session.execute(
        select(Thread, opening.content_warning, opening.hidden_at, opening.held_at, opening.author_id, hidden_by)
        .join(opening, and_(opening.thread_id == Thread.id, opening.parent_id.is_(None)))
        .options(selectinload(Thread.author))  # by id: a join hashed every member
        .where(Thread.id.in_(ids))
    ).all()
    place = {thread_id: i for i, thread_id in enumerate(ids)}
    rows.sort(key=lambda row: place[row.Thread.id])
    # Each row carries the opening post's columns that visibility reads.
    shown = [(row.Thread, row.Thread.title, row.content_warning, row.hidden_by) if visibility.shows_title(row, reader)
             else (row.Thread, WITHHELD_TITLE, None, None) for row in rows]
    return shown, more


def _unlisted(reader):
    """SQL: the ids of the threads a board lists to nobody like `reader` (not a trained
    moderator): their opening post is withheld from them (visibility.title_withheld) and
    no post in them is theirs to read. Withheld openings are few (a moderator hid them, or
    screening held them), so this reads ix_post_opening_withheld, a handful of entries
    whatever the forum's size, and the board's ids are filtered by its hashed result."""
    opening, other = aliased(Post), aliased(Post)
    return (select(opening.thread_id)
            .where(opening.parent_id.is_(None), visibility.title_withheld(reader, opening),
                   ~exists().where(other.thread_id == opening.thread_id, visibility.readable(reader, other))))


def shown_title(thread, opening, reader):
    """A thread's title as `reader` may see it, given its opening post."""
    return thread.title if opening is None or visibility.shows_title(opening, reader) else WITHHELD_TITLE


_UNREAD = object()


def thread_as_seen(thread, reader, opening=_UNREAD):
    """The title `reader` may see of a thread, or None when none of the thread is theirs
    to see (its opening post is withheld from them, and so is every other post).
    `opening`: the thread's opening post (or None), when the caller has read it already."""
    if opening is _UNREAD:
        opening = opening_post(thread)
    if opening is None or visibility.shows_title(opening, reader):
        return thread.title
    if db.session.scalar(select(exists().where(Post.thread_id == thread.id, visibility.readable(reader)))):
        return WITHHELD_TITLE
    return None


# What a thread page shows of each post. Plain columns, not ORM objects: a page of 200
# posts renders several times faster without building 200 tracked instances.
_SHOWN = (Post.id, Post.thread_id, Post.author_id, Post.parent_id, Post.depth, Post.sort_key, Post.body_html,
          Post.content_warning, Post.created_at, Post.edited_at, Post.deleted_at, Post.hidden_at, Post.held_at)


@dataclass(slots=True)
class PostView:
    post: object  # a row with the _SHOWN columns as attributes
    author: str  # the handle to show
    in_reply_to: str | None  # handle, when nesting is capped
    reactions: list  # (kind, label, count, given by the viewer) for every kind
    shown: bool  # has a place on the page (held words withheld from the reader leave none)
    readable: bool  # its words show (visibility.may_read); else a note takes their place
    hidden_by: str | None = None  # tucked away by the reader's filters or blocks (forum.filters.lens)


def _shown_handle(handle, deleted_at):
    return "former member" if handle is None or deleted_at is not None else handle


@cache
def _page_queries():
    """The thread page's statements, built once: constructing them costs more than
    running them. Every value arrives as a bound parameter."""
    author, parent, parent_author = aliased(Member), aliased(Post), aliased(Member)
    posts = (
        select(*_SHOWN, author.handle, author.deleted_at, parent.depth, parent_author.handle, parent_author.deleted_at)
        .outerjoin(author, author.id == Post.author_id)
        .outerjoin(parent, parent.id == Post.parent_id)
        .outerjoin(parent_author, parent_author.id == parent.author_id)
        .where(Post.thread_id == bindparam("thread_id"))
        .order_by(Post.sort_key)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    # A page's posts are one range of sort keys: constant SQL whatever the page size.
    on_page = (Post.thread_id == bindparam("thread_id"), Post.sort_key.between(bindparam("first"), bindparam("last")))
    counts = (select(Reaction.post_id, Reaction.kind, func.count()).join(Post, Post.id == Reaction.post_id)
              .where(*on_page).group_by(Reaction.post_id, Reaction.kind))
    mine = (select(Reaction.post_id, Reaction.kind).join(Post, Post.id == Reaction.post_id)
            .where(*on_page, Reaction.member_id == bindparam("member_id")))
    return posts, counts, mine


def thread_page(thread, page, per_page, viewer=None, reader=None, lens=NOBODY):
    """One page of a thread in tree order, with reaction counts: a fixed number of
    queries whatever the thread's length. `reader` (visibility.Reader) decides what shows,
    `lens` (forum.filters.lens) what the reader's own filters and blocks tuck away."""
    reader = reader or visibility.Reader(None, False)
    cap = current_app.config["REPLY_DEPTH_CAP"]
    posts_query, counts_query, mine_query = _page_queries()
    if lens.active:  # most members filter nothing, and keep the prebuilt statement
        posts_query = posts_query.add_columns(lens.hidden_sql(Post.author_id, Post.content_warning, Post.body_md))
    rows = db.session.execute(
        posts_query, {"thread_id": thread.id, "limit": per_page, "offset": (page - 1) * per_page}).all()
    counts, mine, reacted = {}, set(), set()
    if rows:
        on_page = {"thread_id": thread.id, "first": rows[0].sort_key, "last": rows[-1].sort_key}
        counts = {(post_id, kind): n for post_id, kind, n in db.session.execute(counts_query, on_page)}
        reacted = {post_id for post_id, _ in counts}
        if counts and viewer is not None and viewer.is_authenticated:
            mine = {(post_id, kind) for post_id, kind in
                    db.session.execute(mine_query, {**on_page, "member_id": viewer.id})}
    width = len(_SHOWN)
    # Most posts have no reactions yet: they share one list (templates only read it).
    none_yet = [(kind, label, 0, False) for kind, label in REACTIONS.items()]
    return [
        PostView(
            post=row,
            author=_shown_handle(handle, gone),
            in_reply_to=_shown_handle(parent_handle, parent_gone)
            if parent_depth is not None and parent_depth >= cap else None,
            reactions=[(kind, label, counts.get((row.id, kind), 0), (row.id, kind) in mine)
                       for kind, label in REACTIONS.items()] if row.id in reacted else none_yet,
            shown=row.held_at is None or visibility.sees_held(row, reader),
            readable=visibility.may_read(row, reader),
            hidden_by=row.hidden_by if lens.active else None,
        )
        for row in rows
        for handle, gone, parent_depth, parent_handle, parent_gone in [row[width:width + 5]]
    ]


def page_of(post, per_page):
    """Which page of its thread a post is on."""
    before = db.session.scalar(
        select(func.count()).where(Post.thread_id == post.thread_id, Post.sort_key < post.sort_key)
    )
    return before // per_page + 1
