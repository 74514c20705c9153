"""forum: notifications and the notification settings, a member's safety plan;
moderation: shift hand-off notes

Revision ID: 0009_notifications_safety_plan
Revises: 0008_handle_keys
Create Date: 2026-11-25 05:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_notifications_safety_plan'
down_revision = '0008_handle_keys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member') as batch_op:
        batch_op.add_column(sa.Column('notifications_off', sa.JSON(), nullable=False, server_default='[]'))
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=300), nullable=True),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_notification_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['actor_id'], ['member.id'], name=op.f('fk_notification_actor_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_notification_post_id_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_notification_room_id_room'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    op.create_index('ix_notification_member_unread', 'notification', ['member_id', 'read_at', 'id'])
    op.create_index(op.f('ix_notification_post_id'), 'notification', ['post_id'])
    op.create_table('safety_plan',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_safety_plan_member_id_member'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_safety_plan'))
    )
    op.create_table('handoff_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['member.id'], name=op.f('fk_handoff_note_author_id_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handoff_note'))
    )
    op.create_index(op.f('ix_handoff_note_created_at'), 'handoff_note', ['created_at'])


def downgrade():
    op.drop_index(op.f('ix_handoff_note_created_at'), table_name='handoff_note')
    op.drop_table('handoff_note')
    op.drop_table('safety_plan')
    op.drop_index(op.f('ix_notification_post_id'), table_name='notification')
    op.drop_index('ix_notification_member_unread', table_name='notification')
    op.drop_table('notification')
    with op.batch_alter_table('member') as batch_op:
        batch_op.drop_column('notifications_off')
