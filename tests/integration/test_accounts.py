"""Anonymous accounts: join, log in and out, recover, export, delete."""
import json
import re

from tests.helpers import PASSPHRASE, login, send, signup, start_thread, text
from sqlalchemy import select

from forum.extensions import db
from forum.models import LoginSession, Member, Post


def test_join_page_proposes_a_generated_handle_that_can_be_rerolled(client):
    page = client.get("/join").get_data(as_text=True)
    proposed = re.search(r'name="handle" [^>]*value="([^"]+)"', page).group(1)
    assert re.fullmatch(r"[A-Z][a-z]+[A-Z][a-z]+\d\d", proposed)
    rerolled = send(client, "/join", {"handle": proposed, "reroll": "1"}).get_data(as_text=True)
    assert "Your handle" in rerolled and "errors" not in rerolled


def test_signup_keeps_no_email_and_only_hashes_of_secrets(app, client):
    code = signup(client, "QuietHeron42")
    assert re.fullmatch(r"([A-Z2-9]{5}-){3}[A-Z2-9]{5}", code)
    with app.app_context():
        member = db.session.scalar(select(Member))
        assert member.handle == "QuietHeron42"
        assert PASSPHRASE not in member.passphrase_hash and member.passphrase_hash.startswith("$argon2id$")
        assert code not in member.recovery_hash and member.recovery_hash.startswith("$argon2id$")
        assert not {"email", "ip", "name"} & {c.name for c in Member.__table__.columns}
    assert client.get("/account").status_code == 200  # signed in straight away


def test_handles_are_unique_ignoring_case_and_look_alikes(app, client):
    signup(client, "QuietHeron42")
    for taken in ("quietheron42", "Qu1etHeron42", "QuletHeron42"):
        other = app.test_client()
        response = send(other, "/join", {"handle": taken, "passphrase": PASSPHRASE, "confirm": PASSPHRASE})
        assert response.status_code == 400
        assert "looks just like it, is taken" in text(response)


def test_bad_handles_and_passphrases_get_clear_form_errors(client):
    cases = [
        ({"handle": "a\u202eb" + "c", "passphrase": PASSPHRASE, "confirm": PASSPHRASE}, "invisible"),
        ({"handle": "x", "passphrase": PASSPHRASE, "confirm": PASSPHRASE}, "3 to 24"),
        ({"handle": "GoodName", "passphrase": "short", "confirm": "short"}, "8 to 128"),
        ({"handle": "GoodName", "passphrase": "p" * 129, "confirm": "p" * 129}, "8 to 128"),
        ({"handle": "GoodName", "passphrase": PASSPHRASE, "confirm": "different one"}, "not the same"),
    ]
    for data, message in cases:
        response = send(client, "/join", data)
        assert response.status_code == 400 and message in text(response)


def test_login_logout_and_the_old_cookie_is_dead(app, member):
    client = app.test_client()
    assert login(client, member.handle).status_code == 302
    before = client.get_cookie("lantern_session").value
    assert client.get("/account").status_code == 200
    send(client, "/logout")
    assert client.get("/account").status_code == 302  # to the login page
    # Replaying the cookie from before logout does not bring the session back.
    client.set_cookie("lantern_session", before)
    assert client.get("/account").status_code == 302


def test_login_starts_a_fresh_session(app, member):
    client = app.test_client()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    login(client, member.handle)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_wrong_passphrase_is_refused_kindly(app, member):
    response = login(app.test_client(), member.handle, "not the passphrase")
    assert response.status_code == 401
    assert "don't match" in text(response)


def test_repeated_failed_logins_are_slowed_down(make_app):
    app = make_app(LIMIT_LOGIN_FAILURES="3 per minute")
    client = app.test_client()
    signup(app.test_client(), "QuietHeron42")
    for _ in range(3):
        assert login(client, "QuietHeron42", "wrong passphrase").status_code == 401
    response = login(client, "QuietHeron42", PASSPHRASE)  # even the right one waits now
    assert response.status_code == 429
    assert "Please wait a minute" in text(response)


def test_recovery_code_sets_a_new_passphrase_once_and_ends_other_sessions(app, member):
    new = "a brand new passphrase"
    stranger = app.test_client()
    response = send(stranger, "/recover", {"handle": member.handle, "code": member.recovery_code.lower(),
                                           "passphrase": new, "confirm": new})
    assert response.status_code == 200
    fresh_code = re.search(r"<code>([A-Z0-9-]+)</code>", text(response)).group(1)
    assert fresh_code != member.recovery_code
    assert member.client.get("/account").status_code == 302  # the old session ended
    assert login(app.test_client(), member.handle, PASSPHRASE).status_code == 401
    assert login(app.test_client(), member.handle, new).status_code == 302
    again = send(app.test_client(), "/recover", {"handle": member.handle, "code": member.recovery_code,
                                                 "passphrase": new, "confirm": new})
    assert again.status_code == 401  # a code works once


def test_export_holds_my_words_and_nobody_elses(app, member, other):
    start_thread(member.client, title="Mine", body="my own words")
    start_thread(other.client, title="Theirs", body="their private words")
    response = member.client.get("/account/export.json")
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(text(response))
    assert data["handle"] == member.handle
    assert [p["body_markdown"] for p in data["posts"]] == ["my own words"]
    assert "their private words" not in text(response)


def test_export_holds_my_chat_messages_and_my_own_settings(app, member):
    from forum.chat import messages as chat
    from forum.models import Member, Room
    from forum.seed import seed_rooms

    with app.app_context():
        seed_rooms()
        me = db.session.scalar(select(Member).where(Member.handle == member.handle))
        room = db.session.scalar(select(Room).where(Room.slug == "daily-check-in"))
        chat.send_message(room, me, "a quiet evening so far", "client-1")
        db.session.commit()
    send(member.client, "/help", {"region": "GB"})
    send(member.client, "/theme", {"theme": "dark"})
    data = json.loads(text(member.client.get("/account/export.json")))
    assert [(m["room"], m["body_markdown"]) for m in data["chat_messages"]] == [("daily-check-in", "a quiet evening so far")]
    assert data["settings"] == {"crisis_lines_region": "GB", "theme": "dark"}


def test_export_needs_login(client):
    assert client.get("/account/export.json").status_code == 302


def test_delete_account_keeping_posts_shows_former_member_and_ends_every_session(app, member):
    thread_id = start_thread(member.client, title="Still useful", body="advice that helps")
    second_device = app.test_client()
    login(second_device, member.handle)
    response = send(member.client, "/account/delete", {"posts": "keep", "passphrase": PASSPHRASE})
    assert response.status_code == 302
    assert second_device.get("/account").status_code == 302
    page = app.test_client().get(f"/t/{thread_id}").get_data(as_text=True)
    assert "advice that helps" in page and "former member" in page and member.handle not in page
    assert login(app.test_client(), member.handle).status_code == 401
    with app.app_context():
        assert db.session.scalar(select(LoginSession)) is None
    # The handle is free again.
    signup(app.test_client(), member.handle)


def test_delete_account_removing_posts_keeps_replies_in_place(app, member, other):
    thread_id = start_thread(member.client, title="About me", body="something personal")
    send(other.client, f"/t/{thread_id}/reply", {"body": "a kind reply"})
    send(member.client, "/account/delete", {"posts": "remove", "passphrase": PASSPHRASE})
    page = app.test_client().get(f"/t/{thread_id}").get_data(as_text=True)
    assert "something personal" not in page and "About me" not in page
    assert "Post removed by its author" in page and "a kind reply" in page
    with app.app_context():
        assert db.session.scalar(select(Post.body_md).where(Post.body_md.contains("personal"))) is None


def test_delete_account_needs_the_passphrase(member):
    response = send(member.client, "/account/delete", {"posts": "keep", "passphrase": "wrong one"})
    assert response.status_code == 401
    assert member.client.get("/account").status_code == 200


def test_no_ip_address_is_stored_anywhere(app):
    ip = "203.0.113.77"
    client = app.test_client()
    env = {"REMOTE_ADDR": ip}
    client.get("/join", environ_base=env)
    response = client.post("/join", environ_base=env, data={
        "handle": "QuietHeron42", "passphrase": PASSPHRASE, "confirm": PASSPHRASE,
        "csrf_token": re.search(r'name="csrf-token" content="([^"]+)"',
                                client.get("/about", environ_base=env).get_data(as_text=True)).group(1)})
    assert response.status_code == 200
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/about").get_data(as_text=True)).group(1)
    client.post("/b/anxiety/new", environ_base=env,
                data={"title": "hi", "body": "hello", "csrf_token": token})
    client.post("/logout", environ_base=env, data={"csrf_token": token})
    login(client, "QuietHeron42")
    with app.app_context():
        dump = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(table.select()):
                dump.append(" ".join(str(value) for value in row))
        text = "\n".join(dump)
        assert "hello" in text  # the dump is real
        assert ip not in text and "203.0.113" not in text


