"""Text shared by every page: the checks on every field members fill in, how a span of
time and a moment are said, and a member's handle as a link."""
import unicodedata
from functools import lru_cache

from jinja2.utils import url_quote
from markupsafe import Markup

# Bidi embeddings, overrides and isolates can make text read differently from what it is
# ("Trojan source"); members never need them in a title or a post.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_ALLOWED_CONTROLS = frozenset("\t\n\r")


def text_problem(value, *, single_line=False):
    """A member-facing reason why this text is refused, or None.

    Zero-width joiners stay allowed in bodies because emoji sequences need them; a
    one-line field (a title, a label) refuses them since they only hide things there.
    """
    for ch in value:
        if ch in BIDI_CONTROLS:
            return "Please remove the hidden text-direction characters."
        if single_line and ch in ZERO_WIDTH:
            return "Please remove the invisible (zero-width) characters."
        if unicodedata.category(ch) == "Cc" and (single_line or ch not in _ALLOWED_CONTROLS):
            return "Please remove the control characters."
        if "\ud800" <= ch <= "\udfff":
            return "This text has characters that could not be read."
    return None


def duration(seconds):
    """A span of time as people say it: "30 seconds", "1 minute 30 seconds", "5 minutes",
    "1 hour 30 minutes", "24 hours" (SLA settings are seconds; a target may be short)."""
    seconds = max(0, int(seconds))

    def unit(n, word):
        return f"{n} {word}" + ("" if n == 1 else "s")

    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    if minutes:
        return unit(minutes, "minute") + (f" {unit(secs, 'second')}" if secs else "")
    return unit(secs, "second")


MONTHS = (None, "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def time_html(dt):
    """A moment as pages show it, `<time datetime="ISO">25 Nov 2026, 10:50 UTC</time>`
    (static/localtime.js rewrites it into the reader's own time): templates/_macros.html
    `when`, and every post of a thread page (a function: a page shows hundreds of these)."""
    # Nothing to escape: digits, month names and punctuation. Said without strftime, which
    # took half this function's time (a thread page says 200 of these) and names months in
    # the server's locale.
    return Markup(f'<time datetime="{dt.isoformat()}">{dt.day} {MONTHS[dt.month]} {dt.year}, '
                  f'{dt.hour:02d}:{dt.minute:02d} UTC</time>')


@lru_cache(maxsize=4096)
def handle_link(handle):
    """A member's handle linked to their profile page (forum.profiles), as HTML:
    templates/_macros.html `handle_link` and the thread page's posts (hundreds of handles a
    page, a few dozen different ones: a Python function, cached, rather than a Jinja macro
    called per post).
    A former member (or a handle shown as "former member") has no profile, so no link."""
    if not handle or handle == "former member":
        return Markup("former member")
    return Markup('<a class="handle" href="/m/{}">{}</a>').format(Markup(url_quote(handle)), handle)
