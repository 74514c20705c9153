"""Peer mentoring across two server processes sharing PostgreSQL and Redis, the way it runs
in production: the member on one process, the mentor (or the moderator) on the other.
Asking and being matched, a request nobody answers reaching the moderators, a crisis
bringing a moderator in, and an ended pairing letting the mentor go, all live.
(The room's own delivery across processes: test_mentoring_room.py.)"""
import html
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.chat.mentoring import ENDED, HELP_ASKED
from forum.extensions import db
from forum.models import MentoringRequest, Room, utcnow
from tests.chat.chat_fixtures import MEMBER, MODERATOR, OTHER, chat_app, peers, redis_url, serve  # noqa: F401
from tests.mentoring.mentor_fixtures import mentor_who_logs_in
from tests.mentoring.room_helpers import make_pair
from tests.mentoring.test_mentoring_room import CRISIS
from tests.notifications.test_delivery import Page
from tests.servers import TIMEOUT, login, post_form

# Several processes share PostgreSQL in production (SQLite is one process's database).
pytestmark = [pytest.mark.services, pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)]

ASK = {"topics": ["alcohol"], "language": "en", "note": "Evenings are the hard part.", "adult": "yes"}


@pytest.fixture
def two(chat_app, serve, redis_url):  # noqa: F811
    """Two server processes on one PostgreSQL database and one Redis channel, sweeping every
    second (the sweeper's passes are the mentoring request queue's clock)."""
    return serve(count=2, redis_url=redis_url, FORUM_SWEEP_SECONDS="1")


def ask(base, http, mentor="lantern"):
    """The member asks for a mentor and chooses one (or lets Lantern choose): the request id."""
    asked = post_form(http, base, "/mentoring/ask", ASK)
    assert asked.status_code == 302 and asked.headers["location"].endswith("/choose"), asked.text
    request_id = int(asked.headers["location"].split("/")[-2])
    assert post_form(http, base, f"/mentoring/requests/{request_id}/choose", {"mentor": mentor}).status_code == 302
    return request_id


def told(page, words):
    """The texts with these words that the notifications page shows, once it shows one (a
    live poke makes it ask /notifications/since, as static/notifications.js does)."""
    deadline = time.monotonic() + TIMEOUT
    while not (found := [n["text"] for n in list(page.shown.values()) if words in n["text"]]):
        assert time.monotonic() < deadline, f"no notification with {words!r}: {page.shown}"
        time.sleep(0.05)
    return found


def page_text(http, url):
    return html.unescape(http.get(url, timeout=TIMEOUT).text)


def backdate(app, request_id, minutes, created=False):
    """Move the request's offer (and with `created`, its asking) `minutes` into the past:
    the servers' sweepers see that much time pass, as test_requests.py's sweep(now) does."""
    earlier = utcnow() - timedelta(minutes=minutes)
    values = {"offered_at": earlier, **({"created_at": earlier} if created else {})}
    with app.app_context():
        db.session.execute(update(MentoringRequest).where(MentoringRequest.id == request_id).values(**values))
        db.session.commit()


def request_row(app, request_id):
    with app.app_context():
        row = db.session.get(MentoringRequest, request_id)
        db.session.expunge(row)
        return row


def room_of(app, slug):
    with app.app_context():
        return db.session.scalar(select(Room.id).where(Room.slug == slug))


# ----- asking, offered, accepted: the pair meets live ----------------------------------------

def test_a_member_asks_on_one_process_and_the_mentor_accepts_on_the_other(chat_app, two, peers):  # noqa: F811
    first, second = two
    mentor_id = mentor_who_logs_in(chat_app, OTHER)
    mentors_page, members_page = Page(second.base_url, OTHER), Page(first.base_url, MEMBER)
    mentors_page.connect(second.base_url)
    members_page.connect(first.base_url)

    request_id = ask(first.base_url, members_page.http, mentor=str(mentor_id))
    assert told(mentors_page, "A member would like a mentor for alcohol")  # live, on the other process
    offers = page_text(mentors_page.http, second.base_url + "/mentoring/offers")
    assert MEMBER in offers and "Evenings are the hard part." in offers
    accepted = post_form(mentors_page.http, second.base_url, f"/mentoring/requests/{request_id}/accept")
    assert accepted.status_code == 302 and accepted.headers["location"].startswith("/chat/mentoring-")
    slug = accepted.headers["location"].rsplit("/", 1)[1]
    assert told(members_page, f"{OTHER} will be your peer mentor")
    assert f"Mentoring with {OTHER}" in page_text(members_page.http, first.base_url + f"/chat/{slug}")

    room = room_of(chat_app, slug)
    mentee, mentor = peers(first, MEMBER), peers(second, OTHER)
    mentee.join(room)
    mentor.join(room)
    mentee.wait_for("presence", lambda p: p["handles"] == sorted([MEMBER, OTHER], key=str.casefold))
    sent = mentee.send(room, "Hello, and thank you for saying yes")["message"]
    assert mentor.wait_for("message", lambda m: m["id"] == sent["id"])["author"] == MEMBER
    answer = mentor.send(room, "Glad to. How has today been?")["message"]
    assert mentee.wait_for("message", lambda m: m["id"] == answer["id"])["author"] == OTHER


# ----- nobody answers: re-offered, then to the moderators -------------------------------------

def test_an_unanswered_request_is_re_offered_then_reaches_a_moderator_on_the_other_process(chat_app, two):  # noqa: F811
    first, second = two
    mentor_ids = {mentor_who_logs_in(chat_app, handle): handle for handle in (OTHER, "GentleFinch8")}
    mentee = login(first.base_url, MEMBER)
    watching = {mentor_id: Page(second.base_url, handle) for mentor_id, handle in mentor_ids.items()}
    for page in watching.values():
        page.connect(second.base_url)
    moderators_page = Page(second.base_url, MODERATOR)
    moderators_page.connect(second.base_url)

    request_id = ask(first.base_url, mentee)
    offered_first = request_row(chat_app, request_id).offered_to_id
    assert told(watching[offered_first], "A member would like a mentor")

    # Its offer goes unanswered past MENTORING_OFFER_MINUTES: a sweeper offers it to the other.
    backdate(chat_app, request_id, minutes=31)
    (offered_next,) = set(mentor_ids) - {offered_first}
    assert told(watching[offered_next], "A member would like a mentor")
    assert request_row(chat_app, request_id).status == "offered"
    assert moderators_page.shown == {}  # not yet the moderators'

    # Still unmatched past MENTORING_ESCALATE_MINUTES: the moderators are told, live.
    backdate(chat_app, request_id, minutes=241, created=True)
    (words,) = told(moderators_page, "A request for a mentor (alcohol) needs help")
    assert "It is in the mentoring queue." in words and MEMBER not in words  # nothing of who asked
    assert request_row(chat_app, request_id).status == "escalated"
    queue = page_text(moderators_page.http, first.base_url + "/mentoring/queue")
    assert "moderators asked to help" in queue and "Evenings are the hard part." not in queue


# ----- a crisis brings a trained moderator in ---------------------------------------------

def test_a_crisis_on_one_process_lets_a_moderator_on_the_other_in(chat_app, two, peers):  # noqa: F811
    first, second = two
    room, slug, _ = make_pair(chat_app, MEMBER, OTHER)
    mentee, mentor, helper = peers(first, MEMBER), peers(second, OTHER), peers(second, MODERATOR)
    mentee.join(room)
    mentor.join(room)
    assert helper.call("join", {"room_id": room})["ok"] is False  # no help asked for: not theirs to read

    crisis = mentee.send(room, CRISIS)["message"]
    assert mentor.wait_for("help_asked") == {"room_id": room, "text": HELP_ASKED}
    assert crisis["id"] in [m["id"] for m in helper.join(room)["messages"]]
    assert CRISIS in page_text(login(second.base_url, MODERATOR), second.base_url + f"/chat/{slug}")
    hello = helper.send(room, "Hi, I'm a moderator. I'm here with you both.")["message"]
    assert mentee.wait_for("message", lambda m: m["id"] == hello["id"])["author"] == MODERATOR


# ----- an ended pairing lets the mentor go, on every process ------------------------------

def test_the_mentee_ends_it_on_one_process_and_the_mentor_on_the_other_leaves_the_room(chat_app, two, peers):  # noqa: F811
    first, second = two
    room, slug, pair_id = make_pair(chat_app, MEMBER, OTHER)
    mentee, mentor, mentees_tab = peers(first, MEMBER), peers(second, OTHER), peers(second, MEMBER)
    for peer in (mentee, mentor, mentees_tab):
        peer.join(room)
    mentee.call("typing", {"room_id": room, "typing": True})
    mentor.wait_for("typing")  # before the end the mentor hears the room: the checks below can fail

    ended = post_form(mentee.http, first.base_url, f"/mentoring/pairs/{pair_id}/end", {"reason": "no_reason"})
    assert ended.status_code == 302
    assert mentor.wait_for("ended") == {"room_id": room, "text": ENDED}  # their open page closes
    mentee.wait_for("ended")
    mentee.wait_for("presence", lambda p: p["handles"] == [MEMBER])  # the mentor's row left the room
    heard = len(mentor.events())

    mentee.call("typing", {"room_id": room, "typing": False})  # a notice the room hasn't had yet
    mentees_tab.join(room)  # presence again
    mentees_tab.wait_for("typing", lambda t: not t["typing"])
    # The tab on the mentor's process heard both: the mentor's socket, in the room, would
    # have too (one pass over the room's sockets), before this answer on the same socket.
    assert mentor.call("leave", {"room_id": room}) == {"ok": True}
    assert mentor.events()[heard:] == []
    assert mentor.call("typing", {"room_id": room, "typing": True})["ok"] is False
    assert login(first.base_url, OTHER).get(first.base_url + f"/chat/{slug}").status_code == 404
    assert ENDED in page_text(mentee.http, first.base_url + f"/chat/{slug}")  # the mentee reads on
