"""moderation: the outbox (escalation pages written with the escalation, sent by the sweeper)

Revision ID: 0006_outbox
Revises: 0005_member_theme
Create Date: 2026-11-25 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_outbox'
down_revision = '0005_member_theme'
branch_labels = None
depends_on = None

# The sweeper's "due" index covers pending rows only (PostgreSQL and SQLite both have
# partial indexes).
_PENDING = "delivered_at IS NULL AND gave_up_at IS NULL"


def upgrade():
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('flag_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('gave_up_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['flag_id'], ['flag.id'], name=op.f('fk_outbox_flag_id_flag'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox'))
    )
    op.create_index(op.f('ix_outbox_flag_id'), 'outbox', ['flag_id'], unique=False)
    op.create_index('ix_outbox_due', 'outbox', ['next_try_at'], unique=False,
                    postgresql_where=sa.text(_PENDING), sqlite_where=sa.text(_PENDING))


def downgrade():
    op.drop_index('ix_outbox_due', table_name='outbox')
    op.drop_index(op.f('ix_outbox_flag_id'), table_name='outbox')
    op.drop_table('outbox')
