"""Posts as the moderator desk acts on them (moderation.review.Reviewable), through this
package's service; registered on the app by boards.register."""
from moderation.review import Described, Refused

from ..extensions import db
from ..models import Post
from . import service


class Posts:
    kind = "post"

    def _post(self, post_id):
        post = db.session.get(Post, post_id)
        if post is None:
            raise Refused("The flagged post no longer exists.")
        return post

    def describe(self, post_id):
        post = db.session.get(Post, post_id)
        if post is None:
            return None
        return Described("post", hidden=post.hidden_at is not None, held=post.held_at is not None)

    def hide(self, post_id, moderator):
        return service.hide_post(self._post(post_id), moderator)

    def restore(self, post_id, moderator):
        return service.restore_post(self._post(post_id))

    def release_hold(self, post_id, moderator):
        return service.release_post(self._post(post_id))

    def reply(self, post_id, moderator, body):
        """A reply in the thread, under the flagged post, from the moderator's own account."""
        post = self._post(post_id)
        new, _ = service.reply(post.thread, moderator, body, parent=post)
        return new.id
