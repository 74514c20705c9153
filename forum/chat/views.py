"""Chat pages: the rooms list, a room, "talk to a moderator now", and admin room forms."""
from flask import abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..filters import lens
from ..models import MESSAGE_MAX
from . import boundaries, bp, mentoring, messages, presence, rooms
from . import support as support_rooms
from .forms import ActionForm, RoomForm


def _admin_only():
    if not current_user.is_admin:
        abort(403)


def _room_or_404(slug):
    room = rooms.room_by_slug(slug)
    # The same rule as the Socket.IO events: a support room is for its member and trained
    # moderators only (the role alone is not enough); held words show to them alone.
    if not rooms.can_enter(room, current_user):
        abort(404)  # a private room is "not found" to everyone it isn't for
    return room


@bp.get("/")
def index():
    return render_template("chat/index.html", rooms=rooms.rooms_overview(current_user), form=ActionForm())


@bp.get("/<slug>")
@login_required
def room(slug):
    room = _room_or_404(slug)
    shown = messages.history(room, current_user)
    handles, moderator_here = presence.presence(room)
    # The member's filters and blocks tuck lines away in group rooms: here for the history,
    # in static/chat.js (given the same blocks and pattern) for lines that arrive live.
    # Never in a support room: nobody can be shut out of a conversation about their safety.
    seen = lens.NOBODY if room.is_private else lens.current()
    return render_template("chat/room.html", room=room, messages=shown, presence=handles, seen=seen,
                           tucked={m.id: seen.hides(m.member_id, m.body_md) for m in shown},
                           kept_back={m.id: boundaries.EXPLANATION if m.member_id == current_user.id else ""
                                      for m in shown if messages.kept_back(m)},
                           moderator_here=moderator_here, facilitator=rooms.is_facilitator(current_user),
                           body_max=MESSAGE_MAX,
                           history_size=current_app.config["CHAT_HISTORY"], **_mentoring(room))


def _mentoring(room):
    """What a mentoring room's page adds: whom it is with, whether the viewer may still
    write, and whether a moderator has been asked in (forum.chat.mentoring)."""
    if not mentoring.is_mentoring(room):
        return {"heading": room.title, "guidelines": room.guidelines, "closed": None, "help_asked": None}
    closed = None if mentoring.may_send(room, current_user, rooms.is_facilitator) else mentoring.ENDED
    return {"heading": mentoring.heading(room, current_user), "guidelines": mentoring.GUIDELINES, "closed": closed,
            "help_asked": mentoring.HELP_ASKED if mentoring.help_requested(room) else None}


@bp.post("/support")
@login_required
def support():
    """Talk to a moderator now: open (or reopen) this member's private support room."""
    if not ActionForm().validate_on_submit():
        abort(400)
    room = support_rooms.open_support_room(current_user)  # moderators are told after the commit
    slug = room.slug
    db.session.commit()
    return redirect(url_for("chat.room", slug=slug))


def _save(form, room=None):
    values = dict(title=form.title.data, topic=form.topic.data or "", guidelines=form.guidelines.data or "",
                  slow_mode_s=form.slow_mode_s.data or 0)
    try:
        with db.session.begin_nested():
            if room is None:
                room = rooms.create_room(slug=form.slug.data, **values)
            room.slug = form.slug.data
            # Queues the new state for anyone in the room; a clash on the slug rolls the
            # SAVEPOINT back, and with it that notice.
            rooms.update_room(room, locked=form.locked.data, archived=form.archived.data, **values)
    except IntegrityError:
        form.slug.errors.append("Another room already uses that web address.")
        return None
    db.session.commit()
    return room


@bp.route("/rooms/new", methods=["GET", "POST"])
@login_required
def new_room():
    _admin_only()
    form = RoomForm()
    if form.validate_on_submit() and (room := _save(form)):
        return redirect(url_for("chat.room", slug=room.slug))
    return render_template("chat/edit.html", form=form, room=None), 400 if form.errors else 200


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit_room(slug):
    _admin_only()
    room = rooms.room_by_slug(slug)
    if room is None or room.is_private:
        abort(404)
    form = RoomForm(obj=room, locked=room.locked, archived=room.archived_at is not None)
    if form.validate_on_submit() and _save(form, room):
        return redirect(url_for("chat.index"))
    return render_template("chat/edit.html", form=form, room=room), 400 if form.errors else 200
