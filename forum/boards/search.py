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
from sqlalchemy import bindparam, column, func, literal_column, select, table
from sqlalchemy.orm import joinedload, selectinload

from moderation import visibility

from ..extensions import db
from ..models import Board, Post, Thread
from . import highlight
from .service import shown_title

MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)

# A product decision, the same on both engines: a search ranks the newest RANKED matches
# that the reader may see, not every match. A common word ("sleep") is in about a third of a
# community's posts, 46,000 of 200,000: ranking them all read every matching row, scored each
# and sorted them on disk (150 ms, and growing with the forum). The newest 1,000 are 50
# pages of results, more than anyone pages through, and on a support forum the recent
# conversation is the one to find; their ranking costs the same at any size. A rarer word's
# matches are all ranked while there are fewer than 1,000 of them (README.md says so too).
RANKED = 1000

# Each engine's full-text match, built in search(): SQLite's FTS5 table (its rowid is the
# post's id) and PostgreSQL's tsvector column (0013_search_index). What a reader may see of
# the matches is decided there too, by the one visibility rule.
_FTS = table("post_fts", column("rowid"))
_SEARCH_VECTOR = literal_column("post.search_vector")


def _tsquery():
    return func.websearch_to_tsquery(literal_column("'english'"), bindparam("q"))


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
    first among the newest RANKED of them: one page, and whether there are more. Four
    queries, whatever the page."""
    words = terms(query)
    if not words:
        return [], False
    if db.engine.dialect.name == "postgresql":
        q = " ".join(words)
        candidates = (select(Post.id.label("id"), _SEARCH_VECTOR.label("vector"))
                      .where(_SEARCH_VECTOR.op("@@")(_tsquery())))
    else:
        q = _fts5_query(words)
        # bm25() is FTS5's, read where the MATCH is: kept beside each candidate's id.
        candidates = (select(Post.id.label("id"), func.bm25(literal_column("post_fts"), 4.0, 1.0).label("rank"))
                      .join(_FTS, _FTS.c.rowid == Post.id).where(literal_column("post_fts").op("MATCH")(bindparam("q"))))
    # The newest RANKED matches the reader may see (PostgreSQL reads them newest first
    # from the primary key while matches are common, from the GIN index while rare), ...
    newest = (candidates.join(Thread, Thread.id == Post.thread_id).where(*_conditions(reader, board))
              .order_by(Post.id.desc()).limit(RANKED).subquery("newest"))
    # ... ranked: the best first, the newer first among equals.
    if db.engine.dialect.name == "postgresql":
        rank = -func.ts_rank(newest.c.vector, _tsquery())  # on the candidates alone
    else:
        rank = newest.c.rank
    statement = (select(newest.c.id).order_by(rank, newest.c.id.desc())
                 .limit(per_page + 1).offset((page - 1) * per_page))
    ids = db.session.scalars(statement, {"q": q}).all()
    more, ids = len(ids) > per_page, ids[:per_page]
    posts = {p.id: p for p in db.session.scalars(
        # (authors by id: a join to them hashed the whole member table, growing with it)
        select(Post).options(joinedload(Post.thread), selectinload(Post.author)).where(Post.id.in_(ids)))}
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
