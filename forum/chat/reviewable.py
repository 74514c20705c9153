"""Chat messages as the moderator desk acts on them (moderation.review.Reviewable),
through forum.chat.messages, so each change reaches open rooms live after the desk's
commit; registered on the app by chat.register."""
from moderation.review import Described, Refused

from ..extensions import db
from ..models import Message
from . import messages


class Messages:
    kind = "message"

    def _message(self, message_id):
        message = db.session.get(Message, message_id)
        if message is None:
            raise Refused("The flagged chat message no longer exists.")
        return message

    def describe(self, message_id):
        message = db.session.get(Message, message_id)
        if message is None:
            return None
        return Described("chat message", hidden=message.removed_at is not None, held=message.held_at is not None)

    def hide(self, message_id, moderator):
        """A chat message is removed (kept for the audit): gone from every open room."""
        return messages.remove(self._message(message_id), moderator)

    def restore(self, message_id, moderator):
        return messages.restore(self._message(message_id))

    def release_hold(self, message_id, moderator):
        return messages.release_hold(self._message(message_id))

    def reply(self, message_id, moderator, body):
        raise Refused("This flag is about a chat message, not a post: reply in the chat room.")
