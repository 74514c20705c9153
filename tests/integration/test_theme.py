"""The light/dark toggle: a member's choice is kept on their account (every device), a
guest's in their browser session; the page names it so the stylesheet follows it."""
import re

from tests.helpers import csrf_token, login, send


def shown_theme(client):
    match = re.search(r'<html lang="en"(?: data-theme="(\w+)")?>', client.get("/").get_data(as_text=True))
    return match.group(1)


def test_pages_follow_the_device_until_a_theme_is_chosen(client):
    assert shown_theme(client) is None
    assert 'aria-pressed="false">Dark mode</button>' in client.get("/").get_data(as_text=True)


def test_a_members_choice_follows_them_to_another_device(app, member):
    response = send(member.client, "/theme", {"theme": "dark", "next": "/search?q=calm"})
    assert response.status_code == 302 and response.location == "/search?q=calm"
    assert shown_theme(member.client) == "dark"
    other_device = app.test_client()
    login(other_device, member.handle)
    assert shown_theme(other_device) == "dark"
    send(other_device, "/theme", {"theme": "light"})
    assert shown_theme(member.client) == "light"


def test_a_guests_choice_stays_in_their_browser_only(app, client):
    send(client, "/theme", {"theme": "dark"})
    assert shown_theme(client) == "dark"
    assert shown_theme(app.test_client()) is None


def test_the_script_gets_a_quiet_answer(client):
    response = client.post("/theme", data={"theme": "dark", "csrf_token": csrf_token(client)},
                           headers={"Accept": "application/json"})
    assert response.status_code == 204
    assert shown_theme(client) == "dark"


def test_nonsense_or_a_foreign_next_is_refused_or_ignored(client):
    assert send(client, "/theme", {"theme": "neon"}).status_code == 400
    assert shown_theme(client) is None
    assert send(client, "/theme", {"theme": "dark", "next": "//evil.example/"}).location == "/"
    assert client.post("/theme", data={"theme": "dark"}).status_code == 400  # no CSRF token
