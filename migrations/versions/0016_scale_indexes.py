"""forum: indexes that keep the board list flat as the forum grows

A board page joins each thread to its opening post (parent_id IS NULL). With only
(thread_id, ...) indexes over every post, PostgreSQL found the openings by reading the
whole post table (a sequential scan, 200 ms at 200,000 posts): a partial index holds the
opening posts alone, one per thread. And the board orders threads by (last_post_at, id)
descending: an index with id as well reads a page in order with no sort.

The board page picks its thread ids from ix_thread_board_latest alone, leaving out the
threads whose opening post is withheld from the reader (hidden, or held by screening):
those few openings get a partial index of their own, so finding them reads a handful of
entries rather than every opening post.

The moderation queue shows a page of the active flags, most urgent first: a partial index
holds the active flags alone in that order (urgency as moderation.routing writes it, then
age), so a page and the count of active flags read only active entries, in order.

Revision ID: 0016_scale_indexes
Revises: 0015_mentoring
Create Date: 2026-12-10 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_scale_indexes'
down_revision = '0015_mentoring'
branch_labels = None
depends_on = None

_OPENING = sa.text("parent_id IS NULL")
_ACTIVE_FLAG = sa.text("status IN ('open', 'claimed', 'escalated')")
# moderation.routing.URGENCY_SQL, word for word (a migration keeps its own copy).
_URGENCY = "CASE severity WHEN 'imminent' THEN 3 WHEN 'high' THEN 2 WHEN 'elevated' THEN 1 ELSE 0 END"
_WITHHELD_OPENING = sa.text("parent_id IS NULL AND (hidden_at IS NOT NULL OR held_at IS NOT NULL)")


def upgrade():
    # Partial indexes: PostgreSQL and SQLite (3.8+) both take the same WHERE.
    op.create_index('ix_post_opening', 'post', ['thread_id'], unique=False,
                    postgresql_where=_OPENING, sqlite_where=_OPENING)
    op.create_index('ix_post_opening_withheld', 'post', ['thread_id'], unique=False,
                    postgresql_where=_WITHHELD_OPENING, sqlite_where=_WITHHELD_OPENING)
    op.create_index('ix_thread_board_latest', 'thread', ['board_id', 'last_post_at', 'id'], unique=False)
    op.drop_index('ix_thread_board_recent', table_name='thread')
    op.create_index('ix_flag_active_queue', 'flag', [sa.text(f"({_URGENCY}) DESC"), 'created_at', 'id'],
                    unique=False, postgresql_where=_ACTIVE_FLAG, sqlite_where=_ACTIVE_FLAG)


def downgrade():
    op.drop_index('ix_flag_active_queue', table_name='flag')
    op.create_index('ix_thread_board_recent', 'thread', ['board_id', 'last_post_at'], unique=False)
    op.drop_index('ix_thread_board_latest', table_name='thread')
    op.drop_index('ix_post_opening_withheld', table_name='post')
    op.drop_index('ix_post_opening', table_name='post')
