"""Configuration: every setting comes from an environment variable with a FORUM_ prefix.

The defaults run the forum on an embedded SQLite file with no other server, so a new
machine needs nothing but Python. Production sets FORUM_DATABASE_URL (PostgreSQL) and
FORUM_REDIS_URL (Socket.IO message queue and rate-limit storage).
"""
import os
import secrets
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def _env(name, default=None):
    return os.environ.get(f"FORUM_{name}", default)


def _flag(name, default=False):
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key():
    """A stable key for development: generated once into instance/, never committed."""
    if key := _env("SECRET_KEY"):
        return key
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def database_url():
    return _env("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'lantern.db'}"


def normalise_database_url(url):
    """Use psycopg 3 for every PostgreSQL URL, whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load():
    """Build the settings mapping from the environment (read at app creation, not import)."""
    redis_url = _env("REDIS_URL")
    return {
        "SECRET_KEY": _secret_key(),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url()),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        "HOST": _env("HOST", "127.0.0.1"),
        "PORT": int(_env("PORT", "5000")),
        "ASYNC_MODE": _env("ASYNC_MODE", "gevent"),
        # Cookies: never readable by scripts, not sent on cross-site posts, and Secure
        # whenever the site is served over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("HTTPS"),
        "SESSION_COOKIE_NAME": "lantern_session",
        "PREFERRED_URL_SCHEME": "https" if _flag("HTTPS") else "http",
        # Number of reverse proxies in front of the app (their X-Forwarded-For is trusted).
        "TRUSTED_PROXIES": int(_env("TRUSTED_PROXIES", "0")),
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
        # Rate limits (Flask-Limiter syntax). Counters live in memory, or Redis when set:
        # never in the database, so no client address is ever written down.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": False,
        "LIMIT_SIGNUP": _env("LIMIT_SIGNUP", "5 per hour"),
        "LIMIT_LOGIN_FAILURES": _env("LIMIT_LOGIN_FAILURES", "5 per minute;20 per hour"),
        "LIMIT_POST": _env("LIMIT_POST", "1 per 5 seconds"),
        "LIMIT_THREAD": _env("LIMIT_THREAD", "1 per 15 seconds"),
        "POSTS_PER_PAGE": int(_env("POSTS_PER_PAGE", "50")),
        "THREADS_PER_PAGE": int(_env("THREADS_PER_PAGE", "30")),
        "REPLY_DEPTH_CAP": int(_env("REPLY_DEPTH_CAP", "6")),
        # Moderation: how soon a flag must be claimed, per severity (seconds), before the
        # sweeper re-notifies (at half) and escalates (at the full time).
        "MODERATION_SLA": {
            "imminent": int(_env("SLA_IMMINENT", "300")),
            "high": int(_env("SLA_HIGH", "900")),
            "elevated": int(_env("SLA_ELEVATED", "3600")),
        },
        "CLAIM_LEASE_SECONDS": int(_env("CLAIM_LEASE_SECONDS", "600")),
        "SWEEP_SECONDS": int(_env("SWEEP_SECONDS", "30")),  # 0: no sweeper in the server
        "ESCALATION_WEBHOOK": _env("ESCALATION_WEBHOOK"),
        "ESCALATION_WEBHOOK_ATTEMPTS": int(_env("ESCALATION_WEBHOOK_ATTEMPTS", "4")),
        # Crisis screening: "on" (rules + the learned model; the server will not start
        # without the model) or "off" (the rules alone, on purpose).
        "SCREENING_MODEL": _env("SCREENING_MODEL", "on").strip().lower(),
    }
