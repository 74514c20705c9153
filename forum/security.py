"""Headers that make every page harder to abuse, and what a browser may load.

The Content-Security-Policy allows nothing but this site: no inline script, no plugin,
no framing, no base-URL tricks. Together with bleach this is the second wall against XSS.
"""
from urllib.parse import urlsplit

from flask import current_app, request, url_for
from werkzeug.datastructures import Headers
from werkzeug.routing import IntegerConverter

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",  # the service worker (forum/installable.py), from this site only
    "manifest-src 'self'",
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


# With FORUM_HTTPS: browsers go straight to https for two years (not subdomains: those
# may belong to someone else on the operator's domain).
HSTS = "max-age=63072000"

# Pages that show what only one person (or the moderators) may see: a member's account and
# export, their reports, chat, the desk. Neither the browser nor any proxy keeps a copy, so
# the back button on a shared computer shows nothing after logging out.
PRIVATE_PREFIXES = ("/account", "/reports", "/admin", "/moderation", "/chat", "/socket.io", "/recovery", "/mentoring")


def headers_for(path, https=False):
    """The headers every answer to `path` carries (Flask's pages and Socket.IO's alike)."""
    headers = dict(HEADERS)
    if https:
        headers["Strict-Transport-Security"] = HSTS
    if path.startswith(PRIVATE_PREFIXES) or path.endswith("/report"):
        headers["Cache-Control"] = "no-store"
    return headers


def add_security_headers(response):
    for name, value in headers_for(request.path, current_app.config["HTTPS"]).items():
        response.headers.setdefault(name, value)
    return response


class SecurityHeaders:
    """WSGI middleware around the whole app (Socket.IO included): Socket.IO's polling
    answers never pass through Flask's after_request, so they get the headers here. A
    header the answer already has is left as it is; a WebSocket upgrade is left alone."""

    def __init__(self, wsgi_app, https=False):
        self.wsgi_app, self.https = wsgi_app, https

    def __call__(self, environ, start_response):
        extra = headers_for(environ.get("PATH_INFO", ""), self.https)

        def start(status, response_headers, exc_info=None):
            if not status.startswith("101"):
                present = Headers(response_headers)
                response_headers = list(response_headers) + [
                    (name, value) for name, value in extra.items() if name not in present]
            return start_response(status, response_headers, exc_info)

        return self.wsgi_app(environ, start)


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs, bounded to what the id columns hold, so a huge number in a
    URL is a 404 rather than a database overflow."""

    def __init__(self, map, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, **kwargs)


def safe_next(target):
    """Where to go after a form: only a path on this site, so a crafted link cannot send a
    member elsewhere; the boards otherwise. The one check for every `next`.

    Browsers drop tabs and newlines inside URLs and read a backslash as a slash, so
    "/\t/evil.example" would become "//evil.example", another site: any whitespace,
    control character or backslash refuses the target, as does anything with a scheme or a
    host once parsed."""
    if (target and target.startswith("/") and target.isprintable()
            and not any(ch.isspace() or ch == "\\" for ch in target)):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//"):
            return target
    return url_for("boards.index")
