"""Help fixtures: a trained moderator on duty (as tests/flags has)."""
import pytest

from tests.helpers import go_on_duty, make_member, train


@pytest.fixture
def moderator(app):
    """A trained moderator, on duty."""
    person = make_member(app, "SteadyOwl50")
    train(app, person.handle)
    go_on_duty(app, person.handle)
    return person
