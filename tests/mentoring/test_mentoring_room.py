"""A mentoring room over the chat machinery: only the pair talks there, contact details stay
with their writer, a crisis lets a trained moderator in (and only then), and an ended
pairing closes the room to writing (the mentee keeps reading; the mentor leaves)."""
import pytest
from sqlalchemy import func, select

from forum.chat import messages as chat_messages
from forum.chat.boundaries import EXPLANATION
from forum.chat.mentoring import ENDED, HELP_ASKED
from forum.extensions import db
from forum.models import Message
from moderation.models import ACTIVE, Flag
from tests.chat.chat_fixtures import MEMBER, OTHER, chat_app, peers, redis_url, serve  # noqa: F401
from tests.chat.test_chat_rights import call, connect, received
from tests.helpers import make_member, send, text
from tests.mentoring.room_helpers import end_pair, make_pair

NOT_FOUND = "We couldn't find that room."
PHONE = "my number is 07700 900123, text me any time"
CRISIS = "i just want to die tonight, i'm done with all of it"


@pytest.fixture
def pair(app, member, other):
    """(mentee, mentor, room id, slug, pair id): QuietHeron42 mentored by BraveOtter17."""
    room, slug, pair_id = make_pair(app, member.handle, other.handle)
    return member, other, room, slug, pair_id


def say(client, room, body, client_id):
    answer = call(client, "send", {"room_id": room, "body": body, "client_id": client_id})
    assert answer["ok"], answer
    client.get_received()  # its own copy, which every private room sends its writer too
    return answer["message"]


def joined(app, person, room):
    client = connect(app, person)
    answer = call(client, "join", {"room_id": room})
    assert answer["ok"], answer
    client.get_received()
    return client


# ----- who is in the room ------------------------------------------------------------------

def test_the_pair_sees_the_room_as_mentoring_with_each_other_and_its_boundaries(app, pair):
    mentee, mentor, _, slug, _ = pair
    for person, other_person in ((mentee, mentor), (mentor, mentee)):
        response = person.client.get(f"/chat/{slug}")
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        page = text(response)
        assert f"Mentoring with {other_person.handle}" in page
        assert "doesn't pass on phone numbers, emails, social accounts, addresses or plans to meet" in page
        assert slug not in text(person.client.get("/chat/"))  # never in the rooms list


def test_nobody_else_enters_not_even_a_trained_moderator_without_a_flag(app, pair, moderator):
    _, _, room, slug, _ = pair
    stranger = make_member(app, "CalmWren9")
    for person in (stranger, moderator):
        assert person.client.get(f"/chat/{slug}").status_code == 404
        assert slug not in text(person.client.get("/chat/"))
        client = connect(app, person)
        for event, data in [("join", {"room_id": room}), ("history", {"room_id": room, "before": 10**6}),
                            ("send", {"room_id": room, "body": "hello", "client_id": "nosy-00001"})]:
            answer = call(client, event, data)
            assert answer == {"ok": False, "error": NOT_FOUND} or answer["error"] == "Please join the room first.", answer


def test_the_pair_talks_live_and_nobody_else_hears(app, pair):
    mentee, mentor, room, _, _ = pair
    theirs, mine = joined(app, mentor, room), joined(app, mentee, room)
    elsewhere = connect(app, make_member(app, "CalmWren9"))  # connected, in no room of theirs

    sent = say(mine, room, "Hi, thanks for taking my request", "mentee-0001")
    assert [m["id"] for m in received(theirs, "message")] == [sent["id"]]
    reply = say(theirs, room, "Glad you asked. How has this week been?", "mentor-0001")
    assert [m["id"] for m in received(mine, "message")] == [reply["id"]]
    assert received(elsewhere, "message") == []


# ----- boundaries ---------------------------------------------------------------------------

def test_a_phone_number_is_held_with_the_explanation_and_never_reaches_the_other(app, pair):
    mentee, mentor, room, slug, _ = pair
    theirs, mine = joined(app, mentor, room), joined(app, mentee, room)

    held = say(mine, room, PHONE, "mentee-0002")
    assert held["held"] is True and held["held_note"] == EXPLANATION
    assert received(theirs, "message") == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Flag)) == 0  # a boundary, not a flag

    # After a reload: the writer sees it, marked, with why; the mentor never does.
    assert "07700 900123" in text(mentee.client.get(f"/chat/{slug}"))
    assert EXPLANATION in text(mentee.client.get(f"/chat/{slug}"))
    assert "07700 900123" not in text(mentor.client.get(f"/chat/{slug}"))
    again = call(theirs, "join", {"room_id": room, "after": 0})
    assert held["id"] not in [m["id"] for m in again["messages"]]


def test_a_crisis_line_passes_and_so_does_ordinary_talk_of_days_and_steps(app, pair):
    mentee, mentor, room, _, _ = pair
    theirs, mine = joined(app, mentor, room), joined(app, mentee, room)
    for n, body in enumerate(["If it gets heavy tonight, Samaritans are on 116 123, any time",
                              "I've been clean 365 days, and step 4 is next",
                              "nice to meet you in this space"]):
        sent = say(theirs, room, body, f"mentor-010{n}")
        assert sent["held"] is False
        assert [m["id"] for m in received(mine, "message")] == [sent["id"]]


def test_a_moderator_reviewing_a_flag_does_not_release_contact_details(app, pair):
    mentee, _, room, _, _ = pair
    mine = joined(app, mentee, room)
    held = say(mine, room, PHONE, "mentee-0003")
    with app.app_context():
        assert chat_messages.release_hold(db.session.get(Message, held["id"])) is False
        assert db.session.get(Message, held["id"]).held_at is not None


def test_support_rooms_keep_no_boundary_hold_since_only_moderators_read_them(app, member):
    client = connect(app, member)
    from tests.helpers import send as post
    slug = post(member.client, "/chat/support").location.rsplit("/", 1)[1]
    with app.app_context():
        from forum.models import Room
        room = db.session.scalar(select(Room.id).where(Room.slug == slug))
    assert call(client, "join", {"room_id": room})["ok"]
    assert say(client, room, "I'm at 12 Elm Street, please", "support-0001")["held"] is False


# ----- crisis: a trained moderator may come in while help is asked for ---------------------

def test_a_crisis_message_lets_a_trained_moderator_in_until_the_flag_is_closed(app, pair, moderator):
    mentee, mentor, room, slug, _ = pair
    theirs, mine = joined(app, mentor, room), joined(app, mentee, room)
    say(mine, room, CRISIS, "mentee-0004")
    assert received(theirs, "help_asked") == [{"room_id": room, "text": HELP_ASKED}]
    assert HELP_ASKED in text(mentor.client.get(f"/chat/{slug}"))
    with app.app_context():
        flag = db.session.scalar(select(Flag))
        assert flag is not None and flag.status in ACTIVE

    assert moderator.client.get(f"/chat/{slug}").status_code == 200
    helper = joined(app, moderator, room)
    hello = say(helper, room, "Hi, I'm a moderator. I'm here with you both.", "helper-0001")
    assert hello["id"] in [m["id"] for m in received(mine, "message")]
    assert hello["id"] in [m["id"] for m in received(theirs, "message")]
    answer = say(mine, room, "thank you for coming", "mentee-0005")
    assert answer["id"] in [m["id"] for m in received(helper, "message")]

    # The flag is resolved: the words close to moderators again, on the next event.
    with app.app_context():
        db.session.get(Flag, flag.id).status = "resolved"
        db.session.commit()
    assert moderator.client.get(f"/chat/{slug}").status_code == 404
    refused = call(helper, "send", {"room_id": room, "body": "one more thing", "client_id": "helper-0002"})
    assert refused == {"ok": False, "error": NOT_FOUND}
    later = say(mine, room, "feeling steadier now", "mentee-0006")
    assert later["id"] not in [m["id"] for m in received(helper, "message")]


# ----- an ended pairing ----------------------------------------------------------------------

def test_after_the_pair_ends_the_mentee_reads_the_mentor_leaves_and_nobody_writes(app, pair):
    mentee, mentor, room, slug, pair_id = pair
    mine = joined(app, mentee, room)
    say(mine, room, "Something I want to keep", "mentee-0007")
    end_pair(app, pair_id, mentee.handle)

    page = text(mentee.client.get(f"/chat/{slug}"))
    assert "Something I want to keep" in page and ENDED in page
    assert call(mine, "send", {"room_id": room, "body": "hello?", "client_id": "mentee-0008"}) == {
        "ok": False, "error": ENDED}
    assert mentor.client.get(f"/chat/{slug}").status_code == 404
    assert call(connect(app, mentor), "join", {"room_id": room}) == {"ok": False, "error": NOT_FOUND}


def test_when_the_pair_ends_the_mentor_s_socket_leaves_and_the_mentee_reads_on(app, pair):
    mentee, mentor, room, slug, pair_id = pair
    theirs, mine = joined(app, mentor, room), joined(app, mentee, room)
    say(mine, room, "Thank you for these weeks", "mentee-0009")
    theirs.get_received()

    # The mentee ends it on the pair page (the real path: pair_records.close archives the room).
    assert send(mentee.client, f"/mentoring/pairs/{pair_id}/end", {"reason": "no_reason"}).status_code == 302
    ended = {"room_id": room, "text": ENDED}
    assert received(theirs, "ended") == [ended]  # told before leaving: their open page closes too
    news = mine.get_received()
    assert [e["args"][0] for e in news if e["name"] == "ended"] == [ended]
    assert [e["args"][0]["handles"] for e in news if e["name"] == "presence"] == [[mentee.handle]]

    # Nothing more of the room reaches the mentor's socket: no typing, no presence.
    assert call(mine, "typing", {"room_id": room, "typing": True})["ok"]
    assert call(connect(app, mentee), "join", {"room_id": room})["ok"]  # a second tab: presence again
    assert theirs.get_received() == []
    # The mentee still reads their conversation (page and socket); nobody writes.
    page = text(mentee.client.get(f"/chat/{slug}"))
    assert "Thank you for these weeks" in page and ENDED in page
    assert call(mine, "join", {"room_id": room, "after": 0})["ok"]
    assert call(mine, "send", {"room_id": room, "body": "hello?", "client_id": "mentee-0010"}) == {
        "ok": False, "error": ENDED}
    assert call(theirs, "typing", {"room_id": room, "typing": True}) == {"ok": False, "error": NOT_FOUND}


# ----- two server processes, PostgreSQL (or SQLite) and Redis -------------------------------

@pytest.mark.services
def test_a_mentoring_room_is_shared_across_two_processes(chat_app, serve, peers, redis_url):  # noqa: F811
    room, _, _ = make_pair(chat_app, MEMBER, OTHER)
    first, second = serve(count=2, redis_url=redis_url)
    mentee, mentor = peers(first, MEMBER), peers(second, OTHER)
    mentee.join(room)
    mentor.join(room)
    sent = mentee.send(room, "Hello from the first process")["message"]
    assert mentor.wait_for("message", lambda m: m["id"] == sent["id"])["author"] == MEMBER
    held = mentee.send(room, PHONE)["message"]
    after = mentee.send(room, "and this one is fine")["message"]
    mentor.wait_for("message", lambda m: m["id"] == after["id"])
    assert held["held"] and held["id"] not in [m["id"] for _, m in mentor.events("message")]
