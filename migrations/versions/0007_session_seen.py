"""accounts: when each session was last used, for the idle timeout

Revision ID: 0007_session_seen
Revises: 0006_outbox
Create Date: 2026-11-25 04:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_session_seen'
down_revision = '0006_outbox'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('login_session') as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    # Sessions open before this revision count as last seen when they began.
    op.execute("UPDATE login_session SET last_seen_at = created_at")
    with op.batch_alter_table('login_session') as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade():
    with op.batch_alter_table('login_session') as batch_op:
        batch_op.drop_column('last_seen_at')
