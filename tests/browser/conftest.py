"""Browser fixtures: Debian's chromium driven by Playwright for Python, against a real
Lantern server (`python wsgi.py`, gevent) on PostgreSQL and Redis, as in production.

Every page a test opens records each request and WebSocket it makes and each script error
it throws: a request to any host but the app's own, or an uncaught error, fails the test.
Chromium is never downloaded: a machine without /usr/bin/chromium skips these tests,
except in CI, where `.ci/run` installs it and its absence fails the run.
"""
import os
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum import create_app
from forum.accounts import handles
from forum.accounts.service import HandleTaken, create_member
from forum.extensions import db
from forum.models import Member
from forum.seed import seed_boards, seed_rooms
from tests.browser.browsing import CHROMIUM, CHROMIUM_ARGS, DESKTOP, WAIT_MS, Traffic, log_in
from tests.databases import base_config, create_postgres_database, drop_postgres_database, migrate
from tests.helpers import empty_redis, go_on_duty, service_missing, train
from tests.servers import PASSPHRASE, running_servers

BROWSER_REDIS_URL = os.environ.get("LANTERN_TEST_BROWSER_REDIS", "redis://127.0.0.1:6379/12")


@pytest.fixture(scope="session")
def chromium():
    """One headless Debian chromium for the whole run (each test gets fresh contexts)."""
    if not os.access(CHROMIUM, os.X_OK):
        service_missing("Debian's chromium", f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Site:
    """The running server (`base_url`) and an app on its database, to set the scene."""

    def __init__(self, base_url, app):
        self.base_url, self.app = base_url, app

    def member(self, role="member", on_duty=False):
        """A new member (trained moderator or admin, when asked); returns the handle."""
        with self.app.app_context():
            while True:
                handle = handles.generate()
                try:
                    create_member(handle, PASSPHRASE)
                    break
                except HandleTaken:
                    continue
            db.session.commit()
        if role != "member":
            train(self.app, handle, role=role)
        if on_duty:
            go_on_duty(self.app, handle)
        return handle

    def member_exists(self, handle):
        with self.app.app_context():
            return db.session.scalar(select(Member.id).where(Member.handle == handle,
                                                             Member.deleted_at.is_(None))) is not None


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """A live server on a fresh PostgreSQL database with the seeded boards and rooms, its
    Socket.IO message queue and rate-limit counters in Redis."""
    name, url = create_postgres_database()
    empty_redis(BROWSER_REDIS_URL)
    try:
        migrate(url)
        app = create_app(base_config(url))
        with app.app_context():
            seed_boards()
            seed_rooms()
            db.session.commit()
        limits = {"FORUM_LIMIT_POST": "1000 per second", "FORUM_LIMIT_THREAD": "1000 per second"}
        with running_servers(url, tmp_path_factory.mktemp("browser"), redis_url=BROWSER_REDIS_URL,
                             **limits) as [server]:
            yield Site(server.base_url, app)
        with app.app_context():
            db.engine.dispose()
    finally:
        drop_postgres_database(name)


@pytest.fixture
def browse(chromium, site):
    """browse(handle=None, dark=False, width=1280, javascript=True) -> a page in a new
    browser context (a separate person), logged in as `handle` when given."""
    opened = []

    def open_page(handle=None, dark=False, width=DESKTOP, javascript=True):
        context = chromium.new_context(
            base_url=site.base_url, color_scheme="dark" if dark else "light",
            viewport={"width": width, "height": 800}, java_script_enabled=javascript, accept_downloads=True)
        context.set_default_timeout(WAIT_MS)
        traffic = Traffic(urlsplit(site.base_url).netloc)
        context.on("page", traffic.watch)
        opened.append((context, traffic))
        page = context.new_page()
        if handle:
            log_in(page, handle)
        return page

    yield open_page
    for context, _ in opened:
        context.close()
    off_site = [url for _, traffic in opened for url in traffic.off_site()]
    errors = [error for _, traffic in opened for error in traffic.errors]
    assert not off_site, f"pages asked another host for: {off_site}"
    assert not errors, f"scripts threw: {errors}"
