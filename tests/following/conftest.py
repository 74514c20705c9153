"""Following fixtures: a third member, as the notification tests have."""
from tests.notifications.conftest import third  # noqa: F401
