"""Without its model the forum refuses to start, unless the operator chose rules alone."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.databases import base_config

from forum import ScreeningModelMissing, create_app
from moderation.screening import decision, model

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_model(tmp_path, monkeypatch):
    monkeypatch.setattr(model, "ARTIFACTS", tmp_path / "absent")
    monkeypatch.setattr(model, "_loaded", None)
    yield
    monkeypatch.undo()
    decision.configure("on")  # back to the shipped model for the tests that follow


def test_without_the_model_the_app_refuses_to_start(no_model, tmp_path):
    with pytest.raises(ScreeningModelMissing, match="FORUM_SCREENING_MODEL=off"):
        create_app(base_config(f"sqlite:///{tmp_path / 'x.db'}"))


def test_rules_alone_on_purpose_starts_without_the_model(no_model, tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'x.db'}", SCREENING_MODEL="off"))
    assert app is not None and decision.model_mode() == "off"


def test_the_server_says_why_it_will_not_start():
    env = dict(os.environ, FORUM_SCREENING_MODEL="maybe", FORUM_DATABASE_URL="sqlite://")
    out = subprocess.run([sys.executable, "wsgi.py"], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode != 0
    assert "Lantern will not start" in out.stderr and "Traceback" not in out.stderr
