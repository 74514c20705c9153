"""Following threads and boards, and how far a member has read each thread.

A member follows the threads they start or write in (and any they choose), and may follow
boards. Replies in a followed thread and new threads in a followed board reach them through
the notification centre (forum.notifications.service reads these tables). How far they have
read a thread is one row per thread (ReadMark: the newest post a page of it showed them);
what they have not read is counted from it, only ever over the posts they may read
(moderation.visibility), so an unread count never betrays a held or hidden post.

Every read here is one statement whatever the number of threads a member follows, and the
pages call each once: a member following a thousand threads costs what one following none
does (bench/unread.py). Guests have none of this: callers pass signed-in members only.
"""
from dataclasses import dataclass
from functools import cache

from sqlalchemy import and_, bindparam, case, delete, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from moderation import visibility

from .extensions import db
from .models import Board, BoardFollow, Post, ReadMark, Thread, ThreadFollow, utcnow

PAGE_SIZE = 30
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert(model):
    """INSERT that can say ON CONFLICT on either engine."""
    return _INSERT[db.session.get_bind().dialect.name](model)


# ---- writes --------------------------------------------------------------------------

def auto_follow(member_id, thread_id):
    """The member wrote in the thread: they follow it, unless they chose to stop following
    it before (their choice stands)."""
    db.session.execute(_insert(ThreadFollow).values(member_id=member_id, thread_id=thread_id, following=True,
                                                    created_at=utcnow())
                       .on_conflict_do_nothing(index_elements=[ThreadFollow.member_id, ThreadFollow.thread_id]))


def follow_thread(member_id, thread_id, on=True):
    """Follow (on) or stop following a thread."""
    statement = _insert(ThreadFollow).values(member_id=member_id, thread_id=thread_id, following=on,
                                             created_at=utcnow())
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[ThreadFollow.member_id, ThreadFollow.thread_id], set_={"following": on}))


def follow_board(member_id, board_id, on=True):
    """Follow (on) or stop following a board."""
    if on:
        db.session.execute(_insert(BoardFollow).values(member_id=member_id, board_id=board_id, created_at=utcnow())
                           .on_conflict_do_nothing(index_elements=[BoardFollow.member_id, BoardFollow.board_id]))
    else:
        db.session.execute(delete(BoardFollow).where(BoardFollow.member_id == member_id,
                                                     BoardFollow.board_id == board_id))


def mark_read(member_id, thread_id, post_id):
    """The member was shown the thread up to `post_id`: one upsert, and a mark only moves
    forward (an earlier page read again takes nothing back)."""
    statement = _insert(ReadMark).values(member_id=member_id, thread_id=thread_id, last_read_post_id=post_id,
                                         updated_at=utcnow())
    newer = statement.excluded.last_read_post_id > ReadMark.last_read_post_id
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[ReadMark.member_id, ReadMark.thread_id],
        set_={"last_read_post_id": case((newer, statement.excluded.last_read_post_id),
                                        else_=ReadMark.last_read_post_id),
              "updated_at": statement.excluded.updated_at}))


def forget(member_id):
    """The member closes their account: what they followed and read goes with it. (The
    member row stays, so the tables' ON DELETE CASCADE never fires.)"""
    for model in (ThreadFollow, BoardFollow, ReadMark):
        db.session.execute(delete(model).where(model.member_id == member_id))


# ---- reads ---------------------------------------------------------------------------

def _unread_count(reader, mark, thread_id):
    """SQL: how many posts of the thread after `mark` the reader may read, not their own."""
    return (select(func.count()).select_from(Post)
            .where(Post.thread_id == thread_id, Post.id > mark, visibility.readable(reader),
                   Post.author_id.is_distinct_from(reader.id))
            .scalar_subquery())


@dataclass(slots=True)
class ThreadState:
    """What a member's thread page shows of their reading: following it? how far read
    (None: never opened), how many posts they may read came since, the first of those."""
    following: bool = False
    mark: int | None = None
    unread: int = 0
    first_unread: int | None = None


@cache
def _reading_queries(moderator):
    """The thread page's and the board list's statements, built once per kind of reader
    (constructing them costs more than running them); the member and the threads arrive as
    bound parameters."""
    reader = visibility.Reader(bindparam("me"), moderator)
    thread_id = bindparam("thread_id")
    mark = (select(ReadMark.last_read_post_id)
            .where(ReadMark.member_id == reader.id, ReadMark.thread_id == thread_id).scalar_subquery())
    first = (select(func.min(Post.id))
             .where(Post.thread_id == thread_id, Post.id > mark, visibility.readable(reader),
                    Post.author_id.is_distinct_from(reader.id)).scalar_subquery())
    following = exists().where(ThreadFollow.member_id == reader.id, ThreadFollow.thread_id == thread_id,
                               ThreadFollow.following.is_(True))
    one = select(following, mark, _unread_count(reader, mark, thread_id), first)
    many = (select(Thread.id, ThreadFollow.following, ReadMark.last_read_post_id,
                   _unread_count(reader, ReadMark.last_read_post_id, Thread.id))
            .outerjoin(ThreadFollow, and_(ThreadFollow.thread_id == Thread.id, ThreadFollow.member_id == reader.id))
            .outerjoin(ReadMark, and_(ReadMark.thread_id == Thread.id, ReadMark.member_id == reader.id))
            .where(Thread.id.in_(bindparam("ids", expanding=True))))
    return one, many


def thread_state(reader, thread_id):
    """The reader's ThreadState for one thread, in one query."""
    one, _ = _reading_queries(reader.moderator)
    row = db.session.execute(one, {"me": reader.id, "thread_id": thread_id}).one()
    return ThreadState(bool(row[0]), row[1], row[2] or 0, row[3])


def threads_state(reader, thread_ids):
    """{thread id: ThreadState} for a page of threads, in one query (first_unread is left
    out: a list links to the thread's "first unread" address instead)."""
    if not thread_ids:
        return {}
    _, many = _reading_queries(reader.moderator)
    rows = db.session.execute(many, {"me": reader.id, "ids": list(thread_ids)})
    return {thread_id: ThreadState(bool(following), mark, unread or 0)
            for thread_id, following, mark, unread in rows}


def follows_board(member_id, board_id):
    return bool(db.session.scalar(select(exists().where(BoardFollow.member_id == member_id,
                                                        BoardFollow.board_id == board_id))))


@dataclass(slots=True)
class Followed:
    """A followed thread as the Following page lists it."""
    thread: Thread
    board: Board
    opening: object  # the opening post's visibility columns (visibility.shows_title)
    state: ThreadState


def followed_threads(reader, page=1, per_page=PAGE_SIZE):
    """(a page of the threads the reader follows, latest activity first, more?): one query
    with each thread's unread count."""
    opening = aliased(Post)
    rows = db.session.execute(
        select(Thread, Board, opening.hidden_at, opening.held_at, opening.author_id, ReadMark.last_read_post_id,
               _unread_count(reader, ReadMark.last_read_post_id, Thread.id))
        .join(ThreadFollow, and_(ThreadFollow.thread_id == Thread.id, ThreadFollow.member_id == reader.id,
                                 ThreadFollow.following.is_(True)))
        .join(Board, Board.id == Thread.board_id)
        .join(opening, and_(opening.thread_id == Thread.id, opening.parent_id.is_(None)))
        .outerjoin(ReadMark, and_(ReadMark.thread_id == Thread.id, ReadMark.member_id == reader.id))
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .limit(per_page + 1).offset((page - 1) * per_page)).all()
    shown = [Followed(row.Thread, row.Board, row, ThreadState(True, row.last_read_post_id, row[-1] or 0))
             for row in rows[:per_page]]
    return shown, len(rows) > per_page


def followed_boards(member_id):
    return db.session.scalars(select(Board).join(BoardFollow, BoardFollow.board_id == Board.id)
                              .where(BoardFollow.member_id == member_id).order_by(Board.position, Board.id)).all()


def exported(member_id):
    """The member's follows and read marks, for their export."""
    threads = db.session.execute(select(ThreadFollow.thread_id, ThreadFollow.following, ThreadFollow.created_at)
                                 .where(ThreadFollow.member_id == member_id).order_by(ThreadFollow.thread_id)).all()
    boards = db.session.execute(select(Board.slug, BoardFollow.created_at).join(Board, Board.id == BoardFollow.board_id)
                                .where(BoardFollow.member_id == member_id).order_by(Board.slug)).all()
    marks = db.session.execute(select(ReadMark.thread_id, ReadMark.last_read_post_id)
                               .where(ReadMark.member_id == member_id).order_by(ReadMark.thread_id)).all()
    return {
        "followed_threads": [{"thread_id": t, "following": bool(on), "since": at.isoformat()} for t, on, at in threads],
        "followed_boards": [{"board": slug, "since": at.isoformat()} for slug, at in boards],
        "read_up_to": [{"thread_id": t, "last_read_post_id": p} for t, p in marks],
    }
