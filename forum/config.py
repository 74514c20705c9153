"""Configuration: one class, `Config`, lists every setting with its type, default and meaning.

`load` fills `app.config` in three layers: `Config`'s defaults, then every FORUM_<NAME>
environment variable over <NAME> (Flask's `from_prefixed_env`: values are JSON-decoded, so
FORUM_SWEEP_SECONDS=5 is the int 5 and FORUM_HTTPS=true the bool True), then the mapping the
caller passes to `create_app` (tests). Each value is then checked against its declared type
and range; a bad one stops start-up with a `ConfigError` naming the variable. Last, `load`
derives the keys Flask and its extensions read (SQLALCHEMY_DATABASE_URI, MODERATION_SLA, ...).

The defaults run the forum on an embedded SQLite file with no other server, so a new machine
needs nothing but Python. Production sets FORUM_DATABASE_URL (PostgreSQL) and FORUM_REDIS_URL.

The README's configuration table is `readme_table()`; tests/unit/test_config.py fails, printing
the table to paste, when the two disagree.
"""
import copy
import logging
import os
import secrets
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import click

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
PREFIX = "FORUM"
SQLITE_DEFAULT = f"sqlite:///{INSTANCE_DIR / 'lantern.db'}"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Setting:
    """A setting an operator may change with FORUM_<NAME>; one row of the README's table."""
    meaning: str
    low: int | None = None  # whole numbers: the smallest and largest sane values
    high: int | None = None
    choices: tuple[str, ...] = ()  # text: the only values allowed (compared in lower case)
    form: str | None = None  # text: "rate limit", "http url" or "database url"
    shown: str | None = None  # the default as the README shows it, when it depends on the machine
    secret: bool = False  # never repeat the value in an error (it may hold a password)


@dataclass(frozen=True)
class Fixed:
    """A Flask or extension setting the app fixes for safety; not in the README's table."""
    meaning: str


class Config:
    """Every setting: `NAME: Annotated[type, Setting(meaning, checks) | Fixed(meaning)] = default`."""

    # ---- where and how the forum runs
    DATABASE_URL: Annotated[str, Setting(
        "database; `postgresql://user@host/db` uses psycopg 3",
        form="database url", shown="`sqlite:///instance/lantern.db`", secret=True)] = SQLITE_DEFAULT
    REDIS_URL: Annotated[str | None, Setting(
        "Redis for the Socket.IO message queue and rate-limit counters (required with several processes)",
        secret=True)] = None
    SECRET_KEY: Annotated[str | None, Setting(
        "signs sessions and CSRF tokens; set it in production (the same on every process)",
        shown="generated into `instance/secret_key`", secret=True)] = None
    PUBLIC_URL: Annotated[str, Setting(
        "the forum's address as members reach it, used in links sent outside the forum (the on-call pager)",
        form="http url")] = "http://127.0.0.1:5000"
    HOST: Annotated[str, Setting("address `python wsgi.py` listens on")] = "127.0.0.1"
    PORT: Annotated[int, Setting("port `python wsgi.py` listens on", low=1, high=65535)] = 5000
    ASYNC_MODE: Annotated[str, Setting(
        "`gevent` (default), `eventlet` (opt-in; deprecated upstream) or `threading` (tests only)",
        choices=("gevent", "eventlet", "threading"))] = "gevent"
    HTTPS: Annotated[bool, Setting("served over HTTPS: cookies become `Secure`, links `https`")] = False
    TRUSTED_PROXIES: Annotated[int, Setting(
        "how many reverse proxies in front set `X-Forwarded-*`", low=0, high=5)] = 0
    SOCKETIO_ORIGINS: Annotated[str | list[str] | None, Setting(
        "other sites' origins allowed to open Socket.IO connections (unset: this site only)",
        form="http url")] = None
    SOCKETIO_CHANNEL: Annotated[str, Setting(
        "Redis pub/sub channel shared by one installation's processes")] = "flask-socketio"

    # ---- rate limits (Flask-Limiter's `limits` syntax); counters live in memory or Redis only
    RATELIMIT_ENABLED: Annotated[bool, Setting("rate limits on/off")] = True
    LIMIT_SIGNUP: Annotated[str, Setting("sign-ups per client address", form="rate limit")] = "5 per hour"
    LIMIT_LOGIN_FAILURES: Annotated[str, Setting(
        "failed logins or recoveries per client address", form="rate limit")] = "5 per minute;20 per hour"
    # Per account, from every address together: past this a passphrase is not even checked
    # for that handle (the recovery code still works), so spreading guesses over many
    # addresses gains nothing, and the most an attacker can do to a member is slow them down.
    LIMIT_LOGIN_ACCOUNT: Annotated[str, Setting(
        "failed logins per handle, from all addresses together; past it only the recovery code signs in",
        form="rate limit")] = "10 per 10 minutes;30 per day"
    LIMIT_POST: Annotated[str, Setting("replies per member", form="rate limit")] = "1 per 5 seconds"
    LIMIT_THREAD: Annotated[str, Setting("new threads per member", form="rate limit")] = "1 per 15 seconds"
    LIMIT_EDIT: Annotated[str, Setting(
        "edits per member (each is screened again)", form="rate limit")] = "5 per minute;30 per hour"
    LIMIT_REACT: Annotated[str, Setting("reactions given or taken back per member", form="rate limit")] = "30 per minute"
    LIMIT_FILTERS: Annotated[str, Setting(
        "changes to a member's filters and blocks (saving, blocking, unblocking)", form="rate limit")] = "20 per minute"
    # static/drafts.js saves after a pause in typing (and at most every few seconds while
    # someone types on), so a member writing steadily stays far below these.
    LIMIT_DRAFT: Annotated[str, Setting("drafts saved per member (as they type)", form="rate limit")] = \
        "30 per minute;600 per hour"
    LIMIT_PREVIEW: Annotated[str, Setting("Markdown previews per member", form="rate limit")] = "20 per minute"
    LIMIT_PROFILE: Annotated[str, Setting("profile changes saved per member", form="rate limit")] = "10 per hour"
    LIMIT_FOLLOW: Annotated[str, Setting(
        "threads and boards followed or unfollowed per member", form="rate limit")] = "30 per minute"
    # OWASP's WebSocket guidance asks for a per-user message rate; 5 per 10 s (30 a minute) is
    # far above how people type.
    LIMIT_CHAT: Annotated[str, Setting("chat messages per member", form="rate limit")] = "5 per 10 seconds"
    LIMIT_CHAT_TYPING: Annotated[str, Setting(
        "typing notices per member (extra ones are dropped)", form="rate limit")] = "1 per second"
    LIMIT_RECOVERY: Annotated[str, Setting(
        "check-ins, goals, steps and milestones saved per member (each check-in note is screened)",
        form="rate limit")] = "20 per minute;300 per day"
    LIMIT_MENTORING_CARE: Annotated[str, Setting(
        "mentoring sessions started or ended, goals summaries, ratings, endings and mentors' wellbeing check-ins "
        "saved per member (a mentor's hand-off is never limited)", form="rate limit")] = "20 per minute;200 per day"
    LIMIT_MENTORING: Annotated[str, Setting(
        "peer-mentoring changes per member: asking for a mentor, choosing one, a mentor's settings, "
        "accepting or declining a request", form="rate limit")] = "20 per minute;200 per day"

    # ---- sessions (OWASP ASVS V7.3): a signed-in browser is signed out after this long idle,
    # and after this long at most, however active
    SESSION_IDLE_MINUTES: Annotated[int, Setting(
        "minutes without a request after which a session ends", low=5, high=30 * 24 * 60)] = 120
    SESSION_MAX_DAYS: Annotated[int, Setting(
        "days after signing in after which a session ends, however active", low=1, high=365)] = 30

    # ---- pages and chat
    POSTS_PER_PAGE: Annotated[int, Setting("replies per page of a thread", low=1, high=1000)] = 50
    THREADS_PER_PAGE: Annotated[int, Setting("threads per page of a board", low=1, high=1000)] = 30
    REPLY_DEPTH_CAP: Annotated[int, Setting(
        "deepest reply nesting shown; deeper replies say whom they answer", low=1, high=50)] = 6
    CHAT_HISTORY: Annotated[int, Setting(
        "chat messages shown on joining, and per \"Show earlier messages\"", low=1, high=1000)] = 50
    CHAT_CATCH_UP_MAX: Annotated[int, Setting(
        "chat messages per catch-up answer (the client asks again for more)", low=1, high=10000)] = 500

    # ---- moderation: how soon a flag must be claimed, per severity, before the sweeper
    # re-notifies (at half the time) and escalates (at the full time)
    SLA_IMMINENT: Annotated[int, Setting(
        "seconds an imminent flag may wait unclaimed: reminder at half, escalation at the full time",
        low=10, high=86400)] = 300
    SLA_HIGH: Annotated[int, Setting(
        "seconds a high flag may wait unclaimed (not less than `FORUM_SLA_IMMINENT`)", low=10, high=86400)] = 900
    SLA_ELEVATED: Annotated[int, Setting(
        "seconds an elevated flag may wait unclaimed (not less than `FORUM_SLA_HIGH`)",
        low=10, high=7 * 86400)] = 3600
    # ---- peer mentoring: a request is offered to one mentor at a time; one not answered in
    # this long goes to the next, and one still unmatched after the escalation time (or with
    # no mentor left to offer it to) is handed to trained moderators
    MENTORING_OFFER_MINUTES: Annotated[int, Setting(
        "minutes a mentor has to answer a request offered to them before it goes to the next mentor",
        low=1, high=7 * 24 * 60)] = 30
    MENTORING_ESCALATE_MINUTES: Annotated[int, Setting(
        "minutes a request may wait unmatched (the time target members see) before trained moderators are asked "
        "to help (not less than `FORUM_MENTORING_OFFER_MINUTES`)", low=1, high=30 * 24 * 60)] = 240
    CLAIM_LEASE_SECONDS: Annotated[int, Setting(
        "how long a moderator's claim lasts before the flag goes back (renewable)", low=60, high=86400)] = 600
    SWEEP_SECONDS: Annotated[int, Setting(
        "how often each server process sweeps (0: never; use `flask moderation sweep` from cron)",
        low=0, high=3600)] = 30
    ESCALATION_WEBHOOK: Annotated[str | None, Setting(
        "URL that receives a JSON POST for every escalation (an on-call pager): written with the escalation, "
        "delivered and retried by the sweeper until accepted or `FORUM_ESCALATION_WEBHOOK_GIVE_UP_SECONDS` pass",
        form="http url", secret=True)] = None
    ESCALATION_WEBHOOK_TIMEOUT_SECONDS: Annotated[int, Setting(
        "connect and read timeout of one POST to the pager", low=1, high=60)] = 5
    ESCALATION_WEBHOOK_BACKOFF_SECONDS: Annotated[int, Setting(
        "first wait after a failed POST; it doubles each time, plus up to as much again as jitter",
        low=1, high=3600)] = 5
    ESCALATION_WEBHOOK_BACKOFF_MAX_SECONDS: Annotated[int, Setting(
        "longest wait between two tries", low=1, high=3600)] = 300
    ESCALATION_WEBHOOK_GIVE_UP_SECONDS: Annotated[int, Setting(
        "a page still failing this long after the escalation is given up (and logged as an error)",
        low=1, high=7 * 86400)] = 3600
    OUTBOX_LEASE_SECONDS: Annotated[int, Setting(
        "how long a sweeper's claim on a page lasts (at least three POST timeouts): a process killed "
        "mid-delivery hands it to the next sweep after this", low=1, high=3600)] = 60
    OUTBOX_BATCH: Annotated[int, Setting("most pages one sweep tries", low=1, high=1000)] = 10
    OUTBOX_PASS_SECONDS: Annotated[int, Setting(
        "a sweep starts no new delivery after this long, so a slow pager cannot stall it", low=1, high=600)] = 15
    SCREENING_MODEL: Annotated[str, Setting(
        "`on`: rules + learned model (the server will not start without the model); `off`: the rules alone",
        choices=("on", "off"))] = "on"

    # ---- fixed by the app (Flask and extension settings; derived ones are in `_derive`)
    SQLALCHEMY_ENGINE_OPTIONS: Annotated[dict, Fixed(  # load gives each app its own copy
        "engine options; SQLite gets a one-connection pool in create_app")] = {"pool_pre_ping": True}  # noqa: RUF012
    SESSION_COOKIE_NAME: Annotated[str, Fixed("the session cookie's name")] = "lantern_session"
    SESSION_COOKIE_HTTPONLY: Annotated[bool, Fixed("the session cookie is never readable by scripts")] = True
    SESSION_COOKIE_SAMESITE: Annotated[str, Fixed("the session cookie is not sent on cross-site posts")] = "Lax"
    MAX_CONTENT_LENGTH: Annotated[int, Fixed("largest request body, in bytes")] = 256 * 1024
    WTF_CSRF_TIME_LIMIT: Annotated[int | None, Fixed("CSRF tokens live as long as the session")] = None
    RATELIMIT_HEADERS_ENABLED: Annotated[bool, Fixed("no rate-limit headers on responses")] = False


class ConfigError(click.ClickException, ValueError):
    """A setting has a bad value: start-up stops with one sentence naming the variable.

    A ClickException, so that `flask --app forum ...` prints the sentence without a traceback;
    wsgi.py prints it too."""

    def __init__(self, message):
        super().__init__(f"Lantern will not start: {message}")


_HINTS = typing.get_type_hints(Config, include_extras=True)
DECLARED = {name: hint.__metadata__[0] for name, hint in _HINTS.items()}
SETTINGS = {name: about for name, about in DECLARED.items() if isinstance(about, Setting)}
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _kinds(name):
    """The plain types a setting accepts: `str | list[str] | None` -> (str, list, NoneType)."""
    hint = _HINTS[name].__origin__
    args = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
    return tuple(typing.get_origin(arg) or arg for arg in args)


def load(config, overrides=None):
    """Fill `config` (a flask.Config): defaults, then FORUM_* variables, then `overrides`; check, derive."""
    overrides = dict(overrides or {})
    config.from_object(Config)
    for name in DECLARED:
        if isinstance(config[name], dict | list):
            config[name] = copy.deepcopy(config[name])  # never share a mutable default between apps
    config.from_prefixed_env(PREFIX)
    for name in DECLARED:
        raw = os.environ.get(f"{PREFIX}_{name}")
        kinds = _kinds(name)
        if raw is not None and str in kinds and not isinstance(config[name], kinds):
            config[name] = raw  # text stays text: FORUM_SECRET_KEY=123 is "123", not 123
    config.update(overrides)
    for name in DECLARED:
        source = name if name in overrides else f"{PREFIX}_{name}"
        config[name] = _checked(name, config[name], source)
    unknown = sorted(key for key in os.environ
                     if key.startswith(f"{PREFIX}_") and key.removeprefix(f"{PREFIX}_").split("__")[0] not in DECLARED)
    if unknown:
        log.warning("%s: not a Lantern setting (README, Configuration); Flask receives it as given",
                    ", ".join(unknown))
    _derive(config)
    return config


def _checked(name, value, source):
    """The value, coerced to the setting's type, or a ConfigError that names `source`."""
    about, kinds = DECLARED[name], _kinds(name)

    def bad(expected):
        shown = "" if getattr(about, "secret", False) else f" is {value!r}; it"
        raise ConfigError(f"{source}{shown} must be {expected}. Meaning: {about.meaning}.".replace("`", ""))

    if isinstance(value, str) and type(None) in kinds and not value.strip():
        return None  # FORUM_REDIS_URL= means unset
    if value is None:
        return None if type(None) in kinds else bad(describe(name))
    if bool in kinds:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        return text in _TRUE if text in _TRUE | _FALSE else bad(describe(name))
    if int in kinds:
        if not isinstance(value, int) or isinstance(value, bool):
            bad(describe(name))
        low, high = getattr(about, "low", None), getattr(about, "high", None)
        if (low is not None and value < low) or (high is not None and value > high):
            bad(describe(name))
        return value
    if list in kinds and isinstance(value, list):
        return value if all(isinstance(item, str) for item in value) else bad(describe(name))
    if dict in kinds:
        return value if isinstance(value, dict) else bad(describe(name))
    if not isinstance(value, str):
        bad(describe(name))
    if getattr(about, "choices", ()):
        value = value.strip().lower()
        if value not in about.choices:
            bad(describe(name))
    form = getattr(about, "form", None)
    if form == "rate limit":
        from limits import parse_many
        try:
            parse_many(value)
        except ValueError:
            bad(describe(name))
    elif form == "http url":
        parts = urlsplit(value.strip())
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            bad(describe(name))
        value = value.strip()
    elif form == "database url":
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError
        try:
            make_url(value)
        except ArgumentError:
            bad(describe(name))
    return value


def describe(name):
    """The values a setting accepts, in words (the README's "values" column)."""
    about, kinds = DECLARED[name], _kinds(name)
    if bool in kinds:
        return "a switch: `1`/`0`, `true`/`false`, `yes`/`no` or `on`/`off`"
    if int in kinds:
        low, high = getattr(about, "low", None), getattr(about, "high", None)
        if low is not None and high is not None:
            return f"a whole number from `{low}` to `{high}`"
        return "a whole number"
    if getattr(about, "choices", ()):
        return "one of " + ", ".join(f"`{choice}`" for choice in about.choices)
    words = {"rate limit": "a rate limit such as `5 per minute;20 per hour`",
             "http url": "an `http://` or `https://` URL",
             "database url": "a database URL"}.get(getattr(about, "form", None), "text")
    if list in kinds:
        words += ", or a JSON list of them"
    return words + ("; empty means unset" if type(None) in kinds else "")


DERIVED = {  # what `_derive` sets: the keys Flask, its extensions and the code read
    "MODERATION_SLA": "seconds per severity a flag may wait unclaimed, from the SLA_* settings",
    "SQLALCHEMY_DATABASE_URI": "DATABASE_URL with psycopg 3 for PostgreSQL (a caller may pass its own)",
    "SECRET_KEY": "SECRET_KEY, or one generated once into instance/secret_key",
    "SESSION_COOKIE_SECURE": "HTTPS: the session cookie is sent over HTTPS only",
    "PREFERRED_URL_SCHEME": "https with HTTPS, else http: the scheme of external links",
    "RATELIMIT_STORAGE_URI": "REDIS_URL, else memory:// (a caller may pass its own)",
    "PUBLIC_URL": "PUBLIC_URL without a trailing slash",
}


def _derive(config):
    """The keys Flask and its extensions read, from the settings above (DERIVED)."""
    if config["SLA_IMMINENT"] > config["SLA_HIGH"] or config["SLA_HIGH"] > config["SLA_ELEVATED"]:
        raise ConfigError("FORUM_SLA_IMMINENT, FORUM_SLA_HIGH and FORUM_SLA_ELEVATED must not decrease "
                          f"(they are {config['SLA_IMMINENT']}, {config['SLA_HIGH']}, {config['SLA_ELEVATED']}): "
                          "a more severe flag never waits longer.")
    if config["MENTORING_OFFER_MINUTES"] > config["MENTORING_ESCALATE_MINUTES"]:
        raise ConfigError(f"FORUM_MENTORING_OFFER_MINUTES ({config['MENTORING_OFFER_MINUTES']}) must not be more than "
                          f"FORUM_MENTORING_ESCALATE_MINUTES ({config['MENTORING_ESCALATE_MINUTES']}): a request is "
                          "offered to a mentor at least once before moderators are asked.")
    config["MODERATION_SLA"] = {
        "imminent": config["SLA_IMMINENT"], "high": config["SLA_HIGH"], "elevated": config["SLA_ELEVATED"]}
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        config.get("SQLALCHEMY_DATABASE_URI") or config["DATABASE_URL"])
    config["SECRET_KEY"] = config["SECRET_KEY"] or _generated_secret_key()
    config["SESSION_COOKIE_SECURE"] = config["HTTPS"]
    config["PREFERRED_URL_SCHEME"] = "https" if config["HTTPS"] else "http"
    # Rate-limit counters live in memory, or Redis when set: never in the database, so no
    # client address is ever written down.
    config["RATELIMIT_STORAGE_URI"] = config.get("RATELIMIT_STORAGE_URI") or config["REDIS_URL"] or "memory://"
    config["PUBLIC_URL"] = config["PUBLIC_URL"].rstrip("/")


def _generated_secret_key():
    """A stable key for development: generated once into instance/, never committed."""
    INSTANCE_DIR.mkdir(exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def normalise_database_url(url):
    """Use psycopg 3 for every PostgreSQL URL, whatever scheme the operator wrote."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def shown_default(name):
    """A setting's default as the README shows it."""
    about, default = SETTINGS[name], getattr(Config, name)
    if about.shown:
        return about.shown
    if default is None:
        return "unset"
    if isinstance(default, bool):
        return "`true`" if default else "`false`"
    return f"`{default}`"


README_HEADER = ("| variable | default | values | meaning |", "| --- | --- | --- | --- |")


def readme_rows():
    return [f"| `{PREFIX}_{name}` | {shown_default(name)} | {describe(name)} | {about.meaning} |"
            for name, about in SETTINGS.items()]


def readme_table():
    """The README's configuration table, generated from `Config`."""
    return "\n".join([*README_HEADER, *readme_rows()])
