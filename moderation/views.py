"""The moderators' side: the live queue, a flag's page and its actions, duty, metrics.

Every route checks the moderator's role and training first; every state change is a POST
(CSRF-protected by Flask-WTF) that writes an audit entry.
"""
from datetime import timedelta
from types import SimpleNamespace

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum import content
from forum.chat import support
from forum.errors import render_error
from forum.extensions import db
from forum.guards import require
from forum.models import Member, Message, Post, utcnow

from . import access, actions, audit, help, metrics, outbox, review, routing, visibility
from .forms import EscalateForm, HandoffForm, MuteForm, ReasonForm, ReplyForm, ResolveForm
from .models import ACTIVE, OUTCOMES, AuditEntry, Flag, HandoffNote, Report

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

moderator_required = require(access.refusal, "You can't open the moderation queue")


def _flag_or_404(flag_id):
    flag = db.session.get(Flag, flag_id)
    if flag is None:
        abort(404)
    return flag


HANDOFF_WINDOW = timedelta(hours=24)
HANDOFF_SHOWN = 20


def handoff_notes(moderator, now):
    """The hand-off notes the queue shows `moderator`, newest first (at most 20): every
    note written in the last 24 hours, and, when they have been on duty longer than that,
    every note written since they came on duty. So whoever comes on duty finds what the
    last shift left for them, and a long shift keeps its own notes in view. One indexed
    range on created_at: the cost stays flat however many notes there are."""
    record = access.profile(moderator)
    since = now - HANDOFF_WINDOW
    if record is not None and record.on_duty_since is not None:
        since = min(since, record.on_duty_since)
    return db.session.execute(
        select(HandoffNote, Member).outerjoin(Member, Member.id == HandoffNote.author_id)
        .where(HandoffNote.created_at >= since)
        .order_by(HandoffNote.created_at.desc(), HandoffNote.id.desc()).limit(HANDOFF_SHOWN)).all()


@bp.get("")
@moderator_required
def queue():
    """The queue, a page at a time (routing.QUEUE_PAGE flags, most urgent first): rendering
    every active flag grew with the queue (1,000 active flags took 400 ms). The first page
    also shows the newest flags not on it, so a new flag always appears there, live or on
    reload; every page says how many flags are active and links to the next without
    JavaScript."""
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    per_page = routing.QUEUE_PAGE
    flags = routing.active_flags(limit=per_page + 1, offset=(page - 1) * per_page)
    more, flags = len(flags) > per_page, flags[:per_page]
    newest = routing.newest_active([flag.id for flag in flags]) if page == 1 else []
    excerpts = {flag.id: content.excerpt(flag.snapshot) for flag in [*flags, *newest]}
    now = utcnow()
    shown = {"flags": flags, "newest": newest, "excerpts": excerpts, "now": now, "sla": routing.sla_seconds,
             "page": page, "more": more, "total": routing.active_count(), "per_page": per_page}
    if request.args.get("fragment"):
        return render_template("moderation/_queue.html", **shown)
    me = access.profile(current_user)
    return render_template("moderation/queue.html", on_duty=access.on_duty(), me_on_duty=bool(me and me.on_duty_since),
                           notes=handoff_notes(current_user, now), handoff_form=HandoffForm(), **shown)


@bp.post("/handoff")
@moderator_required
def handoff():
    form = HandoffForm()
    if not form.validate_on_submit():
        return _invalid(form)
    actions.write_handoff_note(current_user, form.body.data)
    db.session.commit()
    flash("Your note is saved. The next person on duty will see it here.")
    return redirect(url_for("moderation.queue"))


@bp.post("/duty")
@moderator_required
def duty():
    me = access.profile(current_user)
    me.on_duty_since = None if me.on_duty_since else utcnow()
    audit.record(current_user, "on duty" if me.on_duty_since else "off duty", "member", current_user.id)
    db.session.commit()
    flash("You're on duty. Thank you." if me.on_duty_since else "You're off duty. Rest well.")
    return redirect(url_for("moderation.queue"))


def _context(flag):
    """The flagged post (or chat message) with up to two either side of it."""
    if flag.message_id:
        return _message_context(flag.message_id)
    if flag.post is None:
        return []
    post = flag.post
    before = db.session.scalars(select(Post).where(Post.thread_id == post.thread_id, Post.sort_key < post.sort_key)
                                .order_by(Post.sort_key.desc()).limit(2)).all()
    after = db.session.scalars(select(Post).where(Post.thread_id == post.thread_id, Post.sort_key > post.sort_key)
                               .order_by(Post.sort_key).limit(2)).all()
    return list(reversed(before)) + [post] + after


def _message_context(message_id):
    message = db.session.get(Message, message_id)
    if message is None:
        return []
    nearby = Message.room_id == message.room_id
    before = db.session.scalars(select(Message).where(nearby, Message.id < message.id)
                                .order_by(Message.id.desc()).limit(2)).all()
    after = db.session.scalars(select(Message).where(nearby, Message.id > message.id)
                               .order_by(Message.id).limit(2)).all()
    return list(reversed(before)) + [message] + after


def offered(flag, viewer, now):
    """What the flag's page offers `viewer`: only what applies to the flag's state and the
    viewer's claim. It mirrors routing.check_may_act, which stays the one rule the server
    enforces on every action (a stale page can still post; the rule refuses it):

    - resolved: nothing but a reply in the thread (act() allows only that);
    - someone else holds a live claim: only "Take over";
    - unclaimed (open, escalated, or a claim whose lease ran out): Claim, and every action
      any trained moderator may take on it;
    - held by the viewer: Renew and Release, and those same actions.

    Content actions follow the content: Hide while it shows, Restore only while hidden,
    Release hold only while held; none once it is gone, nor on a private check-in (only its
    author reads it: a support room is how to reach them)."""
    described = review.describe(flag)
    author = db.session.get(Member, flag.member_id) if flag.member_id else None
    reachable = author is not None and author.deleted_at is None
    mine = flag.status == "claimed" and flag.claimed_by_id == viewer.id
    holder = flag.claimed_by if (flag.status == "claimed" and not mine and flag.claimed_by is not None
                                 and flag.lease_until and flag.lease_until > now) else None
    resolved = flag.status == "resolved"
    acting = not resolved and holder is None
    public = described is not None and not described.private  # a private check-in has no readers to hide it from
    return SimpleNamespace(
        resolved=resolved, holder=holder, mine=mine, acting=acting,
        claim=acting and not mine,
        hide=acting and public and not described.hidden,
        restore=acting and public and described.hidden,
        release_hold=acting and public and described.held,
        noun=described.noun if described else flag.noun,
        reply=(acting or resolved) and flag.post_id is not None and described is not None,
        support=acting and reachable, mute=acting and reachable,
        escalate=acting and flag.escalated_at is None,
        confirm_resolve=acting and unreached(flag))


def unreached(flag):
    """A high or imminent flag nobody has reached out about yet: resolving it asks for a
    ticked confirmation (a resolved flag is not reopened, and it leaves the queue)."""
    return flag.severity in ("high", "imminent") and not audit.reached_out(flag.id)


def member_context(flag):
    """What the desk knows of the flagged member around this flag: their last few posts
    everyone can read (links), their other flags still open, and whether they have a
    safety plan. Only whether: a safety plan is private to its member, and its words are
    never read here."""
    if not flag.member_id:
        return None
    everyone = visibility.Reader(None, False)
    posts = db.session.scalars(
        select(Post).where(Post.author_id == flag.member_id, visibility.readable(everyone))
        .order_by(Post.id.desc()).limit(5)).all()
    open_flags = db.session.scalars(
        select(Flag).where(Flag.member_id == flag.member_id, Flag.id != flag.id, Flag.status.in_(ACTIVE))
        .order_by(Flag.id.desc()).limit(10)).all()
    return SimpleNamespace(posts=posts, open_flags=open_flags, has_safety_plan=help.has_safety_plan(flag.member_id))


@bp.get("/flags/<int:flag_id>")
@moderator_required
def flag(flag_id):
    flag = _flag_or_404(flag_id)
    now = utcnow()
    # This member's flags from before this one (never later ones), newest first.
    earlier = db.session.scalars(select(Flag).where(Flag.member_id == flag.member_id, Flag.id < flag.id)
                                 .order_by(Flag.id.desc()).limit(10)).all() if flag.member_id else []
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.flag_id == flag.id).order_by(AuditEntry.id)).all()
    reports = db.session.scalars(select(Report).where(Report.flag_id == flag.id).order_by(Report.id)).all()
    return render_template(
        "moderation/flag.html", flag=flag, context=_context(flag), earlier=earlier, history=history,
        reports=reports, author=db.session.get(Member, flag.member_id) if flag.member_id else None,
        now=now, sla=routing.sla_seconds(flag.severity), outcomes=OUTCOMES,
        offer=offered(flag, current_user, now), about=member_context(flag),
        resolve_form=ResolveForm(version=flag.version), escalate_form=EscalateForm(),
        reply_form=ReplyForm(), mute_form=MuteForm(), page=outbox.page_for(flag.id))


def _done(flag, message):
    db.session.commit()
    flash(message)
    return redirect(url_for("moderation.flag", flag_id=flag.id))


def _refuse(message):
    db.session.rollback()
    return render_error(409, "That didn't go through", message)


def _invalid(form):
    return render_error(400, "Please check the form", " ".join(e for errors in form.errors.values() for e in errors))


@bp.post("/flags/<int:flag_id>/<action>")
@moderator_required
def act(flag_id, action):
    flag = _flag_or_404(flag_id)
    handler = _ACTIONS.get(action)
    if handler is None:
        abort(404)
    if flag.status == "resolved" and action != "reply":
        return _refuse("This flag is already resolved.")
    try:
        # The claim rule, for every action but the two that take the claim itself.
        if action not in ("claim", "take-over"):
            routing.check_may_act(flag, current_user)
        return handler(flag)
    except routing.Conflict as conflict:
        return _refuse(str(conflict))


def _claim(flag):
    routing.claim(flag.id, current_user)
    return _done(flag, "It's yours for the next few minutes. Renew if you need longer.")


def _unconfirmed(what):
    """None when the form's confirmation box was ticked; otherwise the page that asks for
    it. Actions that cannot be taken back, or that show words to more people, carry a
    required checkbox in their form (so it works without JavaScript) and are refused here
    without it, whatever sent them."""
    if request.form.get("confirm") == "yes":
        return None
    return render_error(400, "Please confirm", f"Please tick the box to confirm {what}.")


def _take_over(flag):
    """Take over a flag another moderator holds. The form asks for a ticked confirmation
    (no script needed); the holder is told live, and the history says who took it from whom."""
    if refusal := _unconfirmed("you're taking this flag over"):
        return refusal
    holder = flag.claimed_by.handle if flag.status == "claimed" and flag.claimed_by else None
    routing.take_over(flag.id, current_user)
    told = f" We've let {holder} know." if holder and holder != current_user.handle else ""
    return _done(flag, f"It's yours now, for the next few minutes.{told}")


def _renew(flag):
    routing.renew(flag.id, current_user)
    return _done(flag, "Your claim is renewed.")


def _release(flag):
    routing.release(flag.id, current_user)
    return _done(flag, "Released: it's back in the queue.")


def _resolve(flag):
    form = ResolveForm()
    if not form.validate_on_submit():
        return _invalid(form)
    if unreached(flag) and (refusal := _unconfirmed("you're resolving it without anyone having reached out")):
        return refusal
    routing.resolve(flag.id, current_user, form.outcome.data, form.notes.data, version=form.version.data)
    return _done(flag, "Resolved. Thank you for looking after them.")


def _escalate(flag):
    form = EscalateForm()
    if not form.validate_on_submit():
        return _invalid(form)
    if not routing.escalate(flag, current_user, form.reason.data):
        return _refuse("This flag is already escalated.")
    return _done(flag, "Escalated: every moderator and admin has been alerted.")


def _with_reason(action, message, confirm=None):
    """A content action with an optional reason; `confirm` (what the box confirms) makes
    the ticked box required."""
    def handler(flag):
        if confirm and (refusal := _unconfirmed(confirm)):
            return refusal
        form = ReasonForm()
        if not form.validate_on_submit():
            return _invalid(form)
        action(flag, current_user, form.reason.data)
        described = review.describe(flag)
        return _done(flag, message.format(noun=described.noun if described else "content"))
    return handler


def _reply(flag):
    form = ReplyForm()
    if not form.validate_on_submit():
        return _invalid(form)
    actions.reply(flag, current_user, form.body.data)
    return _done(flag, "Your reply is posted in the thread.")


def _mute(flag):
    if refusal := _unconfirmed("you're pausing this member"):
        return refusal
    form = MuteForm()
    if not form.validate_on_submit():
        return _invalid(form)
    actions.mute(flag, current_user, int(form.minutes.data), form.reason.data)
    return _done(flag, "The member is muted for now.")


def _support(flag):
    """Open (or reopen) a private support room with the member and go there."""
    member = db.session.get(Member, flag.member_id) if flag.member_id else None
    if member is None or member.deleted_at is not None:
        return _refuse("This member's account is closed.")
    room = support.open_support_room(member, current_user)  # the member is told after the commit
    audit.record(current_user, "opened support room", "room", room.id, flag=flag)
    slug = room.slug
    db.session.commit()
    return redirect(url_for("chat.room", slug=slug))


_ACTIONS = {
    "claim": _claim,
    "take-over": _take_over,
    "renew": _renew,
    "release": _release,
    "resolve": _resolve,
    "escalate": _escalate,
    "hide": _with_reason(actions.hide, "The {noun} is hidden."),
    "restore": _with_reason(actions.restore, "The {noun} is visible again.",
                            confirm="it's safe for everyone to see again"),
    "release-hold": _with_reason(actions.release_hold, "The {noun} is visible to everyone now.",
                                 confirm="the held words are safe for everyone to see"),
    "reply": _reply,
    "mute": _mute,
    "support": _support,
}


@bp.get("/metrics")
@moderator_required
def metrics_page():
    days = request.args.get("days", "7")
    days = int(days) if days.isdigit() and int(days) in metrics.PERIODS else 7
    return render_template("moderation/metrics.html", m=metrics.summary(days), days=days, periods=metrics.PERIODS)

