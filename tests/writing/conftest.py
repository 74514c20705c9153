import pytest

from forum.extensions import db
from forum.seed import seed_boards


@pytest.fixture
def limited_app(make_app):
    """limited_app(LIMIT_X="1 per minute", ...): an app with the boards and real limits."""
    def make(**limits):
        app = make_app(**limits)
        with app.app_context():
            seed_boards()
            db.session.commit()
        return app
    return make
