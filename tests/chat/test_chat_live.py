"""The chat against a real running server (python wsgi.py, gevent) with real python-socketio
clients: what peers can do, and everything they must not be able to do."""

import pytest
import requests
import socketio
from tests.chat.chat_fixtures import ADMIN, MEMBER, MODERATOR, OTHER, chat_app, member_id, peers, room_id, serve  # noqa: F401
from tests.servers import TIMEOUT, Peer, login
from sqlalchemy import func, select

from forum.chat import messages
from forum.extensions import db
from forum.models import Member, Message, Room
from moderation.models import AuditEntry
from moderation.screening import screen

pytestmark = pytest.mark.services  # real server processes


def test_anonymous_connections_are_refused(serve):
    [server] = serve()
    anonymous = Peer(server.base_url)
    with pytest.raises(socketio.exceptions.ConnectionError):
        anonymous.connect()
    assert anonymous.wait_for("connect_error") == {"message": "Please log in to join the chat."}


def test_connections_from_another_site_are_refused(serve, peers):
    [server] = serve()
    with pytest.raises(socketio.exceptions.ConnectionError):
        peers(server, MEMBER, headers={"Origin": "https://elsewhere.example"})
    # websocket-client sends the server's own origin by default: that one is welcome.
    assert peers(server, MEMBER).sio.connected


def test_join_shows_the_last_50_then_older_history(chat_app, serve, peers):
    room = room_id(chat_app)
    with chat_app.app_context():
        author = db.session.get(Member, member_id(chat_app, OTHER))
        for i in range(55):
            messages.send_message(db.session.get(Room, room), author, f"message {i}", f"seed-{i:04d}")
        db.session.commit()
    [server] = serve()
    joined = peers(server, MEMBER).join(room)
    bodies = [m["html"] for m in joined["messages"]]
    assert len(bodies) == 50 and "message 5" in bodies[0] and "message 54" in bodies[-1]
    assert joined["room"]["title"] == "Evening wind-down"
    older = peers(server, OTHER).call("history", {"room_id": room, "before": joined["messages"][0]["id"]})
    assert [m["html"].strip() for m in older["messages"]] == [f"<p>message {i}</p>" for i in range(5)]


def test_send_is_acked_with_the_stored_id_then_broadcast_once(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    sender, reader = peers(server, MEMBER), peers(server, OTHER)
    sender.join(room), reader.join(room)
    answer = sender.send(room, "Hello, *everyone*", client_id="first-message-1")
    assert answer["ok"] and answer["created"]
    stored = answer["message"]
    assert stored["html"].strip() == "<p>Hello, <em>everyone</em></p>" and stored["author"] == MEMBER
    assert reader.wait_for("message", lambda m: m["id"] == stored["id"])["client_id"] == "first-message-1"

    again = sender.send(room, "Hello, *everyone*", client_id="first-message-1")
    assert again["ok"] and not again["created"] and again["message"]["id"] == stored["id"]
    marker = sender.send(room, "after the retry")["message"]
    reader.wait_for("message", lambda m: m["id"] == marker["id"])
    # The retry stored nothing new. Its copy may reach the room again (in case the first
    # never did: tests/chat/test_resend.py), with the same id, which clients keep once.
    assert list(dict.fromkeys(m["id"] for m in reader.messages())) == [stored["id"], marker["id"]]
    with chat_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Message)) == 2


def test_links_are_sanitised_like_posts(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    sender = peers(server, MEMBER)
    sender.join(room)
    html = sender.send(room, "[x](javascript:alert(1)) <script>alert(1)</script> https://example.org")["message"]["html"]
    assert "<script" not in html and 'href="javascript' not in html
    assert 'href="https://example.org" rel="nofollow ugc noopener noreferrer"' in html


def test_catch_up_after_a_dropped_connection_gets_exactly_what_was_missed(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    reader, sender = peers(server, MEMBER), peers(server, OTHER)
    reader.join(room), sender.join(room)
    seen = sender.send(room, "before the drop")["message"]["id"]
    reader.wait_for("message", lambda m: m["id"] == seen)
    reader.drop()
    sender.wait_for("presence", lambda p: p["handles"] == [OTHER])
    missed = [sender.send(room, f"while you were away {i}")["message"]["id"] for i in range(3)]

    back = peers(server, MEMBER).join(room, after=seen)
    assert [m["id"] for m in back["messages"]] == missed
    assert not back["more"]


def test_presence_and_typing_start_and_stop(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    first = peers(server, MEMBER)
    assert first.join(room)["presence"] == [MEMBER]
    second = peers(server, OTHER)
    assert second.join(room)["presence"] == sorted([MEMBER, OTHER], key=str.casefold)
    first.wait_for("presence", lambda p: OTHER in p["handles"])

    assert second.call("typing", {"room_id": room, "typing": True})["ok"]
    assert first.wait_for("typing", lambda t: t["typing"])["handle"] == OTHER
    assert not second.events("typing"), "nobody hears their own typing"

    second.close()  # leaving clears both, for everyone still there
    first.wait_for("typing", lambda t: t["handle"] == OTHER and not t["typing"])
    first.wait_for("presence", lambda p: p["handles"] == [MEMBER])
    listed = requests.get(server.base_url + "/chat/", timeout=TIMEOUT).text
    assert "1 person here" in listed


def test_slow_mode_is_enforced_by_the_server(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    facilitator, member = peers(server, MODERATOR), peers(server, MEMBER)
    facilitator.join(room), member.join(room)
    assert facilitator.call("slow_mode", {"room_id": room, "seconds": 30}) == {
        "ok": True, "room_id": room, "locked": False, "slow_mode_s": 30}
    member.wait_for("room_state", lambda s: s["slow_mode_s"] == 30)
    assert member.send(room, "one")["ok"]
    refused = member.send(room, "two")
    assert not refused["ok"] and "Slow mode" in refused["error"] and 0 < refused["retry_after"] <= 30
    assert "Slow mode" in member.wait_for("error")["message"]
    assert facilitator.send(room, "facilitators aren't slowed")["ok"]


def test_per_member_rate_limit(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve(FORUM_LIMIT_CHAT="3 per 10 seconds")
    member = peers(server, MEMBER)
    member.join(room)
    assert all(member.send(room, f"quick {i}")["ok"] for i in range(3))
    refused = member.send(room, "one too many")
    assert not refused["ok"] and "sending quickly" in refused["error"]
    retry = member.send(room, "quick 0", client_id=None)
    assert not retry["ok"]


def test_bad_input_gets_an_error_event_and_the_connection_carries_on(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    member, neighbour = peers(server, MEMBER), peers(server, OTHER)
    member.join(room), neighbour.join(room)
    cases = [
        ("send", "just a string", "JSON object"),
        ("send", [1, 2], "JSON object"),
        ("send", None, "JSON object"),
        ("send", {"room_id": room, "body": "no client id"}, "client_id"),
        ("send", {"room_id": "1", "body": "x", "client_id": "abcdefgh1"}, "room_id"),
        ("send", {"room_id": True, "body": "x", "client_id": "abcdefgh2"}, "room_id"),
        ("send", {"room_id": room, "body": 42, "client_id": "abcdefgh3"}, "needs some text"),
        ("send", {"room_id": room, "body": "   ", "client_id": "abcdefgh4"}, "needs some text"),
        ("send", {"room_id": room, "body": "x" * 2001, "client_id": "abcdefgh5"}, "the most is 2,000"),
        ("send", {"room_id": room, "body": "y" * 60_000, "client_id": "abcdefgh6"}, "the most is 2,000"),
        ("send", {"room_id": 999_999, "body": "x", "client_id": "abcdefgh7"}, "couldn't find that room"),
        ("send", {"room_id": 2**40, "body": "x", "client_id": "abcdefgh8"}, "room_id"),
        ("send", {"room_id": room, "body": "x", "client_id": "bad id!"}, "client_id"),
        ("join", {"room_id": None}, "room_id"),
        ("join", {"room_id": 999_999}, "couldn't find that room"),
        ("history", {"room_id": room, "before": "yesterday"}, "before"),
        ("typing", {"room_id": room, "typing": "yes"}, "true or false"),
        ("mute", {"room_id": room, "member_id": 1, "minutes": -5}, "minutes"),
    ]
    for event, payload, expected in cases:
        answer = member.call(event, payload)
        assert not answer["ok"] and expected in answer["error"], (event, payload, answer)
        assert expected in member.wait_for("error", lambda e, x=expected: x in e["message"])["message"]
    assert member.sio.connected
    nul = member.send(room, "a\x00b")  # refused like a post (forum.text), not a crash
    assert nul == {"ok": False, "error": "Please remove the control characters."}
    assert not neighbour.events("error")
    assert neighbour.send(room, "still here")["ok"]


def test_a_one_megabyte_frame_only_closes_its_own_transport(chat_app, serve, peers):
    """Frames above max_http_buffer_size (64 KiB) never reach a handler: engine.io closes
    that one connection (as the Socket.IO protocol says). The server and the room go on,
    and the client can come back and catch up."""
    room = room_id(chat_app)
    [server] = serve()
    member, neighbour = peers(server, MEMBER), peers(server, OTHER)
    member.join(room), neighbour.join(room)
    member.sio.emit("send", {"room_id": room, "body": "z" * 1_000_000, "client_id": "megabyte-1"})
    member.wait_for("disconnect")
    assert neighbour.send(room, "the room carries on")["ok"]
    assert peers(server, MEMBER).join(room)["messages"][-1]["html"].strip() == "<p>the room carries on</p>"
    assert server.process.poll() is None


def test_members_cannot_act_as_facilitators(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    member, other = peers(server, MEMBER), peers(server, OTHER)
    member.join(room), other.join(room)
    target = other.send(room, "hello")["message"]
    attempts = [
        ("remove", {"message_id": target["id"]}),
        ("mute", {"room_id": room, "member_id": member_id(chat_app, OTHER), "minutes": 60}),
        ("slow_mode", {"room_id": room, "seconds": 60}),
        ("lock", {"room_id": room, "locked": True}),
    ]
    for event, payload in attempts:
        answer = member.call(event, payload)
        assert answer == {"ok": False, "error": "Only a facilitator can do that."}, event
    with chat_app.app_context():
        stored = db.session.get(Room, room)
        assert not stored.locked and stored.slow_mode_s == 0
        assert db.session.get(Message, target["id"]).removed_at is None


def test_sending_needs_the_room_joined_and_unlocked(chat_app, serve, peers):
    room, other_room = room_id(chat_app), room_id(chat_app, "daily-check-in")
    [server] = serve()
    facilitator, member = peers(server, MODERATOR), peers(server, MEMBER)
    facilitator.join(room), member.join(room)
    assert member.send(other_room, "not joined there")["error"] == "Please join the room first."
    assert facilitator.call("lock", {"room_id": room, "locked": True})["locked"]
    member.wait_for("room_state", lambda s: s["locked"])
    assert "paused by a facilitator" in member.send(room, "hello?")["error"]
    assert facilitator.send(room, "We'll reopen at eight.")["ok"]
    assert not facilitator.call("lock", {"room_id": room, "locked": False})["locked"]
    assert member.send(room, "hello again")["ok"]


def test_facilitators_remove_and_mute(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    facilitator, member, reader = peers(server, MODERATOR), peers(server, MEMBER), peers(server, OTHER)
    for p in (facilitator, member, reader):
        p.join(room)
    unkind = member.send(room, "something unkind")["message"]
    reader.wait_for("message", lambda m: m["id"] == unkind["id"])
    assert facilitator.call("remove", {"message_id": unkind["id"]}) == {"ok": True, "id": unkind["id"]}
    reader.wait_for("removed", lambda r: r["id"] == unkind["id"])
    assert unkind["id"] not in [m["id"] for m in peers(server, OTHER).join(room)["messages"]]

    muted = facilitator.call("mute", {"room_id": room, "member_id": member_id(chat_app, MEMBER), "minutes": 15})
    assert muted["ok"]
    member.wait_for("muted", lambda m: m["room_id"] == room)
    assert "paused your messages" in member.send(room, "let me talk")["error"]
    assert facilitator.call("mute", {"room_id": room, "member_id": member_id(chat_app, MODERATOR),
                                     "minutes": 5})["error"] == "Facilitators can't be muted."
    with chat_app.app_context():
        kept = db.session.get(Message, unkind["id"])
        assert kept.removed_at is not None and kept.body_md == "something unkind"  # kept for the audit
        actions = set(db.session.scalars(select(AuditEntry.action)))
        assert {"removed message", "muted in room"} <= actions


def test_private_support_room_is_for_its_member_and_moderators_only(chat_app, serve, peers):
    [server] = serve()
    http = login(server.base_url, MEMBER)
    token = http.get(server.base_url + "/chat/", timeout=TIMEOUT).text.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    opened = http.post(server.base_url + "/chat/support", data={"csrf_token": token}, allow_redirects=False, timeout=TIMEOUT)
    assert opened.status_code == 302 and "/chat/support-" in opened.headers["Location"]
    again = http.post(server.base_url + "/chat/support", data={"csrf_token": token}, allow_redirects=False, timeout=TIMEOUT)
    assert again.headers["Location"] == opened.headers["Location"]  # one open room per member
    slug = opened.headers["Location"].rsplit("/", 1)[1]
    support = room_id(chat_app, slug)

    member, moderator, stranger = peers(server, MEMBER), peers(server, MODERATOR), peers(server, OTHER)
    member.join(support)
    moderator.join(support)
    assert stranger.call("join", {"room_id": support}) == {"ok": False, "error": "We couldn't find that room."}
    assert stranger.send(support, "let me in")["error"] == "We couldn't find that room."
    said = member.send(support, "I'm having a hard night")["message"]
    moderator.wait_for("message", lambda m: m["id"] == said["id"])
    assert not stranger.events("message")
    assert login(server.base_url, OTHER).get(server.base_url + "/chat/" + slug, timeout=TIMEOUT).status_code == 404
    assert slug not in login(server.base_url, OTHER).get(server.base_url + "/chat/", timeout=TIMEOUT).text
    assert slug in login(server.base_url, MODERATOR).get(server.base_url + "/chat/", timeout=TIMEOUT).text


def test_held_message_reaches_only_its_sender_and_moderators(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    sender, moderator, peer = peers(server, MEMBER), peers(server, MODERATOR), peers(server, OTHER)
    for p in (sender, moderator, peer):
        p.join(room)
    held = sender.send(room, "how many pills of paracetamol would it take")["message"]
    assert held["held"]
    moderator.wait_for("message", lambda m: m["id"] == held["id"])
    sender.wait_for("message", lambda m: m["id"] == held["id"])
    after = peer.send(room, "marker")["message"]
    sender.wait_for("message", lambda m: m["id"] == after["id"])
    assert held["id"] not in [m["id"] for m in peer.messages()]
    assert held["id"] not in [m["id"] for m in peers(server, OTHER).join(room)["messages"]]
    assert held["id"] in [m["id"] for m in peers(server, MEMBER).join(room)["messages"]]


def test_a_message_screened_high_brings_the_sender_a_private_help_event(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    sender, peer = peers(server, MEMBER), peers(server, OTHER)
    sender.join(room), peer.join(room)
    words = "I keep thinking about killing myself."
    sent = sender.send(room, words)["message"]
    assert sender.wait_for("help")["severity"] == screen(words).severity >= "high"
    peer.wait_for("message", lambda m: m["id"] == sent["id"])
    assert not peer.events("help")


def test_logout_disconnects_the_members_sockets(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    member = peers(server, MEMBER)
    member.join(room)
    token = member.http.get(server.base_url + "/about", timeout=TIMEOUT).text.split('name="csrf-token" content="')[1].split('"')[0]
    assert member.http.post(server.base_url + "/logout", data={"csrf_token": token}, allow_redirects=False,
                            timeout=TIMEOUT).status_code == 302
    member.wait_for("disconnect")
    again = type(member)(server.base_url, member.http)  # the same (now logged-out) cookie
    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect()
