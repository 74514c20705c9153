"""One-to-one peer mentoring (issue 15): trained peers with lived experience, matched to
members who ask. Its tables are in forum/models.py with the rest; `register(app)` loads the
pages, hands the request queue's pass to the sweeper, and joins the member's export and
account deletion (forum.signals: accounts may not import a feature above it)."""
from flask import Blueprint

from ..signals import closing_account, exporting

bp = Blueprint("mentoring", __name__, url_prefix="/mentoring")


def register(app):
    from moderation import routing

    from . import requests, views  # noqa: F401  (routes register themselves)

    app.register_blueprint(bp)
    routing.add_pass(app, "mentoring requests", requests.sweep)
    exporting.connect(_exported, sender=app)
    closing_account.connect(_closing, sender=app)


def _exported(app, member):
    from . import mentors, pair_records, requests

    return {"mentoring_requests": requests.export(member), "mentor_profile": mentors.export(member),
            **pair_records.export(member)}


def _closing(app, member):
    from . import mentors, pair_records, requests

    pair_records.forget(member)  # their pairings end; check-ins and ratings go
    requests.forget(member)
    mentors.forget(member)
