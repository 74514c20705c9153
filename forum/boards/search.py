"""Search across thread titles and posts, behind one function.

Both engines match word forms ("drink" finds "drinking", "relapsed" finds "relapse"), each
through one index built by the migrations (0013_search_index): SQLite an FTS5 table with
the porter stemmer, kept in step by triggers; PostgreSQL a weighted tsvector per post (the
thread's title for an opening post, then its words) under a GIN index.

Member input never reaches either engine as query syntax: it is cut into words first, and
the words are all that is searched for (every word must appear, in any form).
"""
import re
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import Float, Integer, select, text
from sqlalchemy.orm import joinedload

from moderation import visibility

from ..extensions import db
from ..models import Board, Post, Thread
from . import highlight
from .service import shown_title

MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)

# Each engine's full-text match, as (post id, rank: lower is better). What a reader may
# see of the matches is decided in search() by the one visibility rule.
_SQLITE = text("""
    SELECT post_fts.rowid AS id, bm25(post_fts, 4.0, 1.0) AS rank FROM post_fts WHERE post_fts MATCH :q
""").columns(id=Integer, rank=Float)
_POSTGRES = text("""
    SELECT post.id AS id, -ts_rank(post.search_vector, query) AS rank
    FROM post, websearch_to_tsquery('english', :q) AS query
    WHERE post.search_vector @@ query
""").columns(id=Integer, rank=Float)


@dataclass
class Hit:
    post: Post
    thread: Thread
    title: Markup  # the thread's title as the reader may see it, matching words marked
    excerpt: Markup  # a plain-text window of the rendered post, matching words marked


def terms(query):
    return _WORD.findall(query.casefold())[:MAX_TERMS]


def _fts5_query(words):
    # Each word quoted (so no input is read as FTS5 syntax: AND, NEAR, *, ^, col:) and
    # matched as a prefix; porter stems the prefix too.
    return " ".join(f'"{w}"*' for w in words)


def boards():
    """The boards a search may be narrowed to, in their usual order."""
    return db.session.scalars(select(Board).order_by(Board.position, Board.id)).all()


def _conditions(reader, board):
    """What a match must also be to be shown: readable by `reader` (the one visibility
    rule), and on `board` when one is chosen. Every narrowing of search goes here."""
    conditions = [visibility.readable(reader)]
    if board is not None:
        conditions.append(Thread.board_id == board.id)
    return conditions


def _plain(post):
    # The post as rendered (so `**` or a raw "<script>" are what a reader saw), as text.
    return Markup(post.body_html).striptags()


def search(query, reader, page=1, per_page=20, board=None):
    """Hits for the words in `query` that `reader` may read (on `board`, if given), best
    first: one page, and whether there are more. Three queries, whatever the page."""
    words = terms(query)
    if not words:
        return [], False
    if db.engine.dialect.name == "postgresql":
        matches, q = _POSTGRES.subquery("matches"), " ".join(words)
    else:
        matches, q = _SQLITE.subquery("matches"), _fts5_query(words)
    statement = (select(Post.id).join(matches, matches.c.id == Post.id).join(Thread, Thread.id == Post.thread_id)
                 .where(*_conditions(reader, board))
                 .order_by(matches.c.rank, Post.id.desc())
                 .limit(per_page + 1).offset((page - 1) * per_page))
    ids = db.session.scalars(statement, {"q": q}).all()
    more, ids = len(ids) > per_page, ids[:per_page]
    posts = {p.id: p for p in db.session.scalars(
        select(Post).options(joinedload(Post.thread), joinedload(Post.author)).where(Post.id.in_(ids)))}
    # A reply can be read in a thread whose opening post (and so its title) can't.
    openings = {p.thread_id: p for p in db.session.scalars(
        select(Post).where(Post.thread_id.in_({p.thread_id for p in posts.values()}), Post.parent_id.is_(None)))}
    matcher = highlight.Matcher(words)
    hits = []
    for post in filter(None, map(posts.get, ids)):
        title = shown_title(post.thread, openings.get(post.thread_id), reader)
        hits.append(Hit(post, post.thread, highlight.marked(title, matcher),
                        highlight.marked(highlight.window(_plain(post), matcher), matcher)))
    return hits, more
