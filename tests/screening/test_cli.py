"""`flask moderation screen|evaluate`, invoked through click and through a Flask app."""
import json
import re

from click.testing import CliRunner
from flask import Flask

from moderation.cli import moderation_cli


def test_screen_prints_severity_categories_matches_and_hold():
    result = CliRunner().invoke(moderation_cli, ["screen", "how many pills would it take to die"])
    assert result.exit_code == 0
    assert "severity:   imminent" in result.output
    assert "method_detail" in result.output and "hold:       yes" in result.output
    assert "'how many pills would it take'" in result.output  # the phrase, as written


def test_screen_json():
    result = CliRunner().invoke(moderation_cli, ["screen", "--json", "I hate myself"])
    assert json.loads(result.output)["severity"] == "elevated"


def test_evaluate_prints_the_table_and_exits_zero_whatever_the_figures(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"text": "I want to die", "severity": "none"}\n', encoding="utf-8")
    result = CliRunner().invoke(moderation_cli, ["evaluate", str(path)])
    assert result.exit_code == 0
    assert "gold \\ predicted" in result.output and "none pass rate" in result.output
    assert re.search(r"none -> (high|imminent) +I want to die", result.output)  # the miss is listed


def test_registered_in_a_flask_app(dev_set):
    app = Flask(__name__)
    app.cli.add_command(moderation_cli)
    result = app.test_cli_runner().invoke(args=["moderation", "evaluate", str(dev_set)])
    assert result.exit_code == 0 and "imminent predicted none:" in result.output


def test_screen_shows_the_models_reading_and_what_it_reads_like():
    result = CliRunner().invoke(moderation_cli, ["screen", "Bought a gun today. I know what I'm going to use it for"])
    assert result.exit_code == 0
    assert "model:      imminent" in result.output and "rules alone: none" in result.output
    assert result.output.count("reads like (") == 3


def test_evaluate_the_validation_split_and_the_cssrs_posts(tmp_path):
    csv = tmp_path / "cssrs.csv"
    csv.write_text('User,Post,Label\nuser-1,"[\'I have the rope ready and tonight is the night\', '
                   '\'my cat is so fluffy\']",Attempt\nuser-2,"[\'you matter, please stay\']",Supportive\n',
                   encoding="utf-8")
    result = CliRunner().invoke(moderation_cli, ["evaluate", "--validation", "--cssrs", str(csv)])
    assert result.exit_code == 0, result.output
    assert "validation split of the corpus" in result.output and "never trained on" in result.output
    attempt = next(line for line in result.output.splitlines() if line.startswith("Attempt"))
    assert "50.0%" in attempt and "1/1 (100.0%)" in attempt  # one of two posts flagged


def test_evaluate_needs_something_to_evaluate():
    result = CliRunner().invoke(moderation_cli, ["evaluate"])
    assert result.exit_code != 0 and "--validation" in result.output
