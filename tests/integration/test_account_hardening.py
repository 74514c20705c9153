"""Accounts under pressure: sessions that end on their own, guesses spread over many
addresses, look-alike handles, crafted `next` links, and commands that change roles."""
from datetime import date, timedelta

import pytest
from sqlalchemy import select, update

from tests.helpers import PASSPHRASE, login, make_member, send, signup, text
from forum.cli import create_admin, create_moderator
from forum.extensions import db
from forum.models import LoginSession, Member, utcnow
from moderation.cli import moderation_cli
from moderation.models import AuditEntry, ModeratorProfile


def _age_sessions(app, handle, **ago):
    """Move this member's sessions back in time, as if they had been away."""
    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.handle == handle))
        fields = {column: utcnow() - delta for column, delta in ago.items()}
        db.session.execute(update(LoginSession).where(LoginSession.member_id == member_id).values(**fields))
        db.session.commit()


# ---- 7. sessions end after idle and absolute limits; "log out everywhere"

def test_a_session_idle_past_the_limit_ends_with_a_kind_word(make_app):
    app = make_app(SESSION_IDLE_MINUTES=120)
    person = make_member(app, "QuietHeron42")
    _age_sessions(app, "QuietHeron42", last_seen_at=timedelta(minutes=119))
    assert person.client.get("/account").status_code == 200  # still inside the limit
    _age_sessions(app, "QuietHeron42", last_seen_at=timedelta(minutes=121))
    response = person.client.get("/account", follow_redirects=True)
    assert "You were signed out" in text(response) and "Log in" in text(response)
    assert person.client.get("/account").status_code == 302  # it stays ended
    with app.app_context():
        assert db.session.scalars(select(LoginSession)).all() == []  # and its row is gone


def test_activity_keeps_a_session_open_but_never_past_the_absolute_limit(make_app):
    app = make_app(SESSION_IDLE_MINUTES=120, SESSION_MAX_DAYS=30)
    person = make_member(app, "QuietHeron42")
    _age_sessions(app, "QuietHeron42", last_seen_at=timedelta(minutes=100))
    assert person.client.get("/account").status_code == 200
    with app.app_context():  # that request moved the idle clock forward
        seen = db.session.scalar(select(LoginSession.last_seen_at))
        assert utcnow() - seen < timedelta(minutes=1)
    _age_sessions(app, "QuietHeron42", created_at=timedelta(days=30, minutes=1))
    assert person.client.get("/account").status_code == 302  # active, but a month is the most


def test_log_out_everywhere_ends_every_device_from_the_account_page(app):
    phone = make_member(app, "QuietHeron42")
    laptop = app.test_client()
    assert login(laptop, "QuietHeron42").status_code == 302
    page = text(laptop.get("/account"))
    assert "Log out everywhere" in page and "2 hours" in page
    response = send(laptop, "/account/logout-everywhere")
    assert response.status_code == 302
    assert "logged out everywhere" in text(laptop.get(response.location))
    assert phone.client.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 302


# ---- 8. failed logins counted per account, from every address together

def _login_from(app, address, handle, passphrase):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return login(client, handle, passphrase)


def test_guesses_spread_over_many_addresses_stop_at_the_account_limit(make_app):
    app = make_app(LIMIT_LOGIN_FAILURES="5 per minute", LIMIT_LOGIN_ACCOUNT="10 per 10 minutes")
    signup(app.test_client(), "QuietHeron42")
    answers = [_login_from(app, f"10.0.0.{n % 8}", "QuietHeron42", f"guess {n}").status_code for n in range(40)]
    assert answers[:10] == [401] * 10
    assert set(answers[10:]) == {429}  # the passphrase is no longer even checked
    # Not a lock-out: the member's own right passphrase waits too, but the recovery code works.
    refused = _login_from(app, "10.9.9.9", "QuietHeron42", PASSPHRASE)
    assert refused.status_code == 429 and "recovery code" in text(refused)


def test_the_recovery_code_still_signs_in_and_clears_the_account_count(make_app):
    app = make_app(LIMIT_LOGIN_ACCOUNT="3 per 10 minutes")
    person = make_member(app, "QuietHeron42")
    for n in range(3):
        _login_from(app, f"10.0.1.{n}", "QuietHeron42", "not it")
    assert _login_from(app, "10.0.2.1", "QuietHeron42", PASSPHRASE).status_code == 429
    new = "a brand new passphrase"
    recovered = send(app.test_client(), "/recover", {"handle": "QuietHeron42", "code": person.recovery_code,
                                                     "passphrase": new, "confirm": new})
    assert recovered.status_code == 200
    assert _login_from(app, "10.0.2.1", "QuietHeron42", new).status_code == 302


def test_the_account_limit_does_not_say_whether_a_handle_exists(make_app):
    app = make_app(LIMIT_LOGIN_ACCOUNT="2 per 10 minutes")
    answers = [_login_from(app, f"10.0.3.{n}", "NobodyHere77", "x" * 10).status_code for n in range(3)]
    assert answers == [401, 401, 429]  # the same as for a real member


# ---- 10. look-alike handles: separators and confusables fold

@pytest.mark.parametrize("look_alike", ["Demo_Otter22", "DemoOtterZ2", "Demo-Otter-22", "DemoOtter2Z", "Dem0_0tter22"])
def test_look_alikes_of_an_existing_handle_are_refused(app, look_alike):
    signup(app.test_client(), "DemoOtter22")
    response = send(app.test_client(), "/join", {"handle": look_alike, "passphrase": PASSPHRASE,
                                                 "confirm": PASSPHRASE})
    assert response.status_code == 400
    assert "looks just like it, is taken" in text(response)


def test_a_handle_of_separators_is_refused(app):
    response = send(app.test_client(), "/join", {"handle": "a_-_b", "passphrase": PASSPHRASE, "confirm": PASSPHRASE})
    assert response.status_code == 400 and "at least 3 letters or digits" in text(response)


# ---- 11. one check for every `next`

@pytest.mark.parametrize("target", ["/%09/evil.example", "/%0d%0aSet-Cookie:%20x=1", "//evil.example",
                                    "/%5C/evil.example", "https://evil.example/", "/%0a/evil.example"])
def test_login_never_redirects_off_site_or_fails_on_a_crafted_next(app, member, target):
    response = send(app.test_client(), f"/login?next={target}", {"handle": member.handle, "passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert response.location == "/"


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\r\n/evil.example", "/\\evil.example"])
def test_theme_switch_never_redirects_off_site(client, target):
    response = send(client, "/theme", {"theme": "dark", "next": target})
    assert response.status_code == 302 and response.location == "/"


def test_a_plain_next_path_is_kept(app, member):
    response = send(app.test_client(), "/login?next=/b/anxiety%3Fpage=2", {"handle": member.handle,
                                                                           "passphrase": PASSPHRASE})
    assert response.location == "/b/anxiety?page=2"


# ---- 19. role commands say what changes and refuse surprises

def test_create_moderator_refuses_to_demote_an_admin(app):
    runner = app.test_cli_runner()
    runner.invoke(create_admin, ["HeadKeeper", "--passphrase", "keeper passphrase"])
    result = runner.invoke(create_moderator, ["HeadKeeper"])
    assert result.exit_code != 0 and "Nothing changed" in result.output
    with app.app_context():
        assert db.session.scalar(select(Member.role).where(Member.handle == "HeadKeeper")) == "admin"


def test_create_moderator_says_what_changed_and_audits_it(app):
    make_member(app, "NewKeeper70")
    result = app.test_cli_runner().invoke(create_moderator, ["NewKeeper70"])
    assert result.exit_code == 0 and "member -> moderator" in result.output
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "set role"))
        assert "member -> moderator" in entry.reason


def test_train_refuses_a_plain_member_and_past_or_future_dates(app):
    runner = app.test_cli_runner()
    make_member(app, "NewKeeper70")
    soon = (date.today() + timedelta(days=90)).isoformat()
    result = runner.invoke(moderation_cli, ["train", "NewKeeper70", "--until", soon])
    assert result.exit_code != 0 and "not a moderator" in result.output
    runner.invoke(create_moderator, ["NewKeeper70"])
    past = (date.today() - timedelta(days=1)).isoformat()
    result = runner.invoke(moderation_cli, ["train", "NewKeeper70", "--until", past])
    assert result.exit_code != 0 and "already passed" in result.output
    future = (date.today() + timedelta(days=2)).isoformat()
    result = runner.invoke(moderation_cli, ["train", "NewKeeper70", "--until", soon, "--on", future])
    assert result.exit_code != 0 and "in the future" in result.output
    with app.app_context():
        keeper = db.session.scalar(select(Member).where(Member.handle == "NewKeeper70"))
        assert keeper.role == "moderator" and db.session.get(ModeratorProfile, keeper.id) is None
    result = runner.invoke(moderation_cli, ["train", "NewKeeper70", "--until", soon])
    assert result.exit_code == 0 and f"no training record -> trained {date.today()} until {soon}" in result.output


def test_a_member_whose_handle_predates_the_rules_still_signs_in_by_exact_handle(app):
    signup(app.test_client(), "DemoOtter22")
    make_member(app, "LaterOtter31")
    with app.app_context():  # as migration 0008 leaves a member whose new key was taken
        db.session.execute(update(Member).where(Member.handle == "LaterOtter31")
                           .values(handle="Demo_Otter22", handle_key="demo-otter22"))
        db.session.commit()
    assert login(app.test_client(), "Demo_Otter22").status_code == 302
    assert login(app.test_client(), "DemoOtter22").status_code == 302
    with app.app_context():
        signed_in = db.session.scalars(select(Member.handle).join(LoginSession)).all()
        assert signed_in.count("Demo_Otter22") == 2 and signed_in.count("DemoOtter22") == 2  # each their own
