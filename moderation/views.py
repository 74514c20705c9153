"""The moderators' side: the live queue, a flag's page and its actions, duty, metrics.

Every route checks the moderator's role and training first; every state change is a POST
(CSRF-protected by Flask-WTF) that writes an audit entry.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from forum.chat import support
from forum.errors import render_error
from forum.extensions import db
from forum.guards import require
from forum.models import Member, Message, Post, utcnow

from . import access, actions, audit, metrics, outbox, review, routing
from .forms import EscalateForm, MuteForm, ReasonForm, ReplyForm, ResolveForm
from .models import OUTCOMES, AuditEntry, Flag, Report

bp = Blueprint("moderation", __name__, url_prefix="/moderation")

moderator_required = require(access.refusal, "You can't open the moderation queue")


def _flag_or_404(flag_id):
    flag = db.session.get(Flag, flag_id)
    if flag is None:
        abort(404)
    return flag


@bp.get("")
@moderator_required
def queue():
    template = "moderation/_queue.html" if request.args.get("fragment") else "moderation/queue.html"
    me = access.profile(current_user)
    return render_template(template, flags=routing.active_flags(), on_duty=access.on_duty(), now=utcnow(),
                           me_on_duty=bool(me and me.on_duty_since), sla=routing.sla_seconds)


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


@bp.get("/flags/<int:flag_id>")
@moderator_required
def flag(flag_id):
    flag = _flag_or_404(flag_id)
    earlier = db.session.scalars(select(Flag).where(Flag.member_id == flag.member_id, Flag.id != flag.id)
                                 .order_by(Flag.id.desc()).limit(10)).all() if flag.member_id else []
    history = db.session.scalars(select(AuditEntry).where(AuditEntry.flag_id == flag.id).order_by(AuditEntry.id)).all()
    reports = db.session.scalars(select(Report).where(Report.flag_id == flag.id).order_by(Report.id)).all()
    return render_template(
        "moderation/flag.html", flag=flag, context=_context(flag), earlier=earlier, history=history,
        reports=reports, author=db.session.get(Member, flag.member_id) if flag.member_id else None,
        now=utcnow(), sla=routing.sla_seconds(flag.severity), outcomes=OUTCOMES,
        resolve_form=ResolveForm(version=flag.version), escalate_form=EscalateForm(), reason_form=ReasonForm(),
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
        return handler(flag)
    except routing.Conflict as conflict:
        return _refuse(str(conflict))


def _claim(flag):
    routing.claim(flag.id, current_user)
    return _done(flag, "It's yours for the next few minutes. Renew if you need longer.")


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
    routing.resolve(flag.id, current_user, form.outcome.data, form.notes.data, version=form.version.data)
    return _done(flag, "Resolved. Thank you for looking after them.")


def _escalate(flag):
    form = EscalateForm()
    if not form.validate_on_submit():
        return _invalid(form)
    if not routing.escalate(flag, current_user, form.reason.data):
        return _refuse("This flag is already escalated.")
    return _done(flag, "Escalated: every moderator and admin has been alerted.")


def _with_reason(action, message):
    def handler(flag):
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
    "renew": _renew,
    "release": _release,
    "resolve": _resolve,
    "escalate": _escalate,
    "hide": _with_reason(actions.hide, "The {noun} is hidden."),
    "restore": _with_reason(actions.restore, "The {noun} is visible again."),
    "release-hold": _with_reason(actions.release_hold, "The {noun} is visible to everyone now."),
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

