"""What the moderator desk can do to flagged content, whatever kind it is (as Discourse's
reviewables): one small interface, implemented by each feature for its own content.

forum.boards implements it for posts (forum/boards/reviewable.py), forum.chat for chat
messages (forum/chat/reviewable.py), and each registers its implementation on the app at
start (`boards.register(app)`, `chat.register(app)`, called by create_app). The desk
(moderation.actions, moderation.views) looks one up by the flag's content kind and calls
only this interface, never a feature's services: the arrows point down, and every change
to a post or a message goes through the feature that owns it (a chat message's changes
reach open rooms live).
"""
from typing import NamedTuple, Protocol

from flask import current_app

_KEY = "lantern.reviewables"


class Refused(Exception):
    """This content can't take this action; str() is what the moderator reads."""


class Described(NamedTuple):
    """What the desk needs to know of one item to offer the right actions."""

    noun: str  # what the desk calls it: "post", "chat message"
    hidden: bool  # hidden (post) or removed (message) by a moderator
    held: bool  # held for review: only its author and moderators see it
    # Seen by its author alone (a private check-in): there is nothing to hide, restore or
    # release for others, and no thread to reply in; a support room is how to reach them.
    private: bool = False


class Reviewable(Protocol):
    """One content kind, as the desk acts on it. Each method works in the caller's
    transaction (the desk writes its audit entry in it, then commits) and takes the
    item's id; a missing item raises Refused."""

    kind: str  # the flag's content kind, and the audit target type: "post", "message"

    def describe(self, item_id) -> Described | None:
        """None if the item no longer exists."""

    def hide(self, item_id, moderator) -> bool:
        """Hide the item from everyone but moderators; True if it was showing."""

    def restore(self, item_id, moderator) -> bool:
        """Undo hide; True if it was hidden."""

    def release_hold(self, item_id, moderator) -> bool:
        """Let everyone see held words; True if it was held."""

    def reply(self, item_id, moderator, body) -> int:
        """Answer the item where it was written, as the moderator; the reply's id."""


def register(app, reviewable):
    """Called at app start by each feature, once per content kind it owns."""
    app.extensions.setdefault(_KEY, {})[reviewable.kind] = reviewable


def kind_of(flag):
    return flag.kind


def content_of(flag):
    """(the Reviewable for the flag's content kind, the item's id). Refused when the item
    is gone (the flag outlives its content) or no feature registered its kind."""
    kind = kind_of(flag)
    item_id = {"post": flag.post_id, "message": flag.message_id, "checkin": flag.checkin_id}[kind]
    reviewable = current_app.extensions.get(_KEY, {}).get(kind)
    if reviewable is None:
        raise RuntimeError(f"no reviewable registered for {kind!r}")
    if item_id is None:
        raise Refused(f"The flagged {kind} no longer exists.")
    return reviewable, item_id


def describe(flag):
    """Described for the flag's content, or None when it is gone."""
    try:
        reviewable, item_id = content_of(flag)
    except Refused:
        return None
    return reviewable.describe(item_id)
