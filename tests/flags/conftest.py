"""Moderation fixtures: trained moderators, on duty or not."""
import pytest

from tests.helpers import go_on_duty, make_member, train


@pytest.fixture
def moderator(app):
    """A trained moderator, on duty."""
    person = make_member(app, "SteadyOwl50")
    train(app, person.handle)
    go_on_duty(app, person.handle)
    return person


@pytest.fixture
def second_moderator(app):
    """Another trained moderator, not on duty."""
    person = make_member(app, "GentleSeal51")
    train(app, person.handle)
    return person
