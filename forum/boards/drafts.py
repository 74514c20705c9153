"""Drafts: what a member is writing, kept on the server so that nothing is lost to a
refused submit, a rate limit, a mute or a dropped connection. One per thread (a reply) and
one per board (a new thread); private to the member, never screened (nothing is published)
and deleted when the post succeeds or the member discards it."""
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..forms import POST_MAX
from ..models import Draft, Post, utcnow
from ..text import text_problem
from .forms import CW_MAX, TITLE_MAX

FIELDS = ("title", "content_warning", "body")
LIMITS = {"title": TITLE_MAX, "content_warning": CW_MAX, "body": POST_MAX}
TOO_LONG = {
    "title": f"Titles can be up to {TITLE_MAX} characters, so this draft isn't saved yet.",
    "content_warning": f"Keep the warning under {CW_MAX} characters, so this draft can be saved.",
    "body": f"Posts can be up to {POST_MAX:,} characters, so this draft isn't saved yet.",
}


def _place(thread=None, board=None):
    """The WHERE clause of a draft's place: exactly one of thread or board."""
    if (thread is None) == (board is None):
        raise ValueError("a draft belongs to one thread or one board")
    return Draft.thread_id == thread.id if thread is not None else Draft.board_id == board.id


def find(member, thread=None, board=None):
    """The member's draft for this thread or board, or None."""
    return db.session.scalar(select(Draft).where(Draft.member_id == member.id, _place(thread, board)))


def problem(values):
    """Why these values ({field: text}) can't be kept as a draft, in words, or None: the
    limits of a post (its length; control characters, which PostgreSQL refuses anyway)."""
    for name in FIELDS:
        value = values.get(name) or ""
        if len(value) > LIMITS[name]:
            return TOO_LONG[name]
        if reason := text_problem(value, single_line=name != "body"):
            return reason
    return None


def already_posted(member, token):
    """True when the form that carries `token` has already made its post: a late autosave
    must not bring back a draft of words that are published."""
    return bool(token) and db.session.scalar(
        select(Post.id).where(Post.author_id == member.id, Post.client_token == token)) is not None


def save(member, values, thread=None, board=None):
    """Keep `values` ({field: text}) as the member's draft here; a draft with no words left
    is deleted. Returns the draft (None when deleted). `problem(values)` is the caller's check."""
    kept = {name: (values.get(name) or "") for name in FIELDS}
    if not any(text.strip() for text in kept.values()):
        discard(member, thread, board)
        return None
    draft = find(member, thread, board)
    if draft is None:
        try:
            with db.session.begin_nested():
                draft = Draft(member_id=member.id, thread_id=thread.id if thread else None,
                              board_id=board.id if board else None, **kept)
                db.session.add(draft)
            return draft
        except IntegrityError:  # two autosaves raced: the other one made the row
            draft = find(member, thread, board)
    for name, text in kept.items():
        setattr(draft, name, text)
    draft.updated_at = utcnow()
    return draft


def discard(member, thread=None, board=None):
    db.session.execute(delete(Draft).where(Draft.member_id == member.id, _place(thread, board)))

