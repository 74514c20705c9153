"""forum: search that knows word forms ("drink" finds "drinking"), one index per engine

SQLite: the FTS5 table becomes contentless (no second copy of every post's words)
with the `porter` stemmer; PostgreSQL: one weighted tsvector per post (its thread's title
for an opening post, then its words) behind one GIN index, so a search is one index scan
and a query's words may fall in the title and the body alike, as on SQLite.

Revision ID: 0013_search_index
Revises: 0012_drafts_profiles
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0013_search_index'
down_revision = '0012_drafts_profiles'
branch_labels = None
depends_on = None

_SQLITE_TRIGGERS = ("post_fts_insert", "post_fts_update", "post_fts_delete", "thread_fts_title")

# What is indexed for a post: its thread's title when it opens the thread, and its words.
# The FTS table is contentless (content=''): it keeps the index alone, no second copy of
# anyone's words. (Not external content over a view of post and thread: SQLite refuses to
# rename a table a view names, so every later batch migration of post would fail.) A
# contentless table must be told the OLD values to remove exactly, so each trigger
# rebuilds the old row the way the insert built it.
_TITLE = "CASE WHEN {row}.parent_id IS NULL THEN (SELECT title FROM thread WHERE id = {row}.thread_id) ELSE '' END"
_SQLITE_UP = [
    """CREATE VIRTUAL TABLE post_fts USING fts5(title, body, content='',
         tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER post_fts_insert AFTER INSERT ON post BEGIN
         INSERT INTO post_fts(rowid, title, body) VALUES (new.id, {_TITLE.format(row='new')}, new.body_md);
       END""",
    f"""CREATE TRIGGER post_fts_update AFTER UPDATE OF body_md ON post BEGIN
         INSERT INTO post_fts(post_fts, rowid, title, body)
           VALUES ('delete', old.id, {_TITLE.format(row='old')}, old.body_md);
         INSERT INTO post_fts(rowid, title, body) VALUES (new.id, {_TITLE.format(row='new')}, new.body_md);
       END""",
    f"""CREATE TRIGGER post_fts_delete AFTER DELETE ON post BEGIN
         INSERT INTO post_fts(post_fts, rowid, title, body)
           VALUES ('delete', old.id, {_TITLE.format(row='old')}, old.body_md);
       END""",
    """CREATE TRIGGER thread_fts_title AFTER UPDATE OF title ON thread BEGIN
         INSERT INTO post_fts(post_fts, rowid, title, body)
           SELECT 'delete', id, old.title, body_md FROM post WHERE thread_id = old.id AND parent_id IS NULL;
         INSERT INTO post_fts(rowid, title, body)
           SELECT id, new.title, body_md FROM post WHERE thread_id = new.id AND parent_id IS NULL;
       END""",
    # The backfill: every post there is.
    f"INSERT INTO post_fts(rowid, title, body) SELECT post.id, {_TITLE.format(row='post')}, post.body_md FROM post",
]

# The title weighs A, the words B: ts_rank counts a title match more.
_POSTGRES_UP = [
    "ALTER TABLE post DROP COLUMN search_vector",
    "ALTER TABLE thread DROP COLUMN search_vector",
    """CREATE FUNCTION post_search_document(title text, body text) RETURNS tsvector
         LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
           SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')
                  || setweight(to_tsvector('english', coalesce(body, '')), 'B')
         $$""",
    "ALTER TABLE post ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION post_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           NEW.search_vector := post_search_document(
             CASE WHEN NEW.parent_id IS NULL THEN (SELECT title FROM thread WHERE id = NEW.thread_id) END,
             NEW.body_md);
           RETURN NEW;
         END $$""",
    """CREATE TRIGGER post_search_vector BEFORE INSERT OR UPDATE OF body_md, parent_id, thread_id ON post
         FOR EACH ROW EXECUTE FUNCTION post_search_vector()""",
    """CREATE FUNCTION thread_search_title() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
           UPDATE post SET search_vector = post_search_document(NEW.title, body_md)
           WHERE thread_id = NEW.id AND parent_id IS NULL;
           RETURN NULL;
         END $$""",
    """CREATE TRIGGER thread_search_title AFTER UPDATE OF title ON thread
         FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title) EXECUTE FUNCTION thread_search_title()""",
    # The backfill, then the index (faster built once over the filled column).
    """UPDATE post SET search_vector = post_search_document(
         CASE WHEN post.parent_id IS NULL THEN thread.title END, post.body_md)
       FROM thread WHERE thread.id = post.thread_id""",
    "CREATE INDEX ix_post_search_vector ON post USING gin (search_vector)",
]

# Back to 0001_forum's design.
_SQLITE_DOWN = [
    "CREATE VIRTUAL TABLE post_fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER post_fts_insert AFTER INSERT ON post BEGIN
         INSERT INTO post_fts(rowid, title, body) VALUES (new.id,
           CASE WHEN new.parent_id IS NULL THEN (SELECT title FROM thread WHERE id = new.thread_id) ELSE '' END,
           new.body_md);
       END""",
    """CREATE TRIGGER post_fts_update AFTER UPDATE OF body_md ON post BEGIN
         UPDATE post_fts SET body = new.body_md WHERE rowid = new.id;
       END""",
    """CREATE TRIGGER post_fts_delete AFTER DELETE ON post BEGIN
         DELETE FROM post_fts WHERE rowid = old.id;
       END""",
    """CREATE TRIGGER thread_fts_title AFTER UPDATE OF title ON thread BEGIN
         UPDATE post_fts SET title = new.title
         WHERE rowid = (SELECT id FROM post WHERE thread_id = new.id AND parent_id IS NULL);
       END""",
    f"INSERT INTO post_fts(rowid, title, body) SELECT post.id, {_TITLE.format(row='post')}, post.body_md FROM post",
]
_POSTGRES_DOWN = [
    "DROP TRIGGER thread_search_title ON thread",
    "DROP TRIGGER post_search_vector ON post",
    "DROP FUNCTION thread_search_title()",
    "DROP FUNCTION post_search_vector()",
    "ALTER TABLE post DROP COLUMN search_vector",
    "DROP FUNCTION post_search_document(text, text)",
    """ALTER TABLE post ADD COLUMN search_vector tsvector
         GENERATED ALWAYS AS (to_tsvector('english', coalesce(body_md, ''))) STORED""",
    "CREATE INDEX ix_post_search_vector ON post USING gin (search_vector)",
    """ALTER TABLE thread ADD COLUMN search_vector tsvector
         GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, ''))) STORED""",
    "CREATE INDEX ix_thread_search_vector ON thread USING gin (search_vector)",
]


def _drop_sqlite_search():
    for trigger in _SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS post_fts")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_search()
    for statement in {"sqlite": _SQLITE_UP, "postgresql": _POSTGRES_UP}.get(dialect, []):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_search()
    for statement in {"sqlite": _SQLITE_DOWN, "postgresql": _POSTGRES_DOWN}.get(dialect, []):
        op.execute(statement)
