"""Flask extensions, created unbound so that create_app() can bind them to any app."""
import flask_limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .outages import FallbackRateLimiter

# Stable constraint names, so Alembic can alter or drop them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()

class Limiter(flask_limiter.Limiter):
    """Flask-Limiter whose `limiter` (the strategy every check goes through) keeps counting
    in memory while Redis is away (forum.outages): a refused connection is never a 500."""

    @property
    def limiter(self):
        primary = super().limiter
        fallback = getattr(self, "_with_fallback", None)
        if fallback is None or fallback.primary is not primary:  # init_app made a new one
            fallback = self._with_fallback = FallbackRateLimiter(primary)
        return fallback


# The client address is used as a key in memory or Redis only, never stored in a table.
# Storage errors arrive as limits' StorageError; a Redis that does not answer gives up fast.
limiter = Limiter(key_func=get_remote_address, default_limits=[], storage_options={
    "wrap_exceptions": True, "socket_connect_timeout": 1, "socket_timeout": 1})
