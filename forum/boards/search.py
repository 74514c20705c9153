"""Search across thread titles and posts, behind one function.

SQLite (the embedded default) uses an FTS5 table kept up to date by triggers; PostgreSQL
uses generated tsvector columns with GIN indexes. Both are built by the migrations.
"""
import re
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Post, Thread

MAX_TERMS = 12
_WORD = re.compile(r"\w+", re.UNICODE)

_SQLITE = text("""
    SELECT post.id FROM post_fts
    JOIN post ON post.id = post_fts.rowid
    WHERE post_fts MATCH :q AND post.deleted_at IS NULL AND post.hidden_at IS NULL AND post.held_at IS NULL
    ORDER BY bm25(post_fts, 4.0, 1.0), post.id DESC
    LIMIT :limit OFFSET :offset
""")
_POSTGRES = text("""
    SELECT post.id FROM post JOIN thread ON thread.id = post.thread_id,
         websearch_to_tsquery('english', :q) AS query
    WHERE (post.search_vector @@ query OR (post.parent_id IS NULL AND thread.search_vector @@ query))
      AND post.deleted_at IS NULL AND post.hidden_at IS NULL AND post.held_at IS NULL
    ORDER BY ts_rank(post.search_vector, query)
           + CASE WHEN post.parent_id IS NULL THEN 2 * ts_rank(thread.search_vector, query) ELSE 0 END DESC,
             post.id DESC
    LIMIT :limit OFFSET :offset
""")


@dataclass
class Hit:
    post: Post
    thread: Thread
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


def search(query, page=1, per_page=20):
    """Hits for the words in `query`, best first: one page, and whether there are more."""
    words = terms(query)
    if not words:
        return [], False
    if db.engine.dialect.name == "postgresql":
        statement, q = _POSTGRES, " ".join(words)
    else:
        statement, q = _SQLITE, _fts5_query(words)
    ids = db.session.scalars(statement, {"q": q, "limit": per_page + 1, "offset": (page - 1) * per_page}).all()
    more, ids = len(ids) > per_page, ids[:per_page]
    posts = {p.id: p for p in db.session.scalars(
        select(Post).options(joinedload(Post.thread), joinedload(Post.author)).where(Post.id.in_(ids)))}
    return [Hit(posts[i], posts[i].thread, _excerpt(posts[i].body_md, words)) for i in ids if i in posts], more
