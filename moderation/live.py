"""The /moderation Socket.IO namespace: the live queue.

Only trained moderators (and admins, who must hear escalations) may connect; the login
session authenticates the socket, and rights are checked again on every event.
"""
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, emit, join_room

from forum.extensions import socketio
from forum.signals import sessions_ended

from . import access, routing


def _allowed():
    return current_user.is_authenticated and (access.can_moderate(current_user) or current_user.is_admin)


class ModerationNamespace(Namespace):
    def on_connect(self, auth=None):
        if not _allowed():
            raise ConnectionRefusedError(access.refusal(current_user) or "not allowed")
        join_room(routing.moderator_room(current_user.id))

    def on_queue(self, data=None):
        """A client that (re)connects asks for the current queue: the truth is the table.
        Emitted directly: a read answered to this socket alone, not news of a change."""
        if not _allowed():
            emit("error", {"message": access.refusal(current_user) or "not allowed"})
            return
        words = access.can_moderate(current_user)  # an untrained admin hears of flags, not their words
        emit("queue", [routing.summary(flag, words) for flag in routing.active_flags()])


@sessions_ended.connect
def close(app, member_id):
    """Stop the live queue reaching this member's open sockets, on every server process
    (logout, account deletion, passphrase recovery)."""
    socketio.close_room(routing.moderator_room(member_id), namespace=routing.NAMESPACE)


# Registered once, on the unbound SocketIO: every app it is initialised for gets it.
socketio.on_namespace(ModerationNamespace(routing.NAMESPACE))
