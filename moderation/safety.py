"""The members' side of safety: crisis lines, reporting a post, and what became of it."""
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Post
from forum.security import safe_next

from . import flags, help, resources, visibility
from .forms import RegionForm, ReportForm
from .models import Flag, Report

bp = Blueprint("safety", __name__)


def _region():
    member_region = current_user.region if current_user.is_authenticated else None
    return member_region or session.get("region")


@bp.route("/help", methods=["GET", "POST"])
def help_page():
    """The lines (the chosen region's first), the member's own plan, and a way to a person.
    The region is chosen here, or from the help panel, which sends `next` to go back to."""
    form = RegionForm(region=_region())
    form.region.choices = [(code, info["name"]) for code, info in resources.regions().items()]
    if form.validate_on_submit():
        # Kept only because the member chose it: on their account, or in this browser.
        if current_user.is_authenticated:
            current_user.region = form.region.data
            db.session.commit()
        else:
            session["region"] = form.region.data
        back = request.form.get("next")
        return redirect(safe_next(back) if back else url_for("safety.help_page"))
    # A region that is not a choice changes nothing: the page as it was.
    return render_template("moderation/help.html", help=help.help_for(current_user, _region()))


@bp.route("/p/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report(post_id):
    post = db.session.get(Post, post_id)
    if post is None or post.deleted_at is not None:
        abort(404)
    if post.author_id == current_user.id:
        return redirect(url_for("boards.post", post_id=post.id))
    form = ReportForm()
    if form.validate_on_submit():
        try:
            flags.report(reporter=current_user, reason=form.reason.data, detail=form.detail.data, post=post)
            db.session.commit()
        except (flags.AlreadyReported, IntegrityError):
            db.session.rollback()
            flash("You've already reported this post. Thank you: a moderator will look at it.")
        else:
            flash("Thank you for telling us. A trained peer moderator will look at it.")
        return redirect(url_for("boards.post", post_id=post.id))
    # Words the member may not read (hidden, or held for review) are never quoted back.
    readable = visibility.may_read(post, visibility.reader())
    return render_template("moderation/report.html", post=post, readable=readable, form=form), \
        400 if form.errors else 200


@bp.get("/reports")
@login_required
def my_reports():
    rows = db.session.execute(
        select(Report, Flag.status).join(Flag, Flag.id == Report.flag_id)
        .where(Report.reporter_id == current_user.id).order_by(Report.id.desc())).all()
    return render_template("moderation/my_reports.html", rows=rows)
