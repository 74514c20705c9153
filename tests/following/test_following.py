"""Following threads and boards, unread counts and the read mark, as members rely on them:
replies reach the thread's followers (and not who stopped following), a new thread reaches
the board's followers, the unread count and "new since your last visit" count only what the
reader may read, and the reading costs the same whatever a member follows."""
import re

from sqlalchemy import select, update

from forum.extensions import db
from forum.models import BoardFollow, Member, Notification, Post, ReadMark, ThreadFollow, utcnow
from tests.helpers import PASSPHRASE, count_queries, send, start_thread, text

from ..notifications.test_centre import notifications, reply


def kinds(app, handle):
    return [n.kind for n in notifications(app, handle)]


def test_writing_in_a_thread_follows_it_and_its_followers_hear_of_replies(app, member, other, third):
    thread = start_thread(member.client, title="Mornings are hard", body="How do you start the day?")
    reply(other, thread, "A glass of water first.")
    assert kinds(app, member.handle) == ["reply"]  # the starter follows their thread
    reply(third, thread, "A short walk helps me.")
    assert kinds(app, other.handle) == ["reply"]  # the first replier follows it now
    assert "Stop following this thread" in text(other.client.get(f"/t/{thread}"))

    # Stopping: no more replies, and writing there again does not follow it again.
    assert send(other.client, f"/t/{thread}/unfollow").status_code == 302
    reply(third, thread, "And tea.")
    reply(other, thread, "Thanks both.")
    reply(third, thread, "Any time.")
    assert kinds(app, other.handle) == ["reply"]
    assert "Follow this thread" in text(other.client.get(f"/t/{thread}"))


def test_following_a_thread_you_never_wrote_in(app, member, other, third):
    thread = start_thread(member.client, title="Cravings at night", body="They come at 11pm.")
    assert kinds(app, third.handle) == []
    send(third.client, f"/t/{thread}/follow")
    reply(other, thread, "Try a hot shower.")
    assert kinds(app, third.handle) == ["reply"]
    assert "Cravings at night" in text(third.client.get("/following"))


def test_a_followed_board_tells_of_new_threads_settable_like_the_others(app, member, other):
    assert send(other.client, "/b/anxiety/follow").status_code == 302
    assert "Anxiety" in text(other.client.get("/following"))
    start_thread(member.client, title="First panic attack at work", body="It happened today.")
    page = text(other.client.get("/notifications"))
    assert f"{member.handle} started “First panic attack at work” in Anxiety" in page
    assert kinds(app, member.handle) == []  # never the author

    # The kind can be turned off, as the others.
    send(other.client, "/notifications/settings", {"on": ["reply", "mention", "reactions", "report"]})
    start_thread(member.client, title="Second thread here", body="Still here.")
    assert kinds(app, other.handle) == ["new_thread"]
    send(other.client, "/b/anxiety/unfollow")
    assert "not following any boards" in text(other.client.get("/following"))


def _unread_line(page):
    match = re.search(r"(\d+) new post", page)
    return int(match.group(1)) if match else 0


def test_unread_counts_new_since_your_last_visit_and_jump_to_first_unread(app, member, other):
    thread = start_thread(other.client, title="Check-in thread", body="How was today?")
    first_view = text(member.client.get(f"/t/{thread}"))
    assert "New since your last visit" not in first_view  # a first visit has nothing "since"
    answers = [reply(other, thread, f"Update number {n}") for n in range(3)]

    board = text(member.client.get("/b/anxiety"))
    assert "3 new" in board and f"/t/{thread}/unread" in board
    jump = member.client.get(f"/t/{thread}/unread")
    assert jump.status_code == 302 and jump.location.endswith(f"#p{answers[0]}")

    page = text(member.client.get(f"/t/{thread}"))
    assert _unread_line(page) == 3 and "New since your last visit" in page
    # The line sits just before the first post not yet read.
    assert page.index("New since your last visit") < page.index(f'id="p{answers[0]}"')
    assert page.index(f'id="p{answers[0]}"') - page.index("New since your last visit") < 300
    # Reading the page moved the mark: nothing is new any more.
    again = text(member.client.get(f"/t/{thread}"))
    assert "New since your last visit" not in again and _unread_line(again) == 0
    assert "new repl" not in text(member.client.get("/b/anxiety")).split("Check-in thread", 1)[1][:400]


def test_unread_counts_never_count_what_the_reader_may_not_see(app, member, other):
    thread = start_thread(other.client, title="Held words thread", body="Opening words.")
    member.client.get(f"/t/{thread}")
    visible = reply(other, thread, "Visible words.")
    held = reply(other, thread, "Words a moderator must look at.")
    with app.app_context():
        db.session.execute(update(Post).where(Post.id == held).values(held_at=utcnow()))
        db.session.commit()
    assert "1 new" in text(member.client.get("/b/anxiety"))
    assert _unread_line(text(member.client.get(f"/t/{thread}"))) == 1
    assert visible  # the one counted
    # Its author's own posts are never "new" to them, held or not.
    assert "new repl" not in text(other.client.get("/b/anxiety")).split("Held words thread", 1)[1][:400]


def test_guests_see_no_following_and_cannot_follow(app, client, member):
    thread = start_thread(member.client, title="Open to all", body="Hello.")
    page = text(client.get(f"/t/{thread}"))
    assert "Follow this thread" not in page and "since your last visit" not in page
    assert "Follow this board" not in text(client.get("/b/anxiety"))
    assert client.get("/following").status_code == 302  # to log in
    assert client.post(f"/t/{thread}/follow").status_code in (302, 400)
    with app.app_context():
        assert db.session.scalar(select(ThreadFollow).where(ThreadFollow.member_id.is_(None))) is None


def test_follow_forms_need_their_csrf_token(app, member, other):
    thread = start_thread(member.client, title="Token thread", body="Words.")
    assert other.client.post(f"/t/{thread}/follow").status_code == 400
    assert other.client.post("/b/anxiety/follow").status_code == 400
    assert send(other.client, "/t/99999999/follow").status_code == 404
    assert send(other.client, "/b/no-such-board/follow").status_code == 404


def test_export_has_follows_and_deletion_removes_them(app, member, other):
    thread = start_thread(member.client, title="Exported thread", body="Words.")
    send(member.client, "/b/depression/follow")
    other_thread = start_thread(other.client, title="Read it", body="Words.", board="depression")
    member.client.get(f"/t/{other_thread}")
    data = member.client.get("/account/export.json").get_json()
    assert [(t["thread_id"], t["following"]) for t in data["followed_threads"]] == [(thread, True)]
    assert [b["board"] for b in data["followed_boards"]] == ["depression"]
    assert [m["thread_id"] for m in data["read_up_to"]] == [other_thread]

    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.handle == member.handle))
    response = send(member.client, "/account/delete", {"posts": "keep", "passphrase": PASSPHRASE})
    assert response.status_code == 302
    with app.app_context():
        for model in (ThreadFollow, BoardFollow, ReadMark):
            assert db.session.scalars(select(model).where(model.member_id == member_id)).all() == []


def _queries(app, person, url):
    return count_queries(app, person.client, url)


def test_reading_costs_the_same_whatever_a_member_follows(app, member, other):
    thread = start_thread(other.client, title="Busy thread", body="Words.")
    with app.app_context():
        from forum.boards import service
        from forum.models import Board, Thread

        board = db.session.scalar(select(Board).where(Board.slug == "anxiety"))
        author = db.session.scalar(select(Member).where(Member.handle == other.handle))
        reader = db.session.scalar(select(Member).where(Member.handle == member.handle))
        author_id, reader_id = author.id, reader.id
        for i in range(40):
            post, _ = service.create_thread(board, author, f"Filler {i}", "Words.")
            db.session.add(ThreadFollow(member_id=reader.id, thread_id=post.thread_id))
            db.session.add(ReadMark(member_id=reader.id, thread_id=post.thread_id, last_read_post_id=post.id))
        busy = db.session.get(Thread, thread)
        for i in range(30):
            service.reply(busy, author, f"reply {i}")
        db.session.commit()
    member.client.get(f"/t/{thread}")  # a mark exists; the next visits move nothing
    before = _queries(app, member, f"/t/{thread}"), _queries(app, member, "/b/anxiety")
    with app.app_context():
        for i in range(30):
            service.reply(db.session.get(Thread, thread), db.session.get(Member, author_id), f"more {i}")
        db.session.commit()
    member.client.get(f"/t/{thread}")
    after = _queries(app, member, f"/t/{thread}"), _queries(app, member, "/b/anxiety")
    assert before == after
    with app.app_context():
        assert db.session.scalar(select(Notification.id).where(Notification.member_id == reader_id)) is None
