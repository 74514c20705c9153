"""forum: a member's filters (topics, muted words) and the members they block

Revision ID: 0011_filters_blocks
Revises: 0010_follow_unread
Create Date: 2026-12-02 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_filters_blocks'
down_revision = '0010_follow_unread'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('member_filter',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('words', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_member_filter_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_member_filter'))
    )
    op.create_table('block',
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blocker_id'], ['member.id'], name=op.f('fk_block_blocker_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blocked_id'], ['member.id'], name=op.f('fk_block_blocked_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('blocker_id', 'blocked_id', name=op.f('pk_block'))
    )
    with op.batch_alter_table('block') as batch_op:
        batch_op.create_index(batch_op.f('ix_block_blocked_id'), ['blocked_id'])


def downgrade():
    with op.batch_alter_table('block') as batch_op:
        batch_op.drop_index(batch_op.f('ix_block_blocked_id'))
    op.drop_table('block')
    op.drop_table('member_filter')
