"""flask moderation train / sweep, and the admin page that does the same."""
from datetime import date, timedelta

from sqlalchemy import select

from forum.cli import create_admin, create_moderator
from forum.extensions import db
from forum.models import Member
from moderation.cli import moderation_cli
from moderation.models import AuditEntry, Flag, ModeratorProfile
from tests.flags.flag_helpers import HIGH, post_thread
from tests.helpers import login, make_member, send, text


def test_train_command_records_training_and_sweep_runs(app, member):
    runner = app.test_cli_runner()
    until = (date.today() + timedelta(days=90)).isoformat()
    make_member(app, "NewKeeper70")
    assert runner.invoke(create_moderator, ["NewKeeper70"]).exit_code == 0
    result = runner.invoke(moderation_cli, ["train", "NewKeeper70", "--until", until])
    assert result.exit_code == 0, result.output
    with app.app_context():
        keeper = db.session.scalar(select(Member).where(Member.handle == "NewKeeper70"))
        record = db.session.get(ModeratorProfile, keeper.id)
        assert keeper.role == "moderator" and record.training_expires.isoformat() == until
    assert runner.invoke(moderation_cli, ["train", "Nobody99", "--until", until]).exit_code != 0
    post_thread(member, HIGH)
    result = runner.invoke(moderation_cli, ["sweep"])
    assert result.exit_code == 0 and "0 escalated" in result.output


def test_admin_page_sets_roles_and_training_and_refuses_others(app, member):
    app.test_cli_runner().invoke(create_admin, ["HeadKeeper", "--passphrase", "keeper passphrase"])
    admin = app.test_client()
    login(admin, "HeadKeeper", "keeper passphrase")
    assert member.client.get("/admin").status_code == 403
    today = date.today()
    response = send(admin, "/admin", {"handle": member.handle, "role": "moderator",
                                      "trained_on": today.isoformat(),
                                      "training_expires": (today + timedelta(days=30)).isoformat()})
    assert response.status_code == 302
    assert member.handle in text(admin.get("/admin"))
    assert member.client.get("/moderation").status_code == 200  # trained now
    assert send(admin, "/admin", {"handle": "NoSuchOne", "role": "moderator"}).status_code == 400
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "set role and training"))
        assert db.session.scalars(select(Flag)).all() == []
