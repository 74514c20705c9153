"""Helpers for moderation tests: texts that screen at each level, and posting them."""
from tests.helpers import send

HIGH = "I keep thinking about killing myself"
IMMINENT = "I want to kill myself tonight, I have the pills ready"
METHOD = "how many of my pills would it take to overdose, I have 40 of them"
ELEVATED = "I feel like such a burden to everyone"


def post_thread(person, body, title="A hard week", board="depression", **extra):
    response = send(person.client, f"/b/{board}/new", {"title": title, "body": body, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("/", 1)[1])
