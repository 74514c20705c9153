"""When Redis (the rate-limit counters) goes away, members can still sign in, reply and chat:
the limits keep counting in the process's own memory, one line tells the operator, and one
more says when Redis is back."""
import logging


from tests.helpers import join_chat, login, make_member, send, start_thread
from tests.servers import free_port

from forum import outages
from forum.extensions import db


def outage_lines(caplog, what="rate-limit"):
    return [r for r in caplog.records if r.name == "forum.outages" and what in r.getMessage()]


def chat_send(app, person):
    chat, room = join_chat(app, person)
    return chat.emit("send", {"room_id": room, "body": "still here", "client_id": "outage-1"}, callback=True)


def test_without_redis_members_log_in_reply_and_chat_and_limits_still_hold(make_app, caplog):
    caplog.set_level(logging.INFO)
    app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
                   LIMIT_LOGIN_FAILURES="3 per minute", LIMIT_CHAT="5 per 10 seconds")
    with app.app_context():
        from forum.seed import seed_boards
        seed_boards()
        db.session.commit()
    person = make_member(app, "QuietHeron42")  # signing up counts against a limit too
    assert login(app.test_client(), "QuietHeron42").status_code == 302
    thread = start_thread(person.client)
    assert send(person.client, f"/t/{thread}/reply", {"body": "thank you"}).status_code == 302
    assert chat_send(app, person)["ok"]

    stranger = app.test_client()
    assert [login(stranger, "QuietHeron42", "wrong").status_code for _ in range(4)] == [401, 401, 401, 429]
    assert len(outage_lines(caplog)) == 1, "one line per outage, not one per request"


def test_counting_returns_to_redis_when_it_is_back(make_app, throwaway_redis, caplog, monkeypatch):
    import redis
    caplog.set_level(logging.INFO)
    monkeypatch.setattr(outages, "PROBE_SECONDS", 0)  # look for Redis on every request here
    app = make_app(RATELIMIT_STORAGE_URI=throwaway_redis.url, LIMIT_LOGIN_FAILURES="100 per minute")
    make_member(app, "QuietHeron42")
    stranger = app.test_client()
    throwaway_redis.stop()
    assert login(stranger, "QuietHeron42", "wrong").status_code == 401
    assert login(stranger, "QuietHeron42", "wrong").status_code == 401
    throwaway_redis.start()
    assert login(stranger, "QuietHeron42", "wrong").status_code == 401
    assert redis.Redis.from_url(throwaway_redis.url).keys("*LIMIT_LOGIN_FAILURES*"), "counting in Redis again"
    lines = [r.getMessage() for r in outage_lines(caplog)]
    assert len(lines) == 2 and "back" in lines[1], lines
