"""Notification fixtures: a third member (the moderators are in tests/conftest.py)."""
import pytest

from tests.helpers import make_member


@pytest.fixture
def third(app):
    return make_member(app, "KindWren70")
