"""What a browser is told about keeping pages: nothing private is stored by a browser or a
shared proxy, HTTPS is remembered, and Socket.IO's own answers carry the same headers."""
import pytest

from tests.helpers import go_on_duty, make_member, train

PRIVATE = ["/account", "/account/export.json", "/reports", "/admin", "/moderation", "/moderation/metrics", "/chat/"]


@pytest.fixture
def admin(app):
    person = make_member(app, "KindOwl3")
    train(app, person.handle, role="admin")
    go_on_duty(app, person.handle)
    return person


def test_pages_with_private_data_are_never_stored(admin):
    for path in PRIVATE:
        response = admin.client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response.headers.get("Cache-Control", ""), path


def test_public_pages_may_still_be_cached(client):
    assert "no-store" not in client.get("/about").headers.get("Cache-Control", "")


def test_https_is_remembered_only_when_served_over_https(make_app):
    assert "Strict-Transport-Security" not in make_app().test_client().get("/about").headers
    served = make_app(HTTPS=True).test_client().get("/about", base_url="https://localhost")
    assert "max-age=" in served.headers["Strict-Transport-Security"]


def test_socketio_polling_answers_carry_the_security_headers(client):
    handshake = client.get("/socket.io/?EIO=4&transport=polling")
    assert handshake.status_code == 200 and b'"sid"' in handshake.data
    for name in ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert name in handshake.headers, name
    assert "no-store" in handshake.headers.get("Cache-Control", "")
