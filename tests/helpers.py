"""Helpers that tests call: forms sent with CSRF tokens, members signed up through the real form."""
import html
import os
import re

import pytest

PASSPHRASE = "a calm river at dusk"
POSTGRES_ADMIN_URL = os.environ.get("LANTERN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("LANTERN_TEST_REDIS", "redis://127.0.0.1:6379/15")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def service_missing(what, error):
    """Skip a test whose service is absent, but fail in CI, where it must be there."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but unreachable: {error}")
    pytest.skip(f"{what} unreachable: {error}")

_CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(client):
    page = client.get("/about").get_data(as_text=True)
    return _CSRF.search(page).group(1)


def send(client, url, data=None, **kwargs):
    """POST a form the way a browser would: with the page's CSRF token."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def signup(client, handle, passphrase=PASSPHRASE):
    """Join through the real form; returns the recovery code shown once."""
    response = send(client, "/join", {"handle": handle, "passphrase": passphrase, "confirm": passphrase,
                                      "submit": "Join Lantern"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return re.search(r"<code>([A-Z0-9-]+)</code>", response.get_data(as_text=True)).group(1)


def login(client, handle, passphrase=PASSPHRASE):
    return send(client, "/login", {"handle": handle, "passphrase": passphrase})


def start_thread(client, title="A thread", body="Some words", board="anxiety", **extra):
    response = send(client, f"/b/{board}/new", {"title": title, "body": body, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])


class Person:
    def __init__(self, client, handle, recovery_code):
        self.client, self.handle, self.recovery_code = client, handle, recovery_code


def make_member(app, handle):
    client = app.test_client()
    code = signup(client, handle)
    return Person(client, handle, code)


def text(response):
    """The page as a reader sees it (entities such as &#39; turned back into characters)."""
    return html.unescape(response.get_data(as_text=True))
