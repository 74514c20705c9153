"""flask commands: seed (idempotent, with demo content) and creating admins/moderators."""
from sqlalchemy import func, select

from forum.cli import create_admin, create_moderator, seed
from forum.extensions import db
from forum.models import Board, Member, Thread
from forum.seed import BOARDS


def test_seed_is_idempotent_and_demo_makes_a_living_forum(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(seed, ["--demo"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Board)) == len(BOARDS)
        assert db.session.scalar(select(func.count()).select_from(Thread)) == 3
        assert all(t.post_count >= 3 for t in db.session.scalars(select(Thread)))


def test_create_admin_creates_or_promotes(app):
    runner = app.test_cli_runner()
    result = runner.invoke(create_admin, ["FirstKeeper", "--passphrase", "keeper passphrase"])
    assert result.exit_code == 0 and "Recovery code" in result.output
    runner.invoke(create_moderator, ["SecondKeeper", "--passphrase", "keeper passphrase"])
    with app.app_context():
        roles = dict(db.session.execute(select(Member.handle, Member.role)).all())
    assert roles == {"FirstKeeper": "admin", "SecondKeeper": "moderator"}
    missing = runner.invoke(create_admin, ["NobodyYet"])
    assert missing.exit_code != 0 and "give --passphrase" in missing.output
