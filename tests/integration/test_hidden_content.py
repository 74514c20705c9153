"""Words held for review (method detail) or hidden by a moderator stay out of sight of
everyone who may not read them: on the report form, in the reply form's quote, on the
board, in search and in page titles. Their author and trained moderators still see held
words where they always could. A reply form quotes a post behind its content warning."""
import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from moderation.models import Flag
from tests.helpers import make_member, send, start_thread, text, train

METHOD = "how many of my pills would it take to overdose, I have 40 of them"  # screened: held
HELD_TITLE = "hoarding my pills to take them all"


@pytest.fixture
def moderator(app):
    person = make_member(app, "SteadyOwl50")
    train(app, person.handle)
    return person


def post_ids(app, thread_id):
    """The thread's post ids, opening post first."""
    with app.app_context():
        return db.session.scalars(select(Post.id).where(Post.thread_id == thread_id).order_by(Post.id)).all()


def reply(person, thread_id, body, **extra):
    response = send(person.client, f"/t/{thread_id}/reply", {"body": body, **extra})
    assert response.status_code == 302, text(response)
    return int(re.search(r"#(?:p|help-)(\d+)$", response.location).group(1))  # help-: words that raise it


def hide(app, moderator, reporter, post_id):
    """A member reports the post and a trained moderator hides it, through their forms."""
    assert send(reporter.client, f"/p/{post_id}/report", {"reason": "harassment"}).status_code == 302
    with app.app_context():
        flag_id = db.session.scalar(select(Flag.id).where(Flag.post_id == post_id))
    done = send(moderator.client, f"/moderation/flags/{flag_id}/hide", {"reason": "unkind"})
    assert done.status_code == 302, text(done)


def held_thread(member):
    """A thread whose opening post (and so its title) is held for review."""
    return start_thread(member.client, title=HELD_TITLE, body=METHOD, board="depression")


# ---- 1. the body of a held or hidden post -------------------------------------------

def test_the_report_form_does_not_quote_held_words_to_other_members(app, member, other, moderator):
    thread_id = start_thread(member.client, title="Hello", body="hello everyone")
    held = reply(member, thread_id, METHOD)
    page = other.client.get(f"/p/{held}/report")
    assert METHOD not in text(page) and "overdose" not in text(page)
    # Its author and trained moderators read held words where they always could.
    assert METHOD in text(member.client.get(f"/t/{thread_id}"))
    assert METHOD in text(moderator.client.get(f"/t/{thread_id}"))


def test_the_report_form_does_not_quote_a_hidden_post(app, member, other, moderator):
    thread_id = start_thread(member.client, title="Hello", body="hello everyone")
    unkind = reply(member, thread_id, "you are all useless wallflowers")
    hide(app, moderator, other, unkind)
    third = make_member(app, "KindWren70")
    for person in (third, other):
        page = person.client.get(f"/p/{unkind}/report")
        assert "useless wallflowers" not in text(page)
        assert page.status_code in (200, 404)
    assert "useless wallflowers" not in text(third.client.get(f"/t/{thread_id}"))


def test_the_reply_form_never_quotes_what_the_reader_may_not_see(app, member, other, moderator):
    thread_id = start_thread(member.client, title="Hello", body="hello everyone")
    held = reply(member, thread_id, METHOD)
    unkind = reply(member, thread_id, "you are all useless wallflowers")
    hide(app, moderator, other, unkind)
    for parent in (held, unkind):
        page = text(other.client.get(f"/t/{thread_id}/reply?parent_id={parent}"))
        assert METHOD not in page and "useless wallflowers" not in page


def test_search_and_exports_leave_out_held_and_hidden_words(app, client, member, other, moderator):
    thread_id = start_thread(member.client, title="Hello", body="hello everyone")
    reply(member, thread_id, METHOD)
    unkind = reply(member, thread_id, "you are all useless wallflowers")
    hide(app, moderator, other, unkind)
    for reader in (client, other.client):
        assert "40 of them" not in text(reader.get("/search?q=overdose"))
        assert "useless" not in text(reader.get("/search?q=wallflowers"))
    exported = other.client.get("/account/export.json").get_data(as_text=True)
    assert "overdose" not in exported and "wallflowers" not in exported


# ---- 2. a thread whose opening post is held or hidden --------------------------------

def test_a_held_thread_shows_its_title_to_nobody_else(app, client, member, other, moderator):
    thread_id = held_thread(member)
    for reader in (client, other.client):
        page = reader.get(f"/t/{thread_id}")
        assert page.status_code == 404
        assert HELD_TITLE not in text(page)
        assert HELD_TITLE not in text(reader.get("/b/depression"))
        assert HELD_TITLE not in text(reader.get("/search?q=pills"))
    assert other.client.get(f"/t/{thread_id}/reply").status_code == 404
    # Its author and trained moderators still find it, title and all.
    for reader in (member.client, moderator.client):
        page = reader.get(f"/t/{thread_id}")
        assert page.status_code == 200 and f"<title>{HELD_TITLE}" in text(page)
        assert HELD_TITLE in text(reader.get("/b/depression"))


def test_a_thread_held_after_others_replied_keeps_the_replies_but_not_the_title(app, client, member, other):
    thread_id = start_thread(member.client, title="Rough night", body="can't sleep again", board="depression")
    reply(other, thread_id, "sending you strength tonight, friend")
    opening = post_ids(app, thread_id)[0]
    edited = send(member.client, f"/p/{opening}/edit", {"title": HELD_TITLE, "body": METHOD})
    assert edited.status_code == 302, text(edited)
    for reader in (client, other.client):
        page = reader.get(f"/t/{thread_id}")
        assert page.status_code == 200
        shown = text(page)
        assert "sending you strength tonight" in shown
        assert HELD_TITLE not in shown and METHOD not in shown
        assert HELD_TITLE not in text(reader.get("/b/depression"))
        found = text(reader.get("/search?q=strength"))
        assert "sending you strength tonight" in found and HELD_TITLE not in found
        assert HELD_TITLE not in text(reader.get(f"/t/{thread_id}/reply"))
    assert HELD_TITLE in text(member.client.get(f"/t/{thread_id}"))


def test_a_thread_whose_opening_post_is_hidden_keeps_its_title_out_of_sight(app, client, member, other, moderator):
    thread_id = start_thread(member.client, title="Everyone here is a fraud", body="you are all fakes",
                             board="depression")
    hide(app, moderator, other, post_ids(app, thread_id)[0])
    for reader in (client, other.client):
        page = reader.get(f"/t/{thread_id}")
        assert page.status_code == 404 and "a fraud" not in text(page)
        assert "a fraud" not in text(reader.get("/b/depression"))
        assert "a fraud" not in text(reader.get("/search?q=everyone"))
    # The moderator who acted can still open it from the queue.
    assert moderator.client.get(f"/t/{thread_id}").status_code == 200


# ---- 3. the reply form keeps a post's content warning ---------------------------------

def test_the_reply_form_quotes_a_post_behind_its_content_warning(app, member, other):
    thread_id = start_thread(member.client, title="Hard week", body="the details of my relapse on Tuesday",
                             content_warning="relapse")
    opening = post_ids(app, thread_id)[0]
    page = text(other.client.get(f"/t/{thread_id}/reply?parent_id={opening}"))
    assert "Content warning: relapse" in page
    warned = re.search(r"<details class=\"cw\">(.*?)</details>", page, re.S)
    assert warned and "the details of my relapse on Tuesday" in warned.group(1)
    assert page.count("the details of my relapse on Tuesday") == 1


def test_a_boards_pages_leave_out_exactly_the_threads_nobody_may_read(app, member, other, moderator):
    """The board picks a page's thread ids before it reads their opening posts: the threads
    it leaves out (opening withheld from the reader, nothing else in them theirs to read)
    must be the ones the rule says, on every page, in order, for every kind of reader."""
    from forum.boards import service
    from forum.models import Board, Member, Thread
    from moderation import visibility

    with app.app_context():
        board = db.session.scalar(select(Board).where(Board.slug == "carers"))
        author, replier = (db.session.scalar(select(Member).where(Member.handle == p.handle)) for p in (member, other))
        keeper = db.session.scalar(select(Member).where(Member.handle == moderator.handle))
        openings = {}
        for name in ("plain", "hidden", "held", "held-replied", "hidden-replied", "held-orphan", "last"):
            openings[name], _ = service.create_thread(board, author, f"Thread {name}", f"words of {name}")
        service.reply(openings["held-replied"].thread, replier, "a readable reply")
        service.reply(openings["hidden-replied"].thread, replier, "another readable reply")
        now = openings["plain"].created_at
        for name in ("hidden", "hidden-replied"):
            openings[name].hidden_at = now
        for name in ("held", "held-replied", "held-orphan"):
            openings[name].held_at = now
        openings["held-orphan"].author_id = None  # its author's account is gone
        db.session.commit()
        latest_first = db.session.scalars(select(Thread.id).where(Thread.board_id == board.id)
                                          .order_by(Thread.last_post_at.desc(), Thread.id.desc())).all()
        names = {opening.thread_id: name for name, opening in openings.items()}
        lists = {}
        for reader in (visibility.Reader(None, False), visibility.reader(replier), visibility.reader(author),
                       visibility.reader(keeper)):
            def listed(thread_id, reader=reader):
                opening = service.opening_post(db.session.get(Thread, thread_id))
                return visibility.shows_title(opening, reader) or db.session.scalar(select(
                    select(Post.id).where(Post.thread_id == thread_id, visibility.readable(reader)).exists()))
            expected = [names[t] for t in latest_first if listed(t)]
            shown, page = [], 1
            while True:
                threads, more = service.board_threads(board, page, 2, reader)
                assert len(threads) == 2 or not more
                shown += [names[thread.id] for thread, *_ in threads]
                if not more:
                    break
                page += 1
            assert shown == expected, reader
            lists[reader] = set(shown)
    guest, replier_sees, author_sees, keeper_sees = lists.values()
    assert guest == replier_sees == {"plain", "held-replied", "hidden-replied", "last"}
    assert author_sees == guest | {"held"}
    assert keeper_sees == set(openings)
