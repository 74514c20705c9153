"""Boards, threads, nested replies, content warnings, reactions, edit and delete."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models import Post, Reaction
from forum.seed import BOARDS
from tests.helpers import count_queries, send, start_thread, text


def test_board_list_shows_every_seeded_board_with_counts_and_activity(client, member):
    page = text(client.get("/"))
    for _, name, description in BOARDS:
        assert name in page and description in page
    assert page.count("0 threads") == len(BOARDS)
    start_thread(member.client, board="grief")
    page = text(client.get("/"))
    assert "1 thread · latest activity" in page and page.count("0 threads") == len(BOARDS) - 1


def test_board_shows_guidelines_and_its_threads(client, member):
    start_thread(member.client, title="Sleepless again", board="anxiety")
    page = text(client.get("/b/anxiety"))
    assert "Posting guidelines" in page and "Sleepless again" in page
    assert "Sleepless again" not in text(client.get("/b/grief"))


def test_reading_is_open_but_posting_needs_an_account(client, member):
    thread_id = start_thread(member.client)
    assert client.get(f"/t/{thread_id}").status_code == 200
    response = client.get("/b/anxiety/new")
    assert response.status_code == 302 and "/login" in response.location


def test_thread_title_and_body_limits(member):
    too_long_title = send(member.client, "/b/anxiety/new", {"title": "t" * 201, "body": "ok"})
    assert too_long_title.status_code == 400 and "up to 200 characters" in text(too_long_title)
    too_long_body = send(member.client, "/b/anxiety/new", {"title": "ok", "body": "b" * 20_001})
    assert too_long_body.status_code == 400 and "up to 20,000 characters" in text(too_long_body)
    assert "b" * 20_000 in text(too_long_body)  # what they typed is still in the form
    assert send(member.client, "/b/anxiety/new", {"title": "t" * 200, "body": "b" * 20_000}).status_code == 302


def test_hidden_characters_in_titles_and_bodies_are_refused_clearly(member):
    for data, message in [
        ({"title": "evil\u202etitle", "body": "ok"}, "text-direction"),
        ({"title": "zero\u200bwidth", "body": "ok"}, "zero-width"),
        ({"title": "fine", "body": "nul\x00byte"}, "control characters"),
    ]:
        response = send(member.client, "/b/anxiety/new", data)
        assert response.status_code == 400 and message in text(response)
    # An emoji sequence joined by zero-width joiners is fine in a body.
    assert send(member.client, "/b/anxiety/new", {"title": "family", "body": "👩\u200d👩\u200d👧"}).status_code == 302


def test_markdown_is_rendered_once_at_write_time(app, member):
    thread_id = start_thread(member.client, body="**brave** [link](https://example.org)")
    with app.app_context():
        post = db.session.scalar(select(Post).where(Post.thread_id == thread_id))
        assert "<strong>brave</strong>" in post.body_html
        assert 'rel="nofollow ugc noopener noreferrer"' in post.body_html


def test_xss_in_a_post_is_inert_on_the_page(client, member):
    thread_id = start_thread(member.client, title="<script>alert(1)</script>",
                             body="<img src=x onerror=alert(1)> [x](javascript:alert(1))")
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page and 'href="javascript' not in page


def test_replies_nest_under_what_they_answer_and_cap_with_in_reply_to(app, member, other):
    thread_id = start_thread(member.client, body="opening")
    parent_id = None
    people = [other, member]
    for level in range(1, 9):
        data = {"body": f"level {level}"}
        if parent_id:
            data["parent_id"] = str(parent_id)
        response = send(people[level % 2].client, f"/t/{thread_id}/reply", data)
        assert response.status_code == 302
        parent_id = int(response.location.rsplit("#p", 1)[1])
    page = text(member.client.get(f"/t/{thread_id}"))
    order = re.findall(r"level (\d)", page)
    assert order == [str(n) for n in range(1, 9)]
    depths = [int(d) for d in re.findall(r'class="post depth-(\d)"', page)]
    assert depths == [0, 1, 2, 3, 4, 5, 6, 6, 6]
    # Beyond the cap, the page says whom a reply answers.
    assert page.count("in reply to") == 2


def test_a_reply_to_an_earlier_post_lands_under_it(member, other):
    thread_id = start_thread(member.client, body="opening")
    first = send(other.client, f"/t/{thread_id}/reply", {"body": "first reply"}).location.rsplit("#p", 1)[1]
    send(other.client, f"/t/{thread_id}/reply", {"body": "second reply"})
    send(member.client, f"/t/{thread_id}/reply", {"body": "answer to first", "parent_id": first})
    page = text(member.client.get(f"/t/{thread_id}"))
    assert page.index("first reply") < page.index("answer to first") < page.index("second reply")


def test_reply_to_a_post_of_another_thread_or_a_forged_id_is_refused(member):
    one = start_thread(member.client, title="one")
    two = start_thread(member.client, title="two")
    post_in_one = send(member.client, f"/t/{one}/reply", {"body": "x"}).location.rsplit("#p", 1)[1]
    assert send(member.client, f"/t/{two}/reply", {"body": "y", "parent_id": post_in_one}).status_code == 404
    assert send(member.client, f"/t/{two}/reply", {"body": "y", "parent_id": "99999999999999"}).status_code == 404
    assert send(member.client, f"/t/{two}/reply", {"body": "y", "parent_id": "abc"}).status_code == 404


def test_long_threads_are_paginated_with_a_constant_number_of_queries(app, member):
    thread_id = start_thread(member.client, body="opening")
    with app.app_context():
        from forum.boards import service
        from forum.models import Member, Thread

        thread = db.session.get(Thread, thread_id)
        author = db.session.scalar(select(Member))
        for i in range(130):
            service.reply(thread, author, f"reply {i}")
        db.session.commit()

    first, last = count_queries(app, member.client, f"/t/{thread_id}"), \
        count_queries(app, member.client, f"/t/{thread_id}?page=3")
    # 7 (the thread with its opening post in one), one reading the member's own filters and
    # blocks (forum.filters.lens), their reading: how far they had read, and the mark moved
    # on. The header's Mentoring link (forum.mentoring.views.mentoring_nav) asks nothing: its
    # facts come with the member's session (forum.accounts.service.session_member).
    assert first == last <= 10
    page3 = text(member.client.get(f"/t/{thread_id}?page=3"))
    assert "Page 3 of 3" in page3 and "reply 129" in page3 and "reply 0" not in page3
    assert member.client.get(f"/t/{thread_id}?page=9").status_code == 404


def test_content_warning_collapses_the_body_without_javascript(client, member):
    thread_id = start_thread(member.client, body="hard things", content_warning="relapse")
    page = client.get(f"/t/{thread_id}").get_data(as_text=True)
    details = re.search(r'<details class="cw">(.*?)</details>', page, re.DOTALL).group(1)
    assert "Content warning: relapse" in details and "hard things" in details
    assert "open" not in re.search(r"<details[^>]*>", page[page.index('<details class="cw">'):]).group(0)
    assert "Content warning: relapse" in text(client.get("/b/anxiety"))


def test_reactions_toggle_one_of_each_kind_per_member(app, member, other):
    thread_id = start_thread(member.client)
    with app.app_context():
        post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id))
    for _ in range(2):  # a double click gives one hug, not two
        send(other.client, f"/p/{post_id}/react/hug")
    send(member.client, f"/p/{post_id}/react/hug")
    send(member.client, f"/p/{post_id}/react/strength")
    with app.app_context():
        kinds = sorted(db.session.scalars(select(Reaction.kind).where(Reaction.post_id == post_id)))
    assert kinds == ["hug", "strength"]  # other's second click took its hug back
    send(other.client, f"/p/{post_id}/react/hug")
    page = text(member.client.get(f"/t/{thread_id}"))
    assert re.search(r'aria-pressed="true">Hug <span class="count">2</span>', page)
    assert send(other.client, f"/p/{post_id}/react/shrug").status_code == 404


def test_edit_own_post_shows_edited_marker_and_re_renders(member):
    thread_id = start_thread(member.client, title="Old title", body="first words")
    post_id = int(re.search(r'id="p(\d+)"', text(member.client.get(f"/t/{thread_id}"))).group(1))
    response = send(member.client, f"/p/{post_id}/edit", {"title": "New title", "body": "*better* words"})
    assert response.status_code == 302
    page = text(member.client.get(f"/t/{thread_id}"))
    assert "<em>better</em> words" in page and "edited" in page and "New title" in page


def test_nobody_can_edit_or_delete_another_members_post(member, other):
    thread_id = start_thread(member.client, body="mine")
    post_id = int(re.search(r'id="p(\d+)"', text(member.client.get(f"/t/{thread_id}"))).group(1))
    assert other.client.get(f"/p/{post_id}/edit").status_code == 403
    assert send(other.client, f"/p/{post_id}/edit", {"body": "hijacked"}).status_code == 403
    assert send(other.client, f"/p/{post_id}/delete").status_code == 403
    assert "mine" in text(other.client.get(f"/t/{thread_id}"))


def test_deleting_leaves_a_placeholder_and_keeps_replies(member, other):
    thread_id = start_thread(member.client, body="opening")
    reply_at = send(member.client, f"/t/{thread_id}/reply", {"body": "regretted words"}).location
    reply_id = reply_at.rsplit("#p", 1)[1]
    send(other.client, f"/t/{thread_id}/reply", {"body": "answer below", "parent_id": reply_id})
    assert send(member.client, f"/p/{reply_id}/delete").status_code == 302
    page = text(other.client.get(f"/t/{thread_id}"))
    assert "regretted words" not in page and "Post removed by its author." in page and "answer below" in page
    assert page.index("Post removed by its author.") < page.index("answer below")
    assert member.client.get(f"/p/{reply_id}/edit").status_code == 410


def test_double_submission_makes_one_post(app, member):
    data = {"title": "Once", "body": "only once", "form_token": "token-123"}
    first = send(member.client, "/b/anxiety/new", data)
    second = send(member.client, "/b/anxiety/new", data)
    assert first.location == second.location
    with app.app_context():
        assert len(db.session.scalars(select(Post).where(Post.body_md == "only once")).all()) == 1


def test_posting_too_fast_is_slowed_down_and_keeps_the_words(make_app):
    from tests.helpers import make_member

    app = make_app(LIMIT_POST="1 per 5 seconds", LIMIT_THREAD="1 per 15 seconds")
    with app.app_context():
        from forum.seed import seed_boards
        seed_boards()
        db.session.commit()
    person = make_member(app, "QuickFinch12")
    thread_id = start_thread(person.client)
    again = send(person.client, "/b/anxiety/new", {"title": "another", "body": "my second thread"})
    assert again.status_code == 429 and "wait a few seconds" in text(again)
    assert "my second thread" in text(again)
    assert send(person.client, f"/t/{thread_id}/reply", {"body": "a reply"}).status_code == 302
    fast = send(person.client, f"/t/{thread_id}/reply", {"body": "a quick second reply"})
    assert fast.status_code == 429 and "a quick second reply" in text(fast)


def test_forms_without_csrf_token_are_refused(member):
    response = member.client.post("/b/anxiety/new", data={"title": "x", "body": "y"})
    assert response.status_code == 400 and "expired" in text(response)


def test_bad_urls_get_clear_4xx_never_500(client, member):
    thread_id = start_thread(member.client)
    for url in ["/t/99999999", "/t/999999999999999999999", "/b/%ff%fe", "/t/%c3%28", "/p/0",
                f"/t/{thread_id}?page=%ff", f"/t/{thread_id}?page=-1", "/search?q=%ff%fe%00",
                "/b/anxiety?page=99999999999999999", "/p/1/react/%00"]:
        response = client.get(url)
        assert response.status_code < 500, url
    assert client.get("/t/99999999").status_code == 404
    assert "couldn't find" in text(client.get("/t/99999999"))


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for part in ("script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert part in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_samesite_lax(app):
    client = app.test_client()
    client.get("/join")
    cookie = client.get_cookie("lantern_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_pages_load_nothing_from_other_hosts(client, member):
    start_thread(member.client)
    for url in ["/", "/b/anxiety", "/t/1", "/join", "/login", "/search?q=x"]:
        page = client.get(url).get_data(as_text=True)
        for ref in re.findall(r'(?:src|href)="([^"]+)"', page):
            assert not re.match(r"(https?:)?//", ref), (url, ref)


def test_post_times_are_said_in_utc_whatever_the_database_servers_zone(app, client, member, database_url):
    """Pages label every time "UTC" (static/localtime.js turns it into the reader's own):
    a PostgreSQL server whose own zone is elsewhere must not shift what they say."""
    from datetime import UTC, datetime

    from sqlalchemy.engine import make_url

    thread_id = start_thread(member.client, body="Morning, all")
    written = datetime(2026, 3, 7, 9, 5, tzinfo=UTC)
    with app.app_context():
        db.session.execute(Post.__table__.update().where(Post.thread_id == thread_id).values(created_at=written))
        db.session.commit()
        postgres = db.engine.dialect.name == "postgresql"
        if postgres:  # new connections now start in Auckland's zone (13 hours ahead in March)
            db.session.execute(db.text(
                f'ALTER DATABASE "{make_url(database_url).database}" SET timezone TO \'Pacific/Auckland\''))
            db.session.commit()
            db.engine.dispose()
    try:
        page = client.get(f"/t/{thread_id}").get_data(as_text=True)
        assert '<time datetime="2026-03-07T09:05:00+00:00">7 Mar 2026, 09:05 UTC</time>' in page
    finally:
        if postgres:
            with app.app_context():
                db.session.execute(db.text(f'ALTER DATABASE "{make_url(database_url).database}" RESET timezone'))
                db.session.commit()
                db.engine.dispose()
