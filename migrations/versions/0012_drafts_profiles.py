"""forum: drafts (a reply per thread, a new thread per board) and members' light profiles

Revision ID: 0012_drafts_profiles
Revises: 0014_recovery_space
Create Date: 2026-12-02 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_drafts_profiles'
down_revision = '0014_recovery_space'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=True),
    sa.Column('board_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content_warning', sa.String(length=100), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('(thread_id IS NULL) <> (board_id IS NULL)', name=op.f('ck_draft_one_place')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_draft_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['thread.id'], name=op.f('fk_draft_thread_id_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_draft_board_id_board'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_draft')),
    sa.UniqueConstraint('member_id', 'thread_id', name='uq_draft_member_thread'),
    sa.UniqueConstraint('member_id', 'board_id', name='uq_draft_member_board')
    )
    op.create_table('profile',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('about', sa.String(length=160), nullable=False),
    sa.Column('recovery_since', sa.Date(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_profile_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_profile'))
    )


def downgrade():
    op.drop_table('profile')
    op.drop_table('draft')
