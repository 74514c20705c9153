"""The live queue reaches every admin (they must hear escalations), but a flag's words reach
only those who may read them: trained moderators, and trained admins."""
from forum.extensions import socketio
from moderation.routing import NAMESPACE
from tests.flags.flag_helpers import METHOD, post_thread
from tests.helpers import give_role, make_member, train


def _admin(app, handle, trained):
    person = make_member(app, handle)
    (train if trained else give_role)(app, handle, role="admin")
    return person


def _queue_events(app, person):
    client = socketio.test_client(app, namespace=NAMESPACE, flask_test_client=person.client)
    assert client.is_connected(NAMESPACE)
    return client


def test_an_untrained_admin_hears_of_a_held_flag_but_not_its_words(app, member):
    untrained = _queue_events(app, _admin(app, "HeadKeeper", trained=False))
    trained = _queue_events(app, _admin(app, "SteadyKeeper", trained=True))
    post_thread(member, METHOD)  # held: method detail
    (new_for_untrained,) = [e["args"][0] for e in untrained.get_received(NAMESPACE) if e["name"] == "flag.new"]
    (new_for_trained,) = [e["args"][0] for e in trained.get_received(NAMESPACE) if e["name"] == "flag.new"]
    assert "pills" in new_for_trained["excerpt"]
    assert new_for_untrained["id"] == new_for_trained["id"] and new_for_untrained["excerpt"] == ""
    untrained.emit("queue", {}, namespace=NAMESPACE)
    (queue,) = [e["args"][0] for e in untrained.get_received(NAMESPACE) if e["name"] == "queue"]
    assert [f["id"] for f in queue] == [new_for_trained["id"]] and queue[0]["excerpt"] == ""


def test_a_live_flag_carries_its_words_as_a_reader_sees_them(app, member):
    trained = _queue_events(app, _admin(app, "SteadyKeeper", trained=True))
    post_thread(member, "**I want to kill myself** tonight, see [my notes](https://example.org) <b>now</b>")
    (new,) = [e["args"][0] for e in trained.get_received(NAMESPACE) if e["name"] == "flag.new"]
    assert "I want to kill myself tonight" in new["excerpt"]
    assert "**" not in new["excerpt"] and "](" not in new["excerpt"]
    assert "<b>now</b>" in new["excerpt"]  # what the member typed, as text (the page sets it as text)
