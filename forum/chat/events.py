"""Socket.IO events of the default namespace: thin handlers that check input, call the
chat's service modules (rooms, messages, presence), and commit. What a change must tell
the room is queued by those functions and leaves with the commit (forum.notify); only
typing and presence, which are not stored changes, are emitted here directly.

Every event answers through its ack ({"ok": true, ...} or {"ok": false, "error": ...});
a refused or malformed event also gets an `error` event, so a client without acks hears
it too. Nothing a client sends can raise out of a handler: the connection and the room
carry on.
"""
import functools
import re
import uuid

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, disconnect, emit, join_room, leave_room
from flask_socketio import rooms as socket_rooms

from .. import ratelimit
from ..errors import AWAY, DATABASE_ERRORS, log_failure
from ..extensions import db, socketio
from . import messages, presence, rooms
from .channels import member_channel, room_channel
from .rooms import ChatError, NotAllowed

SERVER_ID = uuid.uuid4().hex  # this process, in chat_connection rows
CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
MAX_ID = 2**31 - 1
_heartbeat = {"started": False}


# ----- input -------------------------------------------------------------------------

def _id(data, name, required=True):
    value = data.get(name)
    if value is None and not required:
        return None
    # bool is an int in Python; a JSON true is not an id.
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_ID:
        raise ChatError(f"'{name}' should be a whole number.")
    return value


def _client_id(data):
    value = data.get("client_id")
    if not isinstance(value, str) or not CLIENT_ID.fullmatch(value):
        raise ChatError("'client_id' should be 8 to 64 letters, digits, '-' or '_'.")
    return value


def _bool(data, name):
    value = data.get(name)
    if not isinstance(value, bool):
        raise ChatError(f"'{name}' should be true or false.")
    return value


def _bounded(data, name, low, high):
    value = _id(data, name)
    if not low <= value <= high:
        raise ChatError(f"'{name}' should be between {low} and {high}.")
    return value


def _joined_room(data):
    """The room named in the event, which this socket must have joined."""
    room = rooms.room_by_id(_id(data, "room_id"))
    rooms.check_enter(room, current_user)
    if room_channel(room.id) not in socket_rooms():
        raise NotAllowed("Please join the room first.")
    return room


# ----- the handler wrapper -----------------------------------------------------------

def _refuse(name, data, error, details=None):
    body = {"event": name, "message": error, **(details or {})}
    if isinstance(data, dict) and isinstance(data.get("client_id"), str):
        body["client_id"] = data["client_id"][:64]
    emit("error", body)  # direct: this socket's answer to its own event, not news of a stored change
    return {"ok": False, "error": error, **(details or {})}


def event(name):
    """Register `fn(member, data) -> dict` for event `name`, with the checks every event
    needs: a live login session, a JSON object payload, and errors as answers."""
    def decorator(fn):
        @functools.wraps(fn)
        def handler(data=None, *_ignored):
            try:
                if not current_user.is_authenticated:
                    # The login session ended (logout, deletion, recovery) while connected.
                    emit("error", {"event": name, "message": "Your login has ended. Please log in again."})
                    disconnect()
                    return {"ok": False, "error": "logged out"}
                if not isinstance(data, dict):
                    raise ChatError("That event needs a JSON object.")
                return {"ok": True, **(fn(current_user, data) or {})}
            except ChatError as error:
                db.session.rollback()
                return _refuse(name, data, str(error), error.details)
            except Exception as error:  # noqa: BLE001 - the room stays up; the sender is told
                log_failure(error, f"chat event {name}")
                away = isinstance(error, DATABASE_ERRORS)
                return _refuse(name, data, AWAY if away else "Something went wrong on our side. Please try again.")
        socketio.on_event(name, handler)
        return handler
    return decorator


def _stop_typing(room_id, handle):
    # Direct, not forum.notify: typing is a passing signal between live sockets, never
    # stored, so there is no transaction for it to wait on.
    socketio.emit("typing", {"room_id": room_id, "handle": handle, "typing": False}, to=room_channel(room_id))


# ----- connection --------------------------------------------------------------------

@socketio.on("connect")
def on_connect(auth=None):
    # The browser's login session cookie authenticates the socket; python-socketio has
    # already refused other origins (cors_allowed_origins is same-origin only).
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("Please log in to join the chat.")
    session["chat_handle"] = current_user.handle
    presence.connection_opened(request.sid, current_user, SERVER_ID)
    db.session.commit()
    # Rights are not decided here: each event asks again (rooms.is_facilitator), and what
    # only facilitators may hear is sent to the sockets chosen when it goes out.
    join_room(member_channel(current_user.id))
    _start_heartbeat()


@socketio.on("disconnect")
def on_disconnect(reason=None):
    try:
        room_id = presence.connection_closed(request.sid)
        db.session.commit()
        if room_id is not None:
            _stop_typing(room_id, session.get("chat_handle"))
            presence.broadcast(room_id)
    except Exception as error:  # noqa: BLE001
        log_failure(error, "chat disconnect cleanup")


def _start_heartbeat():
    if _heartbeat["started"]:
        return
    _heartbeat["started"] = True
    socketio.start_background_task(_heartbeat_loop, current_app._get_current_object())


def _heartbeat_loop(app):
    while True:
        socketio.sleep(presence.HEARTBEAT_SECONDS)
        with app.app_context():
            try:
                presence.heartbeat(SERVER_ID)
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - the next beat tries again
                log_failure(error, "chat heartbeat")


# ----- rooms -------------------------------------------------------------------------

def _room_summary(room):
    return {**rooms.room_state(room), "title": room.title, "kind": room.kind}


def _leave_current(except_id=None):
    for channel in socket_rooms():
        if channel.startswith("room:") and channel != room_channel(except_id):
            leave_room(channel)


@event("join")
def on_join(member, data):
    """Enter a room (leaving any other). With `after`, the messages since that id (a
    reconnect); without, the latest ones. The socket joins before the read, so nothing
    falls between the two: a message in both is the same id, and clients keep one."""
    room = rooms.room_by_id(_id(data, "room_id"))
    rooms.check_enter(room, member)
    after = _id(data, "after", required=False)
    _leave_current(except_id=room.id)
    join_room(room_channel(room.id))
    left = presence.connection_moved(request.sid, room)
    db.session.commit()
    if left is not None:
        _stop_typing(left, member.handle)
        presence.broadcast(left)
    presence.broadcast(room.id)
    if after is None:
        shown, more = messages.history(room, member), None
    else:
        shown, more = messages.catch_up(room, member, after)
    handles, moderator_here = presence.presence(room)
    return {"room": _room_summary(room), "messages": [messages.message_payload(m) for m in shown],
            "more": more, "presence": handles, "moderator_present": moderator_here}


@event("leave")
def on_leave(member, data):
    room_id = _id(data, "room_id")
    if room_channel(room_id) not in socket_rooms():
        return {}
    _leave_current()
    presence.connection_moved(request.sid, None)
    db.session.commit()
    _stop_typing(room_id, member.handle)
    presence.broadcast(room_id)
    return {}


@event("history")
def on_history(member, data):
    """Older messages, for scrolling back: the page before id `before`."""
    room = rooms.room_by_id(_id(data, "room_id"))
    rooms.check_enter(room, member)
    older = messages.history(room, member, before=_id(data, "before"))
    return {"messages": [messages.message_payload(m) for m in older]}


# ----- messages ----------------------------------------------------------------------

@event("send")
def on_send(member, data):
    room = _joined_room(data)
    sent = messages.send_message(room, member, data.get("body"), _client_id(data))
    db.session.commit()  # the room hears the new message (send_message queued it)
    if sent.created and sent.screening.severity >= "high":
        # The sender alone sees the help panel, as with a post. Direct, like the ack: it is
        # this request's answer to this socket, sent after the commit, and it reads who is
        # on duty, which the after-commit hook could not.
        emit("help", messages.help_payload(member, sent.screening))
    return {"message": sent.payload, "created": sent.created}


@event("typing")
def on_typing(member, data):
    room = _joined_room(data)
    typing = _bool(data, "typing")
    # Typing notices are a courtesy: over the limit they are dropped without a word.
    if typing and not ratelimit.take("LIMIT_CHAT_TYPING", ratelimit.member_key(member)):
        return {}
    # Direct, not forum.notify: nothing is stored (see _stop_typing).
    socketio.emit("typing", {"room_id": room.id, "handle": member.handle, "typing": typing},
                  to=room_channel(room.id), skip_sid=request.sid)
    return {}


# ----- facilitators ------------------------------------------------------------------

@event("remove")
def on_remove(member, data):
    message_id = _id(data, "message_id")
    messages.remove_message(message_id, member)
    db.session.commit()
    return {"id": message_id}


@event("mute")
def on_mute(member, data):
    room = rooms.room_by_id(_id(data, "room_id"))
    minutes = _bounded(data, "minutes", 1, rooms.MUTE_MAX_MINUTES)
    target_id = _id(data, "member_id")
    _, until = rooms.mute(room, target_id, minutes, member)
    db.session.commit()
    return {"member_id": target_id, "until": until.isoformat()}


@event("slow_mode")
def on_slow_mode(member, data):
    room = rooms.room_by_id(_id(data, "room_id"))
    state = rooms.set_slow_mode(room, _bounded(data, "seconds", 0, rooms.SLOW_MODE_MAX), member)
    db.session.commit()
    return state


@event("lock")
def on_lock(member, data):
    room = rooms.room_by_id(_id(data, "room_id"))
    state = rooms.set_locked(room, _bool(data, "locked"), member)
    db.session.commit()
    return state
