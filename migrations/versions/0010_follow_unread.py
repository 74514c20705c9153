"""forum: following threads and boards, read marks (unread counts)

Everyone who has already written in a thread follows it, and has read it up to their own
newest post there, as if they had been following all along.

Revision ID: 0010_follow_unread
Revises: 0009_notifications_safety_plan
Create Date: 2026-12-02 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_follow_unread'
down_revision = '0009_notifications_safety_plan'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('thread_follow',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('following', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_thread_follow_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_thread_follow_thread_id_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'thread_id', name=op.f('pk_thread_follow'))
    )
    op.create_index('ix_thread_follow_thread', 'thread_follow', ['thread_id', 'following', 'member_id'])
    op.create_table('board_follow',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_board_follow_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_board_follow_board_id_board'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'board_id', name=op.f('pk_board_follow'))
    )
    op.create_index('ix_board_follow_board', 'board_follow', ['board_id', 'member_id'])
    op.create_table('read_mark',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('last_read_post_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_read_mark_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_read_mark_thread_id_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', 'thread_id', name=op.f('pk_read_mark'))
    )
    op.create_index('ix_post_thread_id', 'post', ['thread_id', 'id'])
    # The backfill: whoever wrote in a thread (and still has an account) follows it, and has
    # read it up to their newest post there. Set-based, so it is one statement each.
    op.execute("""
        INSERT INTO thread_follow (member_id, thread_id, following, created_at)
        SELECT post.author_id, post.thread_id, TRUE, MIN(post.created_at)
        FROM post JOIN member ON member.id = post.author_id
        WHERE member.deleted_at IS NULL
        GROUP BY post.author_id, post.thread_id
    """)
    op.execute("""
        INSERT INTO read_mark (member_id, thread_id, last_read_post_id, updated_at)
        SELECT post.author_id, post.thread_id, MAX(post.id), MAX(post.created_at)
        FROM post JOIN member ON member.id = post.author_id
        WHERE member.deleted_at IS NULL
        GROUP BY post.author_id, post.thread_id
    """)


def downgrade():
    op.drop_index('ix_post_thread_id', table_name='post')
    op.drop_table('read_mark')
    op.drop_index('ix_board_follow_board', table_name='board_follow')
    op.drop_table('board_follow')
    op.drop_index('ix_thread_follow_thread', table_name='thread_follow')
    op.drop_table('thread_follow')
