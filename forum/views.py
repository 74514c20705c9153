"""Pages and settings that belong to no single part of the forum."""
from flask import Blueprint, redirect, render_template, request, session
from flask_login import current_user

from .errors import render_error
from .extensions import db
from .models import THEMES
from .security import safe_next

bp = Blueprint("site", __name__)


@bp.get("/about")
def about():
    return render_template("about.html")


def chosen_theme():
    """The theme this person picked (on their account, or in this browser); None follows
    their device's light or dark setting."""
    if current_user.is_authenticated:
        return current_user.theme
    return session.get("theme")


@bp.app_context_processor
def theme_context():
    return {"theme": chosen_theme()}


@bp.post("/theme")
def theme():
    """The light/dark toggle. A form post that comes back to the same page without
    JavaScript; static/theme.js sends it in the background and answers 204."""
    choice = request.form.get("theme")
    if choice not in THEMES:
        return render_error(400, "We couldn't change the theme", "Please choose light or dark.")
    # Kept only because the person chose it: on their account, or in this browser.
    if current_user.is_authenticated:
        current_user.theme = choice
        db.session.commit()
    else:
        session["theme"] = choice
    if request.accept_mimetypes.best == "application/json":
        return "", 204
    return redirect(safe_next(request.form.get("next")))
