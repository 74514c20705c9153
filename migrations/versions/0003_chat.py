"""chat: rooms, messages, room mutes, live connections

Revision ID: 0003_chat
Revises: 0002_moderation
Create Date: 2026-11-23 14:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0003_chat'
down_revision = '0002_moderation'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('room',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('topic', sa.Text(), nullable=False),
    sa.Column('guidelines', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('slow_mode_s', sa.Integer(), nullable=False),
    sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_room_member_id_member')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['member.id'], name=op.f('fk_room_opened_by_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room')),
    sa.UniqueConstraint('slug', name=op.f('uq_room_slug'))
    )
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_member_id'), ['member_id'], unique=False)

    op.create_table('message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_message_member_id_member')),
    sa.ForeignKeyConstraint(['removed_by_id'], ['member.id'], name=op.f('fk_message_removed_by_id_member')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_message_room_id_room')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('member_id', 'client_id', name='uq_message_member_client_id')
    )
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.create_index('ix_message_room_order', ['room_id', 'id'], unique=False)

    op.create_table('room_mute',
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['member.id'], name=op.f('fk_room_mute_by_id_member')),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_room_mute_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_room_mute_room_id_room')),
    sa.PrimaryKeyConstraint('room_id', 'member_id', name=op.f('pk_room_mute'))
    )

    op.create_table('chat_connection',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('server_id', sa.String(length=32), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_chat_connection_member_id_member'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_chat_connection_room_id_room'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_chat_connection'))
    )
    with op.batch_alter_table('chat_connection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_connection_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_connection_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chat_connection_server_id'), ['server_id'], unique=False)


def downgrade():
    with op.batch_alter_table('chat_connection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_connection_server_id'))
        batch_op.drop_index(batch_op.f('ix_chat_connection_room_id'))
        batch_op.drop_index(batch_op.f('ix_chat_connection_member_id'))
    op.drop_table('chat_connection')
    op.drop_table('room_mute')
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_index('ix_message_room_order')
    op.drop_table('message')
    with op.batch_alter_table('room', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_member_id'))
    op.drop_table('room')
