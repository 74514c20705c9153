"""Pages that belong to no single part of the forum."""
from flask import Blueprint, render_template

bp = Blueprint("site", __name__)


@bp.get("/about")
def about():
    return render_template("about.html")
