"""With the database away, a chat event gets a calm answer and the operator one log line
per outage, not a traceback per message (a busy room would write thousands)."""
import logging

from sqlalchemy.exc import OperationalError

from forum import outages
from forum.chat import messages
from forum.errors import AWAY
from tests.helpers import join_chat, make_member


def test_chat_sends_while_the_database_is_away_get_a_calm_answer_and_one_log_line(app, caplog, monkeypatch):
    chat, room = join_chat(app, make_member(app, "QuietHeron42"))

    def database_gone(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("connection refused"))

    monkeypatch.setattr(messages, "send_message", database_gone)
    monkeypatch.setattr(outages.DATABASE, "since", None)
    caplog.set_level(logging.INFO)
    answers = [chat.emit("send", {"room_id": room, "body": f"hello {n}", "client_id": f"outage-client-{n}"}, callback=True)
               for n in range(20)]
    assert all(not a["ok"] and a["error"] == AWAY for a in answers), answers[:2]
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1
    assert not any(r.exc_info for r in caplog.records)
    assert chat.is_connected()  # the room did not fall over
