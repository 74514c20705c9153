"""forum: peer mentoring (mentor profiles, requests, pairs, sessions, mentors' check-ins);
a member's own statement of being under 18

Revision ID: 0015_mentoring
Revises: 0013_search_index
Create Date: 2026-11-25 08:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_mentoring'
down_revision = '0013_search_index'
branch_labels = None
depends_on = None


def upgrade():
    # add_column alone: SQLite adds it in place, without rebuilding the table.
    op.add_column('member', sa.Column('stated_under_18', sa.Boolean(), nullable=True))
    op.create_table(
        'mentor_profile',
        sa.Column('member_id', sa.Integer(), sa.ForeignKey('member.id', ondelete='CASCADE'), primary_key=True),
        sa.Column('trained_on', sa.Date(), nullable=True),
        sa.Column('training_expires', sa.Date(), nullable=True),
        sa.Column('topics', sa.JSON(), nullable=False),
        sa.Column('languages', sa.JSON(), nullable=False),
        sa.Column('availability', sa.JSON(), nullable=False),
        sa.Column('intro', sa.String(length=300), nullable=False),
        sa.Column('cap', sa.Integer(), nullable=False),
        sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('supervisor_id', sa.Integer(), sa.ForeignKey('member.id', ondelete='SET NULL'), nullable=True),
        sa.Column('last_offered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        'mentoring_request',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('member_id', sa.Integer(), sa.ForeignKey('member.id', ondelete='CASCADE'), nullable=False),
        sa.Column('topics', sa.JSON(), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('chosen_mentor_id', sa.Integer(), sa.ForeignKey('member.id', ondelete='SET NULL'), nullable=True),
        sa.Column('offered_to_id', sa.Integer(), sa.ForeignKey('member.id', ondelete='SET NULL'), nullable=True),
        sa.Column('offered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('offers', sa.Integer(), nullable=False),
        sa.Column('declined_by', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('matched_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(op.f('ix_mentoring_request_member_id'), 'mentoring_request', ['member_id'])
    op.create_index(op.f('ix_mentoring_request_status'), 'mentoring_request', ['status'])
    op.create_index(op.f('ix_mentoring_request_offered_to_id'), 'mentoring_request', ['offered_to_id'])
    op.create_table(
        'mentoring_pair',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('request_id', sa.Integer(), sa.ForeignKey('mentoring_request.id', ondelete='SET NULL'),
                  nullable=True),
        sa.Column('mentor_id', sa.Integer(), sa.ForeignKey('member.id'), nullable=False),
        sa.Column('mentee_id', sa.Integer(), sa.ForeignKey('member.id'), nullable=False),
        sa.Column('room_id', sa.Integer(), sa.ForeignKey('room.id'), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_by_id', sa.Integer(), sa.ForeignKey('member.id', ondelete='SET NULL'), nullable=True),
        sa.Column('end_reason', sa.String(length=24), nullable=True),
        sa.Column('goals_summary', sa.Text(), nullable=False),
    )
    op.create_index(op.f('ix_mentoring_pair_mentor_id'), 'mentoring_pair', ['mentor_id'])
    op.create_index(op.f('ix_mentoring_pair_mentee_id'), 'mentoring_pair', ['mentee_id'])
    op.create_table(
        'mentoring_session',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('pair_id', sa.Integer(), sa.ForeignKey('mentoring_pair.id', ondelete='CASCADE'), nullable=False),
        sa.Column('started_by_id', sa.Integer(), sa.ForeignKey('member.id', ondelete='SET NULL'), nullable=True),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('fit', sa.String(length=16), nullable=True),
    )
    op.create_index(op.f('ix_mentoring_session_pair_id'), 'mentoring_session', ['pair_id'])
    op.create_table(
        'mentor_check_in',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('mentor_id', sa.Integer(), sa.ForeignKey('member.id', ondelete='CASCADE'), nullable=False),
        sa.Column('week', sa.Date(), nullable=False),
        sa.Column('feeling', sa.Integer(), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False),
        sa.Column('wants_a_break', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('mentor_id', 'week', name='uq_mentor_check_in_week'),
    )
    op.create_index(op.f('ix_mentor_check_in_mentor_id'), 'mentor_check_in', ['mentor_id'])


def downgrade():
    for table in ('mentor_check_in', 'mentoring_session', 'mentoring_pair', 'mentoring_request', 'mentor_profile'):
        op.drop_table(table)
    with op.batch_alter_table('member') as batch_op:
        batch_op.drop_column('stated_under_18')
