"""The README's serving instructions work as written with the pinned tools."""
import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def section(title):
    return re.search(rf"^## {title}\n(.*?)(?=^## )", README, re.S | re.M).group(1)


def test_commands_say_which_flask_runs_them():
    assert ".venv/bin/flask --app forum" in section("Commands")


def test_production_gives_each_gunicorn_process_its_own_control_socket():
    from gunicorn.config import Config

    production = section("Production")
    assert "--no-control-socket" in production and "--control-socket " in production
    config = Config()
    config.set("control_socket_disable", config.parser().parse_args(["--no-control-socket"]).control_socket_disable)
    assert config.control_socket_disable  # the flag exists in the pinned gunicorn
