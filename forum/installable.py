"""Lantern on a phone's home screen: the web app manifest, the service worker, and the
page that worker shows when the network is gone (the crisis lines, which a phone can still
call or text without a connection).

Nothing leaves the site and nothing is pushed: the worker keeps only the offline page
(fetched without cookies, so it is the same for everyone) and the static files it needs.
It never stores a page a member reads, since those may be private.
"""
import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template, url_for

from moderation import resources

bp = Blueprint("installable", __name__)

NAME = "Lantern"
# The light theme's page colour (static/style.css --bg), so the splash screen and the
# browser bar match the first page a member sees.
BACKGROUND = "#fbfaf7"
THEME_COLOURS = {"light": BACKGROUND, "dark": "#15181c"}  # base.html's <meta name="theme-color">
ICONS = [("icons/lantern.svg", "any", "image/svg+xml", "any"),
         ("icons/lantern-192.png", "192x192", "image/png", "any"),
         ("icons/lantern-512.png", "512x512", "image/png", "any"),
         # The artwork keeps to the middle 80%, so a phone may crop it to its own shape.
         ("icons/lantern-512.png", "512x512", "image/png", "maskable")]
# What the offline page needs besides itself.
OFFLINE_ASSETS = ["style.css", "favicon.svg", "icons/lantern-192.png"]


@bp.app_context_processor
def theme_colours():
    return {"theme_colours": THEME_COLOURS}


@bp.get("/manifest.webmanifest")
def manifest():
    body = {
        "name": NAME, "short_name": NAME,
        "description": "Anonymous peer support for mental health and recovery.",
        "id": url_for("boards.index"), "start_url": url_for("boards.index"), "scope": url_for("boards.index"),
        "display": "standalone", "background_color": BACKGROUND, "theme_color": BACKGROUND,
        "icons": [{"src": url_for("static", filename=path), "sizes": sizes, "type": kind, "purpose": purpose}
                  for path, sizes, kind, purpose in ICONS],
    }
    return current_app.response_class(json.dumps(body, indent=1), mimetype="application/manifest+json")


@bp.get("/offline")
def offline():
    # Every region, none chosen: the worker fetches this once without cookies, for anyone.
    return render_template("offline.html", regions=resources.lines_for(None))


@cache
def _version(static_folder, template_folder):
    """Changes whenever what the worker keeps could: the lines, the page, its assets."""
    digest = hashlib.sha256(resources.LINES_FILE.read_bytes())
    digest.update(Path(template_folder, "offline.html").read_bytes())
    for name in ["sw.js", *OFFLINE_ASSETS]:
        digest.update(Path(static_folder, name).read_bytes())
    return digest.hexdigest()[:16]


@bp.get("/sw.js")
def service_worker():
    """Served from the root so its scope is the whole site. The browser checks it for a
    change on each visit (no-cache), and a new version replaces what the old one kept."""
    app = current_app
    script = (Path(app.static_folder, "sw.js").read_text(encoding="utf-8")
              .replace("__VERSION__", _version(app.static_folder, app.template_folder))
              .replace("__OFFLINE__", url_for("installable.offline"))
              .replace('"__ASSETS__"', json.dumps([url_for("static", filename=a) for a in OFFLINE_ASSETS])))
    response = app.response_class(script, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = url_for("boards.index")
    response.headers["Cache-Control"] = "no-cache"
    return response
