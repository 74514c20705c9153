"""Helpers for the filter tests: choose filters, block, and read the tucked-away notes."""
import re

from tests.helpers import send


def set_filters(person, topics=(), words=""):
    response = send(person.client, "/filters", {"topics": list(topics), "words": words})
    assert response.status_code == 302, response.get_data(as_text=True)


def block(person, handle):
    response = send(person.client, "/filters/block", {"handle": handle})
    assert response.status_code == 302, response.get_data(as_text=True)


def tucked(page):
    """The notes standing in for tucked-away items, in page order."""
    return re.findall(r"<summary>(1 \w+ (?:hidden by your filters|from a member you blocked))", page)
