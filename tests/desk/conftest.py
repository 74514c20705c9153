"""The moderator desk's fixtures: a flagged member and their flag (the moderators are in tests/conftest.py)."""
import re

import pytest
from sqlalchemy import select

from forum.extensions import db
from moderation.models import Flag
from tests.flags.flag_helpers import HIGH, post_thread


@pytest.fixture
def flagged(app, member):
    """The id of the flag on `member`'s thread, whose opening post screening rated high."""
    post_thread(member, HIGH)
    with app.app_context():
        return db.session.scalars(select(Flag.id)).one()


def offered(client, flag_id):
    """The actions the flag's page offers this moderator: the names its forms post to."""
    page = client.get(f"/moderation/flags/{flag_id}").get_data(as_text=True)
    return set(re.findall(r'action="/moderation/flags/%d/([a-z-]+)"' % flag_id, page))


def form_for(client, flag_id, action):
    """The HTML of the flag page's form for `action`."""
    page = client.get(f"/moderation/flags/{flag_id}").get_data(as_text=True)
    match = re.search(r'<form[^>]+action="/moderation/flags/%d/%s".*?</form>' % (flag_id, action), page, re.S)
    assert match, f"no {action} form on the page"
    return match.group(0)
