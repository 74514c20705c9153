"""flask commands: seed (idempotent, with demo content) and creating admins/moderators."""
from sqlalchemy import func, select

from forum.cli import create_admin, create_moderator, seed
from forum.extensions import db
from forum.demo import PEOPLE, THREADS
from forum.models import Board, CheckIn, Member, Message, Milestone, Post, Reaction, Thread
from forum.seed import BOARDS


def test_seed_is_idempotent_and_demo_makes_a_living_forum(app):
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(seed, ["--demo"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Board)) == len(BOARDS)
        threads = db.session.scalars(select(Thread)).all()
        assert len(threads) == len(THREADS) and all(t.post_count >= 3 for t in threads)
        assert {t.board.slug for t in threads} == {slug for slug, *_ in BOARDS}  # every board has some
        assert db.session.scalar(select(func.count()).select_from(Reaction)) >= len(THREADS)
        assert db.session.scalar(select(func.count()).select_from(Post).where(Post.content_warning.is_not(None)))
        assert db.session.scalar(select(func.count()).select_from(Message)) >= 10
        demo = db.session.scalar(select(Member).where(Member.handle == PEOPLE[0]))
        assert db.session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.member_id == demo.id)) >= 14
        assert db.session.scalar(select(Milestone).where(Milestone.member_id == demo.id)) is not None


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
