"""Anonymous accounts: a handle and a passphrase, nothing else."""
from flask import Blueprint

bp = Blueprint("accounts", __name__)

from . import views  # noqa: E402,F401  (routes register themselves on bp)
