"""Admins manage who moderates: roles and training records."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from forum.accounts import service as accounts
from forum.guards import require
from forum.extensions import db
from forum.models import Member

from . import audit
from .forms import TrainingForm
from .models import ModeratorProfile

bp = Blueprint("admin", __name__, url_prefix="/admin")


admin_required = require(lambda member: None if member.is_admin else "This page is for Lantern's admins.",
                         "Admins only")


def set_training(member, role, trained_on, expires, actor):
    """Set a member's role and training record, with an audit entry."""
    member.role = role
    record = db.session.get(ModeratorProfile, member.id) or ModeratorProfile(member_id=member.id)
    record.trained_on, record.training_expires = trained_on, expires
    db.session.add(record)
    audit.record(actor, "set role and training", "member", member.id,
                 reason=f"role={role}, trained_on={trained_on}, expires={expires}")


@bp.route("", methods=["GET", "POST"])
@admin_required
def moderators():
    form = TrainingForm()
    if form.validate_on_submit():
        member = accounts.find_member(form.handle.data)
        if member is None:
            form.handle.errors.append("There's no member with that handle.")
        else:
            set_training(member, form.role.data, form.trained_on.data, form.training_expires.data, current_user)
            db.session.commit()
            flash(f"Saved: {member.handle} is now {form.role.data}.")
            return redirect(url_for("admin.moderators"))
    rows = db.session.execute(
        select(Member, ModeratorProfile).outerjoin(ModeratorProfile, ModeratorProfile.member_id == Member.id)
        .where(Member.role.in_(("moderator", "admin")), Member.deleted_at.is_(None)).order_by(Member.handle)).all()
    return render_template("moderation/admin.html", rows=rows, form=form), 400 if form.errors else 200
