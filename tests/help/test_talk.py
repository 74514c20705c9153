"""A guest on the help page reaches a trained moderator in one step: a name and a
passphrase (no email), and a private support room is already open when they arrive."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models import Member, Room
from tests.helpers import PASSPHRASE, send, text


def _talk(client, handle="LateNightMoth7", **extra):
    return send(client, "/join/talk", {"handle": handle, "passphrase": PASSPHRASE,
                                       "submit": "Join and talk to a moderator", **extra})


def test_the_guest_help_page_offers_a_moderator(client):
    page = text(client.get("/help"))
    assert 'href="/join/talk">Talk to a trained moderator</a>' in page
    form = text(client.get("/join/talk"))
    suggested = re.search(r'name="handle"[^>]*value="([^"]+)"', form).group(1)
    assert suggested and "email" not in form.lower().replace("no email", "")
    assert 'name="confirm"' not in form  # one passphrase box: one step


def test_one_step_makes_the_account_and_opens_the_support_room(app, client):
    send(client, "/help", {"region": "CA"})  # chosen as a guest, kept on the new account
    response = _talk(client)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = text(response)
    code = re.search(r"<code>([A-Z0-9-]+)</code>", page).group(1)
    room_url = re.search(r'href="(/chat/support-[0-9a-f]+)"', page).group(1)
    with app.app_context():
        member = db.session.scalar(select(Member).where(Member.handle == "LateNightMoth7"))
        (room,) = db.session.scalars(select(Room).where(Room.kind == "support")).all()
        assert room.member_id == member.id and room.opened_by_id is None and member.region == "CA"
    assert room_url == f"/chat/{room.slug}" and code
    assert "Private support" in text(client.get(room_url))  # signed in, and the room is theirs


def test_a_taken_handle_makes_neither_account_nor_room(app, client, member):
    response = _talk(client, handle=member.handle)
    assert response.status_code == 400 and "is taken" in text(response)
    with app.app_context():
        assert db.session.scalars(select(Room).where(Room.kind == "support")).all() == []


def test_a_signed_in_member_goes_to_the_help_page_s_own_button(member):
    assert member.client.get("/join/talk").location == "/help"
    assert 'action="/chat/support"' in text(member.client.get("/help"))
