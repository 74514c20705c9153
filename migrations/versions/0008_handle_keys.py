"""accounts: look-alike keys that fold separators and digit-letter pairs (Demo_Otter22, DemoOtterZ2)

Revision ID: 0008_handle_keys
Revises: 0007_session_seen
Create Date: 2026-11-25 04:40:00.000000

Each member's key is recomputed with the current rules (forum.accounts.handles.skeleton).
Two members who joined before the rules grew may now share a key; the one who joined first
gets it, the other keeps their old key (they still sign in by their exact handle, see
forum.accounts.service.find_member). Downgrade leaves the keys as they are: the older rules
accept every key the newer ones made.
"""
import sqlalchemy as sa
from alembic import op

from forum.accounts.handles import skeleton

# revision identifiers, used by Alembic.
revision = '0008_handle_keys'
down_revision = '0007_session_seen'
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    member = sa.table('member', sa.column('id', sa.Integer), sa.column('handle', sa.String),
                      sa.column('handle_key', sa.String), sa.column('deleted_at', sa.DateTime))
    rows = bind.execute(sa.select(member.c.id, member.c.handle, member.c.handle_key)
                        .where(member.c.deleted_at.is_(None)).order_by(member.c.id)).all()
    taken = {key for _, _, key in rows}
    for id_, handle, old in rows:
        new = skeleton(handle)
        if new != old and new not in taken:
            bind.execute(member.update().where(member.c.id == id_).values(handle_key=new))
            taken.discard(old)
            taken.add(new)


def downgrade():
    pass
