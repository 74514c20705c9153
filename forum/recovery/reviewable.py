"""A member's private check-ins as the moderator desk sees them (moderation.review): only
what a flag needs. Nothing here is public, so there is nothing to hide, restore or
release, and no thread to reply in: a trained moderator reaches the member through a
private support room (the flag page offers it)."""
from moderation.review import Described, Refused

from ..extensions import db
from ..models import CheckIn

PRIVATE = "A check-in is private to its member: only they read it. Open a support conversation to reach them."


class CheckIns:
    kind = "checkin"

    def describe(self, checkin_id):
        if db.session.get(CheckIn, checkin_id) is None:
            return None
        return Described("private check-in", hidden=False, held=False, private=True)

    def hide(self, checkin_id, moderator):
        raise Refused(PRIVATE)

    def restore(self, checkin_id, moderator):
        raise Refused(PRIVATE)

    def release_hold(self, checkin_id, moderator):
        raise Refused(PRIVATE)

    def reply(self, checkin_id, moderator, body):
        raise Refused(PRIVATE)
