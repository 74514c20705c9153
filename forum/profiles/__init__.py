"""A member's light profile: a line about them, when their recovery began (both optional,
month precision), the boards they are active in and their public posts. Every handle on
the site links here (templates/_macros.html `handle_link`)."""
from flask import Blueprint

bp = Blueprint("profiles", __name__)

from . import views  # noqa: F401  (routes register themselves on bp)
