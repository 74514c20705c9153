"""What members are told, and what they see of it.

Each function that tells someone runs in the caller's transaction: the notification rows
commit with the change they are about (a reply, a reaction, a resolved flag, a support
room), or not at all, and each member's live event leaves only after that commit
(forum.notify). A notification points at its subject (a post, a room) and never copies a
post's words, so when the words are hidden, held or deleted, the notification disappears
from the member's list and count by itself (moderation.visibility decides, at read time).
The one exception is a report's outcome: the reporter is still told what happened,
naming the post by a link, never by its words.
"""
import re
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import String, and_, case, cast, func, insert, literal, or_, select, update
from sqlalchemy.orm import aliased

from moderation import visibility
from moderation.models import Report

from ..extensions import db
from ..filters import lens
from ..models import (
    ALWAYS_ON,
    NOTIFICATION_KINDS,
    BoardFollow,
    Member,
    Notification,
    Post,
    Reaction,
    Room,
    Thread,
    ThreadFollow,
    UTCDateTime,
    utcnow,
)
from ..notify import emit_after_commit

# The live notifications have their own Socket.IO namespace, joined by every signed-in
# page (static/notifications.js): the chat namespace's connections are chat presence.
NAMESPACE = "/notifications"
EVENT = "notification"
# "@Handle": the characters of a handle (forum.accounts.handles.HANDLE_RE), not inside a
# word or an address ("me@Example").
MENTION = re.compile(r"(?<![\w@-])@([A-Za-z0-9_-]{3,24})")
MENTIONS_MAX = 20  # people one post can mention: a longer list is not a conversation
PAGE_SIZE = 30
CATCH_UP_MAX = 50  # what a reconnecting page is sent at most; the page lists the rest

# A report's outcome in plain words (moderation.models.OUTCOMES). What was done for a person
# in crisis stays between them and the moderators: the reporter hears it was looked after.
OUTCOME_WORDS = {
    "supported": "a moderator reviewed it and reached out to the person who wrote it.",
    "referred": "a moderator reviewed it and reached out to the person who wrote it.",
    "emergency": "a moderator reviewed it and reached out to the person who wrote it.",
    "no_risk": "a moderator reviewed it and found no one at risk.",
    "spam_abuse": "a moderator reviewed it and dealt with it as spam or abuse.",
}
REVIEWED = "a moderator reviewed it."
HIDDEN_NOW = " The post is now hidden."

# Whom a reply tells, and how (Notification.text: plain words, none of the post's).
REPLIED_TO_POST = "replied to your post in"
REPLIED_IN_THREAD = "replied in your thread"
REPLIED = "replied in"
# A new thread in a followed board: Notification.text is the board's name.


def channel(member_id):
    """A member's own room in NAMESPACE: every page they have open is in it."""
    return f"member:{member_id}"


# ---- telling -------------------------------------------------------------------------

def _wants(kind):
    """SQL: the member has an account and has not turned `kind` off. Muted members are
    told as everyone else: a mute pauses their posting, not their news. (The kinds are
    plain words, so a quoted kind in the JSON list's text is that kind.)"""
    alive = Member.deleted_at.is_(None)
    if kind in ALWAYS_ON:
        return alive
    return and_(alive, func.coalesce(cast(Member.notifications_off, String), "").not_like(f'%"{kind}"%'))


def _wanting(member_ids, kind, actor_id=None):
    """Of these members, those who want to hear of `kind` (from `actor_id`: never someone
    they blocked, forum.filters.lens)."""
    ids = set(member_ids) - {None}
    if not ids:
        return []
    return sorted(db.session.scalars(select(Member.id).where(
        Member.id.in_(ids), _wants(kind), lens.not_blocked_by(Member.id, actor_id))))


def _row(member_id, kind, now, actor_id=None, post_id=None, room_id=None, text=None):
    return {"member_id": member_id, "kind": kind, "actor_id": actor_id, "post_id": post_id, "room_id": room_id,
            "text": text, "count": 1, "created_at": now, "updated_at": now}


def _poke(member_ids):
    """Once the transaction commits, tell these members' open pages that something new is
    waiting: one event to all their rooms (one message on the queue however many people a
    reply tells). It carries nothing: each page asks for what is new over HTTP
    (/notifications/since), the same way it catches up after a reconnect, so there is one
    way a notification reaches a page, and none reaches it twice."""
    if member_ids:
        emit_after_commit(EVENT, {}, to=sorted({channel(m) for m in member_ids}), namespace=NAMESPACE)


def _add(rows, live=True):
    """Insert `rows` in one statement, however many people a reply tells, and poke their
    pages after the commit. `live=False`: the subject's words are held for review, so the
    members see it once a moderator releases them (on their next page)."""
    if rows:
        db.session.execute(insert(Notification.__table__), rows)  # Core: one multi-row INSERT
        if live:
            _poke([row["member_id"] for row in rows])


def _mentioned(body_md, author_id):
    names = list(dict.fromkeys(name.casefold() for name in MENTION.findall(body_md or "")))[:MENTIONS_MAX]
    if not names:
        return set()
    # Handles are unique by a case-folded look-alike key (forum.accounts.handles), so a
    # case-folded handle names one member at most.
    return set(db.session.scalars(select(Member.id).where(
        func.lower(Member.handle).in_(names), Member.deleted_at.is_(None), Member.id != author_id)))


def posted(post, thread, author, parent=None, before_md=None):
    """A post was written (a new thread when `parent` is None, a reply otherwise; an edit
    when `before_md` is the words it replaced): tell the members it newly mentions; for a
    reply, the thread's followers (who wrote in it, unless they stopped following it, and
    whoever chose to follow it); for a new thread, the followers of its board. Never the
    author themself; mentioned people hear once, as a mention."""
    mentioned = _mentioned(post.body_md, author.id)
    if before_md is not None:
        mentioned -= _mentioned(before_md, author.id)
    now = utcnow()
    live = post.held_at is None
    _add([_row(m, "mention", now, author.id, post.id) for m in _wanting(mentioned, "mention", author.id)], live)
    if before_md is not None:
        return
    if parent is None:
        followers = select(BoardFollow.member_id).where(BoardFollow.board_id == thread.board_id)
        kind, text = "new_thread", literal(thread.board.name)
    else:
        followers = select(ThreadFollow.member_id).where(ThreadFollow.thread_id == thread.id,
                                                         ThreadFollow.following.is_(True))
        how = [(Member.id == thread.author_id, REPLIED_IN_THREAD)]
        if parent.parent_id is not None:  # a reply to a reply, not to the opening post
            how.insert(0, (Member.id == parent.author_id, REPLIED_TO_POST))
        kind, text = "reply", case(*how, else_=REPLIED)
    # Everyone following, told in one INSERT ... SELECT: the rows never leave the database.
    people = select(Member.id, literal(kind), literal(author.id), literal(post.id), text,
                    literal(1), literal(now, UTCDateTime()), literal(now, UTCDateTime())).where(
        Member.id.in_(followers), Member.id.not_in(mentioned | {author.id}), _wants(kind),
        lens.not_blocked_by(Member.id, author.id))
    told = db.session.scalars(insert(Notification.__table__).from_select(
        ["member_id", "kind", "actor_id", "post_id", "text", "count", "created_at", "updated_at"], people)
        .returning(Notification.__table__.c.member_id)).all()
    if live:
        _poke(told)


def reacted(post, reactor, given_at):
    """A reaction was given at `given_at` (never when one is taken back). The author's
    reactions are gathered: one unread notification per post, its count brought up to
    date, never one per click."""
    author_id = post.author_id
    if author_id in (None, reactor.id) or not _wanting([author_id], "reactions", reactor.id):
        return
    now = utcnow()
    gathered = db.session.scalar(
        select(Notification).where(Notification.member_id == author_id, Notification.kind == "reactions",
                                   Notification.post_id == post.id, Notification.read_at.is_(None))
        .order_by(Notification.id.desc()).limit(1).with_for_update())
    if gathered is None:
        row = _row(author_id, "reactions", now, reactor.id, post.id)
        row["created_at"] = given_at  # what it gathers counts from here
        _add([row])
        return
    # The reactions standing now that came since it was made: a reaction taken back and
    # given again counts once. The gathered notification is written again, with a new id:
    # it moves to the top of the list, and pages hear of it as of anything new.
    count = db.session.scalar(select(func.count()).select_from(Reaction).where(
        Reaction.post_id == post.id, Reaction.member_id != author_id, Reaction.created_at >= gathered.created_at))
    row = _row(author_id, "reactions", now, reactor.id, post.id)
    row["created_at"], row["count"] = gathered.created_at, max(count, 1)
    db.session.delete(gathered)
    _add([row])


def report_resolved(flag):
    """A flag was resolved: tell each member who reported it what happened, in plain
    words, naming the post (a link; its title only while members may read it)."""
    reporters = db.session.scalars(select(Report.reporter_id).where(Report.flag_id == flag.id)).all()
    if not reporters:
        return
    post = db.session.get(Post, flag.post_id) if flag.post_id else None
    words = OUTCOME_WORDS.get(flag.outcome, REVIEWED)
    if post is not None and post.hidden_at is not None:
        words += HIDDEN_NOW
    now = utcnow()
    _add([_row(m, "report", now, post_id=flag.post_id, text=words) for m in _wanting(reporters, "report")])


def outreach(member, room, moderator):
    """A moderator opened a private support room for `member`: "a moderator would like to
    talk with you", shown on every page until they open it or put it aside. Always on.
    Asked again while the first is still unread, the same one is shown again."""
    now = utcnow()
    waiting = db.session.scalar(select(Notification).where(
        Notification.member_id == member.id, Notification.kind == "outreach", Notification.room_id == room.id,
        Notification.read_at.is_(None)).limit(1))
    if waiting is not None:  # its banner is on every page they open until they open it
        waiting.updated_at, waiting.actor_id = now, moderator.id
        return
    _add([_row(member.id, "outreach", now, moderator.id, room_id=room.id)])


def mentoring(member_ids, text, room_id=None, actor_id=None):
    """Peer mentoring news (forum.mentoring), in plain words that carry nothing of what a
    member wrote: a request offered to a mentor, a match (with the pair's room), a request
    waiting too long (to moderators). The page it opens is the room, or the mentoring page."""
    now = utcnow()
    _add([_row(m, "mentoring", now, actor_id, room_id=room_id, text=text)
          for m in _wanting(member_ids, "mentoring", actor_id)])


# ---- saying it -----------------------------------------------------------------------

def sentence(kind, actor, text, title, count, about_post=True):
    """One notification in words. `title` is None when the reader may not see it."""
    where = f"“{title}”" if title else "a thread"
    if kind == "reply":
        return f"{actor} {text} {where}"
    if kind == "mention":
        return f"{actor} mentioned you in {where}"
    if kind == "new_thread":
        return f"{actor} started {where} in {text}"
    if kind == "reactions":
        others = count - 1
        who = actor if not others else f"{actor} and {others} other{'s' if others > 1 else ''}"
        return f"{who} reacted to your post in {where}"
    if kind == "report":
        subject = f"a post in {where}" if about_post else "a chat message"
        return f"Your report of {subject}: {text}"
    if kind == "mentoring":
        return text
    return "A moderator would like to talk with you, in a private room."


@dataclass(slots=True)
class Shown:
    """A notification as its member sees it."""
    id: int
    kind: str
    text: str
    count: int
    at: datetime  # when it last changed
    read: bool
    post_id: int | None
    room_slug: str | None

    def payload(self):
        return {"id": self.id, "kind": self.kind, "text": self.text, "count": self.count,
                "at": self.at.isoformat()}


def _visible(reader):
    """Notifications about words the member may no longer read disappear (hidden, held,
    deleted), except a report's outcome; an outreach goes with its room. So do those the
    member's own filters or blocks tuck away (forum.filters.lens), except a report's
    outcome and a moderator's outreach: nobody shuts out help."""
    tucked_ok = lens.of(reader.id).shown_sql(Notification.actor_id, Post.content_warning, Post.body_md, Thread.title)
    return and_(or_(Notification.post_id.is_(None), Notification.kind == "report", visibility.readable(reader, Post)),
                or_(Notification.room_id.is_(None), Room.archived_at.is_(None)),
                or_(Notification.kind.in_(("report", "outreach")), tucked_ok))


def _listing(reader):
    actor, opening = aliased(Member), aliased(Post)
    return (select(Notification, actor.handle, actor.deleted_at, Thread.title, opening.hidden_at, opening.held_at,
                   opening.author_id, Room.slug)
            .outerjoin(actor, actor.id == Notification.actor_id)
            .outerjoin(Post, Post.id == Notification.post_id)
            .outerjoin(Thread, Thread.id == Post.thread_id)
            .outerjoin(opening, and_(opening.thread_id == Thread.id, opening.parent_id.is_(None)))
            .outerjoin(Room, Room.id == Notification.room_id)
            .where(Notification.member_id == reader.id, _visible(reader)))


def _shown(row, reader):
    n, handle, gone, title, hidden_at, held_at, author_id, slug = row
    opening = SimpleNamespace(hidden_at=hidden_at, held_at=held_at, author_id=author_id)
    seen_title = title if title is not None and visibility.shows_title(opening, reader) else None
    actor = "former member" if handle is None or gone is not None else handle
    return Shown(n.id, n.kind, sentence(n.kind, actor, n.text, seen_title, n.count, n.post_id is not None),
                 n.count, n.updated_at, n.read_at is not None, n.post_id, slug)


def listing(reader, before=None, limit=PAGE_SIZE):
    """(a page of the member's notifications, newest first, older ones left?). Paged by id."""
    query = _listing(reader).order_by(Notification.id.desc()).limit(limit + 1)
    if before is not None:
        query = query.where(Notification.id < before)
    rows = db.session.execute(query).all()
    return [_shown(row, reader) for row in rows[:limit]], len(rows) > limit


def one(reader, notification_id):
    """The member's notification by id, as shown, or None (not theirs, or gone)."""
    row = db.session.execute(_listing(reader).where(Notification.id == notification_id)).first()
    return _shown(row, reader) if row is not None else None


def _unread(reader):
    return (select(func.count()).select_from(Notification)
            .outerjoin(Post, Post.id == Notification.post_id).outerjoin(Thread, Thread.id == Post.thread_id)
            .outerjoin(Room, Room.id == Notification.room_id)
            .where(Notification.member_id == reader.id, Notification.read_at.is_(None), _visible(reader)))


def _newest(member_id):
    return select(func.coalesce(func.max(Notification.id), 0)).where(Notification.member_id == member_id)


def _waiting_outreach(member_id):
    return (select(Notification.id).join(Room, Room.id == Notification.room_id)
            .where(Notification.member_id == member_id, Notification.kind == "outreach",
                   Notification.read_at.is_(None), Room.archived_at.is_(None))
            .order_by(Notification.id.desc()).limit(1))


def header(reader):
    """What every page's header shows, in one query: (unread count, the newest id the page
    knows of, where its catch-up starts; the id of a waiting "a moderator would like to
    talk with you", or None)."""
    return tuple(db.session.execute(select(_unread(reader).scalar_subquery(), _newest(reader.id).scalar_subquery(),
                                           _waiting_outreach(reader.id).scalar_subquery())).one())


def since(reader, after):
    """What a (re)connecting page missed: unread notifications after id `after`, the unread
    count, and the newest id."""
    rows = db.session.execute(_listing(reader).where(Notification.id > after, Notification.read_at.is_(None))
                              .order_by(Notification.id).limit(CATCH_UP_MAX)).all()
    unread, newest, _ = header(reader)
    return {"items": [_shown(row, reader).payload() for row in rows], "unread": unread, "last_id": newest}


# ---- reading and settings ------------------------------------------------------------

def mark_read(member_id, notification_id=None):
    """Mark one (or, without an id, every) notification of the member read."""
    query = update(Notification).where(Notification.member_id == member_id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))


def settable_kinds():
    """The kinds a member may turn off, with their labels: every kind but the outreach."""
    return {kind: label for kind, label in NOTIFICATION_KINDS.items() if kind not in ALWAYS_ON}


def set_kinds_on(member, kinds_on):
    """Keep the kinds in `kinds_on`, turn the other settable kinds off."""
    member.notifications_off = sorted(set(settable_kinds()) - set(kinds_on))
