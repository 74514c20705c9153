"""Chat that stays calm: the connection said in plain words (never "websocket error"),
"New messages below" for someone reading back, and every time in the reader's own clock."""
import re
import uuid
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select

from forum.content import render_inline
from forum.extensions import db
from forum.models import Member, Message, Post, Room
from tests.browser.browsing import WAIT_MS, Traffic, log_in, say_in_chat, start_thread

AUCKLAND = "Pacific/Auckland"


def _room(site, messages_by=None, count=0):
    """A new group room (its slug), with `count` earlier messages by `messages_by`."""
    slug = f"comfort-{uuid.uuid4().hex[:8]}"
    with site.app.app_context():
        room = Room(slug=slug, title="A quiet corner", topic="Somewhere to sit a while.")
        db.session.add(room)
        db.session.flush()
        if count:
            author = db.session.scalar(select(Member).where(Member.handle == messages_by))
            for n in range(count):
                body = f"Earlier thought number {n}: breathing slowly helps."
                db.session.add(Message(
                    room_id=room.id, member_id=author.id, client_id=uuid.uuid4().hex,
                    body_md=body, body_html=render_inline(body)))
        db.session.commit()
    return slug


def test_a_dropped_connection_is_said_calmly_and_nothing_sent_meanwhile_is_lost(browse, site):
    me = site.member()
    slug = _room(site)
    page = browse(me)
    # Every Socket.IO WebSocket goes through here, so the test can drop the line and
    # refuse reconnections for a while, as a server restart or a lost network would.
    line = {"up": True, "open": []}

    def route(ws):
        if not line["up"]:
            ws.close()
            return
        ws.connect_to_server()
        line["open"].append(ws)

    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    page.goto(f"/chat/{slug}")
    connection = page.locator("#chat-connection")
    expect(connection).to_have_text("Connected.")

    line["up"] = False
    for ws in line["open"]:
        ws.close()
    expect(connection).to_contain_text("Reconnecting… your messages are safe.")
    page.get_by_label("Your message").fill("Still here, just on a train.")
    page.get_by_label("Your message").press("Enter")
    expect(connection).to_contain_text("1 message will go as soon as we're back.")
    expect(connection).not_to_contain_text("error")

    line["up"] = True  # the next try gets through: the waiting message is stored
    expect(connection).to_have_text("Connected.", timeout=2 * WAIT_MS)
    expect(page.locator("#chat-messages li[data-id]", has_text="Still here, just on a train.")).to_have_count(1)

    page.context.set_offline(True)  # the device says it is offline
    expect(connection).to_contain_text("You're offline.")
    page.context.set_offline(False)
    expect(connection).to_have_text("Connected.")


def test_new_messages_below_appears_for_someone_reading_back(browse, site):
    reader, writer = site.member(), site.member()
    slug = _room(site, messages_by=writer, count=40)
    page, other = browse(reader), browse(writer)
    for person in (page, other):
        person.goto(f"/chat/{slug}")
        expect(person.locator("#chat-connection")).to_have_text("Connected.")
    below = page.get_by_role("button", name="New messages below")

    # At the bottom, a new message simply scrolls into view.
    say_in_chat(other, "Made it through the afternoon.")
    expect(page.locator("#chat-messages li", has_text="Made it through the afternoon.")).to_be_in_viewport()
    expect(below).to_be_hidden()

    page.locator("#chat-log").evaluate("log => { log.scrollTop = 0; }")
    say_in_chat(other, "Anyone up for a walk later?")
    expect(below).to_be_visible()
    latest = page.locator("#chat-messages li", has_text="Anyone up for a walk later?")
    expect(latest).not_to_be_in_viewport()  # the reader was not pulled away from what they read
    below.click()
    expect(latest).to_be_in_viewport()
    expect(below).to_be_hidden()


def _local_context(chromium, site, timezone_id, javascript=True):
    """A logged-out browser context in `timezone_id`, watched like browse()'s."""
    context = chromium.new_context(base_url=site.base_url, timezone_id=timezone_id, java_script_enabled=javascript)
    context.set_default_timeout(WAIT_MS)
    traffic = Traffic(urlsplit(site.base_url).netloc)
    context.on("page", traffic.watch)
    return context, traffic


def test_times_show_in_the_reader_s_own_time_zone_with_utc_without_javascript(chromium, browse, site):
    author = site.member()
    url = start_thread(browse(author), "A spring evening", "Wrote this on a long evening.")
    written = datetime(2024, 3, 5, 21, 12, tzinfo=UTC)  # 6 March, 10:12 in Auckland (NZDT)
    with site.app.app_context():
        thread_id = int(url.rstrip("/").rsplit("/", 1)[1])
        db.session.scalars(select(Post).where(Post.thread_id == thread_id)).one().created_at = written
        db.session.commit()

    opened = []
    try:
        for javascript in (True, False):
            context, traffic = _local_context(chromium, site, AUCKLAND, javascript)
            opened.append((context, traffic))
            page = context.new_page()
            page.goto(url)
            time = page.locator("article.post time").first
            if javascript:
                expect(time).to_have_text("6 Mar 2024 10:12")
                assert f"({AUCKLAND})" in time.get_attribute("title") and "2024" in time.get_attribute("title")
            else:  # without script the page says UTC plainly
                expect(time).to_have_text("5 Mar 2024, 21:12 UTC")

        # A chat message, live and on reload, in the reader's clock: "HH:MM" today.
        context, traffic = _local_context(chromium, site, AUCKLAND)
        opened.append((context, traffic))
        page = context.new_page()
        log_in(page, author)
        slug = _room(site)
        page.goto(f"/chat/{slug}")
        say_in_chat(page, "Evening, everyone.")
        for reload in (False, True):
            if reload:
                page.reload()
            time = page.locator("#chat-messages li", has_text="Evening, everyone.").locator("time")
            stamp = datetime.fromisoformat(time.get_attribute("datetime"))
            local = stamp.astimezone(ZoneInfo(AUCKLAND))
            now_there = datetime.now(ZoneInfo(AUCKLAND))
            expected = local.strftime("%H:%M") if local.date() == now_there.date() \
                else local.strftime("%a %H:%M")  # a message written just before midnight there
            expect(time).to_have_text(expected)
            assert now_there - local < timedelta(minutes=5)
    finally:
        for context, _ in opened:
            context.close()
    assert not [u for _, t in opened for u in t.off_site()] and not [e for _, t in opened for e in t.errors]


def test_a_chat_page_keeps_one_connection_for_chat_and_the_bell(browse, site):
    me = site.member()
    slug = _room(site)
    page = browse(me)
    page.goto("about:blank")  # the page browse() opened closes its connection
    open_sockets = set()

    def opened(ws):
        if "/socket.io/" in ws.url:
            open_sockets.add(ws)
            ws.on("close", lambda closed: open_sockets.discard(closed))

    page.on("websocket", opened)
    page.goto(f"/chat/{slug}")
    expect(page.locator("#chat-connection")).to_have_text("Connected.")
    page.wait_for_timeout(500)
    # Chat and the notification bell share the page's one Socket.IO connection.
    assert len(open_sockets) == 1, [ws.url for ws in open_sockets]
