"""Settings: one Config class, the README's table generated from it, FORUM_* variables typed,
and a bad value stopping start-up with a sentence that names the variable."""
import os
import subprocess
import sys
from pathlib import Path

import flask
import pytest

from forum import config

REPO = Path(__file__).resolve().parents[2]


def readme_config_table():
    """The rows of the table in the README's "## Configuration" section."""
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("|")]


def test_the_readme_table_is_the_config_class():
    expected = config.readme_table().splitlines()
    assert readme_config_table() == expected, (
        "README.md's configuration table differs from forum.config.Config (a name, default, "
        "allowed values or meaning). Paste this table into README.md, under ## Configuration:\n\n"
        + config.readme_table())


def test_every_setting_the_code_reads_is_declared():
    read = set()
    for path in [*REPO.glob("forum/**/*.py"), *REPO.glob("moderation/**/*.py"), REPO / "wsgi.py"]:
        if path.name != "config.py":
            for marker in ('config["', 'config.get("'):
                read.update(chunk.split('"', 1)[0] for chunk in path.read_text().split(marker)[1:])
    known = set(config.DECLARED) | set(config.DERIVED)
    assert read <= known, f"read but not declared in forum.config.Config: {sorted(read - known)}"


def test_every_setting_has_a_one_line_meaning():
    for name, about in config.DECLARED.items():
        assert about.meaning and "\n" not in about.meaning and "|" not in about.meaning, name


@pytest.fixture
def environ(monkeypatch):
    for key in [key for key in os.environ if key.startswith("FORUM_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("FORUM_SECRET_KEY", "test-secret")  # never generate instance/secret_key here
    return monkeypatch


def load(overrides=None):
    return config.load(flask.Config(str(REPO)), overrides)


def test_defaults_run_on_sqlite_alone(environ):
    settings = load()
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["REDIS_URL"] is None and settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert settings["PUBLIC_URL"] == "http://127.0.0.1:5000"
    assert settings["MODERATION_SLA"] == {"imminent": 300, "high": 900, "elevated": 3600}
    assert settings["SESSION_COOKIE_SECURE"] is False and settings["SESSION_COOKIE_HTTPONLY"] is True


def test_an_environment_variable_overrides_the_default_with_its_type(environ):
    environ.setenv("FORUM_SWEEP_SECONDS", "5")
    environ.setenv("FORUM_SLA_HIGH", "1200")
    environ.setenv("FORUM_HTTPS", "1")
    environ.setenv("FORUM_RATELIMIT_ENABLED", "off")
    environ.setenv("FORUM_SECRET_KEY", "12345")  # text stays text, though it reads as JSON
    environ.setenv("FORUM_LIMIT_CHAT", "3 per 10 seconds")
    environ.setenv("FORUM_SCREENING_MODEL", "OFF")
    environ.setenv("FORUM_PUBLIC_URL", "https://lantern.example/")
    environ.setenv("FORUM_DATABASE_URL", "postgres://forum@db/lantern")
    settings = load()
    assert settings["SWEEP_SECONDS"] == 5 and type(settings["SWEEP_SECONDS"]) is int
    assert settings["MODERATION_SLA"]["high"] == 1200
    assert settings["HTTPS"] is True and settings["SESSION_COOKIE_SECURE"] is True
    assert settings["PREFERRED_URL_SCHEME"] == "https"
    assert settings["RATELIMIT_ENABLED"] is False
    assert settings["SECRET_KEY"] == "12345"
    assert settings["LIMIT_CHAT"] == "3 per 10 seconds"
    assert settings["SCREENING_MODEL"] == "off"
    assert settings["PUBLIC_URL"] == "https://lantern.example"
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://forum@db/lantern"


def test_the_callers_mapping_wins_over_the_environment(environ):
    environ.setenv("FORUM_POSTS_PER_PAGE", "20")
    assert load({"POSTS_PER_PAGE": 7})["POSTS_PER_PAGE"] == 7


def test_an_empty_optional_setting_is_unset(environ):
    environ.setenv("FORUM_REDIS_URL", "")
    assert load()["REDIS_URL"] is None


def test_apps_do_not_share_mutable_defaults(environ):
    first, second = load(), load()
    first["SQLALCHEMY_ENGINE_OPTIONS"]["pool_size"] = 1
    assert "pool_size" not in second["SQLALCHEMY_ENGINE_OPTIONS"]


@pytest.mark.parametrize("name, value, words", [
    ("SWEEP_SECONDS", "abc", "whole number from 0 to 3600"),
    ("SWEEP_SECONDS", "-1", "whole number from 0 to 3600"),
    ("PORT", "5000.5", "whole number"),
    ("PORT", "true", "whole number"),
    ("HTTPS", "maybe", "a switch"),
    ("ASYNC_MODE", "tornado", "one of gevent, eventlet, threading"),
    ("SCREENING_MODEL", "maybe", "one of on, off"),
    ("LIMIT_POST", "lots", "a rate limit"),
    ("PUBLIC_URL", "lantern.example", "http:// or https:// URL"),
    ("ESCALATION_WEBHOOK", "ftp://pager", "http:// or https:// URL"),
])
def test_a_bad_value_stops_start_up_naming_the_variable(environ, name, value, words):
    environ.setenv(f"FORUM_{name}", value)
    with pytest.raises(config.ConfigError) as error:
        load()
    message = str(error.value)
    assert message.startswith(f"Lantern will not start: FORUM_{name} ") and words in message


def test_a_secret_is_never_repeated_in_the_error(environ):
    environ.setenv("FORUM_ESCALATION_WEBHOOK", "ftp://token-s3cr3t@pager")
    with pytest.raises(config.ConfigError, match="FORUM_ESCALATION_WEBHOOK") as error:
        load()
    assert "s3cr3t" not in str(error.value)


def test_a_more_severe_flag_never_waits_longer(environ):
    environ.setenv("FORUM_SLA_HIGH", "200")
    with pytest.raises(config.ConfigError, match="FORUM_SLA_IMMINENT, FORUM_SLA_HIGH and FORUM_SLA_ELEVATED"):
        load()


def test_the_flask_command_says_why_it_will_not_start():
    env = {key: value for key, value in os.environ.items() if not key.startswith("FORUM_")}
    env["FORUM_SWEEP_SECONDS"] = "abc"
    out = subprocess.run([sys.executable, "-m", "flask", "--app", "forum", "routes"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode != 0
    assert "Lantern will not start: FORUM_SWEEP_SECONDS is 'abc'" in out.stderr
    assert "Traceback" not in out.stderr
