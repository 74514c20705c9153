"""Chat messages follow the same text policy as posts (forum.text.text_problem): hidden
text-direction characters, control characters and text that cannot be read are refused
with words the member can act on, in the ack, over a real Socket.IO connection; never
"Something went wrong", never a traceback."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Message
from forum.text import text_problem
from tests.chat.chat_fixtures import MEMBER, OTHER, chat_app, peers, room_id, serve  # noqa: F401

pytestmark = pytest.mark.services  # real server processes

REFUSED = [
    ("bidi override", "pay me \u202eecnetnes", "Please remove the hidden text-direction characters."),
    ("bidi isolate", "a \u2066b\u2069 c", "Please remove the hidden text-direction characters."),
    ("bell", "ring \x07 ring", "Please remove the control characters."),
    ("escape", "colour \x1b[31mred", "Please remove the control characters."),
    ("NUL", "a\x00b", "Please remove the control characters."),
    ("lone surrogate", "half an emoji \ud83d here", "This text has characters that could not be read."),
    ("lone low surrogate", "\udc00", "This text has characters that could not be read."),
]


def test_chat_refuses_what_posts_refuse_with_the_same_words(chat_app, serve, peers):
    room = room_id(chat_app)
    [server] = serve()
    sender, neighbour = peers(server, MEMBER), peers(server, OTHER)
    sender.join(room), neighbour.join(room)
    for name, body, expected in REFUSED:
        assert text_problem(body) == expected, name  # what a post with these words is told
        answer = sender.send(room, body)
        assert answer == {"ok": False, "error": expected}, name
        assert sender.wait_for("error", lambda e, x=expected: e["message"] == x)["event"] == "send"
    assert sender.sio.connected
    # Emoji sequences (with their zero-width joiners), tabs and new lines are all welcome.
    fine = sender.send(room, "family \U0001f468\u200d\U0001f469\u200d\U0001f467\n\tindented")
    assert fine["ok"], fine
    neighbour.wait_for("message", lambda m: m["id"] == fine["message"]["id"])
    assert [m["id"] for m in neighbour.messages()] == [fine["message"]["id"]]
    assert "Traceback" not in server.log() and "Something went wrong" not in str(sender.events("error"))
    with chat_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Message)) == 1
