"""Search across thread titles and posts, behind one function.

SQLite (the embedded default) uses an FTS5 table kept up to date by triggers; PostgreSQL
uses generated tsvector columns with GIN indexes. Both are built by the migrations.
"""
import re
from dataclasses import dataclass

from sqlalchemy import Float, Integer, select, text
from sqlalchemy.orm import joinedload

from moderation import visibility

from ..extensions import db
from ..models import Post, Thread
from .service import shown_title

MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)

# Each engine's full-text match, as (post id, rank: lower is better). What a reader may
# see of the matches is decided in search() by the one visibility rule.
_SQLITE = text("""
    SELECT post_fts.rowid AS id, bm25(post_fts, 4.0, 1.0) AS rank FROM post_fts WHERE post_fts MATCH :q
""").columns(id=Integer, rank=Float)
_POSTGRES = text("""
    SELECT post.id AS id,
           -(ts_rank(post.search_vector, query)
             + CASE WHEN post.parent_id IS NULL THEN 2 * ts_rank(thread.search_vector, query) ELSE 0 END) AS rank
    FROM post JOIN thread ON thread.id = post.thread_id, websearch_to_tsquery('english', :q) AS query
    WHERE post.search_vector @@ query OR (post.parent_id IS NULL AND thread.search_vector @@ query)
""").columns(id=Integer, rank=Float)


@dataclass
class Hit:
    post: Post
    thread: Thread
    title: str  # the thread's title, as the reader may see it
    excerpt: str


def terms(query):
    return _WORD.findall(query.casefold())[:MAX_TERMS]


def _fts5_query(words):
    # Each word quoted (so no input is read as FTS5 syntax) and matched as a prefix.
    return " ".join(f'"{w}"*' for w in words)


def _excerpt(body, words, width=220):
    """A plain-text window of the post around the first matching word."""
    flat = " ".join(body.split())
    lowered = flat.casefold()
    positions = [i for w in words if (i := lowered.find(w)) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    snippet = flat[start:start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(flat) else "")


def search(query, reader, page=1, per_page=20):
    """Hits for the words in `query` that `reader` may read, best first: one page, and
    whether there are more."""
    words = terms(query)
    if not words:
        return [], False
    if db.engine.dialect.name == "postgresql":
        matches, q = _POSTGRES.subquery("matches"), " ".join(words)
    else:
        matches, q = _SQLITE.subquery("matches"), _fts5_query(words)
    statement = (select(Post.id).join(matches, matches.c.id == Post.id)
                 .where(visibility.readable(reader))
                 .order_by(matches.c.rank, Post.id.desc())
                 .limit(per_page + 1).offset((page - 1) * per_page))
    ids = db.session.scalars(statement, {"q": q}).all()
    more, ids = len(ids) > per_page, ids[:per_page]
    posts = {p.id: p for p in db.session.scalars(
        select(Post).options(joinedload(Post.thread), joinedload(Post.author)).where(Post.id.in_(ids)))}
    # A reply can be read in a thread whose opening post (and so its title) can't.
    openings = {p.thread_id: p for p in db.session.scalars(
        select(Post).where(Post.thread_id.in_({p.thread_id for p in posts.values()}), Post.parent_id.is_(None)))}
    return [Hit(post, post.thread, shown_title(post.thread, openings.get(post.thread_id), reader),
                _excerpt(post.body_md, words))
            for i in ids if (post := posts.get(i))], more
