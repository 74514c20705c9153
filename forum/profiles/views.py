from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import content, ratelimit
from ..extensions import db
from . import bp, service
from .forms import ProfileForm, as_month

SLOW_DOWN = "You've changed your profile a lot in a short time. Please wait {wait} and save again; your words are still here."


@bp.get("/m/<handle>")
def show(handle):
    """Anyone's profile, as every visitor sees it. Former members have none (404)."""
    member = service.find(handle) if len(handle) <= 40 else None
    if member is None:
        abort(404)
    before = request.args.get("before", "")
    before = int(before) if before.isdigit() and len(before) < 12 else None
    posts, more = service.public_posts(member, before)
    return render_template("profiles/profile.html", member=member, profile=service.profile_of(member),
                           boards=service.active_boards(member), posts=posts, more=more, excerpt=content.excerpt,
                           own=current_user.is_authenticated and current_user.id == member.id)


@bp.route("/account/profile", methods=["GET", "POST"])
@login_required
def edit():
    profile = service.profile_of(current_user)
    form = ProfileForm()
    if request.method == "GET" and profile is not None:
        form.about.data = profile.about
        form.recovery_since.data = profile.recovery_since.strftime("%Y-%m") if profile.recovery_since else ""
    if form.validate_on_submit():
        key = ratelimit.member_key(current_user)
        if not ratelimit.take("LIMIT_PROFILE", key):
            form.form_errors.append(SLOW_DOWN.format(wait=ratelimit.retry_after("LIMIT_PROFILE", key)))
            return render_template("profiles/edit.html", form=form), 429
        service.save(current_user, form.about.data, as_month(form.recovery_since.data))
        db.session.commit()
        flash("Your profile is saved.")
        return redirect(url_for("profiles.show", handle=current_user.handle))
    return render_template("profiles/edit.html", form=form), 400 if form.errors else 200


