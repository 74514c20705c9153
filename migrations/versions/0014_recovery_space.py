"""forum: a member's recovery space (daily check-ins, goals and their steps, milestones);
moderation: a flag can be about a private check-in

Revision ID: 0014_recovery_space
Revises: 0011_filters_blocks
Create Date: 2026-11-26 09:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0014_recovery_space'
down_revision = '0011_filters_blocks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('mood', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_check_in_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_check_in')),
    sa.UniqueConstraint('member_id', 'day', name='uq_check_in_member_day')
    )
    op.create_table('goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shared_thread_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_goal_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_thread_id'], ['thread.id'], name=op.f('fk_goal_shared_thread_id_thread'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal'))
    )
    op.create_index(op.f('ix_goal_member_id'), 'goal', ['member_id'])
    op.create_table('goal_step',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_goal_step_goal_id_goal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_step'))
    )
    op.create_index(op.f('ix_goal_step_goal_id'), 'goal_step', ['goal_id'])
    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('runs', sa.JSON(), nullable=False),
    sa.Column('longest_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('shared_thread_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_milestone_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_thread_id'], ['thread.id'], name=op.f('fk_milestone_shared_thread_id_thread'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    op.create_index(op.f('ix_milestone_member_id'), 'milestone', ['member_id'])
    with op.batch_alter_table('flag') as batch_op:
        batch_op.add_column(sa.Column('checkin_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_flag_checkin_id'), ['checkin_id'])
        batch_op.create_foreign_key(batch_op.f('fk_flag_checkin_id_check_in'), 'check_in', ['checkin_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('flag') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_flag_checkin_id_check_in'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_flag_checkin_id'))
        batch_op.drop_column('checkin_id')
    op.drop_index(op.f('ix_milestone_member_id'), table_name='milestone')
    op.drop_table('milestone')
    op.drop_index(op.f('ix_goal_step_goal_id'), table_name='goal_step')
    op.drop_table('goal_step')
    op.drop_index(op.f('ix_goal_member_id'), table_name='goal')
    op.drop_table('goal')
    op.drop_table('check_in')
