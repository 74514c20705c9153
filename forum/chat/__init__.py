"""Live group rooms and private support rooms: HTTP pages plus Socket.IO events ("/").

Importing this package is cheap (forum.models imports forum.chat.models); the views and
event handlers are loaded by `register(app)`.
"""
from flask import Blueprint

bp = Blueprint("chat", __name__, url_prefix="/chat")


def register(app):
    from . import events, views  # noqa: F401  (handlers and routes register themselves)

    app.register_blueprint(bp)
