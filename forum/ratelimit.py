"""Rate limits checked inside views, so that a refused request can keep what the member
typed and tell them kindly when to try again. Counters live in Flask-Limiter's storage
(memory, or Redis when configured); the keys may hold a client address there, never in
a table or a log."""
import time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many

from .extensions import limiter


def _items(setting):
    return parse_many(current_app.config[setting])


def _enabled():
    return current_app.config.get("RATELIMIT_ENABLED", True)


def allowed(setting, key):
    """True if one more attempt fits under the limit named by the config `setting`."""
    if not _enabled():
        return True
    return all(limiter.limiter.test(item, setting, key) for item in _items(setting))


def hit(setting, key):
    """Count one attempt against the limit."""
    if _enabled():
        for item in _items(setting):
            limiter.limiter.hit(item, setting, key)


def clear(setting, key):
    """Forget the attempts counted against the limit (after the member proved who they are)."""
    if _enabled():
        for item in _items(setting):
            limiter.limiter.clear(item, setting, key)


def take(setting, key):
    """Count one attempt if it fits; False (and nothing counted) when over the limit."""
    if not allowed(setting, key):
        return False
    hit(setting, key)
    return True


def retry_after(setting, key):
    """How long until `key` may try again under the limit named by `setting`, in words for
    the member ("a few seconds", "about 8 minutes")."""
    now = time.time()
    windows = [limiter.limiter.get_window_stats(item, setting, key) for item in _items(setting)]
    seconds = max([w.reset_time - now for w in windows if w.remaining == 0] + [1])
    if seconds <= 50:
        return "a few seconds" if seconds <= 15 else "under a minute"
    if seconds < 90 * 60:
        minutes = round(seconds / 60)
        return "a minute" if minutes <= 1 else f"about {minutes} minutes"
    hours = round(seconds / 3600)
    return f"about {hours} hours" if hours < 24 else "until tomorrow"


def client_key():
    return f"addr:{get_remote_address()}"


def member_key(member):
    return f"member:{member.id}"
