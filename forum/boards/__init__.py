"""Boards, threads, nested replies, reactions and search."""
from flask import Blueprint

bp = Blueprint("boards", __name__)

from . import views  # noqa: E402,F401  (routes register themselves on bp)
