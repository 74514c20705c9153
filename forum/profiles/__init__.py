"""A member's light profile: a line about them, when their recovery began (both optional,
month precision), the boards they are active in and their public posts. Every handle on
the site links here (templates/_macros.html `handle_link`)."""
from functools import lru_cache

from flask import Blueprint
from jinja2.utils import url_quote
from markupsafe import Markup

bp = Blueprint("profiles", __name__)

from . import views  # noqa: F401  (routes register themselves on bp)


@lru_cache(maxsize=4096)
def handle_link(handle):
    """A member's handle linked to their profile, as HTML: templates/_macros.html
    `handle_link` and the thread page's posts (hundreds of handles a page, a few dozen
    different ones: a Python function, cached, rather than a Jinja macro called per post).
    A former member (or a handle shown as "former member") has no profile, so no link."""
    if not handle or handle == "former member":
        return Markup("former member")
    return Markup('<a class="handle" href="/m/{}">{}</a>').format(Markup(url_quote(handle)), handle)
