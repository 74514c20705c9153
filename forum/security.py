"""Headers that make every page harder to abuse, and what a browser may load.

The Content-Security-Policy allows nothing but this site: no inline script, no plugin,
no framing, no base-URL tricks. Together with bleach this is the second wall against XSS.
"""
from flask import url_for
from werkzeug.routing import IntegerConverter

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])

HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response):
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs, bounded to what the id columns hold, so a huge number in a
    URL is a 404 rather than a database overflow."""

    def __init__(self, map, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, **kwargs)


def safe_next(target):
    """Where to go after a form: only same-site paths, so a crafted link cannot send a
    member elsewhere; the boards otherwise."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("boards.index")
