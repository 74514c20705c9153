"""Socket.IO events of the default namespace: thin handlers that check input and rights,
call forum.chat.service, commit, then tell the room.

Every event answers through its ack ({"ok": true, ...} or {"ok": false, "error": ...});
a refused or malformed event also gets an `error` event, so a client without acks hears
it too. Nothing a client sends can raise out of a handler: the connection and the room
carry on.
"""
import functools
import logging
import re
import uuid

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, disconnect, emit, join_room, leave_room, rooms

from .. import ratelimit
from ..extensions import db, socketio
from . import service
from .service import ChatError, NotAllowed, member_channel, mods_channel, room_channel

log = logging.getLogger(__name__)

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
    room = service.room_by_id(_id(data, "room_id"))
    service.check_enter(room, current_user)
    if room_channel(room.id) not in rooms():
        raise NotAllowed("Please join the room first.")
    return room


# ----- the handler wrapper -----------------------------------------------------------

def _refuse(name, data, error, details=None):
    body = {"event": name, "message": error, **(details or {})}
    if isinstance(data, dict) and isinstance(data.get("client_id"), str):
        body["client_id"] = data["client_id"][:64]
    emit("error", body)
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
            except Exception:
                db.session.rollback()
                log.exception("chat event %s failed", name)
                return _refuse(name, data, "Something went wrong on our side. Please try again.")
        socketio.on_event(name, handler)
        return handler
    return decorator


def _broadcast_presence(room_id):
    room = service.room_by_id(room_id)
    if room is None:
        return
    handles, moderator_here = service.presence(room)
    socketio.emit("presence", {"room_id": room_id, "handles": handles, "moderator_present": moderator_here},
                  to=room_channel(room_id))


def _stop_typing(room_id, handle):
    socketio.emit("typing", {"room_id": room_id, "handle": handle, "typing": False}, to=room_channel(room_id))


# ----- connection --------------------------------------------------------------------

@socketio.on("connect")
def on_connect(auth=None):
    # The browser's login session cookie authenticates the socket; python-socketio has
    # already refused other origins (cors_allowed_origins is same-origin only).
    if not current_user.is_authenticated:
        raise ConnectionRefusedError("Please log in to join the chat.")
    session["chat_handle"] = current_user.handle
    service.connection_opened(request.sid, current_user, SERVER_ID)
    db.session.commit()
    join_room(member_channel(current_user.id))
    if current_user.is_moderator:
        join_room(service.MODERATORS_CHANNEL)
    _start_heartbeat()


@socketio.on("disconnect")
def on_disconnect(reason=None):
    try:
        room_id = service.connection_closed(request.sid)
        db.session.commit()
        if room_id is not None:
            _stop_typing(room_id, session.get("chat_handle"))
            _broadcast_presence(room_id)
    except Exception:
        db.session.rollback()
        log.exception("chat disconnect cleanup failed")


def _start_heartbeat():
    if _heartbeat["started"]:
        return
    _heartbeat["started"] = True
    socketio.start_background_task(_heartbeat_loop, current_app._get_current_object())


def _heartbeat_loop(app):
    while True:
        socketio.sleep(service.HEARTBEAT_SECONDS)
        with app.app_context():
            try:
                service.heartbeat(SERVER_ID)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("chat heartbeat failed")


# ----- rooms -------------------------------------------------------------------------

def _room_summary(room):
    return {**service.room_state(room), "title": room.title, "kind": room.kind}


def _leave_current(except_id=None):
    for channel in rooms():
        if channel.startswith("room:") and channel != room_channel(except_id):
            leave_room(channel)


@event("join")
def on_join(member, data):
    """Enter a room (leaving any other). With `after`, the messages since that id (a
    reconnect); without, the latest ones. The socket joins before the read, so nothing
    falls between the two: a message in both is the same id, and clients keep one."""
    room = service.room_by_id(_id(data, "room_id"))
    service.check_enter(room, member)
    after = _id(data, "after", required=False)
    _leave_current(except_id=room.id)
    join_room(room_channel(room.id))
    if member.is_moderator:
        join_room(mods_channel(room.id))
    left = service.connection_moved(request.sid, room)
    db.session.commit()
    if left is not None:
        _stop_typing(left, member.handle)
        _broadcast_presence(left)
    _broadcast_presence(room.id)
    if after is None:
        messages, more = service.history(room, member), None
    else:
        messages, more = service.catch_up(room, member, after)
    handles, moderator_here = service.presence(room)
    return {"room": _room_summary(room), "messages": [service.message_payload(m) for m in messages],
            "more": more, "presence": handles, "moderator_present": moderator_here}


@event("leave")
def on_leave(member, data):
    room_id = _id(data, "room_id")
    if room_channel(room_id) not in rooms():
        return {}
    _leave_current()
    service.connection_moved(request.sid, None)
    db.session.commit()
    _stop_typing(room_id, member.handle)
    _broadcast_presence(room_id)
    return {}


@event("history")
def on_history(member, data):
    """Older messages, for scrolling back: the page before id `before`."""
    room = service.room_by_id(_id(data, "room_id"))
    service.check_enter(room, member)
    messages = service.history(room, member, before=_id(data, "before"))
    return {"messages": [service.message_payload(m) for m in messages]}


# ----- messages ----------------------------------------------------------------------

@event("send")
def on_send(member, data):
    room = _joined_room(data)
    sent = service.send_message(room, member, data.get("body"), _client_id(data))
    # The payload is made before the commit, from what this transaction wrote (the INSERT
    # returned the whole row): the commit expires every loaded object, and building it
    # afterwards would reload the message and its author. It is sent only after the commit.
    payload = service.message_payload(sent.message)
    db.session.commit()
    if sent.created:
        service.deliver(sent.message, payload)
        # The sender alone sees the help panel, as with a post.
        if sent.screening.severity >= "high":
            emit("help", service.help_payload(member, sent.screening))
    return {"message": payload, "created": sent.created}


@event("typing")
def on_typing(member, data):
    room = _joined_room(data)
    typing = _bool(data, "typing")
    # Typing notices are a courtesy: over the limit they are dropped without a word.
    if typing and not ratelimit.take("LIMIT_CHAT_TYPING", ratelimit.member_key(member)):
        return {}
    socketio.emit("typing", {"room_id": room.id, "handle": member.handle, "typing": typing},
                  to=room_channel(room.id), skip_sid=request.sid)
    return {}


# ----- facilitators ------------------------------------------------------------------

@event("remove")
def on_remove(member, data):
    message = service.remove_message(_id(data, "message_id"), member)
    db.session.commit()
    socketio.emit("removed", {"id": message.id, "room_id": message.room_id},
                  to=[room_channel(message.room_id), member_channel(message.member_id)])
    return {"id": message.id}


@event("mute")
def on_mute(member, data):
    room = service.room_by_id(_id(data, "room_id"))
    minutes = _bounded(data, "minutes", 1, service.MUTE_MAX_MINUTES)
    target, until = service.mute(room, _id(data, "member_id"), minutes, member)
    db.session.commit()
    socketio.emit("muted", {"room_id": room.id, "until": until.isoformat()}, to=member_channel(target.id))
    return {"member_id": target.id, "until": until.isoformat()}


@event("slow_mode")
def on_slow_mode(member, data):
    room = service.room_by_id(_id(data, "room_id"))
    service.set_slow_mode(room, _bounded(data, "seconds", 0, service.SLOW_MODE_MAX), member)
    db.session.commit()
    socketio.emit("room_state", service.room_state(room), to=room_channel(room.id))
    return service.room_state(room)


@event("lock")
def on_lock(member, data):
    room = service.room_by_id(_id(data, "room_id"))
    service.set_locked(room, _bool(data, "locked"), member)
    db.session.commit()
    socketio.emit("room_state", service.room_state(room), to=room_channel(room.id))
    return service.room_state(room)
