"""Helpers for moderation tests: texts that screen at each level, and posting them."""
from urllib.parse import urlsplit

from tests.helpers import send

HIGH = "I keep thinking about killing myself"
IMMINENT = "I want to kill myself tonight, I have the pills ready"
METHOD = "how many of my pills would it take to overdose, I have 40 of them"
# Plainly elevated (perceived burdensomeness, no wish to die): the model reads it so with a wide
# margin, so an int8 rounding difference between CPUs cannot move it across a threshold.
ELEVATED = "I feel like a burden to my family"

# What a sweep did to flags (routing.sweep also reports what each feature's own pass did).
FLAG_COUNTS = ("released", "renotified", "escalated", "paged")


def post_thread(person, body, title="A hard week", board="depression", **extra):
    response = send(person.client, f"/b/{board}/new", {"title": title, "body": body, **extra})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(urlsplit(response.location).path.rsplit("/", 1)[1])  # (words that raise help add #help-<id>)
